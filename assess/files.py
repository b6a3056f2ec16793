"""Writing outputs atomically: a temp file in the same folder, then a rename.

An interrupted run never leaves a half-written report or sheet behind, and two runs never
write into one output folder at the same time.  A file or folder the system will not let us
write is a user error ("Cannot write <path>" and why, in both languages), never a traceback.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from assess.errors import UserError
from assess.messages import Message, said_error, say

try:  # POSIX; elsewhere the folder is not locked
    import fcntl
except ImportError:  # pragma: no cover - not on Debian
    fcntl = None  # type: ignore[assignment]

__all__ = [
    "cannot_write",
    "check_distinct_paths",
    "check_writable",
    "folder_lock",
    "make_folder",
    "os_reason",
    "probe_writable",
    "write_all_atomic",
    "write_atomic",
]

_TEMP_NAME_CHARS = 100  # of the target's name, in the temp file's name (which adds 14 characters)

_REASONS: dict[int, str] = {
    errno.ENOENT: "os_no_such_folder",
    errno.EACCES: "os_permission_denied",
    errno.EPERM: "os_permission_denied",
    errno.EISDIR: "os_is_a_folder",
    errno.ENOTDIR: "os_not_a_folder",
    errno.ENOSPC: "os_disk_full",
    errno.EDQUOT: "os_disk_full",
    errno.EROFS: "os_read_only",
    errno.ENAMETOOLONG: "os_name_too_long",
    errno.ENOTEMPTY: "os_is_a_folder",
}


def os_reason(exc: OSError) -> Message:
    """Why the system refused, in words for both languages (the system's own words in English where we have none)."""
    key = _REASONS.get(exc.errno or 0)
    detail = exc.strerror or exc.__class__.__name__
    return say(key, detail=detail) if key else say("os_other_reason", detail=detail)


def cannot_write(path: Path | str, exc: OSError) -> UserError:
    """The user error for an output the system refused: "Cannot write <path>: <why>"."""
    return said_error(say("cannot_write", name=str(path)), [(str(path), os_reason(exc))])


def _refused(path: Path | str, why: Message) -> UserError:
    return said_error(say("cannot_write", name=str(path)), [(str(path), why)])


def check_writable(path: Path | str) -> None:
    """Refuse, before any work, an output file that is a folder or whose folder cannot be one.

    Cheap checks only (nothing is created): a write can still fail later, and then says why too.
    """
    target = Path(path)
    if target.is_dir():
        raise _refused(target, say("output_is_a_folder"))
    parent = target.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if parent.exists() and not parent.is_dir():
        raise _refused(target, say("output_parent_not_a_folder", folder=str(parent)))


def check_distinct_paths(inputs: Sequence[Path | str | None], outputs: Sequence[Path | str | None]) -> None:
    """Refuse outputs that are the same file as an input or as another output (it would be overwritten).

    Paths are compared resolved (symbolic links, `..`), and existing files also by identity (hard links).
    """
    seen: list[tuple[Path, str]] = []
    clashes: list[tuple[str, Message]] = []
    for kind, paths in (("input", inputs), ("output", outputs)):
        for raw in paths:
            if raw is None:
                continue
            path = Path(raw)
            if kind == "output":
                for other, other_kind in seen:
                    if _same_file(path, other):
                        key = "output_is_input" if other_kind == "input" else "output_twice"
                        clashes.append((str(path), say(key, other=str(other))))
                        break
            seen.append((path, kind))
    if clashes:
        raise said_error(say("outputs_clash", count=len(clashes)), clashes)


def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.resolve() == b.resolve():
            return True
        return a.exists() and b.exists() and a.samefile(b)
    except (OSError, RuntimeError):  # a symlink loop, a path the system will not resolve: not provably the same
        return False


def probe_writable(path: Path | str) -> None:
    """Make sure a file can be written at `path` now (a temp file is made beside it and removed), so a long
    interactive session is not lost at its first save; a refusal is a user error naming `path`."""
    _stage(Path(path), b"").unlink(missing_ok=True)


def make_folder(folder: Path | str) -> Path:
    """Create `folder` (and its parents) if missing; a refusal is a user error naming the folder."""
    target = Path(folder)
    try:
        target.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise _refused(target, say("os_not_a_folder", detail="")) from None
    except OSError as exc:
        raise cannot_write(target, exc) from None
    return target


def write_atomic(path: Path | str, data: bytes) -> None:
    """Write `data` to `path` so readers see either the old file or the whole new one.

    Raises UserError ("Cannot write <path>" and why) when the system refuses.
    """
    write_all_atomic([(Path(path), data)])


def write_all_atomic(files: Sequence[tuple[Path | str, bytes]]) -> None:
    """Write several files as one set: every file goes to a temp file beside it first, and only when all are
    written are they renamed into place, so a refused or interrupted write leaves none of the set changed.

    Raises UserError ("Cannot write <path>" and why) when the system refuses.
    """
    staged: list[tuple[Path, Path]] = []  # (temp file, target)
    try:
        for raw, data in files:
            path = Path(raw)
            staged.append((_stage(path, data), path))
        for temp, path in staged:
            try:
                temp.replace(path)
            except OSError as exc:
                raise cannot_write(path, exc) from None
    finally:
        for temp, _ in staged:
            temp.unlink(missing_ok=True)  # nothing left of a write that did not finish


def _stage(path: Path, data: bytes) -> Path:
    """`data` in a temp file in `path`'s folder (made if missing), ready to be renamed over `path`."""
    if path.is_dir():
        raise _refused(path, say("output_is_a_folder"))
    make_folder(path.parent)
    try:
        # The temp name must fit where the target's does: a 250-character name is allowed, with 14 more it is not.
        handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name[:_TEMP_NAME_CHARS]}.", suffix=".tmp")
    except OSError as exc:
        raise cannot_write(path, exc) from None
    temp = Path(name)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        temp.chmod(0o644)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise cannot_write(path, exc) from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return temp


@contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold `folder` for one writer: a second run into it is refused (its part files would collide).

    The lock is taken on the folder itself, so nothing is left behind in it.
    """
    make_folder(folder)
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError as exc:
        raise cannot_write(folder, exc) from None
    try:
        if fcntl is not None:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise said_error(
                    say("folder_in_use", folder=str(folder)), [(str(folder), say("folder_in_use_wait"))]
                ) from None
            except OSError:
                pass  # a file system without locks (some network shares): go on unguarded, as before
        yield
    finally:
        os.close(handle)  # closing releases the lock
