"""The annexes of the assessment report, numbered I, II, III...: the advisory group and its
declarations of conflicts, the proposals received, the reviews left out, the timeline, how
the robustness of the shortlists was measured, the members' reasons for the shortlisted entities,
and, when the panel asked applicants to clarify their proposals, the questions and the answers."""

from __future__ import annotations

import math

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, PageBreak

from criteria import robustness
from reports import fonts
from reports.assessment.context import Context
from reports.layout import NAME_LIMIT, TEXT_LIMIT, cell, label, long_date, plain_heads, table_style
from reports.rows import LongTable
from reports.wording import Part, fill, part
from selection import queries, report_queries, words
from selection.i18n import N_, _
from selection.models import fmt

GROUP, PROPOSALS, LEFT_OUT, TIMELINE, ROBUSTNESS, REASONS_ANNEX, CLARIFICATIONS = (
    "I", "II", "III", "IV", "V", "VI", "VII")

REASONS = {
    "withdrawn": N_("withdrawn by the applicant"),
    "ineligible": N_("found ineligible at screening"),
}
STATUS_WORDS = {
    "submitted": N_("received, not yet screened"),
    "eligible": N_("eligible"),
    "ineligible": N_("ineligible"),
    "withdrawn": N_("withdrawn"),
}
ACCEPTANCE_WORDS = {"pending": N_("acceptance awaited"), "accepted": N_("accepted"), "declined": N_("declined"),
                    "lapsed": N_("no answer in time")}
STATE_WORDS = {"not set": N_("not set"), "passed": N_("past"), "today": N_("today"), "upcoming": N_("to come"),
               "done": N_("done"), "pending": N_("awaited"), "accepted": N_("accepted"), "declined": N_("declined"),
               "lapsed": N_("lapsed"), "signed": N_("signed"), "overdue": N_("overdue"), "corrected": N_("corrected")}


def _word(words_: dict[str, str], value) -> str:
    """A stored state in the report's language (as stored when the report has no word for it)."""
    return _(words_[value]) if value in words_ else str(value)


class Proposal(str):
    """A cell naming the entity behind this proposal id."""


def _table(ctx: Context, head: list[str], body: list[list], widths: list[float], limit: int = NAME_LIMIT) -> LongTable:
    """A table of plain values (a :class:`Proposal` names its entity), each laid out in its column's width."""
    s = ctx.s
    rows = [plain_heads(head, widths)]
    rows += [[ctx.entity_cell(v, s["cell"], w) if isinstance(v, Proposal) else cell(v, s["cell"], w, limit=limit)
              for v, w in zip(row, widths)] for row in body]
    return ctx.table(rows, widths, table_style(), kind=LongTable)


def _annex(ctx: Context, number: str, title: str, *, new_page: bool = False) -> list:
    return [PageBreak() if new_page else CondPageBreak(50 * mm),
            ctx.heading(_("Annex {number} — {title}", number=number, title=title), numbered=False)]


def annex_group(ctx: Context) -> list:
    """Who the advisory group is, and the conflicts of interest its members declared."""
    out = _annex(ctx, GROUP, _("Composition of the advisory group and declarations of conflicts of interest"),
                 new_page=True)
    members = report_queries.advisory_group(ctx.db, ctx.call["id"])
    if ctx.d.anonymous:
        out.append(ctx.p(_("The informal advisory group had {count} members. As the call asks, members are not "
                           "named in this report: Member A, B, ... are the same person throughout.",
                           count=words.number(len(members), 0))))
        out.append(_table(ctx, [_("Member"), _("Conflicts declared")],
                          [[ctx.d.reviewers.get(m["id"]), words.number(m["conflicts"], 0)] for m in members],
                          [60 * mm, 40 * mm]))
    else:
        out.append(ctx.p(_("The informal advisory group had {count} members.", count=words.number(len(members), 0))))
        name_w = (ctx.width - 55 * mm) / 2
        out.append(_table(ctx, [_("Member"), _("Affiliation"), _("Country"), _("Conflicts declared")],
                          [[m["name"], m["affiliation"], m["country"], words.number(m["conflicts"], 0)]
                           for m in members], [name_w, name_w, 30 * mm, 25 * mm]))

    conflicts = list(ctx.db.query(
        "SELECT DISTINCT c.reviewer_id, c.proposal_id, c.reason FROM conflicts c "
        "LEFT JOIN reviewers r ON r.call_id = c.call_id AND r.id = c.reviewer_id "
        "LEFT JOIN proposals p ON p.call_id = c.call_id AND p.id = c.proposal_id "
        "WHERE c.call_id = ? ORDER BY r.position, p.position, c.id", [ctx.call["id"]]))
    out.append(ctx.p([part(_("Declarations of conflicts of interest"), bold=True)], "h3"))
    out.append(ctx.p(_("Members declared these conflicts of interest before scoring. A member's scores on a proposal "
                       "for which they declared a conflict are left out of every figure.")))
    if not conflicts:
        return out + [ctx.p(_("No conflict of interest was declared."))]
    name_w = (ctx.width - 40 * mm) / 2
    body = [[ctx.d.reviewers.get(r["reviewer_id"], _("a member")), Proposal(r["proposal_id"]), r["reason"]]
            for r in conflicts]
    return out + [_table(ctx, [_("Member"), _("Proposal (entity)"), _("Reason given")], body,
                         [40 * mm, name_w, name_w], TEXT_LIMIT)]


def _outcomes(ctx: Context) -> dict[str, dict[str, list[str]]]:
    """Proposal -> mechanism -> where it stands there, in words."""
    names = ctx.slot_names
    outcome: dict[str, dict[str, list[str]]] = {}
    for sr in ctx.d.ranking.slots:
        where = names.get(sr.slot, _("a mechanism"))
        for r in sr.table[["proposal", "rank", "shortlisted", "passes"]].itertuples(index=False):
            what = (_("rank {rank}, shortlisted", rank=int(r.rank)) if r.shortlisted else
                    _("rank {rank}", rank=int(r.rank)) if r.passes else _("rank {rank}, not passing", rank=int(r.rank)))
            outcome.setdefault(r.proposal, {}).setdefault(where, []).append(what)
        for u in sr.unranked:
            if u["reason"] == "insufficient_reviews":
                outcome.setdefault(u["proposal"], {}).setdefault(where, []).append(
                    _("not ranked (too few valid reviews)"))
    for sel in queries.selections(ctx.db, ctx.call["id"]):
        outcome.setdefault(sel["proposal_id"], {}).setdefault(sel["slot_name"], []).append(
            _("selected, {acceptance}", acceptance=_word(ACCEPTANCE_WORDS, sel["acceptance"])))
    return outcome


def annex_proposals(ctx: Context) -> list:
    d = ctx.d
    out = _annex(ctx, PROPOSALS, _("Proposals received"), new_page=True)
    out.append(ctx.p(_("Every proposal received, in the order received, with its status, the reason given at "
                       "screening or withdrawal, and each mechanism it applied to with where it stands there.")))
    outcome = _outcomes(ctx)
    slots_of = d.inputs.applications.groupby("proposal", sort=False)["slot"].apply(list).to_dict()
    reasons = dict(ctx.db.execute(
        "SELECT id, status_reason FROM proposals WHERE call_id = ? AND status <> 'draft'", [ctx.call["id"]]
    ).fetchall())
    widths = [ctx.width - 108 * mm, 22 * mm, 20 * mm, 66 * mm]
    body = []
    for p in d.inputs.proposals.itertuples(index=False):
        why = [fonts.clean(reasons.get(p.proposal), 400)] if reasons.get(p.proposal) else []
        if p.status in REASONS and not why:
            why.append(_(REASONS[p.status]))
        stands = outcome.get(p.proposal, {})
        applied = [ctx.slot_names.get(x, "") for x in slots_of.get(p.proposal, [])]
        for name in applied + [n for n in stands if n not in applied]:
            why.append(_("{mechanism}: {outcome}", mechanism=name, outcome=_(", ").join(stands[name]))
                       if stands.get(name) else name)
        body.append([Proposal(p.proposal), ctx.country(p.proposal), _word(STATUS_WORDS, p.status),
                     _("; ").join(why)])
    return out + [_table(ctx, [_("Entity"), _("Country"), _("Status"), _("Reason, mechanisms and outcome")], body,
                         widths, 1200)]


def annex_left_out(ctx: Context) -> list:
    """One table of every review left out of the figures: who, on which entity, why."""
    crits = ctx.crits
    out = _annex(ctx, LEFT_OUT, _("Reviews left out of the figures"))
    left = ctx.d.scores.excluded
    if not len(left):
        return out + [ctx.p(_("Every review counted: no member declared a conflict on a proposal they scored, and "
                              "no review was partial."))]
    out.append(ctx.p(_("These reviews are left out of every figure in the report: the member declared a conflict "
                       "of interest on the proposal, or did not score every criterion.")))
    name_w = (ctx.width - 40 * mm) * 0.55
    body = []
    for x in left.to_dict("records"):
        why = (_("conflict of interest declared") if x["reason"] == "conflict"
               else _("partial review, {scored} of {count} criteria scored", scored=int(x["scores"]), count=len(crits)))
        body.append([ctx.d.reviewers.get(x["reviewer"], _("a member")), Proposal(x["proposal"]), why])
    return out + [_table(ctx, [_("Member"), _("Entity"), _("Why")], body,
                         [40 * mm, name_w, ctx.width - 40 * mm - name_w])]


def annex_timeline(ctx: Context) -> list:
    out = _annex(ctx, TIMELINE, _("Timeline of the procedure"))
    out.append(ctx.p(_("The procedure's dates as recorded, in date order, and where each step stood on {date}.",
                       date=long_date(ctx.on))))
    steps = queries.timeline(ctx.db, ctx.call, ctx.on)
    dated = sorted((t for t in steps if t["date"]), key=lambda t: t["date"]) + [t for t in steps if not t["date"]]
    body = [[t["step"], long_date(t["date"]) if t["date"] else _("not set"), _word(STATE_WORDS, str(t["state"]))]
            for t in dated]
    return out + [_table(ctx, [_("Step"), _("Date"), _("State")], body, [ctx.width - 60 * mm, 32 * mm, 28 * mm])]


def annex_robustness(ctx: Context) -> list:
    """How the robustness figures were made, in plain words."""
    draws, concentration = ctx.d.draws, robustness.CONCENTRATION  # what ``CallData.slot_robustness`` draws with
    sd = 100 * math.sqrt(0.25 * 0.75 / (concentration + 1))  # spread of a 25% share under the draws
    out = _annex(ctx, ROBUSTNESS, _("How the robustness of the shortlists was measured"))
    texts = [
        _("The weights of the criteria are the call's choice. To show how much a shortlist depends on that choice, "
          "each mechanism was ranked again, by the same rules, under many other sets of weights close to the "
          "call's."),
        _("{draws} sets of weights were drawn at random for each mechanism. Each set keeps the weights positive "
          "and adding up to the same total, and is centred on the call's weights (statisticians call this a "
          "Dirichlet distribution, here with concentration {concentration}): a criterion weighing 25% typically "
          "weighs between about {low}% and {high}% in a draw.", draws=words.number(draws, 0),
          concentration=fmt(concentration), low=str(round(25 - sd)), high=str(round(25 + sd))),
        _("For each proposal the report counts in how many of these draws it is shortlisted, and gives the exact "
          "count, not a rounded share. It also gives the smallest change of a single weight, the others unchanged, "
          "that alters the shortlist."),
        _("The draws start from a fixed seed, so the same call always gives the same figures, and anyone can "
          "repeat them."),
    ]
    return out + [ctx.p(t) for t in texts]


def annex_reasons(ctx: Context) -> list:
    """The members' reasons in full, without their names, for every shortlisted entity."""
    s, given = ctx.s, ctx.given()
    order = []
    for sr in ctx.d.ranking.slots:
        order += [p for p in sr.shortlist if p not in order]
    out = _annex(ctx, REASONS_ANNEX, _("Members' reasons for the shortlisted entities"))
    if not order:
        return out + [ctx.p(_("No entity is shortlisted."))]
    out.append(ctx.p(_("Each valid review's score and reason, criterion by criterion, without the member's name; "
                       "a consensus score and its note where the advisory group agreed one.")))
    for pid in order:
        out.append(ctx.p([Part(ctx.name(pid).plain, True, ctx.entity(pid, s["h4"], ctx.width - 30, bold=True))],
                         "h4"))
        for i, c in enumerate(ctx.crits):
            block = [ctx.p([part(f"{label(i)} ", bold=True), part(c["name"], bold=True, limit=120)], "crit")]
            agreed = ctx.consensus.get((pid, c["id"]))
            if agreed is not None:
                block.append(ctx.p(fill(_("Consensus score {score}: {note}"), bold=True, score=fmt(agreed["score"]),
                                        note=part(agreed["note"] or _("no note recorded."), limit=TEXT_LIMIT)),
                                   "quote"))
            for score, text in given.get((pid, c["id"]), []):
                text = text if text and str(text).strip() else _("(no reason written)")
                block.append(ctx.p(fill(_("{score} — {reason}"), bold=True, score=fmt(score),
                                        reason=part(text, limit=TEXT_LIMIT)), "quote"))
            out.append(KeepTogether(block) if len(block) <= 4 else block)
    return [x for b in out for x in (b if isinstance(b, list) else [b])]


def annex_clarifications(ctx: Context) -> list:
    """Per proposal, each request of the clarification round: its questions, dates and answers.

    Only when the panel asked any; it comes last so that the other annexes keep their numbers.
    """
    requests = report_queries.clarifications(ctx.db, ctx.call["id"])
    if not requests:
        return []
    out = _annex(ctx, CLARIFICATIONS, _("Clarifications requested from applicants"))
    out.append(ctx.p(_("The advisory group asked these applicants to clarify points of their proposals. The "
                       "answers were added beside the proposals, which stayed as submitted, and were read by the "
                       "members assigned to them.")))
    shown = None
    for r in requests:
        if r["proposal"] != shown:
            shown = r["proposal"]
            out.append(ctx.p([Part(ctx.name(shown).plain, True, ctx.entity(shown, ctx.s["h3"], ctx.width, bold=True))],
                             "h3"))
        out.append(ctx.p([part(_("Asked on {asked}, reply by {reply_by}.", asked=long_date(r["asked_on"]),
                                 reply_by=long_date(r["reply_by"])), bold=True)], "body"))
        for n, q in enumerate(r["questions"], 1):
            if q["criterion"]:
                out.append(ctx.p(_("Question {number} (criterion: {criterion}): {question}", number=n,
                                   criterion=q["criterion"], question=q["question"])))
            else:
                out.append(ctx.p(_("Question {number}: {question}", number=n, question=q["question"])))
            if r["answers"]:
                out.append(ctx.p(_("Answer, given on {date}: {answer}", date=long_date(r["answered_on"]),
                                   answer=r["answers"][n - 1])))
        if r["answers"] and r["file_name"]:
            out.append(ctx.p(_("A PDF was attached to the answer: {file}.", file=r["file_name"])))
        if not r["answers"]:
            if ctx.on > r["reply_by"]:
                out.append(ctx.p(_("Not answered by {date}.", date=long_date(r["reply_by"]))))
            else:
                out.append(ctx.p(_("Not answered by {date}; answers are accepted until {reply_by}.",
                                   date=long_date(ctx.on), reply_by=long_date(r["reply_by"]))))
    return out
