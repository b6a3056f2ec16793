"""`assess fill` saves an answer as soon as it is given: stopping at the evidence-note prompt keeps it."""

from __future__ import annotations

import os
import select
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from assess.cli.app import app
from assess.models.criteria import CriteriaSet
from assess.questionnaire.interactive import FillLang, fill, load_partial
from tests.conftest import MINI
from tests.questionnaire.test_interactive import FIRM, TODAY, Saver, ScriptIO

runner = CliRunner()


def closed(prompt: str, io: ScriptIO) -> str:
    raise EOFError


def interrupted(prompt: str, io: ScriptIO) -> str:
    raise KeyboardInterrupt


@pytest.mark.parametrize("stop", [closed, interrupted])
def test_stopping_at_the_note_prompt_keeps_the_answer_in_the_file(
    tmp_path: Path, mini: CriteriaSet, stop: Callable[[str, ScriptIO], str]
) -> None:
    path = tmp_path / "firm.yaml"
    io = ScriptIO([*FIRM, "3"], responder=stop)
    fill(mini, None, io, "en", Saver(path), today=TODAY)
    assert io.prompts[-1] == "Evidence note (optional: Enter for none)"
    assert load_partial(path)["answers"] == {"A-01": 3}


def test_the_answer_is_in_the_file_before_the_note_is_asked(tmp_path: Path, mini: CriteriaSet) -> None:
    path = tmp_path / "firm.yaml"
    on_disk: list[object] = []

    def look(prompt: str, io: ScriptIO) -> str:
        on_disk.append(load_partial(path)["answers"].get("A-01"))  # as a killed process would leave it
        return "Quality manual rev. 4" if len(on_disk) == 1 else "q"

    saver = Saver(path)
    fill(mini, None, ScriptIO([*FIRM, "3>4"], responder=look), "en", saver, today=TODAY)
    assert on_disk[0] == {"value": 3, "target": 4}
    assert load_partial(path)["answers"]["A-01"] == {"value": 3, "note": "Quality manual rev. 4", "target": 4}
    assert [s["answers"].get("A-01") for s in saver.states[6:]] == [
        {"value": 3, "target": 4},
        {"value": 3, "note": "Quality manual rev. 4", "target": 4},
        {"value": 3, "note": "Quality manual rev. 4", "target": 4},  # the last save, with the status
    ]


def test_a_changed_answer_keeps_its_old_note_when_stopped_at_the_note_prompt(tmp_path: Path, mini: CriteriaSet) -> None:
    path = tmp_path / "firm.yaml"
    data = {"criteria": "mini", "firm": {}, "answers": {"A-01": {"value": 2, "note": "Manual"}}}
    io = ScriptIO([*FIRM, "back", "4"], responder=closed)  # A-01 answered: the run starts at A-02; back to A-01
    fill(mini, data, io, "en", Saver(path), today=TODAY)
    assert io.prompts[-1] == "Evidence note (Enter keeps the current one, - removes it)"
    assert load_partial(path)["answers"]["A-01"] == {"value": 4, "note": "Manual"}


def test_back_at_the_note_prompt_takes_the_answer_back(tmp_path: Path, mini: CriteriaSet) -> None:
    path = tmp_path / "firm.yaml"
    io = ScriptIO([*FIRM, "3", "back"], responder=closed)
    fill(mini, None, io, "en", Saver(path), today=TODAY)
    assert io.prompts[-1] == "Answer"
    assert load_partial(path)["answers"] == {}


@pytest.mark.parametrize(
    ("lang", "notice"),
    [
        ("en", "N/A is saved only together with its reason"),
        ("zh", "“不适用”须连同原因一起保存"),
    ],
)
def test_na_that_needs_a_note_is_saved_only_with_it_and_says_so(
    tmp_path: Path, mini: CriteriaSet, lang: FillLang, notice: str
) -> None:
    path = tmp_path / "firm.yaml"
    io = ScriptIO([*FIRM, "3", "", "2", "", "n/a"], responder=closed)
    fill(mini, None, io, lang, Saver(path), today=TODAY)
    assert notice in io.text
    assert load_partial(path)["answers"] == {"A-01": 3, "A-02": "some"}  # no N/A without its note


def test_the_command_keeps_the_answer_when_input_ends_at_the_note_prompt(tmp_path: Path) -> None:
    out = tmp_path / "firm.yaml"
    typed = "Acme\n\n2\n1\n2026-11-01\n\n3\n"  # the firm, then A-01; the input ends at its note prompt
    result = runner.invoke(app, ["fill", "-o", str(out), "-c", str(MINI), "--lang", "en"], input=typed)
    assert result.exit_code == 0, result.output
    assert "Evidence note (optional: Enter for none): Stopped; your progress is saved." in result.output
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["answers"] == {"A-01": 3}


@pytest.mark.skipif(sys.platform == "win32", reason="select() on a pipe")
def test_a_killed_command_at_the_note_prompt_has_saved_the_answer(tmp_path: Path) -> None:
    """As when the terminal window is closed: no chance to save on the way out."""
    out = tmp_path / "firm.yaml"
    command = [sys.executable, "-c", "from assess.cli.app import app; app()", "fill", "-o", str(out), "-c", str(MINI)]
    with subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT) as proc:
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(b"Acme\n\n2\n1\n2026-11-01\n\n3\n")
        proc.stdin.flush()  # left open: the command waits at the note prompt
        shown = b""
        deadline = time.monotonic() + 60
        while b"Evidence note" not in shown and time.monotonic() < deadline:
            if select.select([proc.stdout], [], [], 1)[0]:
                chunk = os.read(proc.stdout.fileno(), 65536)
                if not chunk:
                    break
                shown += chunk
        proc.kill()
        proc.wait()
    assert b"Evidence note" in shown, shown.decode("utf-8", "replace")
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["answers"] == {"A-01": 3}
