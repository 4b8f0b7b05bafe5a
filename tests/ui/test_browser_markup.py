"""In Chromium, user text made inert by ``ui.common.md`` creates no element and fetches nothing from another host.

This is the proof behind the model in tests/ui/markup.py that the AppTest
tests use on every page: the hostile strings go through every kind of element
(tests/ui/markup_app.py); none may create a link, an image, a heading, an icon,
a colour, a list, code or a formula, and each must read as typed.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.ui.browser import ROOT, chromium, open_page, serve
from tests.ui.markup import BROWSER_KINDS, HOSTILE_FILENAME, HOSTILE_LINE, HOSTILE_TEXT, WORD_JOINER

# What Streamlit would create from Markdown: none may appear inside an element showing user text.
CREATED = ("a, img, h1, h2, h3, h4, h5, h6, [data-testid='stIconMaterial'], .stMarkdownColoredText, "
           ".stMarkdownColoredBackground, .stMarkdownBadge, strong, em, del, code, ul, ol, blockquote, pre, "
           ".katex, hr, b")
# Elements of the widget itself, present whatever the label says.
OWN = {"subheader": {"h3"}, "expander": {"[data-testid='stIconMaterial']"}}

_INSPECT = """(el, [created, own]) => {
  const mine = own.length ? [...el.querySelectorAll(own.join(','))] : [];
  return {text: el.innerText, created: [...el.querySelectorAll(created)].filter(n => !mine.includes(n))
                                                              .map(n => n.outerHTML.slice(0, 120))};
}"""


@pytest.fixture
def server(tmp_path):
    with serve(ROOT / "tests" / "ui" / "markup_app.py", tmp_path / "unused.db") as url:
        yield url


def test_hostile_text_creates_no_element_in_a_real_browser(server):
    problems, other_hosts = [], []
    with chromium() as browser:
        page = open_page(browser, server)
        page.on("request", lambda r: other_hosts.append(r.url) if "host.example" in r.url else None)
        page.reload()
        page.get_by_text("All shown.").wait_for()
        for i, s in enumerate((HOSTILE_LINE, HOSTILE_FILENAME, HOSTILE_TEXT)):
            for kind in BROWSER_KINDS:
                if kind in ("dataframe", "chart"):
                    continue
                box = page.locator(f".st-key-c{i}_{kind}")
                expect(box).not_to_have_text(re.compile(r"^\s*$"))  # drawn (a button's label can come late)
                found = box.evaluate(_INSPECT, [CREATED, sorted(OWN.get(kind, ()))])
                if found["created"]:
                    problems.append((i, kind, found["created"]))
                text = " ".join(found["text"].replace(WORD_JOINER, "").replace("\u00a0", " ").split())
                if " ".join(s.split()) not in text:
                    problems.append((i, kind, "text not shown as typed", text[:200]))
            value = page.locator(f".st-key-c{i}_selectbox input").input_value()
            if value != s.replace("\n", ""):  # a one-line box drops the line breaks, nothing else
                problems.append((i, "selectbox option", value))
    assert problems == []
    assert other_hosts == []
