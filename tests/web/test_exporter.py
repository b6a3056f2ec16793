"""The exporter's path: create, profile, every theme, submit, results and PDF; resume; saves that lose nothing."""

from __future__ import annotations

import base64
import json
import re
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from assess.api import load_criteria, score
from assess.models.response import Response
from assess.models.result import ScoreResult
from assess.validation import validate_response
from assess.web.storage import ANSWER_FIELDS, AnswerWrite
from tests.conftest import GOOD_ANSWERS, MINI
from tests.web.conftest import PROFILE, MakeApp, Visitor, csrf_of


def expected_overall() -> str:
    criteria = load_criteria(MINI)
    response = Response.model_validate(
        {"status": "final", "firm": PROFILE | {"credit_code": None}, "answers": GOOD_ANSWERS}
    )
    result = score(criteria, validate_response(criteria, response, str))
    assert result.overall is not None
    return f"{result.overall:.1f}"


def theme_form(html: str) -> dict[str, str | list[str]]:
    """What the browser would send for a theme page as shown (every input's current value)."""
    data: dict[str, str | list[str]] = {"csrf": csrf_of(html)}
    for name, value in re.findall(r'<input type="hidden" name="(seen-[^"]+)" value="([^"]*)"', html):
        data[name] = value
    for name, value in re.findall(
        r'<input type="(?:radio|checkbox)" name="([^"]+)" id="[^"]+" value="([^"]+)" checked>', html
    ):
        existing = data.get(name)
        data[name] = (
            [*existing, value] if isinstance(existing, list) else [value] if existing is None else [existing, value]
        )
    for name, value in re.findall(
        r'<input type="text" inputmode="decimal" name="([^"]+)" id="[^"]+" value="([^"]*)"', html
    ):
        data[name] = value
    for name, value in re.findall(
        r'<textarea name="([^"]+)" id="[^"]+" rows="\d+" maxlength="\d+"[^>]*>([^<]*)</textarea>', html
    ):
        data[name] = value
    return data


def test_whole_exporter_flow(client: TestClient, visitor: Visitor, tmp_path: Path) -> None:
    start = client.get("/")
    assert start.status_code == 200
    assert 'name="viewport"' in start.text and 'id="start-assessment"' in start.text
    token = visitor.start()
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token)

    profile = client.get(f"/a/{token}/profile")
    assert f"/a/{token}" in profile.text  # the private link is shown
    response = visitor.profile(token)
    assert response.status_code == 303 and response.headers["location"] == f"/a/{token}/theme/1"

    # Every theme of the mini set, one page each, answered through the pages' own forms.
    themes = load_criteria(MINI).themes
    for number, theme in enumerate(themes, start=1):
        page = client.get(f"/a/{token}/theme/{number}")
        assert page.status_code == 200
        assert 'id="progress"' in page.text
        for question in theme.questions:
            assert f'id="q-{question.id}"' in page.text
        csrf = csrf_of(page.text)
        for question in theme.questions:
            saved = visitor.save(
                token, question.id, GOOD_ANSWERS.get(question.id, "free text"), f"evidence {question.id}", csrf
            )
            assert saved.status_code == 200 and saved.json()["ok"]
        assert "Descriptor" not in page.text
    alpha = client.get(f"/a/{token}/theme/1").text
    assert "Documented" in alpha and "Measured" in alpha  # level descriptors beside the question
    assert "evidence A-01" in alpha

    review = client.get(f"/a/{token}/review")
    assert 'id="all-answered"' in review.text
    submitted = visitor.submit(token)
    assert submitted.status_code == 303 and submitted.headers["location"] == f"/a/{token}/results"

    results = client.get(f"/a/{token}/results")
    assert results.status_code == 200
    overall = expected_overall()
    assert f'id="overall-score">{overall}<' in results.text
    assert "<svg" in results.text and 'id="priorities"' in results.text
    assert "Example Crafts Co." in results.text

    pdf = client.get(f"/a/{token}/report.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Example Crafts Co." in text and overall in text

    # After submitting, the answers are closed.
    assert visitor.save(token, "A-01", 1).status_code == 409
    assert client.get(f"/a/{token}/theme/1", follow_redirects=False).headers["location"] == f"/a/{token}/results"


def test_theme_pages_save_on_navigation(client: TestClient, visitor: Visitor) -> None:
    token = visitor.start()
    visitor.profile(token)
    page = client.get(f"/a/{token}/theme/1").text
    data = theme_form(page)
    data |= {"answer-A-01": "2", "note-A-01": "QP-07", "answer-A-02": "full", "go": "next"}
    response = client.post(f"/a/{token}/theme/1", data=data, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == f"/a/{token}/theme/2"
    again = client.get(f"/a/{token}/theme/1").text
    assert re.search(r'value="2" checked', again) and "QP-07" in again
    assert 'id="answer-A-02-full" value="full" checked' in again
    # The last theme goes on to the review; Back from the first goes to the profile.
    last = client.get(f"/a/{token}/theme/2").text
    to_review = client.post(f"/a/{token}/theme/2", data=theme_form(last) | {"go": "review"}, follow_redirects=False)
    assert to_review.headers["location"] == f"/a/{token}/review"
    back = client.post(f"/a/{token}/theme/1", data=theme_form(again) | {"go": "prev"}, follow_redirects=False)
    assert back.headers["location"] == f"/a/{token}/profile"


def test_a_refused_answer_is_shown_with_what_was_typed(client: TestClient, visitor: Visitor) -> None:
    token = visitor.start()
    visitor.profile(token)
    page = client.get(f"/a/{token}/theme/2").text
    response = client.post(f"/a/{token}/theme/2", data=theme_form(page) | {"answer-B-01": "lots", "go": "next"})
    assert response.status_code == 422
    assert 'id="page-errors"' in response.text and 'value="lots"' in response.text
    assert "not a number" in response.text
    assert visitor.save(token, "B-01", "250").status_code == 422  # out of range
    assert visitor.save(token, "A-02", "maybe").json()["error"].startswith('"maybe" is not one of')
    assert visitor.save(token, "NO-SUCH", 1).status_code == 422
    assert visitor.save(token, "A-01", "N/A").json()["error"] == "N/A is not allowed for this question"


def test_a_refused_answer_is_explained_in_the_exporters_language(client: TestClient, visitor: Visitor) -> None:
    token = visitor.start("zh")
    visitor.profile(token)
    page = client.get(f"/a/{token}/theme/2").text
    response = client.post(f"/a/{token}/theme/2", data=theme_form(page) | {"answer-B-01": "lots", "go": "next"})
    assert response.status_code == 422
    assert "&#39;lots&#39; 不是数字" in response.text and "is not a number" not in response.text
    assert visitor.save(token, "A-02", "maybe").json()["error"] == "“maybe”不是可选答案，可填：none、some、full"
    assert visitor.save(token, "A-01", "N/A").json()["error"] == "此题不能填“不适用”"


def test_a_target_level_is_saved_shown_and_scored(app: FastAPI, client: TestClient, visitor: Visitor) -> None:
    token = visitor.start()
    visitor.profile(token)
    assert visitor.save(token, "A-01", 2, target="4").json()["ok"]
    assert 'id="target-A-01"' in client.get(f"/a/{token}/theme/1").text
    assert re.search(r'<option value="4" selected>', client.get(f"/a/{token}/theme/1").text)
    refused = visitor.save(token, "A-01", 2, target="9")
    assert refused.status_code == 422 and refused.json()["error"] == "target must be a level from 0 to 4"
    assert visitor.save(token, "A-02", "some", target="3").json()["error"].startswith("a target can only be set")
    # The page's own form sets it too: A-01 aims for level 3 now.
    page = client.get(f"/a/{token}/theme/1").text
    client.post(f"/a/{token}/theme/1", data=theme_form(page) | {"target-A-01": "3", "go": "stay"})
    visitor.answer_all(token, {k: v for k, v in GOOD_ANSWERS.items() if k != "A-01"})
    assert visitor.submit(token).status_code == 303
    record = app.state.web.store.get(token)
    result = ScoreResult.model_validate_json(record.result)
    assert result.question("A-01").target == 3.0
    step = next(p for p in result.priorities if p.question_id == "A-01")
    assert step.target == 3.0 and step.gain_to_target is not None and step.gain_to_target > 0


def test_a_stale_page_does_not_undo_another_tabs_answer(client: TestClient, visitor: Visitor) -> None:
    token = visitor.start()
    visitor.profile(token)
    stale = client.get(f"/a/{token}/theme/1").text  # tab 1 loads the page
    assert visitor.save(token, "A-01", 4, "tab 2 answer").status_code == 200  # tab 2 answers A-01
    data = theme_form(stale) | {"answer-A-02": "some", "go": "stay"}  # tab 1 changes only A-02 and saves
    client.post(f"/a/{token}/theme/1", data=data)
    page = client.get(f"/a/{token}/theme/1").text
    assert 'id="answer-A-01-4" value="4" checked' in page and "tab 2 answer" in page
    assert 'id="answer-A-02-some" value="some" checked' in page


def test_applicability_is_applied_as_the_exporter_answers(client: TestClient, visitor: Visitor) -> None:
    token = visitor.start()
    visitor.profile(token, markets=["us"])  # B-03 applies to the EU market only
    page = client.get(f"/a/{token}/theme/2").text
    assert re.search(r'id="q-B-03"[^>]*hidden', page)
    assert re.search(r'<p class="skipped small" id="skip-B-03">', page)
    saved = visitor.save(token, "B-01", 3).json()
    assert saved["applies"]["B-03"] is False and saved["progress"]["applicable"] == 6
    visitor.profile(token, markets=["eu", "us"])
    assert visitor.save(token, "B-01", 3).json()["applies"]["B-03"] is True


def test_submit_refuses_an_incomplete_questionnaire(client: TestClient, visitor: Visitor) -> None:
    token = visitor.start()
    visitor.profile(token)
    visitor.save(token, "A-01", 3)
    review = client.get(f"/a/{token}/review").text
    assert 'id="missing"' in review and "A-02" in review
    response = visitor.submit(token)
    # Refused: a redirect to the review page (POST/redirect/GET), so reloading it does not submit again.
    assert response.status_code == 303 and response.headers["location"] == f"/a/{token}/review?refused=answers"
    shown = client.get(response.headers["location"])
    assert shown.status_code == 200 and 'id="problems"' in shown.text
    # Each missing answer is listed once, in the list of missing answers below; the problems only point
    # to it (they used to repeat every "A-02: required answer missing" above that list).
    assert "required answer missing" not in shown.text and 'id="problems-missing"' in shown.text
    assert shown.text.count('<span class="qid">A-02</span>') == 1
    assert client.get(f"/a/{token}/results", follow_redirects=False).status_code == 303
    assert client.get(response.headers["location"]).text == shown.text  # a reload: the same page, nothing sent


def test_submit_problems_are_listed_in_the_exporters_language(client: TestClient, visitor: Visitor) -> None:
    token = visitor.start("zh")
    visitor.profile(token)
    visitor.save(token, "A-01", 3)
    # An N/A kept from before its reason was asked for as it is saved: submitting still refuses it.
    store = client.app.state.web.store  # type: ignore[attr-defined]
    store.save_answers(token, [AnswerWrite("A-03", "N/A", None, None, ANSWER_FIELDS, None)])
    response = client.get(visitor.submit(token).headers["location"])
    assert "required answer missing" not in response.text and "必答题尚未全部作答" in response.text
    # The linked question shows its id once: "A-03 有证书吗？：…", not "…：A-03：…".
    assert '<span class="qid">A-03</span> 有证书吗？</a>：填“不适用”时需在备注中说明原因' in response.text
    assert "A-02：" not in response.text and "A-03：" not in response.text


def test_profile_is_checked(client: TestClient, visitor: Visitor) -> None:
    token = visitor.start()
    response = visitor.profile(token, credit_code="91330200MA2XXXXX1X", markets=[], industry="spaceships")
    assert response.status_code == 422
    for name in ("credit_code", "markets", "industry"):
        assert f'id="error-{name}"' in response.text
    assert client.get(f"/a/{token}/theme/1", follow_redirects=False).headers["location"] == f"/a/{token}/profile"


def test_profile_problems_are_explained_in_the_exporters_language(client: TestClient, visitor: Visitor) -> None:
    token = visitor.start("zh")
    response = visitor.profile(
        token, credit_code="91330200MA2XXXXX1X", markets=[], assessment_date="1 Nov", assessor="x" * 300
    )
    assert response.status_code == 422
    text = response.text
    assert "：校验码有误（按 GB 32100 应为 G，代码中为 X）" in text and "请至少选择一项" in text
    assert "“1 Nov”不是日期：请写成 YYYY-MM-DD" in text and "最多 200 个字符" in text
    assert "check character" not in text


def test_resume_from_the_link_in_a_fresh_client(app: FastAPI, visitor: Visitor) -> None:
    token = visitor.start()
    visitor.profile(token)
    visitor.save(token, "A-01", 3, "saved on the laptop")
    with TestClient(app) as phone:  # no cookies from the first device
        page = phone.get(f"/a/{token}/theme/1")
        assert page.status_code == 200 and "saved on the laptop" in page.text
        csrf = csrf_of(page.text)
        response = phone.post(
            f"/a/{token}/answer", json={"question": "A-02", "value": "full"}, headers={"X-CSRF-Token": csrf}
        )
        assert response.status_code == 200
    assert 'value="full" checked' in visitor.client.get(f"/a/{token}/theme/1").text


def test_language_switch(client: TestClient, visitor: Visitor) -> None:
    token = visitor.start(lang="zh")
    visitor.profile(token)
    assert "做法一" in client.get(f"/a/{token}/theme/1").text
    client.get("/lang/en")
    english = client.get(f"/a/{token}/theme/1").text
    assert "Practice one?" in english and "做法一" not in english
    client.get("/lang/bilingual")
    both = client.get(f"/a/{token}/theme/1").text
    assert "做法一" in both and "Practice one?" in both
    assert client.get("/lang/en?next=//evil.example", follow_redirects=False).headers["location"] == "/"
    assert client.get(f"/lang/en?next=/a/{token}", follow_redirects=False).headers["location"] == f"/a/{token}"


def test_concurrent_saves_from_two_tabs_lose_nothing(make_app: MakeApp, db_url: str) -> None:
    """2 threads x 30 different questions of the default set, each with its own note: all 60 stored."""
    app = make_app(db_url=db_url, criteria_dir=None)
    criteria = load_criteria()
    questions = list(criteria.questions)
    assert len(questions) >= 59
    with TestClient(app) as client:
        visitor = Visitor(client)
        token = visitor.start()
        visitor.profile(token, industry=criteria.industries[0].id, markets=[criteria.markets[0].id])
        csrf = visitor.csrf(token)
        extra = "QX-60"  # the 60th write: a second note on the first question, saved last by thread 2
        halves = [questions[:30], [*questions[30:59], extra]]
        failures: list[str] = []

        def tab(ids: list[str], number: int) -> None:
            for qid in ids:
                target = questions[0] if qid == extra else qid
                response = client.post(
                    f"/a/{token}/answer",
                    json={"question": target, "value": None, "note": f"tab {number} note {qid}"},
                    headers={"X-CSRF-Token": csrf},
                )
                if response.status_code != 200:
                    failures.append(f"{qid}: {response.status_code}")

        threads = [threading.Thread(target=tab, args=(ids, n)) for n, ids in enumerate(halves, start=1)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert failures == []
        store = client.app.state.web.store  # type: ignore[attr-defined]
        record = store.get(token)
        stored = store.answers(record.id)
        assert len(stored) == 59
        for qid in questions[1:59]:
            assert stored[qid].note == f"tab {1 if qid in halves[0] else 2} note {qid}"
        assert stored[questions[0]].note in (f"tab 1 note {questions[0]}", f"tab 2 note {extra}")
        assert record.revision == 61  # the profile plus 60 saves: none was lost


def test_double_submit_scores_once(make_app: MakeApp, db_url: str) -> None:
    app = make_app(db_url=db_url)
    with TestClient(app) as client:
        visitor = Visitor(client)
        token = visitor.start()
        visitor.profile(token)
        visitor.answer_all(token)
        csrf = visitor.csrf(token)
        statuses: list[int] = []

        def press() -> None:
            response = client.post(f"/a/{token}/submit", data={"csrf": csrf}, follow_redirects=False)
            statuses.append(response.status_code)

        threads = [threading.Thread(target=press) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert statuses == [303, 303]
        record = app.state.web.store.get(token)
        assert record.submitted
        first = record.result
        assert visitor.submit(token).status_code == 303  # a third press: still the same result
        assert app.state.web.store.get(token).result == first
        assert f'id="overall-score">{expected_overall()}<' in client.get(f"/a/{token}/results").text


def test_data_survives_a_restart(make_app: MakeApp, db_url: str) -> None:
    first = make_app(db_url=db_url)
    with TestClient(first) as client:
        visitor = Visitor(client)
        token = visitor.start()
        visitor.profile(token)
        visitor.save(token, "A-01", 3, "before the restart")
        csrf = visitor.csrf(token)
        assert visitor.login().status_code == 303
        cookies = dict(client.cookies)
    first.state.web.store.close()
    second = make_app(db_url=db_url, password=None)  # restarted without the password: the stored hash holds
    with TestClient(second, cookies=cookies) as client:
        page = client.get(f"/a/{token}/theme/1")
        assert "before the restart" in page.text
        assert csrf_of(page.text) == csrf  # the secret key was kept, so open pages still save
        assert client.get("/consultant").status_code == 200  # and so was the consultant's session
    with TestClient(second) as fresh:
        assert Visitor(fresh).login().status_code == 303


def test_a_report_that_cannot_be_written_keeps_the_draft(
    client: TestClient, visitor: Visitor, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assess.errors import UserError
    from assess.web import submission

    def broken(*_args: object, **_kwargs: object) -> bytes:
        raise UserError("The report font is missing", [])

    monkeypatch.setattr(submission, "render_report", broken)
    token = visitor.start()
    visitor.profile(token)
    visitor.answer_all(token)
    response = visitor.submit(token)
    assert response.status_code == 303 and response.headers["location"] == f"/a/{token}/review?refused=report"
    # The review page shows why (carried in a signed cookie of that page: it is not rendered again), also on a reload.
    for _ in range(2):
        shown = client.get(response.headers["location"])
        assert shown.status_code == 200 and "The report font is missing" in shown.text
    assert visitor.save(token, "A-01", 4).status_code == 200  # still a draft
    # What the cookie carries is signed and bound to the assessment: another one, or a forged one, shows nothing.
    carried = client.cookies.get("assess_report_problems")
    assert carried
    other = visitor.start()
    visitor.profile(other)
    client.cookies.set("assess_report_problems", carried, path=f"/a/{other}/review")
    assert "The report font is missing" not in client.get(f"/a/{other}/review?refused=report").text
    _, _, mac = carried.partition(".")
    forged = base64.urlsafe_b64encode(json.dumps([["report", "Forged words", "", None]]).encode()).decode()
    client.cookies.clear()
    client.cookies.set("assess_report_problems", f"{forged}.{mac}", path=f"/a/{token}/review")
    assert "Forged words" not in client.get(response.headers["location"]).text


def seen_of(html: str, qid: str) -> str:
    found = re.search(rf'name="seen-{qid}" value="([^"]+)"', html)
    assert found, f"no seen-{qid} on the page"
    return found.group(1)


def test_a_stale_tab_adding_a_note_keeps_the_level_another_tab_saved(make_app: MakeApp, db_url: str) -> None:
    """Tab A picks a level; tab B, opened before, adds a note (script, then page form): both are kept."""
    app = make_app(db_url=db_url)
    with TestClient(app) as client:
        visitor = Visitor(client)
        token = visitor.start()
        visitor.profile(token)
        tab_a, tab_b = client.get(f"/a/{token}/theme/1").text, client.get(f"/a/{token}/theme/1").text
        headers = {"X-CSRF-Token": csrf_of(tab_a)}
        for qid, level in (("A-01", 2), ("A-02", "full")):
            body: dict[str, object] = {"question": qid, "value": level, "note": "", "seen": seen_of(tab_a, qid)}
            assert client.post(f"/a/{token}/answer", json=body, headers=headers).json()["ok"]
        # Tab B's script sends its whole (stale) question: no level, a new note.
        body = {"question": "A-01", "value": None, "note": "ISO cert", "target": "", "seen": seen_of(tab_b, "A-01")}
        saved = client.post(f"/a/{token}/answer", json=body, headers=headers)
        assert saved.status_code == 200 and saved.json()["ok"]
        # Tab B without the script: a note on A-02 and the page sent as it was shown.
        form = theme_form(tab_b) | {"note-A-02": "note from tab B", "go": "next"}
        assert client.post(f"/a/{token}/theme/1", data=form, follow_redirects=False).status_code == 303
        stored = app.state.web.store.answers(app.state.web.store.get(token).id)
        assert (stored["A-01"].value, stored["A-01"].note) == (2, "ISO cert")
        assert (stored["A-02"].value, stored["A-02"].note) == ("full", "note from tab B")


def test_two_tabs_changing_the_same_answer_the_later_is_told(client: TestClient, visitor: Visitor) -> None:
    token = visitor.start("zh")
    visitor.profile(token)
    tab_a, tab_b = client.get(f"/a/{token}/theme/1").text, client.get(f"/a/{token}/theme/1").text
    headers = {"X-CSRF-Token": csrf_of(tab_a)}
    first = {"question": "A-01", "value": 3, "note": "from A", "seen": seen_of(tab_a, "A-01")}
    assert client.post(f"/a/{token}/answer", json=first, headers=headers).json()["ok"]
    later = {"question": "A-01", "value": 1, "note": "from B", "seen": seen_of(tab_b, "A-01")}
    refused = client.post(f"/a/{token}/answer", json=later, headers=headers)
    assert refused.status_code == 409 and refused.json()["code"] == "conflict_answer"
    assert "另一个标签页或设备" in refused.json()["error"] and "another tab" not in refused.json()["error"]
    # The same change again, as tab A made it: nothing is lost, so nothing to refuse.
    same = {"question": "A-01", "value": 3, "note": "from A", "seen": seen_of(tab_b, "A-01")}
    assert client.post(f"/a/{token}/answer", json=same, headers=headers).status_code == 200
    # Tab B's page form: refused with its own entry shown; sending it again replaces tab A's answer.
    form = theme_form(tab_b) | {"answer-A-01": "1", "note-A-01": "from B", "go": "next"}
    page = client.post(f"/a/{token}/theme/1", data=form)
    assert page.status_code == 409 and 'id="error-A-01"' in page.text and "另一个标签页或设备" in page.text
    assert 'id="answer-A-01-1" value="1" checked' in page.text and "from B" in page.text
    assert app_answer(client, token, "A-01") == (3, "from A")
    again = client.post(f"/a/{token}/theme/1", data=theme_form(page.text) | {"go": "next"}, follow_redirects=False)
    assert again.status_code == 303 and app_answer(client, token, "A-01") == (1, "from B")


def app_answer(client: TestClient, token: str, qid: str) -> tuple[object, str | None]:
    store = client.app.state.web.store  # type: ignore[attr-defined]
    stored = store.answers(store.get(token).id)[qid]
    return stored.value, stored.note


def test_the_script_sends_what_its_page_showed() -> None:
    """The page's script sends `seen` with each save, read when the save goes out (after the one before)."""
    script = (Path(__file__).parents[2] / "templates" / "web" / "static" / "web.js").read_text(encoding="utf-8")
    assert 'payload.seen = document.getElementById("seen-" + id).value;' in script


def test_odd_targets_are_refused_with_the_range(client: TestClient, visitor: Visitor) -> None:
    token = visitor.start()
    visitor.profile(token)
    csrf = visitor.csrf(token)
    for target in ("²", "٣", "9" * 5000, True, False, 2.5, "-1", "1e1"):
        refused = visitor.save(token, "A-01", 1, csrf=csrf, target=target)
        assert refused.status_code == 422, target
        assert refused.json()["error"] == "target must be a level from 0 to 4", target
    assert visitor.save(token, "A-01", 1, csrf=csrf, target=3.0).status_code == 200
    page = client.get(f"/a/{token}/theme/1").text
    form = client.post(f"/a/{token}/theme/1", data=theme_form(page) | {"target-A-01": "²", "go": "next"})
    assert form.status_code == 422 and "target must be a level from 0 to 4" in form.text
    store = client.app.state.web.store  # type: ignore[attr-defined]
    assert store.answers(store.get(token).id)["A-01"].target == 3.0


def test_text_a_database_cannot_hold_is_refused(client: TestClient, visitor: Visitor) -> None:
    token = visitor.start("zh")
    visitor.profile(token)
    headers = {"X-CSRF-Token": visitor.csrf(token), "Content-Type": "application/json"}
    for body in (
        '{"question": "A-01", "value": 1, "note": "\\ud800"}',
        '{"question": "A-01", "value": 1, "note": "esc \\u001b[31m"}',
        '{"question": "A-04", "value": "nul \\u0000 here"}',
        '{"question": "B-02", "value": ["x", "\\udfff"]}',
    ):
        refused = client.post(f"/a/{token}/answer", content=body, headers=headers)
        assert refused.status_code == 422, body
        assert "控制字符" in refused.json()["error"], body
    kept = visitor.save(token, "A-01", 1, "line one\r\nline two\twith a tab 👩‍🔬")
    assert kept.status_code == 200
    page = client.get(f"/a/{token}/theme/1").text
    refused_page = client.post(f"/a/{token}/theme/1", data=theme_form(page) | {"note-A-02": "a\x00b", "go": "next"})
    assert refused_page.status_code == 422 and 'id="error-A-02"' in refused_page.text


def test_firm_profile_fields_refuse_control_characters(client: TestClient, visitor: Visitor) -> None:
    token = visitor.start()
    for name in ("Evil\x00Co", "Red \x1b[31m Co", "Over\u202eride Co"):
        refused = visitor.profile(token, name=name)
        assert refused.status_code == 422 and 'id="error-name"' in refused.text, repr(name)
        assert "control characters" in refused.text
    assert visitor.profile(token, assessor="Wang\x07").status_code == 422
    store = client.app.state.web.store  # type: ignore[attr-defined]
    assert store.get(token).profile is None


def test_a_blank_firm_name_or_date_is_required(client: TestClient, visitor: Visitor) -> None:
    token = visitor.start("zh")
    for overrides in ({"name": ""}, {"name": "   "}, {"assessment_date": ""}):
        refused = visitor.profile(token, **overrides)
        assert refused.status_code == 422
        field = "name" if "name" in overrides else "assessment_date"
        assert re.search(rf'id="error-{field}">[^<]*必填', refused.text), overrides
        assert "应为文字" not in refused.text and "valid string" not in refused.text


def test_the_profile_after_submitting_leads_to_the_results(client: TestClient, visitor: Visitor) -> None:
    token = visitor.start()
    visitor.profile(token)
    visitor.answer_all(token)
    assert visitor.submit(token).status_code == 303
    late = visitor.profile(token, name="", markets=[])  # not valid, and too late anyway
    assert late.status_code == 303 and late.headers["location"] == f"/a/{token}/results"


def test_a_refused_submit_offers_language_links_to_the_review_page(client: TestClient, visitor: Visitor) -> None:
    token = visitor.start()
    visitor.profile(token)
    refused = client.get(visitor.submit(token).headers["location"])
    link = re.search(r'id="lang-zh" href="([^"]+)"', refused.text)
    # Back to the review page with the problems shown again, in the language chosen.
    assert link and link.group(1) == f"/lang/zh?next=/a/{token}/review%3Frefused%3Danswers"
    followed = client.get(link.group(1).replace("&amp;", "&"))
    assert followed.status_code == 200 and 'id="submit-form"' in followed.text
    assert str(followed.url).endswith(f"/a/{token}/review?refused=answers") and "必答题尚未全部作答" in followed.text


def test_the_pdf_comes_in_the_language_the_results_are_shown_in(
    client: TestClient, visitor: Visitor, tmp_path: Path
) -> None:
    """Submitted in English, then read in Chinese: the download button gives the Chinese report."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")

    def pdf_text(name: str) -> str:
        pdf = client.get(f"/a/{token}/report.pdf")
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        path = tmp_path / name
        path.write_bytes(pdf.content)
        return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout

    token = visitor.start("en")
    visitor.profile(token)
    visitor.answer_all(token)
    assert visitor.submit(token).status_code == 303
    english = pdf_text("en.pdf")
    assert "Maturity band" in english and "成熟度等级" not in english
    client.get("/lang/zh")
    assert "成熟度等级" in client.get(f"/a/{token}/results").text
    chinese = pdf_text("zh.pdf")
    assert "成熟度等级" in chinese and "Maturity band" not in chinese
    assert "Example Crafts Co." in chinese
    client.get("/lang/en")
    assert pdf_text("again.pdf") == english  # the stored report, as submitted


def test_a_busy_submit_leads_to_the_review_page_saying_so(
    client: TestClient, visitor: Visitor, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assess.web.submission import Scoring, SubmitOutcome

    token = visitor.start()
    visitor.profile(token)
    visitor.answer_all(token)
    monkeypatch.setattr(Scoring, "submit", lambda *_args: SubmitOutcome("busy"))
    response = visitor.submit(token)
    assert response.status_code == 303 and response.headers["location"] == f"/a/{token}/review?refused=busy"
    assert 'id="busy"' in client.get(response.headers["location"]).text
    assert 'id="busy"' not in client.get(f"/a/{token}/review?refused=nonsense").text


@pytest.mark.parametrize(
    ("lang", "words", "other"), [("zh", "请先填写企业信息", "fill in"), ("en", "fill in the firm", "请先")]
)
def test_a_submit_without_a_firm_profile_says_so_in_the_exporters_language(
    client: TestClient, visitor: Visitor, lang: str, words: str, other: str
) -> None:
    token = visitor.start(lang)
    response = visitor.submit(token)  # straight from the start, with no profile
    assert response.status_code == 303 and response.headers["location"] == f"/a/{token}/review?refused=answers"
    page = client.get(response.headers["location"]).text
    assert 'id="problems"' in page and words in page and other not in page
    assert f'href="/a/{token}/profile"' in page
    assert client.get(f"/a/{token}/review", follow_redirects=False).headers["location"] == f"/a/{token}/profile"


def test_an_na_without_its_reason_is_refused_as_it_is_saved(client: TestClient, visitor: Visitor) -> None:
    """The mini set requires a note with N/A: the page says so, and a save without one is refused on the question
    (in the exporter's language) while the rest of the page is saved."""
    store = client.app.state.web.store  # type: ignore[attr-defined]
    token = visitor.start("zh")
    visitor.profile(token)
    page = client.get(f"/a/{token}/theme/1").text
    assert re.search(r'id="q-A-03"[^>]*data-na-reason', page) and 'id="note-needed-A-03" hidden' in page
    assert "证据说明（选择“不适用”时必填）" in page and 'id="na-reason-A-03" hidden' in page
    level = re.search(r'<fieldset[^>]*id="q-A-01"[^>]*>', page)
    assert level and "data-na-reason" not in level.group(0)  # no N/A there

    refused = visitor.save(token, "A-03", "N/A")
    assert refused.status_code == 422 and refused.json()["code"] == "answer"
    assert refused.json()["error"].startswith("选择“不适用”时须在证据说明中写明原因")
    assert "A-03" not in store.answers(store.get(token).id)
    client.get("/lang/en")
    assert visitor.save(token, "A-03", "N/A", "  ").json()["error"].startswith("N/A needs a reason")
    assert visitor.save(token, "A-03", "N/A", "We make no certified goods").status_code == 200
    # A save that writes only the note (an integration, without `seen`) cannot take the reason away either.
    headers = {"X-CSRF-Token": visitor.csrf(token)}
    cleared = client.post(f"/a/{token}/answer", json={"question": "A-03", "note": ""}, headers=headers)
    assert (
        cleared.status_code == 422 and store.answers(store.get(token).id)["A-03"].note == "We make no certified goods"
    )

    # The page's own form: A-01 is saved, A-03 is refused on the question and shown as sent, its label saying why.
    client.get("/lang/zh")
    page = client.get(f"/a/{token}/theme/1").text
    assert 'id="note-needed-A-03">' in page and 'id="note-optional-A-03" hidden' in page  # N/A is picked
    sent = theme_form(page) | {"answer-A-01": "2", "note-A-03": "", "go": "next"}
    response = client.post(f"/a/{token}/theme/1", data=sent)
    assert response.status_code == 422 and 'id="page-errors"' in response.text
    assert re.search(r'id="error-A-03">选择“不适用”时须在证据说明中写明原因', response.text)
    assert 'id="answer-A-03-na" value="N/A" checked' in response.text and 'id="na-reason-A-03">' in response.text
    saved = store.answers(store.get(token).id)
    assert saved["A-01"].value == 2 and saved["A-03"].note == "We make no certified goods"


def test_an_na_needs_no_reason_where_the_criteria_set_does_not_ask_for_one(make_app: MakeApp, tmp_path: Path) -> None:
    criteria = tmp_path / "criteria"
    shutil.copytree(MINI, criteria)
    rules = criteria / "set.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("na_requires_note: true", "na_requires_note: false"))
    with TestClient(make_app(criteria_dir=criteria)) as client:
        visitor = Visitor(client)
        token = visitor.start()
        visitor.profile(token)
        page = client.get(f"/a/{token}/theme/1").text
        assert "data-na-reason" not in page and "required with N/A" not in page
        assert visitor.save(token, "A-03", "N/A").status_code == 200
