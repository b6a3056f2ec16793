"""The message catalogue: both languages say the same thing with the same values."""

from __future__ import annotations

import string
from pathlib import Path

import pytest

from assess.errors import InternalError
from assess.messages import messages, say
from assess.models.common import Text
from assess.paths import data_dir


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_message_has_the_same_fields_in_both_languages() -> None:
    catalogue = messages()
    assert "not_one_of" in catalogue and "na_not_allowed" in catalogue
    for key, text in catalogue.items():
        assert _fields(text.zh) == _fields(text.en), key


def test_a_text_value_is_shown_in_the_readers_language() -> None:
    condition = Text(zh="B-02 = x", en="B-02 equals 'x'")
    message = say("criteria_condition_problem", condition=condition, problem=say("criteria_test_number"))
    assert message.in_lang("zh") == "B-02 = x：请与数字比较"
    assert str(message) == "B-02 equals 'x': compare with a number"


def test_values_are_filled_in_and_lists_joined_the_languages_way() -> None:
    message = say("not_one_of", value="maybe", allowed=["none", "some", say("not_applicable")])
    assert str(message) == '"maybe" is not one of: none, some, N/A'
    assert message.in_lang("zh") == "“maybe”不是可选答案，可填：none、some、不适用"
    assert message.text().en == str(message)


def test_an_unknown_key_is_a_bug_not_a_user_error() -> None:
    with pytest.raises(InternalError):
        str(say("no_such_message"))


def test_a_count_of_one_takes_the_singular_where_the_catalogue_has_it() -> None:
    assert say("batch_scored", count=1).in_lang("en") == "1 firm scored"
    assert say("batch_scored", count=2).in_lang("en") == "2 firms scored"
    assert say("batch_scored", count=1).in_lang("zh") == "已评分 1 家企业"
    assert say("batch_unchanged", count=1).in_lang("en") == "1 unchanged"  # no singular form: the one message


def test_the_catalogue_has_each_key_once_and_a_broken_one_is_named_not_a_loop(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from assess import messages as catalogue

    text = (data_dir("templates") / "messages.yaml").read_text(encoding="utf-8")
    keys = [line.split(":", 1)[0] for line in text.splitlines() if line and not line.startswith((" ", "#"))]
    assert len(keys) == len(set(keys))
    broken = tmp_path / "templates"
    shutil.copytree(data_dir("templates"), broken)
    (broken / "messages.yaml").write_text(text + "cannot_read: {zh: 再次, en: again}\n", encoding="utf-8")
    monkeypatch.setattr(catalogue, "data_dir", lambda name: tmp_path / name)
    catalogue.messages.cache_clear()
    try:
        with pytest.raises(InternalError, match=r"(?s)messages\.yaml is broken.*yaml_key_twice.*cannot_read"):
            catalogue.messages()
    finally:
        catalogue.messages.cache_clear()
