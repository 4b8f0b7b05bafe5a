"""Tables fit the page at 1,400 px: no table of the listed pages scrolls sideways, and a tick reads as a word.

Streamlit draws a table on a canvas inside a scroller; the scroller is wider than
its box when columns are hidden to the right. The offscreen table it keeps for
screen readers gives the cells' text.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from selection.demo.accounts import PASSWORD
from tests.ui.browser import ROOT, act, chromium, go, serve, shot, sign_in

TABLES = """() => [...document.querySelectorAll("[data-testid='stDataFrame']")].map(d => {
  const s = d.querySelector('.dvn-scroller');
  return {headers: [...d.querySelectorAll('table th')].map(c => c.textContent),
          cells: [...d.querySelectorAll('table td')].map(c => c.textContent),
          overflow: s ? s.scrollWidth - s.clientWidth : 0};
})"""


@pytest.fixture
def server(demo_db, tmp_path):
    with serve(ROOT / "streamlit_app.py", tmp_path / "app.db") as url:
        yield url


HAS = """(headers) => [...document.querySelectorAll("[data-testid='stDataFrame']")].some(d => {
  const th = new Set([...d.querySelectorAll('table th')].map(c => c.textContent));
  return headers.every(h => th.has(h)) && d.querySelectorAll('table td').length > 0;
})"""


def _tables(page, headers: set[str]) -> list[dict]:
    """The page's tables whose headers include ``headers``, once the grid has filled its offscreen table."""
    page.wait_for_function(HAS, arg=sorted(headers))
    found = [t for t in page.evaluate(TABLES) if headers <= set(t["headers"])]
    assert found, headers
    return found


def test_the_listed_tables_fit_1400_px_and_ticks_read_as_words(server):
    with chromium() as browser:
        page = sign_in(browser, server, "secretariat", PASSWORD)
        go(page, "Proposals")
        [proposals] = _tables(page, {"Entity", "Centres", "Reviews in"})
        assert proposals["overflow"] <= 0
        go(page, "Panel assignment")
        act(page, lambda: page.get_by_role("button", name="Propose an assignment").click())
        [per_proposal] = _tables(page, {"Entity", "Members", "New"})
        assert per_proposal["overflow"] <= 0
        go(page, "Meeting", "Advisory group meeting")
        shot(page, "tables-meeting")
        rankings = _tables(page, {"Rank", "Shortlisted", "Passes", "Tie", "(a)", "(b)", "(c)", "(d)"})
        assert all(t["overflow"] <= 0 for t in rankings)
        cells = {c for t in rankings for c in t["cells"]}
        assert {"Yes", "—"} <= cells and not cells & {"true", "false"}
        page = sign_in(browser, server, "member1", PASSWORD)
        go(page, "Review preferences")
        go(page, "My reviews")  # the first proposal, submitted: the panel's scores show under it
        expect(page.get_by_role("heading", name="The panel's scores")).to_be_visible()
        shot(page, "tables-member")
        [panel] = _tables(page, {"Member", "(a)", "(b)", "(c)", "(d)"})
        assert panel["overflow"] <= 0
