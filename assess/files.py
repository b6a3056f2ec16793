"""Writing outputs atomically: a temp file in the same folder, then a rename.

An interrupted run never leaves a half-written report or sheet behind, and two runs never
write into one output folder at the same time.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from assess.errors import Problem, UserError

try:  # POSIX; elsewhere the folder is not locked
    import fcntl
except ImportError:  # pragma: no cover - not on Debian
    fcntl = None  # type: ignore[assignment]


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` so readers see either the old file or the whole new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        Path(temp).chmod(0o644)
        Path(temp).replace(path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


@contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold `folder` for one writer: a second run into it is refused (its part files would collide).

    The lock is taken on the folder itself, so nothing is left behind in it.
    """
    folder.mkdir(parents=True, exist_ok=True)
    handle = os.open(folder, os.O_RDONLY)
    try:
        if fcntl is not None:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise UserError(
                    f"Another run is writing to {folder}",
                    [Problem(str(folder), "wait until it has finished, or choose another output folder")],
                ) from None
            except OSError:
                pass  # a file system without locks (some network shares): go on unguarded, as before
        yield
    finally:
        os.close(handle)  # closing releases the lock
