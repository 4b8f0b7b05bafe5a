"""The cover of the assessment report: what it is, for which call, when and by whom."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from reports import data as reportdata
from reports.assessment.context import Context
from reports.layout import rich
from selection import queries

REPORT_TITLE = "Assessment report"
DATE_LABELS = dict(queries.STEPS)


def cover(ctx: Context) -> list:
    s, call = ctx.s, ctx.call
    dates = [f"{DATE_LABELS.get(key, key)}: {call[key]}" for key in DATE_LABELS if call.get(key)]
    out = [
        Spacer(1, 55 * mm),
        Paragraph(rich(REPORT_TITLE, bold=True), s["cover_title"]),
        Paragraph(rich(call["title"], limit=500), s["cover_sub"]),
        Paragraph(rich("Call reference: ") + rich(call["reference"], bold=True, limit=200), s["cover_meta"]),
        Paragraph(rich(f"Date: {ctx.on.isoformat()}"), s["cover_meta"]),
        Paragraph(rich("Prepared by: ") + rich(reportdata.secretariat(call), bold=True, limit=300),
                  s["cover_meta"]),
        Spacer(1, 10 * mm),
        Paragraph(rich("For the advice of the Bureau: the top three shortlisted entities per mechanism and "
                       "how the selection criteria were applied by the informal advisory group."), s["body"]),
    ]
    if dates:
        out.append(Spacer(1, 4 * mm))
        out += [Paragraph(rich(t), s["meta"]) for t in dates]
    if ctx.d.record is not None:
        out += [Spacer(1, 4 * mm), Paragraph(rich(
            f"Decision record frozen on {ctx.d.record['created_at'][:10]}, SHA-256 {ctx.d.record['sha256']} "
            "(python -m selection verify recomputes it)."), s["meta"])]
    return out
