"""Method of the assessment report: the criteria, the scale, and the rules behind every figure."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

from criteria.ranking import SHORTLIST_RANK
from reports import data as reportdata
from reports.assessment import annexes
from reports.assessment.context import Context
from reports.layout import NAME_LIMIT, TEXT_LIMIT, heads, label, pct, plural, rich, table_style
from selection.models import fmt


def method(ctx: Context) -> list:
    s, call, crits = ctx.s, ctx.call, ctx.crits
    out = [ctx.heading("Method")]
    total_w = sum(c["weight"] for c in crits)
    rows = [heads(("", "Criterion"), ("Weight", "Threshold", "Priority"), s)]
    for i, c in enumerate(crits):
        rows.append([
            label(i),
            Paragraph(rich(c["name"], limit=NAME_LIMIT), s["cell"]),
            pct(c["weight"] / total_w),
            "—" if c["threshold"] is None else fmt(c["threshold"]),
            str(c["priority"]),
        ])
    table = Table(rows, colWidths=[10 * mm, ctx.width - 61 * mm, 17 * mm, 17 * mm, 17 * mm], repeatRows=1,
                  hAlign="LEFT")
    table.setStyle(TableStyle(table_style() + [("ALIGN", (2, 1), (-1, -1), "RIGHT")]))
    out += [table, Spacer(1, 5)]

    lo, hi, step = fmt(ctx.lo), fmt(ctx.hi), fmt(call["scale_step"])
    out.append(ctx.numbered(
        f"Members of the informal advisory group scored each proposal on each criterion on a scale from {lo} to "
        f"{hi} in steps of {step}, independently and with written reasons. Weights are shown as a share of their "
        "sum. Each criterion, its definition and what each point of the scale means:"))
    points = [(k, ctx.lo + k * (ctx.hi - ctx.lo) / 5) for k in range(6)]
    generic = all(c["anchors"] == reportdata.anchors_of({}) for c in crits)
    for i, c in enumerate(crits):
        head = rich(f"{label(i)} ", bold=True) + rich(c["name"], bold=True, limit=NAME_LIMIT)
        head += rich(f" — weight {pct(c['weight'] / total_w)}, "
                     + ("no threshold" if c["threshold"] is None else f"threshold {fmt(c['threshold'])}")
                     + f", priority {c['priority']}.")
        block = [Paragraph(head, s["crit"])]
        if c.get("description"):
            block.append(Paragraph(rich("Definition: ") + rich(c["description"], limit=TEXT_LIMIT), s["quote"]))
        if not generic:
            scale = " · ".join(f"{fmt(round(v, 2))}: {c['anchors'][k]}" for k, v in points)
            block.append(Paragraph(rich("Scale: ") + rich(scale, limit=3000), s["quote"]))
        out.append(KeepTogether(block))
    if generic:
        scale = " · ".join(f"{fmt(round(v, 2))} {reportdata.anchors_of({})[k].lower()}" for k, v in points)
        out.append(Paragraph(rich("Scale, for every criterion: ") + rich(scale), s["quote"]))
    out.append(Spacer(1, 4))

    by_priority = ", ".join(label(i) for i, _ in sorted(enumerate(crits), key=lambda ic: ic[1]["priority"]))
    has_threshold = any(c["threshold"] is not None for c in crits)
    if has_threshold or call["overall_threshold"] is not None:
        parts = []
        if has_threshold:
            parts.append("each criterion score reaches its threshold (on the score scale)")
        if call["overall_threshold"] is not None:
            parts.append(f"its total reaches {fmt(call['overall_threshold'])}")
        passing = "A proposal passes when " + " and ".join(parts) + "."
    else:
        passing = "No threshold is set: every ranked proposal passes."
    texts = [
        (f"A review counts only when its member declared no conflict of interest on the proposal and scored "
         "every criterion. Reviews from members with a declared conflict, and partial reviews, are left out of "
         f"every figure; they are listed in Annex {annexes.LEFT_OUT}, and the conflicts in Annex {annexes.GROUP}. "
         "A criterion score is the "
         "mean of the valid reviews, unless the advisory group agreed a consensus score at its meeting: then the "
         "consensus score is used (marked *)."),
        (f"A proposal is ranked when it has at least {plural(call['min_reviews'], 'valid review')}, or a "
         "consensus score on every criterion. Withdrawn and ineligible proposals are not ranked. A proposal "
         "received but not yet screened is ranked like an eligible one and marked † wherever it appears."),
        (f"The total is the weighted mean of the criterion scores rescaled to 0–100: "
         f"100 × Σ weight × (score − {lo}) / ({hi} − {lo}) ÷ Σ weight. " + passing),
        (f"Proposals are ordered by total, then by criterion score in priority order: {by_priority}. Proposals "
         "still equal are tied: they share a rank (1, 2, 2, 4) and are marked as such. The shortlist of a mechanism "
         f"is every passing proposal ranked {SHORTLIST_RANK} or better, so a tie across third place shortlists "
         "more than three; the advisory group, not the program, breaks such a tie."),
        (f"Robustness: each shortlist is computed again under many sets of weights drawn at random around the "
         f"call's weights, by the same rules; Annex {annexes.ROBUSTNESS} explains how, in plain words."),
        "Members' written reasons are quoted without their names, as given (shortened where very long).",
    ]
    out += [ctx.numbered(t) for t in texts]
    return out
