"""Assessments and their answers in SQLite (a file) or PostgreSQL, through SQLAlchemy Core.

Nothing lost: an answer is saved by merging that one answer into the stored ones inside a write
transaction that first locks the assessment (SQLite: BEGIN IMMEDIATE; PostgreSQL: SELECT ... FOR
UPDATE), so saves from two tabs or two devices serialise instead of overwriting each other, and a
save that races a submit either lands before it or is refused.  Every save bumps `revision`; a submit
stores its result only `WHERE status = 'draft' AND revision = <the revision it scored>`, so a double
submit stores one result and a late answer is never silently left out of the score.

A write names the fields it changes (value, note, target) and, from a page, what that page showed
of each (`base`, as fingerprints): the other fields keep what is stored, and a field that another
tab changed since the page was served is not overwritten but reported as a conflict.

Nothing leaked: every exporter query goes by the assessment's token (unguessable, 256 bits).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any, Literal

from sqlalchemy import Connection, Engine, Row, create_engine, event, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

from assess.web.schema import answers, assessments, consultants, meta, migrate, rate_events, revoked_sessions

StoredValue = bool | int | float | str | list[str] | None
SaveOutcome = Literal["saved", "missing", "locked", "conflict"]
AnswerField = Literal["value", "note", "target"]
ANSWER_FIELDS: frozenset[AnswerField] = frozenset(("value", "note", "target"))
TOKEN_BYTES = 32
MAX_ID = 2**31 - 1  # the largest id an Integer column holds on PostgreSQL; beyond it nothing can be found
CLIENT_CHARS = 255  # a client address as a rate limit counts it (the column's width)
RATE_LOCK_SPACE = 7414421  # PostgreSQL: the first key of the per-(kind, client) advisory locks of rate limits
PURGE_BATCH = 500  # expired rate events removed by one write at most, so no attempt waits on a large purge


@dataclass(frozen=True)
class StoredAnswer:
    value: StoredValue
    note: str | None
    target: float | None = None  # the level the firm aims for (maturity-level questions)


def field_fingerprint(field: AnswerField, value: Any) -> str:
    """A short digest of one field of an answer as shown (an empty note is no note)."""
    shown = (value or None) if field == "note" else value
    data = json.dumps([field, shown], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class AnswerWrite:
    """One answer to merge: its `fields` set from this write, the others kept; nothing left removes it.

    `base`, when given, holds per field the fingerprint of what the writer's page showed: a field
    stored since with another value (another tab) is then a conflict, and the write is not made.
    """

    question_id: str
    value: StoredValue
    note: str | None
    target: float | None = None
    fields: frozenset[AnswerField] = ANSWER_FIELDS
    base: Mapping[AnswerField, str] | None = None

    def conflicts_with(self, stored: StoredAnswer) -> bool:
        """True when a field this write changes was changed by someone else since its page was served."""
        if self.base is None:
            return False
        for name in self.fields:
            now = field_fingerprint(name, getattr(stored, name))
            if now != self.base.get(name) and now != field_fingerprint(name, getattr(self, name)):
                return True
        return False

    def merged(self, stored: StoredAnswer) -> StoredAnswer:
        return replace(stored, **{name: getattr(self, name) for name in self.fields})


@dataclass(frozen=True)
class SaveResult:
    """What a save did: its outcome, and the questions left unwritten because another tab changed them."""

    outcome: SaveOutcome
    conflicts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Consultant:
    """A consultant's account: the name they log in with and are shown by; the password only as a hash."""

    id: int
    login: str
    name: str
    password_hash: str
    created_at: dt.datetime


@dataclass(frozen=True)
class Assessment:
    id: int
    token: str
    label: str | None
    source: str
    status: str
    lang: str
    profile: dict[str, Any] | None
    revision: int
    created_at: dt.datetime
    updated_at: dt.datetime
    submitted_at: dt.datetime | None
    result: str | None
    overall: float | None
    has_pdf: bool
    created_by: str | None = None  # the consultant account that made the invite

    @property
    def submitted(self) -> bool:
        return self.status == "submitted"


def normalise_url(url: str) -> str:
    """`postgresql://` and `postgres://` mean psycopg 3 (SQLAlchemy would pick psycopg2)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def make_engine(url: str) -> Engine:
    """An engine for a SQLite file or a PostgreSQL database, set up for the write discipline above."""
    parsed = make_url(normalise_url(url))
    if parsed.get_backend_name() == "sqlite":
        if parsed.database in (None, "", ":memory:"):
            raise ValueError("the web app needs a SQLite file (sqlite:///path.db), not an in-memory database")
        engine = create_engine(
            parsed, connect_args={"timeout": 30, "check_same_thread": False}, pool_size=10, max_overflow=40
        )
        _sqlite_transactions(engine)
        return engine
    if parsed.get_backend_name() == "postgresql":
        return create_engine(parsed, pool_size=10, max_overflow=20, pool_pre_ping=True)
    raise ValueError(f"unsupported database URL '{parsed.get_backend_name()}': use sqlite:///file.db or postgresql://")


def _sqlite_transactions(engine: Engine) -> None:
    """pysqlite's own BEGIN is deferred and lazy; we issue BEGIN (reads) or BEGIN IMMEDIATE (writes) ourselves."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")  # readers never wait for the writer
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get("assess_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _rate_lock_key(kind: str, client: str) -> int:
    """The advisory lock's second key for one limit and client: the same in every process (a signed 32-bit int)."""
    digest = hashlib.sha256(f"{kind}\0{client}".encode("utf-8", "surrogatepass")).digest()
    return int.from_bytes(digest[:4], "big", signed=True)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    """SQLite hands datetimes back without their zone; they were stored in UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=dt.UTC)


_COLUMNS = [c for c in assessments.c if c.name != "pdf"]
_LISTED = [c for c in _COLUMNS if c.name != "result"]  # a listing leaves the result JSON out (see `results`)


def _assessment(row: Row[Any]) -> Assessment:
    data = row._mapping
    created = _aware(data["created_at"])
    updated = _aware(data["updated_at"])
    assert created is not None and updated is not None
    return Assessment(
        id=data["id"],
        token=data["token"],
        label=data["label"],
        source=data["source"],
        status=data["status"],
        lang=data["lang"],
        profile=json.loads(data["profile"]) if data["profile"] else None,
        revision=data["revision"],
        created_at=created,
        updated_at=updated,
        submitted_at=_aware(data["submitted_at"]),
        result=data.get("result"),
        overall=data["overall"],
        has_pdf=bool(data["has_pdf"]),
        created_by=data["created_by"],
    )


def _consultant(row: Row[Any]) -> Consultant:
    data = row._mapping
    created = _aware(data["created_at"])
    assert created is not None
    return Consultant(data["id"], data["login"], data["name"], data["password_hash"], created)


def _answer(value: str | None, note: str | None, target: float | None) -> StoredAnswer:
    return StoredAnswer(json.loads(value) if value is not None else None, note, target)


class Store:
    """The web app's storage; safe to share between threads (one engine, a pool of connections)."""

    def __init__(self, url: str) -> None:
        self.engine = make_engine(url)
        with self._write() as conn:
            self.schema_version = migrate(conn)

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            conn.execution_options(assess_write=True)
            with conn.begin():
                yield conn

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn, conn.begin():
            yield conn

    # --- meta (secret key, password hash) ---------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        with self._read() as conn:
            return conn.execute(select(meta.c.value).where(meta.c.key == key)).scalar()

    def set_meta(self, key: str, value: str) -> None:
        with self._write() as conn:
            if conn.execute(meta.update().where(meta.c.key == key).values(value=value)).rowcount == 0:
                conn.execute(meta.insert().values(key=key, value=value))

    def delete_meta(self, key: str) -> bool:
        with self._write() as conn:
            return bool(conn.execute(meta.delete().where(meta.c.key == key)).rowcount)

    def meta_once(self, key: str, value: str) -> str:
        """The stored value of `key`, storing `value` first if there is none (first writer wins)."""
        try:
            with self._write() as conn:
                found = conn.execute(select(meta.c.value).where(meta.c.key == key)).scalar()
                if found is not None:
                    return str(found)
                conn.execute(meta.insert().values(key=key, value=value))
                return value
        except IntegrityError:  # another process stored it between our read and insert
            stored = self.get_meta(key)
            assert stored is not None
            return stored

    # --- logged-out sessions ----------------------------------------------------------------------

    def revoke_session(self, csrf: str, expires: int) -> None:
        """List a logged-out session until it would have expired; sessions past their expiry are forgotten."""
        try:
            with self._write() as conn:
                conn.execute(revoked_sessions.delete().where(revoked_sessions.c.expires < int(time.time())))
                found = conn.execute(select(revoked_sessions.c.csrf).where(revoked_sessions.c.csrf == csrf)).first()
                if found is None:
                    conn.execute(revoked_sessions.insert().values(csrf=csrf, expires=expires))
        except IntegrityError:  # the same session logged out at the same moment in another tab or process
            pass

    def session_revoked(self, csrf: str) -> bool:
        with self._read() as conn:
            found = conn.execute(select(revoked_sessions.c.csrf).where(revoked_sessions.c.csrf == csrf)).first()
            return found is not None

    # --- rate limits ------------------------------------------------------------------------------

    def reserve_event(self, kind: str, client: str, limit: int, window: float, now: float) -> int | None:
        """Record an attempt of `kind` by `client` at `now` (Unix time) unless `limit` of them already fall within
        the last `window` seconds: the new event's id (for `release_event`), or None when the limit is reached.

        Atomic across threads and processes: SQLite's BEGIN IMMEDIATE takes the database's write lock before
        counting; PostgreSQL takes a transaction-scoped advisory lock on (kind, client) and counts at READ
        COMMITTED, so it sees every event committed by the lock's previous holder.  Expired events of `kind` are
        purged on the way, a batch at a time (PostgreSQL: skipping rows another purge or release holds).
        """
        client = client[:CLIENT_CHARS]
        cutoff = now - window
        with self._write() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SET TRANSACTION ISOLATION LEVEL READ COMMITTED"))
                conn.execute(
                    text("SELECT pg_advisory_xact_lock(:space, :key)"),
                    {"space": RATE_LOCK_SPACE, "key": _rate_lock_key(kind, client)},
                )
            expired = (
                select(rate_events.c.id)
                .where((rate_events.c.kind == kind) & (rate_events.c.at <= cutoff))
                .limit(PURGE_BATCH)
                .with_for_update(skip_locked=True)
            )
            conn.execute(rate_events.delete().where(rate_events.c.id.in_(expired)))
            if self._count_events(conn, kind, client, cutoff) >= limit:
                return None
            key = conn.execute(rate_events.insert().values(kind=kind, client=client, at=now)).inserted_primary_key
            assert key is not None
            return int(key[0])

    def release_event(self, kind: str, client: str, event_id: int) -> None:
        """Remove the one event `reserve_event` returned (a successful login gives back its own slot)."""
        where = (
            (rate_events.c.id == event_id)
            & (rate_events.c.kind == kind)
            & (rate_events.c.client == client[:CLIENT_CHARS])
        )
        with self._write() as conn:
            conn.execute(rate_events.delete().where(where))

    def recent_events(self, kind: str, client: str, window: float, now: float) -> int:
        """How many attempts of `kind` by `client` fall within the `window` seconds before `now`."""
        with self._read() as conn:
            return self._count_events(conn, kind, client[:CLIENT_CHARS], now - window)

    def _count_events(self, conn: Connection, kind: str, client: str, cutoff: float) -> int:
        where = (rate_events.c.kind == kind) & (rate_events.c.client == client) & (rate_events.c.at > cutoff)
        return int(conn.execute(select(func.count()).select_from(rate_events).where(where)).scalar() or 0)

    # --- consultant accounts ----------------------------------------------------------------------

    def add_consultant(self, login: str, name: str, password_hash: str) -> Consultant | None:
        """A new account; None when the login name is taken."""
        try:
            with self._write() as conn:
                conn.execute(
                    consultants.insert().values(login=login, name=name, password_hash=password_hash, created_at=_now())
                )
        except IntegrityError:
            return None
        return self.consultant(login)

    def consultant(self, login: str) -> Consultant | None:
        with self._read() as conn:
            row = conn.execute(select(consultants).where(consultants.c.login == login)).first()
        return _consultant(row) if row is not None else None

    def consultant_by_id(self, consultant_id: int) -> Consultant | None:
        with self._read() as conn:
            row = conn.execute(select(consultants).where(consultants.c.id == consultant_id)).first()
        return _consultant(row) if row is not None else None

    def has_consultants(self) -> bool:
        with self._read() as conn:
            return conn.execute(select(consultants.c.id).limit(1)).first() is not None

    def consultants(self) -> list[Consultant]:
        with self._read() as conn:
            return [_consultant(row) for row in conn.execute(select(consultants).order_by(consultants.c.login))]

    def set_consultant_password(self, login: str, password_hash: str) -> bool:
        with self._write() as conn:
            update = consultants.update().where(consultants.c.login == login).values(password_hash=password_hash)
            return bool(conn.execute(update).rowcount)

    def remove_consultant(self, login: str) -> bool:
        with self._write() as conn:
            return bool(conn.execute(consultants.delete().where(consultants.c.login == login)).rowcount)

    # --- assessments ------------------------------------------------------------------------------

    def create(
        self, lang: str, label: str | None = None, source: str = "self", created_by: str | None = None
    ) -> Assessment:
        now = _now()
        token = secrets.token_urlsafe(TOKEN_BYTES)
        with self._write() as conn:
            conn.execute(
                assessments.insert().values(
                    token=token,
                    label=label,
                    source=source,
                    created_by=created_by,
                    status="draft",
                    lang=lang,
                    profile=None,
                    revision=0,
                    created_at=now,
                    updated_at=now,
                )
            )
        found = self.get(token)
        assert found is not None
        return found

    def _select(self, columns: list[Any] = _COLUMNS) -> Any:
        return select(*columns, assessments.c.pdf.is_not(None).label("has_pdf"))

    def get(self, token: str) -> Assessment | None:
        with self._read() as conn:
            row = conn.execute(self._select().where(assessments.c.token == token)).first()
        return _assessment(row) if row is not None else None

    def get_by_id(self, assessment_id: int) -> Assessment | None:
        if not 1 <= assessment_id <= MAX_ID:  # no such row, and the database would refuse the number
            return None
        with self._read() as conn:
            row = conn.execute(self._select().where(assessments.c.id == assessment_id)).first()
        return _assessment(row) if row is not None else None

    def list_all(self, with_results: bool = True) -> list[Assessment]:
        """Every assessment, newest first; without their result JSON when `with_results` is False."""
        query = self._select(_COLUMNS if with_results else _LISTED)
        with self._read() as conn:
            rows = conn.execute(query.order_by(assessments.c.created_at.desc(), assessments.c.id.desc()))
            return [_assessment(row) for row in rows]

    def results(self, ids: Sequence[int]) -> dict[int, str]:
        """The result JSON of these assessments (the submitted ones among them)."""
        query = select(assessments.c.id, assessments.c.result).where(
            assessments.c.id.in_(list(ids)) & assessments.c.result.is_not(None)
        )
        with self._read() as conn:
            return {aid: result for aid, result in conn.execute(query)}

    def count(self) -> int:
        with self._read() as conn:
            return int(conn.execute(select(func.count()).select_from(assessments)).scalar() or 0)

    # --- answers ----------------------------------------------------------------------------------

    def answers(self, assessment_id: int) -> dict[str, StoredAnswer]:
        with self._read() as conn:
            rows = conn.execute(
                select(answers.c.question_id, answers.c.value, answers.c.note, answers.c.target).where(
                    answers.c.assessment_id == assessment_id
                )
            )
            return {qid: _answer(value, note, target) for qid, value, note, target in rows}

    def all_answers(self, only: Sequence[int] | None = None) -> dict[int, dict[str, StoredAnswer]]:
        """Every stored answer by assessment, or those of the assessments `only` names."""
        found: dict[int, dict[str, StoredAnswer]] = {}
        with self._read() as conn:
            columns = (
                answers.c.assessment_id,
                answers.c.question_id,
                answers.c.value,
                answers.c.note,
                answers.c.target,
            )
            query = select(*columns)
            if only is not None:
                query = query.where(answers.c.assessment_id.in_(list(only)))
            for aid, qid, value, note, target in conn.execute(query):
                found.setdefault(aid, {})[qid] = _answer(value, note, target)
        return found

    def _lock_draft(self, conn: Connection, token: str) -> tuple[SaveOutcome, int]:
        """Lock the assessment row for this transaction; say whether it can still be changed."""
        row = conn.execute(
            select(assessments.c.id, assessments.c.status).where(assessments.c.token == token).with_for_update()
        ).first()
        if row is None:
            return "missing", 0
        if row.status != "draft":
            return "locked", row.id
        return "saved", row.id

    def _touch(self, conn: Connection, assessment_id: int, now: dt.datetime) -> None:
        conn.execute(
            assessments.update()
            .where(assessments.c.id == assessment_id)
            .values(revision=assessments.c.revision + 1, updated_at=now)
        )

    def save_answers(self, token: str, writes: Sequence[AnswerWrite]) -> SaveResult:
        """Merge these answers into the stored ones while the assessment is a draft; a write whose fields
        another tab changed since its page was served is left out and named in `conflicts`."""
        now = _now()
        conflicts: list[str] = []
        with self._write() as conn:
            outcome, aid = self._lock_draft(conn, token)
            if outcome != "saved":
                return SaveResult(outcome)
            changed = False
            for write in writes:
                where = (answers.c.assessment_id == aid) & (answers.c.question_id == write.question_id)
                row = conn.execute(select(answers.c.value, answers.c.note, answers.c.target).where(where)).first()
                stored = _answer(*row) if row is not None else StoredAnswer(None, None, None)
                if write.conflicts_with(stored):
                    conflicts.append(write.question_id)
                    continue
                merged = write.merged(stored)
                if merged == stored:
                    continue
                changed = True
                self._put_answer(conn, aid, write.question_id, merged, exists=row is not None, now=now)
            if changed:
                self._touch(conn, aid, now)
            return SaveResult("saved", tuple(conflicts))

    def _put_answer(
        self, conn: Connection, aid: int, question_id: str, answer: StoredAnswer, exists: bool, now: dt.datetime
    ) -> None:
        """Store one merged answer; one with no value, note or target is removed."""
        where = (answers.c.assessment_id == aid) & (answers.c.question_id == question_id)
        if answer.value is None and not answer.note and answer.target is None:
            if exists:
                conn.execute(answers.delete().where(where))
            return
        values = {
            "value": None if answer.value is None else json.dumps(answer.value, ensure_ascii=False),
            "note": answer.note or None,
            "target": answer.target,
            "updated_at": now,
        }
        if exists:
            conn.execute(answers.update().where(where).values(**values))
        else:
            conn.execute(answers.insert().values(assessment_id=aid, question_id=question_id, **values))

    def save_answer(
        self, token: str, question_id: str, value: StoredValue, note: str | None, target: float | None = None
    ) -> SaveOutcome:
        found = self.save_answers(token, [AnswerWrite(question_id, value, note, target)])
        return "conflict" if found.conflicts else found.outcome

    def save_profile(self, token: str, profile: dict[str, Any]) -> SaveOutcome:
        now = _now()
        with self._write() as conn:
            outcome, aid = self._lock_draft(conn, token)
            if outcome == "saved":
                conn.execute(
                    assessments.update()
                    .where(assessments.c.id == aid)
                    .values(profile=json.dumps(profile, ensure_ascii=False))
                )
                self._touch(conn, aid, now)
            return outcome

    # --- submission -------------------------------------------------------------------------------

    def submit(self, token: str, revision: int, result_json: str, overall: float | None, pdf: bytes, lang: str) -> bool:
        """Store the result of the revision that was scored, once: False if already submitted or changed since."""
        now = _now()
        with self._write() as conn:
            changed = conn.execute(
                assessments.update()
                .where(
                    (assessments.c.token == token)
                    & (assessments.c.status == "draft")
                    & (assessments.c.revision == revision)
                )
                .values(
                    status="submitted",
                    result=result_json,
                    overall=overall,
                    pdf=pdf,
                    lang=lang,
                    submitted_at=now,
                    updated_at=now,
                )
            ).rowcount
        return changed == 1

    def pdf(self, token: str) -> bytes | None:
        with self._read() as conn:
            return conn.execute(select(assessments.c.pdf).where(assessments.c.token == token)).scalar()

    def pdf_by_id(self, assessment_id: int) -> bytes | None:
        if not 1 <= assessment_id <= MAX_ID:
            return None
        with self._read() as conn:
            return conn.execute(select(assessments.c.pdf).where(assessments.c.id == assessment_id)).scalar()
