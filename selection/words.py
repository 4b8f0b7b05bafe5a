"""People words for what the pages show: dates, times, numbers, shares and sizes, written one way everywhere.

No page shows an ISO timestamp, ``None`` or ``True``: it passes the value through
one of these. Pure functions (no streamlit), so documents and tests can use them too. They write in
the reader's language (``selection.i18n``): English by hand, which is fast and is what the tests pin;
the other five through babel's locale data ("27 mars 2027", "2027年3月27日", "12 345,7").
"""

from __future__ import annotations

import datetime as dt
import math
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from selection import i18n
from selection.i18n import N_, _, ngettext

NOTHING = "—"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def _parse(value) -> dt.date | dt.datetime | None:
    if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if len(text) == 10:
        return dt.date.fromisoformat(text)
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def date(value) -> str:
    """'27 March 2027' from a date, a datetime or their ISO text; a dash when there is none."""
    day = _parse(value)
    if day is None:
        return NOTHING
    if i18n.language() == i18n.DEFAULT:
        return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    from babel.dates import format_date
    return format_date(day, "long", locale=i18n.babel_locale())


def moment(value, zone: str | None = None) -> str:
    """'27 March 2027, 16:35' in the reader's time zone (UTC, and said so, when it is not known)."""
    when = _parse(value)
    if when is None:
        return NOTHING
    if not isinstance(when, dt.datetime):
        return date(when)
    when = when if when.tzinfo else when.replace(tzinfo=dt.UTC)
    try:
        local, suffix = when.astimezone(ZoneInfo(zone)), ""
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        local, suffix = when.astimezone(dt.UTC), " UTC"
    clock = local.strftime("%H:%M") + suffix
    return _("{date}, {time}", date=date(local), time=clock)


def number(value, places: int = 1) -> str:
    """A figure rounded the same way everywhere (totals to one decimal), thousands separated; a dash for none."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return NOTHING
    if i18n.language() == i18n.DEFAULT:
        return f"{float(value):,.{places}f}"
    from babel.numbers import format_decimal
    return format_decimal(float(value), format="#,##0" + ("." + "0" * places if places else ""),
                          locale=i18n.babel_locale())


def score(value) -> str:
    """A score as the scale writes it: 3, 3.5, 2.75 (no trailing zeros)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return NOTHING
    return f"{float(value):g}"


def percent(share: float, places: int = 0) -> str:
    """A share of one as a percentage: 0.25 -> '25%' ('25 %' in French)."""
    if i18n.language() == i18n.DEFAULT:
        return f"{100 * share:.{places}f}%"
    from babel.numbers import format_percent
    return format_percent(share, format="#,##0" + ("." + "0" * places if places else "") + "%",
                          locale=i18n.babel_locale())


def whole_percentages(weights: dict[str, float]) -> dict[str, int]:
    """Each weight as a whole percentage of their sum, the percentages adding up to exactly 100
    (largest remainders get the points rounding leaves over: 40/25/25/25 -> 35, 22, 22, 21)."""
    total = sum(weights.values())
    if total <= 0:
        return {k: 0 for k in weights}
    exact = {k: 100 * w / total for k, w in weights.items()}
    whole = {k: math.floor(v) for k, v in exact.items()}
    for k in sorted(exact, key=lambda k: whole[k] - exact[k])[: 100 - sum(whole.values())]:
        whole[k] += 1
    return whole


def weight_shares(weights: dict[str, float]) -> dict[str, str]:
    """Each weight as its percentage of their sum, as applicants read it (adding up to 100%)."""
    if sum(weights.values()) <= 0:
        return {k: NOTHING for k in weights}
    return {k: percent(v / 100) for k, v in whole_percentages(weights).items()}


def size(n_bytes: int) -> str:
    """A file's size: '840 bytes', '12 kB', '3.4 MB'."""
    if n_bytes < 1024:
        return ngettext("{n} byte", "{n} bytes", n_bytes)
    if n_bytes < 1024 * 1024:
        return _("{size} kB", size=number(n_bytes / 1024, 0))
    return _("{size} MB", size=number(n_bytes / (1024 * 1024), 1))


ROLES = {"secretariat": N_("Secretariat"), "member": N_("Advisory group member"), "bureau": N_("Bureau member"),
         "applicant": N_("Applicant")}


def role(value: str) -> str:
    """A role as people name it ('Advisory group member'), from its stored value."""
    return _(ROLES[value]) if value in ROLES else value


def yes_no(value) -> str:
    return _("yes") if value else _("no")


def days(n: int) -> str:
    return ngettext("{n} day", "{n} days", abs(n))
