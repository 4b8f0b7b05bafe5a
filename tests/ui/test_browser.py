"""The whole workflow in a real browser: Debian's chromium driven by playwright against `streamlit run`.

An applicant registers and submits; the secretariat assigns the panel
(preview, save) and asks a clarification, which the applicant answers; three
members declare and score (the first reads the answer beside the proposal);
the secretariat opens the meeting view, generates the report and downloads
the PDF. Screenshots of each step go to test-output/screenshots/. Every step waits
for the script run it causes and for what it expects to see (tests/ui/browser.py).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from criteria.sets import default_criteria
from selection import accounts, store
from selection.models import Role
from selection.services import calls, screening
from tests.ui.browser import ROOT, SHOTS, act, chromium, go, open_page, serve, settle, shot, sign_in

PASSWORD = "browser-test-password"
ENTITY = "Institut des lagunes & deltas <Ouest>"
QUESTION = "Which partners in the 12 countries co-fund the lagoon network?"
ANSWER = "The *Dakar* and Abidjan universities & <two> ministries co-fund it."


@pytest.fixture
def prepared_db(tmp_path):
    """A published call with three advisory group members; the rest happens in the browser."""
    path = tmp_path / "browser.db"
    db = store.connect(path)
    sec = accounts.create_first_secretariat(db, username="secretariat", display_name="Secretariat Officer", password=PASSWORD)
    for i, name in enumerate(["Aminata Koné", "Мария Лебедева", "李文静"], 1):
        code = accounts.invite(db, user=sec, role=Role.MEMBER, display_name=name)
        accounts.accept_invitation(db, code=code, username=f"member{i}", password=PASSWORD)
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
    with serve(ROOT / "streamlit_app.py", prepared_db[0]) as url:
        yield url


@pytest.fixture
def browser():
    with chromium() as b:
        yield b


def test_the_whole_procedure_in_a_browser(server, browser, prepared_db):
    _, db, sec, call_id = prepared_db

    # 1. An applicant registers and submits.
    page = open_page(browser, server)
    page.get_by_role("tab", name="Register your organisation").click()
    page.get_by_label("Your name").fill("Fatou Diallo")
    page.get_by_label("Username").nth(1).fill("fatou")
    page.get_by_label("E-mail").fill("fatou@lagune.example")
    page.get_by_label("Password (at least 10 characters)", exact=True).fill(PASSWORD)
    act(page, lambda: page.get_by_role("button", name="Register").click())
    expect(page.get_by_role("heading", name="My proposal")).to_be_visible()
    page.get_by_label("Legal name of the organisation").fill(ENTITY)
    page.get_by_label("Acronym").fill("ILDO")
    page.locator("[data-testid='stSelectbox']", has_text="Country").click()
    page.keyboard.type("Senegal")
    page.get_by_role("option", name="Senegal", exact=True).click()
    act(page, lambda: page.get_by_role("button", name="Save the profile").click())
    expect(page.get_by_text("Profile saved.")).to_be_visible()
    settle(page)
    centres = page.get_by_label("Centres you wish to host")
    expect(centres).to_have_count(1)  # the page redraws after the save: wait until the old form is gone
    centres.click()
    page.keyboard.type("Africa")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    expect(page.locator("[data-testid='stMultiSelect']")).to_contain_text("Regional centre - Africa")
    page.get_by_label("Statement of interest").fill("We wish to host the African centre.")
    page.get_by_label("Summary").fill("Twenty years of lagoon science with partners in 12 countries.")
    for area in page.locator("textarea[aria-label*='% of the score']").all():
        area.fill("Evidence for this criterion, with partners, results and audited accounts.")
    shot(page, "1-applicant-draft")
    act(page, lambda: page.get_by_role("button", name="Save and submit the proposal").click())
    expect(page.get_by_text("Proposal submitted. Your receipt:")).to_be_visible()
    shot(page, "2-applicant-submitted")

    # The secretariat screens (its page is exercised in AppTest), assigns the panel, and asks a question.
    screening.set_status(db, user=sec, call_id=call_id, proposal_id="p-fatou", status="eligible")
    page = sign_in(browser, server, "secretariat", PASSWORD)
    assign_the_panel(page)
    assert db.execute("SELECT count(*) FROM assignments WHERE proposal_id = 'p-fatou'").fetchone()[0] == 3
    ask_for_a_clarification(page)

    # The applicant is told on its proposal page, and answers the panel's question.
    page = sign_in(browser, server, "fatou", PASSWORD)
    expect(page.get_by_text("The advisory group asks you to clarify your proposal")).to_be_visible()
    go(page, "Clarifications")
    expect(page.get_by_text(QUESTION)).to_be_visible()
    page.get_by_label("Answer to question 1").fill(ANSWER)
    shot(page, "2b-applicant-clarification")
    act(page, lambda: page.get_by_role("button", name="Send my answers").click())
    expect(page.get_by_text("Your answers were sent.")).to_be_visible()

    # 2. Three members declare (no conflict) and score with reasons.
    for i in (1, 2, 3):
        page = sign_in(browser, server, f"member{i}", PASSWORD)
        expect(page.get_by_role("heading", name="My reviews")).to_be_visible()
        page.get_by_text("No conflict", exact=True).first.click()  # chosen, never assumed
        expect(page.get_by_role("radio", name="No conflict")).to_be_checked()
        act(page, lambda: page.get_by_role("button", name="Declare").click())
        if i == 1:  # the answer is read beside the proposal
            expect(page.get_by_text("The applicant answered the advisory group's clarification request")).to_be_visible()
            page.get_by_text("The whole proposal: statement, summary, files and clarifications").click()
            expect(page.get_by_text(ANSWER)).to_be_visible()
            shot(page, "3a-member-reads-the-clarification")
        boxes = page.locator("[data-testid='stSelectbox']", has_text="Score")
        expect(boxes).to_have_count(len(default_criteria()))
        settle(page)
        for box in boxes.all():
            box.click()
            page.keyboard.type(f"{2 + i} —")
            page.keyboard.press("Enter")
            expect(box.get_by_role("combobox")).to_have_value(re.compile(rf"^{2 + i} —"))
            settle(page)
        reasons = page.get_by_label("Reasons for this score")
        expect(reasons).to_have_count(len(default_criteria()))
        for area in reasons.all():
            area.fill(f"Member {i}: the evidence matches the anchor for this score.")
        shot(page, f"3-member{i}-scoring")
        act(page, lambda: page.get_by_role("button", name="Save and submit").click())
        expect(page.get_by_text("The panel's scores")).to_be_visible()
    shot(page, "4-member-panel-after-submitting")

    # 3. The secretariat opens the meeting view, generates the report and downloads the PDF.
    page = sign_in(browser, server, "secretariat", PASSWORD)
    go(page, "Meeting")
    expect(page.get_by_text("Shortlist:").first).to_be_visible()
    shot(page, "5-secretariat-meeting")
    go(page, "Assessment report")
    act(page, lambda: page.get_by_role("button", name="Generate the report").click())
    expect(page.get_by_role("button", name="Download the PDF")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the PDF").click()
    pdf = Path(download.value.path()).read_bytes()
    shot(page, "6-secretariat-report")
    assert pdf.startswith(b"%PDF")
    (SHOTS / "assessment.pdf").write_bytes(pdf)
    assert db.execute("SELECT count(*) FROM review_submissions WHERE proposal_id = 'p-fatou'").fetchone()[0] == 3


def assign_the_panel(page) -> None:
    """Panel assignment: three members per proposal, preview, save."""
    go(page, "Panel assignment")
    # the call needs three reviews and the panel has three members: the page starts there
    expect(page.get_by_role("spinbutton", name="Members per proposal")).to_have_value("3")
    act(page, lambda: page.get_by_role("button", name="Propose an assignment").click())
    expect(page.get_by_text("Per proposal", exact=True)).to_be_visible()
    save = page.get_by_role("button", name="Save 3 new assignments")
    expect(save).to_be_visible()
    shot(page, "2a-secretariat-assignment-preview")
    act(page, lambda: save.click())
    expect(page.get_by_text("Saved 3 assignments.")).to_be_visible()


def ask_for_a_clarification(page) -> None:
    """Clarifications: one question to the applicant, reply in two weeks (the page's default)."""
    go(page, "Clarifications")
    page.locator("[data-testid='stSelectbox']", has_text="Proposal").first.click()
    page.keyboard.type("Institut des lagunes")
    page.get_by_role("option", name=ENTITY, exact=True).click()
    page.get_by_label("Question 1", exact=True).fill(QUESTION)
    act(page, lambda: page.get_by_role("button", name="Send the request").click())
    expect(page.get_by_text("Request sent to")).to_be_visible()
    expect(page.get_by_text("awaiting an answer").first).to_be_visible()
    shot(page, "2a-secretariat-clarification-sent")
