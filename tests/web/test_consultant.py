"""The consultant's path: invites, every submission with its status, each PDF, the cohort outputs."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from tests.web.conftest import Visitor, csrf_of


def invite(client: TestClient, visitor: Visitor, firm: str) -> str:
    response = client.post("/consultant/invites", data={"csrf": visitor.consultant_csrf(), "firm": firm})
    assert response.status_code == 200
    found = re.search(
        r'<input type="text" readonly value="(http[^"]+/a/([A-Za-z0-9_-]{43}))" id="created-link"', response.text
    )
    assert found, "the new invite's link is shown"
    return found.group(2)


def test_invites_submissions_and_downloads(client: TestClient, visitor: Visitor, tmp_path: Path) -> None:
    assert visitor.login().status_code == 303
    assert 'id="no-assessments"' in client.get("/consultant").text
    assert client.get("/consultant/cohort.pdf").status_code == 404  # nobody submitted yet

    # Two invited firms: one submits, one stays a draft; and one firm that started on its own.
    tokens = [invite(client, visitor, name) for name in ("Alpha Trading Co.", "Beta Foods Ltd.")]
    with TestClient(client.app) as exporter:
        firm = Visitor(exporter)
        profile = exporter.get(f"/a/{tokens[0]}/profile").text
        assert 'value="Alpha Trading Co."' in profile  # the invite pre-labels the firm name
        firm.profile(tokens[0], name="Alpha Trading Co.")
        firm.answer_all(tokens[0])
        assert firm.submit(tokens[0]).status_code == 303
        firm.profile(tokens[1], name="Beta Foods Ltd.")
        firm.save(tokens[1], "A-01", 2)
        own = firm.start()
        firm.profile(own, name="Gamma Crafts")
        firm.answer_all(
            own, {"A-01": 1, "A-02": "none", "A-03": "no", "B-01": 12, "B-02": ["y"], "B-03": 0, "B-04": False}
        )
        assert firm.submit(own).status_code == 303

    page = client.get("/consultant").text
    assert page.count('class="status-submitted') == 2 and page.count('class="status-draft') == 1
    assert "Alpha Trading Co." in page and "Beta Foods Ltd." in page and "Gamma Crafts" in page
    assert 'id="submitted-count">2<' in page
    assert re.search(r"Beta Foods Ltd\..*?(\d+)%", page, re.S)
    pdf_links = re.findall(r'href="(/consultant/assessments/\d+/report\.pdf)"', page)
    assert len(pdf_links) == 2
    for link in pdf_links:
        pdf = client.get(link)
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.get("/consultant/assessments/999/report.pdf").status_code == 404

    rows = list(csv.DictReader(io.StringIO(client.get("/consultant/summary.csv").content.decode("utf-8-sig"))))
    assert sorted(r["firm"] for r in rows) == ["Alpha Trading Co.", "Gamma Crafts"]
    assert {r["rank"] for r in rows} == {"1", "2"}
    assert all(r["input"].startswith("web-") for r in rows)  # never the private token

    xlsx = client.get("/consultant/summary.xlsx")
    assert xlsx.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    assert sorted(str(sheet.cell(row=r, column=2).value) for r in (2, 3)) == ["Alpha Trading Co.", "Gamma Crafts"]

    cohort = client.get("/consultant/cohort.pdf")
    assert cohort.status_code == 200 and cohort.content.startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "cohort.pdf"
    path.write_bytes(cohort.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Alpha Trading Co." in text and "Gamma Crafts" in text and "Beta Foods" not in text


def test_an_empty_invite_name_creates_nothing(client: TestClient, visitor: Visitor) -> None:
    visitor.login()
    client.post("/consultant/invites", data={"csrf": visitor.consultant_csrf(), "firm": "   "})
    assert 'id="no-assessments"' in client.get("/consultant").text


def test_the_login_form_is_only_for_visitors_without_a_session(client: TestClient, visitor: Visitor) -> None:
    visitor.login()
    assert client.get("/consultant/login", follow_redirects=False).headers["location"] == "/consultant"
    assert csrf_of(client.get("/consultant").text)


def _firms_shown(html: str) -> list[str]:
    return re.findall(r'<div class="firm">([^<]*)</div>', html)


def test_the_table_finds_and_sorts_firms(client: TestClient, visitor: Visitor) -> None:
    """With many firms a consultant searches by name, narrows by status and sorts by score, without a script."""
    assert visitor.login().status_code == 303
    tokens = {name: invite(client, visitor, name) for name in ("Alpha Trading Co.", "Ｂｅｔａ Foods", "宁波甲工艺品")}
    with TestClient(client.app) as exporter:
        firm = Visitor(exporter)
        for name, answers in (
            ("Alpha Trading Co.", None),
            (
                "宁波甲工艺品",
                {"A-01": 1, "A-02": "none", "A-03": "no", "B-01": 12, "B-02": ["y"], "B-03": 0, "B-04": False},
            ),
        ):
            firm.profile(tokens[name], name=name)
            firm.answer_all(tokens[name], answers)
            assert firm.submit(tokens[name]).status_code == 303

    everything = client.get("/consultant").text
    assert _firms_shown(everything) == ["宁波甲工艺品", "Ｂｅｔａ Foods", "Alpha Trading Co."]  # newest first
    assert 'id="shown-count"' in everything and "3 / 3" in everything

    found = client.get("/consultant", params={"q": "  beta  "}).text  # as people type it: full width, case, spaces
    assert _firms_shown(found) == ["Ｂｅｔａ Foods"] and "1 / 3" in found
    assert 'value="beta"' in found  # the search stays in its box
    assert _firms_shown(client.get("/consultant", params={"status": "draft"}).text) == ["Ｂｅｔａ Foods"]
    by_score = client.get("/consultant", params={"sort": "score"}).text
    assert _firms_shown(by_score) == ["Alpha Trading Co.", "宁波甲工艺品", "Ｂｅｔａ Foods"]  # drafts last
    assert '<option value="score" selected>' in by_score
    assert _firms_shown(client.get("/consultant", params={"sort": "firm"}).text)[0] == "Alpha Trading Co."
    nothing = client.get("/consultant", params={"q": "<script>"}).text
    assert 'id="no-matches"' in nothing and "<script>" not in nothing
    # Unknown choices show everything, newest first, rather than an error.
    odd = client.get("/consultant", params={"status": "x", "sort": "y"})
    assert odd.status_code == 200 and len(_firms_shown(odd.text)) == 3
    assert 'value="Beta"' in client.get("/consultant", params={"q": "Be\x00ta\x1b"}).text  # no control characters


def test_a_label_and_its_value_are_joined_by_the_languages_colon(client: TestClient, visitor: Visitor) -> None:
    """Chinese text takes the full-width colon: "已提交企业：0", not "已提交企业: 0"."""
    token = visitor.start("zh")
    assert visitor.login().status_code == 303
    expected = {"zh": ("已提交企业：<strong", "状态：<strong"), "en": ("Firms submitted: <strong", "Status: <strong")}
    for lang, (count, status) in expected.items():
        client.get(f"/lang/{lang}")
        consultant, overview = client.get("/consultant").text, client.get(f"/a/{token}").text
        assert count in consultant and status in overview, lang
        if lang == "zh":
            assert not re.search(r"[\u4e00-\u9fff]: ", consultant + overview)
