"""HTML -> PDF with WeasyPrint: safe fetching, one font configuration per process, metadata, attachment.

WeasyPrint costs about a second to import, so it is imported here, on first use, and only by
code that writes a PDF.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from assess.errors import Problem, UserError

PdfVariant = Literal["pdf/a-3b"]


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

    return FontConfiguration()


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
    document = weasyprint.HTML(string=html, base_url=base, url_fetcher=fetcher)
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
        raise UserError(
            "The PDF could not be rendered", [Problem("weasyprint", f"{type(exc).__name__}: {exc}")]
        ) from exc
    assert isinstance(pdf, bytes)
    return pdf
