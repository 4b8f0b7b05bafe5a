"""Secretariat: every call, the step it is at, every deadline with days left or overdue, and the mail kept."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from selection import clock, mail, progress, queries, words
from selection.i18n import N_, _, ngettext
from selection.permissions import may_manage_call
from selection.services import notices
from ui import common, tables

STATES = {"passed": N_("passed"), "today": N_("today"), "not set": N_("not set"), "done": N_("done"),
          "signed": N_("signed"), "accepted": N_("accepted"), "declined": N_("declined"), "lapsed": N_("lapsed"),
          "corrected": N_("corrected"), "pending": N_("pending")}
COUNTED = (("submitted", N_("Waiting for screening")), ("eligible", N_("Eligible")), ("ineligible", N_("Ineligible")),
           ("withdrawn", N_("Withdrawn")))


def _state(row: dict) -> str:
    if row["state"] == "upcoming":
        return _("in {days}", days=words.days(int(row["days_left"])))
    if row["state"] == "overdue":
        return _("OVERDUE by {days}", days=words.days(int(row["days_left"])))
    return _(STATES[row["state"]]) if row["state"] in STATES else row["state"]


def show_next_step(conn, call: dict, here: str | None = None) -> None:
    """What the secretariat does next on this call, and on which page (unless it is the page ``here``)."""
    step = progress.next_step(conn, call, clock.today())
    where = "" if step["where"] == here else " " + _("(page: {page})", page=_(step["where"]))
    st.info(_("**Next step:** {step}", step=common.md(step["step"])) + where)


def _mail(conn, user, call: dict, status: str) -> None:
    """Mail on or off, the button that sends the reminders due today, and every message kept."""
    st.caption(common.md(status))
    if may_manage_call(user) and st.button(_("Send due reminders now"), key=f"remind_{call['id']}"):
        with common.refusals():
            kept = notices.send_reminders(conn, user=user, call_id=call["id"])
            sent = sum(1 for m in kept if m["sent_at"])
            st.success(ngettext("{n} reminder kept, {sent} sent.", "{n} reminders kept, {sent} sent.", len(kept),
                                sent=sent) if kept else _("No reminder is due today."))
    kept = mail.messages(conn, call["id"])
    with st.expander(_("Messages ({count})", count=len(kept))):
        if not kept:
            st.caption(_("No message yet."))
            return
        date, to, subject, sent = _("Date"), _("To"), _("Subject"), _("Sent")
        st.dataframe(pd.DataFrame({
            date: [words.moment(m["created_at"], common.time_zone()) for m in kept],
            to: [f"{m['to_name']} <{m['to_address']}>" if m["to_name"] else m["to_address"] for m in kept],
            subject: [m["subject"] for m in kept],
            sent: [words.moment(m["sent_at"], common.time_zone()) if m["sent_at"] else (m["error"] or _("not sent"))
                   for m in kept],
        }), hide_index=True, width="stretch",
            column_config={date: tables.text(140), to: tables.text(230), subject: tables.text(380),
                           sent: tables.text(140)})
        _message_body(call, kept)


def _message_body(call: dict, kept: list[dict]) -> None:
    """One message read in full: the body exactly as it was sent (or kept), as plain text."""
    ids = [m["id"] for m in kept]
    by_id = {m["id"]: m for m in kept}
    chosen = st.selectbox(_("Read a message"), ids, key=f"message_{call['id']}",
                          format_func=lambda i: _("{subject} — to {name}", subject=by_id[i]["subject"],
                                                  name=by_id[i]["to_name"] or by_id[i]["to_address"]))
    st.text(by_id[chosen]["body"])


def page() -> None:
    conn = common.db()
    user = common.current_user(conn)
    st.title(_("Dashboard"))
    calls = queries.calls_newest_first(conn)
    if not calls:
        st.info(_("No call yet. Start on the page **Call set-up**: give the call its title, dates, centres and "
                  "criteria, save it, then publish it."))
        return
    today = clock.today()
    mail_status = mail.status_line()
    for call in calls:
        with st.container(border=True):
            st.subheader(f"{common.md(call['reference'])} — {common.md(call['title'])}")
            st.write(_("**Current step:** {step}", step=common.md(progress.call_step(conn, call, today))))
            slots = progress.slot_steps(conn, call, today)
            if len({s["step"] for s in slots}) > 1:
                st.dataframe(pd.DataFrame({_("Slot"): [s["slot"] for s in slots],
                                           _("Step"): [s["step"] for s in slots]}), hide_index=True, width="stretch")
            show_next_step(conn, call)
            counts = queries.status_counts(conn, call["id"])
            cols = st.columns(4)
            for col, (status, label) in zip(cols, COUNTED):
                col.metric(_(label), int(counts.get(status, 0)))
            steps = pd.DataFrame(queries.timeline(conn, call, today))
            status, date = _("Status"), _("Date")
            steps[status] = [_state(r) for r in steps.to_dict("records")]
            steps[date] = [words.date(d) if pd.notna(d) and d else _("not set") for d in steps["date"]]
            overdue = steps[steps["state"] == "overdue"]
            if len(overdue):
                st.error(_("{count} overdue: {steps}", count=len(overdue),
                           steps="; ".join(common.md(s) for s in overdue["step"])))
            st.dataframe(steps[["step", date, status]].rename(columns={"step": _("Step")}), hide_index=True,
                         width="stretch")
            _mail(conn, user, call, mail_status)
