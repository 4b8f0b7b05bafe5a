"""One section per slot: the ranking table, the shortlist, its chart, how the criteria were
applied, its robustness to the weights, the proposals not passing or not ranked, the reviews
left out."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, Spacer

from criteria.ranking import SHORTLIST_RANK, SlotRanking
from reports import charts, fonts
from reports.assessment import applied
from reports.assessment.annexes import LEFT_OUT, REASONS
from reports.assessment.context import Context
from reports.layout import (
    SHORT_FILL,
    Table,
    cell,
    entity_text,
    of_draws,
    head_width,
    heads,
    label,
    plain_heads,
    table_style,
)
from reports.wording import Part, figure, fill, listed, part
from selection import words
from selection.i18n import N_, _, ngettext
from reports.rows import LongTable
from selection.models import fmt

LEVEL_WORDS = {"global": N_("Global"), "regional": N_("Regional"), "subregional": N_("Subregional")}


def ranking_table(ctx: Context, sr: SlotRanking) -> LongTable:
    s, crits = ctx.s, ctx.crits
    ids = [c["id"] for c in crits]
    titles = {"rank": _("Rank"), "country": _("Country"), "total": _("Total"), "reviews": _("Valid reviews"),
              "passes": _("Passes"), "tie": _("Tie")}
    fixed = {key: head_width(titles[key], width) for key, width in
             (("rank", 9 * mm), ("country", 24 * mm), ("total", 11 * mm), ("reviews", 12 * mm), ("passes", 11 * mm),
              ("tie", 9 * mm))}
    crit_w = min(11 * mm, max(9 * mm, (ctx.width - sum(fixed.values()) - 40 * mm) / max(len(ids), 1)))
    name_w = ctx.width - sum(fixed.values()) - crit_w * len(ids)
    widths = [fixed["rank"], name_w, fixed["country"], fixed["total"], *([crit_w] * len(ids)), fixed["reviews"],
              fixed["passes"], fixed["tie"]]
    rows = [plain_heads([titles["rank"], _("Entity"), titles["country"], titles["total"],
                         *(label(i) for i in range(len(ids))), titles["reviews"], titles["passes"], titles["tie"]],
                        widths)]
    style = table_style(padding=1.5) + [("ALIGN", (0, 0), (0, -1), "RIGHT"),
                                        ("ALIGN", (3, 0), (3 + len(ids) + 1, -1), "RIGHT")]
    for n, r in enumerate(ctx.records(sr), start=1):
        rows.append([
            str(int(r["rank"])),
            ctx.entity_cell(r["proposal"], s["cell"], name_w, bold=bool(r["shortlisted"])),
            cell(ctx.country(r["proposal"]), s["cell"], fixed["country"], limit=60),
            figure(r["total"], 1),
            *(figure(r[c], 2) + ("*" if (r["proposal"], c) in ctx.consensus else "") for c in ids),
            str(int(r["reviews"])),
            words.yes_no(r["passes"]),
            _("tied") if r["tie"] else "",
        ])
        if r["shortlisted"]:
            style += [("BACKGROUND", (0, n), (-1, n), SHORT_FILL), ("FONTNAME", (1, n), (1, n), fonts.SANS_BOLD)]
    return ctx.table(rows, widths, style, kind=LongTable)


def misses(ctx: Context, r: dict) -> list[str]:
    """Why a ranked proposal does not pass, criterion by criterion."""
    out = [
        _("{criterion} {score} below threshold {threshold}", criterion=label(i), score=figure(r[c["id"]], 2),
          threshold=fmt(c["threshold"]))
        for i, c in enumerate(ctx.crits)
        if c["threshold"] is not None and round(r[c["id"]], 6) < round(c["threshold"], 6)
    ]
    ot = ctx.call["overall_threshold"]
    if ot is not None and round(r["total"], 6) < round(ot, 6):
        out.append(_("total {total} below {threshold}", total=figure(r["total"], 1), threshold=fmt(ot)))
    return out


def chart(ctx: Context, short: list[dict]) -> list:
    if not short:
        return []
    shown = short[: charts.MAX_SERIES]
    series = [([f"{int(r['rank'])}. ", *entity_text(ctx.who(r["proposal"]))], [r[c["id"]] for c in ctx.crits])
              for r in shown]
    drawing = charts.criterion_bars(
        series, [label(i) for i in range(len(ctx.crits))], scale=(ctx.lo, ctx.hi),
        thresholds=[c["threshold"] for c in ctx.crits], width=ctx.width, height=150,
    )
    caption = _("Criterion scores of the shortlisted entities ({criteria}).", criteria=_("; ").join(
        f"{label(i)} {fonts.clean(c['name'], 160)}" for i, c in enumerate(ctx.crits)))
    if len(short) > len(shown):
        caption = _("{sentence} {more}", sentence=caption, more=_(
            "The first {shown} of {count} shortlisted entities are drawn.", shown=len(shown), count=len(short)))
    return [KeepTogether([ctx.p([part(_("Criterion scores of the shortlist"), bold=True)], "h3"), drawing,
                          ctx.p([part(caption, limit=2000)], "note")])]


def _criteria(items: list[str]) -> list[Part]:
    return listed([[Part(item)] for item in items])


def separation(ctx: Context, sr: SlotRanking) -> list:
    """What separates the shortlist from the best-placed proposal left out of it."""
    rows = ctx.records(sr)
    short = [r for r in rows if r["shortlisted"]]
    rest = [r for r in rows if not r["shortlisted"]]
    if not short or not rest:
        return []
    last, nxt = short[-1], rest[0]
    next_one = dict(entity=ctx.name(nxt["proposal"]), rank=str(int(nxt["rank"])), next_total=figure(nxt["total"], 1))
    if len(short) == 1:
        lead = fill(_("The shortlisted entity totals {total}. The best-placed proposal not shortlisted is "
                      "{entity} (rank {rank}, total {next_total})"), total=figure(last["total"], 1), **next_one)
    else:
        lead = fill(_("The shortlisted entities total between {low} and {high}. The best-placed proposal not "
                      "shortlisted is {entity} (rank {rank}, total {next_total})"),
                    low=figure(last["total"], 1), high=figure(short[0]["total"], 1), **next_one)
    if not nxt["passes"]:
        return [ctx.para(fill(_("{sentence}, which does not pass: {misses}."), sentence=lead,
                              misses=_("; ").join(misses(ctx, nxt))))]
    ahead = [(float(last[c["id"]]) - float(nxt[c["id"]]), i, c) for i, c in enumerate(ctx.crits)]
    better = [_("{criterion} ({score} against {other})", criterion=label(i), score=figure(last[c["id"]], 2),
                other=figure(nxt[c["id"]], 2))
              for d, i, c in sorted(ahead, key=lambda t: -t[0]) if d > 1e-9]
    worse = [label(i) for d, i, c in ahead if d < -1e-9]
    values = dict(sentence=lead, entity=ctx.name(last["proposal"]), points=figure(last["total"] - nxt["total"], 1))
    if better and worse:
        text = fill(_("{sentence}; {entity}, the last shortlisted entity, is {points} points ahead, scoring higher "
                      "on {better} and lower on {worse}."), better=_criteria(better), worse=_criteria(worse), **values)
    elif better:
        text = fill(_("{sentence}; {entity}, the last shortlisted entity, is {points} points ahead, scoring higher "
                      "on {better}."), better=_criteria(better), **values)
    elif worse:
        text = fill(_("{sentence}; {entity}, the last shortlisted entity, is {points} points ahead and lower on "
                      "{worse}."), worse=_criteria(worse), **values)
    else:
        text = fill(_("{sentence}; {entity}, the last shortlisted entity, is {points} points ahead."), **values)
    return [ctx.para(text)]


def robustness(ctx: Context, slot_id: str, sr: SlotRanking) -> list:
    s = ctx.s
    doc = ctx.d.slot_robustness(slot_id)
    rows = doc.get("proposals") or []
    if not rows or not sr.shortlist:
        return []
    draws = int(doc.get("draws", ctx.d.draws))
    ids = [c["id"] for c in ctx.crits]
    short = set(sr.shortlist)
    sentence = fill(_("Under {draws} sets of weights drawn around the call's weights, this shortlist came out "
                      "unchanged in {share}"), draws=words.number(draws, 0),
                    share=of_draws(doc.get("same_shortlist_share", 0), draws))
    tips = doc.get("tipping_points") or []
    if tips:
        t = tips[0]
        i = ids.index(t["criterion"]) if t["criterion"] in ids else None
        up = t["direction"] == "up"
        change = dict(sentence=sentence, criterion=label(i) if i is not None else t["criterion"],
                      before=figure(t["share_before"], 1), after=figure(t["share_after"], 1),
                      points=("+" if up else "−") + figure(t["change_points"], 1))
        text = fill(_("{sentence}; the smallest change of a single weight that alters it is raising criterion "
                      "{criterion} from {before}% to {after}% of the total weight ({points} points)") if up else
                    _("{sentence}; the smallest change of a single weight that alters it is lowering criterion "
                      "{criterion} from {before}% to {after}% of the total weight ({points} points)"), **change)
        new = t.get("new_shortlist") or []
        came = listed([[ctx.name(p)] for p in new if p not in short]) if any(p not in short for p in new) else []
        went = listed([[ctx.name(p)] for p in sr.shortlist if p not in new]) if any(
            p not in new for p in sr.shortlist) else []
        if came and went:
            text = fill(_("{sentence}, which would bring in {came} in place of {went}."), sentence=text, came=came,
                        went=went)
        elif came:
            text = fill(_("{sentence}, which would bring in {came}."), sentence=text, came=came)
        elif went:
            text = fill(_("{sentence}, which would drop {went}."), sentence=text, went=went)
        else:
            text = fill(_("{sentence}."), sentence=text)
    else:
        text = fill(_("{sentence}; no change of a single weight, the others unchanged, alters it."), sentence=sentence)
    out = [ctx.p([part(_("Robustness of the shortlist"), bold=True)], "h3"), ctx.para(text)]

    keep = [r for r in rows if r["proposal"] in short or r.get("shortlisted_share", 0) > 0][:12]
    table_rows = [heads([_("Entity")], [_("Rank"), _("Shortlisted in"), _("Ranks reached")], s)]
    for r in keep:
        table_rows.append([
            ctx.entity_cell(r["proposal"], s["cell"], ctx.width - 82 * mm, bold=r["proposal"] in short),
            str(r["rank"]),
            of_draws(r["shortlisted_share"], draws),
            str(r["rank_min"]) if r["rank_min"] == r["rank_max"] else f"{r['rank_min']}–{r['rank_max']}",
        ])
    bold = [("FONTNAME", (0, n), (0, n), fonts.SANS_BOLD) for n, r in enumerate(keep, start=1) if r["proposal"] in short]
    out.append(ctx.table(table_rows, [ctx.width - 82 * mm, 14 * mm, 40 * mm, 28 * mm],
                         table_style() + [("ALIGN", (1, 1), (-1, -1), "RIGHT")] + bold, kind=Table))
    return out


def section(ctx: Context, slot: dict, sr: SlotRanking) -> list:
    s, crits, call = ctx.s, ctx.crits, ctx.call
    item_w = ctx.width - s["item"].leftIndent - 24  # room for "1. " before a name
    out = [CondPageBreak(60 * mm), ctx.heading(slot["name"])]
    level = _(LEVEL_WORDS[slot["level"]]) if slot.get("level") in LEVEL_WORDS else ""
    total = len(sr.table) + len(sr.unranked)
    counted = ngettext("{count} proposal", "{count} proposals", total, count=words.number(total, 0))
    where = " · ".join(x for x in (level, slot.get("region"), counted) if x)
    out.append(ctx.p([part(where, limit=400)], "slotmeta"))

    if len(sr.table):
        out.append(ranking_table(ctx, sr))
        legend = _("Total on 0–100, criterion scores on the score scale. Shaded rows: shortlisted.")
        if any((p, c["id"]) in ctx.consensus for p in sr.table["proposal"] for c in crits):
            legend = _("{sentence} {more}", sentence=legend, more=_("* consensus score agreed by the advisory group."))
        out += [Spacer(1, 2), ctx.p(legend, "note")]
    else:
        out.append(ctx.p(_("No proposal could be ranked for this mechanism.")))

    block = [ctx.p([part(_("Shortlist"), bold=True)], "h3")]  # kept on one page
    short = [r for r in ctx.records(sr) if r["shortlisted"]]
    if not short:
        block.append(ctx.p(_("No proposal ranked {top} or better passes: the shortlist is empty.", top=SHORTLIST_RANK)))
    for r in short:
        country = ctx.country(r["proposal"])
        name = Part(ctx.name(r["proposal"]).plain, True,
                    ctx.entity(r["proposal"], s["item"], item_w, bold=True))
        template = (_("{rank}. {entity}, {country} — total {total} (tied)") if country and r["tie"] else
                    _("{rank}. {entity}, {country} — total {total}") if country else
                    _("{rank}. {entity} — total {total} (tied)") if r["tie"] else
                    _("{rank}. {entity} — total {total}"))
        block.append(ctx.p(fill(template, rank=str(int(r["rank"])), entity=name, country=part(country, limit=60),
                                total=figure(r["total"], 1)), "item"))
    if 0 < len(short) < SHORTLIST_RANK:
        block.append(ctx.p(ngettext(
            "Only {count} proposal ranked {top} or better passes every threshold, so the shortlist has fewer than "
            "{top} entries.",
            "Only {count} proposals ranked {top} or better pass every threshold, so the shortlist has fewer than "
            "{top} entries.", len(short), count=words.number(len(short), 0), top=SHORTLIST_RANK)))
    if sr.tie_across_cutoff():
        block.append(ctx.p(_(
            "There is a tie across third place: the proposals tied at rank {rank} are all shortlisted, so the "
            "shortlist has {count} entries instead of {top}. The advisory group, not the program, breaks this tie.",
            rank=int(short[-1]["rank"]), count=len(short), top=SHORTLIST_RANK)))
    out.append(KeepTogether(block))

    out += separation(ctx, sr)
    out += chart(ctx, short)
    if len(sr.table):
        out += applied.applied(ctx, sr)
    out += robustness(ctx, slot["id"], sr)

    failing = [r for r in ctx.records(sr) if not r["passes"]]
    if failing:
        out.append(ctx.p([part(_("Ranked but not passing"), bold=True)], "h3"))
        for r in failing:
            why = _("; ").join(misses(ctx, r)) or _("below a threshold")
            out.append(ctx.p(fill(_("{entity}: {why}."), entity=_item(ctx, r["proposal"], item_w), why=why), "item"))

    if sr.unranked:
        out.append(ctx.p([part(_("Not ranked"), bold=True)], "h3"))
        for u in sr.unranked:
            reason = _(REASONS[u["reason"]]) if u["reason"] in REASONS else (
                _("fewer than {count} valid reviews and no consensus score on every criterion",
                  count=call["min_reviews"]) if u["reason"] == "insufficient_reviews" else str(u["reason"]))
            out.append(ctx.p(fill(_("{entity}: {why}."), entity=_item(ctx, u["proposal"], item_w), why=reason),
                             "item"))

    members = set(sr.table["proposal"]) | {u["proposal"] for u in sr.unranked}
    left = ctx.d.scores.excluded
    count = int(left["proposal"].isin(members).sum()) if len(left) else 0
    if count:
        out.append(ctx.p(ngettext(
            "{count} review on proposals for this mechanism is left out of every figure (conflict of interest or "
            "partial review); Annex {annex} lists them.",
            "{count} reviews on proposals for this mechanism are left out of every figure (conflict of interest or "
            "partial review); Annex {annex} lists them.", count, count=words.number(count, 0), annex=LEFT_OUT),
            "note"))
    return out


def _item(ctx: Context, proposal: str, width: float) -> Part:
    """The entity opening a line of a list, wrapped to the list's width."""
    return Part(ctx.name(proposal).plain, False, ctx.entity(proposal, ctx.s["item"], width))
