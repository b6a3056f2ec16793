"""Start a new criteria set from an existing one: a consultant's own set begins as a copy.

The copy gets its own id and version 0.1.0, so results scored with it never pass for results of
the set it came from (a result names its criteria set by id, version and content hash).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from assess.errors import CriteriaError, Problem, UserError
from assess.files import cannot_write
from assess.readers.criteria_files import SET_FILE, load_criteria

_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{0,63}$")
FIRST_VERSION = "0.1.0"


def new_criteria_set(source: Path, dest: Path, new_id: str) -> Path:
    """Copy the set in `source` to `dest` (which must not exist yet) under a new id; return `dest`."""
    if not _ID.match(new_id):
        raise UserError(
            f"'{new_id}' cannot be a criteria set id",
            [Problem("--id", "a letter, then letters, digits, '.', '_' or '-' (at most 64)")],
        )
    if dest.exists():
        raise UserError(f"{dest} already exists", [Problem(str(dest), "choose a new folder: nothing is overwritten")])
    original = load_criteria(source)  # refuses a broken source before anything is written
    try:
        _copy(source, dest, new_id, f"{original.id} {original.version}")
    except OSError as exc:  # the folder cannot be made or written: nothing half-made is left behind
        if dest.is_dir() and not dest.is_symlink():
            shutil.rmtree(dest, ignore_errors=True)
        raise cannot_write(dest, exc) from None
    load_criteria(dest)
    return dest


def _copy(source: Path, dest: Path, new_id: str, origin: str) -> None:
    shutil.copytree(source, dest)
    set_file = dest / SET_FILE
    text = set_file.read_text(encoding="utf-8")
    text, ids = re.subn(r"(?m)^id:.*$", f"id: {new_id}", text, count=1)
    text, versions = re.subn(r"(?m)^version:.*$", f'version: "{FIRST_VERSION}"', text, count=1)
    if not (ids and versions):
        shutil.rmtree(dest)
        raise CriteriaError(f"{source / SET_FILE} has no top-level id or version line to change")
    note = f"# Started from criteria set {origin} with `assess criteria new`.\n"
    set_file.write_text(note + text, encoding="utf-8")
