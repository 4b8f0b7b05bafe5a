"""Validation of a call's criteria set, and weights shown as percentages."""

from __future__ import annotations

import pytest

from criteria.sets import default_criteria, validate_criteria, weight_percentages


def crit(cid="a", weight=1, priority=1, threshold=None) -> dict:
    return {"id": cid, "name": f"Criterion {cid}", "weight": weight, "priority": priority, "threshold": threshold}


def test_the_default_set_is_sound():
    assert validate_criteria(default_criteria(), 0, 5) == []
    assert validate_criteria(default_criteria(threshold=2.5), 0, 5) == []


def test_a_sound_custom_set_has_no_problem():
    criteria = [crit("a", 30, 2, 0), crit("b", 0.5, 1, 5), crit("c", 70, 3)]
    assert validate_criteria(criteria, 0, 5) == []


def test_at_least_one_criterion():
    assert validate_criteria([], 0, 5) == ["criteria: a call needs at least one criterion"]


@pytest.mark.parametrize("weight", [0, -25, -0.5])
def test_weights_must_be_positive(weight):
    problems = validate_criteria([crit("a", 10, 1), crit("b", weight, 2)], 0, 5)
    assert len(problems) == 1
    assert problems[0].startswith("criteria[1].weight: ")
    assert "positive" in problems[0]


@pytest.mark.parametrize("weight", ["25", None, True, float("nan"), float("inf")])
def test_weights_must_be_numbers(weight):
    problems = validate_criteria([crit("a", weight, 1)], 0, 5)
    assert [p.split(":")[0] for p in problems] == ["criteria[0].weight"]


def test_priorities_must_be_unique():
    problems = validate_criteria([crit("a", 1, 1), crit("b", 1, 2), crit("c", 1, 1)], 0, 5)
    assert problems == ["criteria[2].priority: 1 is already the priority of criteria[0]"]


@pytest.mark.parametrize("priority", [0, -1, 1.5, "1", None])
def test_priorities_are_whole_numbers_from_one(priority):
    problems = validate_criteria([crit("a", 1, priority)], 0, 5)
    assert len(problems) == 1 and problems[0].startswith("criteria[0].priority: ")


def test_ids_must_be_unique_and_present():
    problems = validate_criteria([crit("a", 1, 1), crit("a", 1, 2), crit("", 1, 3)], 0, 5)
    assert problems == [
        "criteria[1].id: 'a' is already the id of criteria[0]",
        "criteria[2].id: every criterion needs an id",
    ]


@pytest.mark.parametrize(("threshold", "ok"), [(0, True), (5, True), (2.5, True), (-0.5, False), (5.5, False)])
def test_thresholds_must_lie_on_the_scale(threshold, ok):
    problems = validate_criteria([crit("a", 1, 1, threshold)], 0, 5)
    if ok:
        assert problems == []
    else:
        assert problems == [f"criteria[0].threshold: {threshold:g} is outside the scale 0..5"]


def test_thresholds_follow_the_calls_scale():
    assert validate_criteria([crit("a", 1, 1, 7)], 0, 10) == []
    assert validate_criteria([crit("a", 1, 1, 7)], 0, 5) != []


def test_every_problem_is_reported_at_once():
    problems = validate_criteria([crit("a", 0, 1, 9), crit("a", -1, 1)], 0, 5)
    assert [p.split(":")[0] for p in problems] == [
        "criteria[0].weight", "criteria[0].threshold", "criteria[1].id", "criteria[1].weight", "criteria[1].priority",
    ]


def test_weight_percentages_of_the_demo_weights():
    assert weight_percentages({"networks": 30, "expertise": 25, "tsc_experience": 25, "capacity": 20}) == {
        "networks": 30.0, "expertise": 25.0, "tsc_experience": 25.0, "capacity": 20.0,
    }


def test_weight_percentages_add_up_to_100():
    shares = weight_percentages({"a": 1, "b": 1, "c": 2})
    assert shares == {"a": 25.0, "b": 25.0, "c": 50.0}
    thirds = weight_percentages({"a": 1, "b": 1, "c": 1})
    assert sum(thirds.values()) == pytest.approx(100)
    assert thirds["a"] == pytest.approx(100 / 3)


def test_weight_percentages_need_a_positive_sum():
    with pytest.raises(ValueError):
        weight_percentages({"a": 0})
