"""The server's access log without the exporters' resume tokens.

An assessment's token is its only key (`/a/<token>/...`): whoever reads it can open and change the
firm's answers.  Uvicorn logs every request line, so the token is cut from each line before it is
written (its first four characters stay, enough to tell requests of one assessment apart).
"""

from __future__ import annotations

import logging
import re

_TOKEN = re.compile(r"(/a/[A-Za-z0-9_-]{4})[A-Za-z0-9_-]{12,}")


def redact(text: str) -> str:
    """`text` with every `/a/<token>` shortened to `/a/<first four>…`."""
    return _TOKEN.sub(r"\1…", text)


class RedactTokens(logging.Filter):
    """A filter for uvicorn's access logger: the request line's path loses its tokens."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact(arg) if isinstance(arg, str) else arg for arg in record.args)
        elif isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True


def redact_access_log() -> None:
    """Install the filter on uvicorn's access logger (after uvicorn has configured its logging)."""
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, RedactTokens) for f in access.filters):
        access.addFilter(RedactTokens())
