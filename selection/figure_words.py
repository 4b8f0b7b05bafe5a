"""The analysis's and the ranking's codes in people's words, in the reader's language: the command line and the
spreadsheets write the same reasons and readings ("found ineligible at screening", "strong agreement")."""

from __future__ import annotations

from selection.i18n import N_, _

READINGS = {"not measurable": N_("not measurable"), "very weak agreement": N_("very weak agreement"),
            "weak agreement": N_("weak agreement"), "moderate agreement": N_("moderate agreement"),
            "strong agreement": N_("strong agreement"), "very strong agreement": N_("very strong agreement")}
DIRECTIONS = {"up": N_("raised"), "down": N_("lowered")}
LEFT_OUT = {"conflict": N_("conflict of interest declared"), "partial": N_("partial review")}
NOT_RANKED = {"withdrawn": N_("withdrawn by the applicant"), "ineligible": N_("found ineligible at screening")}
STATUS = {"submitted": N_("not yet screened"), "eligible": N_("eligible"), "ineligible": N_("not eligible"),
          "withdrawn": N_("withdrawn"), "draft": N_("not submitted")}


def _word(table: dict[str, str], code):
    return _(table[code]) if code in table else code


def reading(code: str | None):
    """Kendall's W read in words (``criteria.analytics.reading``), translated."""
    return _word(READINGS, code)


def direction(code: str):
    return _word(DIRECTIONS, code)


def left_out(code: str | None):
    """Why a review is left out of the figures."""
    return _word(LEFT_OUT, code)


def not_ranked(code: str):
    """Why a proposal is not ranked (withdrawn or ineligible; too few reviews is said with its figure)."""
    return _word(NOT_RANKED, code)


def status(code: str | None):
    """A proposal's status as its readers say it (``queries.STATUS_WORDS``), translated."""
    return _word(STATUS, code)
