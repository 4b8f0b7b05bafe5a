"""The annexes of the assessment report: proposals received, conflicts declared, the timeline."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, PageBreak, Paragraph, Table, TableStyle

from reports import fonts
from reports.assessment.context import Context
from reports.layout import NAME_LIMIT, TEXT_LIMIT, entity, heads, rich, table_style
from selection import queries

REASONS = {
    "withdrawn": "withdrawn by the applicant",
    "ineligible": "found ineligible at screening",
}
STATUS_WORDS = {
    "submitted": "submitted, not yet screened",
    "eligible": "eligible",
    "ineligible": "ineligible",
    "withdrawn": "withdrawn",
}


def annex_proposals(ctx: Context) -> list:
    s, d = ctx.s, ctx.d
    out = [PageBreak(), ctx.heading("Annex A — Proposals received", numbered=False)]
    out.append(ctx.p("Every proposal received, in the order received, with its status, the reason given at "
                      "screening or withdrawal, and where it stands in each slot it applied to."))
    outcome: dict[str, list[str]] = {}
    for sr in d.ranking.slots:
        for r in sr.table[["proposal", "rank", "shortlisted", "passes"]].itertuples(index=False):
            what = f"rank {int(r.rank)}" + (", shortlisted" if r.shortlisted else "" if r.passes else ", not passing")
            outcome.setdefault(r.proposal, []).append(f"{sr.slot}: {what}")
        for u in sr.unranked:
            if u["reason"] == "insufficient_reviews":
                outcome.setdefault(u["proposal"], []).append(f"{sr.slot}: not ranked (too few valid reviews)")
    for sel in queries.selections(ctx.db, ctx.call["id"]):
        outcome.setdefault(sel["proposal_id"], []).append(f"{sel['slot_id']}: selected, acceptance {sel['acceptance']}")
    slots_of = d.inputs.applications.groupby("proposal", sort=False)["slot"].apply(list).to_dict()
    reasons = dict(ctx.db.execute(
        "SELECT id, status_reason FROM proposals WHERE call_id = ? AND status <> 'draft'", [ctx.call["id"]]
    ).fetchall())
    name_w = ctx.width - 118 * mm
    rows = [heads(["Entity", "Country", "Slots", "Status", "Reason and outcome"], [], s)]
    for p in d.inputs.proposals.itertuples(index=False):
        e = ctx.who(p.proposal)
        why = [fonts.clean(reasons.get(p.proposal), 400)] if reasons.get(p.proposal) else []
        if p.status in REASONS and not why:
            why.append(REASONS[p.status])
        why += outcome.get(p.proposal, [])
        rows.append([
            Paragraph(entity(e, s["cell"], name_w - 6), s["cell"]),
            Paragraph(rich((e or {}).get("country") or "—", limit=20), s["cell"]),
            Paragraph(rich(", ".join(map(str, slots_of.get(p.proposal, []))), limit=200), s["cell"]),
            Paragraph(rich(STATUS_WORDS.get(p.status, p.status), limit=40), s["cell"]),
            Paragraph(rich("; ".join(why) or "—", limit=1200), s["cell"]),
        ])
    table = Table(rows, colWidths=[name_w, 14 * mm, 26 * mm, 26 * mm, 52 * mm], repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle(table_style()))
    out.append(table)
    return out


def annex_conflicts(ctx: Context) -> list:
    s = ctx.s
    out = [CondPageBreak(50 * mm), ctx.heading("Annex B — Conflicts of interest declared", numbered=False)]
    rows = list(ctx.db.query(
        "SELECT DISTINCT c.reviewer_id, c.proposal_id, c.reason FROM conflicts c "
        "LEFT JOIN reviewers r ON r.call_id = c.call_id AND r.id = c.reviewer_id "
        "LEFT JOIN proposals p ON p.call_id = c.call_id AND p.id = c.proposal_id "
        "WHERE c.call_id = ? ORDER BY r.position, p.position, c.id", [ctx.call["id"]]))
    intro = ("Members declared these conflicts of interest before scoring. A member's scores on a proposal for "
             "which they declared a conflict are left out of every figure.")
    if ctx.d.anonymous:
        intro += " As the call asks, members are not named: Member A, B, ... are the same person throughout."
    out.append(ctx.p(intro))
    if not rows:
        out.append(ctx.p("No conflict of interest was declared."))
        return out
    name_w = (ctx.width - 40 * mm) / 2
    table_rows = [heads(["Member", "Proposal (entity)", "Reason given"], [], s)]
    for r in rows:
        table_rows.append([
            Paragraph(rich(ctx.d.reviewers.get(r["reviewer_id"], r["reviewer_id"]), limit=200), s["cell"]),
            Paragraph(entity(ctx.who(r["proposal_id"]), s["cell"], name_w - 6), s["cell"]),
            Paragraph(rich(r["reason"] or "—", limit=TEXT_LIMIT), s["cell"]),
        ])
    table = Table(table_rows, colWidths=[40 * mm, name_w, name_w], repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle(table_style()))
    out.append(table)
    return out


def annex_timeline(ctx: Context) -> list:
    s = ctx.s
    out = [CondPageBreak(50 * mm), ctx.heading("Annex C — Timeline of the procedure", numbered=False)]
    out.append(ctx.p(f"The procedure's dates as recorded, and where each step stood on {ctx.on.isoformat()}."))
    rows = [heads(["Step", "Date", "State"], [], s)]
    for t in queries.timeline(ctx.db, ctx.call, ctx.on):
        rows.append([
            Paragraph(rich(t["step"], limit=NAME_LIMIT), s["cell"]),
            t["date"].isoformat() if t["date"] else "not set",
            str(t["state"]),
        ])
    table = Table(rows, colWidths=[ctx.width - 55 * mm, 25 * mm, 30 * mm], repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle(table_style()))
    out.append(table)
    return out
