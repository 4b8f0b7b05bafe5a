"""The spreadsheets a secretariat officer opens: names not ids, rounded totals, shares as percentages,
dates as dates, a workbook laid out to read (bold filtered header, fitted widths, wrapped reasons), the
decision once made, and no user text that runs as a formula. Read back with pandas and openpyxl."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import openpyxl
import pandas as pd
import pytest

from reports import exports, sheets
from reports.layout import num
from selection import bundle, queries
from selection.demo import demo_bundle
from selection.accounts import NewAccount, add_account
from selection.models import Role
from selection.services import decision
from tests.reports.conftest import CONSENSUS_NOTE, NAMES, REASON_P1, SECRETARIAT, select

DRAWS = 300
FORMULA = "=HYPERLINK(\"http://evil.example\",\"click\")"
MOMENT = dt.datetime(2027, 3, 27, 9, 30, tzinfo=dt.UTC)
NETWORKS, CAPACITY = "Criterion networks", "Criterion capacity"


@pytest.fixture
def frames(six_db):
    six_db.execute("UPDATE scores SET justification = ? WHERE reviewer_id = 'r2' AND proposal_id = 'p3' "
                   "AND criterion_id = 'networks'", [FORMULA])
    six_db.execute("UPDATE scores SET justification = ? WHERE reviewer_id = 'r2' AND proposal_id = 'p3' "
                   "AND criterion_id = 'capacity'", ["bell \x07 and tab\tinside, \"quoted\"\nnew line"])
    six_db.conn.commit()
    return exports.tables(six_db, draws=DRAWS, exported_at=MOMENT)


def read_csv_zip(data: bytes) -> dict[str, pd.DataFrame]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name[:-4]: pd.read_csv(io.BytesIO(z.read(name)), encoding="utf-8-sig", keep_default_na=False,
                                       na_values=[""]) for name in z.namelist()}


def workbook(frames) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(exports.to_xlsx(frames)))


def column(ws, header: str) -> list:
    """The cells below a header."""
    i = [c.value for c in ws[1]].index(header)
    return [row[i] for row in ws.iter_rows(min_row=2)]


def test_rankings_name_slots_criteria_and_entities_with_totals_rounded(frames, six_db):
    r = frames["rankings"]
    assert list(r.columns) == ["Slot", "Rank", "Entity", "Acronym", "Country", "Screening", "Total (0–100)", NETWORKS,
                               CAPACITY, "Consensus scores", "Valid reviews", "Passes the thresholds", "Tied",
                               "Shortlisted", "Not ranked because"]
    ranking = queries.ranking_inputs(six_db).rank().slot("s1")
    ranked = r[r["Rank"].notna()]
    assert set(ranked["Slot"]) == {"Slot s1"}
    assert ranked["Entity"].tolist() == [NAMES[p] for p in ranking.table["proposal"]]
    assert ranked["Total (0–100)"].tolist() == [float(num(t, 1)) for t in ranking.table["total"]]
    assert all(re.fullmatch(r"\d+(\.\d)?", str(t)) for t in ranked["Total (0–100)"])
    first = ranked.iloc[0]
    assert (first["Acronym"], first["Country"], first["Screening"]) == ("ISN", "Senegal", "eligible")
    assert ranked["Shortlisted"].tolist()[:4] == ["yes"] * 4 and set(ranked["Tied"]) == {"yes", "no"}
    p2 = ranked[ranked["Entity"] == NAMES["p2"]].iloc[0]
    assert p2["Consensus scores"] == CAPACITY  # the consensus marker
    unranked = dict(zip(r.loc[r["Rank"].isna(), "Entity"], r.loc[r["Rank"].isna(), "Not ranked because"]))
    assert unranked == {NAMES["p7"]: "withdrawn by the applicant: Merged with a partner proposal",
                        NAMES["p8"]: "found ineligible at screening: Arrived after the deadline & <late>"}


def test_screening_status_in_people_words(six_db):
    six_db.execute("UPDATE proposals SET status = 'submitted' WHERE id = 'p4'")
    six_db.conn.commit()
    r = exports.tables(six_db, draws=DRAWS)["rankings"]
    assert r.loc[r["Entity"] == NAMES["p4"], "Screening"].tolist() == ["not yet screened"]
    assert set(r["Screening"]) == {"eligible", "not yet screened", "withdrawn", "not eligible"}


def test_scores_name_members_and_say_why_a_review_is_left_out(frames):
    s = frames["scores"]
    assert list(s.columns) == ["Entity", "Acronym", "Member", "Criterion", "Score", "Justification", "Counted",
                               "Left out because"]
    assert len(s) == 6 * 2 * 2 + 2 + 1  # two members on six proposals, a conflicted and a partial review
    left = s[s["Counted"] == "no"]
    assert set(left["Member"]) == {"Li Wei"}
    assert sorted(left["Left out because"]) == ["conflict of interest declared"] * 2 + ["partial review"]
    assert set(s["Criterion"]) == {NETWORKS, CAPACITY}
    assert frames["consensus"][["Entity", "Criterion", "Note"]].values.tolist() == [[NAMES["p2"], CAPACITY,
                                                                                    CONSENSUS_NOTE]]


def test_shares_of_draws_are_percentages_beside_the_exact_count(frames):
    rob = frames["robustness"]
    assert {"Shortlisted in (% of draws)", "Draws shortlisting it"} <= set(rob.columns)
    for share, count in zip(rob["Shortlisted in (% of draws)"], rob["Draws shortlisting it"]):
        assert 0 <= share <= 100 and 0 <= count <= DRAWS
        assert (share == 100) == (count == DRAWS) and (share == 0) == (count == 0)
    slots = frames["slots"]
    assert slots["Shortlist"].tolist() == ["; ".join(NAMES[p] for p in ("p1", "p2", "p3", "p4"))]
    assert slots["Draws"].tolist() == [DRAWS]


@pytest.mark.parametrize("share, shown", [(0.9998, 99.98), (0.99999, 99.99), (0.00001, 0.01), (1, 100), (0, 0),
                                          (0.125, 12.5), (None, None)])
def test_a_percentage_never_reads_all_or_none_when_it_is_not(share, shown):
    assert sheets.percent(share) == shown


def test_csv_round_trip_carries_the_same_tables_with_dates_in_words(frames):
    back = read_csv_zip(exports.to_csv_zip(frames))
    assert list(back) == list(frames)
    for name, frame in frames.items():
        assert list(back[name].columns) == list(frame.columns), name
        assert len(back[name]) == len(frame), name
    about = dict(zip(back["about"]["Item"], back["about"]["Value"]))
    assert about["Exported on (UTC)"] == "27 March 2027 09:30 UTC" and about["Prepared by"] == SECRETARIAT
    r = back["rankings"]
    assert r.loc[r["Entity"] == NAMES["p7"], "Shortlisted"].item() == "no"
    pd.testing.assert_series_equal(r["Total (0–100)"], frames["rankings"]["Total (0–100)"], check_dtype=False)
    s = back["scores"]
    assert REASON_P1 in s["Justification"].tolist()
    assert "bell \x07 and tab\tinside, \"quoted\"\nnew line" in s["Justification"].tolist()
    assert "'" + FORMULA in s["Justification"].tolist()  # made inert for a spreadsheet
    assert FORMULA not in s["Justification"].tolist()


def test_xlsx_header_is_bold_filtered_frozen_and_columns_fit(frames):
    wb = workbook(frames)
    assert wb.sheetnames == list(frames)
    for ws in wb.worksheets:
        head = [c.value for c in ws[1]]
        assert head == list(frames[ws.title].columns), ws.title
        assert all(c.font.b for c in ws[1]), ws.title
        assert ws.freeze_panes == "A2", ws.title
        assert ws.auto_filter.ref == f"A1:{ws[1][-1].column_letter}{ws.max_row}", ws.title
    ws = wb["rankings"]
    width = {c.value: ws.column_dimensions[c.column_letter].width for c in ws[1]}
    longest = max(len(NAMES[p]) for p in NAMES)
    assert width["Entity"] >= longest and width["Rank"] < width["Entity"]
    assert width["Slot"] >= len("Slot s1")
    assert all(w <= 60 for w in width.values())


def test_xlsx_widths_count_chinese_characters_double_and_headers_get_room():
    frames = {"t": pd.DataFrame({"Entity": [NAMES["p4"]], "Entity too": ["Mekong Centre"],
                                 "A long criterion name that needs several lines": [4.5]})}
    ws = workbook(frames)["t"]
    width = {c.value: ws.column_dimensions[c.column_letter].width for c in ws[1]}
    assert width["Entity"] >= 2 * len(NAMES["p4"]) > width["Entity too"] >= len("Mekong Centre")
    assert ws.row_dimensions[1].height >= 2 * 15  # the long header wraps onto a second line, shown whole


def test_xlsx_wraps_long_text_and_keeps_numbers_and_dates_typed(frames):
    wb = workbook(frames)
    reasons = column(wb["scores"], "Justification")
    assert all(c.alignment.wrap_text for c in reasons)
    texts = [c.value for c in reasons]
    assert REASON_P1 in texts and FORMULA in texts  # a formula stored as text, exactly
    assert "bell  and tab\tinside, \"quoted\"\nnew line" in texts  # a character XML cannot hold is dropped
    assert next(c for c in reasons if c.value == FORMULA).data_type == "s"
    about = {row[0].value: row[1] for row in wb["about"].iter_rows(min_row=2)}
    assert about["Lowest score of the scale"].value == 0 and about["Highest score of the scale"].value == 5
    assert about["Valid reviews needed per proposal"].value == 2
    assert about["Weight draws for robustness"].value == DRAWS
    assert about["Weight of Criterion networks (%)"].value == 60
    assert about["Exported on (UTC)"].value == MOMENT.replace(tzinfo=None) and about["Exported on (UTC)"].is_date
    totals = [c for c in column(wb["rankings"], "Total (0–100)") if c.value is not None]
    assert all(isinstance(c.value, (int, float)) and c.number_format == "0.0" for c in totals)
    shares = column(wb["robustness"], "Shortlisted in (% of draws)")
    assert all(isinstance(c.value, (int, float)) and "%" in c.number_format for c in shares)


def test_decision_sheet_after_advice_and_a_selection(six_db):
    assert "decision" not in exports.tables(six_db, draws=DRAWS)
    call_id = queries.resolve_call(six_db, None)["id"]
    chair = add_account(six_db, NewAccount(username="chair", display_name="Bureau Chair",
                                           password="a long enough password"), Role.BUREAU, actor="test")
    decision.record_advice(six_db, user=chair, call_id=call_id, slot_id="s1", advice="=1+1 The Bureau prefers p1.",
                           preferred_proposal="p1")
    select(six_db, "s1", "p1", notified_on="2027-04-01")
    frames = exports.tables(six_db, draws=DRAWS)
    d = frames["decision"]
    assert d["Step"].tolist() == ["Bureau's advice", "Selection"]
    assert d["Entity"].tolist() == [NAMES["p1"]] * 2 and set(d["Slot"]) == {"Slot s1"}
    assert d["By"].tolist() == ["Bureau Chair", SECRETARIAT]
    selected = d.iloc[1]
    assert selected["Notified on"] == dt.date(2027, 4, 1) and selected["Acceptance due"] == dt.date(2027, 5, 1)
    assert selected["Answer"] == "awaited"
    back = read_csv_zip(exports.to_csv_zip(frames))["decision"]
    assert back.iloc[1]["Notified on"] == "1 April 2027" and back.iloc[1]["Acceptance due"] == "1 May 2027"
    assert back.iloc[0]["Text"] == "'=1+1 The Bureau prefers p1."
    ws = workbook(frames)["decision"]
    assert [c.value for c in ws[1]] == list(d.columns) and all(c.font.b for c in ws[1])
    notified = column(ws, "Notified on")[1]
    assert notified.is_date and notified.value.date() == dt.date(2027, 4, 1)
    text = column(ws, "Text")[0]
    assert text.value == "=1+1 The Bureau prefers p1." and text.data_type == "s" and text.alignment.wrap_text


def test_the_demo_export_shows_no_record_id(db):
    call_id = bundle.store(db, bundle.from_dict(demo_bundle()), actor="test")
    frames = exports.tables(db, draws=50)
    ids = {r[0] for t in ("proposals", "entities", "reviewers", "criteria", "slots")
           for r in db.execute(f"SELECT id FROM {t} WHERE call_id = ?", [call_id])}
    prefixed = {i for i in ids if re.match(r"[a-z]+-", i)}  # p-savanes, e-savanes: never inside a cell either
    for fmt_frames in (frames, read_csv_zip(exports.to_csv_zip(frames))):
        for name, frame in fmt_frames.items():
            cells = [str(c) for c in frame.columns] + [str(v) for v in frame.to_numpy().ravel() if pd.notna(v)]
            assert not ids & set(cells), name
            assert not [c for c in cells if any(i in c for i in prefixed)], name
            assert not [c for c in cells if re.fullmatch(r"\d{4}-\d\d-\d\d(T.*)?", c)], name  # no ISO date


def test_build_picks_the_format(six_db):
    assert exports.build(six_db, fmt="csv", draws=DRAWS)[:2] == b"PK"
    assert exports.build(six_db, fmt="xlsx", draws=DRAWS)[:2] == b"PK"
    with pytest.raises(ValueError, match="unknown export format"):
        exports.build(six_db, fmt="ods")


def test_anonymous_calls_export_no_member_names(db, bundle_builder):
    from tests.reports.conftest import store_six

    store_six(db, bundle_builder, anonymous=True)
    frames = exports.tables(db, draws=DRAWS)
    assert set(frames["scores"]["Member"]) == {"Member A", "Member B", "Member C"}
    back = read_csv_zip(exports.to_csv_zip(frames))
    assert not any("Li Wei" in str(v) for f in back.values() for v in f.to_numpy().ravel())


def test_a_formula_as_column_header_is_inert():
    """A criterion or slot named like a formula heads a column: the header is neutralised like any cell."""
    frames = {"rankings": pd.DataFrame({"Entity": ["Institut"], FORMULA: [4.5]})}
    with zipfile.ZipFile(io.BytesIO(exports.to_csv_zip(frames))) as z:
        header = z.read("rankings.csv").decode("utf-8-sig").splitlines()[0]
    assert header.startswith("Entity,") and "'=HYPERLINK" in header
    cell = workbook(frames)["rankings"]["B1"]
    assert cell.value == FORMULA and cell.data_type == "s"


@pytest.mark.parametrize("typed", ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1"])
def test_text_that_starts_like_a_formula_stays_text(typed):
    frames = {"scores": pd.DataFrame({"Justification": [typed], "Leniency": [-0.5]})}
    back = read_csv_zip(exports.to_csv_zip(frames))["scores"]
    assert back["Justification"].tolist() == ["'" + typed] and back["Leniency"].tolist() == [-0.5]
    ws = workbook(frames)["scores"]
    assert (ws["A2"].value, ws["A2"].data_type) == (typed, "s")
    assert (ws["B2"].value, ws["B2"].data_type) == (-0.5, "n")


def test_a_criterion_named_like_a_column_gets_its_own_header(db, bundle_builder):
    b = bundle_builder(criteria=(("a", 1, 1), ("b", 1, 2)), min_reviews=1)
    b.proposal("p1", name="Institut")
    b.review("r1", "p1", [3, 4])
    data = b.dict()
    for criterion in data["call"]["criteria"]:
        criterion["name"] = "Total (0–100)"
    bundle.store(db, bundle.from_dict(data), actor="test")
    r = exports.tables(db, draws=20)["rankings"]
    assert list(r.columns)[6:9] == ["Total (0–100)", "Total (0–100) (2)", "Total (0–100) (3)"]
    assert r[["Total (0–100) (2)", "Total (0–100) (3)"]].values.tolist() == [[3.0, 4.0]]
