"""The one exception family of assess.

User errors (bad files, bad answers, bad criteria) carry a list of problems, each
with a location a person can find, and are shown without a traceback.  Internal
errors are bugs in assess itself.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input, and where it is."""

    location: str
    message: str
    question_id: str | None = None
    severity: str = "error"  # "error" or "warning"
    message_zh: str | None = None  # the message in Chinese, where assess has the words for it

    def message_in(self, lang: str) -> str:
        """The message in `lang` ("zh" or "en"); English when there is no Chinese."""
        return self.message_zh if lang == "zh" and self.message_zh else self.message

    def shown(self, lang: str = "en") -> str:
        """`location: message`, the message in `lang` where there is one."""
        where = f"{self.location}: " if self.location else ""
        return f"{where}{self.message_in(lang)}"

    def __str__(self) -> str:
        return self.shown()


class AssessError(Exception):
    """Base of every exception assess raises on purpose."""


class UserError(AssessError):
    """Something the user can fix: every problem found, not just the first."""

    def __init__(self, summary: str, problems: list[Problem] | None = None, summary_zh: str | None = None) -> None:
        super().__init__(summary)
        self.summary = summary
        self.summary_zh = summary_zh  # the summary in Chinese, where assess has the words for it
        self.problems: list[Problem] = list(problems or [])

    def summary_in(self, lang: str) -> str:
        return self.summary_zh if lang == "zh" and self.summary_zh else self.summary

    def __str__(self) -> str:
        lines = [self.summary, *(f"  {p}" for p in self.problems)]
        return "\n".join(lines)


class InputFileError(UserError):
    """A file could not be read at all (missing, empty, binary, wrong encoding, bad syntax)."""


class CriteriaError(UserError):
    """A criteria set is malformed or inconsistent."""


class ResponseError(UserError):
    """A response (a firm's answers) does not fit its criteria set."""


class InternalError(AssessError):
    """A bug in assess: an invariant that should always hold did not."""
