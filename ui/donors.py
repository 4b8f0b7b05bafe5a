"""The decision page's donors section: the funding gap per host, each donor's pledge and its dated history."""

from __future__ import annotations


import pandas as pd
import streamlit as st

from selection import clock, queries, words
from selection.i18n import N_, _
from selection.services import funding
from ui import common, forms

WORDS = {"contacted": N_("contacted"), "pledged": N_("pledged"), "paid": N_("paid"), "declined": N_("declined")}
CHOICES = {"contacted": N_("Contacted"), "pledged": N_("Pledged"), "paid": N_("Paid"), "declined": N_("Declined")}
LABELS = {"donor": N_("Donor"), "amount": N_("Amount"), "currency": N_("Currency"), "status": N_("Status"),
          "note": N_("Note"), "on_date": N_("On"), "slot": N_("Slot")}


def _labels() -> dict[str, str]:
    return {k: _(v) for k, v in LABELS.items()}


def _money(amount, currency) -> str:
    return "" if amount is None else f"{words.number(amount, 0)} {currency or ''}".strip()


def _typed(amount) -> str:
    """An amount as the reader writes it in the box ("200,000", "200 000,50"), never "200000.00"."""
    if amount is None:
        return ""
    return words.number(amount, 0 if float(amount).is_integer() else 2)


def _gaps(conn, call) -> None:
    rows = queries.funding(conn, call["id"])
    if rows:
        st.dataframe(pd.DataFrame([{_("Slot"): f["slot"], _("Host"): f["entity"],
                                    _("Need"): _money(f["need"], f["currency"]),
                                    _("Pledged or paid"): _money(f["pledged"], f["currency"]),
                                    _("Still to find"): _money(f["gap"], f["currency"]),
                                    _("Other currencies"): ", ".join(_money(v, k) for k, v in
                                                                     f["other_currencies"].items())}
                                   for f in rows]), hide_index=True, width="stretch")


def _new_pledge(conn, user, call, slots) -> None:
    labels = _labels()
    with st.expander(_("Record a donor approached")), st.form("pledge", clear_on_submit=True):
        c1, c2, c3 = st.columns(3)
        slot = c1.selectbox(labels["slot"], list(slots), format_func=slots.get)
        donor = c2.text_input(labels["donor"], key="new_donor")
        status = c3.selectbox(labels["status"], list(CHOICES), format_func={s: _(w) for s, w in CHOICES.items()}.get)
        c1, c2, c3 = st.columns(3)
        amount = c1.text_input(labels["amount"], key="new_amount", placeholder=_("for example {amount}",
                                                                               amount=_typed(200_000)))
        currency = c2.text_input(labels["currency"], "USD", max_chars=3)
        day = c3.date_input(labels["on_date"], value=clock.today(), format="DD/MM/YYYY")
        note = st.text_input(labels["note"])
        if st.form_submit_button(_("Record the donor")):
            with common.refusals(), forms.labelled(labels):
                funding.add_pledge(conn, user=user, call_id=call["id"], slot_id=slot, donor=donor, amount=amount,
                                   currency=currency, status=status, contacted_on=day, note=note,
                                   pledged_on=day if status in ("pledged", "paid") else None)
                st.session_state["flash"] = _("{donor} recorded for {slot} as {status}.",
                                              donor=common.md(donor.strip()), slot=common.md(slots[slot]),
                                              status=_(WORDS[status]))
                st.rerun()


def _pledge_label(p: dict) -> str:
    return _("{donor} — {slot} ({status})", donor=p["donor"], slot=p["slot_name"], status=_(WORDS[p["status"]]))


def _move_on(conn, user, call, pledges) -> None:
    labels = _labels()
    # The options carry the status, so that a changed pledge is a new option and the picker never shows the old one.
    options = {(p["id"], p["status"]): _pledge_label(p) for p in pledges}
    picked = st.session_state.get("pledge_pick")
    if picked not in options:  # the pledge kept, under its current status
        st.session_state["pledge_pick"] = next((k for k in options if picked and k[0] == picked[0]), None) \
            or next(iter(options))
    chosen, _status = st.selectbox(_("Pledge"), list(options), key="pledge_pick", format_func=options.get)
    p = next(x for x in pledges if x["id"] == chosen)
    st.caption(_("History of this pledge"))
    st.dataframe(pd.DataFrame([{_("On"): words.date(e["on_date"]), _("Status"): _(WORDS[e["status"]]),
                                _("Amount"): _money(e["amount"], e["currency"]), _("Note"): e["note"] or "",
                                _("Recorded by"): e["recorded_by"]} for e in p["history"]]),
                 hide_index=True, width="stretch")
    moves = [p["status"], *funding.NEXT[p["status"]]]
    if not funding.NEXT[p["status"]]:
        st.caption(_("This pledge is {status}: that is final. A note can still be added.", status=_(WORDS[p["status"]])))
    named = {s: _(CHOICES[s]) for s in moves}
    named[p["status"]] = _("{status} (unchanged)", status=named[p["status"]])
    with st.form(f"move_{chosen}", clear_on_submit=True):
        c1, c2, c3, c4 = st.columns(4)
        status = c1.selectbox(labels["status"], moves, key=f"move_status_{chosen}",
                              format_func=named.get)
        day = c2.date_input(labels["on_date"], value=clock.today(), format="DD/MM/YYYY")
        amount = c3.text_input(labels["amount"], _typed(p["amount"]), key=f"move_amount_{chosen}")
        currency = c4.text_input(labels["currency"], p["currency"] or "USD", max_chars=3, key=f"move_currency_{chosen}")
        note = st.text_input(labels["note"], key=f"move_note_{chosen}")
        if st.form_submit_button(_("Record the change")):
            with common.refusals(), forms.labelled(labels):
                funding.change_pledge(conn, user=user, call_id=call["id"], pledge_id=chosen, status=status,
                                      on_date=day, amount=amount, currency=currency, note=note)
                st.session_state["flash"] = _("{donor}: {status} on {date}, recorded.", donor=common.md(p["donor"]),
                                              status=_(WORDS[status]), date=words.date(day))
                st.rerun()


def donors_section(conn, user, call, slots) -> None:
    st.subheader(_("Donors and pledges"))
    _gaps(conn, call)
    pledges = funding.pledges(conn, call["id"])
    if pledges:
        st.dataframe(pd.DataFrame([{_("Slot"): p["slot_name"], _("Donor"): p["donor"], _("Status"): _(WORDS[p["status"]]),
                                    _("Amount"): _money(p["amount"], p["currency"]),
                                    _("Since"): words.date(p["history"][-1]["on_date"] if p["history"]
                                                           else p["contacted_on"]),
                                    _("Latest note"): p["note"] or ""} for p in pledges]),
                     hide_index=True, width="stretch")
        _move_on(conn, user, call, pledges)
    else:
        st.caption(_("No donor recorded yet."))
    _new_pledge(conn, user, call, slots)
