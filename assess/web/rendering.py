"""Pages from Jinja2 templates (templates/web/*.html.j2): autoescaping on, the report's `tr`/`plain` filters.

One environment per language mode, so the filters never change under a request running in another
thread.  The web's own words are in templates/web/labels.yaml, in both languages.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from starlette.responses import HTMLResponse

from assess.models.common import Mode, Text
from assess.paths import data_dir
from assess.report.templating import load_labels, plain, translate

MODES: tuple[Mode, ...] = ("zh", "en", "bilingual")


def web_templates() -> Path:
    return data_dir("templates") / "web"


def static_folder() -> Path:
    return web_templates() / "static"


@lru_cache(maxsize=1)
def web_labels() -> dict[str, Text]:
    """The web's own words (templates/web/labels.yaml), read once per process."""
    return load_labels([web_templates()])


def as_mode(value: str | None, fallback: Mode = "bilingual") -> Mode:
    for mode in MODES:
        if value == mode:
            return mode
    return fallback


class Pages:
    """Renders a named template in a language mode with the labels every page uses."""

    def __init__(self) -> None:
        folder = web_templates()
        self.labels: dict[str, Text] = web_labels()
        self._envs = {mode: self._environment(folder, mode) for mode in MODES}

    @staticmethod
    def _environment(folder: Path, mode: Mode) -> jinja2.Environment:
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(folder)),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        env.filters["tr"] = translate(mode)
        env.filters["plain"] = plain(mode)
        return env

    def html(self, name: str, mode: Mode, **context: Any) -> str:
        template = self._envs[mode].get_template(name)
        colon = "：" if mode == "zh" else ": "  # after a label: full width in Chinese text
        return template.render(
            mode=mode, html_lang="en" if mode == "en" else "zh-CN", labels=self.labels, colon=colon, **context
        )

    def response(self, name: str, mode: Mode, status: int = 200, **context: Any) -> HTMLResponse:
        return HTMLResponse(self.html(name, mode, **context), status_code=status)
