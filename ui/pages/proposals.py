"""Secretariat: the proposals received; one picker for reading, screening and assigning, one or many at once."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from selection import accounts, countries, queries, words
from selection.i18n import N_, _, ngettext
from selection.models import Role
from selection.services import bulk
from selection.services.common import criteria_rows
from ui import common, forms, organisation, panels, tables
from ui.screening_form import STATUS_WORDS, screening_form, status_word

ANY = "any"
LABELS_SENT = "proposals:picked_labels"


def _table(overview: pd.DataFrame, short: dict[str, str]) -> pd.DataFrame:
    """The overview as people read it: names, not ids; dates written out; columns that fit the page."""
    return pd.DataFrame({
        "Entity": [common.entity_label({"name": e, "acronym": a})
                   for e, a in zip(overview["Entity"], overview["Acronym"])],
        "Country": overview["Country"].map(countries.name),
        "Centres": [", ".join(short.get(s, s) for s in (ids or "").split(", ") if s) for ids in overview["Slots"]],
        "Status": [status_word(s) + (f" — {r}" if r else "") for s, r in zip(overview["Status"], overview["Reason"])],
        "Submitted": [words.date(d) for d in overview["Submitted"]],
        "Members": [ngettext("{members} ({n} conflict)", "{members} ({n} conflicts)", int(c), members=n) if c
                    else str(n) for n, c in zip(overview["Assigned"], overview["Conflicts"])],
        "Reviews in": overview["Reviews submitted"],
    })


# widths in pixels that add up to the page's width beside the sidebar at 1,400 px
WIDTHS = {"Entity": 290, "Country": 90, "Centres": 180, "Status": 110, "Submitted": 125, "Members": 65,
          "Reviews in": 65}
HEADERS = {"Entity": N_("Entity"), "Country": N_("Country"), "Centres": N_("Centres"), "Status": N_("Status"),
           "Submitted": N_("Submitted"), "Members": N_("Members"), "Reviews in": N_("Reviews in")}


def _columns() -> dict:
    """Each column's width and its header in the reader's language."""
    return {name: (tables.number if name == "Reviews in" else tables.text)(width, _(HEADERS[name]))
            for name, width in WIDTHS.items()}


def _filtered(overview: pd.DataFrame, slots: dict[str, str]) -> pd.DataFrame:
    left, right = st.columns(2)
    slot = left.selectbox(_("Centre"), [ANY, *slots], format_func=lambda s: _("All centres") if s == ANY else slots[s],
                          key="filter_slot")
    status = right.selectbox(_("Status"), [ANY, *STATUS_WORDS], key="filter_status",
                             format_func=lambda s: _("Any status") if s == ANY else status_word(s))
    keep = pd.Series(True, index=overview.index)
    if slot != ANY:
        keep &= overview["Slots"].fillna("").str.split(", ").map(lambda ids: slot in ids)
    if status != ANY:
        keep &= overview["Status"] == status
    return overview[keep]


def _unscreened(entity: str) -> str:
    """A proposal's label in the picker while it waits for its screening."""
    return _("{entity} — {status}", entity=entity, status=_(queries.NOT_SCREENED))


def _options(shown: pd.DataFrame, picked: list[str]) -> list[str]:
    """The filtered proposals, with those already chosen kept (a filter never drops a choice)."""
    ids = list(shown["Proposal"])
    return ids + [p for p in picked if p not in ids]


def _mend_choice(overview: pd.DataFrame, labels: dict[str, str]) -> None:
    """Give the picker back proposal ids for the labels the browser still shows.

    The browser keeps a chosen proposal by its label; once screened, its label loses
    "not yet screened", and Streamlit hands back the old label instead of the proposal.
    """
    chosen = st.session_state.get("picked")
    if not chosen:
        return
    by_label = {_unscreened(r["Entity"]): r["Proposal"] for r in overview.to_dict("records")}
    by_label.update({r["Entity"]: r["Proposal"] for r in overview.to_dict("records")})
    mended = list(dict.fromkeys(p if p in labels else by_label.get(p) for p in chosen))
    if mended != chosen:
        st.session_state["picked"] = [p for p in mended if p is not None]


def _resend_changed_labels(labels: dict[str, str]) -> None:
    """Send the choice again when a chosen proposal's label changed (a screening): the browser shows the labels
    it was last sent, so without this the picker still reads "not yet screened" until the next action."""
    now = [labels.get(p) for p in st.session_state.get("picked") or []]
    if st.session_state.get(LABELS_SENT) not in (None, now):
        st.session_state["picked"] = list(st.session_state["picked"])
    st.session_state[LABELS_SENT] = now


def _assign(conn, user, call, picked: list[str], labels: dict[str, str]) -> None:
    members = accounts.accounts(conn, Role.MEMBER)
    if not members:
        st.caption(_("Invite advisory group members under People first."))
        return
    with st.form("assign", clear_on_submit=True):
        who = st.multiselect(_("Members"), [m.id for m in members],
                             format_func=lambda i: next(m.display_name for m in members if m.id == i))
        if st.form_submit_button(ngettext("Assign the {n} chosen proposal", "Assign the {n} chosen proposals",
                                          len(picked)), type="primary"):
            with common.refusals(), forms.labelled({"members": _("Members"), "proposals": _("Proposals")}):
                made = bulk.assign_all(conn, user=user, call_id=call["id"], proposal_ids=picked, member_ids=who)
                names = ", ".join(common.md(m.display_name) for m in members if m.id in who)
                st.session_state["flash"] = ngettext("{n} assignment recorded: {names}.",
                                                     "{n} assignments recorded: {names}.", made, names=names)
                st.rerun()


def page() -> None:
    conn, user, call = common.open_page(_("Proposals"))
    if call is None:
        return
    overview = queries.proposals_overview(conn, call["id"])
    if overview.empty:
        st.info(_("No proposal has been submitted yet."))
        return
    slots = queries.slot_names(conn, call["id"])
    shown = _filtered(overview, slots)
    st.dataframe(_table(shown, queries.slot_short_names(conn, call["id"])), hide_index=True, width="stretch",
                 column_config=_columns())
    labels = {r["Proposal"]: (_unscreened(r["Entity"]) if r["Status"] == "submitted" else r["Entity"])
              for r in overview.to_dict("records")}
    _mend_choice(overview, labels)
    _resend_changed_labels(labels)
    picked = st.multiselect(_("Proposals to work on (one to read; several to screen or assign together)"),
                            _options(shown, st.session_state.get("picked", [])),
                            format_func=lambda p: labels.get(p, str(p)), key="picked",
                            placeholder=_("Choose one or more proposals"))
    if picked:
        read, screen, assign = st.tabs([_("Read"), _("Screen"), _("Assign")])
        with read:
            pid = picked[0] if len(picked) == 1 else st.selectbox(_("Proposal to read"), picked,
                                                                  format_func=labels.get, key="read_p")
            organisation.show_profile(queries.proposal_entities(conn, call["id"])[pid])
            panels.proposal(conn, user, call, pid, criteria_rows(conn, call["id"]))
        with screen:
            screening_form(conn, user, call, picked, labels)
        with assign:
            _assign(conn, user, call, picked, labels)
    need = call["min_reviews"]
    assessed = overview["Status"].isin(["submitted", "eligible"])
    short = overview[assessed & (overview["Reviews submitted"] < need)]
    st.subheader(_("Scoring progress"))
    st.progress(1 - len(short) / max(1, int(assessed.sum())),
                text=ngettext("{n} proposal still below {need} submitted reviews",
                              "{n} proposals still below {need} submitted reviews", len(short), need=need))
