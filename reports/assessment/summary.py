"""Summary of the assessment report: what was received, what was scored, the shortlist per slot."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from criteria.ranking import NOT_RANKED_STATUSES, SHORTLIST_RANK
from reports.assessment.context import Context
from reports.layout import NAME_LIMIT, entity, heads, plural, rich, table_style


def summary(ctx: Context) -> list:
    s, d = ctx.s, ctx.d
    statuses = d.inputs.proposals["status"].value_counts().to_dict()
    received = len(d.inputs.proposals)
    judged = set(d.inputs.proposals.loc[~d.inputs.proposals["status"].isin(NOT_RANKED_STATUSES), "proposal"])
    valid = d.scores.valid
    scored = judged & (set(valid["proposal"]) | set(d.inputs.consensus["proposal"]))
    parts = [f"{statuses.get('eligible', 0):,} eligible", f"{statuses.get('ineligible', 0):,} ineligible",
             f"{statuses.get('withdrawn', 0):,} withdrawn"]
    if statuses.get("submitted"):
        parts.append(f"{statuses['submitted']:,} not yet screened")
    out = [ctx.heading("Summary"), ctx.p(
        f"{plural(received, 'proposal')} received: {', '.join(parts)}. "
        f"{plural(len(scored), 'proposal')} scored by the advisory group "
        f"(at least one valid review or a consensus score). "
        f"{plural(len(d.slots), 'slot')} to fill; for each, the shortlist is the top {SHORTLIST_RANK} passing "
        f"proposals, in order. "
        + (f"{plural(d.revised_scores, 'score')} changed after the member had submitted the review, each with "
           "its reason and old value in the audit trail." if d.revised_scores else
           "No score was changed after its review was submitted.")
    )]

    rows = [[*heads(["Slot"], ("Ranked", "Not ranked"), s), Paragraph(rich("Shortlist, in order", True), s["head"])]]
    names_w = ctx.width * 0.64 - 36 * mm
    ties = []
    for slot in d.slots:
        sr = d.ranking.slot(slot["id"])
        short = sr.table[sr.table["shortlisted"]].to_dict("records")
        names = "<br/>".join(
            f'{int(r["rank"])}. ' + entity(ctx.who(r["proposal"]), s["cell"], names_w - 20) for r in short
        ) or rich("none")
        rows.append([
            Paragraph(rich(slot["name"], limit=NAME_LIMIT), s["cell"]),
            f"{len(sr.table):,}",
            f"{len(sr.unranked):,}",
            Paragraph(names, s["cell"]),
        ])
        if sr.tie_across_cutoff():
            ties.append((slot, short))
    table = Table(rows, colWidths=[ctx.width * 0.36, 16 * mm, 20 * mm, names_w], repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle(table_style() + [("ALIGN", (1, 1), (2, -1), "RIGHT")]))
    out.append(table)
    for slot, short in ties:
        rank = int(short[-1]["rank"])
        tied = [r for r in short if int(r["rank"]) == rank]
        names = rich(", ").join(entity(ctx.who(r["proposal"]), inline=True) for r in tied[:-1])
        names += rich(" and ") + entity(ctx.who(tied[-1]["proposal"]), inline=True)
        out.append(Spacer(1, 3))
        out.append(Paragraph(
            rich("Tie across third place in ") + rich(slot["name"], bold=True, limit=NAME_LIMIT) + rich(": ")
            + names + rich(f" share rank {rank}, so {len(short)} proposals are shortlisted instead of "
                           f"{SHORTLIST_RANK}. The advisory group, not the program, breaks this tie."),
            s["body"]))
    return out
