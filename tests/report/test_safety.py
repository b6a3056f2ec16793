"""Untrusted text in reports stays text: escaped, and nothing named in it is fetched or embedded."""

from __future__ import annotations

import dataclasses
import http.server
import io
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from pypdf import PdfReader

from assess.models.criteria import CriteriaSet
from assess.models.result import ScoreResult
from assess.report.fetcher import RefusedURLError, SafeURLFetcher
from assess.report.fonts import check_rendering_setup
from assess.report.render import RESULT_ATTACHMENT, ReportOptions, render_report, report_html
from tests.report.conftest import pdf_text


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        _Recorder.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    _Recorder.hits = []
    httpd = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def hostile(result: ScoreResult, url: str) -> ScoreResult:
    name = f'<img src="file:///etc/passwd"><img src="{url}/name.png"> Evil & Co.'
    note = f'<link rel="attachment" href="file:///etc/passwd"><style>@import "{url}/x.css";</style>{url}/note'
    questions = [dataclasses.replace(q, note=note) if q.id == "QM-01" else q for q in result.questions]
    return result.model_copy(update={"firm": result.firm.model_copy(update={"name": name}), "questions": questions})


def test_markup_in_answers_is_text_and_nothing_is_fetched(
    criteria: CriteriaSet, strong: ScoreResult, server: str, tmp_path: Path
) -> None:
    result = hostile(strong, server)
    html = report_html(criteria, result, ReportOptions(mode="en"), check_rendering_setup())
    assert '<img src="file:///etc/passwd">' not in html
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in html
    pdf = render_report(criteria, result, ReportOptions(mode="en"))
    assert _Recorder.hits == []
    text = pdf_text(pdf, tmp_path)
    assert "Evil & Co." in text and "file:///etc/passwd" in text
    assert list(PdfReader(io.BytesIO(pdf)).attachments) == [RESULT_ATTACHMENT]
    assert b"root:x:0:0" not in pdf


def test_fetcher_serves_only_allowed_folders(tmp_path: Path, server: str) -> None:
    allowed = tmp_path / "templates"
    allowed.mkdir()
    (allowed / "logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    fetcher = SafeURLFetcher([allowed])
    response = fetcher.fetch((allowed / "logo.svg").as_uri())
    assert response.content_type == "image/svg+xml"
    assert fetcher.fetch("data:text/plain,hi").read() == b"hi"
    for url in ("file:///etc/passwd", f"{server}/x.png", (allowed / ".." / "secret.txt").as_uri(), "ftp://x/y"):
        with pytest.raises(RefusedURLError):
            fetcher.fetch(url)
    assert _Recorder.hits == []
