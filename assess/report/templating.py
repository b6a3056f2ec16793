"""Jinja2 for reports: a template search path, autoescaping always on, errors with file and line.

The search path is the user's `--templates` folder first, then the built-in `templates/`; a
user template can extend a built-in one as `default:report/summary.html.j2` instead of copying it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape
from pydantic import ValidationError

from assess.errors import Problem, UserError
from assess.messages import said_error, say
from assess.models.common import Text
from assess.paths import data_dir
from assess.readers.locations import problems_from
from assess.readers.safe_yaml import load_yaml
from assess.readers.text_file import read_text

Mode = str


class TemplateError(UserError):
    """A report template is broken; the message names the template and line."""


def builtin_templates() -> Path:
    return data_dir("templates")


def load_labels(folders: list[Path]) -> dict[str, Text]:
    """The report's own words (labels.yaml); a user folder's labels override the built-in ones."""
    labels: dict[str, Text] = {}
    for folder in reversed(folders):
        path = folder / "labels.yaml"
        if path.is_file():
            data, locations = load_yaml(read_text(path, str(path)), str(path))
            summary = say("has_problems", name=str(path))
            if not isinstance(data, dict):
                raise said_error(summary, [(str(path), say("labels_not_a_mapping"))], TemplateError)
            problems: list[Problem] = []
            for key, value in data.items():
                try:
                    labels[str(key)] = Text.model_validate(value)
                except ValidationError as exc:
                    problems.extend(problems_from(exc, str(path), locations, prefix=(str(key),)))
            if problems:
                raise TemplateError(str(summary), problems, summary.in_lang("zh"))
    return labels


def translate(mode: Mode) -> Callable[[Any], Markup]:
    """The `tr` filter: a Text in the language mode; bilingual shows Chinese with English below."""

    def tr(value: Any) -> Markup:
        if value is None:
            return Markup("")
        if not isinstance(value, Text):
            return escape(str(value))
        if mode == "zh":
            return escape(value.zh)
        if mode == "en":
            return escape(value.en)
        if value.zh == value.en:
            return escape(value.zh)
        return Markup('<span class="zh">{}</span><span class="en" lang="en">{}</span>').format(value.zh, value.en)

    return tr


def plain(mode: Mode) -> Callable[[Any], str]:
    """The `plain` filter: one line of text (for metadata and running headers): 'zh / en' when bilingual."""

    def text(value: Any) -> str:
        if not isinstance(value, Text):
            return str(value)
        if mode == "zh":
            return value.zh
        if mode == "en":
            return value.en
        return value.zh if value.zh == value.en else f"{value.zh} / {value.en}"

    return text


def make_environment(user_folder: Path | None) -> jinja2.Environment:
    """An environment searching the user's folder, then the built-ins; StrictUndefined catches typos."""
    builtin = jinja2.FileSystemLoader(str(builtin_templates()))
    folders = [jinja2.FileSystemLoader(str(user_folder))] if user_folder else []
    loader = jinja2.ChoiceLoader([jinja2.PrefixLoader({"default": builtin}, delimiter=":"), *folders, builtin])
    return jinja2.Environment(
        loader=loader,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_template(env: jinja2.Environment, name: str, **context: Any) -> str:
    """Render, turning any exception into a TemplateError with the template name and line: never a traceback."""
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        where = f"{exc.filename or exc.name or name}:{exc.lineno}"
        raise _template_error("template_broken", exc.name or name, where, exc.message or "") from None
    except jinja2.TemplateNotFound as exc:
        frame = _template_frame(exc)  # the template that asks for it, and where
        if frame is None:
            missing = say("template_not_found")
            raise said_error(say("template_missing"), [(str(exc.name), missing)], TemplateError) from None
        asked = say("template_not_found_named", name=str(exc.name))
        raise said_error(say("template_missing"), [(frame[1], asked)], TemplateError) from None
    except jinja2.UndefinedError as exc:
        frame = _template_frame(exc)
        broken, where = frame or (name, name)
        raise _template_error("template_lacks", broken, where, exc.message or "") from None
    except Exception as exc:  # any other error a template raises while rendering: {{ 1/0 }}, {{ "%d" % "x" }}
        broken, where = _template_frame(exc) or (name, name)
        raise _template_error("template_failed", broken, where, f"{type(exc).__name__}: {exc}") from None


def _template_error(key: str, name: str, where: str, detail: str) -> TemplateError:
    """A template error with its summary in both languages; Jinja's own detail stays as Jinja words it."""
    summary = say(key, name=name)
    return TemplateError(summary.in_lang("en"), [Problem(where, detail)], summary.in_lang("zh"))


def _template_frame(exc: BaseException) -> tuple[str, str] | None:
    """The template name and `file:line` of the innermost template frame of a rendering error, if any."""
    tb = exc.__traceback__
    found = None
    while tb is not None:
        frame = tb.tb_frame
        template = frame.f_globals.get("__jinja_template__")
        if template is not None or frame.f_code.co_filename.endswith(".j2"):
            name = getattr(template, "name", None) or frame.f_code.co_filename
            found = (str(name), f"{frame.f_code.co_filename}:{tb.tb_lineno}")
        tb = tb.tb_next
    return found
