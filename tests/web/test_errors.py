"""Errors answer in the exporter's language, as our own pages (or JSON for the script), never as a traceback."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import MakeApp, Visitor, csrf_of


def chinese_only(text: str) -> bool:
    return '<html lang="zh-CN">' in text and "Something went wrong" not in text and "出错了" in text


@pytest.fixture
def chinese_token(visitor: Visitor) -> str:
    """A Chinese assessment, then the language cookie gone (another device opening the private link)."""
    token = visitor.start("zh")
    visitor.profile(token)
    visitor.client.cookies.delete("assess_lang")
    return token


def test_error_pages_follow_the_assessments_language(client: TestClient, chinese_token: str) -> None:
    token = chinese_token
    assert "做法一" in client.get(f"/a/{token}/theme/1").text  # the pages are Chinese without the cookie
    missing = client.get(f"/a/{token}/theme/99")
    assert missing.status_code == 404 and chinese_only(missing.text) and "找不到此页面" in missing.text
    forged = client.post(f"/a/{token}/profile", data={"csrf": "forged"})
    assert forged.status_code == 403 and chinese_only(forged.text)
    wrong_method = client.get(f"/a/{token}/submit")
    assert wrong_method.status_code == 405 and chinese_only(wrong_method.text) and "405" in wrong_method.text
    assert "POST" in wrong_method.headers["allow"]
    unknown = client.get("/a/" + "A" * 43)
    assert unknown.status_code == 404 and "找不到此页面" in unknown.text and "This page does not exist" in unknown.text


def test_the_scripts_errors_follow_the_assessments_language(
    client: TestClient, visitor: Visitor, chinese_token: str
) -> None:
    url = f"/a/{chinese_token}/answer"
    csrf = {"X-CSRF-Token": visitor.csrf(chinese_token)}
    cases = [
        (client.post(url, json={"question": "A-01", "value": 1}), 403, "error_403"),
        (client.post(url, json={"question": "NO-SUCH", "value": 1}, headers=csrf), 422, "unknown_question"),
        (client.post(url, json={"question": "A-01", "extra": 1}, headers=csrf), 422, "error_422"),
        (client.post(url, content=b"{not json", headers=csrf | {"Content-Type": "application/json"}), 422, "error_422"),
    ]
    for response, status, code in cases:
        assert response.status_code == status and response.json()["code"] == code, code
        error = response.json()["error"]
        assert error and all(not ("a" <= c.lower() <= "z") for c in error), error  # Chinese words only


def test_a_body_over_the_limit_gets_our_page_in_the_assessments_language(
    make_app: MakeApp, visitor: Visitor, chinese_token: str
) -> None:
    csrf = visitor.csrf(chinese_token)
    big = {"csrf": csrf, "note-A-01": "x" * 1_100_000}
    page = visitor.client.post(f"/a/{chinese_token}/theme/1", data=big)
    assert page.status_code == 413 and chinese_only(page.text) and "提交的内容过大" in page.text
    script = visitor.client.post(
        f"/a/{chinese_token}/answer",
        json={"question": "A-04", "value": "x" * 1_100_000},
        headers={"X-CSRF-Token": csrf},
    )
    assert script.status_code == 413 and script.json()["error"] == "提交的内容过大。"
    with TestClient(make_app(max_body_bytes=2_000)) as small:
        response = small.post("/assessments", data={"csrf": "y" * 3_000})
        assert response.status_code == 413 and "What was sent is too large" in response.text


def test_an_unexpected_error_is_our_own_page_without_a_traceback(
    app: object, visitor: Visitor, chinese_token: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = visitor.client.app.state.web.store  # type: ignore[attr-defined]

    def broken(_assessment_id: int) -> None:
        raise RuntimeError("secret detail of the failure")

    with TestClient(visitor.client.app, raise_server_exceptions=False) as client:
        monkeypatch.setattr(store, "answers", broken)
        page = client.get(f"/a/{chinese_token}/theme/1")
        assert page.status_code == 500 and chinese_only(page.text) and "出现意外错误" in page.text
        assert "secret detail" not in page.text and "Traceback" not in page.text


def test_out_of_range_ids_are_not_found(client: TestClient, visitor: Visitor) -> None:
    assert visitor.login().status_code == 303
    for number in (0, 2**31, 2**63, 2**64, 10**40):
        assert client.get(f"/consultant/assessments/{number}/report.pdf").status_code == 404, number


def test_a_form_that_is_not_utf8_is_refused(client: TestClient, visitor: Visitor) -> None:
    token = visitor.start()
    csrf = visitor.csrf(token)
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    base = f"csrf={csrf}&industry=crafts&markets=eu&assessment_date=2026-11-01&name=".encode()
    for name in (b"%ff%fe", b"\xff\xfe", b"%e4%b8", "宁波".encode()):  # browsers send "%E5%AE%81%E6%B3%A2"
        refused = client.post(f"/a/{token}/profile", content=base + name, headers=headers)
        assert refused.status_code == 400 and "UTF-8" in refused.text, name
    accepted = client.post(
        f"/a/{token}/profile", content=base + b"%E5%AE%81%E6%B3%A2", headers=headers, follow_redirects=False
    )
    assert accepted.status_code == 303


def test_invites_refuse_control_characters(client: TestClient, visitor: Visitor) -> None:
    assert visitor.login().status_code == 303
    csrf = visitor.consultant_csrf()
    for firm in ("Evil\x00Co", "Red \x1b[31m Co"):
        refused = client.post("/consultant/invites", data={"csrf": csrf, "firm": firm})
        assert refused.status_code == 422 and 'id="invite-error"' in refused.text
    assert client.app.state.web.store.count() == 0  # type: ignore[attr-defined]
    token = visitor.start()
    assert visitor.profile(token, name="Evil\x1b Co").status_code == 422
    visitor.profile(token)
    visitor.answer_all(token)
    assert visitor.submit(token).status_code == 303
    rows = csv.reader(io.StringIO(client.get("/consultant/summary.csv").content.decode("utf-8-sig")))
    assert not any("\x1b" in cell or "\x00" in cell for row in rows for cell in row)
    assert csrf_of(client.get("/consultant").text) == csrf


def test_a_path_that_does_not_parse_is_not_found(client: TestClient, visitor: Visitor) -> None:
    """`/a/<token>/theme/abc` names no page: 404 as an unknown theme is, not 422 "what was sent is not valid"."""
    token = visitor.start()
    visitor.profile(token)
    for path in (f"/a/{token}/theme/abc", f"/a/{token}/theme/1.5", f"/a/{token}/theme/%20"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert 'id="error-message"' in response.text
    assert visitor.login().status_code == 303
    assert client.get("/consultant/assessments/abc/report.pdf").status_code == 404
    # A body that does not parse is still the sender's mistake.
    refused = client.post(f"/a/{token}/answer", json=[1], headers={"X-CSRF-Token": visitor.csrf(token)})
    assert refused.status_code == 422
