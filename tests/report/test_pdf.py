"""html_to_pdf renders without WeasyPrint's footnote/note user-agent rules unless the document may need them."""

from __future__ import annotations

from pathlib import Path

import pytest
import weasyprint

from assess.errors import UserError
from assess.report.fonts import check_rendering_setup
from assess.report.pdf import html_class_for, html_to_pdf
from assess.report.templating import builtin_templates
from tests.report.conftest import pdf_text


def _allowed() -> list[Path]:
    return [builtin_templates(), check_rendering_setup().folder]


def test_plain_documents_use_the_lean_user_agent_stylesheet() -> None:
    lean = html_class_for("<ul><li>质量 quality</li></ul>")
    assert lean is not weasyprint.HTML and issubclass(lean, weasyprint.HTML)  # WeasyPrint 70 internals still fit
    for may_use_notes in (
        '<p>x<span style="float: footnote">n</span></p>',
        "<style>.n { position: note(side) }</style>",
        '<link href="extra.css" rel="stylesheet">',
        "<style>@import url(extra.css);</style>",
    ):
        assert html_class_for(may_use_notes) is weasyprint.HTML


def test_lists_keep_their_markers_and_footnotes_their_calls(tmp_path: Path) -> None:
    lean = pdf_text(html_to_pdf("<ul><li>质量 quality</li></ul>", allowed_folders=_allowed()), tmp_path)
    assert "•" in lean and "质量 quality" in lean
    html = '<p>Body text<span style="float: footnote">The footnote</span></p>'
    text = pdf_text(html_to_pdf(html, allowed_folders=_allowed()), tmp_path)
    assert "Body text1" in text and "1. The footnote" in text  # the call and marker come from the UA rules


def test_a_rendering_failure_is_one_user_error_in_both_languages(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> bytes:
        raise RuntimeError("cairo ran out of paper")

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", broken)
    with pytest.raises(UserError) as info:
        html_to_pdf("<p>x</p>", allowed_folders=_allowed())
    assert info.value.summary == "The PDF could not be rendered"
    assert info.value.summary_in("zh") == "无法生成 PDF"
    assert [str(p) for p in info.value.problems] == ["weasyprint: RuntimeError: cairo ran out of paper"]
