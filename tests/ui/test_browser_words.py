"""People words on every page: walked in a real browser for every demo role, no text meant for a program.

The demo call (as `python -m selection demo` makes it) is served by `streamlit
run`; each role signs in and opens each of its pages, every tab and every
expander; the text read is the page's own and the cells of every table (kept in
the offscreen table Streamlit draws its canvas grid from). A page fails on any
machine pattern: a record id of the demo, a criterion or slot id, an ISO date or
timestamp, None / True / False / NaN, a snake_case name, a pydantic sentence, a
traceback, an unrounded number.
"""

from __future__ import annotations

import re

import pytest

from selection.demo import demo_bundle
from selection.demo.accounts import PASSWORD
from tests.ui.browser import ROOT, chromium, go, open_page, serve, settle, shot, sign_in
from ui.pages import PAGES_BY_ROLE


def _ids() -> list[str]:
    """Every id of the demo's records that is not also an English word a page may use."""
    b = demo_bundle()
    words = {"global", "africa", "networks", "expertise", "capacity"}
    ids = [s["id"] for s in b["call"]["slots"]] + [c["id"] for c in b["call"]["criteria"]]
    ids += [e["id"] for e in b["entities"]] + [p["id"] for p in b["proposals"]] + [r["id"] for r in b["reviewers"]]
    return sorted({i for i in ids if i not in words}, key=len, reverse=True)


MACHINE = {
    "record id": re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, _ids())) + r"|m-[a-z0-9]+)(?![\w-])"),
    "ISO date or timestamp": re.compile(r"\b\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?"),
    "None, True, False or NaN": re.compile(r"\b(None|True|False|NaN|nan|NaT|null)\b"),
    "snake_case name": re.compile(r"\b[a-z]+(_[a-z0-9]+)+\b"),
    "validator sentence": re.compile(r"Input should be|String should have|Field required|validation error|"
                                     r"Value error|type=\w+"),
    "traceback": re.compile(r"Traceback|File \"|Error:|Exception"),
    "unrounded number": re.compile(r"(?<![\w.])\d+\.\d{3,}(?![\w.])"),
}


def machine_words(text: str) -> list[str]:
    """Each machine pattern found in ``text``, with the line it sits on."""
    found = []
    for line in text.splitlines():
        for name, pattern in MACHINE.items():
            m = pattern.search(line)
            if m:
                found.append(f"{name} {m.group(0)!r} in: {line.strip()[:140]}")
    return found


def test_the_patterns_catch_what_they_name():
    assert machine_words("Proposal p-savanes, criterion tsc_experience, slot grulac, member r1") != []
    assert len(machine_words("Given on 2027-03-27T16:35:00Z\nscore None\nshortlisted True\ncontacted_on\n"
                             "Input should be a valid string\nTotal 72.916667")) == 6
    assert machine_words("Given on 27 March 2027, 16:35 · total 72.9 · weight 25% · e-mail · Asia and the Pacific"
                         " · networks and expertise in Africa") == []


@pytest.fixture
def server(demo_db, tmp_path):
    with serve(ROOT / "streamlit_app.py", tmp_path / "app.db") as url:
        yield url


# The page's text and every table's cells; icons (drawn from ligature names such as keyboard_arrow_down) are
# not text a person reads.
_READ = """() => {
  const cells = sel => [...document.querySelectorAll(sel)].map(c => c.textContent).join('\\n');
  const grid = "[data-testid='stDataFrame'] table";
  const icons = [...document.querySelectorAll("[data-testid='stIconMaterial']")];
  icons.forEach(t => t.style.display = 'none');
  const main = document.querySelector("[data-testid='stMain']");
  const side = document.querySelector("[data-testid='stSidebar']");
  const text = [main ? main.innerText : '', side ? side.innerText : '', cells(`${grid} th`), cells(`${grid} td`)];
  icons.forEach(t => t.style.display = '');
  return text.join('\\n');
}"""
# Call set-up is where the secretariat types the short codes of slots and criteria: they may show there.
TYPED_HERE = {"Call set-up": ("record id", "snake_case name")}


def _open_everything(page) -> None:
    """Open every collapsed expander, so what it holds is read too."""
    closed = page.locator("[data-testid='stExpander'] details:not([open]) > summary").filter(visible=True)
    for _ in range(closed.count()):  # those in a tab not shown are opened when their tab is
        closed.first.click()
    settle(page)


def _read_page(page, who: str, title: str) -> list[str]:
    _open_everything(page)
    text = page.evaluate(_READ)
    for tab in page.get_by_role("tab").all()[1:]:
        tab.click()
        settle(page)
        _open_everything(page)
        text += "\n" + page.evaluate(_READ)
    shot(page, "words-" + re.sub(r"[^a-z0-9]+", "-", f"{who} {title}".lower()))
    allowed = TYPED_HERE.get(title, ())
    return [f"{who} / {title}: {w}" for w in machine_words(text) if not (allowed and w.startswith(allowed))]


def test_no_page_of_any_demo_role_shows_text_meant_for_a_program(server):
    found = []
    with chromium() as browser:
        found += _read_page(open_page(browser, server), "signed out", "Sign in")
        for role, username in (("SECRETARIAT", "secretariat"), ("MEMBER", "member1"), ("BUREAU", "bureau"),
                               ("APPLICANT", "applicant")):
            page = sign_in(browser, server, username, PASSWORD)
            pages = next(v for k, v in PAGES_BY_ROLE.items() if k.name == role)
            for title, _, _ in pages:
                if len(pages) > 1:  # a role with one page has no navigation: it is already open
                    go(page, title)
                found += _read_page(page, username, title)
    assert found == [], "\n".join(found)
