"""Helpers for report tests: read PDFs back the way a user's tools would (poppler, pypdf)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from assess.api import load_criteria, load_response, score
from assess.models.criteria import CriteriaSet
from assess.models.result import ScoreResult

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def pdf_fonts(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="session")
def criteria() -> CriteriaSet:
    return load_criteria()


@pytest.fixture(scope="session")
def strong(criteria: CriteriaSet) -> ScoreResult:
    return score(criteria, load_response(SEEDS / "hongyi-auto.yaml", criteria))


@pytest.fixture(scope="session")
def vetoed(criteria: CriteriaSet) -> ScoreResult:
    return score(criteria, load_response(SEEDS / "shengyao-solar.yaml", criteria))
