"""Read a file as text the safe way: size-limited, UTF-8 with or without BOM, any line ends.

An empty, binary or wrongly-encoded file gets one clear message instead of a decoder traceback.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from assess.errors import InputFileError
from assess.messages import Message, say, unreadable

MAX_BYTES = 20 * 1024 * 1024


def read_bytes(path: Path, limit: int = MAX_BYTES, name: str | None = None) -> bytes:
    """The file's bytes, refusing missing, unreadable and oversized files with a message.

    One open, one fstat and (usually) one read: a batch reads thousands of small files.
    """
    source: Path | str = name or path
    try:
        # Not blocking in open: a FIFO with no writer would hang here for ever.  Its reads then block as usual
        # (a pipe from another program is read to its end), and with no writer one read says "empty".
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                os.set_blocking(fd, True)
            size = info.st_size
            if size > limit:
                raise _fail(source, say("file_too_big", size=size // 1024 // 1024, limit=limit // 1024 // 1024))
            data = os.read(fd, size + 1)  # a short read is the end of a regular file
            if len(data) > size:  # it grew while being read: take the rest, up to the limit
                chunks = [data]
                while (chunk := os.read(fd, 1 << 16)) and sum(map(len, chunks)) <= limit:
                    chunks.append(chunk)
                data = b"".join(chunks)
                if len(data) > limit:
                    megabytes = len(data) // 1024 // 1024
                    raise _fail(source, say("file_too_big", size=megabytes, limit=limit // 1024 // 1024))
            return data
        finally:
            os.close(fd)
    except FileNotFoundError:
        raise _fail(source, say("no_such_file")) from None
    except IsADirectoryError:
        raise _fail(source, say("is_a_folder")) from None
    except PermissionError:
        raise _fail(source, say("permission_denied")) from None


def decode_text(data: bytes, source: str) -> str:
    """UTF-8 text with BOM removed and CRLF/CR turned into LF."""
    if not data.strip():
        raise _fail(source, say("file_empty"))
    if b"\x00" in data[:8192]:
        raise _fail(source, say("file_binary"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _fail(source, say("not_utf8", line=line)) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text(path: Path, name: str | None = None) -> str:
    """Decoded text of a file; `name` is how messages refer to it (the file name by default)."""
    return decode_text(read_bytes(path, name=name), name or path.name)


def _fail(source: Path | str, message: Message) -> InputFileError:
    return unreadable(source.name if isinstance(source, Path) else source, message)
