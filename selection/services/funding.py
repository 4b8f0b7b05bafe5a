"""Step 7, funding: each donor approached for a selected host, and how its pledge moves over time.

A pledge is one row whose status moves contacted -> pledged -> paid, or to
declined, never by adding a second row; every move is kept, dated and with
its note, in the pledge's history. Amounts are numbers of zero or more (never
infinite), in a three-letter currency code.
"""

from __future__ import annotations

import math
import re

import sqlite_utils

from selection import audit, clock, i18n, words
from selection.errors import Invalid
from selection.i18n import N_, _, ngettext
from selection.permissions import User, may_manage_call, require
from selection.services.common import call_row, parse_date, required_text
from selection.store import transaction

STATUSES = ("contacted", "pledged", "paid", "declined")
NEXT = {"contacted": ("pledged", "paid", "declined"), "pledged": ("paid", "declined"), "paid": (), "declined": ()}
# Every move ``NEXT`` refuses, in one whole sentence each (so that each language writes it its own way).
REFUSED = {("pledged", "contacted"): N_("a pledged pledge cannot become contacted"),
           **{(final, other): sentence for final, sentence in (("paid", N_("a paid pledge is final")),
                                                               ("declined", N_("a declined pledge is final")))
              for other in STATUSES if other != final}}
NOTE_LIMIT = 5_000


def amount_of(value, field: str) -> float | None:
    """A sum of money: zero or more and finite; None when not given. Text is read as the reader writes a number
    ("200,000" in English, "200 000,50" in French), so a form can show an amount as people read it."""
    if isinstance(value, str):
        value = _typed_number(value, field)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
        raise Invalid(field, _("a number of zero or more"))
    return float(value)


def _typed_number(text: str, field: str) -> float | None:
    from babel.numbers import NumberFormatError, parse_decimal

    text = re.sub(r"[\s\u00a0\u202f]", "", text)
    if not text:
        return None
    try:
        return float(parse_decimal(text, locale=i18n.babel_locale()))
    except (NumberFormatError, ValueError):
        raise Invalid(field, _("write a number of zero or more, such as {example}",
                               example=words.number(200_000.5, 2))) from None


def currency_code(value: str | None, field: str = "currency") -> str | None:
    """A three-letter ISO 4217 code in capitals (usd -> USD); None when not given."""
    code = (value or "").strip().upper()
    if not code:
        return None
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise Invalid(field, _("a three-letter ISO code such as USD or EUR"))
    return code


def _note(value: str | None) -> str | None:
    text = (value or "").strip()
    if len(text) > NOTE_LIMIT:
        raise Invalid("note", ngettext("at most {limit} character", "at most {limit} characters", NOTE_LIMIT,
                                        limit=words.number(NOTE_LIMIT, 0)))
    return text or None


def _event(db, user: User, pledge_id: int, status: str, on_date: str, amount, currency, note) -> None:
    db["pledge_events"].insert({"pledge_id": pledge_id, "status": status, "on_date": on_date, "amount": amount,
                                "currency": currency, "note": note, "recorded_at": clock.stamp(),
                                "recorded_by": user.display_name})


def add_pledge(db: sqlite_utils.Database, *, user: User, call_id: int, slot_id: str, donor: str,
               contacted_on=None, amount: float | None = None, currency: str | None = None, pledged_on=None,
               status: str = "contacted", note: str | None = None) -> int:
    """A donor approached for a slot's host, with the first entry of its history."""
    require(may_manage_call(user), _("Only the secretariat records donors."))
    call = call_row(db, call_id)
    if not db.execute("SELECT 1 FROM slots WHERE call_id = ? AND id = ?", [call_id, slot_id]).fetchone():
        raise Invalid("slot", _("not a slot of this call"))
    donor = required_text(donor, "donor", 500)
    if status not in STATUSES:
        raise Invalid("status", _("choose contacted, pledged, paid or declined"))
    amount = amount_of(amount, "amount")
    currency = currency_code(currency)
    contacted = parse_date(contacted_on, "contacted_on") or clock.today()
    pledged = parse_date(pledged_on, "pledged_on")
    note = _note(note)
    row = {"call_id": call_id, "slot_id": slot_id, "donor": donor, "contacted_on": contacted.isoformat(),
           "amount": amount, "currency": currency, "pledged_on": pledged.isoformat() if pledged else None,
           "status": status, "note": note}
    with transaction(db):
        pledge_id = db["pledges"].insert(row).last_pk
        _event(db, user, pledge_id, status, (pledged or contacted).isoformat(), amount, currency, note)
        audit.record(db, actor=user.actor, call=call["reference"], action="pledge.recorded", target=f"slot:{slot_id}",
                     new=row)
    return pledge_id


def change_pledge(db: sqlite_utils.Database, *, user: User, call_id: int, pledge_id: int, status: str,
                  on_date=None, amount: float | None = None, currency: str | None = None,
                  note: str | None = None) -> None:
    """Move a pledge on (or add a dated note at the same status); amount and currency replace the old ones when
    given. Paid and declined are final; a change is never dated before the pledge's last one."""
    require(may_manage_call(user), _("Only the secretariat records donors."))
    call = call_row(db, call_id)
    rows = list(db.query("SELECT * FROM pledges WHERE id = ? AND call_id = ?", [pledge_id, call_id]))
    if not rows:
        raise Invalid("pledge", _("no such pledge in this call"))
    old = rows[0]
    note = _note(note)
    if status not in STATUSES:
        raise Invalid("status", _("choose contacted, pledged, paid or declined"))
    if status == old["status"] and not note:
        raise Invalid("note", _("the status is unchanged: write a note to record, or choose the new status"))
    if status != old["status"] and status not in NEXT[old["status"]]:
        raise Invalid("status", _(REFUSED[old["status"], status]))
    day = parse_date(on_date, "on_date") or clock.today()
    last = db.execute("SELECT max(on_date) FROM pledge_events WHERE pledge_id = ?", [pledge_id]).fetchone()[0]
    if last and day.isoformat() < last:
        raise Invalid("on_date", _("the pledge's last change is dated {date}: a change cannot come before it",
                                   date=words.date(last)))
    changes = {"status": status, "note": note or old["note"],
               "amount": old["amount"] if amount is None else amount_of(amount, "amount"),
               "currency": currency_code(currency) or old["currency"]}
    if status == "pledged" and old["status"] != "pledged":
        changes["pledged_on"] = day.isoformat()
    with transaction(db):
        db["pledges"].update(pledge_id, changes)
        _event(db, user, pledge_id, status, day.isoformat(), changes["amount"], changes["currency"], note)
        audit.record(db, actor=user.actor, call=call["reference"], action="pledge.changed",
                     target=f"slot:{old['slot_id']}", old={k: old[k] for k in changes}, new=changes)


def pledges(db: sqlite_utils.Database, call_id: int) -> list[dict]:
    """Every pledge of the call with its slot's name and its history, oldest entry first."""
    out = list(db.query("SELECT p.*, s.name AS slot_name FROM pledges p JOIN slots s ON s.call_id = p.call_id "
                        "AND s.id = p.slot_id WHERE p.call_id = ? ORDER BY s.position, p.id", [call_id]))
    events: dict[int, list[dict]] = {}
    for e in db.query("SELECT e.* FROM pledge_events e JOIN pledges p ON p.id = e.pledge_id WHERE p.call_id = ? "
                      "ORDER BY e.id", [call_id]):
        events.setdefault(e["pledge_id"], []).append(e)
    for p in out:
        p["history"] = events.get(p["id"], [])
    return out
