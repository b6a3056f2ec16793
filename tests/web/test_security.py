"""Nothing leaked: CSRF, body limits, one token never shows another's data, escaping, headers, the login."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from assess.web.schema import rate_events
from assess.web.security import (
    SHARED_ACCOUNT,
    RateLimit,
    Session,
    Sessions,
    Signer,
    hash_password,
    verify_password,
)
from assess.web.storage import Store
from tests.conftest import GOOD_ANSWERS
from tests.web.conftest import PASSWORD, MakeApp, Visitor, csrf_of

SCRIPT = "<script>alert(1)</script>"
CONSULTANT_PAGES = ["/consultant", "/consultant/summary.csv", "/consultant/summary.xlsx", "/consultant/cohort.pdf"]


def test_csrf_is_required_on_every_post(client: TestClient, visitor: Visitor) -> None:
    assert client.post("/assessments", data={}).status_code == 403
    assert client.post("/assessments", data={"csrf": "forged"}).status_code == 403
    token = visitor.start()
    other = visitor.start()
    posts = [
        (f"/a/{token}/profile", {"name": "X", "industry": "crafts", "markets": "eu", "assessment_date": "2026-11-01"}),
        (f"/a/{token}/theme/1", {"answer-A-01": "3", "seen-A-01": "x"}),
        (f"/a/{token}/submit", {}),
        ("/consultant/login", {"password": PASSWORD}),
    ]
    for path, data in posts:
        assert client.post(path, data=data).status_code == 403, path
        assert client.post(path, data={**data, "csrf": "forged"}).status_code == 403, path
    # JSON saves need the header, and a token's CSRF value does not work for another token.
    answer = {"question": "A-01", "value": 3}
    assert client.post(f"/a/{token}/answer", json=answer).status_code == 403
    assert (
        client.post(f"/a/{token}/answer", json=answer, headers={"X-CSRF-Token": visitor.csrf(other)}).status_code == 403
    )
    assert (
        client.post(f"/a/{token}/answer", json=answer, headers={"X-CSRF-Token": visitor.csrf(token)}).status_code == 200
    )
    # The token is checked before the body: a bad body without the right token is refused as forged (403),
    # not explained (422), and only with the token is it the sender's mistake.
    json_type = {"Content-Type": "application/json"}
    bad_bodies = [b"{not json", b"[1]", b'{"question": "A-01", "extra": 1}']
    for bad in bad_bodies:
        for given in ({}, {"X-CSRF-Token": "forged"}, {"X-CSRF-Token": visitor.csrf(other)}):
            response = client.post(f"/a/{token}/answer", content=bad, headers=json_type | given)
            assert response.status_code == 403, (bad, given)
        right = json_type | {"X-CSRF-Token": visitor.csrf(token)}
        assert client.post(f"/a/{token}/answer", content=bad, headers=right).status_code == 422, bad
    # The anonymous forms' token is bound to this browser's cookie.
    form_csrf = csrf_of(client.get("/").text)
    with TestClient(client.app) as stranger:
        assert stranger.post("/assessments", data={"csrf": form_csrf}).status_code == 403


def test_bodies_over_the_limit_get_413(make_app: MakeApp, visitor: Visitor) -> None:
    token = visitor.start()
    csrf = visitor.csrf(token)
    big = "x" * 1_100_000
    response = visitor.client.post(
        f"/a/{token}/answer", json={"question": "A-04", "value": big}, headers={"X-CSRF-Token": csrf}
    )
    assert response.status_code == 413
    assert visitor.client.post(f"/a/{token}/theme/1", data={"csrf": csrf, "note-A-01": big}).status_code == 413

    def chunks() -> Iterator[bytes]:  # no Content-Length: the stream is counted as it arrives
        for _ in range(20):
            yield b"x" * 100_000

    headers = {"X-CSRF-Token": csrf, "Content-Type": "application/json"}
    streamed = visitor.client.post(f"/a/{token}/answer", content=chunks(), headers=headers)
    assert streamed.status_code == 413
    small = make_app(max_body_bytes=2_000)
    with TestClient(small) as client:
        assert client.post("/assessments", data={"csrf": "y" * 3_000}).status_code == 413
    # Over-long answers and notes within the body limit are refused by the answer rules.
    long_note = visitor.save(token, "A-01", 3, "n" * 5_001, csrf=csrf)
    assert long_note.status_code == 422


def test_another_token_shows_nothing_of_the_first_firm(client: TestClient, visitor: Visitor) -> None:
    token = visitor.start()
    visitor.profile(token, name="First Firm Secret Name")
    visitor.answer_all(token)
    assert visitor.submit(token).status_code == 303
    other = visitor.start()
    for path in ("", "/profile", "/theme/1", "/review", "/results", "/report.pdf"):
        made_up = "A" * 43
        response = client.get(f"/a/{made_up}{path}")
        assert response.status_code == 404, path
        assert "First Firm" not in response.text and "note for" not in response.text
        mine = client.get(f"/a/{other}{path}")
        assert "First Firm" not in mine.text and "note for" not in mine.text
    for bad in ("short", token[:-1], token + "x", "../" + token, token.upper() if token.upper() != token else "Z" * 44):
        assert client.get(f"/a/{bad}").status_code == 404
    assert client.post(f"/a/{'A' * 43}/answer", json={"question": "A-01", "value": 3}).status_code in (403, 404)


def test_consultant_pages_refuse_anyone_without_the_login(client: TestClient, visitor: Visitor) -> None:
    token = visitor.start()
    for path in CONSULTANT_PAGES:
        response = client.get(path, follow_redirects=False)
        assert response.status_code in (303, 401, 403), path
        if response.status_code == 303:
            assert response.headers["location"] == "/consultant/login"
    download = client.get("/consultant/assessments/1/report.pdf", follow_redirects=False)
    assert download.status_code == 303 and download.headers["location"] == "/consultant/login"
    assert client.post("/consultant/invites", data={"firm": "X", "csrf": visitor.csrf(token)}).status_code == 403
    assert client.post("/consultant/logout", data={"csrf": "x"}).status_code == 403
    client.cookies.set("assess_session", "forged.value")
    assert client.get("/consultant", follow_redirects=False).status_code == 303


def test_login_wrong_password_refused_right_one_accepted(client: TestClient, visitor: Visitor) -> None:
    wrong = visitor.login("not the password")
    assert wrong.status_code == 401 and 'id="login-error"' in wrong.text
    assert "assess_session" not in client.cookies
    right = visitor.login()
    assert right.status_code == 303 and right.headers["location"] == "/consultant"
    cookie = right.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert client.get("/consultant").status_code == 200
    client.post("/consultant/logout", data={"csrf": visitor.consultant_csrf()})
    assert client.get("/consultant", follow_redirects=False).status_code == 303


def test_logout_ends_every_copy_of_the_session(make_app: MakeApp, db_url: str) -> None:
    """A copied cookie stops working at logout, in this process and in another one on the same database."""
    app, other_process = make_app(db_url=db_url), make_app(db_url=db_url)
    with TestClient(app) as client, TestClient(app) as thief, TestClient(other_process) as elsewhere:
        visitor = Visitor(client)
        assert visitor.login().status_code == 303
        copied = client.cookies["assess_session"]
        for other in (thief, elsewhere):
            other.cookies.set("assess_session", copied)
            assert other.get("/consultant", follow_redirects=False).status_code == 200
        assert client.post("/consultant/logout", data={"csrf": visitor.consultant_csrf()}).status_code == 200
        for other in (thief, elsewhere):
            assert other.get("/consultant", follow_redirects=False).headers["location"] == "/consultant/login"
            assert other.get("/consultant/summary.csv", follow_redirects=False).status_code == 303
        assert visitor.login().status_code == 303  # a new login opens a new session
        assert client.get("/consultant", follow_redirects=False).status_code == 200


def test_a_successful_login_does_not_wipe_earlier_failures(make_app: MakeApp) -> None:
    app = make_app(login_attempts=3)
    with TestClient(app) as guesser, TestClient(app) as insider:  # one address
        visitor = Visitor(guesser)
        assert [visitor.login("wrong").status_code for _ in range(2)] == [401, 401]
        assert Visitor(insider).login().status_code == 303  # one known password...
        assert visitor.login("wrong again").status_code == 401
        assert visitor.login("and again").status_code == 429  # ...does not buy more guesses


def test_concurrent_wrong_logins_never_pass_the_limit(make_app: MakeApp) -> None:
    with TestClient(make_app(login_attempts=5)) as client:
        visitor = Visitor(client)
        page = client.get("/consultant/login")
        data = {"csrf": csrf_of(page.text), "name": "", "password": "wrong"}
        statuses: list[int] = []
        start = threading.Barrier(30)

        def guess() -> None:
            start.wait()
            statuses.append(client.post("/consultant/login", data=data).status_code)

        threads = [threading.Thread(target=guess) for _ in range(30)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert statuses.count(401) == 5 and statuses.count(429) == 25
        assert visitor.login().status_code == 429


def test_starting_assessments_is_limited_per_address(make_app: MakeApp) -> None:
    with TestClient(make_app(create_limit=3)) as client:
        form = {"csrf": csrf_of(client.get("/").text)}
        assert [client.post("/assessments", data=form, follow_redirects=False).status_code for _ in range(3)] == [
            303,
            303,
            303,
        ]
        refused = client.post("/assessments", data=form, follow_redirects=False)
        assert refused.status_code == 429
        assert "新建的自评过多" in refused.text and "Too many self-assessments" in refused.text
        assert client.app.state.web.store.count() == 3  # type: ignore[attr-defined]


def test_consultant_downloads_without_a_session_lead_to_the_login(make_app: MakeApp) -> None:
    app = make_app()
    with TestClient(app) as client:
        web = app.state.web
        shared = web.shared_password_hash()
        expired, _ = web.sessions.issue(shared, now=time.time() - 13 * 3600)
        client.cookies.set("assess_session", expired)
        for path in [*CONSULTANT_PAGES, "/consultant/assessments/1/report.pdf"]:
            response = client.get(path, follow_redirects=False)
            assert response.status_code == 303 and response.headers["location"] == "/consultant/login", path


def test_login_is_throttled(make_app: MakeApp) -> None:
    with TestClient(make_app(login_attempts=3)) as client:
        visitor = Visitor(client)
        assert [visitor.login("wrong").status_code for _ in range(3)] == [401, 401, 401]
        assert visitor.login().status_code == 429  # even the right password waits


def test_the_login_limit_is_shared_by_every_process_and_survives_a_restart(make_app: MakeApp, db_url: str) -> None:
    first, second = make_app(db_url=db_url, login_attempts=4), make_app(db_url=db_url, login_attempts=4)
    # Two worker processes, one client address (the test client's).
    with TestClient(first) as one, TestClient(second) as two, TestClient(second) as insider:
        assert Visitor(one).login("wrong").status_code == 401
        assert Visitor(two).login("wrong").status_code == 401
        assert Visitor(one).login("wrong").status_code == 401
        assert Visitor(insider).login().status_code == 303  # gives back its own slot only
        assert Visitor(two).login("wrong").status_code == 401
        assert Visitor(one).login().status_code == 429  # the 4 failures count in both processes
        assert Visitor(two).login().status_code == 429
    with TestClient(make_app(db_url=db_url, login_attempts=4)) as restarted:
        response = Visitor(restarted).login()  # a restart forgets none of them
        assert response.status_code == 429 and "Too many failed attempts" in response.text


def test_concurrent_wrong_logins_in_two_processes_never_pass_the_limit(make_app: MakeApp, db_url: str) -> None:
    apps = [make_app(db_url=db_url, login_attempts=5), make_app(db_url=db_url, login_attempts=5)]
    with TestClient(apps[0]) as one, TestClient(apps[1]) as two:
        clients = [one, two]
        forms = [{"csrf": csrf_of(c.get("/consultant/login").text), "name": "", "password": "wrong"} for c in clients]
        statuses: list[int] = []
        start = threading.Barrier(24)

        def guess(number: int) -> None:
            start.wait()
            statuses.append(clients[number % 2].post("/consultant/login", data=forms[number % 2]).status_code)

        threads = [threading.Thread(target=guess, args=(number,)) for number in range(24)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert statuses.count(401) == 5 and statuses.count(429) == 19


def test_the_start_limit_is_shared_by_every_process_and_survives_a_restart(make_app: MakeApp, db_url: str) -> None:
    def start(client: TestClient) -> int:
        form = {"csrf": csrf_of(client.get("/").text)}
        return client.post("/assessments", data=form, follow_redirects=False).status_code

    first, second = make_app(db_url=db_url, create_limit=3), make_app(db_url=db_url, create_limit=3)
    with TestClient(first) as one, TestClient(second) as two:
        assert [start(one), start(two), start(one)] == [303, 303, 303]
        assert start(two) == 429 and start(one) == 429
    with TestClient(make_app(db_url=db_url, create_limit=3)) as restarted:
        assert start(restarted) == 429
        web = restarted.app.state.web  # type: ignore[attr-defined]
        assert web.store.count() == 3
    # Once the window has passed the old starts stop counting: here, a window shorter than their age.
    time.sleep(0.3)
    with TestClient(make_app(db_url=db_url, create_limit=3, create_window_seconds=0.2)) as later:
        assert start(later) == 303


def test_without_a_password_nobody_logs_in(make_app: MakeApp) -> None:
    with TestClient(make_app(password=None)) as client:
        visitor = Visitor(client)
        assert 'id="not-configured"' in client.get("/consultant/login").text
        assert visitor.login("").status_code == 401
        assert visitor.login(PASSWORD).status_code == 401


def test_firm_text_is_escaped_in_every_page(client: TestClient, visitor: Visitor) -> None:
    token = visitor.start()
    visitor.profile(token, name=SCRIPT, assessor=SCRIPT)
    csrf = visitor.csrf(token)
    for qid, value in GOOD_ANSWERS.items():
        visitor.save(token, qid, value, SCRIPT, csrf=csrf)
    visitor.save(token, "A-04", SCRIPT, SCRIPT, csrf=csrf)
    refused = client.post(f"/a/{token}/theme/2", data={"csrf": csrf, "seen-B-01": "", "answer-B-01": SCRIPT})
    assert refused.status_code == 422
    pages = [refused.text]
    pages += [client.get(f"/a/{token}{path}").text for path in ("", "/profile", "/theme/1", "/theme/2", "/review")]
    assert visitor.submit(token).status_code == 303
    pages.append(client.get(f"/a/{token}/results").text)
    visitor.login()
    invite = client.post("/consultant/invites", data={"csrf": visitor.consultant_csrf(), "firm": SCRIPT})
    pages.append(invite.text)
    pages.append(client.get("/consultant").text)
    for html in pages:
        assert SCRIPT not in html
        assert "<script>alert" not in html
    assert any("&lt;script&gt;alert(1)&lt;/script&gt;" in html for html in pages)
    scripts = {s for html in pages for s in re.findall(r"<script[^>]*>", html)}
    assert scripts == {'<script src="/static/web.js" defer>'}


def test_security_headers(client: TestClient, visitor: Visitor) -> None:
    token = visitor.start()
    for path in ("/", f"/a/{token}", "/consultant/login", "/static/web.css", "/no-such-page"):
        headers = client.get(path).headers
        assert headers["x-content-type-options"] == "nosniff", path
        assert headers["x-frame-options"] == "DENY", path
        csp = headers["content-security-policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
        assert headers["referrer-policy"] == "no-referrer"
    assert client.get(f"/a/{token}").headers["cache-control"] == "no-store"


# --- the security module itself ----------------------------------------------------------------------


def test_password_hashes() -> None:
    stored = hash_password("s3cret")
    assert stored.startswith("scrypt$") and "s3cret" not in stored
    assert verify_password("s3cret", stored)
    assert not verify_password("s3cret ", stored)
    assert hash_password("s3cret") != stored  # salted
    for broken in (None, "", "scrypt$1$2", "bcrypt$x$y$z$a$b", "scrypt$x$8$1$AAAA$BBBB"):
        assert not verify_password("s3cret", broken)


def test_sessions_are_signed_expire_and_end_with_their_password() -> None:
    signer = Signer("key")
    hashes: dict[int, str | None] = {SHARED_ACCOUNT: hash_password("pw"), 7: hash_password("seven's")}
    sessions = Sessions(signer, hours=1, account_hash=hashes.get, revoked=lambda _csrf: False)
    cookie, session = sessions.issue(hashes[SHARED_ACCOUNT] or "", now=1_000)
    assert sessions.read(cookie, now=1_001) == session and session.account == SHARED_ACCOUNT
    assert sessions.read(cookie, now=1_000 + 3_601) is None
    body, mac = cookie.split(".")
    assert sessions.read(f"{body}x.{mac}", now=1_001) is None
    assert sessions.read(f"{body}.{mac[:-2]}AA", now=1_001) is None
    assert Sessions(Signer("other key"), 1, hashes.get, lambda _csrf: False).read(cookie, now=1_001) is None
    assert sessions.read(None) is None and sessions.read("no-dot") is None
    named, _ = sessions.issue(hashes[7] or "", account=7, name="王芳", now=1_000)
    assert sessions.read(named, now=1_001) == Session(1_000 + 3_600, _.csrf, 7, "王芳")
    hashes[SHARED_ACCOUNT] = hash_password("new password")  # a new shared password ends its sessions only
    assert sessions.read(cookie, now=1_001) is None and sessions.read(named, now=1_001) is not None
    del hashes[7]  # the account is removed
    assert sessions.read(named, now=1_001) is None


def test_csrf_tokens_are_bound_to_their_purpose() -> None:
    signer = Signer("key")
    token = "T" * 43
    assert signer.check("csrf-exporter", token, signer.exporter_csrf(token))
    assert not signer.check("csrf-anon", token, signer.exporter_csrf(token))
    assert not signer.check("csrf-exporter", "U" * 43, signer.exporter_csrf(token))
    assert not signer.check("csrf-exporter", token, None)


def test_rate_limit_window_reserve_and_release(db_url: str) -> None:
    store = Store(db_url)
    limit = RateLimit(store, "login", limit=2, window=10)
    first, second = limit.reserve("a", now=0), limit.reserve("a", now=1)
    assert first is not None and second is not None and first != second
    assert limit.reserve("a", now=5) is None and limit.blocked("a", now=5) and not limit.blocked("b", now=5)
    assert RateLimit(store, "create", limit=2, window=10).reserve("a", now=5) is not None  # another limit's count
    assert store.recent_events("login", "a", window=4.5, now=5) == 1  # the slot taken at 1 (0 is out of this window)
    limit.release("a", second)  # a success gives back its own slot only
    third = limit.reserve("a", now=6)
    assert third is not None and limit.blocked("a", now=6)
    assert limit.reserve("a", now=7) is None  # the failure at 0 still counts
    assert limit.reserve("a", now=10.5) is not None  # ...until it leaves the window
    limit.release("a", 10**12)  # a slot it never gave: nothing happens
    limit.release("b", third)  # nor another client's slot
    RateLimit(store, "create", limit=2, window=10).release("a", third)  # nor another limit's
    assert limit.blocked("a", now=10.5)
    store.close()


def test_expired_rate_events_stop_counting_and_are_purged(db_url: str) -> None:
    store = Store(db_url)
    limit = RateLimit(store, "login", limit=3, window=60)
    old = time.time() - 61
    assert all(limit.reserve(client, now=old) is not None for client in ("a", "a", "a", "b", "c"))
    assert limit.blocked("a", now=old) and not limit.blocked("a")
    assert limit.reserve("a") is not None  # the three old ones no longer count...
    with store.engine.connect() as conn:  # ...and that write purged every expired event of the limit
        assert conn.execute(select(func.count()).select_from(rate_events)).scalar() == 1
    creations = RateLimit(store, "create", limit=1, window=3600)
    assert creations.reserve("a", now=old) is not None
    assert creations.reserve("a") is None  # a login's window does not purge another limit's events
    store.close()


def test_concurrent_reservations_from_two_processes_never_pass_the_limit(db_url: str) -> None:
    stores = [Store(db_url), Store(db_url)]  # two engines, two pools: two worker processes
    limits = [RateLimit(store, "login", limit=7, window=60) for store in stores]
    taken: list[int | None] = []
    start = threading.Barrier(40)

    def attempt(number: int) -> None:
        start.wait()
        taken.append(limits[number % 2].reserve("10.0.0.1"))

    threads = [threading.Thread(target=attempt, args=(number,)) for number in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    slots = [slot for slot in taken if slot is not None]
    assert len(taken) == 40 and len(slots) == 7 and len(set(slots)) == 7
    assert all(limit.blocked("10.0.0.1") for limit in limits)
    for store in stores:
        store.close()


def test_the_limits_can_be_raised_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """An office whose firms share one public address raises the start limit; a mistyped value is said, not ignored."""
    from assess.errors import UserError
    from assess.web.settings import WebSettings

    monkeypatch.setenv("ASSESS_WEB_CREATE_LIMIT", "250")
    monkeypatch.setenv("ASSESS_WEB_LOGIN_ATTEMPTS", " 5 ")
    settings = WebSettings.from_env()
    assert (settings.create_limit, settings.login_attempts) == (250, 5)
    monkeypatch.delenv("ASSESS_WEB_LOGIN_ATTEMPTS")
    assert WebSettings.from_env().login_attempts == WebSettings().login_attempts
    for wrong in ("0", "-3", "ten", "2.5", "３０"):
        monkeypatch.setenv("ASSESS_WEB_CREATE_LIMIT", wrong)
        with pytest.raises(UserError) as info:
            WebSettings.from_env()
        assert "ASSESS_WEB_CREATE_LIMIT" in info.value.summary and wrong in info.value.summary
        assert "环境变量 ASSESS_WEB_CREATE_LIMIT" in (info.value.summary_zh or "")
