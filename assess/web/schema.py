"""The database schema and its migrations: a `schema_version` table and numbered, idempotent steps.

Every start runs `migrate`: inside one write transaction (SQLite: BEGIN IMMEDIATE; PostgreSQL: an
advisory lock), it reads the version, applies the steps above it in order and records the new
version, so two processes starting together cannot both upgrade.  A step never edits an earlier one;
a new column or table is a new step appended to `MIGRATIONS`.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    inspect,
    select,
    text,
)

metadata = MetaData()

schema_version = Table("schema_version", metadata, Column("version", Integer, nullable=False))

meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

assessments = Table(
    "assessments",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("token", String(64), nullable=False, unique=True),
    Column("label", String(200), nullable=True),  # the firm name a consultant's invite was made for
    Column("source", String(16), nullable=False),  # "self" or "invite"
    Column("status", String(16), nullable=False),  # "draft" or "submitted"
    Column("lang", String(16), nullable=False),
    Column("profile", Text, nullable=True),  # the firm profile as JSON
    Column("revision", Integer, nullable=False),  # +1 on every save: a submit scores the latest answers
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("submitted_at", DateTime(timezone=True), nullable=True),
    Column("result", Text, nullable=True),  # the ScoreResult as JSON
    Column("overall", Float, nullable=True),
    Column("pdf", LargeBinary, nullable=True),
    Column("created_by", String(100), nullable=True),  # the consultant account that made the invite; step 3
)

answers = Table(
    "answers",
    metadata,
    Column("assessment_id", Integer, ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True),
    Column("question_id", String(32), primary_key=True),
    Column("value", Text, nullable=True),  # JSON
    Column("note", Text, nullable=True),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("target", Float, nullable=True),  # the level the firm aims for (maturity-level questions); step 2
)

consultants = Table(
    "consultants",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("login", String(100), nullable=False, unique=True),  # the name as matched at login (NFKC, casefolded)
    Column("name", String(100), nullable=False),  # the name as written, shown on pages
    Column("password_hash", Text, nullable=False),  # scrypt$..., see assess.web.security
    Column("created_at", DateTime(timezone=True), nullable=False),
    sqlite_autoincrement=True,  # ids are never reused, so nothing can ever point at the wrong account
)

revoked_sessions = Table(
    "revoked_sessions",
    metadata,
    Column("csrf", String(64), primary_key=True),  # the logged-out session's own CSRF token (unique per session)
    Column("expires", BigInteger, nullable=False),  # when the session would have ended (Unix time); purged after
)

rate_events = Table(
    "rate_events",
    metadata,
    # The event's own id: a successful login gives back exactly its own slot.  Never reused (SQLite AUTOINCREMENT).
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),  # which limit: "login" or "create"
    Column("client", String(255), nullable=False),  # the client address it counts for
    Column("at", Float, nullable=False),  # when (Unix time); purged once older than the limit's window
    Index("rate_events_client", "kind", "client", "at"),  # counting one address's recent events
    Index("rate_events_expiry", "kind", "at"),  # purging the expired ones
    sqlite_autoincrement=True,
)

Migration = Callable[[Connection], None]


def _initial(conn: Connection) -> None:
    metadata.create_all(conn, tables=[meta, assessments, answers], checkfirst=True)


def _answer_targets(conn: Connection) -> None:
    """Step 2: answers get a target level.  A database made by step 1 of this version already has it."""
    if "target" not in {column["name"] for column in inspect(conn).get_columns("answers")}:
        conn.execute(text("ALTER TABLE answers ADD COLUMN target FLOAT"))


def _consultant_accounts(conn: Connection) -> None:
    """Step 3: one account per consultant, and who made each invite.  Step 1 of this version made the column."""
    metadata.create_all(conn, tables=[consultants], checkfirst=True)
    if "created_by" not in {column["name"] for column in inspect(conn).get_columns("assessments")}:
        conn.execute(text("ALTER TABLE assessments ADD COLUMN created_by VARCHAR(100)"))


def _revoked_sessions(conn: Connection) -> None:
    """Step 4: the sessions logged out before their expiry, so a copied cookie ends with its logout."""
    metadata.create_all(conn, tables=[revoked_sessions], checkfirst=True)


def _rate_events(conn: Connection) -> None:
    """Step 5: the rate limits (logins, self-assessments started) shared by every worker process and restart."""
    metadata.create_all(conn, tables=[rate_events], checkfirst=True)


MIGRATIONS: list[tuple[int, Migration]] = [
    (1, _initial),
    (2, _answer_targets),
    (3, _consultant_accounts),
    (4, _revoked_sessions),
    (5, _rate_events),
]
LATEST = MIGRATIONS[-1][0]


def current_version(conn: Connection) -> int:
    found = conn.execute(select(schema_version.c.version)).scalar()
    return int(found) if found is not None else 0


def migrate(conn: Connection) -> int:
    """Bring the schema up to LATEST inside the caller's write transaction; return the version reached."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(7414420)"))  # one migrating process at a time
    metadata.create_all(conn, tables=[schema_version], checkfirst=True)
    version = current_version(conn)
    if version > LATEST:
        raise RuntimeError(f"the database schema (version {version}) is newer than this assess (version {LATEST})")
    for number, step in MIGRATIONS:
        if number > version:
            step(conn)
    if version == 0:
        conn.execute(schema_version.insert().values(version=LATEST))
    elif version < LATEST:
        conn.execute(schema_version.update().values(version=LATEST))
    return LATEST
