"""Password hashes (scrypt with a salt), signed session cookies and CSRF tokens (HMAC-SHA256), rate limits.

- The consultant's password is kept only as `scrypt$n$r$p$salt$hash`; checking it takes ~50 ms.
- A session cookie is `payload.mac`: the payload (expiry, a per-session CSRF token, the consultant
  account and a fingerprint of its password hash, so changing the password or removing the account
  ends its sessions) signed with the secret key.  Account 0 is the server's shared password.
  Logging out revokes the session: its CSRF token (unique per session) is listed in the database
  until the session would have expired, so a copied cookie stops working in every process too.
- CSRF tokens: on an exporter's pages HMAC(secret, "exporter", token), so only a page served by us
  for that assessment carries it; on the anonymous forms (start, login) HMAC(secret, "anon", cookie)
  bound to a random cookie; on the consultant's pages the session's own token.
- Rate limits (logins, self-assessments started) per client address, counted in the database so
  every worker process and a restart share them.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
SALT_BYTES = 16


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def hash_password(password: str, salt: bytes | None = None) -> str:
    salt = salt if salt is not None else secrets.token_bytes(SALT_BYTES)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str | None) -> bool:
    """True when `password` matches the stored hash; False for no hash or a malformed one."""
    if not stored:
        return False
    try:
        scheme, n, r, p, salt, expected = stored.split("$")
        if scheme != "scrypt":
            return False
        digest = hashlib.scrypt(
            password.encode("utf-8"), salt=_unb64(salt), n=int(n), r=int(r), p=int(p), dklen=len(_unb64(expected))
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(digest, _unb64(expected))


def looks_like_hash(value: str) -> bool:
    parts = value.split("$")
    return len(parts) == 6 and parts[0] == "scrypt"


class Signer:
    """HMAC-SHA256 with the app's secret key, separated by purpose so one token never serves another."""

    def __init__(self, secret: str) -> None:
        self._key = hashlib.sha256(b"assess-web\0" + secret.encode("utf-8")).digest()

    def mac(self, purpose: str, value: str) -> str:
        return _b64(hmac.new(self._key, f"{purpose}\0{value}".encode(), hashlib.sha256).digest())

    def check(self, purpose: str, value: str, given: str | None) -> bool:
        return bool(given) and hmac.compare_digest(self.mac(purpose, value).encode(), (given or "").encode())

    # CSRF tokens of the two kinds of pages that have no session.
    def exporter_csrf(self, token: str) -> str:
        return self.mac("csrf-exporter", token)

    def anonymous_csrf(self, cookie: str) -> str:
        return self.mac("csrf-anon", cookie)


SHARED_ACCOUNT = 0  # the session of the server's shared password, not of a named account
AccountHash = Callable[[int], "str | None"]  # an account's password hash now; None once it is gone
Revoked = Callable[[str], bool]  # whether the session with this CSRF token was logged out


@dataclass(frozen=True)
class Session:
    expires: int
    csrf: str
    account: int = SHARED_ACCOUNT
    name: str = ""  # the consultant's name as shown; empty for the shared password


class Sessions:
    """Consultant sessions as signed cookies; reading one looks up its account's current password hash and
    whether it was logged out (a stateless cookie alone would outlive its logout)."""

    def __init__(self, signer: Signer, hours: float, account_hash: AccountHash, revoked: Revoked) -> None:
        self.signer = signer
        self.seconds = int(hours * 3600)
        self.account_hash = account_hash
        self.revoked = revoked

    def _fingerprint(self, password_hash: str) -> str:
        return self.signer.mac("password", password_hash)[:16]

    def issue(
        self, password_hash: str, account: int = SHARED_ACCOUNT, name: str = "", now: float | None = None
    ) -> tuple[str, Session]:
        """A session of `account` (SHARED_ACCOUNT: the shared password), bound to its current `password_hash`."""
        session = Session(
            expires=int(now if now is not None else time.time()) + self.seconds,
            csrf=_b64(secrets.token_bytes(24)),
            account=account,
            name=name,
        )
        fingerprint = self._fingerprint(password_hash)
        payload = {"e": session.expires, "c": session.csrf, "p": fingerprint, "a": account, "n": name}
        body = _b64(json.dumps(payload, ensure_ascii=False).encode())
        return f"{body}.{self.signer.mac('session', body)}", session

    def read(self, cookie: str | None, now: float | None = None) -> Session | None:
        """The session, if the cookie is ours, unexpired, not logged out, and its account still has the password
        it was opened with."""
        if not cookie or cookie.count(".") != 1:
            return None
        body, mac = cookie.split(".")
        if not self.signer.check("session", body, mac):
            return None
        try:
            data = json.loads(_unb64(body))
            expires, csrf, fingerprint = int(data["e"]), str(data["c"]), str(data["p"])
            account, name = int(data.get("a", SHARED_ACCOUNT)), str(data.get("n", ""))
        except (ValueError, KeyError, TypeError, AttributeError):
            return None
        if expires < (now if now is not None else time.time()):
            return None
        current = self.account_hash(account)  # None: the account was removed, or the shared password turned off
        if current is None or not hmac.compare_digest(fingerprint, self._fingerprint(current)):
            return None
        if self.revoked(csrf):
            return None
        return Session(expires, csrf, account, name)


class RateEvents(Protocol):
    """Where rate limits keep their events: the app's database (`assess.web.storage.Store`)."""

    def reserve_event(self, kind: str, client: str, limit: int, window: float, now: float) -> int | None: ...

    def release_event(self, kind: str, client: str, event_id: int) -> None: ...

    def recent_events(self, kind: str, client: str, window: float, now: float) -> int: ...


class RateLimit:
    """At most `limit` attempts of one `kind` per client address in a sliding window of `window` seconds.

    The attempts are kept in the database, so every worker process counts them together and a restart
    forgets none.  An attempt takes its slot before the work it guards (`reserve`), counting and recording
    in one write transaction, so concurrent attempts, from any process, can never pass the limit between
    a check and a record.  A login gives back only its own slot when it succeeds (`release`): one known
    password must not wipe the failures of guessing others.  Times are Unix times (the wall clock, the
    same in every process on a machine).
    """

    def __init__(self, events: RateEvents, kind: str, limit: int, window: float) -> None:
        self.events = events
        self.kind = kind
        self.limit = limit
        self.window = window

    def reserve(self, client: str, now: float | None = None) -> int | None:
        """Take a slot for an attempt now: its id (for `release`), or None when the limit is reached."""
        stamp = now if now is not None else time.time()
        return self.events.reserve_event(self.kind, client, self.limit, self.window, stamp)

    def release(self, client: str, slot: int) -> None:
        """Give back the one slot `reserve` returned (a successful login); every other attempt still counts."""
        self.events.release_event(self.kind, client, slot)

    def blocked(self, client: str, now: float | None = None) -> bool:
        stamp = now if now is not None else time.time()
        return self.events.recent_events(self.kind, client, self.window, stamp) >= self.limit
