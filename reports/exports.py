"""A call's rankings, scores (with the members' reasons) and analytics, as CSV files or one workbook.

:func:`tables` gathers the figures as named data frames; :func:`to_csv_zip`
writes them as a zip of CSV files (one file per table, ``rankings.csv``,
``scores.csv``, ...); :func:`to_xlsx` as one XLSX workbook (one sheet per
table, same names). The figures are those of the report and of ``python -m
selection analyse``, numbers unrounded.

Tables:

``about``         the call, when and how the figures were made
``rankings``      per slot, every ranked proposal in rank order, then the proposals not ranked (with the reason)
``scores``        every score with its justification; ``counted`` is False for a review left out
                  (``left_out``: conflict or partial)
``consensus``     every consensus score with its note
``slots``         per slot: shortlist, agreement between members (Kendall's W), share of weight draws
                  giving the same shortlist
``robustness``    per slot and ranked proposal: share of weight draws that shortlist it, ranks reached
``tipping_points``  per slot: the smallest change of one weight that alters the shortlist, each way
``spread``        per proposal and criterion: the members' valid scores' min, max, range, standard deviation
``leniency``      per member: mean difference from the panel on the same proposal and criterion

Members are named as in the report (``Member A, B...`` when the call asks
for anonymous conflict declarations).

Safe to open in a spreadsheet: CSV files are UTF-8 with a byte-order mark
(so Excel reads every script), and a text cell that starts with ``=``,
``+``, ``-``, ``@`` or a tab gets a leading apostrophe, so no user text runs
as a formula (OWASP's advice against CSV injection); column headers too, since a
criterion or slot id or name heads a column. In the workbook such
text is stored as a text cell, unchanged. Characters that XML cannot hold are
dropped from the workbook, and a cell is cut at Excel's 32,767 characters.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import zipfile

import numpy as np
import pandas as pd
import sqlite_utils
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

from criteria import robustness
from reports import data as reportdata
from selection import clock

FORMATS = ("csv", "xlsx")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_CELL_LIMIT = 32_767
MIME = {"csv": "application/zip",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
SUFFIX = {"csv": "-tables.zip", "xlsx": ".xlsx"}


def _entity_cols(d: reportdata.CallData, proposals) -> dict[str, list]:
    rows = [d.entities.get(p) or {} for p in proposals]
    return {"entity": [r.get("name") for r in rows], "acronym": [r.get("acronym") for r in rows],
            "country": [r.get("country") for r in rows]}


def _rankings(d: reportdata.CallData) -> pd.DataFrame:
    ids = d.ranking.criteria
    names = {s["id"]: s["name"] for s in d.slots}
    parts = []
    for sr in d.ranking.slots:
        t = sr.table
        ranked = pd.DataFrame({
            "slot": sr.slot, "slot_name": names.get(sr.slot), "rank": t["rank"].astype("Int64"),
            "proposal": t["proposal"], **_entity_cols(d, t["proposal"]), "total": t["total"],
            **{c: t[c] for c in ids}, "reviews": t["reviews"].astype("Int64"), "passes": t["passes"],
            "tie": t["tie"], "shortlisted": t["shortlisted"], "not_ranked_reason": None,
        })
        unranked = [u["proposal"] for u in sr.unranked]
        rest = pd.DataFrame({
            "slot": sr.slot, "slot_name": names.get(sr.slot), "rank": pd.array([pd.NA] * len(unranked), "Int64"),
            "proposal": unranked, **_entity_cols(d, unranked), "total": np.nan,
            **{c: np.nan for c in ids}, "reviews": pd.array([pd.NA] * len(unranked), "Int64"),
            "passes": False, "tie": False, "shortlisted": False,
            "not_ranked_reason": [u["reason"] for u in sr.unranked],
        })
        parts += [ranked, rest] if len(rest) else [ranked]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def _scores(db: sqlite_utils.Database, d: reportdata.CallData) -> pd.DataFrame:
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
    out_reason = [why.get((r, p)) for r, p in zip(t["reviewer"], t["proposal"])]
    ents = _entity_cols(d, t["proposal"])
    return pd.DataFrame({
        "proposal": t["proposal"], "entity": ents["entity"], "acronym": ents["acronym"],
        "reviewer": t["reviewer"], "member": [d.reviewers.get(r, r) for r in t["reviewer"]],
        "criterion": t["criterion"], "score": t["score"], "justification": t["justification"],
        "counted": [x is None for x in out_reason], "left_out": out_reason,
    })


def _consensus(db: sqlite_utils.Database, d: reportdata.CallData) -> pd.DataFrame:
    notes = reportdata.consensus_notes(db, d.call["id"])
    keys = sorted(notes)
    ents = _entity_cols(d, [p for p, _ in keys])
    return pd.DataFrame({
        "proposal": [p for p, _ in keys], "entity": ents["entity"], "acronym": ents["acronym"],
        "criterion": [c for _, c in keys], "score": [notes[k]["score"] for k in keys],
        "note": [notes[k]["note"] for k in keys],
    }, columns=["proposal", "entity", "acronym", "criterion", "score", "note"])


def _analytics(d: reportdata.CallData) -> dict[str, pd.DataFrame]:
    doc = d.analysis
    names = {s["id"]: s["name"] for s in d.slots}
    slots, sturdy, tips = [], [], []
    for s in doc.get("slots", []):
        a, rob = s.get("agreement") or {}, s.get("robustness") or {}
        slots.append({
            "slot": s["slot"], "slot_name": names.get(s["slot"]), "shortlist": "; ".join(s.get("shortlist", [])),
            "same_shortlist_share": rob.get("same_shortlist_share"), "draws": rob.get("draws"),
            "agreement_w": a.get("w"), "agreement_reading": a.get("reading"), "agreement_method": a.get("method"),
            "agreement_members": a.get("reviewers"), "agreement_proposals": a.get("proposals"),
            "agreement_pairs": a.get("pairs"),
        })
        for p in rob.get("proposals", []):
            e = d.entities.get(p["proposal"]) or {}
            sturdy.append({"slot": s["slot"], "proposal": p["proposal"], "entity": e.get("name"),
                           "acronym": e.get("acronym"), "rank": p["rank"], "shortlisted": p["shortlisted"],
                           "shortlisted_share": p["shortlisted_share"], "rank_min": p["rank_min"],
                           "rank_max": p["rank_max"]})
        for t in rob.get("tipping_points", []):
            tips.append({"slot": s["slot"], **{k: v for k, v in t.items() if k != "new_shortlist"},
                         "new_shortlist": "; ".join(t.get("new_shortlist", []))})
    consensus = {(x["proposal"], x["criterion"]): x["consensus"] for x in doc.get("divergences", [])}
    spread = pd.DataFrame(doc.get("spread", []))
    if len(spread):
        ents = _entity_cols(d, spread["proposal"])
        spread.insert(1, "entity", ents["entity"])
        spread.insert(2, "acronym", ents["acronym"])
        spread["consensus"] = [consensus.get(k) for k in zip(spread["proposal"], spread["criterion"])]
    leniency = pd.DataFrame(doc.get("leniency", []), columns=["reviewer", "scores", "leniency"])
    leniency.insert(1, "member", [d.reviewers.get(r, r) for r in leniency["reviewer"]])
    return {
        "slots": pd.DataFrame(slots),
        "robustness": pd.DataFrame(sturdy, columns=["slot", "proposal", "entity", "acronym", "rank", "shortlisted",
                                                    "shortlisted_share", "rank_min", "rank_max"]),
        "tipping_points": pd.DataFrame(tips, columns=["slot", "criterion", "direction", "change_points",
                                                      "share_before", "share_after", "weight_before", "new_weight",
                                                      "new_shortlist"]),
        "spread": spread,
        "leniency": leniency,
    }


def tables(db: sqlite_utils.Database, reference: str | None = None, *, draws: int = robustness.DRAWS,
           exported_at: dt.datetime | None = None) -> dict[str, pd.DataFrame]:
    """Every exported table of a call, by name, in the order they are written."""
    d = reportdata.load(db, reference, draws=draws)
    method = d.analysis.get("robustness_method", {})
    about = pd.DataFrame({"item": [
        "reference", "title", "prepared_by", "exported_at", "scale_min", "scale_max", "min_reviews",
        "overall_threshold", "robustness_draws", "robustness_concentration", "robustness_seed",
    ], "value": [
        d.reference, d.call["title"], reportdata.secretariat(d.call),
        (exported_at or clock.now()).isoformat(timespec="seconds"), d.call["scale_min"], d.call["scale_max"],
        d.call["min_reviews"], d.call["overall_threshold"], method.get("draws"), method.get("concentration"),
        method.get("seed"),
    ]})
    about["value"] = about["value"].map(lambda v: "" if v is None else str(v))
    return {"about": about, "rankings": _rankings(d), "scores": _scores(db, d), "consensus": _consensus(db, d),
            **_analytics(d)}


def _neutral(value):
    """A text cell that a spreadsheet would run as a formula, made inert."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def to_csv_zip(frames: dict[str, pd.DataFrame]) -> bytes:
    """One CSV file per table (UTF-8 with BOM, comma-separated, header row), zipped."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, frame in frames.items():
            safe = frame.copy()
            safe.columns = [_neutral(str(c)) for c in safe.columns]
            for col in safe.columns:
                if safe[col].dtype == object or pd.api.types.is_string_dtype(safe[col]):
                    safe[col] = safe[col].map(_neutral)
            z.writestr(f"{name}.csv", safe.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig"))
    return buf.getvalue()


def _xlsx_text(ws, value):
    value = ILLEGAL_CHARACTERS_RE.sub("", value)[:XLSX_CELL_LIMIT]
    if value.startswith("="):  # text, never a formula
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"
        return cell
    return value


def _xlsx_column(ws, series: pd.Series) -> list:
    """A column's values as the workbook stores them: None for a missing value, Python scalars,
    text cleaned (one pass per column, not per cell, so large sheets stay quick)."""
    values = series.astype(object).tolist()
    out = []
    for v in values:
        if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
            out.append(None)
        elif isinstance(v, str):
            out.append(_xlsx_text(ws, v))
        elif isinstance(v, np.generic):
            out.append(v.item())
        else:
            out.append(v)
    return out


def to_xlsx(frames: dict[str, pd.DataFrame]) -> bytes:
    """One sheet per table, header row frozen, in one workbook."""
    wb = Workbook(write_only=True)
    for name, frame in frames.items():
        ws = wb.create_sheet(name[:31])
        ws.freeze_panes = "A2"
        for i, col in enumerate(frame.columns, start=1):
            width = 14 if col not in ("entity", "justification", "note", "slot_name", "shortlist") else 40
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.append([_xlsx_text(ws, str(c)) for c in frame.columns])
        columns = [_xlsx_column(ws, frame[c]) for c in frame.columns]
        for row in zip(*columns):
            ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def build(db: sqlite_utils.Database, reference: str | None = None, *, fmt: str = "xlsx",
          draws: int = robustness.DRAWS) -> bytes:
    """The exports of a call in one file: ``fmt`` "csv" (a zip of CSV files) or "xlsx"."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}: choose {' or '.join(FORMATS)}")
    frames = tables(db, reference, draws=draws)
    return to_csv_zip(frames) if fmt == "csv" else to_xlsx(frames)
