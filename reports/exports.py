"""A call's rankings, scores (with the members' reasons), analytics and decision, as tables a
secretariat officer reads: as CSV files or one workbook (:mod:`reports.sheets` writes them).

:func:`tables` gathers the figures as named data frames in readers' words: criterion and slot
names head the columns, entities and members are named (``Member A, B...`` when the call asks for
anonymous conflict declarations, as in the report), no record id appears. The figures are those of
the report and of ``python -m selection analyse``: totals and criterion scores rounded to one
decimal (half up, as a reader rounds), shares of weight draws as percentages beside the exact count.
Sheet names, headers and the tables' own words are in the reader's language (``i18n.use`` around the call;
English by default, as the names below); what people typed, and criterion names heading columns, stay as written.

Tables:

``about``         the call, when and how the figures were made (numbers as numbers, dates as dates)
``rankings``      per slot, every ranked proposal in rank order, then those not ranked (with why);
                  the screening status, and which criterion scores are consensus scores
``scores``        every score with its justification; reviews left out are marked, with why
``consensus``     every consensus score with its note
``slots``         per slot: shortlist, agreement between members (Kendall's W), share of weight draws
                  giving the same shortlist
``robustness``    per slot and ranked proposal: share of weight draws that shortlist it, ranks reached
``tipping_points``  per slot: the smallest change of one weight that alters the shortlist, each way
``spread``        per proposal and criterion: the members' valid scores' lowest, highest, range,
                  standard deviation, and the consensus score if one was agreed
``leniency``      per member: mean difference from the panel on the same proposal and criterion
``decision``      once the Bureau has advised or a selection is recorded: the advice and the selections
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlite_utils

from criteria import robustness
from reports import data as reportdata
from reports import decision_table
from reports.sheets import ONE, PERCENT, TWO, percent, rounded, sheet, to_csv_zip, to_xlsx
from selection import clock, figure_words, i18n, report_queries
from selection.i18n import N_, _
from selection.words import yes_no

__all__ = ["FORMATS", "MIME", "SUFFIX", "build", "tables", "to_csv_zip", "to_xlsx"]

FORMATS = ("csv", "xlsx")
MIME = {"csv": "application/zip",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
SUFFIX = {"csv": "-tables.zip", "xlsx": ".xlsx"}

TOTAL = "Total (0–100)"
LEAD = ["Slot", "Rank", "Entity", "Acronym", "Country", "Screening", TOTAL]  # the rankings' columns before
TAIL = ["Consensus scores", "Valid reviews", "Passes the thresholds", "Tied", "Shortlisted",  # and after the criteria
        "Not ranked because"]
AGREEMENT_METHOD = {"complete": N_("every member compared ranked every proposal"),
                    "pairs": N_("estimated from pairs of members who reviewed the same proposals")}
LEVELS = {"regional": N_("Regional"), "subregional": N_("Subregional")}
# Each table's name and every column header the tables write, translated as the last step (``_in_language``).
SHEETS = {"about": N_("about"), "rankings": N_("rankings"), "scores": N_("scores"), "consensus": N_("consensus"),
          "slots": N_("slots"), "robustness": N_("robustness"), "tipping_points": N_("tipping_points"),
          "spread": N_("spread"), "leniency": N_("leniency"), "decision": N_("decision")}
HEADERS = frozenset((
    N_("Slot"), N_("Rank"), N_("Entity"), N_("Acronym"), N_("Country"), N_("Screening"), N_("Total (0–100)"),
    N_("Consensus scores"), N_("Valid reviews"), N_("Passes the thresholds"), N_("Tied"), N_("Shortlisted"),
    N_("Not ranked because"), N_("Member"), N_("Criterion"), N_("Score"), N_("Justification"), N_("Counted"),
    N_("Left out because"), N_("Consensus score"), N_("Note"), N_("Level"), N_("Shortlist"),
    N_("Same shortlist (% of draws)"), N_("Draws giving the same shortlist"), N_("Draws"),
    N_("Agreement between members (Kendall's W)"), N_("Agreement"), N_("Agreement measured by"),
    N_("Members compared"), N_("Proposals compared"), N_("Pairs of members compared"),
    N_("Shortlisted in (% of draws)"), N_("Draws shortlisting it"), N_("Best rank reached"), N_("Worst rank reached"),
    N_("Weight raised or lowered"), N_("Change (percentage points)"), N_("Share of the weights before (%)"),
    N_("Share of the weights after (%)"), N_("Weight before"), N_("New weight"), N_("New shortlist"),
    N_("Lowest score"), N_("Highest score"), N_("Range"), N_("Standard deviation"), N_("Divergent"),
    N_("Leniency (points above the panel's mean)"), N_("Scores compared"), N_("Item"), N_("Value"),
    N_("Round of offers"), N_("Step"), N_("Date"), N_("By"), N_("Text"), N_("Notified on"), N_("Acceptance due"),
    N_("Answer"), N_("Answered on"), N_("Host agreement due"), N_("Host agreement signed on")))


def unique(names: list[str], taken: set[str]) -> list[str]:
    """Column headers made distinct: a criterion named like another column gets a number."""
    out = []
    for name in names:
        head, n = name, 2
        while head in taken:
            head, n = f"{name} ({n})", n + 1
        taken.add(head)
        out.append(head)
    return out


class Names:
    """How the tables name the call's things: entities, members, criteria, slots."""

    def __init__(self, d: reportdata.CallData):
        self.d = d
        self.slot = {s["id"]: s["name"] for s in d.slots}
        self.crit_ids = [c["id"] for c in d.criteria]
        self.crit_head = dict(zip(self.crit_ids, unique([c["name"] for c in d.criteria], {*LEAD, *TAIL})))
        self.crit = {c["id"]: c["name"] for c in d.criteria}
        status = d.inputs.proposals.set_index("proposal")["status"]
        self.status = status.to_dict()
        self.order = {p: i for i, p in enumerate(d.inputs.proposals["proposal"])}

    def key(self, proposal: str, criterion: str) -> tuple[int, int]:
        """The order of the call: proposals as received, criteria as the call lists them."""
        crit = self.crit_ids.index(criterion) if criterion in self.crit_ids else len(self.crit_ids)
        return self.order.get(proposal, len(self.order)), crit

    def entities(self, proposals) -> dict[str, list]:
        rows = [self.d.entities.get(p) or {} for p in proposals]
        return {"Entity": [r.get("name") for r in rows], "Acronym": [r.get("acronym") for r in rows]}

    def countries(self, proposals) -> list[str]:
        return [report_queries.country_name((self.d.entities.get(p) or {}).get("country")) or None for p in proposals]

    def entity_list(self, proposals) -> str:
        return "; ".join(str((self.d.entities.get(p) or {}).get("name") or "") for p in proposals)

    def member(self, reviewer: str) -> str:
        return self.d.reviewers.get(reviewer, _("a former member"))


def _reasons(db: sqlite_utils.Database, call_id: int) -> dict[str, str]:
    return {p: r for p, r in db.execute("SELECT id, status_reason FROM proposals WHERE call_id = ? AND "
                                        "status_reason IS NOT NULL AND trim(status_reason) <> ''", [call_id])}


def _not_ranked(n: Names, reason: str, recorded: str | None) -> str:
    words = (_("fewer than {count} valid reviews and no consensus score on every criterion",
               count=n.d.call["min_reviews"]) if reason == "insufficient_reviews" else figure_words.not_ranked(reason))
    return _("{reason}: {recorded}", reason=words, recorded=recorded) if recorded else words


def _rankings(db: sqlite_utils.Database, n: Names) -> pd.DataFrame:
    d, heads = n.d, n.crit_head
    agreed: dict[str, list[str]] = {}
    for p, c in sorted(reportdata.consensus_notes(db, d.call["id"]), key=lambda k: n.key(*k)):
        agreed.setdefault(p, []).append(n.crit.get(c, c))
    recorded = _reasons(db, d.call["id"])
    cols: dict[str, list] = {k: [] for k in [*LEAD, *heads.values(), *TAIL]}

    def add(slot: str, proposals: list[str], **values) -> None:
        cols["Slot"] += [n.slot.get(slot)] * len(proposals)
        for key, vals in n.entities(proposals).items():
            cols[key] += vals
        cols["Country"] += n.countries(proposals)
        cols["Screening"] += [figure_words.status(n.status.get(p)) for p in proposals]
        cols["Consensus scores"] += ["; ".join(agreed.get(p, [])) or None for p in proposals]
        for key, vals in values.items():
            cols[key] += vals

    for sr in d.ranking.slots:
        t = sr.table
        props = t["proposal"].tolist()
        add(sr.slot, props, **{
            "Rank": [int(r) for r in t["rank"]], TOTAL: rounded(t["total"]),
            **{heads[c]: rounded(t[c]) for c in n.crit_ids},
            "Valid reviews": [int(r) for r in t["reviews"]], "Passes the thresholds": [yes_no(x) for x in t["passes"]],
            "Tied": [yes_no(x) for x in t["tie"]], "Shortlisted": [yes_no(x) for x in t["shortlisted"]],
            "Not ranked because": [None] * len(props)})
        rest = [u["proposal"] for u in sr.unranked]
        blank = [None] * len(rest)
        add(sr.slot, rest, **{
            "Rank": blank, TOTAL: blank, **{heads[c]: blank for c in n.crit_ids}, "Valid reviews": blank,
            "Passes the thresholds": blank, "Tied": blank, "Shortlisted": [yes_no(False)] * len(rest),
            "Not ranked because": [_not_ranked(n, u["reason"], recorded.get(u["proposal"])) for u in sr.unranked]})
    frame = sheet(cols, formats={TOTAL: ONE, **{h: ONE for h in heads.values()}}, wrap=("Consensus scores", "Not ranked because"))
    frame["Rank"] = frame["Rank"].astype("Int64")
    frame["Valid reviews"] = frame["Valid reviews"].astype("Int64")
    return frame


def _scores(db: sqlite_utils.Database, n: Names) -> pd.DataFrame:
    d = n.d
    rows = db.execute(
        "SELECT s.proposal_id, s.reviewer_id, s.criterion_id, s.score, s.justification FROM scores s "
        "JOIN proposals p ON p.call_id = s.call_id AND p.id = s.proposal_id "
        "LEFT JOIN reviewers r ON r.call_id = s.call_id AND r.id = s.reviewer_id "
        "LEFT JOIN criteria c ON c.call_id = s.call_id AND c.id = s.criterion_id "
        "WHERE s.call_id = ? AND p.status <> 'draft' ORDER BY p.position, r.position, c.position",
        [d.call["id"]]).fetchall()
    t = pd.DataFrame(rows, columns=["proposal", "reviewer", "criterion", "score", "justification"])
    left = d.scores.excluded
    why = {(r, p): reason for r, p, reason in zip(left["reviewer"], left["proposal"], left["reason"])}
    out = [why.get((r, p)) for r, p in zip(t["reviewer"], t["proposal"])]
    return sheet({
        **n.entities(t["proposal"]), "Member": [n.member(r) for r in t["reviewer"]],
        "Criterion": [n.crit.get(c, c) for c in t["criterion"]], "Score": t["score"].tolist(),
        "Justification": t["justification"].tolist(), "Counted": [yes_no(x is None) for x in out],
        "Left out because": [figure_words.left_out(x) for x in out],
    }, wrap=("Justification",))


def _consensus(db: sqlite_utils.Database, n: Names) -> pd.DataFrame:
    notes = reportdata.consensus_notes(db, n.d.call["id"])
    keys = sorted(notes, key=lambda k: n.key(*k))
    return sheet({
        **n.entities([p for p, _ in keys]), "Criterion": [n.crit.get(c, c) for _, c in keys],
        "Consensus score": [notes[k]["score"] for k in keys], "Note": [notes[k]["note"] for k in keys],
    }, wrap=("Note",))


def _slots(n: Names) -> pd.DataFrame:
    levels = {s["id"]: s["level"] for s in n.d.slots}
    rows = []
    for s in n.d.analysis.get("slots", []):
        a, rob = s.get("agreement") or {}, s.get("robustness") or {}
        share, draws = rob.get("same_shortlist_share"), rob.get("draws")
        rows.append({
            "Slot": n.slot.get(s["slot"]), "Level": _level(levels.get(s["slot"])),
            "Shortlist": n.entity_list(s.get("shortlist", [])),
            "Same shortlist (% of draws)": percent(share),
            "Draws giving the same shortlist": int(round(share * draws)) if share is not None and draws else None,
            "Draws": draws, "Agreement between members (Kendall's W)": rounded([a.get("w")], 2)[0],
            "Agreement": figure_words.reading(a.get("reading")),
            "Agreement measured by": _(AGREEMENT_METHOD[a["method"]]) if a.get("method") in AGREEMENT_METHOD else None,
            "Members compared": a.get("reviewers"), "Proposals compared": a.get("proposals"),
            "Pairs of members compared": a.get("pairs"),
        })
    return sheet(pd.DataFrame(rows), formats={"Same shortlist (% of draws)": PERCENT,
                                              "Agreement between members (Kendall's W)": TWO}, wrap=("Shortlist",))


def _robustness(n: Names) -> pd.DataFrame:
    rows = []
    for s in n.d.analysis.get("slots", []):
        rob = s.get("robustness") or {}
        for p in rob.get("proposals", []):
            e = n.d.entities.get(p["proposal"]) or {}
            rows.append({"Slot": n.slot.get(s["slot"]), "Entity": e.get("name"), "Acronym": e.get("acronym"),
                         "Rank": p["rank"], "Shortlisted": yes_no(p["shortlisted"]),
                         "Shortlisted in (% of draws)": percent(p["shortlisted_share"]),
                         "Draws shortlisting it": int(round(p["shortlisted_share"] * rob.get("draws", 0))),
                         "Best rank reached": p["rank_min"], "Worst rank reached": p["rank_max"]})
    return sheet(pd.DataFrame(rows, columns=["Slot", "Entity", "Acronym", "Rank", "Shortlisted",
                                             "Shortlisted in (% of draws)", "Draws shortlisting it",
                                             "Best rank reached", "Worst rank reached"]),
                 formats={"Shortlisted in (% of draws)": PERCENT})


def _tipping_points(n: Names) -> pd.DataFrame:
    heads = ["Slot", "Criterion", "Weight raised or lowered", "Change (percentage points)", "Share of the weights before (%)",
             "Share of the weights after (%)", "Weight before", "New weight", "New shortlist"]
    rows = []
    for s in n.d.analysis.get("slots", []):
        for t in (s.get("robustness") or {}).get("tipping_points", []):
            rows.append([n.slot.get(s["slot"]), n.crit.get(t["criterion"], t["criterion"]),
                         figure_words.direction(t["direction"]),
                         *rounded([t["change_points"], t["share_before"], t["share_after"], t["weight_before"],
                                   t["new_weight"]]), n.entity_list(t.get("new_shortlist", []))])
    return sheet(pd.DataFrame(rows, columns=heads), formats={h: ONE for h in heads[3:8]}, wrap=("New shortlist",))


def _spread(n: Names) -> pd.DataFrame:
    doc = n.d.analysis
    consensus = {(x["proposal"], x["criterion"]): x["consensus"] for x in doc.get("divergences", [])}
    cells = sorted(doc.get("spread", []), key=lambda x: n.key(x["proposal"], x["criterion"]))
    props = [x["proposal"] for x in cells]
    return sheet({
        **n.entities(props), "Criterion": [n.crit.get(x["criterion"], x["criterion"]) for x in cells],
        "Valid reviews": [x["reviews"] for x in cells], "Lowest score": [x["min"] for x in cells],
        "Highest score": [x["max"] for x in cells], "Range": [x["range"] for x in cells],
        "Standard deviation": rounded([x["std"] for x in cells], 2),
        "Divergent": [yes_no(x["divergent"]) for x in cells],
        "Consensus score": [consensus.get((x["proposal"], x["criterion"])) for x in cells],
    }, formats={"Standard deviation": TWO})


def _leniency(n: Names) -> pd.DataFrame:
    rows = n.d.analysis.get("leniency", [])
    head = "Leniency (points above the panel's mean)"
    return sheet({"Member": [n.member(r["reviewer"]) for r in rows], "Scores compared": [r["scores"] for r in rows],
                  head: rounded([r["leniency"] for r in rows], 2)}, formats={head: TWO})


def _about(n: Names, exported_at: dt.datetime) -> pd.DataFrame:
    d = n.d
    method = d.analysis.get("robustness_method", {})
    items = [
        (_("Call"), d.reference), (_("Title"), d.call["title"]), (_("Prepared by"), reportdata.secretariat(d.call)),
        (_("Exported on (UTC)"), exported_at.replace(microsecond=0)),
        (_("Lowest score of the scale"), d.call["scale_min"]), (_("Highest score of the scale"), d.call["scale_max"]),
        (_("Valid reviews needed per proposal"), d.call["min_reviews"]),
        (_("Overall threshold (on the 0–100 total)"), d.call["overall_threshold"]),
        *[(_("Weight of {criterion} (%)", criterion=n.crit.get(w["criterion"], w["criterion"])), w["percent"])
          for w in d.analysis.get("weights", [])],
        *[(_("Threshold of {criterion}", criterion=c["name"]), c["threshold"]) for c in d.criteria
          if c.get("threshold") is not None],
        (_("Weight draws for robustness"), method.get("draws")),
        (_("Concentration of the draws"), method.get("concentration")), (_("Seed of the draws"), method.get("seed")),
    ]
    return sheet({"Item": [k for k, _ in items], "Value": pd.Series([v for _, v in items], dtype=object)},
                 wrap=("Item", "Value"))


def tables(db: sqlite_utils.Database, reference: str | None = None, *, draws: int = robustness.DRAWS,
           exported_at: dt.datetime | None = None) -> dict[str, pd.DataFrame]:
    """Every exported table of a call, by name, in the order they are written."""
    d = reportdata.load(db, reference, draws=draws)
    n = Names(d)
    out = {"about": _about(n, exported_at or clock.now()), "rankings": _rankings(db, n), "scores": _scores(db, n),
           "consensus": _consensus(db, n), "slots": _slots(n), "robustness": _robustness(n),
           "tipping_points": _tipping_points(n), "spread": _spread(n), "leniency": _leniency(n)}
    decision = decision_table.decision(db, d)
    if len(decision):
        out["decision"] = decision
    return {_(SHEETS[name]): _in_language(frame, keep=set(n.crit_head.values()) if name == "rankings" else set())
            for name, frame in out.items()}


def _level(code: str | None) -> str | None:
    """A slot's level as a heading word: "Regional" (a level the tool does not know, capitalised as it is)."""
    if not code:
        return None
    return _(LEVELS[code]) if code in LEVELS else code.capitalize()


def _in_language(frame: pd.DataFrame, keep: set[str]) -> pd.DataFrame:
    """The table with its headers in the reader's language, and its formats and wrapped columns following them;
    ``keep``: headers that are the call's own words (criterion names), never translated."""
    if i18n.language() == i18n.DEFAULT:
        return frame
    names = {c: _(c) for c in frame.columns if c in HEADERS and c not in keep}
    attrs = {"formats": {names.get(c, c): f for c, f in frame.attrs.get("formats", {}).items()},
             "wrap": [names.get(c, c) for c in frame.attrs.get("wrap", [])]}
    out = frame.rename(columns=names)
    out.attrs = attrs
    return out


def build(db: sqlite_utils.Database, reference: str | None = None, *, fmt: str = "xlsx",
          draws: int = robustness.DRAWS) -> bytes:
    """The exports of a call in one file: ``fmt`` "csv" (a zip of CSV files) or "xlsx"."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}: choose {' or '.join(FORMATS)}")
    frames = tables(db, reference, draws=draws)
    return to_csv_zip(frames) if fmt == "csv" else to_xlsx(frames)
