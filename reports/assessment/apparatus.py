"""The apparatus of the assessment report as a document of the Convention: the masthead with its
symbol, distribution, date and original language; the title block; the introduction with the
mandate; the action requested of the Bureau and the next steps with their dates."""

from __future__ import annotations

import datetime as dt

from reportlab.lib.units import mm
from reportlab.platypus import HRFlowable, Paragraph, Spacer, Table, TableStyle

from criteria.ranking import SHORTLIST_RANK
from reports import data as reportdata
from reports.assessment.context import Context
from reports.layout import ACCENT, heads, long_date, rich, table_style
from selection import queries
from selection.clock import add_months

REPORT_TITLE = "Assessment report"
MANDATE = "CBD/COP/15/12"
MANDATE_PARAGRAPHS = "45–47"


def symbol(ctx: Context) -> str:
    """The document symbol: the one set for the call, else the call's reference."""
    return ctx.settings.symbol or ctx.call["reference"]


def fingerprint(ctx: Context) -> str | None:
    """The decision record's SHA-256, worded for a reader; None before a selection."""
    rec = ctx.d.record
    if rec is None:
        return None
    return (f"Fingerprint of the decision record (SHA-256), frozen on "
            f"{long_date(dt.date.fromisoformat(rec['created_at'][:10]))}: {rec['sha256']}. The secretariat can "
            "recompute it from the record at any time; a different value means the record was changed.")


def cover(ctx: Context) -> list:
    s, call, st = ctx.s, ctx.call, ctx.settings
    right = [Paragraph(rich(symbol(ctx), bold=True, limit=200), s["symbol"]),
             Paragraph(rich(f"Distr.: {st.distribution.value}"), s["apparatus"]),
             Paragraph(rich(long_date(ctx.on)), s["apparatus"]),
             Paragraph(rich("Original: ") + rich(st.original_language, limit=200), s["apparatus"])]
    masthead = Table([[Paragraph(rich(st.convention.upper(), bold=True, limit=200), s["masthead"]), right]],
                     colWidths=[ctx.width * 0.55, ctx.width * 0.45], hAlign="LEFT")
    masthead.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                  ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    out = [
        Spacer(1, 6 * mm), masthead, Spacer(1, 3 * mm), HRFlowable(width="100%", thickness=1.2, color=ACCENT),
        Paragraph(rich(st.body, bold=True, limit=200), s["body_to"]),
        Spacer(1, 20 * mm),
        Paragraph(rich(call["title"], limit=500), s["cover_sub"]),
        Paragraph(rich(REPORT_TITLE, bold=True), s["cover_title"]),
        Paragraph(rich("The shortlisted entities for each mechanism and how the selection criteria were applied by "
                       "the informal advisory group on technical and scientific cooperation"), s["subtitle"]),
        Spacer(1, 8 * mm),
        Paragraph(rich("Prepared by ") + rich(reportdata.secretariat(call), bold=True, limit=300), s["cover_meta"]),
        Paragraph(rich("Call for expressions of interest: ") + rich(call["reference"], limit=200), s["cover_meta"]),
    ]
    print_ = fingerprint(ctx)
    if print_:
        out += [Spacer(1, 6 * mm), Paragraph(rich(print_), s["meta"])]
    return out


def introduction(ctx: Context) -> list:
    n = len(ctx.d.slots)
    return [
        ctx.heading("Introduction"),
        ctx.numbered(
            f"The procedure for selecting the institutions that host the global coordination entity and the regional "
            f"and subregional technical and scientific cooperation support centres is set out in document {MANDATE}, "
            f"paragraphs {MANDATE_PARAGRAPHS}. The secretariat issues a call for expressions of interest and detailed "
            "proposals; the informal advisory group on technical and scientific cooperation assesses the proposals "
            "objectively against the selection criteria; the secretariat lists the top three entities for each "
            "mechanism and explains how the criteria were applied; with the advice of the Bureau, the most suitable "
            "entity is selected for each mechanism; the selected entity confirms its acceptance within one month of "
            "being notified, and a host agreement is concluded within three months."),
        ctx.numbered(
            f"The present report is the fourth step of that procedure. It sets out, for "
            f"{'the mechanism' if n == 1 else f'each of the {n:,} mechanisms'} to be hosted, the shortlist of the top {SHORTLIST_RANK} entities and how each "
            "selection criterion was applied to each ranked proposal, for the advice of the Bureau."),
    ]


def next_steps(ctx: Context) -> list[tuple[str, str]]:
    """(step, when) of what follows the report, dated where the call's dates allow."""
    call = ctx.call
    decided = dt.date.fromisoformat(call["decided_on"]) if call.get("decided_on") else None
    selection = long_date(decided) if decided else "on a date to be set by the secretariat"
    acceptance = "within one calendar month of the notification"
    agreement = "within three months of the selection"
    if decided:
        acceptance += f" (by {long_date(add_months(decided, queries.ACCEPTANCE_MONTHS))} if notified that day)"
        agreement += f" (by {long_date(add_months(decided, queries.AGREEMENT_MONTHS))})"
    return [
        ("Advice of the Bureau on each shortlist", f"before the selection, {selection}" if decided else
         "before the selection"),
        ("Selection of the host of each mechanism", selection),
        ("Notification of the selected entities", "on the day of the selection"),
        ("Acceptance by each selected entity", acceptance),
        ("Start of the search for donors", "on acceptance"),
        ("Host agreement signed with each selected entity", agreement),
    ]


def action_requested(ctx: Context) -> list:
    s = ctx.s
    out = [
        ctx.heading("Action requested of the Bureau"),
        ctx.numbered("The Bureau is invited to take note of the assessment of the proposals set out in the present "
                     "report; to advise, for each mechanism, which of the shortlisted entities is the most suitable "
                     "host, giving its reasons; and to take note of the next steps below."),
        ctx.numbered("Once the Bureau has given its advice, the secretariat selects the host of each mechanism and "
                     "notifies it. Should a selected entity decline or not answer in time, the next entity on the "
                     "shortlist (the reserve list) may be offered the mechanism, with the advice of the Bureau."),
        Paragraph(rich("Next steps", bold=True), s["h3"]),
    ]
    rows = [heads(["Step", "When"], [], s)]
    rows += [[Paragraph(rich(step), s["cell"]), Paragraph(rich(when), s["cell"])] for step, when in next_steps(ctx)]
    table = Table(rows, colWidths=[ctx.width * 0.45, ctx.width * 0.55], repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle(table_style()))
    return out + [table]
