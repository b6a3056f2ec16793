"""Storage on SQLite and PostgreSQL (ASSESS_TEST_POSTGRES_URL): schema, merges, locks, conditional submit."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import select, text

from assess.web.answering import fingerprint, served
from assess.web.schema import LATEST, revoked_sessions, schema_version
from assess.web.storage import AnswerWrite, Assessment, Store, StoredAnswer, StoredValue, normalise_url


def get(store: Store, token: str) -> Assessment:
    found = store.get(token)
    assert found is not None
    return found


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    opened = Store(db_url)
    yield opened
    opened.close()


def test_schema_is_created_once_and_versioned(db_url: str) -> None:
    first = Store(db_url)
    assert first.schema_version == LATEST
    first.create("zh")
    again = Store(db_url)  # a restart: nothing is recreated or lost
    assert again.schema_version == LATEST and again.count() == 1
    with again.engine.connect() as conn:
        assert conn.execute(select(schema_version.c.version)).scalars().all() == [LATEST]
    first.close()
    again.close()


def test_a_version_1_database_gains_answer_targets(db_url: str) -> None:
    first = Store(db_url)
    record = first.create("zh")
    first.save_answer(record.token, "A-01", 2, "before the upgrade")
    with first.engine.begin() as conn:  # back to the schema of version 1: answers had no target
        conn.execute(text("ALTER TABLE answers DROP COLUMN target"))
        conn.execute(schema_version.update().values(version=1))
    first.close()
    upgraded = Store(db_url)
    assert upgraded.schema_version == LATEST
    assert upgraded.answers(record.id)["A-01"] == StoredAnswer(2, "before the upgrade", None)
    upgraded.save_answer(record.token, "A-01", 2, "after", 4.0)
    assert upgraded.answers(record.id)["A-01"] == StoredAnswer(2, "after", 4.0)
    upgraded.save_answer(record.token, "A-02", None, None, 3.0)  # a target alone is kept (not scored)
    assert upgraded.all_answers()[record.id]["A-02"] == StoredAnswer(None, None, 3.0)
    upgraded.close()


def test_a_version_2_database_gains_consultant_accounts(db_url: str) -> None:
    first = Store(db_url)
    before = first.create("zh", label="Invited before the upgrade", source="invite")
    with first.engine.begin() as conn:  # back to the schema of version 2: no accounts, invites by nobody
        conn.execute(text("DROP TABLE consultants"))
        conn.execute(text("ALTER TABLE assessments DROP COLUMN created_by"))
        conn.execute(schema_version.update().values(version=2))
    first.close()
    upgraded = Store(db_url)
    assert upgraded.schema_version == LATEST
    assert get(upgraded, before.token).created_by is None and upgraded.consultants() == []
    account = upgraded.add_consultant("wang fang", "Wang Fang", "scrypt$1$1$1$salt$hash")
    assert account is not None and upgraded.consultant_by_id(account.id) == account
    after = upgraded.create("zh", label="Invited after", source="invite", created_by="Wang Fang")
    assert get(upgraded, after.token).created_by == "Wang Fang"
    assert upgraded.add_consultant("wang fang", "WANG FANG", "scrypt$1$1$1$salt$hash") is None  # one per name
    upgraded.close()


def test_a_version_3_database_gains_revoked_sessions(db_url: str) -> None:
    first = Store(db_url)
    with first.engine.begin() as conn:  # back to the schema of version 3: logout only deleted the cookie
        conn.execute(text("DROP TABLE revoked_sessions"))
        conn.execute(schema_version.update().values(version=3))
    first.close()
    upgraded = Store(db_url)
    assert upgraded.schema_version == LATEST
    assert not upgraded.session_revoked("abc")
    upgraded.revoke_session("old", expires=1)  # long expired: purged by the next logout
    upgraded.revoke_session("abc", expires=2**40)
    upgraded.revoke_session("abc", expires=2**40)  # logged out twice (two tabs): fine
    assert upgraded.session_revoked("abc") and not upgraded.session_revoked("other")
    with upgraded.engine.connect() as conn:
        assert conn.execute(select(revoked_sessions.c.csrf)).scalars().all() == ["abc"]
    upgraded.close()


def test_a_version_4_database_gains_rate_events(db_url: str) -> None:
    first = Store(db_url)
    record = first.create("zh")
    with first.engine.begin() as conn:  # back to the schema of version 4: rate limits were kept in memory
        conn.execute(text("DROP TABLE rate_events"))
        conn.execute(schema_version.update().values(version=4))
    first.close()
    upgraded = Store(db_url)
    assert upgraded.schema_version == LATEST == 5 and upgraded.get(record.token) is not None
    assert upgraded.recent_events("login", "10.0.0.1", window=60, now=1_000) == 0
    assert upgraded.reserve_event("login", "10.0.0.1", limit=1, window=60, now=1_000) is not None
    assert upgraded.reserve_event("login", "10.0.0.1", limit=1, window=60, now=1_001) is None
    assert upgraded.recent_events("login", "10.0.0.1", window=60, now=1_001) == 1
    upgraded.close()
    again = Store(db_url)  # a restart keeps the events and the version
    assert again.schema_version == LATEST and again.recent_events("login", "10.0.0.1", window=60, now=1_001) == 1
    again.close()


def test_a_write_changes_only_its_fields_and_never_another_tabs(store: Store) -> None:
    record = store.create("en")
    page = served(fingerprint(None, None, None))  # two tabs opened on an empty answer
    assert page is not None
    tab_a = AnswerWrite("A-01", 3, None, None, frozenset({"value"}), page)
    assert store.save_answers(record.token, [tab_a]).conflicts == ()
    tab_b_note = AnswerWrite("A-01", None, "evidence", None, frozenset({"note"}), page)
    assert store.save_answers(record.token, [tab_b_note]).conflicts == ()
    assert store.answers(record.id)["A-01"] == StoredAnswer(3, "evidence", None)
    revision = get(store, record.token).revision
    tab_b_value = AnswerWrite("A-01", 1, None, None, frozenset({"value"}), page)
    tab_b_other = AnswerWrite("A-02", "some", None, None, frozenset({"value"}), page)
    saved = store.save_answers(record.token, [tab_b_value, tab_b_other])
    assert saved.outcome == "saved" and saved.conflicts == ("A-01",)
    assert store.answers(record.id)["A-01"] == StoredAnswer(3, "evidence", None)
    assert store.answers(record.id)["A-02"].value == "some" and get(store, record.token).revision == revision + 1
    same = AnswerWrite("A-01", 3, None, None, frozenset({"value"}), page)  # what tab A stored: no conflict
    assert store.save_answers(record.token, [same]).conflicts == ()
    assert get(store, record.token).revision == revision + 1  # and nothing changed
    assert store.save_answer(record.token, "A-01", None, None) == "saved"  # without a page: as given
    assert "A-01" not in store.answers(record.id)


def test_ids_beyond_the_column_are_not_found(store: Store) -> None:
    record = store.create("en")
    assert store.get_by_id(record.id) is not None
    for number in (0, -1, 2**31, 2**63, 2**64):
        assert store.get_by_id(number) is None and store.pdf_by_id(number) is None


def test_concurrent_saves_are_merged(store: Store) -> None:
    """2 threads x 30 different questions with notes: all 60 answers are stored."""
    record = store.create("en")
    errors: list[str] = []

    def worker(k: int) -> None:
        for i in range(30):
            outcome = store.save_answer(record.token, f"Q{k}-{i:02d}", i, f"note {k} {i}")
            if outcome != "saved":
                errors.append(outcome)

    threads = [threading.Thread(target=worker, args=(k,)) for k in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    stored = store.answers(record.id)
    assert len(stored) == 60
    assert stored["Q2-29"].value == 29 and stored["Q2-29"].note == "note 2 29"
    assert get(store, record.token).revision == 60


def test_answers_merge_clear_and_round_trip(store: Store) -> None:
    record = store.create("en")
    values: dict[str, StoredValue] = {"A": 3, "B": "opt", "C": ["x", "z"], "D": True, "E": 2.5}
    values |= {"F": "N/A", "G": "中文 <b>"}
    store.save_answers(record.token, [AnswerWrite(q, v, None) for q, v in values.items()])
    assert {q: a.value for q, a in store.answers(record.id).items()} == values
    store.save_answer(record.token, "A", None, "only a note")
    store.save_answer(record.token, "B", None, None)  # nothing left: removed
    stored = store.answers(record.id)
    assert stored["A"].value is None and stored["A"].note == "only a note" and "B" not in stored
    other = store.create("en")
    assert store.answers(other.id) == {}


def test_submit_is_conditional(store: Store) -> None:
    record = store.create("en")
    store.save_profile(record.token, {"name": "Firm"})
    revision = get(store, record.token).revision
    store.save_answer(record.token, "A", 1, None)  # an answer lands while the firm is being scored
    assert not store.submit(record.token, revision, "{}", 50.0, b"%PDF", "en")  # stale: not stored
    fresh = store.get(record.token)
    assert fresh is not None and not fresh.submitted
    assert store.submit(record.token, fresh.revision, '{"n": 1}', 50.0, b"%PDF", "en")
    assert not store.submit(record.token, fresh.revision, '{"n": 2}', 60.0, b"%PDF2", "en")  # a double submit
    done = store.get(record.token)
    assert done is not None and done.submitted and done.result == '{"n": 1}' and done.overall == 50.0
    assert store.pdf(record.token) == b"%PDF" and store.pdf_by_id(record.id) == b"%PDF"
    assert store.save_answer(record.token, "A", 2, None) == "locked"
    assert store.save_profile(record.token, {"name": "Changed"}) == "locked"
    assert store.save_answer("nope", "A", 2, None) == "missing"


def test_concurrent_submits_store_one_result(store: Store) -> None:
    record = store.create("en")
    results: list[bool] = []
    barrier = threading.Barrier(4)

    def submit(n: int) -> None:
        barrier.wait()
        results.append(store.submit(record.token, 0, f'{{"n": {n}}}', float(n), b"%PDF", "en"))

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, False, False, True]


def test_meta_values(store: Store) -> None:
    assert store.meta_once("secret", "first") == "first"
    assert store.meta_once("secret", "second") == "first"
    store.set_meta("k", "1")
    store.set_meta("k", "2")
    assert store.get_meta("k") == "2" and store.get_meta("missing") is None


def test_listing_and_lookup(store: Store) -> None:
    a = store.create("en", label="Invited Firm", source="invite")
    b = store.create("zh")
    store.save_answer(b.token, "Q", 1, None)
    assert [r.id for r in store.list_all()] == [b.id, a.id]
    assert store.get_by_id(a.id) == store.get(a.token)
    assert store.get("x" * 43) is None and store.get_by_id(9999) is None
    assert store.all_answers() == {b.id: store.answers(b.id)}
    assert get(store, a.token).label == "Invited Firm"


def test_database_urls() -> None:
    assert normalise_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_url("sqlite:///x.db") == "sqlite:///x.db"
    with pytest.raises(ValueError, match="SQLite file"):
        Store("sqlite://")
    with pytest.raises(ValueError, match="unsupported"):
        Store("mysql://u@h/db")


def test_answers_of_named_assessments_only(store: Store) -> None:
    draft, done = store.create("zh"), store.create("en")
    store.save_answer(draft.token, "A-01", 2, "draft note")
    store.save_answer(done.token, "A-01", 3, None)
    assert store.submit(done.token, get(store, done.token).revision, "{}", 50.0, b"%PDF", "en")
    assert set(store.all_answers()) == {draft.id, done.id}
    assert store.all_answers(only=[draft.id]) == {draft.id: {"A-01": StoredAnswer(2, "draft note")}}
    assert store.all_answers(only=[]) == {}
