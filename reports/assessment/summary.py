"""Summary of the assessment report: what was received, what was scored, the shortlist per slot."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Table, TableStyle

from criteria.ranking import NOT_RANKED_STATUSES, SHORTLIST_RANK
from reports.assessment.context import UNSCREENED_NOTE, Context
from reports.layout import NAME_LIMIT, heads, plural, rich, table_style


def summary(ctx: Context) -> list:
    s, d = ctx.s, ctx.d
    statuses = d.inputs.proposals["status"].value_counts().to_dict()
    received = len(d.inputs.proposals)
    judged = set(d.inputs.proposals.loc[~d.inputs.proposals["status"].isin(NOT_RANKED_STATUSES), "proposal"])
    valid = d.scores.valid
    scored = judged & (set(valid["proposal"].unique()) | set(d.inputs.consensus["proposal"].unique()))
    parts = [f"{statuses.get('eligible', 0):,} eligible", f"{statuses.get('ineligible', 0):,} ineligible",
             f"{statuses.get('withdrawn', 0):,} withdrawn"]
    if statuses.get("submitted"):
        parts.append(f"{statuses['submitted']:,} not yet screened")
    out = [ctx.heading("Summary"), ctx.numbered(
        f"{plural(received, 'proposal')} received: {', '.join(parts)}. "
        f"{plural(len(scored), 'proposal')} scored by the advisory group "
        f"(at least one valid review or a consensus score). "
        f"{plural(len(d.slots), 'mechanism')} to host; for {'it' if len(d.slots) == 1 else 'each'}, the shortlist is the top {SHORTLIST_RANK} passing "
        f"proposals, in order. "
        + (f"{plural(d.revised_scores, 'score')} changed after the member had submitted the review, each with "
           "its reason and old value in the audit trail." if d.revised_scores else
           "No score was changed after its review was submitted.")
    )]

    rows = [[*heads(["Mechanism"], ("Ranked", "Not ranked"), s), Paragraph(rich("Shortlist, in order", True), s["head"])]]
    names_w = ctx.width * 0.64 - 36 * mm
    ties = []
    for slot in d.slots:
        sr = d.ranking.slot(slot["id"])
        short = sr.table[sr.table["shortlisted"]].to_dict("records")
        names = "<br/>".join(
            f'{int(r["rank"])}. ' + ctx.entity(r["proposal"], s["cell"], names_w - 20) for r in short
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
        names = rich(", ").join(ctx.entity(r["proposal"], inline=True) for r in tied[:-1])
        names += rich(" and ") + ctx.entity(tied[-1]["proposal"], inline=True)
        out.append(ctx.para(
            rich("Tie across third place in ") + rich(slot["name"], bold=True, limit=NAME_LIMIT) + rich(": ")
            + names + rich(f" share rank {rank}, so {len(short)} proposals are shortlisted instead of "
                           f"{SHORTLIST_RANK}. The advisory group, not the program, breaks this tie.")))
    out += _unscreened(ctx) + _several(ctx)
    return out


def _unscreened(ctx: Context) -> list:
    """A warning for each shortlist that holds a proposal whose eligibility is not yet confirmed."""
    out = []
    for slot in ctx.d.slots:
        held = [p for p in ctx.d.ranking.slot(slot["id"]).shortlist if p in ctx.unscreened]
        if held:
            names = rich(" and ").join(ctx.entity(p, inline=True) for p in held)
            out.append(ctx.para(
                rich("Warning: the shortlist for ", bold=True) + rich(slot["name"], bold=True, limit=NAME_LIMIT)
                + rich(" holds ", bold=True) + names + rich(
                    ", whose proposal has not yet been screened. Its eligibility should be confirmed before the "
                    "Bureau gives its advice.")))
    if ctx.unscreened:
        out.append(ctx.p(UNSCREENED_NOTE, "note"))
    return out


def _several(ctx: Context) -> list:
    """One sentence per entity shortlisted for more than one mechanism."""
    slots_of: dict[str, list[str]] = {}
    for slot in ctx.d.slots:
        for p in ctx.d.ranking.slot(slot["id"]).shortlist:
            slots_of.setdefault(p, []).append(slot["name"])
    out = []
    for p, names in slots_of.items():
        if len(names) > 1:
            listed = rich(", ").join(rich(n, bold=True, limit=NAME_LIMIT) for n in names[:-1])
            out.append(ctx.para(ctx.entity(p, inline=True) + rich(f" is shortlisted for {len(names)} mechanisms: ")
                                + listed + rich(" and ") + rich(names[-1], bold=True, limit=NAME_LIMIT) + rich(
                ". The Bureau may wish to bear this in mind when it advises on each of them.")))
    return out
