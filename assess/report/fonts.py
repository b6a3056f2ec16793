"""The report's CJK font and the libraries that make it fast, checked before rendering.

assess refuses to render rather than silently print boxes (no CJK font), or take 5-35 times
longer (no HarfBuzz subsetting library, or a variable font re-instanced on every PDF).
"""

from __future__ import annotations

import ctypes.util
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from assess.errors import Problem, UserError
from assess.paths import data_dir_candidates

FONT_FAMILY = "Noto Sans SC"
FONT_FILES = {"400": "NotoSansSC-Regular.ttf", "700": "NotoSansSC-Bold.ttf"}
_SETUP_HINT = "run `make setup` (or scripts/install-fonts.sh fonts), or set ASSESS_FONT_DIR"


class RenderingSetupError(UserError):
    """Something the PDF renderer needs is missing from this machine."""


@dataclass(frozen=True)
class FontSet:
    """The font files the report embeds (as subsets), by CSS weight."""

    folder: Path
    files: dict[str, Path]

    def font_face_css(self) -> str:
        """@font-face rules pointing at the files (served by the safe URL fetcher)."""
        rules = []
        for weight, path in sorted(self.files.items()):
            rules.append(
                f'@font-face {{ font-family: "{FONT_FAMILY}"; font-weight: {weight}; '
                f'src: url("{path.resolve().as_uri()}"); }}'
            )
        return "\n".join(rules)


def _candidate_folders() -> list[Path]:
    env = os.environ.get("ASSESS_FONT_DIR")
    return ([Path(env)] if env else []) + data_dir_candidates("fonts")


def _is_variable(path: Path) -> bool:
    """A font with an `fvar` table: cheap check of the table directory, no font library needed."""
    with path.open("rb") as handle:
        header = handle.read(12)
        tables = int.from_bytes(header[4:6], "big")
        directory = handle.read(16 * tables)
    return any(directory[i : i + 4] == b"fvar" for i in range(0, len(directory), 16))


@cache
def find_fonts() -> FontSet:
    """The static Noto Sans SC files, or an error that says what is missing and how to get it."""
    for folder in _candidate_folders():
        files = {weight: folder / name for weight, name in FONT_FILES.items()}
        if all(path.is_file() for path in files.values()):
            variable = [p.name for p in files.values() if _is_variable(p)]
            if variable:
                raise RenderingSetupError(
                    "The report font is a variable font",
                    [
                        Problem(
                            str(folder),
                            f"{', '.join(variable)} has variable outlines; a static instance is needed "
                            "(variable fonts make every PDF 5-35 times slower)",
                        )
                    ],
                )
            return FontSet(folder, files)
    searched = ", ".join(str(f) for f in _candidate_folders())
    raise RenderingSetupError(
        "The Chinese font for the PDF report is missing",
        [
            Problem(
                "fonts",
                f"Noto Sans SC (NotoSansSC-Regular.ttf and NotoSansSC-Bold.ttf) not found in: {searched}; "
                f"{_SETUP_HINT}",
            )
        ],
    )


@cache
def check_subsetting_library() -> None:
    """HarfBuzz's subsetting library must be present: without it WeasyPrint subsets fonts 5-35x slower."""
    if ctypes.util.find_library("harfbuzz-subset") is None:
        raise RenderingSetupError(
            "The HarfBuzz font-subsetting library is missing",
            [
                Problem(
                    "libharfbuzz-subset0",
                    "install the Debian package libharfbuzz-subset0 "
                    "(`make setup` does it); without it every PDF takes 5-35 times longer",
                )
            ],
        )


def check_rendering_setup() -> FontSet:
    """Everything the renderer needs, checked once per process."""
    check_subsetting_library()
    return find_fonts()
