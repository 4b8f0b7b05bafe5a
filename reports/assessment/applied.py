"""How the criteria were applied, per slot: the shortlisted entities in words, then every ranked
proposal in one table (criterion by criterion: score, where it sits on the anchored scale, the
spread of the members' scores, one comment without names).

One table of plain cells per slot rather than a block of paragraphs per proposal: the same facts
on a fifth of the pages, and a large call's report lays out in seconds.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph

from criteria.ranking import SlotRanking
from criteria.sets import anchor_for
from reports import fonts
from reports.assessment import annexes
from reports.assessment.context import Context
from reports.comments import MOST, consolidated
from reports.layout import (
    ACCENT,
    HEAD_FILL,
    SHORT_FILL,
    TEXT_LIMIT,
    cell,
    label,
    num,
    plain_heads,
    plural,
    rich,
    table_style,
)
from reports.rows import LongTable
from selection.models import fmt

COMMENT_LIMIT = 200  # characters of the one comment per criterion a table row quotes: two lines
ANCHORS = 5  # an anchored scale has six points, 0 to 5, spread evenly over the call's scale


def spread(given: list[tuple[float, str | None]]) -> str:
    lo, hi = min(g[0] for g in given), max(g[0] for g in given)
    return fmt(lo) if lo == hi else f"{fmt(lo)}–{fmt(hi)}"


def scale_points(score: float, lo: float, hi: float) -> str:
    """The points of the anchored scale a score lies on or between, in the call's own units
    ("3–4" on 0–5, "60–80" on 0–100), read as ``criteria.sets.anchor_for`` reads them."""
    step = (hi - lo) / ANCHORS
    position = (score - lo) / step
    below, above = int(position // 1), min(int(-(-position // 1)), ANCHORS)
    point = [fmt(round(lo + k * step, 2)) for k in range(ANCHORS + 1)]
    return point[min(below, ANCHORS)] if below >= above else f"{point[below]}–{point[above]}"


def _standing(r: dict) -> str:
    return "shortlisted" if r["shortlisted"] else ("passes every threshold" if r["passes"] else "does not pass")


def _below(ctx: Context, c: dict, score: float) -> bool:
    return c["threshold"] is not None and round(score, 6) < round(c["threshold"], 6)


def _comment(ctx: Context, pid: str, c: dict, most: int = MOST) -> tuple[list, dict | None, str]:
    mine = ctx.given().get((pid, c["id"]), [])
    agreed = ctx.consensus.get((pid, c["id"]))
    return mine, agreed, consolidated(mine, (agreed or {}).get("note"), agreed=agreed is not None, most=most)


def detail(ctx: Context, r: dict) -> list:
    """One shortlisted proposal in words: each criterion's score, its meaning on the criterion's
    anchored scale, the spread and the comment."""
    s, pid = ctx.s, r["proposal"]
    head = f"{int(r['rank'])}. " + ctx.entity(pid, s["h4"], ctx.width - 30, bold=True)
    if ctx.country(pid):
        head += rich(", ") + rich(ctx.country(pid), bold=True, limit=60)
    head += rich(f" — total {num(r['total'], 1)}, {plural(int(r['reviews']), 'valid review')}, {_standing(r)}",
                 bold=True)
    out = [Paragraph(head, s["h4"])]
    for i, c in enumerate(ctx.crits):
        mine, agreed, comment = _comment(ctx, pid, c)
        score = float(r[c["id"]])
        facts = f": {num(score, 2)}, {anchor_for(score, ctx.lo, ctx.hi, c.get('anchors')).rstrip('.').lower()}"
        if agreed is not None:
            facts += " (consensus score"
            facts += f"; the members' mean was {num(sum(g[0] for g in mine) / len(mine), 2)})" if mine else ")"
        if mine:
            facts += f"; members' scores {spread(mine)}"
        if _below(ctx, c, score):
            facts += f"; below the threshold of {fmt(c['threshold'])}"
        out.append(Paragraph(rich(f"{label(i)} ", bold=True) + rich(c["name"], bold=True, limit=120)
                             + rich(facts + ".") + "<br/>" + rich("Comment: ", bold=True)
                             + rich(comment, limit=TEXT_LIMIT),
                             s["crit"] if i < len(ctx.crits) - 1 else s["critlast"]))
    return out  # kept together by keepWithNext, up to the last criterion


def table(ctx: Context, sr: SlotRanking) -> LongTable:
    """Every ranked proposal in rank order: a row naming it, then a row per criterion."""
    s = ctx.s
    widths = [10 * mm, 7 * mm, 11 * mm, 11 * mm, 16 * mm]
    widths.append(ctx.width - sum(widths))
    rows = [plain_heads(["Rank", "", "Score", "Scale", "Members", "Comment"], widths)]
    small = s["small"]
    style = table_style(size=small.fontSize, leading=small.leading, padding=1.5) + [
        ("ALIGN", (0, 0), (0, -1), "RIGHT"), ("ALIGN", (2, 0), (4, -1), "RIGHT")]
    for r in ctx.records(sr):
        pid, n = r["proposal"], len(rows)
        more = f", {ctx.country(pid)}" if ctx.country(pid) else ""
        more += f" — total {num(r['total'], 1)}, {plural(int(r['reviews']), 'review')}, {_standing(r)}"
        rows.append([str(int(r["rank"])), ctx.entity_cell(pid, small, sum(widths[1:]), bold=True, more=more),
                     "", "", "", ""])
        style += [("FONTNAME", (0, n), (-1, n), fonts.SANS_BOLD),
                  ("LINEABOVE", (0, n), (-1, n), 0.6, ACCENT)]
        if r["shortlisted"]:
            style.append(("BACKGROUND", (0, n), (-1, n), SHORT_FILL))
        for i, c in enumerate(ctx.crits):
            mine, agreed, comment = _comment(ctx, pid, c, most=1)
            score = float(r[c["id"]])
            members = spread(mine) if mine else "—"
            if agreed is not None and mine:
                members += f"\nmean {num(sum(g[0] for g in mine) / len(mine), 2)}"
            if _below(ctx, c, score):
                comment = f"Score below the threshold of {fmt(c['threshold'])}. {comment}"
            rows.append(["", label(i), num(score, 2) + ("*" if agreed is not None else ""),
                         scale_points(score, ctx.lo, ctx.hi), members,
                         cell(comment, small, widths[-1], limit=COMMENT_LIMIT)])
    style += [("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT), ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL)]
    return LongTable(rows, widths, style)


def _legend(ctx: Context, sr: SlotRanking) -> str:
    text = ("Scale: the points of the criterion's anchored scale the score lies on or between. Members: the lowest "
            "and highest of the members' valid scores.")
    if any((p, c["id"]) in ctx.consensus for p in sr.table["proposal"] for c in ctx.crits):
        text += " * consensus score agreed by the advisory group; the mean of the members' scores is shown beside it."
    return text


def applied(ctx: Context, sr: SlotRanking) -> list:
    """The shortlist in words, then every ranked proposal in the table."""
    s = ctx.s
    short = [r for r in ctx.records(sr) if r["shortlisted"]]
    out = [Paragraph(rich("How the criteria were applied", bold=True), s["h3"]),
           ctx.p("For each shortlisted entity: each criterion's score and what it means on that criterion's "
                 "anchored scale, the spread of the members' valid scores, and the panel's comment (the consensus "
                 "note, or the first sentence of each member's reason, without names). The table after it gives "
                 "the same for every ranked proposal, in rank order, with one comment per criterion: the consensus "
                 "note, or the first sentence of the reason given with the median score; its scale points are the points of the "
                 "anchored scale the score lies on or between (the Method says what each point "
                 f"means). The members' reasons in full for the "
                 f"shortlisted entities are in Annex {annexes.REASONS_ANNEX}.", "note")]
    for r in short:
        out += detail(ctx, r)
    out += [Paragraph(rich(f"Every ranked proposal ({len(sr.table):,})", bold=True), s["h3"]), table(ctx, sr),
            ctx.p(_legend(ctx, sr), "note")]
    return out
