"""The words summary.xlsx shows people: column headings and the names behind codes, in the batch's language.

summary.csv keeps the column ids and codes (`overall`, `not_ready`) for programs that read it;
the workbook is what a consultant opens, so it says 总分（百分制） and 尚未具备 with `--lang zh`,
the theme's own short label for a theme column, and the criteria set's names for bands and
industries.  The words live in templates/xlsx/summary/labels.yaml (a --templates folder may
override any of them); read with the safe YAML reader, without the report machinery.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from assess.batch.outputs import summary_header
from assess.errors import Problem, UserError
from assess.models.common import Mode, Text
from assess.models.criteria import CriteriaSet
from assess.paths import data_dir
from assess.readers.safe_yaml import load_yaml
from assess.readers.text_file import read_text

LABELS = Path("xlsx") / "summary" / "labels.yaml"
_FIXED = tuple(summary_header([], with_change=True))  # the columns every summary has, besides its themes
_WORDS = ("change_of", "yes", "no", "ready", "near", "not_ready", "vetoed", "undetermined")


@dataclass(frozen=True)
class SummaryWords:
    """Headings by column id, and what a code in the band, industry, readiness or yes/no columns reads as."""

    headings: dict[str, str]
    codes: dict[str, dict[str, str]] = field(default_factory=dict)  # column id -> code -> words

    def heading(self, column: str) -> str:
        return self.headings.get(column, column)


def _read_labels(templates: Path | None) -> dict[str, Text]:
    """The built-in labels with a user folder's over them; a broken file is a user error naming its key."""
    labels: dict[str, Text] = {}
    for folder in [data_dir("templates"), *([templates] if templates is not None else [])]:
        path = folder / LABELS
        if not path.is_file():
            continue
        data, _ = load_yaml(read_text(path, path.name), str(path))
        for key, value in (data or {}).items():
            try:
                labels[str(key)] = Text.model_validate(value)
            except ValueError as exc:
                raise UserError(f"{path} has problems", [Problem(f"{path.name}: {key}", str(exc))]) from None
    missing = [key for key in (*_FIXED, *_WORDS) if key not in labels]
    if missing:
        raise UserError(f"{LABELS} lacks labels", [Problem(str(LABELS), ", ".join(missing))])
    return labels


def _shown(mode: Mode) -> Callable[[Text], str]:
    if mode == "bilingual":
        return lambda text: text.zh if text.zh == text.en else f"{text.zh}\n{text.en}"
    return lambda text: text.zh if mode == "zh" else text.en


def summary_words(criteria: CriteriaSet, mode: Mode, templates: Path | None = None) -> SummaryWords:
    """The workbook's words for this criteria set in `mode` (bilingual: Chinese above English)."""
    labels = _read_labels(templates)
    shown = _shown(mode)
    flat = _one_line if mode == "bilingual" else shown  # values on one line, so a filter's list stays readable
    headings = {key: shown(labels[key]) for key in _FIXED}
    for theme in criteria.themes:
        headings[theme.id] = shown(theme.label)
        change = labels["change_of"]
        headings[f"change_{theme.id}"] = shown(
            Text(zh=change.zh.format(theme=theme.label.zh), en=change.en.format(theme=theme.label.en))
        )
    readiness = {code: flat(labels[code]) for code in ("ready", "near", "not_ready", "vetoed", "undetermined")}
    codes = {
        "provisional": {"yes": flat(labels["yes"]), "no": flat(labels["no"])},
        "award_readiness": readiness,
        "band": {band.id: flat(band.name) for band in criteria.bands},
        "industry": {industry.id: flat(industry.name) for industry in criteria.industries},
    }
    return SummaryWords(headings, codes)


def _one_line(text: Text) -> str:
    """A bilingual value on one line, so a filter's list stays readable: 尚未具备 / Not ready."""
    return text.zh if text.zh == text.en else f"{text.zh} / {text.en}"
