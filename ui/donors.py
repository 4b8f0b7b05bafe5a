"""The decision page's donors section: the funding gap per host, each donor's pledge and its dated history."""

from __future__ import annotations


import pandas as pd
import streamlit as st

from selection import clock, queries, words
from selection.services import funding
from ui import common, forms

WORDS = {"contacted": "contacted", "pledged": "pledged", "paid": "paid", "declined": "declined"}
LABELS = {"donor": "Donor", "amount": "Amount", "currency": "Currency", "status": "Status", "note": "Note",
          "on_date": "On", "slot": "Slot"}


def _money(amount, currency) -> str:
    return "" if amount is None else f"{amount:,.0f} {currency or ''}".strip()


def _gaps(conn, call) -> None:
    rows = queries.funding(conn, call["id"])
    if rows:
        st.dataframe(pd.DataFrame([{"Slot": f["slot"], "Host": f["entity"], "Need": _money(f["need"], f["currency"]),
                                    "Pledged or paid": _money(f["pledged"], f["currency"]),
                                    "Still to find": _money(f["gap"], f["currency"]),
                                    "Other currencies": ", ".join(_money(v, k) for k, v in
                                                                  f["other_currencies"].items())}
                                   for f in rows]), hide_index=True, width="stretch")


def _new_pledge(conn, user, call, slots) -> None:
    with st.expander("Record a donor approached"), st.form("pledge", clear_on_submit=True):
        c1, c2, c3 = st.columns(3)
        slot = c1.selectbox("Slot", list(slots), format_func=slots.get)
        donor = c2.text_input("Donor", key="new_donor")
        status = c3.selectbox("Status", list(WORDS), format_func=lambda s: WORDS[s].capitalize())
        c1, c2, c3 = st.columns(3)
        amount = c1.number_input("Amount", min_value=0.0, value=None, step=1000.0)
        currency = c2.text_input("Currency", "USD", max_chars=3)
        day = c3.date_input("On", value=clock.today(), format="DD/MM/YYYY")
        note = st.text_input("Note")
        if st.form_submit_button("Record the donor"):
            with common.refusals(), forms.labelled(LABELS):
                funding.add_pledge(conn, user=user, call_id=call["id"], slot_id=slot, donor=donor, amount=amount,
                                   currency=currency, status=status, contacted_on=day, note=note,
                                   pledged_on=day if status in ("pledged", "paid") else None)
                st.session_state["flash"] = f"{common.md(donor.strip())} recorded for {common.md(slots[slot])} as {WORDS[status]}."
                st.rerun()


def _move_on(conn, user, call, pledges) -> None:
    chosen = st.selectbox("Pledge", [p["id"] for p in pledges], key="pledge_pick",
                          format_func=lambda i: next(f"{p['donor']} — {p['slot_name']} ({WORDS[p['status']]})"
                                                     for p in pledges if p["id"] == i))
    p = next(x for x in pledges if x["id"] == chosen)
    st.caption("History of this pledge")
    st.dataframe(pd.DataFrame([{"On": words.date(e["on_date"]), "Status": WORDS[e["status"]],
                                "Amount": _money(e["amount"], e["currency"]), "Note": e["note"] or "",
                                "Recorded by": e["recorded_by"]} for e in p["history"]]),
                 hide_index=True, width="stretch")
    options = [p["status"], *funding.NEXT[p["status"]]]
    if not funding.NEXT[p["status"]]:
        st.caption(f"This pledge is {WORDS[p['status']]}: that is final. A note can still be added.")
    with st.form(f"move_{chosen}", clear_on_submit=True):
        c1, c2, c3, c4 = st.columns(4)
        status = c1.selectbox("Status", options, key=f"move_status_{chosen}",
                              format_func=lambda s: WORDS[s].capitalize() + (" (unchanged)" * (s == p["status"])))
        day = c2.date_input("On", value=clock.today(), format="DD/MM/YYYY")
        amount = c3.number_input("Amount", min_value=0.0, value=p["amount"], step=1000.0, key=f"move_amount_{chosen}")
        currency = c4.text_input("Currency", p["currency"] or "USD", max_chars=3, key=f"move_currency_{chosen}")
        note = st.text_input("Note", key=f"move_note_{chosen}")
        if st.form_submit_button("Record the change"):
            with common.refusals(), forms.labelled(LABELS):
                funding.change_pledge(conn, user=user, call_id=call["id"], pledge_id=chosen, status=status,
                                      on_date=day, amount=amount, currency=currency, note=note)
                st.session_state["flash"] = f"{common.md(p['donor'])}: {WORDS[status]} on {words.date(day)}, recorded."
                st.rerun()


def donors_section(conn, user, call, slots) -> None:
    st.subheader("Donors and pledges")
    _gaps(conn, call)
    pledges = funding.pledges(conn, call["id"])
    if pledges:
        st.dataframe(pd.DataFrame([{"Slot": p["slot_name"], "Donor": p["donor"], "Status": WORDS[p["status"]],
                                    "Amount": _money(p["amount"], p["currency"]),
                                    "Since": words.date(p["history"][-1]["on_date"] if p["history"] else p["contacted_on"]),
                                    "Latest note": p["note"] or ""} for p in pledges]),
                     hide_index=True, width="stretch")
        _move_on(conn, user, call, pledges)
    else:
        st.caption("No donor recorded yet.")
    _new_pledge(conn, user, call, slots)
