"""End to end in a real headless browser (Debian's Chromium driven by selenium).

An exporter fills the questionnaire, leaves, resumes from the private link in a fresh browser,
submits, and downloads a PDF whose text holds the firm name and the score.  Skipped with a reason
where Chromium or its driver is not installed (CI installs both: scripts/start-test-services.sh).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from assess.web.accounts import add_consultant
from assess.web.app import create_app
from assess.web.settings import WebSettings
from assess.web.storage import Store
from tests.conftest import MINI

selenium = pytest.importorskip("selenium", reason="selenium is not installed")
from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.options import Options  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.remote.webdriver import WebDriver  # noqa: E402
from selenium.webdriver.remote.webelement import WebElement  # noqa: E402
from selenium.webdriver.support import expected_conditions  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

CHROMIUM = os.environ.get("ASSESS_TEST_CHROMIUM") or shutil.which("chromium")
DRIVER = os.environ.get("ASSESS_TEST_CHROMEDRIVER") or shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and DRIVER), reason="Debian's chromium and chromium-driver are not installed"
)
FIRM = "宁波浏览器测试工艺品有限公司"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """The app served by uvicorn on loopback, in a thread, on a SQLite file."""
    import uvicorn

    settings = WebSettings(db_url=f"sqlite:///{tmp_path / 'web.db'}", criteria_dir=MINI, password="pw-for-tests")
    port = _free_port()
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not instance.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert instance.started, "the server did not start"
    yield f"http://127.0.0.1:{port}"
    instance.should_exit = True
    thread.join(timeout=10)


def _browser(tmp_path: Path, name: str, size: str = "412,915") -> WebDriver:
    options = Options()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--window-size={size}",
        f"--user-data-dir={tmp_path / name}",
    ):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(str(DRIVER)), options=options)


def _click(driver: WebDriver, element_id: str) -> None:
    element = WebDriverWait(driver, 15).until(expected_conditions.element_to_be_clickable((By.ID, element_id)))
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
    element.click()


def _find(driver: WebDriver, element_id: str) -> WebElement:
    """The element once the page that holds it has loaded (a click may still be navigating)."""
    return WebDriverWait(driver, 15).until(expected_conditions.presence_of_element_located((By.ID, element_id)))


def _wait_saved(driver: WebDriver, question_id: str) -> None:
    """Autosave reports on each question; wait until this one is saved."""
    WebDriverWait(driver, 15).until(
        lambda d: (
            d.find_element(By.ID, f"state-{question_id}").text.strip() != ""
            and "…" not in d.find_element(By.ID, f"state-{question_id}").text
        )
    )


def test_fill_leave_resume_submit_download(server: str, tmp_path: Path) -> None:
    first = _browser(tmp_path, "device-1")
    try:
        first.get(server + "/lang/en")
        _click(first, "start-assessment")
        WebDriverWait(first, 15).until(expected_conditions.presence_of_element_located((By.ID, "firm-name-input")))
        private_link = first.current_url.rsplit("/profile", 1)[0]
        _find(first, "firm-name-input").send_keys(FIRM)
        Select(first.find_element(By.ID, "industry")).select_by_value("crafts")
        _click(first, "market-eu")
        first.execute_script("document.getElementById('assessment-date').value = '2026-11-01'")
        _click(first, "save-profile")
        # Theme 1 (alpha): answered by clicking, saved as the exporter goes; then the browser is closed.
        _click(first, "answer-A-01-3")
        _wait_saved(first, "A-01")
        _click(first, "answer-A-02-some")
        _wait_saved(first, "A-02")
        _click(first, "answer-A-03-true")
        _wait_saved(first, "A-03")
        _find(first, "note-A-01").send_keys("Procedure QP-07, audited 2026")
        first.find_element(By.ID, "answer-A-04").click()  # moving on saves the note
        _wait_saved(first, "A-01")
    finally:
        first.quit()

    second = _browser(tmp_path, "device-2")  # another device: only the private link is known
    try:
        second.get(private_link + "/theme/1")
        assert _find(second, "answer-A-01-3").is_selected()
        assert second.find_element(By.ID, "answer-A-03-true").is_selected()
        assert "QP-07" in (second.find_element(By.ID, "note-A-01").get_attribute("value") or "")
        _click(second, "go-next")
        number = _find(second, "answer-B-01")
        number.send_keys("2")
        _click(second, "answer-B-02-x")
        _click(second, "answer-B-02-z")
        _click(second, "answer-B-03-2")  # applies: the firm exports to the EU
        _click(second, "answer-B-04-false")
        _wait_saved(second, "B-04")
        _click(second, "go-review")
        WebDriverWait(second, 15).until(expected_conditions.presence_of_element_located((By.ID, "all-answered")))
        _click(second, "submit-assessment")
        score = (
            WebDriverWait(second, 60)
            .until(expected_conditions.presence_of_element_located((By.ID, "overall-score")))
            .text
        )
        assert score == "70.8"  # the hand-computed score of the mini set for these answers (tests/test_scoring.py)
        href = second.find_element(By.ID, "download-pdf").get_attribute("href")
        assert href
    finally:
        second.quit()

    pdf = tmp_path / "report.pdf"
    with urllib.request.urlopen(href, timeout=60) as response:
        pdf.write_bytes(response.read())
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert FIRM in text and "70.8" in text

    # A consultant with an account of their own logs in by name and finds the submission.
    add_consultant(Store(f"sqlite:///{tmp_path / 'web.db'}"), "王芳", "wang-fang-2026")
    consultant = _browser(tmp_path, "consultant")
    try:
        consultant.get(server + "/consultant/login")
        _find(consultant, "name").send_keys("王芳")
        consultant.find_element(By.ID, "password").send_keys("wang-fang-2026")
        _click(consultant, "login")
        assert "王芳" in _find(consultant, "signed-in-as").text
        submissions = consultant.find_element(By.ID, "submissions").text
        assert FIRM in submissions and "70.8" in submissions
    finally:
        consultant.quit()


def _start_with_profile(driver: WebDriver, server: str, lang: str, firm: str) -> str:
    """A new assessment from the start page with its firm profile saved; its private link."""
    driver.get(f"{server}/lang/{lang}")
    _click(driver, "start-assessment")
    _find(driver, "firm-name-input").send_keys(firm)
    private_link = driver.current_url.rsplit("/profile", 1)[0]
    Select(driver.find_element(By.ID, "industry")).select_by_value("crafts")
    _click(driver, "market-eu")
    driver.execute_script("document.getElementById('assessment-date').value = '2026-11-01'")
    _click(driver, "save-profile")
    _find(driver, "theme-form")
    return private_link


def test_on_a_phone_a_refused_answer_is_explained_right_below_it(server: str, tmp_path: Path) -> None:
    """375x667: the message for a refused number sits under the box typed in, not past the evidence note
    (where it was off the screen while typing), and nothing on the page runs wider than the phone."""
    phone = _browser(tmp_path, "phone", "375,667")
    try:
        link = _start_with_profile(phone, server, "zh", FIRM)
        phone.get(link + "/theme/2")
        number = _find(phone, "answer-B-01")
        _click(phone, "answer-B-01")
        number.send_keys("abc")
        phone.find_element(By.ID, "note-B-01").click()  # leaving the box saves it
        error = WebDriverWait(phone, 15).until(expected_conditions.visibility_of_element_located((By.ID, "error-B-01")))
        assert "不是数字" in error.text
        box, message, note = (
            phone.execute_script("return document.getElementById(arguments[0]).getBoundingClientRect().toJSON()", i)
            for i in ("answer-B-01", "error-B-01", "note-B-01")
        )
        assert message["top"] < note["top"], "the message comes before the evidence note"
        assert message["top"] - box["bottom"] < 60, (box, message)
        assert number.get_attribute("aria-describedby") == "error-B-01"
        for path in ("/theme/1", "/theme/2", "/review", ""):
            phone.get(link + path)
            _find(phone, "main")
            widths = phone.execute_script(
                "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            assert widths[0] <= widths[1], (path, widths)
    finally:
        phone.quit()


def _lines_per_text(driver: WebDriver, cell: WebElement) -> list[int]:
    """How many lines each piece of text in a table cell is laid out on."""
    script = """
        const counts = [];
        const walker = document.createTreeWalker(arguments[0], NodeFilter.SHOW_TEXT);
        while (walker.nextNode()) {
            if (!walker.currentNode.textContent.trim()) { continue; }
            const range = document.createRange();
            range.selectNodeContents(walker.currentNode);
            counts.push(new Set(Array.from(range.getClientRects(), r => Math.round(r.top))).size);
        }
        return counts;
    """
    return list(driver.execute_script(script, cell))


def test_a_long_firm_name_does_not_squeeze_the_consultants_table(server: str, tmp_path: Path) -> None:
    """On a laptop, a firm name of 150 characters wraps in its own column; band and readiness stay on one line
    (they were laid out one character per line)."""
    long_name = "宁波" + "超长名称测试工艺品" * 16
    exporter = _browser(tmp_path, "long-name", "1280,900")
    try:
        link = _start_with_profile(exporter, server, "zh", long_name)
        for qid, key in (("A-01", "3"), ("A-02", "some"), ("A-03", "true")):
            _click(exporter, f"answer-{qid}-{key}")
            _wait_saved(exporter, qid)
        _click(exporter, "go-next")
        _find(exporter, "answer-B-01").send_keys("2")
        for qid, key in (("B-02", "x"), ("B-03", "2"), ("B-04", "false")):
            _click(exporter, f"answer-{qid}-{key}")
            _wait_saved(exporter, qid)
        _click(exporter, "go-review")
        _click(exporter, "submit-assessment")
        WebDriverWait(exporter, 60).until(expected_conditions.presence_of_element_located((By.ID, "overall-score")))
        assert exporter.current_url.startswith(link)
    finally:
        exporter.quit()

    consultant = _browser(tmp_path, "wide-consultant", "1280,900")
    try:
        consultant.get(server + "/lang/zh")
        consultant.get(server + "/consultant/login")
        _find(consultant, "password").send_keys("pw-for-tests")
        _click(consultant, "login")
        row = _find(consultant, "submissions").find_element(By.CSS_SELECTOR, "tbody tr.status-submitted")
        assert long_name in row.text
        for cell in row.find_elements(By.CSS_SELECTOR, "td:not(.firm-cell)"):
            assert all(lines == 1 for lines in _lines_per_text(consultant, cell)), cell.text
        firm = row.find_element(By.CSS_SELECTOR, ".firm-cell .firm")
        assert max(_lines_per_text(consultant, firm)) > 1  # the name wraps instead
        # The search box, the two selects and the button beside them are one row of boxes of one height
        # (the search box was ~4px taller than the selects).
        boxes = [_box(consultant, i) for i in ("find-search", "find-status", "find-sort", "find-submit")]
        assert max(b["height"] for b in boxes) - min(b["height"] for b in boxes) < 0.5, boxes
        assert max(b["top"] for b in boxes) - min(b["top"] for b in boxes) < 0.5, boxes
    finally:
        consultant.quit()


def _box(driver: WebDriver, element_id: str) -> dict[str, float]:
    return dict(
        driver.execute_script(
            "return document.getElementById(arguments[0]).getBoundingClientRect().toJSON()", element_id
        )
    )


def _shown(driver: WebDriver, element_id: str) -> bool:
    return driver.find_element(By.ID, element_id).is_displayed()


def test_na_asks_for_its_reason_at_once_and_a_refused_submit_reloads_safely(server: str, tmp_path: Path) -> None:
    """The mini set requires a note with N/A: picking N/A says so by the note, and the save says it is missing
    right away, on the question; once the reason is typed it is saved.  A refused submit lands on the review
    page's own address, so a reload shows it again rather than submitting again."""
    phone = _browser(tmp_path, "na-phone", "412,915")
    try:
        link = _start_with_profile(phone, server, "zh", FIRM)
        assert _shown(phone, "note-optional-A-03") and not _shown(phone, "na-reason-A-03")
        _click(phone, "answer-A-01-3")
        _wait_saved(phone, "A-01")
        _click(phone, "answer-A-03-na")
        error = WebDriverWait(phone, 15).until(expected_conditions.visibility_of_element_located((By.ID, "error-A-03")))
        assert "选择“不适用”时须在证据说明中写明原因" in error.text
        assert (
            _shown(phone, "na-reason-A-03")
            and "写明本题不适用于本企业的原因" in phone.find_element(By.ID, "na-reason-A-03").text
        )
        assert _shown(phone, "note-needed-A-03") and not _shown(phone, "note-optional-A-03")
        assert "必填" in phone.find_element(By.ID, "note-needed-A-03").text
        assert phone.find_element(By.ID, "note-A-03").get_attribute("aria-required") == "true"
        assert phone.find_element(By.ID, "state-A-03").text == "未能保存"
        phone.find_element(By.ID, "note-A-03").send_keys("本企业不生产需认证的产品")
        WebDriverWait(phone, 15).until(expected_conditions.invisibility_of_element_located((By.ID, "error-A-03")))
        _wait_saved(phone, "A-03")
        assert phone.find_element(By.ID, "state-A-03").text == "已保存"
        _click(phone, "answer-A-03-true")  # no longer N/A: the note is optional again
        _wait_saved(phone, "A-03")
        assert _shown(phone, "note-optional-A-03") and not _shown(phone, "na-reason-A-03")
        assert phone.find_element(By.ID, "note-A-03").get_attribute("aria-required") is None

        phone.get(link + "/review")
        _click(phone, "submit-assessment")  # theme 2 is not answered: refused
        problems = _find(phone, "problems")
        assert phone.current_url == link + "/review?refused=answers"
        assert "必答题尚未全部作答" in problems.text
        phone.refresh()  # no POST is sent again (the browser would ask first, or resubmit)
        assert "必答题尚未全部作答" in _find(phone, "problems").text
        assert phone.current_url == link + "/review?refused=answers"
    finally:
        phone.quit()
