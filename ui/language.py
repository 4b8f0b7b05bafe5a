"""The page's language: chosen once at the top of every run, offered in a selector, and laid out right to left
for Arabic. The rule of which language wins is ``i18n.choose``; this module only gathers its inputs."""

from __future__ import annotations

import json

import streamlit as st

from selection import accounts, i18n
from selection.i18n import _
from selection.permissions import User
from ui.common import LANGUAGE as CHOSEN


def _query() -> str | None:
    value = st.query_params.get("lang")
    return value if isinstance(value, str) else None


def _browser() -> str | None:
    try:
        locale = st.context.locale
    except (AttributeError, RuntimeError):
        return None
    return locale if isinstance(locale, str) else None


def settle(conn, user: User | None) -> str:
    """Set the language of this run (so the core's refusals come in it) and keep a choice with the account."""
    query = i18n.known(_query())
    if query:  # kept for the session: the address loses its ?lang= when the person moves to another page
        st.session_state[CHOSEN] = query
    chosen = i18n.known(st.session_state.get(CHOSEN))
    code = i18n.set_language(i18n.choose(query=query, chosen=chosen, account=user.language if user else None,
                                         browser=_browser()))
    if user is not None and (query or chosen) and code != user.language and code != i18n.PSEUDO:
        accounts.set_language(conn, user=user, language=code)
    return code


def _picked(key: str) -> None:
    """The choice of one selector; a selector of a page no longer shown (the sign-in page's, once signed in) may
    still report its last value, which is ignored."""
    code = st.session_state.get(key)
    if code is None:
        return
    st.session_state[CHOSEN] = code
    st.query_params["lang"] = code


def selector(where=st, key: str = "language_select") -> None:
    """The languages, each named in itself; choosing one switches the page at once."""
    code = i18n.language()
    options = [*i18n.LANGUAGES, *([code] if code not in i18n.LANGUAGES else [])]
    st.session_state[key] = code
    where.selectbox("🌐 " + _("Language"), options, key=key, format_func=lambda c: i18n.LANGUAGES.get(c, c),
                    on_change=_picked, args=(key,))


def lay_out() -> None:
    """Arabic right to left: Streamlit has no option, so a small script marks the main container and the
    sidebar with ``dir`` (and the page with ``lang``) and keeps them marked as Streamlit redraws them."""
    code = i18n.language()
    st.html(_DIRECTION_SCRIPT % json.dumps({"lang": code, "dir": i18n.direction(code)}),
            unsafe_allow_javascript=True)
    if i18n.direction(code) == "rtl":
        st.html(_RTL_STYLE)


_DIRECTION_SCRIPT = """<script>
(function (want) {
  window.hostSelectionDirection = want;
  var mark = function () {
    var w = window.hostSelectionDirection;
    document.documentElement.lang = w.lang;
    document.querySelectorAll("[data-testid='stMain'], [data-testid='stSidebar']").forEach(function (el) {
      if (el.getAttribute("dir") !== w.dir) { el.setAttribute("dir", w.dir); }
    });
  };
  mark();
  if (!window.hostSelectionDirectionWatch) {
    window.hostSelectionDirectionWatch = new MutationObserver(mark);
    window.hostSelectionDirectionWatch.observe(document.body, {childList: true, subtree: true});
  }
})(%s);
</script>"""

_RTL_STYLE = """<style>
[dir='rtl'] [data-testid='stMarkdownContainer'], [dir='rtl'] [data-testid='stCaptionContainer'],
[dir='rtl'] [data-testid='stWidgetLabel'], [dir='rtl'] h1, [dir='rtl'] h2, [dir='rtl'] h3,
[dir='rtl'] [data-testid='stAlertContainer'] { text-align: right; }
[dir='rtl'] input, [dir='rtl'] textarea, [dir='rtl'] [data-baseweb='select'] div {
  unicode-bidi: plaintext; text-align: right; }
[dir='rtl'] table th, [dir='rtl'] table td { text-align: right; }
[dir='rtl'] [data-testid='stMarkdownContainer'] ul, [dir='rtl'] [data-testid='stMarkdownContainer'] ol {
  padding-right: 1.5em; padding-left: 0; }
</style>"""
