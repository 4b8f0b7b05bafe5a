"""The first assessment report: the shortlist per slot and how the criteria were applied.

Step 4 of the procedure: the secretariat lists the top three entities per
mechanism and explains how the selection criteria were applied, for the
Bureau's advice. Every figure comes from ``criteria.ranking`` through
``queries.ranking_inputs``, so the PDF says exactly what ``rank --json`` says;
every user string goes through ``fonts.rich`` so any name in any script
draws, and none can break the layout.
"""

from __future__ import annotations

import datetime as dt
import io
import string
from decimal import ROUND_HALF_UP, Decimal

import sqlite_utils
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from criteria.ranking import SHORTLIST_RANK, SlotRanking
from reports import fonts
from selection import queries
from selection.models import fmt

INK = colors.HexColor("#1F2933")
MUTED = colors.HexColor("#52606D")
ACCENT = colors.HexColor("#2F4B6E")
RULE = colors.HexColor("#BCCCDC")
HEAD_FILL = colors.HexColor("#E4EBF2")
SHORT_FILL = colors.HexColor("#EDF3EA")

NAME_LIMIT = 300  # characters of a user string shown in a cell
MARGIN = 18 * mm

REASONS = {
    "withdrawn": "withdrawn by the applicant",
    "ineligible": "found ineligible at screening",
}
DATE_LABELS = {
    "notified_on": "Call notified",
    "inquiry_deadline": "Inquiry deadline",
    "submission_deadline": "Submission deadline",
    "advisory_meeting_on": "Advisory group meeting",
    "decided_on": "Decision",
}


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=fonts.SANS, fontSize=9.5, leading=13, textColor=INK, spaceAfter=4)
    return {
        "body": base,
        "title": ParagraphStyle("title", base, fontName=fonts.SANS_BOLD, fontSize=17, leading=21, textColor=ACCENT, spaceAfter=6),
        "subtitle": ParagraphStyle("subtitle", base, fontSize=11, leading=15, spaceAfter=8),
        "meta": ParagraphStyle("meta", base, fontSize=8.5, leading=11, textColor=MUTED, spaceAfter=1),
        "h2": ParagraphStyle("h2", base, fontName=fonts.SANS_BOLD, fontSize=12.5, leading=16, textColor=ACCENT, spaceBefore=12, spaceAfter=5, keepWithNext=1),
        "slotmeta": ParagraphStyle("slotmeta", base, fontSize=8.5, leading=11, textColor=MUTED, spaceAfter=5, keepWithNext=1),
        "h3": ParagraphStyle("h3", base, fontName=fonts.SANS_BOLD, fontSize=10, leading=13, spaceBefore=6, spaceAfter=3, keepWithNext=1),
        "cell": ParagraphStyle("cell", base, fontSize=8, leading=10, spaceAfter=0),
        "num": ParagraphStyle("num", base, fontSize=8, leading=10, spaceAfter=0, alignment=TA_RIGHT),
        "head": ParagraphStyle("head", base, fontName=fonts.SANS_BOLD, fontSize=7.5, leading=9.5, spaceAfter=0, textColor=ACCENT),
        "head_num": ParagraphStyle("head_num", base, fontName=fonts.SANS_BOLD, fontSize=7.5, leading=9.5, spaceAfter=0, textColor=ACCENT, alignment=TA_RIGHT),
        "note": ParagraphStyle("note", base, fontSize=7.5, leading=10, textColor=MUTED, spaceAfter=2),
        "item": ParagraphStyle("item", base, leftIndent=12, spaceAfter=2),
        "header": ParagraphStyle("header", base, fontSize=7.5, leading=9, textColor=MUTED, spaceAfter=0),
    }


class _NumberedCanvas(pdfcanvas.Canvas):
    """A canvas that knows the page count at the end, for "Page 2 of 5"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self):
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            width = self._pagesize[0]
            self.setFont(fonts.SANS, 7.5)
            self.setFillColor(MUTED)
            self.drawRightString(width - MARGIN, 10 * mm, f"Page {self._pageNumber} of {total}")
            super().showPage()
        super().save()


def _label(i: int) -> str:
    """(a), (b), ... as in the call's list of criteria."""
    return f"({string.ascii_lowercase[i]})" if i < 26 else f"({i + 1})"


def _entity(entity: dict | None, style: ParagraphStyle | None = None, width: float | None = None, *, bold: bool = False) -> str:
    """Entity name (+ acronym) as markup; the acronym is its own run, so an
    Arabic name keeps its order and the acronym follows it. With the style
    and the width the name gets, right-to-left names wrap top-down."""
    if not entity:
        return fonts.rich("(unknown entity)")
    size = style.fontSize if style else None
    out = fonts.rich(entity.get("name"), bold=bold, limit=NAME_LIMIT, width=width, size=size)
    if entity.get("acronym"):
        out += fonts.rich(" (", bold) + fonts.rich(entity["acronym"], bold=bold, limit=40) + fonts.rich(")", bold)
    return out


def _heads(left, right, s) -> list[Paragraph]:
    """Header cells: text columns aligned left, number columns right, like their figures."""
    return [Paragraph(fonts.rich(h, bold=True), s["head"]) for h in left] + [
        Paragraph(fonts.rich(h, bold=True), s["head_num"]) for h in right
    ]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _num(x: float, places: int) -> str:
    """Rounded half up, as a reader rounds (3.125 -> 3.13, where format() gives 3.12)."""
    return str(Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def _pct(weight: float, total: float) -> str:
    return f"{fmt(round(100 * weight / total, 1))}%"


def _table_style(header_rows: int = 1) -> list:
    return [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEAD_FILL),
        ("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), 0.8, ACCENT),
        ("LINEBELOW", (0, header_rows), (-1, -1), 0.25, RULE),
        ("LINEABOVE", (0, 0), (-1, 0), 0.8, ACCENT),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]


def _title_block(call: dict, generated_on: dt.date, s) -> list:
    out = [
        Paragraph(fonts.rich("First assessment report", bold=True), s["title"]),
        Paragraph(fonts.rich(call["title"], limit=500), s["subtitle"]),
        Paragraph(fonts.rich("Call reference: ") + fonts.rich(call["reference"], bold=True, limit=200), s["meta"]),
        Paragraph(fonts.rich(f"Generated on {generated_on.isoformat()} by the Secretariat for the advice of the Bureau"), s["meta"]),
    ]
    dates = [f"{label}: {call[key]}" for key, label in DATE_LABELS.items() if call.get(key)]
    if dates:
        out.append(Paragraph(fonts.rich(" · ".join(dates)), s["meta"]))
    return out


def _method(call: dict, crits: list[dict], s, width: float) -> list:
    total_w = sum(c["weight"] for c in crits)
    rows = [_heads(("", "Criterion"), ("Weight", "Threshold", "Priority"), s)]
    for i, c in enumerate(crits):
        rows.append([
            Paragraph(fonts.rich(_label(i)), s["cell"]),
            Paragraph(fonts.rich(c["name"], limit=NAME_LIMIT), s["cell"]),
            Paragraph(fonts.rich(_pct(c["weight"], total_w)), s["num"]),
            Paragraph(fonts.rich("—" if c["threshold"] is None else fmt(c["threshold"])), s["num"]),
            Paragraph(fonts.rich(str(c["priority"])), s["num"]),
        ])
    table = Table(rows, colWidths=[10 * mm, width - 61 * mm, 17 * mm, 17 * mm, 17 * mm], repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle(_table_style()))

    lo, hi, step = fmt(call["scale_min"]), fmt(call["scale_max"]), fmt(call["scale_step"])
    by_priority = ", ".join(_label(i) for i, _ in sorted(enumerate(crits), key=lambda ic: ic[1]["priority"]))
    has_threshold = any(c["threshold"] is not None for c in crits)
    if has_threshold or call["overall_threshold"] is not None:
        parts = []
        if has_threshold:
            parts.append("each criterion score reaches the threshold shown above (on the score scale)")
        if call["overall_threshold"] is not None:
            parts.append(f"its total reaches {fmt(call['overall_threshold'])}")
        passing = "A proposal passes when " + " and ".join(parts) + "."
    else:
        passing = "No threshold is set: every ranked proposal passes."
    text = [
        f"Members of the informal advisory group scored each proposal on each criterion on a scale from {lo} to "
        f"{hi} in steps of {step}, independently and with written reasons. Weights are shown as a share of their sum.",
        "A review counts only when its member declared no conflict of interest on the proposal and scored every "
        "criterion. Reviews from members with a declared conflict, and partial reviews, are left out of every "
        "figure; they are listed under each slot. A criterion score is the mean of the valid reviews, unless the "
        "advisory group agreed a consensus score at its meeting: then the consensus score is used (marked *).",
        f"A proposal is ranked when it has at least {_plural(call['min_reviews'], 'valid review')}, or a consensus score on "
        "every criterion. Withdrawn and ineligible proposals are not ranked.",
        f"The total is the weighted mean of the criterion scores rescaled to 0–100: "
        f"100 × Σ weight × (score − {lo}) / ({hi} − {lo}) ÷ Σ weight. " + passing,
        f"Proposals are ordered by total, then by criterion score in priority order: {by_priority}. Proposals "
        "still equal are tied: they share a rank (1, 2, 2, 4) and are marked as such. The shortlist of a slot "
        f"is every passing proposal ranked {SHORTLIST_RANK} or better, so a tie across third place shortlists "
        "more than three; the advisory group, not the program, breaks such a tie.",
    ]
    return [Paragraph(fonts.rich("Method", bold=True), s["h2"]), table, Spacer(1, 5)] + [
        Paragraph(fonts.rich(t), s["body"]) for t in text
    ]


def _summary(slots: list[dict], ranking, entities: dict, s, width: float) -> list:
    rows = [[*_heads(["Slot"], ("Ranked", "Not ranked"), s), Paragraph(fonts.rich("Shortlist, in order", True), s["head"])]]
    names_w = width * 0.64 - 36 * mm
    for slot in slots:
        sr = ranking.slot(slot["id"])
        names = "<br/>".join(
            f'{r["rank"]}. ' + _entity(entities.get(r["proposal"]), s["cell"], names_w - 20)
            for r in sr.table[sr.table["shortlisted"]].to_dict("records")
        ) or fonts.rich("none")
        rows.append([
            Paragraph(fonts.rich(slot["name"], limit=NAME_LIMIT), s["cell"]),
            Paragraph(str(len(sr.table)), s["num"]),
            Paragraph(str(len(sr.unranked)), s["num"]),
            Paragraph(names, s["cell"]),
        ])
    table = Table(rows, colWidths=[width * 0.36, 16 * mm, 20 * mm, names_w], repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle(_table_style()))
    return [Paragraph(fonts.rich("Summary", bold=True), s["h2"]), table]


def _ranking_table(sr: SlotRanking, crits: list[dict], entities: dict, consensus: set, s, width: float) -> Table:
    ids = [c["id"] for c in crits]
    fixed = {"rank": 10 * mm, "country": 15 * mm, "total": 13 * mm, "reviews": 14 * mm, "passes": 14 * mm, "tie": 10 * mm}
    crit_w = min(14 * mm, max(9 * mm, (width - sum(fixed.values()) - 40 * mm) / max(len(ids), 1)))
    name_w = width - sum(fixed.values()) - crit_w * len(ids)
    heads = _heads([], ["Rank"], s) + _heads(["Entity", "Country"], ["Total", *(_label(i) for i in range(len(ids))), "Valid reviews"], s)
    rows = [heads + _heads(["Passes", "Tie"], [], s)]
    style = _table_style()
    for n, r in enumerate(sr.table.to_dict("records"), start=1):
        scores = []
        for c in ids:
            mark = "*" if (r["proposal"], c) in consensus else ""
            scores.append(Paragraph(f"{_num(r[c], 2)}{mark}", s["num"]))
        entity = entities.get(r["proposal"])
        rows.append([
            Paragraph(str(int(r["rank"])), s["num"]),
            Paragraph(_entity(entity, s["cell"], name_w - 6, bold=bool(r["shortlisted"])), s["cell"]),
            Paragraph(fonts.rich((entity or {}).get("country") or "—", limit=20), s["cell"]),
            Paragraph(_num(r["total"], 1), s["num"]),
            *scores,
            Paragraph(str(int(r["reviews"])), s["num"]),
            Paragraph("yes" if r["passes"] else "no", s["cell"]),
            Paragraph("tied" if r["tie"] else "", s["cell"]),
        ])
        if r["shortlisted"]:
            style.append(("BACKGROUND", (0, n), (-1, n), SHORT_FILL))
    widths = [fixed["rank"], name_w, fixed["country"], fixed["total"], *([crit_w] * len(ids)), fixed["reviews"], fixed["passes"], fixed["tie"]]
    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle(style))
    return table


def _misses(r: dict, crits: list[dict], call: dict) -> list[str]:
    """Why a ranked proposal does not pass, criterion by criterion."""
    out = [
        f"{_label(i)} {_num(r[c['id']], 2)} below threshold {fmt(c['threshold'])}"
        for i, c in enumerate(crits)
        if c["threshold"] is not None and round(r[c["id"]], 6) < round(c["threshold"], 6)
    ]
    if call["overall_threshold"] is not None and round(r["total"], 6) < round(call["overall_threshold"], 6):
        out.append(f"total {_num(r['total'], 1)} below {fmt(call['overall_threshold'])}")
    return out


def _slot_section(slot: dict, sr: SlotRanking, ctx: dict, s, width: float) -> list:
    crits, entities, call = ctx["criteria"], ctx["entities"], ctx["call"]
    item_w = width - s["item"].leftIndent - 24  # room for "1. " before a name
    out = [Paragraph(fonts.rich(slot["name"], bold=True, limit=NAME_LIMIT), s["h2"])]
    where = " · ".join(x for x in (slot.get("level"), slot.get("region")) if x)
    out.append(Paragraph(fonts.rich(f"{where} · {_plural(len(sr.table) + len(sr.unranked), 'proposal')}", limit=400), s["slotmeta"]))

    if len(sr.table):
        out.append(_ranking_table(sr, crits, entities, ctx["consensus"], s, width))
        legend = "Total on 0–100, criterion scores on the score scale. Shaded rows: shortlisted."
        if any((p, c["id"]) in ctx["consensus"] for p in sr.table["proposal"] for c in crits):
            legend += " * consensus score agreed by the advisory group."
        out.append(Spacer(1, 2))
        out.append(Paragraph(fonts.rich(legend), s["note"]))
    else:
        out.append(Paragraph(fonts.rich("No proposal could be ranked for this slot."), s["body"]))

    block = [Paragraph(fonts.rich("Shortlist", bold=True), s["h3"])]  # kept on one page
    short = sr.table[sr.table["shortlisted"]].to_dict("records")
    if not short:
        block.append(Paragraph(fonts.rich(f"No proposal ranked {SHORTLIST_RANK} or better passes: the shortlist is empty."), s["body"]))
    for r in short:
        entity = entities.get(r["proposal"]) or {}
        line = f"{int(r['rank'])}. " + _entity(entity, s["item"], item_w, bold=True)
        if entity.get("country"):
            line += fonts.rich(", ") + fonts.rich(entity["country"], limit=20)
        line += fonts.rich(f" — total {_num(r['total'], 1)}" + (" (tied)" if r["tie"] else ""))
        block.append(Paragraph(line, s["item"]))
    if 0 < len(short) < SHORTLIST_RANK:
        block.append(Paragraph(fonts.rich(
            f"Only {_plural(len(short), 'proposal')} ranked {SHORTLIST_RANK} or better "
            f"{'passes' if len(short) == 1 else 'pass'} every threshold, "
            f"so the shortlist has fewer than {SHORTLIST_RANK} entries."), s["body"]))
    if sr.tie_across_cutoff():
        block.append(Paragraph(fonts.rich(
            f"There is a tie across third place: the proposals tied at rank {int(short[-1]['rank'])} are all "
            f"shortlisted, so the shortlist has {len(short)} entries instead of {SHORTLIST_RANK}. "
            "The advisory group, not the program, breaks this tie."), s["body"]))
    out.append(KeepTogether(block))

    failing = [r for r in sr.table.to_dict("records") if not r["passes"]]
    if failing:
        out.append(Paragraph(fonts.rich("Ranked but not passing", bold=True), s["h3"]))
        for r in failing:
            why = "; ".join(_misses(r, crits, call)) or "below a threshold"
            out.append(Paragraph(_entity(entities.get(r["proposal"]), s["item"], item_w) + fonts.rich(f": {why}."), s["item"]))

    if sr.unranked:
        out.append(Paragraph(fonts.rich("Not ranked", bold=True), s["h3"]))
        for u in sr.unranked:
            reason = REASONS.get(u["reason"]) or (
                f"fewer than {call['min_reviews']} valid reviews and no consensus score on every criterion"
                if u["reason"] == "insufficient_reviews" else str(u["reason"])
            )
            out.append(Paragraph(_entity(entities.get(u["proposal"]), s["item"], item_w) + fonts.rich(f": {reason}."), s["item"]))

    members = set(sr.table["proposal"]) | {u["proposal"] for u in sr.unranked}
    left = ctx["excluded"]
    left = left[left["proposal"].isin(members)].to_dict("records") if len(left) else []
    if left:
        parts = []
        for x in left:
            who = fonts.rich(ctx["reviewers"].get(x["reviewer"], x["reviewer"]), limit=200)
            what = (
                "conflict of interest declared"
                if x["reason"] == "conflict"
                else f"partial review, {int(x['scores'])} of {len(crits)} criteria scored"
            )
            parts.append(who + fonts.rich(" on ") + _entity(entities.get(x["proposal"])) + fonts.rich(f" ({what})"))
        out.append(Spacer(1, 3))
        out.append(Paragraph(
            fonts.rich("Reviews left out of every figure: ") + fonts.rich("; ").join(parts) + fonts.rich("."), s["note"]
        ))
    return out


def build(db: sqlite_utils.Database, reference: str | None = None, *, generated_on: dt.date | None = None) -> bytes:
    """The first assessment report of a call, as PDF bytes (A4)."""
    fonts.register()
    call = queries.resolve_call(db, reference)
    cid = call["id"]
    ranking = queries.ranking_inputs(db, call["reference"]).rank()
    crits = list(db.query("SELECT * FROM criteria WHERE call_id = ? ORDER BY position", [cid]))
    slots = list(db.query("SELECT * FROM slots WHERE call_id = ? ORDER BY position", [cid]))
    ctx = {
        "call": call,
        "criteria": crits,
        "entities": queries.proposal_entities(db, cid),
        "reviewers": {r["id"]: r["name"] for r in db.query("SELECT id, name FROM reviewers WHERE call_id = ?", [cid])},
        "consensus": {tuple(r) for r in db.execute("SELECT proposal_id, criterion_id FROM consensus WHERE call_id = ?", [cid])},
        "excluded": ranking.excluded,
    }
    generated_on = generated_on or dt.datetime.now(dt.UTC).date()
    pagesize = landscape(A4) if len(crits) > 6 else A4  # room for a column per criterion
    width = pagesize[0] - 2 * MARGIN
    s = _styles()

    story = _title_block(call, generated_on, s)
    story += _summary(slots, ranking, ctx["entities"], s, width)
    story += _method(call, crits, s, width)
    for slot in slots:
        story += _slot_section(slot, ranking.slot(slot["id"]), ctx, s, width)

    header = fonts.rich(call["reference"], limit=120) + fonts.rich(" · First assessment report")

    def decorate(canvas, doc):
        canvas.saveState()
        p = Paragraph(header, s["header"])
        _, h = p.wrap(width, 12 * mm)
        p.drawOn(canvas, MARGIN, pagesize[1] - 11 * mm - h)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, pagesize[1] - 12.5 * mm - h, pagesize[0] - MARGIN, pagesize[1] - 12.5 * mm - h)
        canvas.setFont(fonts.SANS, 7.5)
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGIN, 10 * mm, f"Generated {generated_on.isoformat()} · host-selection")
        canvas.restoreState()

    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=pagesize,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + 4 * mm,
        bottomMargin=MARGIN,
        title=fonts.clean(f"First assessment report — {call['reference']}: {call['title']}", limit=1000),
        author="Secretariat",
        subject=fonts.clean(f"Shortlist per slot and how the selection criteria were applied ({call['reference']})", limit=1000),
        creator="host-selection",
    )
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate, canvasmaker=_NumberedCanvas)
    return buf.getvalue()
