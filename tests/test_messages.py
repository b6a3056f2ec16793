"""The message catalogue: both languages say the same thing with the same values."""

from __future__ import annotations

import string

import pytest

from assess.errors import InternalError
from assess.messages import messages, say


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_message_has_the_same_fields_in_both_languages() -> None:
    catalogue = messages()
    assert "not_one_of" in catalogue and "na_not_allowed" in catalogue
    for key, text in catalogue.items():
        assert _fields(text.zh) == _fields(text.en), key


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
