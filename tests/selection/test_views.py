"""A call's view is computed once and kept until the call changes; the counts pages show come from grouped queries."""

from __future__ import annotations

import pandas as pd
import pytest

from criteria import ranking as rk
from selection import analysis, bundle, queries, store, views
from selection.demo import accounts as demo_accounts
from selection.demo import demo_bundle
from selection.services import meeting, screening
from selection.permissions import User
from selection.models import Role

STAFF = User(id=0, username="sec", display_name="Officer", role=Role.SECRETARIAT)


@pytest.fixture
def demo(tmp_path):
    db = store.connect(tmp_path / "views.db")
    call_id = bundle.store(db, bundle.from_dict(demo_bundle()), actor="test")
    demo_accounts.create(db, call_id)
    reference = queries.resolve_call(db, None)["reference"]
    return db, call_id, reference


def test_a_view_is_kept_while_nothing_changes(demo):
    db, _, ref = demo
    first = views.for_call(db, ref)
    assert views.for_call(db, ref) is first
    again = store.connect(store.database_file(db))  # another session's connection to the same file
    assert views.for_call(again, ref) is first


def test_a_write_gives_a_fresh_view_with_the_new_ranking(demo):
    db, call_id, ref = demo
    before = views.for_call(db, ref)
    first = before.ranking.slot("africa").table["proposal"].iloc[0]
    screening.set_status(db, user=STAFF, call_id=call_id, proposal_id=first, status="ineligible",
                         reason="Not a legal entity.")
    after = views.for_call(db, ref)
    assert after is not before
    assert first not in after.ranking.slot("africa").table["proposal"].tolist()
    assert after.ranking.to_contract(ref) == queries.ranking_inputs(db, ref).rank().to_contract(ref)


def test_the_view_s_analysis_is_computed_once_and_renewed_with_the_view(demo):
    db, call_id, ref = demo
    doc = views.for_call(db, ref).analysis()
    assert views.for_call(db, ref).analysis() is doc
    meeting.record_consensus(db, user=STAFF, call_id=call_id, proposal_id="p-kessoua", criterion_id="networks",
                             score=5.0, note="Agreed after the letters were read.")
    fresh = views.for_call(db, ref)
    assert fresh.analysis() is not doc
    assert ("p-kessoua", "networks", 5.0) in fresh.inputs.consensus.itertuples(index=False, name=None)


def test_what_a_transaction_has_not_committed_never_enters_a_kept_view(demo):
    db, _, ref = demo
    kept = views.for_call(db, ref)
    with pytest.raises(RuntimeError), store.transaction(db):
        db.execute("DELETE FROM consensus")
        inside = views.for_call(db, ref)
        assert inside is not kept and inside.inputs.consensus.empty
        raise RuntimeError("rolled back")
    assert views.for_call(db, ref) is kept and not kept.inputs.consensus.empty


def test_an_in_memory_store_is_never_cached():
    db = store.connect(":memory:")
    call_id = bundle.store(db, bundle.from_dict(demo_bundle()), actor="test")
    ref = queries.resolve_call(db, None)["reference"]
    assert call_id and views.for_call(db, ref) is not views.for_call(db, ref)


def test_the_overview_counts_each_proposal_s_assignments_conflicts_and_reviews(demo):
    db, call_id, _ = demo
    overview = queries.proposals_overview(db, call_id).set_index("Proposal")
    a = pd.DataFrame(db.execute("SELECT proposal_id, conflict FROM assignments").fetchall(), columns=["p", "c"])
    r = pd.DataFrame(db.execute("SELECT proposal_id FROM review_submissions").fetchall(), columns=["p"])
    assert overview["Assigned"].to_dict() == a.groupby("p").size().reindex(overview.index, fill_value=0).to_dict()
    assert overview["Conflicts"].to_dict() == a.groupby("p")["c"].sum().reindex(overview.index, fill_value=0).to_dict()
    assert overview["Reviews submitted"].to_dict() == r.groupby("p").size().reindex(overview.index,
                                                                                    fill_value=0).to_dict()
    assert overview.loc["p-woodlands", "Slots"].split(", ") == sorted(
        s for (s,) in db.execute("SELECT slot_id FROM proposal_slots WHERE proposal_id = 'p-woodlands'"))
    assert queries.status_counts(db, call_id) == overview["Status"].value_counts().to_dict()


@pytest.mark.parametrize("sql,searched", [
    ("SELECT count(*) FROM assignments WHERE call_id = 1 AND proposal_id = 'p'", "proposal_id=?"),
    ("SELECT count(*) FROM review_submissions WHERE call_id = 1 AND proposal_id = 'p'", "proposal_id=?"),
    ("SELECT id, at FROM audit WHERE call_reference = 'X' ORDER BY id DESC LIMIT 1", "call_reference=?"),
])
def test_per_proposal_counts_and_the_change_counter_search_an_index(demo, sql, searched):
    db, _, _ = demo
    plan = " ".join(str(r[-1]) for r in db.execute("EXPLAIN QUERY PLAN " + sql))
    assert "SEARCH" in plan and searched in plan and "TEMP B-TREE" not in plan, plan


def test_the_kept_analysis_is_the_one_the_command_line_computes(demo):
    db, _, ref = demo
    assert views.for_call(db, ref).analysis() == analysis.analyse(queries.ranking_inputs(db, ref))


def test_a_what_if_is_kept_for_the_same_weights_and_re_ranked_for_others(demo):
    db, call_id, ref = demo
    view = views.for_call(db, ref)
    heavy = {"networks": 10.0, "expertise": 10.0, "tsc_experience": 10.0, "capacity": 70.0}
    light = {**heavy, "capacity": 5.0, "networks": 75.0}
    first = view.what_if(heavy)
    assert view.what_if(dict(reversed(heavy.items()))) is first  # the same weights, in any order
    other = view.what_if(light)
    assert other.to_contract(ref) == rk.what_if(view.ranking, view.inputs.rules, light).to_contract(ref)
    assert other.to_contract(ref) != first.to_contract(ref)
    assert view.what_if(heavy).to_contract(ref) == first.to_contract(ref)
    meeting.record_consensus(db, user=STAFF, call_id=call_id, proposal_id="p-kessoua", criterion_id="capacity",
                             score=0.0, note="The audited accounts were not produced.")
    fresh = views.for_call(db, ref).what_if(heavy)
    assert fresh.to_contract(ref) != first.to_contract(ref)
    assert fresh.to_contract(ref) == rk.what_if(queries.ranking_inputs(db, ref).rank(), view.inputs.rules,
                                                heavy).to_contract(ref)
