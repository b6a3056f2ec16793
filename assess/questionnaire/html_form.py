"""A printable blank questionnaire (HTML for WeasyPrint or a browser), to fill in by hand.

Firm profile fields as blank lines and boxes, then theme by theme every question with its help,
a box to tick for each level, option or yes/no (with the level descriptors), a box for numbers with
the unit, N/A where allowed, the applicability rule, and lines for the evidence note.  The template is
`templates/questionnaire/form.html.j2` with autoescaping on, so criteria texts are always text.
"""

from __future__ import annotations

from dataclasses import dataclass

import jinja2
from markupsafe import Markup

from assess.errors import InternalError
from assess.models.common import Mode, Text
from assess.models.criteria import CriteriaSet, NumberQuestion, Question, TextQuestion, Theme
from assess.paths import data_dir
from assess.questionnaire.yaml_form import Choice, Wording, mode_langs, questionnaire_labels
from assess.report.templating import plain, translate

TEMPLATE = "questionnaire/form.html.j2"
STYLESHEET = "questionnaire/form.css"


@dataclass(frozen=True)
class FormQuestion:
    """What the template shows of one question; every text is bilingual, the template picks the mode."""

    id: str
    kind: str
    text: Text
    help: Text
    how: Text | None
    choices: list[Choice]
    number: Text | None
    unit: Text | None
    na: bool
    required: bool
    applicability: Text | None
    evidence: Text | None


@dataclass(frozen=True)
class FormTheme:
    number: int
    title: Text
    description: Text
    questions: list[FormQuestion]


def _question(question: Question, words: Wording) -> FormQuestion:
    number = unit = None
    if isinstance(question, NumberQuestion):
        number = words.number_range(question)
        unit = question.unit
    return FormQuestion(
        id=question.id,
        kind=question.kind,
        text=question.text,
        help=question.help,
        how=words.how_to_tick(question),
        choices=words.choices(question),
        number=number,
        unit=unit,
        na=question.na_allowed,
        required=question.required and not isinstance(question, TextQuestion),
        applicability=words.applicability(question),
        evidence=words.evidence(question),
    )


def _theme(number: int, theme: Theme, words: Wording) -> FormTheme:
    return FormTheme(number, theme.title, theme.description, [_question(q, words) for q in theme.questions])


def _stylesheet(font_css: str) -> Markup:
    """form.css (and the caller's @font-face rules) for a <style> element, where HTML escaping does not apply."""
    css = (data_dir("templates") / STYLESHEET).read_text(encoding="utf-8")
    combined = f"{font_css}\n{css}" if font_css else css
    if "</" in combined:  # would end the <style> element early
        raise InternalError("a stylesheet for the questionnaire contains '</'")
    return Markup(combined)  # our own stylesheet, checked above


def html_form(criteria: CriteriaSet, lang: Mode, *, font_css: str = "") -> str:
    """The printable blank questionnaire of `criteria` in `lang` (A4; `font_css` adds @font-face rules)."""
    langs = mode_langs(lang)
    words = Wording(criteria, questionnaire_labels())
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(data_dir("templates")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["tr"] = translate(lang)
    env.filters["plain"] = plain(lang)
    return env.get_template(TEMPLATE).render(
        mode=lang,
        html_lang="en" if langs == ("en",) else "zh-CN",
        css=_stylesheet(font_css),
        labels=words.labels,
        criteria=criteria,
        themes=[_theme(i, theme, words) for i, theme in enumerate(criteria.themes, start=1)],
        na_rule=words.label("na_tick_note") if criteria.na_policy.na_requires_note else None,
        credit_code_boxes=18,
    )
