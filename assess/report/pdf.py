"""HTML -> PDF with WeasyPrint: safe fetching, one font configuration per process, metadata, attachment.

WeasyPrint costs about a second to import, so it is imported here, on first use, and only by
code that writes a PDF.
"""

from __future__ import annotations

import atexit
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from assess.errors import Problem, UserError
from assess.messages import say

PdfVariant = Literal["pdf/a-3b"]

# WeasyPrint's HTML user-agent stylesheet has five rules, `::footnote-call` ... `::note-callback`, that
# match every element: WeasyPrint then computes five extra styles per element (~11,000 per bilingual
# report, ~7 % of its rendering time). They only style elements with `float: footnote` or
# `position: note()`, so a document that cannot contain those is rendered without the five rules.
_NOTE_RULES = re.compile(r"^::(?:footnote|note)-(?:call|marker|callback) \{[^}\n]*\}\n", re.MULTILINE)
_NOTE_RULE_COUNT = 5
_MAY_USE_NOTES = re.compile(r"footnote|note\(|<link\b[^>]*\bstylesheet\b|@import", re.IGNORECASE)


@dataclass(frozen=True)
class Attachment:
    """A file embedded in the PDF (the scoring result as JSON)."""

    name: str
    data: bytes
    description: str


@cache
def _font_configuration() -> Any:
    """One FontConfiguration per process: building it per PDF wastes time (see docs/performance.md)."""
    from weasyprint.text.fonts import FontConfiguration

    # Dropped before the interpreter tears modules down: its __del__ cleans up with module globals.
    atexit.register(_font_configuration.cache_clear)
    return FontConfiguration()


@cache
def _lean_html_class() -> Any:
    """weasyprint.HTML with the user-agent stylesheet minus its note rules, or plain HTML if that fails.

    Relies on WeasyPrint internals (`HTML._ua_stylesheets`, `weasyprint.html.UA`): when a version
    changes them, this falls back to the full stylesheet, which is only slower.
    """
    import weasyprint
    from weasyprint import html as wp_html

    full, text = getattr(wp_html, "UA_STYLESHEET", None), getattr(wp_html, "UA", None)
    if full is None or not isinstance(text, str) or not hasattr(weasyprint.HTML, "_ua_stylesheets"):
        return weasyprint.HTML
    lean_text, count = _NOTE_RULES.subn("", text)
    if count != _NOTE_RULE_COUNT:
        return weasyprint.HTML
    lean = weasyprint.CSS(string=lean_text, counter_style=getattr(wp_html, "UA_COUNTER_STYLE", None))

    class LeanHTML(weasyprint.HTML):  # type: ignore[misc]
        def _ua_stylesheets(self, forms: bool = False) -> list[Any]:
            return [lean if sheet is full else sheet for sheet in super()._ua_stylesheets(forms)]

    return LeanHTML


def html_class_for(html: str) -> Any:
    """The WeasyPrint HTML class to render `html` with: the lean one unless it may use footnotes or notes."""
    import weasyprint

    return weasyprint.HTML if _MAY_USE_NOTES.search(html) else _lean_html_class()


def html_to_pdf(
    html: str,
    *,
    allowed_folders: list[Path],
    attachments: list[Attachment] = (),  # type: ignore[assignment]
    variant: PdfVariant | None = None,
) -> bytes:
    """Render HTML to PDF bytes, fetching nothing outside `allowed_folders`."""
    import weasyprint

    from assess.report.fetcher import SafeURLFetcher

    fetcher = SafeURLFetcher(allowed_folders)
    fonts = _font_configuration()
    base = allowed_folders[0].as_uri() + "/" if allowed_folders else None
    document = html_class_for(html)(string=html, base_url=base, url_fetcher=fetcher)
    files = [
        weasyprint.Attachment(string=a.data, name=a.name, description=a.description, url_fetcher=fetcher)
        for a in attachments
    ]
    options: dict[str, Any] = {"attachments": files, "font_config": fonts}
    if variant is not None:
        options["pdf_variant"] = variant
    try:
        pdf = document.write_pdf(**options)
    except Exception as exc:  # WeasyPrint raises many kinds; the user needs one message
        summary = say("pdf_not_rendered")
        problem = Problem("weasyprint", f"{type(exc).__name__}: {exc}")  # WeasyPrint's own words, for a bug report
        raise UserError(str(summary), [problem], summary.in_lang("zh")) from exc
    assert isinstance(pdf, bytes)
    return pdf
