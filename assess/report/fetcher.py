"""A WeasyPrint URL fetcher that never touches the network and reads only our own folders.

Report content comes from untrusted files.  WeasyPrint's default fetcher would follow
`http://` links and read (even embed) any local file an `<img>`, `<link rel=attachment>` or
CSS `url()` names.  This one serves `data:` URLs and files whose resolved path lies inside
the allowed folders (templates, brand, fonts); everything else is refused: another scheme, a
`file:` URL naming a host (a network share) or a relative path (it would be read from wherever
assess was started), a file that is not a regular file (a FIFO would block, a device never end),
and a file larger than any font or image a report uses.
"""

from __future__ import annotations

import mimetypes
import os
import stat
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

_TYPES = {".ttf": "font/ttf", ".otf": "font/otf", ".woff": "font/woff", ".woff2": "font/woff2", ".svg": "image/svg+xml"}
MAX_FETCH_BYTES = 64 * 1024 * 1024  # the largest file a report loads is a CJK font of some 10 MB


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
            body, path = self._read(url)
            if body is not None:
                media = (
                    _TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                )
                return URLFetcherResponse(path.as_uri(), body=body, headers={"Content-Type": media})
        self.refused.append(url)
        raise RefusedURLError(f"refused to fetch {url}")

    def _read(self, url: str) -> tuple[bytes | None, Path]:
        """The bytes of the regular file a `file:` URL names inside an allowed folder; None for any other."""
        parts = urlsplit(url)
        raw = unquote(parts.path)
        if parts.netloc not in ("", "localhost") or not raw.startswith("/"):
            return None, Path(raw)
        path = Path(raw).resolve()
        if not any(path.is_relative_to(folder) for folder in self.allowed):
            return None, path
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO would block an ordinary open
        except OSError:
            return None, path
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FETCH_BYTES:
                return None, path
            body = handle.read(MAX_FETCH_BYTES + 1)
        return (body if len(body) <= MAX_FETCH_BYTES else None), path
