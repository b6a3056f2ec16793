"""assess refuses to render, naming the missing piece, rather than print boxes or crawl."""

from __future__ import annotations

import ctypes.util
import shutil
import struct
from collections.abc import Iterator
from pathlib import Path

import pytest

from assess.report import fonts
from assess.report.fonts import FONT_FILES, RenderingSetupError


@pytest.fixture(autouse=True)
def _fresh_caches() -> Iterator[None]:
    fonts.find_fonts.cache_clear()
    fonts.check_subsetting_library.cache_clear()
    yield
    fonts.find_fonts.cache_clear()
    fonts.check_subsetting_library.cache_clear()


def fake_font(path: Path, tables: list[bytes]) -> None:
    header = struct.pack(">IHHHH", 0x00010000, len(tables), 0, 0, 0)
    directory = b"".join(tag + b"\0" * 12 for tag in tables)
    path.write_bytes(header + directory)


def test_missing_font_is_named_with_the_fix(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(fonts, "_candidate_folders", lambda: [tmp_path])
    with pytest.raises(RenderingSetupError) as info:
        fonts.find_fonts()
    message = str(info.value)
    assert "Chinese font" in message and "NotoSansSC-Regular.ttf" in message and "make setup" in message


def test_variable_font_is_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in FONT_FILES.values():
        fake_font(tmp_path / name, [b"cmap", b"fvar", b"glyf"])
    monkeypatch.setattr(fonts, "_candidate_folders", lambda: [tmp_path])
    with pytest.raises(RenderingSetupError, match="variable font"):
        fonts.find_fonts()


def test_font_dir_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    real = fonts.find_fonts()
    fonts.find_fonts.cache_clear()
    for path in real.files.values():
        shutil.copy(path, tmp_path / path.name)
    monkeypatch.setenv("ASSESS_FONT_DIR", str(tmp_path))
    assert fonts.find_fonts().folder == tmp_path


def test_missing_subsetting_library_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ctypes.util, "find_library", lambda name: None)
    with pytest.raises(RenderingSetupError, match="libharfbuzz-subset0"):
        fonts.check_subsetting_library()


def test_installed_setup_passes() -> None:
    font_set = fonts.check_rendering_setup()
    assert set(font_set.files) == {"400", "700"}
    assert 'font-family: "Noto Sans SC"; font-weight: 700' in font_set.font_face_css()
