"""The whole workflow in a real browser: Debian's chromium driven by playwright against `streamlit run`.

An applicant registers and submits; three members declare and score; the
secretariat opens the meeting view, generates the report and downloads the
PDF. Screenshots of each step go to test-output/screenshots/.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from selection import accounts, store
from selection.models import Role
from selection.services import calls, review, screening

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-output" / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
PASSWORD = "browser-test-password"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def prepared_db(tmp_path):
    """A published call with three advisory group members; the rest happens in the browser."""
    path = tmp_path / "browser.db"
    db = store.connect(path)
    sec = accounts.create_first_secretariat(db, username="secretariat", display_name="Secretariat Officer", password=PASSWORD)
    for i, name in enumerate(["Aminata Koné", "Мария Лебедева", "李文静"], 1):
        code = accounts.invite(db, user=sec, role=Role.MEMBER, display_name=name)
        accounts.accept_invitation(db, code=code, username=f"member{i}", password=PASSWORD)
    from criteria.sets import default_criteria

    call_id = calls.create_call(db, user=sec, data={
        "reference": "TSC-E2E", "title": "Browser test call", "min_reviews": 3,
        "dates": {"submission_deadline": (dt.date.today() + dt.timedelta(days=30)).isoformat()},
        "slots": [{"id": "africa", "name": "Regional centre - Africa", "level": "regional", "region": "Africa"}],
        "criteria": default_criteria(threshold=2.0),
    })
    calls.publish_call(db, user=sec, call_id=call_id)
    return path, db, sec, call_id


@pytest.fixture
def server(prepared_db):
    path = prepared_db[0]
    port = _free_port()
    env = {**os.environ, "SELECTION_DB": str(path)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "streamlit_app.py"), "--server.headless", "true",
         "--server.port", str(port), "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).status == 200:
                break
        except OSError:
            if time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError("streamlit did not start within 60 s")
            time.sleep(0.5)
    yield url
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture
def browser():
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _page(browser, url: str) -> Page:
    page = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True).new_page()
    page.set_default_timeout(30_000)
    page.goto(url)
    page.wait_for_selector("[data-testid='stApp']")
    return page


def _settle(page: Page) -> None:
    page.wait_for_timeout(600)
    expect(page.locator("[data-testid='stStatusWidget']")).to_have_count(0, timeout=30_000)
    assert page.locator("[data-testid='stException']").count() == 0


def _shot(page: Page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _sign_in(browser, url: str, username: str) -> Page:
    page = _page(browser, url)
    page.get_by_label("Username").first.fill(username)
    page.get_by_label("Password").first.fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    _settle(page)
    return page


def _go(page: Page, title: str) -> None:
    page.locator("[data-testid='stSidebarNav'] a", has_text=title).first.click()
    _settle(page)
    expect(page.get_by_role("heading", name=title).first).to_be_visible()


def test_the_whole_procedure_in_a_browser(server, browser, prepared_db):
    _, db, sec, call_id = prepared_db

    # 1. An applicant registers and submits.
    page = _page(browser, server)
    page.get_by_role("tab", name="Register your organisation").click()
    page.get_by_label("Your name").fill("Fatou Diallo")
    page.get_by_label("Username").nth(1).fill("fatou")
    page.get_by_label("E-mail").fill("fatou@lagune.example")
    page.get_by_label("Password (at least 10 characters)", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Register").click()
    _settle(page)
    expect(page.get_by_role("heading", name="My proposal")).to_be_visible()
    page.get_by_label("Legal name of the organisation").fill("Institut des lagunes & deltas <Ouest>")
    page.get_by_label("Acronym").fill("ILDO")
    page.locator("[data-testid='stSelectbox']", has_text="Country").click()
    page.keyboard.type("Senegal")
    page.get_by_role("option", name="Senegal", exact=True).click()
    page.get_by_role("button", name="Save the profile").click()
    _settle(page)
    expect(page.get_by_text("Profile saved.")).to_be_visible()
    page.get_by_label("Centres you wish to host").click()
    page.get_by_role("option", name="Regional centre - Africa").click()
    page.keyboard.press("Escape")
    page.get_by_label("Statement of interest").fill("We wish to host the African centre.")
    page.get_by_label("Summary").fill("Twenty years of lagoon science with partners in 12 countries.")
    for area in page.locator("textarea[aria-label*='% of the score']").all():
        area.fill("Evidence for this criterion, with partners, results and audited accounts.")
    _shot(page, "1-applicant-draft")
    page.get_by_role("button", name="Save and submit the proposal").click()
    _settle(page)
    expect(page.get_by_text("Proposal submitted. Your receipt:")).to_be_visible()
    _shot(page, "2-applicant-submitted")

    # The secretariat screens and assigns (its own pages are exercised below and in AppTest).
    screening.set_status(db, user=sec, call_id=call_id, proposal_id="p-fatou", status="eligible")
    for i in (1, 2, 3):
        member = db.execute("SELECT id FROM accounts WHERE username = ?", [f"member{i}"]).fetchone()[0]
        review.assign(db, user=sec, call_id=call_id, proposal_id="p-fatou", member_id=member)

    # 2. Three members declare (no conflict) and score with reasons.
    for i in (1, 2, 3):
        page = _sign_in(browser, server, f"member{i}")
        expect(page.get_by_role("heading", name="My reviews")).to_be_visible()
        page.get_by_role("button", name="Declare").click()
        _settle(page)
        boxes = page.locator("[data-testid='stSelectbox']", has_text="Score")
        expect(boxes).to_have_count(4)
        for box in boxes.all():
            box.click()
            page.keyboard.type(f"{2 + i} —")
            page.keyboard.press("Enter")
            expect(box).to_contain_text(f"{2 + i} —")
        for area in page.get_by_label("Reasons for this score").all():
            area.fill(f"Member {i}: the evidence matches the anchor for this score.")
        _shot(page, f"3-member{i}-scoring")
        page.get_by_role("button", name="Save and submit").click()
        _settle(page)
        expect(page.get_by_text("The panel's scores")).to_be_visible()
    _shot(page, "4-member-panel-after-submitting")

    # 3. The secretariat opens the meeting view, generates the report and downloads the PDF.
    page = _sign_in(browser, server, "secretariat")
    _go(page, "Meeting")
    expect(page.get_by_text("Shortlist:").first).to_be_visible()
    _shot(page, "5-secretariat-meeting")
    _go(page, "Assessment report")
    page.get_by_role("button", name="Generate the report").click()
    _settle(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the PDF").click()
    pdf = Path(download.value.path()).read_bytes()
    _shot(page, "6-secretariat-report")
    assert pdf.startswith(b"%PDF")
    (SHOTS / "assessment.pdf").write_bytes(pdf)
    assert db.execute("SELECT count(*) FROM review_submissions WHERE proposal_id = 'p-fatou'").fetchone()[0] == 3
