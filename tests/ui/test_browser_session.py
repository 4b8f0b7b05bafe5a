"""Staying signed in, in a real browser: a reload and a second tab keep the session; signing out ends both.

Debian's chromium driven by playwright against `streamlit run` (the server fixture of test_browser.py).
Every wait is for something on the page, never for a fixed time.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from selection import accounts, store
from tests.ui.test_browser import SHOTS, browser, server  # noqa: F401 (fixtures)

PASSWORD = "browser-session-password"
COOKIE = "host_selection_session"
WAIT_MS = 60_000  # a loaded machine can take seconds per rerun; every wait is for a condition


@pytest.fixture
def prepared_db(tmp_path):
    """One secretariat account and nothing else: the sessions are what is tested."""
    path = tmp_path / "session.db"
    db = store.connect(path)
    sec = accounts.create_first_secretariat(db, username="officer", display_name="Session Officer", password=PASSWORD)
    return path, db, sec, None


def _open(context, url: str) -> Page:
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    page.goto(url)
    page.wait_for_selector("[data-testid='stApp']")
    return page


def _open_signed_in(context, url: str) -> Page:
    page = _open(context, url)
    page.locator("input[aria-label='Username']:visible").first.fill("officer")
    page.locator("input[aria-label='Password']:visible").first.fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    _signed_in(page)
    return page


def _signed_in(page: Page) -> None:
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible(timeout=WAIT_MS)
    expect(page.get_by_text("Signed in as")).to_be_visible(timeout=WAIT_MS)
    assert page.locator("[data-testid='stException']").count() == 0


def _signed_out(page: Page, message: str) -> None:
    expect(page.get_by_text(message)).to_be_visible(timeout=WAIT_MS)
    expect(page.get_by_role("button", name="Sign in")).to_be_visible(timeout=WAIT_MS)
    expect(page.get_by_text("Signed in as")).to_have_count(0, timeout=WAIT_MS)


def test_a_reload_and_a_second_tab_stay_signed_in_and_signing_out_ends_both(server, browser, prepared_db):
    db = prepared_db[1]
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    first = _open_signed_in(context, server)
    first.wait_for_function(f"document.cookie.includes('{COOKIE}=')")
    [cookie] = [c for c in context.cookies() if c["name"] == COOKIE]
    assert cookie["sameSite"] == "Strict"
    stored = db.execute("SELECT token_hash FROM sessions WHERE ended_at IS NULL").fetchall()
    assert [row[0] for row in stored] == [accounts.digest(cookie["value"])]  # only the hash is kept

    first.reload()
    first.wait_for_selector("[data-testid='stApp']")
    _signed_in(first)

    second = _open(context, server)
    _signed_in(second)
    second.screenshot(path=str(SHOTS / "session-second-tab.png"), full_page=True)

    first.get_by_role("button", name="Sign out").click()
    _signed_out(first, "You have signed out.")
    first.wait_for_function(f"!document.cookie.includes('{COOKIE}=')")

    second.locator("[data-testid='stSidebarNav'] a", has_text="People").first.click()
    _signed_out(second, "You signed out, in this tab or another one. Please sign in again.")
    second.screenshot(path=str(SHOTS / "session-second-tab-after-sign-out.png"), full_page=True)

    first.reload()
    first.wait_for_selector("[data-testid='stApp']")
    expect(first.get_by_role("button", name="Sign in")).to_be_visible(timeout=WAIT_MS)
    expect(first.get_by_text("Signed in as")).to_have_count(0, timeout=WAIT_MS)
    assert db.execute("SELECT count(*) FROM sessions WHERE ended_at IS NULL").fetchone()[0] == 0
    context.close()


def test_typed_text_not_saved_is_not_lost_without_a_warning(server, browser, prepared_db):
    """Another page or a reload asks before dropping what was typed; once saved, nothing asks."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = _open_signed_in(context, server)
    page.locator("[data-testid='stSidebarNav'] a", has_text="People").first.click()
    name = page.get_by_label("Name", exact=True)
    name.click()
    page.keyboard.type("Ana Invitee")
    asked = []

    def stay(dialog):
        asked.append((dialog.type, dialog.message))
        dialog.dismiss()

    page.once("dialog", stay)
    page.locator("[data-testid='stSidebarNav'] a", has_text="Dashboard").first.click()
    page.wait_for_function("window.hostSelectionUnsaved === true")
    assert asked == [("confirm", "You have typed text that is not saved yet. Leave this page and lose it?")]
    expect(name).to_have_value("Ana Invitee")  # still on People, the text kept

    def leave(dialog):
        asked.append((dialog.type, ""))
        dialog.accept()

    page.once("dialog", leave)
    page.reload()
    page.wait_for_selector("[data-testid='stApp']")
    expect(page.get_by_text("Signed in as")).to_be_visible(timeout=WAIT_MS)
    assert asked[-1] == ("beforeunload", "")

    page.locator("[data-testid='stSidebarNav'] a", has_text="People").first.click()
    name = page.get_by_label("Name", exact=True)
    name.click()
    page.keyboard.type("Ana Invitee")
    page.get_by_role("button", name="Create an invitation code").click()
    expect(page.get_by_text("Ana Invitee").first).to_be_visible(timeout=WAIT_MS)
    page.wait_for_function("window.hostSelectionUnsaved === false")
    page.on("dialog", lambda d: (asked.append(("unexpected", d.message)), d.accept()))
    page.reload()
    page.wait_for_selector("[data-testid='stApp']")
    expect(page.get_by_text("Signed in as")).to_be_visible(timeout=WAIT_MS)
    assert asked[-1] == ("beforeunload", "")  # nothing new was asked
    context.close()


def test_a_link_opened_signed_out_asks_to_sign_in_then_opens_its_page(server, browser, prepared_db):
    """A link from an e-mail (…/proposals) opened in a browser that is not signed in: the sign-in form, not
    "Page not found"; once signed in, the page the link named."""
    url = server
    context = browser.new_context()
    page = _open(context, f"{url}/proposals")
    expect(page.get_by_role("button", name="Sign in")).to_be_visible(timeout=WAIT_MS)
    expect(page.get_by_text("Sign in to open the page this link leads to")).to_be_visible(timeout=WAIT_MS)
    assert page.get_by_text("Page not found").count() == 0
    page.locator("input[aria-label='Username']:visible").first.fill("officer")
    page.locator("input[aria-label='Password']:visible").first.fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Proposals")).to_be_visible(timeout=WAIT_MS)
    assert page.get_by_text("Page not found").count() == 0
    assert page.locator("[data-testid='stException']").count() == 0
    page.screenshot(path=str(SHOTS / "deep-link-after-sign-in.png"))
    context.close()
