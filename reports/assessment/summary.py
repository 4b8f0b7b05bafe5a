"""Summary of the assessment report: what was received, what was scored, the shortlist per slot."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph

from criteria.ranking import NOT_RANKED_STATUSES, SHORTLIST_RANK
from reports.assessment.context import UNSCREENED_NOTE, Context
from reports.layout import NAME_LIMIT, heads, rich, table_style
from reports.wording import fill, listed, part
from selection import words
from selection.i18n import _, ngettext


def summary(ctx: Context) -> list:
    s, d = ctx.s, ctx.d
    statuses = d.inputs.proposals["status"].value_counts().to_dict()
    received = len(d.inputs.proposals)
    judged = set(d.inputs.proposals.loc[~d.inputs.proposals["status"].isin(NOT_RANKED_STATUSES), "proposal"])
    valid = d.scores.valid
    scored = judged & (set(valid["proposal"].unique()) | set(d.inputs.consensus["proposal"].unique()))
    n = words.number
    parts = [_("{count} eligible", count=n(statuses.get("eligible", 0), 0)),
             _("{count} ineligible", count=n(statuses.get("ineligible", 0), 0)),
             _("{count} withdrawn", count=n(statuses.get("withdrawn", 0), 0))]
    if statuses.get("submitted"):
        parts.append(_("{count} not yet screened", count=n(statuses["submitted"], 0)))
    sentences = [
        ngettext("{count} proposal received: {statuses}.", "{count} proposals received: {statuses}.", received,
                 count=n(received, 0), statuses=_(", ").join(parts)),
        ngettext("{count} proposal scored by the advisory group (at least one valid review or a consensus score).",
                 "{count} proposals scored by the advisory group (at least one valid review or a consensus score).",
                 len(scored), count=n(len(scored), 0)),
        ngettext("{count} mechanism to host; for it, the shortlist is the top {top} passing proposals, in order.",
                 "{count} mechanisms to host; for each, the shortlist is the top {top} passing proposals, in order.",
                 len(d.slots), count=n(len(d.slots), 0), top=SHORTLIST_RANK),
        ngettext("{count} score changed after the member had submitted the review, each with its reason and old "
                 "value in the audit trail.",
                 "{count} scores changed after the member had submitted the review, each with its reason and old "
                 "value in the audit trail.", d.revised_scores, count=n(d.revised_scores, 0))
        if d.revised_scores else _("No score was changed after its review was submitted."),
    ]
    out = [ctx.heading(_("Summary")), ctx.numbered(_(" ").join(sentences))]

    head = [*heads([_("Mechanism")], (_("Ranked"), _("Not ranked")), s),
            ctx.p([part(_("Shortlist, in order"), bold=True)], "head")]
    rows = [head]
    names_w = ctx.width * 0.64 - 36 * mm
    ties = []
    for slot in d.slots:
        sr = d.ranking.slot(slot["id"])
        short = sr.table[sr.table["shortlisted"]].to_dict("records")
        names = "<br/>".join(
            f'{int(r["rank"])}. ' + ctx.entity(r["proposal"], s["cell"], names_w - 20) for r in short
        ) or rich(_("none"))
        rows.append([
            ctx.p([part(slot["name"], limit=NAME_LIMIT)], "cell"),
            n(len(sr.table), 0),
            n(len(sr.unranked), 0),
            Paragraph(names, s["cell"]),
        ])
        if sr.tie_across_cutoff():
            ties.append((slot, short))
    out.append(ctx.table(rows, [ctx.width * 0.36, 16 * mm, 20 * mm, names_w],
                         table_style() + [("ALIGN", (1, 1), (2, -1), "RIGHT")]))
    for slot, short in ties:
        rank = int(short[-1]["rank"])
        tied = [r for r in short if int(r["rank"]) == rank]
        out.append(ctx.para(fill(
            _("Tie across third place in {mechanism}: {entities} share rank {rank}, so {count} proposals are "
              "shortlisted instead of {top}. The advisory group, not the program, breaks this tie."),
            mechanism=part(slot["name"], bold=True, limit=NAME_LIMIT),
            entities=listed([[ctx.name(r["proposal"])] for r in tied]), rank=str(rank), count=str(len(short)),
            top=str(SHORTLIST_RANK))))
    out += _unscreened(ctx) + _several(ctx)
    return out


def _unscreened(ctx: Context) -> list:
    """A warning for each shortlist that holds a proposal whose eligibility is not yet confirmed."""
    out = []
    for slot in ctx.d.slots:
        held = [p for p in ctx.d.ranking.slot(slot["id"]).shortlist if p in ctx.unscreened]
        if held:
            out.append(ctx.para(fill(
                _("Warning: the shortlist for {mechanism} holds {entities}, whose proposal has not yet been "
                  "screened. Its eligibility should be confirmed before the Bureau gives its advice."),
                mechanism=part(slot["name"], bold=True, limit=NAME_LIMIT),
                entities=listed([[ctx.name(p)] for p in held]))))
    if ctx.unscreened:
        out.append(ctx.p(_(UNSCREENED_NOTE), "note"))
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
            out.append(ctx.para(fill(
                _("{entity} is shortlisted for {count} mechanisms: {mechanisms}. The Bureau may wish to bear this "
                  "in mind when it advises on each of them."),
                entity=ctx.name(p), count=str(len(names)),
                mechanisms=listed([[part(name, bold=True, limit=NAME_LIMIT)] for name in names]))))
    return out
