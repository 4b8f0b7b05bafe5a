"""After the selection: per slot the Bureau's advice, the entity selected and why, and every
offer made with its outcome (the reserve list at work when a first choice declines)."""

from __future__ import annotations

from reports.assessment.context import Context
from reports.layout import TEXT_LIMIT, long_date
from reports.wording import fill, part
from selection import report_queries
from selection.i18n import N_, _

OUTCOME = {"accepted": N_("accepted on {answered}"), "declined": N_("declined on {answered}"),
           "lapsed": N_("did not answer in time (lapsed on {lapsed})")}


def offer_story(offer: dict) -> str:
    """One offer's course in words: offered, notified, answered or lapsed, agreement signed or due."""
    parts = [_("offered on {date}", date=long_date(offer["decided_at"]))]
    if offer["notified_on"]:
        parts.append(_("notified on {date}", date=long_date(offer["notified_on"])))
    unknown = _("a date not recorded")
    if offer["acceptance"] in OUTCOME:
        parts.append(_(OUTCOME[offer["acceptance"]],
                       answered=long_date(offer["answered_on"]) if offer["answered_on"] else unknown,
                       lapsed=long_date(offer["lapsed_on"]) if offer["lapsed_on"] else unknown))
    elif offer["acceptance_due"]:
        parts.append(_("its answer is awaited by {date}", date=long_date(offer["acceptance_due"])))
    else:
        parts.append(_("the notification is still to be sent"))
    if offer["agreement_signed_on"]:
        parts.append(_("host agreement signed on {date}", date=long_date(offer["agreement_signed_on"])))
    elif offer["acceptance"] in ("pending", "accepted"):
        parts.append(_("host agreement due by {date}", date=long_date(offer["agreement_due"])))
    return _("; ").join(parts)


def _advice(ctx: Context, a: dict):
    values = dict(date=long_date(a["given_at"]), member=part(a["member"], bold=True, limit=200),
                  advice=part(a["advice"], limit=TEXT_LIMIT))
    if a["preferred_proposal_id"]:
        return ctx.para(fill(_("Advice of the Bureau ({date}, {member}): prefers {entity}. {advice}"),
                             entity=ctx.name(a["preferred_proposal_id"]), **values))
    return ctx.para(fill(_("Advice of the Bureau ({date}, {member}). {advice}"), **values))


def _offer(ctx: Context, offer: dict, *, first: bool):
    current = offer["acceptance"] in ("pending", "accepted")
    lead = (_("Selected:") if current else _("Offered:")) if first else _("Offered next, from the reserve list:")
    return ctx.para(fill(_("{lead} {entity} — {story}. Reasons recorded: {rationale}"),
                         lead=part(lead, bold=True), entity=ctx.name(offer["proposal_id"], bold=True),
                         story=offer_story(offer), rationale=part(offer["rationale"], limit=TEXT_LIMIT)))


def decision(ctx: Context) -> list:
    """The Decision part, once the Bureau has advised or a host is selected; nothing before."""
    record = report_queries.decision_record(ctx.db, ctx.call["id"])
    if not record:
        return []
    chosen = any(facts["offers"] for facts in record.values())
    out = [ctx.heading(_("Decision")),
           ctx.numbered(_("With the advice of the Bureau, the secretariat selected the hosts below. For each "
                          "mechanism: the Bureau's advice, the entity selected and the reasons recorded, and every "
                          "offer made with its outcome, in the order made.") if chosen else
                        _("The Bureau has given the advice below; no host is selected yet. For each mechanism: the "
                          "Bureau's advice, the entity selected and the reasons recorded, and every offer made with "
                          "its outcome, in the order made."))]
    for slot in ctx.d.slots:
        facts = record.get(slot["id"])
        if not facts:
            continue
        out.append(ctx.heading(slot["name"], numbered=False, level=1, style="h2"))
        if not facts["advice"]:
            out.append(ctx.numbered(_("No advice of the Bureau is recorded for this mechanism.")))
        rounds = max([a["round"] for a in facts["advice"]] + [len(facts["offers"])])
        for n in range(1, rounds + 1):
            out += [_advice(ctx, a) for a in facts["advice"] if a["round"] == n]
            if n <= len(facts["offers"]):
                out.append(_offer(ctx, facts["offers"][n - 1], first=n == 1))
        if not facts["offers"]:
            out.append(ctx.numbered(_("No host is selected for this mechanism yet.")))
    return out
