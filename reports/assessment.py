"""The assessment report: the shortlist per slot and how the selection criteria were applied.

Step 4 of the procedure: the secretariat lists the top three entities per
mechanism and explains how the selection criteria were applied, for the
Bureau's advice. The report holds:

* a cover (reference, title, date, who prepared it) and a table of contents;
* a summary: proposals received, eligible, ineligible, withdrawn, scored, and
  per slot the shortlist in order, a tie across third place said in words;
* the method: each criterion with its definition, weight, anchored scale and
  threshold; the minimum of reviews; how conflicts, partial reviews and
  consensus scores count; the tie-break rule; how robustness is measured;
* per slot: the ranking table, a chart of the shortlisted entities' criterion
  scores, for each shortlisted entity how each criterion was applied (score,
  members' spread, the reasons or the consensus note), and the robustness of
  the shortlist to the weights, in one plain sentence and a table;
* annexes: every proposal received with its status and reason, the conflicts
  declared, the procedure's timeline with its dates.

Every figure comes from ``criteria.ranking`` (the same as ``rank --json``) and
``selection.analysis`` (the same as ``analyse --json``). Members' reasons are
quoted without their names; members are named only where a review was left
out or a conflict declared, and as "Member A, B, ..." when the call asks for
anonymous conflict declarations.
"""

from __future__ import annotations

import datetime as dt
import io
import math

import pandas as pd
import sqlite_utils
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents, drawPageNumbers

from criteria import robustness
from criteria.ranking import NOT_RANKED_STATUSES, SHORTLIST_RANK, SlotRanking
from criteria.sets import anchor_for
from reports import charts, fonts
from reports import data as reportdata
from reports.layout import (
    ACCENT,
    MARGIN,
    MUTED,
    NAME_LIMIT,
    RULE,
    SHORT_FILL,
    TEXT_LIMIT,
    CoverNumberedCanvas,
    entity,
    entity_text,
    heads,
    label,
    num,
    pct,
    plural,
    rich,
    styles,
    table_style,
)
from selection import clock, queries
from selection.models import fmt

REPORT_TITLE = "Assessment report"
REPORT_DRAWS = robustness.DRAWS  # weight draws per slot for the robustness of the shortlist

REASONS = {
    "withdrawn": "withdrawn by the applicant",
    "ineligible": "found ineligible at screening",
}
STATUS_WORDS = {
    "submitted": "submitted, not yet screened",
    "eligible": "eligible",
    "ineligible": "ineligible",
    "withdrawn": "withdrawn",
}
DATE_LABELS = dict(queries.STEPS)


class _Heading(Paragraph):
    """A heading that puts itself in the table of contents and the PDF outline."""

    def __init__(self, markup: str, style, *, level: int, key: str, outline: str):
        super().__init__(markup, style)
        self.toc = (level, markup, key, outline)


class _Doc(BaseDocTemplate):
    def afterFlowable(self, flowable):
        toc = getattr(flowable, "toc", None)
        if toc is None:
            return
        level, _, key, outline = toc
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(outline, key, level=level, closed=level > 0)
        self.canv.toc_pages[key] = self.page


class _Contents(TableOfContents):
    """A table of contents laid out in one pass: its entries are known before the layout (the
    story is built first), and their page numbers are drawn when the document is saved, once
    every heading has found its page. reportlab's multiBuild lays the whole report out twice
    for the same result."""

    def __init__(self, entries: list[tuple[int, str, str]], **kwargs):
        super().__init__(**kwargs)
        self._lastEntries = [(level, markup, 0, key) for level, markup, key in entries]

    def wrap(self, availWidth, availHeight):
        def mark(canvas, kind, label):
            level, key = label.split(",", 1)
            canvas.toc_marks.append((canvas.getPageNumber(), tuple(canvas._currentMatrix),
                                     dict(canvas._curr_tx_info), self.getLevelStyle(int(level)), key, availWidth,
                                     availHeight))

        self.canv.setNamedCB("tocMark", mark)
        rows = [[Paragraph(f'<a href="#{key}">{text}</a><onDraw name="tocMark" label="{level},{key}"/>',
                           self.getLevelStyle(level))]
                for level, text, _, key in self._lastEntries] or [[Paragraph("", self.getLevelStyle(0))]]
        self._table = Table(rows, colWidths=(availWidth,), style=self.tableStyle)
        self.width, self.height = self._table.wrapOn(self.canv, availWidth, availHeight)
        return self.width, self.height


class _Canvas(CoverNumberedCanvas):
    """Numbered pages, and the contents' page numbers drawn last."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.toc_pages: dict[str, int] = {}  # heading key -> page (one dict shared by every page's state)
        self.toc_marks: list[tuple] = []  # where each contents entry ends

    def late(self) -> None:
        for page, matrix, info, style, key, width, height in self.toc_marks:
            if page != self._pageNumber or key not in self.toc_pages:
                continue
            self.saveState()
            self.transform(*matrix)
            self._curr_tx_info = info
            drawPageNumbers(self, style, [(self.toc_pages[key], key)], width, height, " . ")
            self.restoreState()


class _Report:
    """The story of one report; one method per part."""

    def __init__(self, db: sqlite_utils.Database, d: reportdata.CallData, generated_on: dt.date):
        self.db, self.d, self.on = db, d, generated_on
        self.call = d.call
        self.crits = d.criteria
        self.s = styles()
        self.pagesize = landscape(A4) if len(self.crits) > 6 else A4  # room for a column per criterion
        self.width = self.pagesize[0] - 2 * MARGIN
        self.consensus = reportdata.consensus_notes(db, self.call["id"])
        self.sections = self.keys = 0
        self._reasons: pd.DataFrame | None = None
        self.lo, self.hi = float(self.call["scale_min"]), float(self.call["scale_max"])

    # ------------------------------------------------------------------ helpers

    def heading(self, text: str, *, numbered: bool = True, level: int = 0, style: str = "h1") -> _Heading:
        if numbered:
            self.sections += 1
            text = f"{self.sections}. {text}"
        self.keys += 1
        key = f"h{self.keys}"
        markup = rich(text, bold=True, limit=NAME_LIMIT)
        self.toc_entries.append((level, rich(text, limit=160), key))
        return _Heading(markup, self.s[style], level=level, key=key, outline=fonts.clean(text, 120))

    def p(self, text: str, style: str = "body") -> Paragraph:
        return Paragraph(rich(text), self.s[style])

    def who(self, proposal: str) -> dict | None:
        return self.d.entities.get(proposal)

    # ------------------------------------------------------------------ cover and contents

    def cover(self) -> list:
        s, call = self.s, self.call
        dates = [f"{DATE_LABELS.get(key, key)}: {call[key]}" for key in DATE_LABELS if call.get(key)]
        out = [
            Spacer(1, 55 * mm),
            Paragraph(rich(REPORT_TITLE, bold=True), s["cover_title"]),
            Paragraph(rich(call["title"], limit=500), s["cover_sub"]),
            Paragraph(rich("Call reference: ") + rich(call["reference"], bold=True, limit=200), s["cover_meta"]),
            Paragraph(rich(f"Date: {self.on.isoformat()}"), s["cover_meta"]),
            Paragraph(rich("Prepared by: ") + rich(reportdata.secretariat(call), bold=True, limit=300),
                      s["cover_meta"]),
            Spacer(1, 10 * mm),
            Paragraph(rich("For the advice of the Bureau: the top three shortlisted entities per mechanism and "
                           "how the selection criteria were applied by the informal advisory group."), s["body"]),
        ]
        if dates:
            out.append(Spacer(1, 4 * mm))
            out += [Paragraph(rich(t), s["meta"]) for t in dates]
        if self.d.record is not None:
            out += [Spacer(1, 4 * mm), Paragraph(rich(
                f"Decision record frozen on {self.d.record['created_at'][:10]}, SHA-256 {self.d.record['sha256']} "
                "(python -m selection verify recomputes it)."), s["meta"])]
        return out

    # ------------------------------------------------------------------ summary

    def summary(self) -> list:
        s, d = self.s, self.d
        statuses = d.inputs.proposals["status"].value_counts().to_dict()
        received = len(d.inputs.proposals)
        judged = set(d.inputs.proposals.loc[~d.inputs.proposals["status"].isin(NOT_RANKED_STATUSES), "proposal"])
        valid = d.scores.valid
        scored = judged & (set(valid["proposal"]) | set(d.inputs.consensus["proposal"]))
        parts = [f"{statuses.get('eligible', 0):,} eligible", f"{statuses.get('ineligible', 0):,} ineligible",
                 f"{statuses.get('withdrawn', 0):,} withdrawn"]
        if statuses.get("submitted"):
            parts.append(f"{statuses['submitted']:,} not yet screened")
        out = [self.heading("Summary"), self.p(
            f"{plural(received, 'proposal')} received: {', '.join(parts)}. "
            f"{plural(len(scored), 'proposal')} scored by the advisory group "
            f"(at least one valid review or a consensus score). "
            f"{plural(len(d.slots), 'slot')} to fill; for each, the shortlist is the top {SHORTLIST_RANK} passing "
            f"proposals, in order. "
            + (f"{plural(d.revised_scores, 'score')} changed after the member had submitted the review, each with "
               "its reason and old value in the audit trail." if d.revised_scores else
               "No score was changed after its review was submitted.")
        )]

        rows = [[*heads(["Slot"], ("Ranked", "Not ranked"), s), Paragraph(rich("Shortlist, in order", True), s["head"])]]
        names_w = self.width * 0.64 - 36 * mm
        ties = []
        for slot in d.slots:
            sr = d.ranking.slot(slot["id"])
            short = sr.table[sr.table["shortlisted"]].to_dict("records")
            names = "<br/>".join(
                f'{int(r["rank"])}. ' + entity(self.who(r["proposal"]), s["cell"], names_w - 20) for r in short
            ) or rich("none")
            rows.append([
                Paragraph(rich(slot["name"], limit=NAME_LIMIT), s["cell"]),
                f"{len(sr.table):,}",
                f"{len(sr.unranked):,}",
                Paragraph(names, s["cell"]),
            ])
            if sr.tie_across_cutoff():
                ties.append((slot, short))
        table = Table(rows, colWidths=[self.width * 0.36, 16 * mm, 20 * mm, names_w], repeatRows=1, hAlign="LEFT")
        table.setStyle(TableStyle(table_style() + [("ALIGN", (1, 1), (2, -1), "RIGHT")]))
        out.append(table)
        for slot, short in ties:
            rank = int(short[-1]["rank"])
            tied = [r for r in short if int(r["rank"]) == rank]
            names = rich(", ").join(entity(self.who(r["proposal"]), inline=True) for r in tied[:-1])
            names += rich(" and ") + entity(self.who(tied[-1]["proposal"]), inline=True)
            out.append(Spacer(1, 3))
            out.append(Paragraph(
                rich("Tie across third place in ") + rich(slot["name"], bold=True, limit=NAME_LIMIT) + rich(": ")
                + names + rich(f" share rank {rank}, so {len(short)} proposals are shortlisted instead of "
                               f"{SHORTLIST_RANK}. The advisory group, not the program, breaks this tie."),
                s["body"]))
        return out

    # ------------------------------------------------------------------ method

    def method(self) -> list:
        s, call, crits = self.s, self.call, self.crits
        out = [self.heading("Method")]
        total_w = sum(c["weight"] for c in crits)
        rows = [heads(("", "Criterion"), ("Weight", "Threshold", "Priority"), s)]
        for i, c in enumerate(crits):
            rows.append([
                label(i),
                Paragraph(rich(c["name"], limit=NAME_LIMIT), s["cell"]),
                pct(c["weight"] / total_w),
                "—" if c["threshold"] is None else fmt(c["threshold"]),
                str(c["priority"]),
            ])
        table = Table(rows, colWidths=[10 * mm, self.width - 61 * mm, 17 * mm, 17 * mm, 17 * mm], repeatRows=1,
                      hAlign="LEFT")
        table.setStyle(TableStyle(table_style() + [("ALIGN", (2, 1), (-1, -1), "RIGHT")]))
        out += [table, Spacer(1, 5)]

        lo, hi, step = fmt(self.lo), fmt(self.hi), fmt(call["scale_step"])
        out.append(self.p(
            f"Members of the informal advisory group scored each proposal on each criterion on a scale from {lo} to "
            f"{hi} in steps of {step}, independently and with written reasons. Weights are shown as a share of their "
            "sum. Each criterion, its definition and what each point of the scale means:"))
        points = [(k, self.lo + k * (self.hi - self.lo) / 5) for k in range(6)]
        generic = all(c["anchors"] == reportdata.anchors_of({}) for c in crits)
        for i, c in enumerate(crits):
            head = rich(f"{label(i)} ", bold=True) + rich(c["name"], bold=True, limit=NAME_LIMIT)
            head += rich(f" — weight {pct(c['weight'] / total_w)}, "
                         + ("no threshold" if c["threshold"] is None else f"threshold {fmt(c['threshold'])}")
                         + f", priority {c['priority']}.")
            block = [Paragraph(head, s["crit"])]
            if c.get("description"):
                block.append(Paragraph(rich("Definition: ") + rich(c["description"], limit=TEXT_LIMIT), s["quote"]))
            if not generic:
                scale = " · ".join(f"{fmt(round(v, 2))}: {c['anchors'][k]}" for k, v in points)
                block.append(Paragraph(rich("Scale: ") + rich(scale, limit=3000), s["quote"]))
            out.append(KeepTogether(block))
        if generic:
            scale = " · ".join(f"{fmt(round(v, 2))} {reportdata.anchors_of({})[k].lower()}" for k, v in points)
            out.append(Paragraph(rich("Scale, for every criterion: ") + rich(scale), s["quote"]))
        out.append(Spacer(1, 4))

        by_priority = ", ".join(label(i) for i, _ in sorted(enumerate(crits), key=lambda ic: ic[1]["priority"]))
        has_threshold = any(c["threshold"] is not None for c in crits)
        if has_threshold or call["overall_threshold"] is not None:
            parts = []
            if has_threshold:
                parts.append("each criterion score reaches its threshold (on the score scale)")
            if call["overall_threshold"] is not None:
                parts.append(f"its total reaches {fmt(call['overall_threshold'])}")
            passing = "A proposal passes when " + " and ".join(parts) + "."
        else:
            passing = "No threshold is set: every ranked proposal passes."
        method = self.d.analysis.get("robustness_method", {})
        draws = int(method.get("draws", self.d.draws))
        concentration = float(method.get("concentration", robustness.CONCENTRATION))
        sd = 100 * math.sqrt(0.25 * 0.75 / (concentration + 1))  # spread of a 25% share under the draws
        texts = [
            ("A review counts only when its member declared no conflict of interest on the proposal and scored "
             "every criterion. Reviews from members with a declared conflict, and partial reviews, are left out of "
             "every figure; they are listed under each slot, and the conflicts in Annex B. A criterion score is the "
             "mean of the valid reviews, unless the advisory group agreed a consensus score at its meeting: then the "
             "consensus score is used (marked *)."),
            (f"A proposal is ranked when it has at least {plural(call['min_reviews'], 'valid review')}, or a "
             "consensus score on every criterion. Withdrawn and ineligible proposals are not ranked."),
            (f"The total is the weighted mean of the criterion scores rescaled to 0–100: "
             f"100 × Σ weight × (score − {lo}) / ({hi} − {lo}) ÷ Σ weight. " + passing),
            (f"Proposals are ordered by total, then by criterion score in priority order: {by_priority}. Proposals "
             "still equal are tied: they share a rank (1, 2, 2, 4) and are marked as such. The shortlist of a slot "
             f"is every passing proposal ranked {SHORTLIST_RANK} or better, so a tie across third place shortlists "
             "more than three; the advisory group, not the program, breaks such a tie."),
            (f"Robustness: each slot is ranked again under {draws:,} sets of weights drawn at random around the "
             f"call's weights (a Dirichlet distribution with concentration {fmt(concentration)}: a 25% weight "
             f"typically varies between about {25 - sd:.0f}% and {25 + sd:.0f}%), by the same rules. The report "
             "gives the share of these sets in which each proposal stays shortlisted, and the smallest change of a "
             "single weight, the others unchanged, that alters the shortlist. The draws use a fixed seed: the same "
             "call gives the same figures."),
            "Members' written reasons are quoted without their names, as given (shortened where very long).",
        ]
        out += [self.p(t) for t in texts]
        return out

    # ------------------------------------------------------------------ a slot

    def ranking_table(self, sr: SlotRanking) -> Table:
        s, crits = self.s, self.crits
        ids = [c["id"] for c in crits]
        fixed = {"rank": 10 * mm, "country": 15 * mm, "total": 13 * mm, "reviews": 14 * mm, "passes": 13 * mm,
                 "tie": 10 * mm}
        crit_w = min(14 * mm, max(9 * mm, (self.width - sum(fixed.values()) - 40 * mm) / max(len(ids), 1)))
        name_w = self.width - sum(fixed.values()) - crit_w * len(ids)
        head = (heads([], ["Rank"], s)
                + heads(["Entity", "Country"], ["Total", *(label(i) for i in range(len(ids))), "Valid reviews"], s)
                + heads(["Passes", "Tie"], [], s))
        rows = [head]
        style = table_style() + [("ALIGN", (0, 1), (0, -1), "RIGHT"), ("ALIGN", (3, 1), (3 + len(ids) + 1, -1), "RIGHT")]
        for n, r in enumerate(sr.table.to_dict("records"), start=1):
            e = self.who(r["proposal"])
            rows.append([
                str(int(r["rank"])),
                Paragraph(entity(e, s["cell"], name_w - 6, bold=bool(r["shortlisted"])), s["cell"]),
                Paragraph(rich((e or {}).get("country") or "—", limit=20), s["cell"]),
                num(r["total"], 1),
                *(num(r[c], 2) + ("*" if (r["proposal"], c) in self.consensus else "") for c in ids),
                str(int(r["reviews"])),
                "yes" if r["passes"] else "no",
                "tied" if r["tie"] else "",
            ])
            if r["shortlisted"]:
                style.append(("BACKGROUND", (0, n), (-1, n), SHORT_FILL))
        widths = [fixed["rank"], name_w, fixed["country"], fixed["total"], *([crit_w] * len(ids)), fixed["reviews"],
                  fixed["passes"], fixed["tie"]]
        table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
        table.setStyle(TableStyle(style))
        return table

    def misses(self, r: dict) -> list[str]:
        """Why a ranked proposal does not pass, criterion by criterion."""
        out = [
            f"{label(i)} {num(r[c['id']], 2)} below threshold {fmt(c['threshold'])}"
            for i, c in enumerate(self.crits)
            if c["threshold"] is not None and round(r[c["id"]], 6) < round(c["threshold"], 6)
        ]
        ot = self.call["overall_threshold"]
        if ot is not None and round(r["total"], 6) < round(ot, 6):
            out.append(f"total {num(r['total'], 1)} below {fmt(ot)}")
        return out

    def chart(self, short: list[dict]) -> list:
        if not short:
            return []
        s = self.s
        shown = short[: charts.MAX_SERIES]
        series = [([f"{int(r['rank'])}. ", *entity_text(self.who(r["proposal"]))], [r[c["id"]] for c in self.crits])
                  for r in shown]
        drawing = charts.criterion_bars(
            series, [label(i) for i in range(len(self.crits))], scale=(self.lo, self.hi),
            thresholds=[c["threshold"] for c in self.crits], width=self.width, height=150,
        )
        caption = "Criterion scores of the shortlisted entities (" + "; ".join(
            f"{label(i)} {fonts.clean(c['name'], 160)}" for i, c in enumerate(self.crits)) + ")."
        if len(short) > len(shown):
            caption += f" The first {len(shown)} of {len(short)} shortlisted entities are drawn."
        return [KeepTogether([Paragraph(rich("Criterion scores of the shortlist", bold=True), s["h3"]), drawing,
                              Paragraph(rich(caption, limit=2000), s["note"])])]

    def applied(self, short: list[dict], reasons: pd.DataFrame) -> list:
        """For each shortlisted entity, how each criterion was applied."""
        s, crits = self.s, self.crits
        out = [Paragraph(rich("How the criteria were applied", bold=True), s["h3"]),
               self.p("For each shortlisted entity: the criterion score and what it means on the scale, the spread "
                      "of the members' valid scores, and the reasons behind them (or the consensus note).", "note")]
        for r in short:
            pid = r["proposal"]
            e = self.who(pid) or {}
            head = f"{int(r['rank'])}. " + entity(e, s["h4"], self.width - 30, bold=True)
            if e.get("country"):
                head += rich(", ") + rich(e["country"], bold=True, limit=20)
            head += rich(f" — total {num(r['total'], 1)}, {plural(int(r['reviews']), 'valid review')}", bold=True)
            out.append(Paragraph(head, s["h4"]))
            mine = reasons[reasons["proposal"] == pid]
            for i, c in enumerate(crits):
                given = mine[mine["criterion"] == c["id"]]
                score = float(r[c["id"]])
                line = rich(f"{label(i)} ", bold=True) + rich(c["name"], bold=True, limit=120) + rich(
                    f": {num(score, 2)} — {anchor_for(score, self.lo, self.hi).lower()}")
                if len(given):
                    lo, hi = given["score"].min(), given["score"].max()
                    spread = fmt(lo) if lo == hi else f"{fmt(lo)}–{fmt(hi)}"
                    line += rich(f"; members' scores {spread} ({plural(len(given), 'valid review')})")
                agreed = self.consensus.get((pid, c["id"]))
                if agreed is not None:
                    line += rich("; consensus score", bold=True)
                if c["threshold"] is not None:
                    line += rich(f"; threshold {fmt(c['threshold'])}")
                block = [Paragraph(line, s["crit"])]
                if agreed is not None:
                    mean = f" (the members' mean was {num(given['score'].mean(), 2)})" if len(given) else ""
                    block.append(Paragraph(
                        rich(f"Consensus score {fmt(agreed['score'])} agreed by the advisory group{mean}: ", bold=True)
                        + rich(agreed["note"] or "no note recorded.", limit=TEXT_LIMIT), s["quote"]))
                for g in given.itertuples(index=False):
                    text = g.justification if g.justification and str(g.justification).strip() else "(no reason written)"
                    block.append(Paragraph(rich(f"{fmt(g.score)} — ", bold=True) + rich(text, limit=TEXT_LIMIT),
                                           s["quote"]))
                if len(block) <= 3:
                    out.append(KeepTogether(block))
                else:
                    out += block
        return out

    def robustness(self, slot_id: str, sr: SlotRanking) -> list:
        s = self.s
        doc = self.d.slot_analysis(slot_id).get("robustness") or {}
        rows = doc.get("proposals") or []
        if not rows or not sr.shortlist:
            return []
        draws = int(doc.get("draws", self.d.draws))
        ids = [c["id"] for c in self.crits]
        short = set(sr.shortlist)
        sentence = (f"Under {draws:,} sets of weights drawn around the call's weights, this shortlist came out "
                    f"unchanged in {pct(doc.get('same_shortlist_share', 0))} of them")
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
                    markup += rich("bring in ") + rich(" and ").join(entity(self.who(p), inline=True) for p in came)
                if came and went:
                    markup += rich(" in place of ")
                elif went:
                    markup += rich("drop ")
                markup += rich(" and ").join(entity(self.who(p), inline=True) for p in went)
            markup += rich(".")
        else:
            markup = rich(sentence + "; no change of a single weight, the others unchanged, alters it.")
        out = [Paragraph(rich("Robustness of the shortlist", bold=True), s["h3"]), Paragraph(markup, s["body"])]

        keep = [r for r in rows if r["proposal"] in short or r.get("shortlisted_share", 0) > 0][:12]
        table_rows = [heads(["Entity"], ["Rank", "Shortlisted in", "Ranks reached"], s)]
        for r in keep:
            table_rows.append([
                Paragraph(entity(self.who(r["proposal"]), s["cell"], self.width - 75 * mm,
                                 bold=r["proposal"] in short), s["cell"]),
                str(r["rank"]),
                f"{pct(r['shortlisted_share'])} of draws",
                str(r["rank_min"]) if r["rank_min"] == r["rank_max"] else f"{r['rank_min']}–{r['rank_max']}",
            ])
        table = Table(table_rows, colWidths=[self.width - 72 * mm, 14 * mm, 30 * mm, 28 * mm], repeatRows=1,
                      hAlign="LEFT")
        table.setStyle(TableStyle(table_style() + [("ALIGN", (1, 1), (-1, -1), "RIGHT")]))
        out.append(table)
        return out

    def slot(self, slot: dict, sr: SlotRanking, reasons: pd.DataFrame) -> list:
        s, crits, call = self.s, self.crits, self.call
        item_w = self.width - s["item"].leftIndent - 24  # room for "1. " before a name
        out = [CondPageBreak(60 * mm), self.heading(slot["name"])]
        where = " · ".join(x for x in (slot.get("level"), slot.get("region")) if x)
        out.append(Paragraph(rich(f"{where} · {plural(len(sr.table) + len(sr.unranked), 'proposal')}", limit=400),
                             s["slotmeta"]))

        if len(sr.table):
            out.append(self.ranking_table(sr))
            legend = "Total on 0–100, criterion scores on the score scale. Shaded rows: shortlisted."
            if any((p, c["id"]) in self.consensus for p in sr.table["proposal"] for c in crits):
                legend += " * consensus score agreed by the advisory group."
            out += [Spacer(1, 2), self.p(legend, "note")]
        else:
            out.append(self.p("No proposal could be ranked for this slot."))

        block = [Paragraph(rich("Shortlist", bold=True), s["h3"])]  # kept on one page
        short = sr.table[sr.table["shortlisted"]].to_dict("records")
        if not short:
            block.append(self.p(f"No proposal ranked {SHORTLIST_RANK} or better passes: the shortlist is empty."))
        for r in short:
            e = self.who(r["proposal"]) or {}
            line = f"{int(r['rank'])}. " + entity(e, s["item"], item_w, bold=True)
            if e.get("country"):
                line += rich(", ") + rich(e["country"], limit=20)
            line += rich(f" — total {num(r['total'], 1)}" + (" (tied)" if r["tie"] else ""))
            block.append(Paragraph(line, s["item"]))
        if 0 < len(short) < SHORTLIST_RANK:
            block.append(self.p(
                f"Only {plural(len(short), 'proposal')} ranked {SHORTLIST_RANK} or better "
                f"{'passes' if len(short) == 1 else 'pass'} every threshold, "
                f"so the shortlist has fewer than {SHORTLIST_RANK} entries."))
        if sr.tie_across_cutoff():
            block.append(self.p(
                f"There is a tie across third place: the proposals tied at rank {int(short[-1]['rank'])} are all "
                f"shortlisted, so the shortlist has {len(short)} entries instead of {SHORTLIST_RANK}. "
                "The advisory group, not the program, breaks this tie."))
        out.append(KeepTogether(block))

        out += self.chart(short)
        if short:
            out += self.applied(short, reasons)
        out += self.robustness(slot["id"], sr)

        failing = [r for r in sr.table.to_dict("records") if not r["passes"]]
        if failing:
            out.append(Paragraph(rich("Ranked but not passing", bold=True), s["h3"]))
            for r in failing:
                why = "; ".join(self.misses(r)) or "below a threshold"
                out.append(Paragraph(entity(self.who(r["proposal"]), s["item"], item_w) + rich(f": {why}."),
                                     s["item"]))

        if sr.unranked:
            out.append(Paragraph(rich("Not ranked", bold=True), s["h3"]))
            for u in sr.unranked:
                reason = REASONS.get(u["reason"]) or (
                    f"fewer than {call['min_reviews']} valid reviews and no consensus score on every criterion"
                    if u["reason"] == "insufficient_reviews" else str(u["reason"])
                )
                out.append(Paragraph(entity(self.who(u["proposal"]), s["item"], item_w) + rich(f": {reason}."),
                                     s["item"]))

        members = set(sr.table["proposal"]) | {u["proposal"] for u in sr.unranked}
        left = self.d.scores.excluded
        left = left[left["proposal"].isin(members)].to_dict("records") if len(left) else []
        if left:
            parts = []
            for x in left:
                who = rich(self.d.reviewers.get(x["reviewer"], x["reviewer"]), limit=200)
                what = ("conflict of interest declared" if x["reason"] == "conflict"
                        else f"partial review, {int(x['scores'])} of {len(crits)} criteria scored")
                parts.append(who + rich(" on ") + entity(self.who(x["proposal"]), inline=True) + rich(f" ({what})"))
            out.append(Spacer(1, 3))
            out.append(Paragraph(rich("Reviews left out of every figure: ") + rich("; ").join(parts) + rich("."),
                                 s["note"]))
        return out

    # ------------------------------------------------------------------ annexes

    def annex_proposals(self) -> list:
        s, d = self.s, self.d
        out = [PageBreak(), self.heading("Annex A — Proposals received", numbered=False)]
        out.append(self.p("Every proposal received, in the order received, with its status, the reason given at "
                          "screening or withdrawal, and where it stands in each slot it applied to."))
        outcome: dict[str, list[str]] = {}
        for sr in d.ranking.slots:
            for r in sr.table[["proposal", "rank", "shortlisted", "passes"]].itertuples(index=False):
                what = f"rank {int(r.rank)}" + (", shortlisted" if r.shortlisted else "" if r.passes else ", not passing")
                outcome.setdefault(r.proposal, []).append(f"{sr.slot}: {what}")
            for u in sr.unranked:
                if u["reason"] == "insufficient_reviews":
                    outcome.setdefault(u["proposal"], []).append(f"{sr.slot}: not ranked (too few valid reviews)")
        for sel in queries.selections(self.db, self.call["id"]):
            outcome.setdefault(sel["proposal_id"], []).append(f"{sel['slot_id']}: selected, acceptance {sel['acceptance']}")
        slots_of = d.inputs.applications.groupby("proposal", sort=False)["slot"].apply(list).to_dict()
        reasons = dict(self.db.execute(
            "SELECT id, status_reason FROM proposals WHERE call_id = ? AND status <> 'draft'", [self.call["id"]]
        ).fetchall())
        name_w = self.width - 118 * mm
        rows = [heads(["Entity", "Country", "Slots", "Status", "Reason and outcome"], [], s)]
        for p in d.inputs.proposals.itertuples(index=False):
            e = self.who(p.proposal)
            why = [fonts.clean(reasons.get(p.proposal), 400)] if reasons.get(p.proposal) else []
            if p.status in REASONS and not why:
                why.append(REASONS[p.status])
            why += outcome.get(p.proposal, [])
            rows.append([
                Paragraph(entity(e, s["cell"], name_w - 6), s["cell"]),
                Paragraph(rich((e or {}).get("country") or "—", limit=20), s["cell"]),
                Paragraph(rich(", ".join(map(str, slots_of.get(p.proposal, []))), limit=200), s["cell"]),
                Paragraph(rich(STATUS_WORDS.get(p.status, p.status), limit=40), s["cell"]),
                Paragraph(rich("; ".join(why) or "—", limit=1200), s["cell"]),
            ])
        table = Table(rows, colWidths=[name_w, 14 * mm, 26 * mm, 26 * mm, 52 * mm], repeatRows=1, hAlign="LEFT")
        table.setStyle(TableStyle(table_style()))
        out.append(table)
        return out

    def annex_conflicts(self) -> list:
        s = self.s
        out = [CondPageBreak(50 * mm), self.heading("Annex B — Conflicts of interest declared", numbered=False)]
        rows = list(self.db.query(
            "SELECT DISTINCT c.reviewer_id, c.proposal_id, c.reason FROM conflicts c "
            "LEFT JOIN reviewers r ON r.call_id = c.call_id AND r.id = c.reviewer_id "
            "LEFT JOIN proposals p ON p.call_id = c.call_id AND p.id = c.proposal_id "
            "WHERE c.call_id = ? ORDER BY r.position, p.position, c.id", [self.call["id"]]))
        intro = ("Members declared these conflicts of interest before scoring. A member's scores on a proposal for "
                 "which they declared a conflict are left out of every figure.")
        if self.d.anonymous:
            intro += " As the call asks, members are not named: Member A, B, ... are the same person throughout."
        out.append(self.p(intro))
        if not rows:
            out.append(self.p("No conflict of interest was declared."))
            return out
        name_w = (self.width - 40 * mm) / 2
        table_rows = [heads(["Member", "Proposal (entity)", "Reason given"], [], s)]
        for r in rows:
            table_rows.append([
                Paragraph(rich(self.d.reviewers.get(r["reviewer_id"], r["reviewer_id"]), limit=200), s["cell"]),
                Paragraph(entity(self.who(r["proposal_id"]), s["cell"], name_w - 6), s["cell"]),
                Paragraph(rich(r["reason"] or "—", limit=TEXT_LIMIT), s["cell"]),
            ])
        table = Table(table_rows, colWidths=[40 * mm, name_w, name_w], repeatRows=1, hAlign="LEFT")
        table.setStyle(TableStyle(table_style()))
        out.append(table)
        return out

    def annex_timeline(self) -> list:
        s = self.s
        out = [CondPageBreak(50 * mm), self.heading("Annex C — Timeline of the procedure", numbered=False)]
        out.append(self.p(f"The procedure's dates as recorded, and where each step stood on {self.on.isoformat()}."))
        rows = [heads(["Step", "Date", "State"], [], s)]
        for t in queries.timeline(self.db, self.call, self.on):
            rows.append([
                Paragraph(rich(t["step"], limit=NAME_LIMIT), s["cell"]),
                t["date"].isoformat() if t["date"] else "not set",
                str(t["state"]),
            ])
        table = Table(rows, colWidths=[self.width - 55 * mm, 25 * mm, 30 * mm], repeatRows=1, hAlign="LEFT")
        table.setStyle(TableStyle(table_style()))
        out.append(table)
        return out

    # ------------------------------------------------------------------ the whole

    def reasons(self) -> pd.DataFrame:
        """The shortlisted proposals' scores from valid reviews, with their justifications."""
        if self._reasons is None:
            shortlisted = sorted({p for sr in self.d.ranking.slots for p in sr.shortlist})
            reasons = reportdata.justifications(self.db, self.call["id"], shortlisted)
            left = self.d.scores.excluded
            if len(reasons) and len(left):  # only valid reviews explain a score
                out = pd.MultiIndex.from_frame(left[["reviewer", "proposal"]])
                reasons = reasons[~pd.MultiIndex.from_frame(reasons[["reviewer", "proposal"]]).isin(out)]
            self._reasons = reasons
        return self._reasons

    def story(self) -> list:
        self.sections = self.keys = 0
        self.toc_entries: list[tuple[int, str, str]] = []
        body = self.summary() + self.method()
        for slot in self.d.slots:
            body += self.slot(slot, self.d.ranking.slot(slot["id"]), self.reasons())
        body += self.annex_proposals() + self.annex_conflicts() + self.annex_timeline()
        toc = _Contents(self.toc_entries, levelStyles=[self.s["toc0"], self.s["toc1"]], dotsMinLevel=0)
        return (self.cover() + [NextPageTemplate("body"), PageBreak()]
                + [Paragraph(rich("Contents", bold=True), self.s["h1"]), toc, PageBreak()] + body)

    def render(self) -> bytes:
        s, call, pagesize = self.s, self.call, self.pagesize
        header = rich(call["reference"], limit=120) + rich(f" · {REPORT_TITLE}")
        width = self.width
        on = self.on

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
            canvas.drawString(MARGIN, 10 * mm, f"Generated {on.isoformat()} · host-selection")
            canvas.restoreState()

        def cover_band(canvas, doc):
            canvas.saveState()
            canvas.setFillColor(ACCENT)
            canvas.rect(0, pagesize[1] - 14 * mm, pagesize[0], 14 * mm, stroke=0, fill=1)
            canvas.restoreState()

        author = fonts.clean(reportdata.secretariat(call), limit=300)
        frame = Frame(MARGIN, MARGIN, width, pagesize[1] - 2 * MARGIN - 4 * mm, id="body", leftPadding=0,
                      rightPadding=0, topPadding=0, bottomPadding=0)

        def document(buf: io.BytesIO) -> _Doc:
            doc = _Doc(
                buf,
                pagesize=pagesize,
                leftMargin=MARGIN,
                rightMargin=MARGIN,
                topMargin=MARGIN + 4 * mm,
                bottomMargin=MARGIN,
                title=fonts.clean(f"{REPORT_TITLE} — {call['reference']}: {call['title']}", limit=1000),
                author=author,
                subject=fonts.clean(f"Shortlist per slot and how the selection criteria were applied "
                                    f"({call['reference']})", limit=1000),
                creator="host-selection",
            )
            doc.addPageTemplates([
                PageTemplate("cover", frames=[frame], onPage=cover_band, pagesize=pagesize),
                PageTemplate("body", frames=[frame], onPage=decorate, pagesize=pagesize),
            ])
            return doc

        buf = io.BytesIO()
        document(buf).build(self.story(), canvasmaker=_Canvas)
        return buf.getvalue()


def build(
    db: sqlite_utils.Database,
    reference: str | None = None,
    *,
    generated_on: dt.date | None = None,
    draws: int = REPORT_DRAWS,
) -> bytes:
    """The assessment report of a call, as PDF bytes (A4; landscape beyond six criteria).

    ``draws`` is the number of weight sets per slot behind the robustness figures.
    """
    fonts.register()
    d = reportdata.load(db, reference, draws=draws)
    return _Report(db, d, generated_on or clock.today()).render()
