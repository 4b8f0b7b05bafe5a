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
    head_width,
    label,
    plain_heads,
    table_style,
)
from reports.wording import Part, fill, figure, part
from selection import words
from selection.i18n import _, ngettext
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
    return _("shortlisted") if r["shortlisted"] else (_("passes every threshold") if r["passes"] else
                                                     _("does not pass"))


def _meaning(score: float, lo: float, hi: float, anchors: dict[int, str]) -> str:
    """What a score means on the criterion's anchored scale, as ``criteria.sets.anchor_for`` reads it, in the
    report's language ("between weak and adequate")."""
    meaning = anchor_for(score, lo, hi, anchors)
    position = ANCHORS * (score - lo) / (hi - lo)
    below, above = int(position // 1), int(-(-position // 1))
    if below != above and above <= ANCHORS:
        meaning = _("between {lower} and {upper}", lower=anchors[below].rstrip(".").lower(),
                    upper=anchors[above].rstrip(".").lower())
    return meaning.rstrip(".").lower()


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
    name = Part(ctx.name(pid).plain, True, ctx.entity(pid, s["h4"], ctx.width - 30, bold=True))
    values = dict(rank=str(int(r["rank"])), entity=name, country=part(ctx.country(pid), bold=True, limit=60),
                  total=figure(r["total"], 1), standing=_standing(r),
                  reviews=ngettext("{count} valid review", "{count} valid reviews", int(r["reviews"]),
                                   count=words.number(int(r["reviews"]), 0)))
    template = (_("{rank}. {entity}, {country} — total {total}, {reviews}, {standing}") if ctx.country(pid) else
                _("{rank}. {entity} — total {total}, {reviews}, {standing}"))
    out = [ctx.p(fill(template, bold=True, **values), "h4")]
    for i, c in enumerate(ctx.crits):
        mine, agreed, comment = _comment(ctx, pid, c)
        score = float(r[c["id"]])
        facts = [_(": {score}, {meaning}", score=figure(score, 2),
                   meaning=_meaning(score, ctx.lo, ctx.hi, c.get("anchors")))]
        if agreed is not None and mine:
            facts.append(_(" (consensus score; the members' mean was {mean})",
                           mean=figure(sum(g[0] for g in mine) / len(mine), 2)))
        elif agreed is not None:
            facts.append(_(" (consensus score)"))
        if mine:
            facts.append(_("; members' scores {spread}", spread=spread(mine)))
        if _below(ctx, c, score):
            facts.append(_("; below the threshold of {threshold}", threshold=fmt(c["threshold"])))
        style = "crit" if i < len(ctx.crits) - 1 else "critlast"
        criterion = fill(_("{label}{criterion}{facts}."), label=part(f"{label(i)} ", bold=True),
                         criterion=part(c["name"], bold=True, limit=120), facts="".join(facts))
        said = fill(_("Comment: {comment}"), bold=True, comment=part(comment, limit=TEXT_LIMIT))
        if ctx.rtl:
            out += [ctx.p(criterion, style), ctx.p(said, style)]
        else:
            out.append(Paragraph("".join(p.rich() for p in criterion) + "<br/>" + "".join(p.rich() for p in said),
                                 s[style]))
    return out  # kept together by keepWithNext, up to the last criterion


def table(ctx: Context, sr: SlotRanking) -> LongTable:
    """Every ranked proposal in rank order: a row naming it, then a row per criterion."""
    s = ctx.s
    titles = [_("Rank"), "", _("Score"), _("Scale"), _("Members"), _("Comment")]
    widths = [head_width(t, w) for t, w in zip(titles, (10 * mm, 7 * mm, 11 * mm, 11 * mm, 16 * mm))]
    widths.append(ctx.width - sum(widths))
    rows = [plain_heads(titles, widths)]
    small = s["small"]
    style = table_style(size=small.fontSize, leading=small.leading, padding=1.5) + [
        ("ALIGN", (0, 0), (0, -1), "RIGHT"), ("ALIGN", (2, 0), (4, -1), "RIGHT")]
    for r in ctx.records(sr):
        pid, n = r["proposal"], len(rows)
        reviews = ngettext("{count} review", "{count} reviews", int(r["reviews"]),
                           count=words.number(int(r["reviews"]), 0))
        more = _(", {country}", country=ctx.country(pid)) if ctx.country(pid) else ""
        more += " " + _("— total {total}, {reviews}, {standing}", total=figure(r["total"], 1), reviews=reviews,
                        standing=_standing(r))
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
                members += "\n" + _("mean {mean}", mean=figure(sum(g[0] for g in mine) / len(mine), 2))
            if _below(ctx, c, score):
                comment = _("Score below the threshold of {threshold}. {comment}", threshold=fmt(c["threshold"]),
                            comment=comment)
            rows.append(["", label(i), figure(score, 2) + ("*" if agreed is not None else ""),
                         scale_points(score, ctx.lo, ctx.hi), members,
                         cell(comment, small, widths[-1], limit=COMMENT_LIMIT)])
    style += [("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT), ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL)]
    return ctx.table(rows, widths, style, kind=LongTable)


def _legend(ctx: Context, sr: SlotRanking) -> str:
    text = _("Scale: the points of the criterion's anchored scale the score lies on or between. Members: the "
             "lowest and highest of the members' valid scores.")
    if any((p, c["id"]) in ctx.consensus for p in sr.table["proposal"] for c in ctx.crits):
        text = _("{sentence} {more}", sentence=text, more=_(
            "* consensus score agreed by the advisory group; the mean of the members' scores is shown beside it."))
    return text


def applied(ctx: Context, sr: SlotRanking) -> list:
    """The shortlist in words, then every ranked proposal in the table."""
    short = [r for r in ctx.records(sr) if r["shortlisted"]]
    out = [ctx.p([part(_("How the criteria were applied"), bold=True)], "h3"),
           ctx.p(_("For each shortlisted entity: each criterion's score and what it means on that criterion's "
                   "anchored scale, the spread of the members' valid scores, and the panel's comment (the consensus "
                   "note, or the first sentence of each member's reason, without names). The table after it gives "
                   "the same for every ranked proposal, in rank order, with one comment per criterion: the "
                   "consensus note, or the first sentence of the reason given with the median score; its scale "
                   "points are the points of the anchored scale the score lies on or between (the Method says what "
                   "each point means). The members' reasons in full for the shortlisted entities are in Annex "
                   "{annex}.", annex=annexes.REASONS_ANNEX), "note")]
    for r in short:
        out += detail(ctx, r)
    out += [ctx.p([part(_("Every ranked proposal ({count})", count=words.number(len(sr.table), 0)), bold=True)], "h3"),
            table(ctx, sr), ctx.p(_legend(ctx, sr), "note")]
    return out
