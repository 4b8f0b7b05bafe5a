"""After the selection: per slot the Bureau's advice, the entity selected and why, and every
offer made with its outcome (the reserve list at work when a first choice declines)."""

from __future__ import annotations

from reports.assessment.context import Context
from reports.layout import TEXT_LIMIT, long_date, rich
from selection import report_queries

OUTCOME = {"accepted": "accepted on {answered}", "declined": "declined on {answered}",
           "lapsed": "did not answer in time (lapsed on {lapsed})"}


def offer_story(offer: dict) -> str:
    """One offer's course in words: offered, notified, answered or lapsed, agreement signed or due."""
    parts = [f"offered on {long_date(offer['decided_at'])}"]
    if offer["notified_on"]:
        parts.append(f"notified on {long_date(offer['notified_on'])}")
    if offer["acceptance"] in OUTCOME:
        parts.append(OUTCOME[offer["acceptance"]].format(
            answered=long_date(offer["answered_on"]) if offer["answered_on"] else "a date not recorded",
            lapsed=long_date(offer["lapsed_on"]) if offer["lapsed_on"] else "a date not recorded"))
    elif offer["acceptance_due"]:
        parts.append(f"its answer is awaited by {long_date(offer['acceptance_due'])}")
    else:
        parts.append("the notification is still to be sent")
    if offer["agreement_signed_on"]:
        parts.append(f"host agreement signed on {long_date(offer['agreement_signed_on'])}")
    elif offer["acceptance"] in ("pending", "accepted"):
        parts.append(f"host agreement due by {long_date(offer['agreement_due'])}")
    return "; ".join(parts)


def _advice(ctx: Context, a: dict):
    text = rich(f"Advice of the Bureau ({long_date(a['given_at'])}, ", bold=True) + rich(
        a["member"], bold=True, limit=200) + rich(")", bold=True)
    if a["preferred_proposal_id"]:
        text += rich(": prefers ") + ctx.entity(a["preferred_proposal_id"], inline=True)
    return ctx.para(text + rich(". ") + rich(a["advice"], limit=TEXT_LIMIT))


def _offer(ctx: Context, offer: dict, *, first: bool):
    current = offer["acceptance"] in ("pending", "accepted")
    lead = ("Selected: " if current else "Offered: ") if first else "Offered next, from the reserve list: "
    return ctx.para(rich(lead, bold=True) + ctx.entity(offer["proposal_id"], inline=True, bold=True)
                    + rich(f" — {offer_story(offer)}. ") + rich("Reasons recorded: ", bold=True)
                    + rich(offer["rationale"], limit=TEXT_LIMIT))


def decision(ctx: Context) -> list:
    """The Decision part, once the Bureau has advised or a host is selected; nothing before."""
    record = report_queries.decision_record(ctx.db, ctx.call["id"])
    if not record:
        return []
    chosen = any(facts["offers"] for facts in record.values())
    out = [ctx.heading("Decision"),
           ctx.numbered(("With the advice of the Bureau, the secretariat selected the hosts below. " if chosen else
                         "The Bureau has given the advice below; no host is selected yet. ")
                        + "For each mechanism: the Bureau's advice, the entity selected and the reasons recorded, and "
                        "every offer made with its outcome, in the order made.")]
    for slot in ctx.d.slots:
        facts = record.get(slot["id"])
        if not facts:
            continue
        out.append(ctx.heading(slot["name"], numbered=False, level=1, style="h2"))
        if not facts["advice"]:
            out.append(ctx.numbered("No advice of the Bureau is recorded for this mechanism."))
        rounds = max([a["round"] for a in facts["advice"]] + [len(facts["offers"])])
        for n in range(1, rounds + 1):
            out += [_advice(ctx, a) for a in facts["advice"] if a["round"] == n]
            if n <= len(facts["offers"]):
                out.append(_offer(ctx, facts["offers"][n - 1], first=n == 1))
        if not facts["offers"]:
            out.append(ctx.numbered("No host is selected for this mechanism yet."))
    return out
