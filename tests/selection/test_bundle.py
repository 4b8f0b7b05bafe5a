"""The bundle: every rule of "What makes a bundle invalid", storing, replacing, exporting."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from selection import audit, queries
from selection import bundle as bundle_mod
from selection.bundle import BundleInvalid, CallExists

CONTRACT_EXAMPLE = Path(__file__).resolve().parents[3] / "shared" / "contract" / "bundle-example.json"


def test_example_copy_matches_contract(example_path):
    """tests/data keeps a copy of the contract's example; it must not drift from the original."""
    if not CONTRACT_EXAMPLE.exists():
        pytest.skip("shared/contract is not beside this checkout")
    assert json.loads(example_path.read_text("utf-8")) == json.loads(CONTRACT_EXAMPLE.read_text("utf-8"))


def test_example_bundle_is_valid(example_path):
    b = bundle_mod.parse(example_path.read_bytes())
    assert b.call.reference == "TSC-HOST-2026-01"
    assert [s.id for s in b.call.slots] == ["africa", "asia-pacific"]
    assert len(b.proposals) == 6 and len(b.scores) == 91 and len(b.consensus) == 1


# --------------------------------------------------------------------------- refusals


def test_invalid_bundle_names_the_place(invalid_case, find_problem):
    data, path, words = invalid_case
    with pytest.raises(BundleInvalid) as refused:
        bundle_mod.from_dict(data)
    problems = refused.value.problems
    assert find_problem(problems, path, words), f"no problem names {path!r} ({words!r}) in {problems}"
    assert all(": " in p for p in problems)
    assert "Traceback" not in str(refused.value)


def test_the_contract_example_message_word_for_word(example_dict):
    example_dict["scores"][17]["score"] = 7
    with pytest.raises(BundleInvalid) as refused:
        bundle_mod.from_dict(example_dict)
    assert refused.value.problems == ["scores[17].score: 7 is above the scale maximum 5"]


def test_every_problem_is_reported_at_once(example_dict):
    example_dict["scores"][0]["score"] = 9
    example_dict["scores"][40]["criterion"] = "budget"
    example_dict["call"]["criteria"][1]["priority"] = 1
    with pytest.raises(BundleInvalid) as refused:
        bundle_mod.from_dict(example_dict)
    paths = sorted(p.split(":")[0] for p in refused.value.problems)
    assert paths == ["call.criteria[1].priority", "scores[0].score", "scores[40].criterion"]


def test_each_bad_reference_is_named_with_its_own_index(example_dict):
    """A reference error names the exact entry, not the first one of its kind."""
    example_dict["scores"][90]["reviewer"] = "r-ghost"
    with pytest.raises(BundleInvalid) as refused:
        bundle_mod.from_dict(example_dict)
    assert refused.value.problems == ["scores[90].reviewer: 'r-ghost' is not the id of any reviewer in the bundle"]


@pytest.mark.parametrize(
    "text, words",
    [
        (b"{not json", "not valid JSON"),
        (b"", "not valid JSON"),
        (b"[1, 2]", "JSON object"),
        (b'"a string"', "JSON object"),
        ("\udcff".encode("utf-8", "surrogatepass"), "not valid JSON"),
    ],
)
def test_not_a_bundle_at_all(text, words):
    with pytest.raises(BundleInvalid) as refused:
        bundle_mod.parse(text)
    assert refused.value.problems[0].startswith("(bundle): ")
    assert words in refused.value.problems[0]


@pytest.mark.parametrize(
    "where, value",
    [("call.scale.max", 1e400), ("call.criteria.0.weight", 1e400), ("scores.0.score", float("nan"))],
    ids=["scale-max-infinite", "weight-infinite", "score-nan"],
)
def test_non_finite_numbers_are_refused_with_a_path(example_dict, where, value):
    """1e400 is valid JSON that Python reads as infinity: it must be refused, not crash or rank as NaN."""
    *parents, last = where.split(".")
    target = example_dict
    for p in parents:
        target = target[int(p)] if p.isdigit() else target[p]
    target[int(last) if last.isdigit() else last] = value
    text = json.dumps(example_dict).replace("Infinity", "1e400")
    with pytest.raises(BundleInvalid) as refused:
        bundle_mod.parse(text)
    expected = where.replace(".0.", "[0].").replace("s.0", "s[0]")
    assert any(p.startswith(expected) for p in refused.value.problems), refused.value.problems


def test_scores_are_checked_against_the_calls_own_scale(bundle_builder, find_problem):
    b = bundle_builder(scale=(1, 10, 1)).proposal("p1")
    b.review("r1", "p1", [10]).review("r2", "p1", [1])
    assert b.bundle()  # both ends of the scale are allowed
    for bad, words in ((0, "below the scale minimum 1"), (11, "above the scale maximum 10"), (5.5, "step of 1")):
        data = b.dict()
        data["scores"][1]["score"] = bad
        with pytest.raises(BundleInvalid) as refused:
            bundle_mod.from_dict(data)
        assert find_problem(refused.value.problems, "scores[1].score", words), refused.value.problems


def test_step_grid_starts_at_the_scale_minimum(bundle_builder):
    """On a 1..10 scale with step 1.5, the points are 1, 2.5, 4, ...: 2.5 is on it, 3 is not."""
    b = bundle_builder(scale=(1, 10, 1.5)).proposal("p1").review("r1", "p1", [2.5])
    assert b.bundle()
    data = b.dict()
    data["scores"][0]["score"] = 3
    with pytest.raises(BundleInvalid):
        bundle_mod.from_dict(data)


def test_a_criterion_threshold_may_equal_either_end_of_the_scale(bundle_builder, find_problem):
    """A threshold at the scale minimum is allowed (every score meets it); just below it is refused."""
    for threshold in (1, 10):
        b = bundle_builder(criteria=[("c1", 1, 1, threshold)], scale=(1, 10, 1)).proposal("p1")
        b.review("r1", "p1", [10])
        assert b.bundle().call.criteria[0].threshold == threshold
    for threshold in (0.5, 10.5):
        data = bundle_builder(criteria=[("c1", 1, 1, threshold)], scale=(1, 10, 1)).dict()
        with pytest.raises(BundleInvalid) as refused:
            bundle_mod.from_dict(data)
        assert find_problem(refused.value.problems, "call.criteria[0].threshold", "outside the scale 1..10")


def test_optional_keys_may_be_left_out_and_defaults_apply(bundle_builder):
    data = bundle_builder().proposal("p1").dict()
    for key in ("reviewers", "conflicts", "scores", "consensus"):
        del data[key]
    del data["call"]["min_reviews"]
    b = bundle_mod.from_dict(data)
    assert (b.call.scale.min, b.call.scale.max, b.call.scale.step) == (0, 5, 0.5)
    assert b.call.min_reviews == 3
    assert b.call.overall_threshold is None
    assert b.scores == [] and b.consensus == []


def test_ids_need_only_be_unique_within_one_list(bundle_builder):
    """A slot, a criterion and a proposal may share an id: they live in different lists."""
    b = bundle_builder(criteria=[("x", 1, 1)], slots=["x"]).proposal("x").review("x", "x", [3])
    assert b.bundle().proposals[0].id == "x"


# --------------------------------------------------------------------------- storing


def test_store_writes_every_list(db, example_bundle):
    call_id = bundle_mod.store(db, example_bundle, actor="test")
    assert bundle_mod.call_counts(db, call_id) == {
        "slots": 2, "criteria": 4, "entities": 6, "proposals": 6,
        "reviewers": 4, "conflicts": 1, "scores": 91, "consensus": 1,
    }
    loaded = audit.events(db, call="TSC-HOST-2026-01", action_prefix="bundle.loaded")
    assert len(loaded) == 1 and loaded[0]["actor"] == "test" and loaded[0]["new"]["scores"] == 91


def test_existing_reference_is_refused_and_nothing_changes(db, example_dict, counts):
    bundle_mod.store(db, bundle_mod.from_dict(example_dict), actor="test")
    before = counts(db)
    changed = copy.deepcopy(example_dict)
    changed["call"]["title"] = "Another title"
    changed["scores"] = changed["scores"][:10]
    with pytest.raises(CallExists) as refused:
        bundle_mod.store(db, bundle_mod.from_dict(changed), actor="test")
    assert str(refused.value).startswith("call.reference: ")
    assert "TSC-HOST-2026-01" in str(refused.value)
    assert counts(db) == before
    assert bundle_mod.export(db, "TSC-HOST-2026-01") == bundle_mod.from_dict(example_dict)


def test_replace_swaps_the_call_whole(db, example_dict, counts):
    bundle_mod.store(db, bundle_mod.from_dict(example_dict), actor="test")
    changed = copy.deepcopy(example_dict)
    changed["call"]["title"] = "Amended call"
    changed["scores"] = [s for s in changed["scores"] if s["proposal"] != "p-gulf"]
    bundle_mod.store(db, bundle_mod.from_dict(changed), actor="test", replace=True)
    assert db.execute("SELECT count(*), max(title) FROM calls").fetchone() == (1, "Amended call")
    assert counts(db)["scores"] == 91 - 16
    assert bundle_mod.export(db, "TSC-HOST-2026-01") == bundle_mod.from_dict(changed)
    replaced = audit.events(db, call="TSC-HOST-2026-01", action_prefix="call.replaced")
    assert len(replaced) == 1 and replaced[0]["old"]["scores"] == 91


def test_two_calls_live_side_by_side_with_the_same_ids(db, example_dict):
    bundle_mod.store(db, bundle_mod.from_dict(example_dict), actor="test")
    other = copy.deepcopy(example_dict)
    other["call"]["reference"] = "TSC-HOST-2027-01"
    other["scores"] = other["scores"][:16]
    bundle_mod.store(db, bundle_mod.from_dict(other), actor="test")
    assert queries.call_references(db) == ["TSC-HOST-2026-01", "TSC-HOST-2027-01"]
    assert len(bundle_mod.export(db, "TSC-HOST-2026-01").scores) == 91
    assert len(bundle_mod.export(db, "TSC-HOST-2027-01").scores) == 16


# --------------------------------------------------------------------------- export


def test_export_of_an_unknown_call_is_refused(db):
    with pytest.raises(LookupError, match="NOPE"):
        bundle_mod.export(db, "NOPE")


def test_export_gives_back_the_loaded_bundle(db, example_bundle):
    bundle_mod.store(db, example_bundle, actor="test")
    assert bundle_mod.export(db, example_bundle.call.reference) == example_bundle


def test_example_round_trip_gives_the_same_ranking(db, tmp_path, example_bundle):
    from selection import store

    bundle_mod.store(db, example_bundle, actor="test")
    text = bundle_mod.dumps(bundle_mod.export(db, example_bundle.call.reference))
    other = store.connect(tmp_path / "other.db")
    bundle_mod.store(other, bundle_mod.parse(text), actor="test")
    first = queries.ranking_inputs(db).rank().to_contract("R")
    again = queries.ranking_inputs(other).rank().to_contract("R")
    from_file = queries.bundle_inputs(example_bundle).rank().to_contract("R")
    assert first == again == from_file


NAMES = {
    "zh": "湄公河生物多样性合作中心",
    "ar": "مركز الخليج للتنوع البيولوجي",
    "ru": "Институт экологии лесостепи «Зелёный рубеж»",
    "fr": "Institut sahélien pour la biodiversité — forêts & savanes",
    "es": "Fundación Estepa y Glaciar (Patagonia, año 2026)",
    "quote": 'A "quoted" <name> with \\ backslash',
}


@pytest.fixture
def many_scripts(bundle_builder):
    b = bundle_builder(criteria=[("réseaux", 2, 1, 2.5), ("专业", 1, 2)], slots=["afrique", "亚太"])
    for i, (lang, name) in enumerate(NAMES.items()):
        b.proposal(f"p-{lang}", slots=["afrique"] if i % 2 else ["afrique", "亚太"], name=name)
        b.reviewer(f"r-{lang}", name=name)
        b.review(f"r-{lang}", f"p-{lang}", [3, 4.5])
    b.data["call"]["title"] = "Appel — 征集 — دعوة — Призыв"
    b.data["call"]["dates"] = {"notified_on": "2026-01-15", "decided_on": None}
    b.data["entities"][0].update(acronym="湄公", country="CN", kind="学术", website="https://例子.example/",
                                 contact_email="info@example.org")
    b.data["proposals"][0].update(summary="摘要 — ملخص", submitted_at="2026-03-01T10:00:00Z",
                                  sections={"réseaux": "Réseaux régionaux", "专业": "专业知识"})
    b.data["conflicts"].append({"reviewer": "r-ar", "proposal": "p-zh", "reason": "سبب"})
    b.data["consensus"].append({"proposal": "p-ru", "criterion": "专业", "score": 5, "note": "Согласовано"})
    return b.bundle()


def test_non_latin_round_trip_is_stable(db, tmp_path, many_scripts):
    from selection import store

    bundle_mod.store(db, many_scripts, actor="test")
    first = bundle_mod.dumps(bundle_mod.export(db, "TEST-CALL-1"))
    for name in NAMES.values():
        assert json.dumps(name, ensure_ascii=False) in first  # readable, not \u-escaped
    other = store.connect(tmp_path / "again.db")
    bundle_mod.store(other, bundle_mod.parse(first), actor="test")
    again = bundle_mod.dumps(bundle_mod.export(other, "TEST-CALL-1"))
    assert again == first
    assert bundle_mod.parse(first) == many_scripts


def test_dumps_is_a_valid_bundle_with_the_format(many_scripts):
    text = bundle_mod.dumps(many_scripts)
    data = json.loads(text)
    assert data["format"] == "host-selection-bundle/1"
    assert set(data) == {"format", "call", "entities", "proposals", "reviewers", "conflicts", "scores", "consensus"}
    assert bundle_mod.parse(text) == many_scripts
