"""The meeting and decision pages in a real browser at 1,400 px: the meeting's discussion tables fit the page, and
the member's, meeting and decision pages are drawn in French and in Arabic (right to left) for a person to look at (``test-output/screenshots/review-*.png``)."""

from __future__ import annotations


import pytest
from playwright.sync_api import expect

from selection import i18n
from selection.demo.accounts import PASSWORD
from selection.i18n import _
from tests.ui.browser import ROOT, act, chromium, go, serve, shot, sign_in
from tests.ui.test_browser_tables import TABLES, _tables


@pytest.fixture
def server(demo_db, tmp_path):
    with serve(ROOT / "streamlit_app.py", tmp_path / "app.db") as url:
        yield url


def _in(page, lang: str) -> None:
    """Switch the signed-in person's language with the sidebar's selector, as a person does."""
    page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").first.click()
    act(page, lambda: page.get_by_role("option", name=i18n.LANGUAGES[lang], exact=True).click())


def test_the_meeting_s_discussion_tables_fit_1400_px(server):
    with chromium() as browser:
        page = sign_in(browser, server, "secretariat", PASSWORD)
        go(page, "Meeting", "Advisory group meeting")
        for headers in ({"Entity", "Criterion", "Range", "Scores", "Consensus"}, {"Slot", "Today", "With these weights"},
                        {"Entity", "Rank: raw → calibrated", "Total: raw → calibrated"}):
            found = _tables(page, headers)
            assert all(t["overflow"] <= 0 for t in found), (headers, [t["overflow"] for t in found])
        assert page.evaluate(TABLES)


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_the_member_s_meeting_and_decision_pages_drawn_in_french_and_arabic(server, lang):
    with chromium() as browser, i18n.use(lang):
        page = sign_in(browser, server, "member1", PASSWORD)
        _in(page, lang)
        expect(page.get_by_role("heading", name=_("My reviews")).first).to_be_visible()
        shot(page, f"review-member-{lang}")
        page = sign_in(browser, server, "secretariat", PASSWORD)
        _in(page, lang)
        for title, heading in (("Meeting", "Advisory group meeting"), ("Decision and follow-up", None)):
            go(page, _(title), _(heading or title))
            assert (page.locator("[dir='rtl']").count() > 0) == (lang == "ar")
            shot(page, f"review-{title.split()[0].lower()}-{lang}")
