"""What every page shares: the store, the signed-in person, the chosen call, messages.

Pages never hold a rule of the procedure; they gather input, call one
service, and show the result or the service's message beside the field.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable

import sqlite_utils
import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from reports import dossier, summaries
from selection import accounts, i18n, queries, sessions, store
from selection.errors import Forbidden, Invalid
from selection.i18n import N_, _
from selection.permissions import User
from selection.services import intake

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$&:=^/@%\"'])")
# Streamlit rewrites some patterns in the *text* of Markdown after the escapes are undone (autolinked URLs and
# e-mail addresses, :emoji: and :material/...: shortcodes, the logo, "--" and "->" typography): an invisible
# word joiner placed inside each pattern stops it without changing what a person reads.
WORD_JOINER = "\u2060"
_REWRITTEN = re.compile(r"(?<=[:@])|(?i:(?<=www)(?=\.))|(?<=[-<>~])(?=[-<>=])")
_INDENT = re.compile(r"^[ \t]+", re.MULTILINE)


def md(text: object) -> str:
    """User text made inert wherever Streamlit reads Markdown (markdown, captions, alerts, every widget label).

    Every Markdown and HTML character is escaped, the rewritten patterns are broken by a word joiner, leading
    spaces cannot open a code block, and a line break stays a line break.
    """
    plain = str(text if text is not None else "").replace("\r\n", "\n")
    plain = _INDENT.sub(lambda m: "\u00a0" * len(m.group().expandtabs(4)), plain)
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", _REWRITTEN.sub(WORD_JOINER, plain))
    return escaped.replace("\n", "  \n")


def isolated(text: object) -> str:
    """User text inside a translated sentence (:func:`md`), kept in its own direction in a right-to-left page:
    a Latin name in an Arabic sentence, or an Arabic name in an English one, does not reorder its neighbours."""
    return i18n.isolate(md(text))


def time_zone() -> str | None:
    """The reader's time zone as the browser gives it (None when unknown: times are then shown in UTC)."""
    try:
        return st.context.timezone
    except (AttributeError, RuntimeError):
        return None


def db():
    """A connection for this run of the script (cheap; the schema check is one PRAGMA)."""
    return store.connect()


def single_sign_on() -> bool:
    """True when an OIDC provider is configured in .streamlit/secrets.toml ([auth] section)."""
    try:
        return "auth" in st.secrets
    except (FileNotFoundError, KeyError, StreamlitSecretNotFoundError):
        return False


SESSION_COOKIE = "host_selection_session"
BROWSER_COOKIE = "host_selection_browser"
BROWSER_COOKIE_DAYS = 400
_TOKEN, _BROWSER, _STALE = "session_token", "browser_token", "stale_session_cookie"
LANGUAGE = "language_chosen"  # the language chosen in this tab, kept when the person signs in or out


def _cookie(name: str) -> str | None:
    """A cookie the browser sent when this tab connected (st.context reads the first request only).

    Only text is a cookie: a test harness without a browser answers with stand-in objects.
    """
    value = st.context.cookies.get(name)
    return value if isinstance(value, str) and value else None


def current_user(conn) -> User | None:
    """The signed-in person, or None.

    The tab's session token, else the browser's session cookie (a reload, a
    second tab, a link from an e-mail), is checked against the server-side
    session on every run, so a session that ended anywhere (signed out in
    another tab, idle for 30 minutes, account disabled, password reset) ends
    here at the next action. With single sign-on configured, a person the
    provider signed in is matched to a local account by e-mail; the account
    decides the role.
    """
    token = st.session_state.get(_TOKEN)
    if token is not None:
        resumed = sessions.resume(conn, token)
        if resumed.user is None:
            _forget(resumed.message)
        return resumed.user
    cookie = _cookie(SESSION_COOKIE)
    if cookie and cookie != st.session_state.get(_STALE):
        resumed = sessions.resume(conn, cookie)
        if resumed.user is not None:
            st.session_state[_TOKEN] = cookie
            return resumed.user
        st.session_state[_STALE] = cookie
    if single_sign_on() and st.user.is_logged_in:
        user = accounts.by_email(conn, st.user.get("email"))
        if user is None:
            st.error(_("Your organisation's account is signed in, but no host-selection account has its e-mail "
                       "address. Ask the secretariat to invite you with that address."))
            return None
        sign_in_as(conn, user)
        return user
    return None


def browser_token() -> str | None:
    """The known-browser token this browser holds, if any (see selection.sessions)."""
    return st.session_state.get(_BROWSER) or _cookie(BROWSER_COOKIE)


def sign_in_as(conn, user: User) -> None:
    """Open a server-side session for this tab; :func:`keep_cookies` then hands its token to the browser."""
    browser = sessions.remember_browser(conn, user, browser_token())
    token = sessions.start(conn, user)
    stale = _cookie(SESSION_COOKIE)
    _forget()
    st.session_state[_TOKEN], st.session_state[_BROWSER] = token, browser
    if stale and stale != token:
        st.session_state[_STALE] = stale


def sign_out(conn, user: User) -> None:
    """End every session of this person, in every tab and browser, and clear this tab."""
    sessions.end_all(conn, user.id, "signed out")
    _forget(_("You have signed out."))


def _forget(message: str | None = None) -> None:
    """Clear this tab's state; remember the browser's cookie as stale so it is not tried again."""
    stale = st.session_state.get(_TOKEN) or st.session_state.get(_STALE)
    browser, chosen = st.session_state.get(_BROWSER), st.session_state.get(LANGUAGE)
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    if chosen:
        st.session_state[LANGUAGE] = chosen
    if stale:
        st.session_state[_STALE] = stale
    if browser:
        st.session_state[_BROWSER] = browser
    if message:
        st.session_state["flash"] = message


def keep_cookies() -> None:
    """Hand the session token to the browser (``SameSite=Strict``), or clear a stale one.

    Streamlit cannot set a cookie from the server, so a small script does it in
    the page; it changes ``document.cookie`` only when the value differs.
    """
    token, stale, browser = (st.session_state.get(k) for k in (_TOKEN, _STALE, _BROWSER))
    if not (token or stale or browser):
        return
    script = _COOKIE_SCRIPT % json.dumps({"session": [SESSION_COOKIE, token], "stale": [SESSION_COOKIE, stale],
                                          "browser": [BROWSER_COOKIE, browser, BROWSER_COOKIE_DAYS * 86400]})
    st.html(script, unsafe_allow_javascript=True)


_COOKIE_SCRIPT = """<script>
(function (c) {
  var secure = location.protocol === "https:" ? "; Secure" : "";
  var has = function (name, value) { return document.cookie.split("; ").indexOf(name + "=" + value) >= 0; };
  var put = function (name, value, extra) {
    if (!has(name, value)) { document.cookie = name + "=" + value + "; Path=/; SameSite=Strict" + secure + extra; }
  };
  if (c.session[1]) { put(c.session[0], c.session[1], ""); }
  else if (c.stale[1] && has(c.stale[0], c.stale[1])) {
    document.cookie = c.stale[0] + "=; Path=/; Max-Age=0; SameSite=Strict" + secure;
  }
  if (c.browser[1]) { put(c.browser[0], c.browser[1], "; Max-Age=" + c.browser[2]); }
})(%s);
</script>"""


def guard_unsaved() -> None:
    """Warn before typed text is lost: a reload, closing the tab or another page while a form holds
    text not yet saved asks first.

    What a form holds lives in the tab until it is saved (Streamlit keeps no draft on
    the server), so the browser is the only place that knows; pressing any button counts
    as saving or as a deliberate choice, and clears the warning.
    """
    st.html(_UNSAVED_SCRIPT % json.dumps(_(UNSAVED_QUESTION)), unsafe_allow_javascript=True)


UNSAVED_QUESTION = N_("You have typed text that is not saved yet. Leave this page and lose it?")

_UNSAVED_SCRIPT = """<script>
(function () {
  if (window.hostSelectionUnsaved !== undefined) { return; }
  window.hostSelectionUnsaved = false;
  var typed = function (el) {
    if (!el || !el.closest || el.closest("[data-testid='stSidebar']")) { return false; }
    if (el.tagName === "TEXTAREA") { return true; }
    return el.tagName === "INPUT" && ["text", "email", "url", "tel", "search", "number", ""].indexOf(el.type) >= 0;
  };
  document.addEventListener("input", function (e) {
    if (typed(e.target)) { window.hostSelectionUnsaved = true; }
  }, true);
  document.addEventListener("click", function (e) {
    var target = e.target && e.target.closest ? e.target : null;
    if (!target) { return; }
    var link = target.closest("[data-testid='stSidebarNav'] a, [data-testid='stSidebarNavLink']");
    if (link && window.hostSelectionUnsaved) {
      if (!window.confirm(%s)) { e.preventDefault(); e.stopImmediatePropagation(); return; }
      window.hostSelectionUnsaved = false;
      return;
    }
    if (target.closest("button") && !target.closest("[data-testid='stDownloadButton']")) {
      window.hostSelectionUnsaved = false;
    }
  }, true);
  window.addEventListener("beforeunload", function (e) {
    if (window.hostSelectionUnsaved) { e.preventDefault(); e.returnValue = ""; }
  });
})();
</script>"""


def flash() -> None:
    message = st.session_state.pop("flash", None)
    if message:
        st.info(message)


@contextlib.contextmanager
def refusals(where=None):
    """Show a service's refusal as a message (beside the form when given) instead of a traceback."""
    target = where or st
    try:
        yield
    except Invalid as e:
        lines = []
        for field, message in e.problems:  # every problem of the form at once
            if message[:1].isupper():  # a whole sentence says it all
                lines.append(md(message))
            else:
                label = field.replace("_", " ").replace(".", ": ")
                lines.append(_("**{field}** — {problem}", field=md(label), problem=md(message)))
        target.error("\n\n".join(lines))
    except Forbidden as e:
        target.error(md(e))


def calls_for(conn, user: User) -> list[dict]:
    """The calls this person may work on: all for staff, published ones for applicants."""
    return queries.calls_newest_first(conn, published_only=user.role.value == "applicant")


def choose_call(conn, user: User) -> dict | None:
    """The call the person works on, chosen once in the sidebar and kept across pages."""
    calls = calls_for(conn, user)
    if not calls:
        return None
    refs = [c["reference"] for c in calls]
    current = st.session_state.get("call_ref")
    index = refs.index(current) if current in refs else 0
    ref = st.sidebar.selectbox(_("Call"), refs, index=index, key="call_select",
                               format_func=lambda r: next(f"{c['reference']} — {c['title']}" for c in calls
                                                          if c["reference"] == r))
    st.session_state["call_ref"] = ref
    return next(c for c in calls if c["reference"] == ref)


def need_call(conn, user: User) -> dict | None:
    call = choose_call(conn, user)
    if call is None:
        st.info(_("There is no call yet.") if user.role.value != "applicant" else _("No call is open at the moment."))
    return call


def open_page(title: str):
    """The start of every signed-in page: the store, the person, the title and the chosen call (None if none)."""
    conn = db()
    user = current_user(conn)
    st.title(title)
    return conn, user, need_call(conn, user)


def entity_label(row: dict) -> str:
    """An entity's name and acronym as a table cell or a picker shows it, in the page's direction."""
    label = f"{row['name']} ({row['acronym']})" if row.get("acronym") else row["name"]
    return i18n.in_page_direction(label)


def on_click(data: bytes) -> Callable[[], bytes]:
    """Bytes already built, handed to Streamlit's media endpoint only when the person clicks (docs/THREATS.md)."""
    return lambda: data


def read_on_click(user: User, read: Callable[[sqlite_utils.Database, User], bytes], refused: str
                  ) -> Callable[[], bytes]:
    """Bytes for st.download_button, read only when the person clicks, on a fresh connection, with the account
    read again then (``read`` checks the permission): a page run long ago does not keep the right to them."""
    def run() -> bytes:
        conn = store.connect()
        try:
            person = accounts.get_user(conn, user.id)
            if person is None:
                raise Forbidden(refused)
            return read(conn, person)
        finally:
            conn.conn.close()

    return run


def attachment_on_click(user: User, call_id: int, attachment_id: int) -> Callable[[], bytes]:
    """A file's bytes for st.download_button, read only when the person clicks, with the permission checked then.

    Streamlit serves download data from an endpoint that asks for no session: data given up front would sit there
    for every proposal a page lists. See docs/THREATS.md for what remains exposed after a click.
    """
    return read_on_click(user, lambda conn, person: intake.attachment_bytes(
        conn, user=person, call_id=call_id, attachment_id=attachment_id)[1],
        _("This account may no longer read files."))


def dossier_on_click(user: User, call_id: int, proposal_id: str) -> Callable[[], bytes]:
    """A proposal's dossier (PDF), built on the click (:func:`read_on_click`)."""
    return read_on_click(user, lambda conn, person: dossier.build(conn, user=person, call_id=call_id,
                                                                  proposal_id=proposal_id),
                         _("This account may no longer read this proposal."))


def summary_on_click(user: User, call_id: int, proposal_id: str) -> Callable[[], bytes]:
    """A proposal's evaluation summary for st.download_button, built when the person clicks, if they may read it."""
    return read_on_click(user, lambda conn, person: summaries.for_reader(
        conn, user=person, call_id=call_id, proposal_id=proposal_id),
        _("This account may no longer read the summary."))
