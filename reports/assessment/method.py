"""Method of the assessment report: the criteria, the scale, and the rules behind every figure."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer

from criteria.ranking import SHORTLIST_RANK
from reports import data as reportdata
from reports.assessment import annexes
from reports.assessment.context import Context
from reports.layout import NAME_LIMIT, TEXT_LIMIT, heads, label, pct, table_style
from reports.wording import Part, fill, part
from selection import i18n, words
from selection.i18n import _, ngettext
from selection.models import fmt


def method(ctx: Context) -> list:
    s, call, crits = ctx.s, ctx.call, ctx.crits
    out = [ctx.heading(_("Method"))]
    total_w = sum(c["weight"] for c in crits)
    rows = [heads(("", _("Criterion")), (_("Weight"), _("Threshold"), _("Priority")), s)]
    for i, c in enumerate(crits):
        rows.append([
            label(i),
            ctx.p([part(c["name"], limit=NAME_LIMIT)], "cell"),
            share(c["weight"] / total_w),
            "—" if c["threshold"] is None else fmt(c["threshold"]),
            str(c["priority"]),
        ])
    table = ctx.table(rows, [10 * mm, ctx.width - 61 * mm, 17 * mm, 17 * mm, 17 * mm],
                      table_style() + [("ALIGN", (2, 1), (-1, -1), "RIGHT")])
    out += [table, Spacer(1, 5)]

    lo, hi, step = fmt(ctx.lo), fmt(ctx.hi), fmt(call["scale_step"])
    out.append(ctx.numbered(_(
        "Members of the informal advisory group scored each proposal on each criterion on a scale from {low} to "
        "{high} in steps of {step}, independently and with written reasons. Weights are shown as a share of their "
        "sum. Each criterion, its definition and what each point of the scale means:", low=lo, high=hi, step=step)))
    points = [(k, ctx.lo + k * (ctx.hi - ctx.lo) / 5) for k in range(6)]
    generic = all(c["anchors"] == reportdata.anchors_of({}) for c in crits)
    for i, c in enumerate(crits):
        weight = share(c["weight"] / total_w)
        facts = (_(" — weight {weight}, no threshold, priority {priority}.", weight=weight, priority=c["priority"])
                 if c["threshold"] is None else
                 _(" — weight {weight}, threshold {threshold}, priority {priority}.", weight=weight,
                   threshold=fmt(c["threshold"]), priority=c["priority"]))
        block = [ctx.p([part(f"{label(i)} ", bold=True), part(c["name"], bold=True, limit=NAME_LIMIT), Part(facts)],
                       "crit")]
        if c.get("description"):
            block.append(ctx.p(fill(_("Definition: {definition}"), definition=part(c["description"],
                                                                                      limit=TEXT_LIMIT)), "quote"))
        if not generic:
            scale = " · ".join(f"{fmt(round(v, 2))}: {c['anchors'][k]}" for k, v in points)
            block.append(ctx.p(fill(_("Scale: {scale}"), scale=part(scale, limit=3000)), "quote"))
        out.append(KeepTogether(block))
    if generic:
        scale = " · ".join(f"{fmt(round(v, 2))} {reportdata.anchors_of({})[k].lower()}" for k, v in points)
        out.append(ctx.p(_("Scale, for every criterion: {scale}", scale=scale), "quote"))
    out.append(Spacer(1, 4))

    by_priority = ", ".join(label(i) for i, _c in sorted(enumerate(crits), key=lambda ic: ic[1]["priority"]))
    has_threshold = any(c["threshold"] is not None for c in crits)
    overall = call["overall_threshold"]
    if has_threshold and overall is not None:
        passing = _("A proposal passes when each criterion score reaches its threshold (on the score scale) and its "
                    "total reaches {total}.", total=fmt(overall))
    elif has_threshold:
        passing = _("A proposal passes when each criterion score reaches its threshold (on the score scale).")
    elif overall is not None:
        passing = _("A proposal passes when its total reaches {total}.", total=fmt(overall))
    else:
        passing = _("No threshold is set: every ranked proposal passes.")
    texts = [
        _("A review counts only when its member declared no conflict of interest on the proposal and scored "
          "every criterion. Reviews from members with a declared conflict, and partial reviews, are left out of "
          "every figure; they are listed in Annex {left_out}, and the conflicts in Annex {group}. A criterion score "
          "is the mean of the valid reviews, unless the advisory group agreed a consensus score at its meeting: "
          "then the consensus score is used (marked *).", left_out=annexes.LEFT_OUT, group=annexes.GROUP),
        ngettext("A proposal is ranked when it has at least {count} valid review, or a consensus score on every "
                 "criterion. Withdrawn and ineligible proposals are not ranked. A proposal received but not yet "
                 "screened is ranked like an eligible one and marked † wherever it appears.",
                 "A proposal is ranked when it has at least {count} valid reviews, or a consensus score on every "
                 "criterion. Withdrawn and ineligible proposals are not ranked. A proposal received but not yet "
                 "screened is ranked like an eligible one and marked † wherever it appears.",
                 call["min_reviews"], count=words.number(call["min_reviews"], 0)),
        _("{sentence} {more}", sentence=_(
            "The total is the weighted mean of the criterion scores rescaled to 0–100: "
            "100 × Σ weight × (score − {low}) / ({high} − {low}) ÷ Σ weight.", low=lo, high=hi), more=passing),
        _("Proposals are ordered by total, then by criterion score in priority order: {order}. Proposals still "
          "equal are tied: they share a rank (1, 2, 2, 4) and are marked as such. The shortlist of a mechanism is "
          "every passing proposal ranked {top} or better, so a tie across third place shortlists more than three; "
          "the advisory group, not the program, breaks such a tie.", order=by_priority, top=SHORTLIST_RANK),
        _("Robustness: each shortlist is computed again under many sets of weights drawn at random around the "
          "call's weights, by the same rules; Annex {annex} explains how, in plain words.", annex=annexes.ROBUSTNESS),
        _("Members' written reasons are quoted without their names, as given (shortened where very long)."),
    ]
    out += [ctx.numbered(t) for t in texts]
    return out


def share(value: float) -> str:
    """A weight's share of the total, as the method's table writes it ("25%", "22.5%"; "25 %" in French)."""
    text = pct(value)
    if i18n.language() in (i18n.DEFAULT, i18n.PSEUDO):
        return text
    return words.percent(value, 1 if "." in text else 0)
