"""The languages in a real browser: Arabic laid out right to left, the applicant's pages in French with no English
interface text, and screenshots of the applicant's page in Arabic and Chinese (test-output/screenshots/)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from selection import bundle, store
from selection.demo import accounts as demo_accounts
from selection.demo import demo_bundle
from selection.demo.accounts import PASSWORD
from tests.ui.browser import ROOT, act, chromium, go, open_page, serve, settle, shot
from tests.ui.language_pages import fallback_words, stored_text

# Messages whose French is rightly the English word (selection/locale/same.txt), read as French here.
FRENCH_AS_ENGLISH = {"Questions", "Dates", "Notification", "Condition", "Code", "Type", "Global"}
ENGLISH = re.compile(r"\b(the|and|your|you|of|to|with|Save|Submit|Sign|Proposal|Call|Draft|Download|"
                     r"Withdraw|Questions until|What to|Choose|Legal|Contact|Country|Website|Register)\b")


@pytest.fixture
def demo(tmp_path):
    path = tmp_path / "languages.db"
    db = store.connect(path)
    call_id = bundle.store(db, bundle.from_dict(demo_bundle()), actor="test")
    demo_accounts.create(db, call_id)
    with serve(ROOT / "streamlit_app.py", path) as url, chromium() as browser:
        yield url, browser, db


SIGN_IN = {"ar": ("اسم المستخدم", "كلمة المرور", "تسجيل الدخول"),
           "zh": ("用户名", "密码", "登录"),
           "fr": ("Nom d'utilisateur", "Mot de passe", "Connexion")}


def _sign_in(page, lang: str) -> None:
    """Sign the demo applicant in on a sign-in page shown in ``lang``."""
    username, password, button = SIGN_IN[lang]
    page.locator(f"input[aria-label=\"{username}\"]:visible").first.fill("applicant")
    page.locator(f"input[aria-label=\"{password}\"]:visible").first.fill(PASSWORD)
    act(page, lambda: page.get_by_role("button", name=button, exact=True).click())


def _dir(page, testid: str) -> str | None:
    return page.locator(f"[data-testid='{testid}']").first.get_attribute("dir")


def _english_left(text: str, data: list[str]) -> list[str]:
    for piece in sorted({*data, *fallback_words()}, key=len, reverse=True):
        text = text.replace(piece, " ")
    return [line for line in text.splitlines() if ENGLISH.search(line) and line.strip() not in FRENCH_AS_ENGLISH]


def test_arabic_is_right_to_left_and_french_shows_no_english_interface_text(demo):
    url, browser, db = demo
    page = open_page(browser, f"{url}/?lang=ar")
    expect(page.get_by_role("heading", name="اختيار الجهات المضيفة")).to_be_visible()
    expect(page.locator("[data-testid='stMain']")).to_have_attribute("dir", "rtl")
    expect(page.locator("[data-testid='stSidebar']")).to_have_attribute("dir", "rtl")
    for label in SIGN_IN["ar"][:2]:
        expect(page.get_by_label(label, exact=True).first).to_be_visible()
    assert page.evaluate("document.documentElement.lang") == "ar"
    shot(page, "languages-sign-in-ar")
    _sign_in(page, "ar")
    expect(page.get_by_role("heading", name="مقترحي")).to_be_visible()
    expect(page.locator("[data-testid='stMain']")).to_have_attribute("dir", "rtl")
    settle(page)
    shot(page, "languages-applicant-ar")

    page = open_page(browser, f"{url}/?lang=zh")
    _sign_in(page, "zh")
    expect(page.get_by_role("heading", name="我的提案")).to_be_visible()
    assert _dir(page, "stMain") == "ltr"
    shot(page, "languages-applicant-zh")

    page = open_page(browser, f"{url}/?lang=fr")
    _sign_in(page, "fr")
    data = stored_text(db)
    for title in ("Ma proposition", "Éclaircissements"):
        go(page, title)
        for expander in page.locator("[data-testid='stExpander'] summary").all():
            expander.click()
        settle(page)
        left = _english_left(page.locator("[data-testid='stMain']").inner_text(), data)
        assert not left, f"{title}: English interface text {left}"
        left = _english_left(page.locator("[data-testid='stSidebar']").inner_text(), data)
        assert not left, f"{title}, sidebar: English interface text {left}"
