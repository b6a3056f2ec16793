"""The access log never holds an exporter's resume token."""

from __future__ import annotations

import logging

from assess.web.logs import RedactTokens, redact

TOKEN = "Zq3xV9_kLm2-Np8rTs4uWy6aBc0dEf1gHi5jKl7mNo"


def test_tokens_are_cut_from_paths_and_next_links() -> None:
    assert redact(f"/a/{TOKEN}/theme/2") == "/a/Zq3x…/theme/2"
    assert redact(f"/lang/zh?next=/a/{TOKEN}/review") == "/lang/zh?next=/a/Zq3x…/review"
    assert redact("/consultant/assessments/12/report.pdf") == "/consultant/assessments/12/report.pdf"


def test_the_filter_rewrites_uvicorns_access_record() -> None:
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "POST", f"/a/{TOKEN}/answer", "1.1", 200),
        None,
    )
    assert RedactTokens().filter(record)
    assert TOKEN not in record.getMessage() and "/a/Zq3x…/answer" in record.getMessage()
