"""Messages about answers, in both languages: the words live in templates/messages.yaml.

A `Message` is a key and its values; it becomes text in the reader's language only when shown,
so the library can raise one error and the web questionnaire show it in Chinese while the command
line shows English (`str(message)`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVar

from assess.errors import InputFileError, InternalError, Problem, UserError
from assess.models.common import Lang, Text
from assess.paths import data_dir
from assess.readers.safe_yaml import load_yaml

_LIST_SEPARATOR: dict[Lang, str] = {"zh": "、", "en": ", "}
E = TypeVar("E", bound=UserError)


@dataclass(frozen=True)
class Message:
    """A message key with its values; a value may be a list (joined the language's way), a Message or a Text."""

    key: str
    values: tuple[tuple[str, Any], ...] = ()

    def in_lang(self, lang: Lang) -> str:
        """The text in `lang`; with a count of 1, the message's `<key>_one` form where there is one ("1 firm")."""
        if _READING_CATALOGUE:  # a problem met while reading the catalogue itself: said plainly
            return f"{self.key} {dict(self.values)}"
        catalogue = messages()
        template = catalogue.get(self.key)
        if template is None:
            raise InternalError(f"no message '{self.key}' in templates/messages.yaml")
        if dict(self.values).get("count") == 1:
            template = catalogue.get(f"{self.key}_one", template)
        return template.in_lang(lang).format(**{name: _shown(value, lang) for name, value in self.values})

    def text(self) -> Text:
        return Text(zh=self.in_lang("zh"), en=self.in_lang("en"))

    def __str__(self) -> str:
        return self.in_lang("en")


class MessageError(ValueError):
    """A ValueError whose message can be shown in either language (`str()` gives English)."""

    def __init__(self, message: Message) -> None:
        super().__init__(str(message))
        self.message = message


def say(key: str, /, **values: Any) -> Message:
    """The message `key` with these values, e.g. `say("not_whole", number="2.5")`."""
    return Message(key, tuple(values.items()))


def _shown(value: Any, lang: Lang) -> str:
    if isinstance(value, Message | Text):  # a Text value: words of the criteria set, or a condition as described
        return value.in_lang(lang)
    if isinstance(value, list | tuple):
        return _LIST_SEPARATOR[lang].join(_shown(item, lang) for item in value)
    return str(value)


_READING_CATALOGUE: list[bool] = []  # non-empty while messages.yaml is read: its own problems cannot use it


@lru_cache(maxsize=1)
def messages() -> dict[str, Text]:
    """The catalogue, read once per process; a broken catalogue is a bug of assess, named with its line."""
    path = data_dir("templates") / "messages.yaml"  # our own file: read directly (the safe reader reports with us)
    _READING_CATALOGUE.append(True)
    try:
        data, _ = load_yaml(path.read_text(encoding="utf-8"), path.name)
        return {str(key): Text.model_validate(value) for key, value in data.items()}
    except (UserError, ValueError) as exc:
        raise InternalError(f"templates/messages.yaml is broken: {exc}") from None
    finally:
        _READING_CATALOGUE.pop()


def said_error(summary: Message, problems: Sequence[tuple[str, Message]], kind: type[E] = UserError) -> E:  # type: ignore[assignment]
    """A user error of `kind` whose summary and problems (place, message) are catalogue messages, in both languages."""
    found = [Problem(where, str(why), message_zh=why.in_lang("zh")) for where, why in problems]
    return kind(str(summary), found, summary.in_lang("zh"))


def unreadable(source: str, message: Message, where: str | None = None) -> InputFileError:
    """The error of a file that cannot be read at all, in both languages: "Cannot read <file>" and why (at `where`)."""
    return said_error(say("cannot_read", name=source), [(where or source, message)], InputFileError)
