"""A WeasyPrint URL fetcher that never touches the network and reads only our own folders.

Report content comes from untrusted files.  WeasyPrint's default fetcher would follow
`http://` links and read (even embed) any local file an `<img>`, `<link rel=attachment>` or
CSS `url()` names.  This one serves `data:` URLs and files whose resolved path lies inside
the allowed folders (templates, brand, fonts); everything else is refused.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

_TYPES = {".ttf": "font/ttf", ".otf": "font/otf", ".woff": "font/woff", ".woff2": "font/woff2", ".svg": "image/svg+xml"}


class RefusedURLError(ValueError):
    """A URL outside what the report may load; WeasyPrint logs it and goes on without it."""


class SafeURLFetcher(URLFetcher):  # type: ignore[misc]
    """Serves data: URLs and files under `allowed` folders; refuses everything else."""

    def __init__(self, allowed: list[Path]) -> None:
        super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False)
        self.allowed = [folder.resolve() for folder in allowed]
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = Path(unquote(urlsplit(url).path)).resolve()
            if any(path.is_relative_to(folder) for folder in self.allowed) and path.is_file():
                media = (
                    _TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                )
                return URLFetcherResponse(path.as_uri(), body=path.read_bytes(), headers={"Content-Type": media})
        self.refused.append(url)
        raise RefusedURLError(f"refused to fetch {url}")
