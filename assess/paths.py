"""Where assess's data folders are: beside the package in a checkout, inside it in a wheel."""

from __future__ import annotations

from pathlib import Path

from assess.errors import CriteriaError

PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """A built-in data folder (criteria, templates, seeds, fonts)."""
    for candidate in (PACKAGE.parent / name, PACKAGE / "_data" / name):
        if candidate.is_dir():
            return candidate
    raise CriteriaError(f"The built-in {name}/ folder is missing from this installation")


def data_dir_candidates(name: str) -> list[Path]:
    return [PACKAGE.parent / name, PACKAGE / "_data" / name]
