"""The printable blank questionnaire: every question, escaped texts, the chosen languages."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest

from assess.models.common import Lang, Mode
from assess.models.criteria import CriteriaSet
from assess.questionnaire.html_form import html_form

MODES: tuple[Mode, ...] = ("zh", "en", "bilingual")


class _Collect(HTMLParser):
    """The text of a page and its <script> elements (there must be none)."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.scripts = 0
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.scripts += tag == "script"
        self.ids += [value for name, value in attrs if name == "id" and value]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(html: str) -> _Collect:
    parser = _Collect()
    parser.feed(html)
    return parser


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _with_question_text(criteria: CriteriaSet, qid: str, **texts: str) -> CriteriaSet:
    """A copy of the criteria whose question `qid` says `texts` (model_copy all the way down)."""
    themes = []
    for theme in criteria.themes:
        questions = [
            q.model_copy(update={"text": q.text.model_copy(update=texts)}) if q.id == qid else q
            for q in theme.questions
        ]
        themes.append(theme.model_copy(update={"questions": questions}))
    copied = criteria.model_copy(update={"themes": themes})
    for cached in ("questions", "theme_of"):  # cached properties of the original are copied along
        copied.__dict__.pop(cached, None)
    return copied


@pytest.mark.parametrize("mode", MODES)
def test_every_question_appears(default_criteria: CriteriaSet, mode: Any) -> None:
    page = _parse(html_form(default_criteria, mode))
    text = " ".join(page.text)
    for qid in default_criteria.questions:
        assert f"q-{qid}" in page.ids
        assert qid in text
    assert page.scripts == 0


def test_texts_are_escaped(default_criteria: CriteriaSet) -> None:
    hostile = _with_question_text(
        default_criteria, "BR-03", zh="<script>alert('zh')</script>", en='<img src="file:///etc/passwd"> & more'
    )
    html = html_form(hostile, "bilingual")
    page = _parse(html)
    assert page.scripts == 0
    assert "<img" not in html
    assert "&lt;script&gt;alert(&#39;zh&#39;)&lt;/script&gt;" in html
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt; &amp; more" in html
    assert "<script>alert('zh')</script>" in " ".join(page.text)  # shown as text


@pytest.mark.parametrize(
    ("mode", "shown", "hidden"), [("zh", ("zh",), ("en",)), ("en", ("en",), ("zh",)), ("bilingual", ("zh", "en"), ())]
)
def test_languages(default_criteria: CriteriaSet, mode: Any, shown: tuple[Lang, ...], hidden: tuple[Lang, ...]) -> None:
    text = _flat(" ".join(_parse(html_form(default_criteria, mode)).text))
    for question in default_criteria.questions.values():
        for lang in shown:
            assert _flat(question.text.in_lang(lang)) in text
            assert _flat(question.help.in_lang(lang)) in text
        for lang in hidden:
            assert _flat(question.text.in_lang(lang)) not in text
    for lang in shown:
        assert default_criteria.industries[0].name.in_lang(lang) in text
        assert default_criteria.markets[0].name.in_lang(lang) in text


def test_answers_to_tick(default_criteria: CriteriaSet) -> None:
    html = html_form(default_criteria, "en")
    article = html.split('id="q-BR-03"')[1].split("</article>")[0]
    assert article.count("☐") == 5  # levels 0-4
    assert "Answer only if the answer to BR-01 is above 0%." in _flat(article)
    for level in default_criteria.questions["BR-03"].levels:  # type: ignore[union-attr]
        assert _flat(level.text.en).replace("'", "&#39;") in _flat(article)
    tr07 = html.split('id="q-TR-07"')[1].split("</article>")[0]
    assert "N/A" in tr07 and tr07.count("☐") == 6  # five levels and N/A
    br01 = html.split('id="q-BR-01"')[1].split("</article>")[0]
    assert 'class="numbox"' in br01 and "%" in br01 and "from 0 to 100" in br01
    qc02 = html.split('id="q-QC-02"')[1].split("</article>")[0]
    assert qc02.count("☐") == 2 and "Yes" in qc02 and "No" in qc02
    assert html.count('class="cell"') == 18  # the credit code's characters


def test_stylesheet_is_inlined_with_fonts(default_criteria: CriteriaSet) -> None:
    font = '@font-face { font-family: "Noto Sans SC"; src: url("file:///fonts/x.ttf"); }'
    html = html_form(default_criteria, "zh", font_css=font)
    assert font in html  # not HTML-escaped inside <style>
    assert "size: A4" in html
    assert '<html lang="zh-CN">' in html
    assert '<html lang="en">' in html_form(default_criteria, "en")
