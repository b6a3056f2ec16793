"""The library API (`assess.api`): its public names, paths as str or Path, and user errors instead of OSErrors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import assess
from assess import api
from assess.errors import UserError
from assess.files import write_all_atomic
from assess.questionnaire.response_writer import save_response

TESTS = Path(__file__).resolve().parent
MINI = TESTS / "fixtures" / "mini"
GOOD = TESTS / "fixtures" / "responses" / "mini_good.yaml"


def test_every_public_name_is_listed_and_exists() -> None:
    for name in api.__all__:
        assert hasattr(api, name), name
    for name in (
        "write_report",
        "write_report_pdf",
        "write_questionnaire",
        "import_submissions",
        "new_criteria_set",
        "result_dict",
        "ImportedFile",
    ):
        assert name in api.__all__, name


def test_the_package_says_it_is_typed() -> None:
    assert (Path(assess.__file__).parent / "py.typed").is_file()


def test_paths_may_be_text(tmp_path: Path) -> None:
    criteria = api.load_criteria(str(MINI))
    result = api.score_file(str(GOOD), criteria)
    out = api.write_report_pdf(criteria, result, str(tmp_path / "r.pdf"), mode="en")
    assert out == tmp_path / "r.pdf" and out.read_bytes().startswith(b"%PDF")
    assert api.write_questionnaire(str(tmp_path / "q.yaml"), criteria_dir=str(MINI)).is_file()


@pytest.mark.parametrize("mode", ["fr", "Bilingual", ""])
def test_an_unknown_mode_is_refused(tmp_path: Path, mode: str) -> None:
    criteria = api.load_criteria(MINI)
    result = api.score_file(GOOD, criteria)
    with pytest.raises(UserError, match="Unknown language mode"):
        api.write_report_pdf(criteria, result, tmp_path / "r.pdf", mode=mode)  # type: ignore[arg-type]
    with pytest.raises(UserError, match="Unknown language mode"):
        api.write_questionnaire(tmp_path / "q.yaml", mode=mode, criteria_dir=MINI)  # type: ignore[arg-type]
    with pytest.raises(UserError, match="Unknown language mode"):
        api.write_report(GOOD, tmp_path / "r.pdf", mode=mode, criteria_dir=MINI)  # type: ignore[arg-type]
    assert not list(tmp_path.iterdir())


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs Linux /proc")
def test_an_output_the_system_refuses_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserError, match=r"Cannot write /proc/assess-x\.pdf"):
        api.write_report(GOOD, "/proc/assess-x.pdf", criteria_dir=MINI)
    with pytest.raises(UserError, match=r"Cannot write /proc/assess-x\.yaml"):
        api.write_questionnaire("/proc/assess-x.yaml", criteria_dir=MINI)


def test_write_report_refuses_to_overwrite_its_input(tmp_path: Path) -> None:
    firm = tmp_path / "firm.yaml"
    firm.write_bytes(GOOD.read_bytes())
    with pytest.raises(UserError, match="same file as an input") as refused:
        api.write_report(firm, firm, criteria_dir=MINI)
    assert "same file as the input" in refused.value.problems[0].message
    assert firm.read_bytes() == GOOD.read_bytes()


def test_write_questionnaire_refuses_an_existing_file_unless_forced(tmp_path: Path) -> None:
    out = tmp_path / "response.yaml"
    out.write_text("kept\n", encoding="utf-8")
    with pytest.raises(UserError, match="Will not overwrite"):
        api.write_questionnaire(out, "yaml", criteria_dir=MINI)
    assert out.read_text(encoding="utf-8") == "kept\n"
    api.write_questionnaire(out, "yaml", criteria_dir=MINI, force=True)
    assert out.read_text(encoding="utf-8") != "kept\n"


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs Linux /proc")
def test_a_set_of_outputs_is_written_whole_or_not_at_all(tmp_path: Path) -> None:
    kept = tmp_path / "kept.txt"
    kept.write_text("old", encoding="utf-8")
    with pytest.raises(UserError, match="Cannot write /proc/assess-x"):
        write_all_atomic([(kept, b"new"), (tmp_path / "new.txt", b"new"), ("/proc/assess-x", b"new")])
    assert kept.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.txt"]  # no temp file left either


def test_a_response_saved_as_json_reads_back_as_the_yaml_one(tmp_path: Path) -> None:
    import yaml

    criteria = api.load_criteria(MINI)
    data = yaml.safe_load(GOOD.read_text(encoding="utf-8"))
    save_response(data, tmp_path / "firm.json")
    save_response(data, tmp_path / "firm.yaml")
    assert json.loads((tmp_path / "firm.json").read_text(encoding="utf-8"))["firm"]["assessment_date"] == "2026-11-01"
    from_json = api.score_file(tmp_path / "firm.json", criteria)
    from_yaml = api.score_file(tmp_path / "firm.yaml", criteria)
    assert from_json.overall == from_yaml.overall and from_json.themes == from_yaml.themes
    with pytest.raises(UserError, match="Cannot save a response as"):
        save_response(data, tmp_path / "firm.txt")


def test_a_batch_runs_from_python_and_lists_a_bad_input_without_stopping(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "good.yaml").write_bytes(GOOD.read_bytes())
    (inputs / "broken.yaml").write_text("firm: [unclosed\n", encoding="utf-8")
    summary = api.run_batch([str(inputs)], str(tmp_path / "out"), pdf=False, jobs=1, criteria_dir=str(MINI))
    assert summary.scored == 1 and summary.failed_inputs == 1 and not summary.ok
    assert [e.input for e in summary.errors] == [str(inputs / "broken.yaml")]
    lines = (tmp_path / "out" / "results.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["result"]["criteria"]["id"] == "mini"
    with pytest.raises(UserError, match="Unknown language mode"):
        api.run_batch([inputs], tmp_path / "out2", mode="fr", criteria_dir=MINI)  # type: ignore[arg-type]
