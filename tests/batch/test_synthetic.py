"""The synthetic-firm generator of benchmarks/synthetic.py: deterministic, valid, readable, and broken on request."""

from __future__ import annotations

import importlib
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from assess.api import score
from assess.errors import UserError
from assess.models.answers import ValidatedResponse
from assess.models.criteria import CriteriaSet
from assess.models.response import Response
from assess.readers.response_file import read_response
from assess.readers.submissions import iter_table_rows
from assess.validation import validate_response

# benchmarks/ is a folder of scripts, not a package that mypy maps (it would see the generator under two
# module names when both files are checked together), so the generator is imported by name at run time.
synthetic = importlib.import_module("benchmarks.synthetic")
BROKEN_QUESTION_ID: str = synthetic.BROKEN_QUESTION_ID
main = synthetic.main
synthetic_responses = synthetic.synthetic_responses
write_table = synthetic.write_table
N = 300


def _validate(criteria: CriteriaSet, data: dict[str, Any]) -> ValidatedResponse:
    return validate_response(criteria, Response.model_validate(data), lambda path: str(path))


def _answers(response: ValidatedResponse) -> dict[str, tuple[Any, bool, str | None]]:
    return {qid: (a.value, a.na, a.note) for qid, a in response.answers.items()}


@pytest.fixture(scope="module")
def firms(default_criteria: CriteriaSet) -> list[dict[str, Any]]:
    return list(synthetic_responses(default_criteria, N, seed=1))


def test_same_seed_same_firms(default_criteria: CriteriaSet, firms: list[dict[str, Any]]) -> None:
    assert list(synthetic_responses(default_criteria, N, seed=1)) == firms
    assert list(synthetic_responses(default_criteria, 20, seed=1)) == firms[:20]  # a shorter run is a prefix
    other = list(synthetic_responses(default_criteria, 20, seed=2))
    assert [f["firm"]["name"] for f in other] != [f["firm"]["name"] for f in firms[:20]]


def test_every_firm_validates(default_criteria: CriteriaSet, firms: list[dict[str, Any]]) -> None:
    for data in firms:
        response = _validate(default_criteria, data)  # raises on any error
        # Drafts miss answers (warnings); nothing else may be warned about, such as an inapplicable answer.
        warnings = [p.message for p in response.warnings]
        if data["status"] == "final":
            assert not warnings
        assert all(m.endswith("required answer missing (draft)") for m in warnings), warnings
        assert response.firm.industry in default_criteria.industry_ids()
        assert set(response.firm.markets) <= default_criteria.market_ids()


def test_variety(default_criteria: CriteriaSet, firms: list[dict[str, Any]]) -> None:
    names = [f["firm"]["name"] for f in firms]
    assert len(set(names)) == N
    assert all(name.endswith("有限公司") for name in names)
    assert len({f["firm"]["credit_code"] for f in firms}) == N
    statuses = Counter(f["status"] for f in firms)
    assert 0 < statuses["draft"] < N * 0.12
    results = [score(default_criteria, _validate(default_criteria, f)) for f in firms]
    vetoed = [[v.id for v in r.vetoes if v.status == "triggered"] for r in results]
    assert all(len(ids) <= 1 for ids in vetoed)  # a vetoed firm has exactly one veto
    assert 0 < sum(1 for ids in vetoed if ids) < N * 0.08
    bands = Counter(r.band for r in results)
    assert len(bands) >= 4, bands
    verdicts = Counter(r.readiness.verdict for r in results)
    assert verdicts["ready"] > 0 and verdicts["not_ready"] > 0, verdicts


def test_better_firms_have_better_results(default_criteria: CriteriaSet, firms: list[dict[str, Any]]) -> None:
    """The latent maturity shows through: high scorers return less and register more trademarks."""
    finals = [f for f in firms if f["status"] == "final"]
    ranked = sorted(finals, key=lambda f: score(default_criteria, _validate(default_criteria, f)).overall or 0.0)
    third = len(ranked) // 3
    bottom, top = ranked[:third], ranked[-third:]

    def mean(group: list[dict[str, Any]], qid: str, measure: Any) -> float:
        values = [float(measure(f["answers"][qid])) for f in group if qid in f["answers"]]
        return sum(values) / len(values)

    def value(answer: Any) -> Any:
        return answer["value"] if isinstance(answer, dict) else answer

    def marks(answer: Any) -> int:
        return len([m for m in value(answer) if m != "none"])

    assert mean(top, "EP-02", value) < mean(bottom, "EP-02", value)  # export return rate
    assert mean(top, "BR-02", marks) > mean(bottom, "BR-02", marks)  # trademark registrations


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_table_reads_back(default_criteria: CriteriaSet, tmp_path: Path, fmt: str) -> None:
    n = 40
    path = write_table(default_criteria, n, tmp_path / f"firms.{fmt}", seed=3, fmt="xlsx" if fmt == "xlsx" else "csv")
    rows = list(iter_table_rows(path, default_criteria))
    assert [r.problems for r in rows] == [[]] * n
    for row, data in zip(rows, synthetic_responses(default_criteria, n, seed=3), strict=True):
        original = _validate(default_criteria, data)
        read_back = _validate(default_criteria, row.data)
        assert read_back.status == original.status
        assert read_back.firm == original.firm
        assert _answers(read_back) == _answers(original)


def test_cli_is_deterministic(tmp_path: Path) -> None:
    for run in ("a", "b"):
        assert main(["15", str(tmp_path / run), "--seed", "5"]) == 0
        assert main(["15", str(tmp_path / f"{run}.csv"), "--format", "csv", "--seed", "5"]) == 0
    first = sorted((tmp_path / "a").iterdir())
    assert len(first) == 15
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in sorted((tmp_path / "b").iterdir())]
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    assert (tmp_path / "a.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for Excel


def test_broken_folder_has_exactly_k_bad_files(default_criteria: CriteriaSet, tmp_path: Path) -> None:
    out = tmp_path / "firms"
    assert main(["12", str(out), "--broken", "4"]) == 0
    failures: list[UserError] = []
    for path in sorted(out.iterdir()):
        try:
            read_response(path, default_criteria)
        except UserError as exc:
            failures.append(exc)
    assert len(failures) == 4
    assert all(len(exc.problems) == 1 for exc in failures), [str(exc) for exc in failures]
    messages = " ".join(exc.problems[0].message for exc in failures)
    assert BROKEN_QUESTION_ID in messages and "is not one of" in messages and "binary" in messages


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_broken_table_has_exactly_k_bad_rows(default_criteria: CriteriaSet, tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"firms.{fmt}"
    assert main(["20", str(path), "--format", fmt, "--broken", "5"]) == 0
    rows = list(iter_table_rows(path, default_criteria))
    assert len(rows) == 20
    bad = [r for r in rows if r.problems]
    assert len(bad) == 5
    assert all(len(r.problems) == 1 for r in bad), [r.problems for r in bad]


def test_broken_cannot_exceed_n(tmp_path: Path) -> None:
    with pytest.raises(SystemExit):
        main(["3", str(tmp_path / "x"), "--broken", "4"])
