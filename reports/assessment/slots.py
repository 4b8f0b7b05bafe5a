"""One section per slot: the ranking table, the shortlist, its chart, how the criteria were
applied, its robustness to the weights, the proposals not passing or not ranked, the reviews
left out."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, Paragraph, Spacer, TableStyle

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
    heads,
    label,
    num,
    plain_heads,
    plural,
    rich,
    table_style,
)
from reports.rows import LongTable
from selection.models import fmt

LEVEL_WORDS = {"global": "Global", "regional": "Regional", "subregional": "Subregional"}


def ranking_table(ctx: Context, sr: SlotRanking) -> LongTable:
    s, crits = ctx.s, ctx.crits
    ids = [c["id"] for c in crits]
    fixed = {"rank": 9 * mm, "country": 24 * mm, "total": 11 * mm, "reviews": 12 * mm, "passes": 11 * mm,
             "tie": 9 * mm}
    crit_w = min(11 * mm, max(9 * mm, (ctx.width - sum(fixed.values()) - 40 * mm) / max(len(ids), 1)))
    name_w = ctx.width - sum(fixed.values()) - crit_w * len(ids)
    widths = [fixed["rank"], name_w, fixed["country"], fixed["total"], *([crit_w] * len(ids)), fixed["reviews"],
              fixed["passes"], fixed["tie"]]
    rows = [plain_heads(["Rank", "Entity", "Country", "Total", *(label(i) for i in range(len(ids))), "Valid reviews",
                         "Passes", "Tie"], widths)]
    style = table_style(padding=1.5) + [("ALIGN", (0, 0), (0, -1), "RIGHT"),
                                        ("ALIGN", (3, 0), (3 + len(ids) + 1, -1), "RIGHT")]
    for n, r in enumerate(ctx.records(sr), start=1):
        rows.append([
            str(int(r["rank"])),
            ctx.entity_cell(r["proposal"], s["cell"], name_w, bold=bool(r["shortlisted"])),
            cell(ctx.country(r["proposal"]), s["cell"], fixed["country"], limit=60),
            num(r["total"], 1),
            *(num(r[c], 2) + ("*" if (r["proposal"], c) in ctx.consensus else "") for c in ids),
            str(int(r["reviews"])),
            "yes" if r["passes"] else "no",
            "tied" if r["tie"] else "",
        ])
        if r["shortlisted"]:
            style += [("BACKGROUND", (0, n), (-1, n), SHORT_FILL), ("FONTNAME", (1, n), (1, n), fonts.SANS_BOLD)]
    return LongTable(rows, widths, style)


def misses(ctx: Context, r: dict) -> list[str]:
    """Why a ranked proposal does not pass, criterion by criterion."""
    out = [
        f"{label(i)} {num(r[c['id']], 2)} below threshold {fmt(c['threshold'])}"
        for i, c in enumerate(ctx.crits)
        if c["threshold"] is not None and round(r[c["id"]], 6) < round(c["threshold"], 6)
    ]
    ot = ctx.call["overall_threshold"]
    if ot is not None and round(r["total"], 6) < round(ot, 6):
        out.append(f"total {num(r['total'], 1)} below {fmt(ot)}")
    return out


def chart(ctx: Context, short: list[dict]) -> list:
    if not short:
        return []
    s = ctx.s
    shown = short[: charts.MAX_SERIES]
    series = [([f"{int(r['rank'])}. ", *entity_text(ctx.who(r["proposal"]))], [r[c["id"]] for c in ctx.crits])
              for r in shown]
    drawing = charts.criterion_bars(
        series, [label(i) for i in range(len(ctx.crits))], scale=(ctx.lo, ctx.hi),
        thresholds=[c["threshold"] for c in ctx.crits], width=ctx.width, height=150,
    )
    caption = "Criterion scores of the shortlisted entities (" + "; ".join(
        f"{label(i)} {fonts.clean(c['name'], 160)}" for i, c in enumerate(ctx.crits)) + ")."
    if len(short) > len(shown):
        caption += f" The first {len(shown)} of {len(short)} shortlisted entities are drawn."
    return [KeepTogether([Paragraph(rich("Criterion scores of the shortlist", bold=True), s["h3"]), drawing,
                          Paragraph(rich(caption, limit=2000), s["note"])])]


def separation(ctx: Context, sr: SlotRanking) -> list:
    """What separates the shortlist from the best-placed proposal left out of it."""
    rows = ctx.records(sr)
    short = [r for r in rows if r["shortlisted"]]
    rest = [r for r in rows if not r["shortlisted"]]
    if not short or not rest:
        return []
    last, nxt = short[-1], rest[0]
    lead = (rich(f"The shortlisted {'entity totals' if len(short) == 1 else 'entities total'} ")
            + rich(num(last["total"], 1) if len(short) == 1 else
                   f"between {num(last['total'], 1)} and {num(short[0]['total'], 1)}")
            + rich(". The best-placed proposal not shortlisted is ") + ctx.entity(nxt["proposal"], inline=True)
            + rich(f" (rank {int(nxt['rank'])}, total {num(nxt['total'], 1)})"))
    if not nxt["passes"]:
        return [ctx.para(lead + rich(", which does not pass: " + "; ".join(misses(ctx, nxt)) + "."))]
    ahead = [(float(last[c["id"]]) - float(nxt[c["id"]]), i, c) for i, c in enumerate(ctx.crits)]
    better = [f"{label(i)} ({num(last[c['id']], 2)} against {num(nxt[c['id']], 2)})"
              for d, i, c in sorted(ahead, key=lambda t: -t[0]) if d > 1e-9]
    worse = [f"{label(i)}" for d, i, c in ahead if d < -1e-9]
    text = lead + rich("; ") + ctx.entity(last["proposal"], inline=True) + rich(
        f", the last shortlisted entity, is {num(last['total'] - nxt['total'], 1)} points ahead")
    if better:
        text += rich(", scoring higher on " + " and ".join([", ".join(better[:-1]), better[-1]] if len(better) > 1
                                                            else better))
    if worse:
        text += rich(" and lower on " + " and ".join([", ".join(worse[:-1]), worse[-1]] if len(worse) > 1
                                                       else worse))
    return [ctx.para(text + rich("."))]


def robustness(ctx: Context, slot_id: str, sr: SlotRanking) -> list:
    s = ctx.s
    doc = ctx.d.slot_robustness(slot_id)
    rows = doc.get("proposals") or []
    if not rows or not sr.shortlist:
        return []
    draws = int(doc.get("draws", ctx.d.draws))
    ids = [c["id"] for c in ctx.crits]
    short = set(sr.shortlist)
    sentence = (f"Under {draws:,} sets of weights drawn around the call's weights, this shortlist came out "
                f"unchanged in {of_draws(doc.get('same_shortlist_share', 0), draws)}")
    tips = doc.get("tipping_points") or []
    if tips:
        t = tips[0]
        i = ids.index(t["criterion"]) if t["criterion"] in ids else None
        crit = label(i) if i is not None else t["criterion"]
        new = t.get("new_shortlist") or []
        came = [p for p in new if p not in short]
        went = [p for p in sr.shortlist if p not in new]
        verb = "raising" if t["direction"] == "up" else "lowering"
        change = (f"; the smallest change of a single weight that alters it is {verb} criterion {crit} from "
                  f"{num(t['share_before'], 1)}% to {num(t['share_after'], 1)}% of the total weight "
                  f"({'+' if t['direction'] == 'up' else '−'}{num(t['change_points'], 1)} points)")
        markup = rich(sentence + change)
        if came or went:
            markup += rich(", which would ")
            if came:
                markup += rich("bring in ") + rich(" and ").join(ctx.entity(p, inline=True) for p in came)
            if came and went:
                markup += rich(" in place of ")
            elif went:
                markup += rich("drop ")
            markup += rich(" and ").join(ctx.entity(p, inline=True) for p in went)
        markup += rich(".")
    else:
        markup = rich(sentence + "; no change of a single weight, the others unchanged, alters it.")
    out = [Paragraph(rich("Robustness of the shortlist", bold=True), s["h3"]), ctx.para(markup)]

    keep = [r for r in rows if r["proposal"] in short or r.get("shortlisted_share", 0) > 0][:12]
    table_rows = [heads(["Entity"], ["Rank", "Shortlisted in", "Ranks reached"], s)]
    for r in keep:
        table_rows.append([
            ctx.entity_cell(r["proposal"], s["cell"], ctx.width - 82 * mm, bold=r["proposal"] in short),
            str(r["rank"]),
            of_draws(r["shortlisted_share"], draws),
            str(r["rank_min"]) if r["rank_min"] == r["rank_max"] else f"{r['rank_min']}–{r['rank_max']}",
        ])
    table = Table(table_rows, colWidths=[ctx.width - 82 * mm, 14 * mm, 40 * mm, 28 * mm], repeatRows=1,
                  hAlign="LEFT")
    bold = [("FONTNAME", (0, n), (0, n), fonts.SANS_BOLD) for n, r in enumerate(keep, start=1) if r["proposal"] in short]
    table.setStyle(TableStyle(table_style() + [("ALIGN", (1, 1), (-1, -1), "RIGHT")] + bold))
    out.append(table)
    return out


def section(ctx: Context, slot: dict, sr: SlotRanking) -> list:
    s, crits, call = ctx.s, ctx.crits, ctx.call
    item_w = ctx.width - s["item"].leftIndent - 24  # room for "1. " before a name
    out = [CondPageBreak(60 * mm), ctx.heading(slot["name"])]
    where = " · ".join(x for x in (LEVEL_WORDS.get(slot.get("level"), ""), slot.get("region")) if x)
    out.append(Paragraph(rich(f"{where} · {plural(len(sr.table) + len(sr.unranked), 'proposal')}", limit=400),
                         s["slotmeta"]))

    if len(sr.table):
        out.append(ranking_table(ctx, sr))
        legend = "Total on 0–100, criterion scores on the score scale. Shaded rows: shortlisted."
        if any((p, c["id"]) in ctx.consensus for p in sr.table["proposal"] for c in crits):
            legend += " * consensus score agreed by the advisory group."
        out += [Spacer(1, 2), ctx.p(legend, "note")]
    else:
        out.append(ctx.p("No proposal could be ranked for this mechanism."))

    block = [Paragraph(rich("Shortlist", bold=True), s["h3"])]  # kept on one page
    short = [r for r in ctx.records(sr) if r["shortlisted"]]
    if not short:
        block.append(ctx.p(f"No proposal ranked {SHORTLIST_RANK} or better passes: the shortlist is empty."))
    for r in short:
        line = f"{int(r['rank'])}. " + ctx.entity(r["proposal"], s["item"], item_w, bold=True)
        if ctx.country(r["proposal"]):
            line += rich(", ") + rich(ctx.country(r["proposal"]), limit=60)
        line += rich(f" — total {num(r['total'], 1)}" + (" (tied)" if r["tie"] else ""))
        block.append(Paragraph(line, s["item"]))
    if 0 < len(short) < SHORTLIST_RANK:
        block.append(ctx.p(
            f"Only {plural(len(short), 'proposal')} ranked {SHORTLIST_RANK} or better "
            f"{'passes' if len(short) == 1 else 'pass'} every threshold, "
            f"so the shortlist has fewer than {SHORTLIST_RANK} entries."))
    if sr.tie_across_cutoff():
        block.append(ctx.p(
            f"There is a tie across third place: the proposals tied at rank {int(short[-1]['rank'])} are all "
            f"shortlisted, so the shortlist has {len(short)} entries instead of {SHORTLIST_RANK}. "
            "The advisory group, not the program, breaks this tie."))
    out.append(KeepTogether(block))

    out += separation(ctx, sr)
    out += chart(ctx, short)
    if len(sr.table):
        out += applied.applied(ctx, sr)
    out += robustness(ctx, slot["id"], sr)

    failing = [r for r in ctx.records(sr) if not r["passes"]]
    if failing:
        out.append(Paragraph(rich("Ranked but not passing", bold=True), s["h3"]))
        for r in failing:
            why = "; ".join(misses(ctx, r)) or "below a threshold"
            out.append(Paragraph(ctx.entity(r["proposal"], s["item"], item_w) + rich(f": {why}."), s["item"]))

    if sr.unranked:
        out.append(Paragraph(rich("Not ranked", bold=True), s["h3"]))
        for u in sr.unranked:
            reason = REASONS.get(u["reason"]) or (
                f"fewer than {call['min_reviews']} valid reviews and no consensus score on every criterion"
                if u["reason"] == "insufficient_reviews" else str(u["reason"])
            )
            out.append(Paragraph(ctx.entity(u["proposal"], s["item"], item_w) + rich(f": {reason}."), s["item"]))

    members = set(sr.table["proposal"]) | {u["proposal"] for u in sr.unranked}
    left = ctx.d.scores.excluded
    count = int(left["proposal"].isin(members).sum()) if len(left) else 0
    if count:
        out.append(ctx.p(f"{plural(count, 'review')} on proposals for this mechanism "
                         f"{'is' if count == 1 else 'are'} left out of every figure (conflict of interest or partial "
                         f"review); Annex {LEFT_OUT} lists them.", "note"))
    return out
