"""Kobo / ODK submission exports read back into response data: round trip from seeds, errors, encodings."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml

from assess.api import load_response, score
from assess.errors import InputFileError, ResponseError
from assess.models.answers import ValidatedResponse
from assess.models.criteria import CriteriaSet, LevelQuestion, MultiChoiceQuestion, NumberQuestion
from assess.models.response import Response
from assess.questionnaire.xlsform import (
    FIRM_GROUP,
    has_note,
    na_choice_name,
    na_field,
    note_field,
    target_field,
    theme_group_name,
)
from assess.readers.submissions import Submission, read_submissions, submission_file_name
from assess.validation import validate_response

REPO = Path(__file__).resolve().parents[2]
SEEDS = ("hongyi-auto", "guxian-foods")
META_BEFORE = ["start", "end", "today"]
META_AFTER = [
    "meta/instanceID",
    "_id",
    "_uuid",
    "_submission_time",
    "_validation_status",
    "_notes",
    "_status",
    "_submitted_by",
    "__version__",
    "_tags",
    "_index",
]
Prefix = Callable[[str, str], str]  # (group, field) -> column header


def kobo_prefix(group: str, field: str) -> str:
    return f"{group}/{field}"


def kobo_group_prefix(group: str, field: str) -> str:
    """KoboToolbox shows groups named as in the form; a form edited in Kobo's builder names them group_xxx."""
    return f"group_{group.removeprefix('theme-')}/{field}"


def central_prefix(group: str, field: str) -> str:
    """ODK Central joins group and field names with a hyphen."""
    return f"{group}-{field}"


@pytest.fixture(scope="module")
def seeds(default_criteria: CriteriaSet) -> list[ValidatedResponse]:
    return [load_response(REPO / "seeds" / f"{name}.yaml", default_criteria) for name in SEEDS]


def cell(question: Any, answer: Any, typed: bool) -> tuple[Any, Any]:
    """(value cell, N/A tick-box cell) as Kobo exports them; `typed` keeps numbers as numbers (XLSX)."""
    if answer is None:
        return None, None
    if answer.na:
        if isinstance(question, NumberQuestion):
            return None, "na"
        return na_choice_name(question), None
    value = answer.value
    if isinstance(value, bool):
        return ("yes" if value else "no"), None
    if isinstance(value, tuple):
        return " ".join(value), None
    if isinstance(value, int | float) and not isinstance(question, LevelQuestion):
        return (value if typed else repr(value)), None
    return str(value), None


def kobo_table(
    criteria: CriteriaSet, responses: list[ValidatedResponse], prefix: Prefix = kobo_prefix, typed: bool = False
) -> tuple[list[str], list[list[Any]]]:
    """A Kobo-style export: metadata, firm group, theme groups (with split select_multiple columns), metadata."""
    header = list(META_BEFORE)
    firm_fields = ["firm_name", "credit_code", "industry", "markets", "assessment_date", "assessor"]
    header += [prefix(FIRM_GROUP, f) for f in firm_fields] + ["criteria_id"]
    question_columns: list[tuple[str, str, str]] = []  # (qid, role, header)
    for theme in criteria.themes:
        group = theme_group_name(theme.id)
        for q in theme.questions:
            if isinstance(q, NumberQuestion) and q.na_allowed:
                question_columns.append((q.id, "na", prefix(group, na_field(q.id))))
            question_columns.append((q.id, "value", prefix(group, q.id)))
            if isinstance(q, MultiChoiceQuestion):  # Kobo adds one 0/1 column per option
                question_columns += [(q.id, f"split:{o.id}", prefix(group, f"{q.id}/{o.id}")) for o in q.options]
            if isinstance(q, LevelQuestion):
                question_columns.append((q.id, "target", prefix(group, target_field(q.id))))
            if has_note(q):
                question_columns.append((q.id, "note", prefix(group, note_field(q.id))))
    header += [h for _, _, h in question_columns] + META_AFTER
    rows = []
    for index, response in enumerate(responses):
        firm = response.firm
        date: Any = dt.datetime.combine(firm.assessment_date, dt.time()) if typed else firm.assessment_date.isoformat()
        row: list[Any] = ["2026-11-20T09:00:00.000+08:00", "2026-11-20T10:30:00.000+08:00", "2026-11-20"]
        row += [firm.name, firm.credit_code, firm.industry, " ".join(firm.markets), date, firm.assessor]
        row += [criteria.id]
        for qid, role, _ in question_columns:
            question = criteria.questions[qid]
            answer = response.answers.get(qid)
            value, na = cell(question, answer, typed)
            if role == "value":
                row.append(value)
            elif role == "na":
                row.append(na)
            elif role == "note":
                row.append(answer.note if answer else None)
            elif role == "target":
                target = answer.target if answer else None
                row.append(None if target is None else (int(target) if typed else str(int(target))))
            else:
                chosen = answer is not None and isinstance(answer.value, tuple) and role[6:] in answer.value
                row.append("1" if chosen else "0")
        row += [
            f"uuid:{index}",
            str(1000 + index),
            f"u-{index}",
            "2026-11-20T10:31:00",
            "",
            "",
            "",
            "",
            "v1",
            "",
            index,
        ]
        rows.append(row)
    return header, rows


def write_csv(
    path: Path, header: list[str], rows: list[list[Any]], delimiter: str = ";", encoding: str = "utf-8-sig"
) -> Path:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows([["" if v is None else v for v in row] for row in rows])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, header: list[str], rows: list[list[Any]]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "ningbo-export-quality"
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.create_sheet("other")  # only the first sheet is read
    workbook.save(path)
    return path


def validated(criteria: CriteriaSet, submission: Submission) -> ValidatedResponse:
    response = Response.model_validate(submission.data)
    return validate_response(criteria, response, lambda path: ".".join(map(str, path)))


def assert_round_trip(criteria: CriteriaSet, submissions: list[Submission], seeds: list[ValidatedResponse]) -> None:
    assert [s.row for s in submissions] == [2, 3]
    for submission, seed in zip(submissions, seeds, strict=True):
        assert submission.firm_name == seed.firm.name
        assert submission.data["status"] == "final"
        assert submission.data["criteria"] == criteria.id
        back = validated(criteria, submission)
        assert back.firm == seed.firm
        assert back.answers.keys() == seed.answers.keys()
        for qid, answer in seed.answers.items():
            got = back.answers[qid]
            assert (got.value, got.na, got.note, got.target) == (answer.value, answer.na, answer.note, answer.target), (
                qid
            )
        expected = score(criteria, seed)
        assert score(criteria, back).model_dump() == expected.model_dump()


def test_csv_round_trip_with_semicolons_bom_groups_and_metadata(
    tmp_path: Path, default_criteria: CriteriaSet, seeds: list[ValidatedResponse]
) -> None:
    header, rows = kobo_table(default_criteria, seeds)
    path = write_csv(tmp_path / "export.csv", header, rows)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    submissions = read_submissions(path, default_criteria)
    assert_round_trip(default_criteria, submissions, seeds)
    guxian = submissions[1].data["answers"]
    assert guxian["TR-09"]["value"] == "N/A" and guxian["TR-09"]["note"].startswith("出口美国")
    assert submissions[0].data["answers"]["BR-02"] == ["china", "madrid", "eu", "us", "other_main_markets"]
    assert submissions[0].data["answers"]["QC-09"] == {"value": 4, "note": "8D平均关闭周期18天，重复投诉率逐年下降"}


def test_xlsx_round_trip_with_typed_cells(
    tmp_path: Path, default_criteria: CriteriaSet, seeds: list[ValidatedResponse]
) -> None:
    header, rows = kobo_table(default_criteria, seeds, kobo_group_prefix, typed=True)
    submissions = read_submissions(write_xlsx(tmp_path / "export.xlsx", header, rows), default_criteria)
    assert_round_trip(default_criteria, submissions, seeds)
    assert submissions[0].data["firm"]["assessment_date"] == "2026-10-15"


def test_odk_central_headers_and_commas(
    tmp_path: Path, default_criteria: CriteriaSet, seeds: list[ValidatedResponse]
) -> None:
    header, rows = kobo_table(default_criteria, seeds, central_prefix)
    path = write_csv(tmp_path / "central.csv", header, rows, delimiter=",", encoding="utf-8")
    assert_round_trip(default_criteria, read_submissions(path, default_criteria), seeds)


def test_data_saved_as_yaml_is_a_response_file(
    tmp_path: Path, default_criteria: CriteriaSet, seeds: list[ValidatedResponse]
) -> None:
    header, rows = kobo_table(default_criteria, seeds)
    submissions = read_submissions(write_csv(tmp_path / "export.csv", header, rows), default_criteria)
    for submission, seed in zip(submissions, seeds, strict=True):
        target = tmp_path / submission_file_name(submission)
        target.write_text(yaml.safe_dump(submission.data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        loaded = load_response(target, default_criteria)
        assert score(default_criteria, loaded).overall == score(default_criteria, seed).overall


def test_gb18030_csv(tmp_path: Path, default_criteria: CriteriaSet, seeds: list[ValidatedResponse]) -> None:
    header, rows = kobo_table(default_criteria, seeds)
    path = write_csv(tmp_path / "export.csv", header, rows, delimiter=",", encoding="gb18030")
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    submissions = read_submissions(path, default_criteria)
    assert [s.firm_name for s in submissions] == ["宁波鸿屹汽车部件股份有限公司", "宁波谷鲜食品有限公司"]
    assert_round_trip(default_criteria, submissions, seeds)


def column(header: list[str], name: str) -> int:
    return next(i for i, h in enumerate(header) if h.endswith("/" + name))


def test_bad_values_name_row_column_and_question(
    tmp_path: Path, default_criteria: CriteriaSet, seeds: list[ValidatedResponse]
) -> None:
    header, rows = kobo_table(default_criteria, seeds)
    rows[0][column(header, "TBT-01")] = "7"
    rows[1][column(header, "BR-02")] = "none china"
    rows[1][column(header, "credit_code")] = "91330281MA2GW4N73X"
    rows[1][column(header, "TR-01_target")] = "9"
    with pytest.raises(ResponseError) as caught:
        read_submissions(write_csv(tmp_path / "export.csv", header, rows), default_criteria)
    error = caught.value
    assert "2 submissions do not fit" in error.summary
    by_place = {p.location: p for p in error.problems}
    level = by_place["export.csv row 2, column theme-tbt/TBT-01"]
    assert level.question_id == "TBT-01"
    assert '"7" is not one of: 0, 1, 2, 3, 4' in level.message
    multi = by_place["export.csv row 3, column theme-brand/BR-02"]
    assert multi.question_id == "BR-02" and "cannot be combined" in multi.message
    target = by_place["export.csv row 3, column theme-traceability/TR-01_target"]
    assert target.question_id == "TR-01" and "target must be a level from 0 to 4" in target.message
    code = by_place["export.csv row 3, column firm/credit_code"]
    assert "check character" in code.message
    assert "export.csv row 2, column theme-tbt/TBT-01" in str(error)


def test_number_not_applicable_and_its_note(
    tmp_path: Path, default_criteria: CriteriaSet, seeds: list[ValidatedResponse]
) -> None:
    header, rows = kobo_table(default_criteria, seeds)
    rows[0][column(header, "EP-01")] = ""
    rows[0][column(header, "EP-01_na")] = "na"
    rows[0][column(header, "EP-01_note")] = "No inspected batches this year"
    submissions = read_submissions(write_csv(tmp_path / "export.csv", header, rows), default_criteria)
    assert submissions[0].data["answers"]["EP-01"] == {"value": "N/A", "note": "No inspected batches this year"}
    assert validated(default_criteria, submissions[0]).answers["EP-01"].na
    rows[0][column(header, "EP-01_note")] = ""
    with pytest.raises(ResponseError) as caught:
        read_submissions(write_csv(tmp_path / "export.csv", header, rows), default_criteria)
    [problem] = caught.value.problems
    assert problem.question_id == "EP-01" and "row 2" in problem.location and "note" in problem.message


def test_missing_required_answer_makes_a_draft(
    tmp_path: Path, default_criteria: CriteriaSet, seeds: list[ValidatedResponse]
) -> None:
    header, rows = kobo_table(default_criteria, seeds)
    rows[1][column(header, "BR-04")] = ""
    rows.append([None] * len(header))  # a blank line is skipped
    submissions = read_submissions(write_csv(tmp_path / "export.csv", header, rows), default_criteria)
    assert [s.data["status"] for s in submissions] == ["final", "draft"]
    assert "BR-04" not in submissions[1].data["answers"]
    assert validated(default_criteria, submissions[1]).status == "draft"


def test_missing_columns_and_unreadable_files(
    tmp_path: Path, default_criteria: CriteriaSet, seeds: list[ValidatedResponse]
) -> None:
    header, rows = kobo_table(default_criteria, seeds)
    keep = [i for i, h in enumerate(header) if h not in ("firm/industry", "firm/assessment_date")]
    path = write_csv(tmp_path / "partial.csv", [header[i] for i in keep], [[r[i] for i in keep] for r in rows])
    with pytest.raises(InputFileError) as caught:
        read_submissions(path, default_criteria)
    assert "partial.csv" in str(caught.value)
    assert "missing columns: industry, assessment_date" in str(caught.value)

    labels = write_csv(tmp_path / "labels.csv", ["企业名称", "行业", "BR-01 ..."], [["x", "y", "z"]])
    with pytest.raises(InputFileError, match="no question columns"):
        read_submissions(labels, default_criteria)

    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(InputFileError, match=r"Cannot read empty\.csv"):
        read_submissions(empty, default_criteria)

    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0" + b"\x01" * 100)
    with pytest.raises(InputFileError) as caught:
        read_submissions(old, default_criteria)
    assert "XLSX or CSV" in str(caught.value)

    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(InputFileError, match=r"broken\.xlsx"):
        read_submissions(broken, default_criteria)

    with pytest.raises(InputFileError, match="no such file"):
        read_submissions(tmp_path / "nowhere.csv", default_criteria)


def submission(name: str, code: str | None = None, row: int = 5) -> Submission:
    return Submission(row=row, firm_name=name, data={"firm": {"name": name, "credit_code": code}})


@pytest.mark.parametrize(
    ("name", "code", "expected"),
    [
        ("Example Crafts Co.", None, "example-crafts-co-row5.yaml"),
        ("宁波鸿屹汽车部件股份有限公司", "913302121440758328", "913302121440758328-row5.yaml"),
        ("宁波鸿屹汽车部件股份有限公司", None, "firm-row5.yaml"),
        ("CON", None, "firm-con-row5.yaml"),
        ("../../etc/passwd", None, "etc-passwd-row5.yaml"),
        (".hidden", None, "hidden-row5.yaml"),
        ("Ünïcödé Trading Ltd", None, "unicode-trading-ltd-row5.yaml"),
        ("x" * 300, None, "x" * 48 + "-row5.yaml"),
    ],
)
def test_submission_file_name(name: str, code: str | None, expected: str) -> None:
    file_name = submission_file_name(submission(name, code))
    assert file_name == expected
    assert "/" not in file_name and "\\" not in file_name and not file_name.startswith(".")
    assert file_name.isascii()
