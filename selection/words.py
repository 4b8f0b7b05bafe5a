"""People words for what the pages show: dates, times, numbers, shares and sizes, written one way everywhere.

No page shows an ISO timestamp, ``None`` or ``True``: it passes the value through
one of these. Pure functions (no streamlit), so documents and tests can use them too.
"""

from __future__ import annotations

import datetime as dt
import math
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

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
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


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
    return f"{date(local)}, {local:%H:%M}{suffix}"


def number(value, places: int = 1) -> str:
    """A figure rounded the same way everywhere (totals to one decimal), thousands separated; a dash for none."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return NOTHING
    return f"{float(value):,.{places}f}"


def score(value) -> str:
    """A score as the scale writes it: 3, 3.5, 2.75 (no trailing zeros)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return NOTHING
    return f"{float(value):g}"


def percent(share: float, places: int = 0) -> str:
    """A share of one as a percentage: 0.25 -> '25%'."""
    return f"{100 * share:.{places}f}%"


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
    return {k: f"{v}%" for k, v in whole_percentages(weights).items()}


def size(n_bytes: int) -> str:
    """A file's size: '840 bytes', '12 kB', '3.4 MB'."""
    if n_bytes < 1024:
        return f"{n_bytes} bytes"
    if n_bytes < 1024 * 1024:
        return f"{n_bytes / 1024:.0f} kB"
    return f"{n_bytes / (1024 * 1024):.1f} MB"


ROLES = {"secretariat": "Secretariat", "member": "Advisory group member", "bureau": "Bureau member",
         "applicant": "Applicant"}


def role(value: str) -> str:
    """A role as people name it ('Advisory group member'), from its stored value."""
    return ROLES.get(value, value)


def yes_no(value) -> str:
    return "yes" if value else "no"


def days(n: int) -> str:
    return "1 day" if abs(n) == 1 else f"{abs(n)} days"


def count(n: int, one: str, many: str) -> str:
    """'1 problem', '2 problems', '1,200 problems': a number with its noun agreed, never with a bracketed plural."""
    return f"{n:,} {one if n == 1 else many}"
