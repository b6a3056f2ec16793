"""The memo table behind scoring's and validation's remembered answers."""

from __future__ import annotations

from assess.memo import IdentityMemo, ObjectMemo, forget_all, worth_remembering


class Owner:
    """Any object with an identity (questions in real use)."""


def test_entries_belong_to_one_object() -> None:
    memo: ObjectMemo[str] = ObjectMemo()
    first, second = Owner(), Owner()
    memo.put(first, 3, "three for first")
    assert memo.get(first, 3) == "three for first"
    assert memo.get(second, 3) is None
    assert memo.get(first, 4) is None


def test_an_entry_keeps_its_object_alive_so_the_id_is_not_reused() -> None:
    memo: ObjectMemo[str] = ObjectMemo()
    owner = Owner()
    memo.put(owner, "k", "v")
    key = id(owner)
    del owner
    newcomers = [Owner() for _ in range(1000)]
    assert all(id(n) != key for n in newcomers)


def test_memory_stays_bounded() -> None:
    memo: ObjectMemo[int] = ObjectMemo(limit=10)
    owner = Owner()
    for value in range(25):
        memo.put(owner, value, value)
    assert memo.get(owner, 24) == 24
    assert memo.get(owner, 0) is None  # cleared on the way
    assert len(memo) <= 10


def test_only_short_texts_are_worth_remembering() -> None:
    assert worth_remembering(3) and worth_remembering(("a", "b")) and worth_remembering("ISO 9001")
    assert not worth_remembering("x" * 500)  # a free-text answer: unique per firm


def test_forget_all_empties_every_table() -> None:
    by_key: ObjectMemo[str] = ObjectMemo()
    by_identity: IdentityMemo[str] = IdentityMemo()
    owner = Owner()
    by_key.put(owner, 1, "one")
    by_identity.put(owner, "it")
    assert by_identity.get(owner) == "it" and by_identity.get(Owner()) is None
    forget_all()
    assert by_key.get(owner, 1) is None and by_identity.get(owner) is None
    assert len(by_key) == 0 and len(by_identity) == 0
