"""Exports round-trip: CSV read back with pandas, XLSX with openpyxl, every script and hostile text intact."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pandas as pd
import pytest

from reports import exports
from selection import queries
from tests.reports.conftest import CONSENSUS_NOTE, NAMES, REASON_P1

DRAWS = 300
FORMULA = "=HYPERLINK(\"http://evil.example\",\"click\")"


@pytest.fixture
def frames(six_db):
    six_db.execute("UPDATE scores SET justification = ? WHERE reviewer_id = 'r2' AND proposal_id = 'p3' "
                   "AND criterion_id = 'networks'", [FORMULA])
    six_db.execute("UPDATE scores SET justification = ? WHERE reviewer_id = 'r2' AND proposal_id = 'p3' "
                   "AND criterion_id = 'capacity'", ["bell \x07 and tab\tinside, \"quoted\"\nnew line"])
    six_db.conn.commit()
    return exports.tables(six_db, draws=DRAWS)


def read_csv_zip(data: bytes) -> dict[str, pd.DataFrame]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name[:-4]: pd.read_csv(io.BytesIO(z.read(name)), encoding="utf-8-sig", keep_default_na=False,
                                       na_values=[""]) for name in z.namelist()}


def read_xlsx(data: bytes) -> dict[str, list[tuple]]:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}


def test_tables_hold_rankings_scores_and_analytics(frames, six_db):
    assert list(frames) == ["about", "rankings", "scores", "consensus", "slots", "robustness", "tipping_points",
                            "spread", "leniency"]
    ranking = queries.ranking_inputs(six_db).rank().slot("s1")
    ranked = frames["rankings"][frames["rankings"]["rank"].notna()]
    assert ranked["proposal"].tolist() == ranking.table["proposal"].tolist()
    assert ranked["total"].tolist() == ranking.table["total"].tolist()  # unrounded
    unranked = frames["rankings"][frames["rankings"]["rank"].isna()]
    assert dict(zip(unranked["proposal"], unranked["not_ranked_reason"])) == {"p7": "withdrawn", "p8": "ineligible"}
    scores = frames["scores"]
    assert len(scores) == 6 * 2 * 2 + 2 + 1  # two members on six proposals, a conflicted and a partial review
    left = scores[~scores["counted"]]
    assert sorted(left["left_out"]) == ["conflict", "conflict", "partial"]
    assert frames["consensus"]["note"].tolist() == [CONSENSUS_NOTE]
    assert set(frames["robustness"]["proposal"]) == set(ranking.table["proposal"])
    assert frames["slots"]["shortlist"].tolist() == ["p1; p2; p3; p4"]


def test_csv_round_trip(frames):
    back = read_csv_zip(exports.to_csv_zip(frames))
    assert list(back) == list(frames)
    for name, frame in frames.items():
        assert list(back[name].columns) == list(frame.columns), name
        assert len(back[name]) == len(frame), name
    r = back["rankings"]
    assert r.loc[r["proposal"] == "p4", "entity"].item() == NAMES["p4"]
    assert r.loc[r["proposal"] == "p3", "entity"].item() == NAMES["p3"]
    assert r.loc[r["proposal"] == "p7", "entity"].item() == "Reef & Ocean <Lab>"
    pd.testing.assert_series_equal(r["total"], frames["rankings"]["total"], check_dtype=False)
    s = back["scores"]
    assert REASON_P1 in s["justification"].tolist()
    assert "bell \x07 and tab\tinside, \"quoted\"\nnew line" in s["justification"].tolist()
    assert "'" + FORMULA in s["justification"].tolist()  # made inert for a spreadsheet
    assert FORMULA not in s["justification"].tolist()
    assert s["counted"].dtype == bool
    assert back["leniency"]["member"].tolist() == frames["leniency"]["member"].tolist()


def test_xlsx_round_trip(frames):
    back = read_xlsx(exports.to_xlsx(frames))
    assert list(back) == list(frames)
    for name, frame in frames.items():
        assert list(back[name][0]) == list(frame.columns), name
        assert len(back[name]) == len(frame) + 1, name
    head, *rows = back["rankings"]
    col = {c: i for i, c in enumerate(head)}
    by_id = {row[col["proposal"]]: row for row in rows}
    for pid in ("p1", "p2", "p3", "p4", "p5", "p6", "p7"):
        assert by_id[pid][col["entity"]] == NAMES[pid]
    assert by_id["p1"][col["total"]] == frames["rankings"].set_index("proposal").loc["p1", "total"]
    assert by_id["p7"][col["rank"]] is None and by_id["p7"][col["not_ranked_reason"]] == "withdrawn"
    head, *rows = back["scores"]
    reasons = [row[head.index("justification")] for row in rows]
    assert FORMULA in reasons  # stored as text, exactly
    assert "bell  and tab\tinside, \"quoted\"\nnew line" in reasons  # a character XML cannot hold is dropped
    wb = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx(frames)))
    cell = next(c for row in wb["scores"].iter_rows() for c in row if c.value == FORMULA)
    assert cell.data_type == "s"


def test_build_picks_the_format(six_db):
    assert exports.build(six_db, fmt="csv", draws=DRAWS)[:2] == b"PK"
    assert exports.build(six_db, fmt="xlsx", draws=DRAWS)[:2] == b"PK"
    with pytest.raises(ValueError, match="unknown export format"):
        exports.build(six_db, fmt="ods")


def test_anonymous_calls_export_no_member_names(db, bundle_builder):
    from tests.reports.conftest import store_six

    store_six(db, bundle_builder, anonymous=True)
    frames = exports.tables(db, draws=DRAWS)
    assert set(frames["scores"]["member"]) == {"Member A", "Member B", "Member C"}
    back = read_csv_zip(exports.to_csv_zip(frames))
    assert not any("Li Wei" in str(v) for f in back.values() for v in f.to_numpy().ravel())


def test_a_formula_as_column_header_is_inert():
    """A criterion or slot named like a formula heads a column: the header is neutralised like any cell."""
    frames = {"rankings": pd.DataFrame({"proposal": ["p1"], FORMULA: [4.5]})}
    with zipfile.ZipFile(io.BytesIO(exports.to_csv_zip(frames))) as z:
        header = z.read("rankings.csv").decode("utf-8-sig").splitlines()[0]
    assert header.startswith("proposal,") and "'=HYPERLINK" in header
    wb = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx(frames)))
    cell = wb["rankings"]["B1"]
    assert cell.value == FORMULA and cell.data_type == "s"
