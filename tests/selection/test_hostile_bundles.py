"""Hostile bundles: each refused whole by ``load`` with exit status 2, a message naming the place, no
traceback, nothing stored, and a message a terminal shows as plain text."""

from __future__ import annotations

import json
import re

import pytest

from selection import bundle as bundle_mod

from .test_cli import run, snapshot, write

PREVIOUS = "PREVIOUS-CALL"


@pytest.fixture
def refused(tmp_path, example_dict):
    """``refused(text)``: load the bundle text into a database that holds another call; return stderr
    after checking exit status 2, no traceback and that nothing changed."""
    db_path = tmp_path / "s.db"
    previous = json.loads(json.dumps(example_dict))
    previous["call"]["reference"] = PREVIOUS
    assert run("load", write(tmp_path / "previous.json", previous), "--db", db_path).exit_code == 0
    before = snapshot(db_path)

    def load(text: str | bytes) -> str:
        path = tmp_path / "hostile.json"
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass"))
        result = run("load", path, "--db", db_path)
        assert result.exit_code == 2, result.output
        assert "nothing was stored" in result.stderr
        assert "Traceback" not in result.output
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]", result.stderr), "raw control characters"
        assert len(result.stderr) < 20_000
        assert snapshot(db_path) == before
        return result.stderr

    return load


def dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False)


def with_value(data: dict, value_text: str, where: str) -> str:
    """The bundle as JSON with the value at ``where`` (e.g. "call.criteria.0.priority") written as given."""
    *parents, last = where.split(".")
    target = data
    for p in parents:
        target = target[int(p)] if p.isdigit() else target[p]
    target[int(last) if last.isdigit() else last] = "@@HERE@@"
    return dumps(data).replace('"@@HERE@@"', value_text)


# --------------------------------------------------------------------------- nesting


def test_100000_deep_nesting_in_the_call(refused, example_dict):
    err = refused(with_value(example_dict, "[" * 100_000 + "]" * 100_000, "call.title"))
    assert "  call: nested more than 20 levels deep" in err


def test_100000_deep_nesting_as_the_whole_document(refused):
    assert "(bundle): nested more than 20 levels deep" in refused("[" * 100_000 + "]" * 100_000)


def test_100000_deep_nesting_inside_a_score(refused, example_dict):
    err = refused(with_value(example_dict, "{\"a\": " * 100_000 + "1" + "}" * 100_000, "scores.3.score"))
    assert "  scores[3]: nested more than 20 levels deep" in err


def test_nesting_just_beyond_the_bound_names_the_deepest_place(refused, example_dict):
    err = refused(with_value(example_dict, "[" * 30 + "]" * 30, "call.slots.1.name"))
    assert "  call.slots[1].name" in err and "nested more than 20 levels deep" in err


# --------------------------------------------------------------------------- numbers


def test_huge_integer_priority(refused, example_dict):
    example_dict["call"]["criteria"][0]["priority"] = 10**30
    assert "  call.criteria[0].priority: Input should be less than or equal to 1000" in refused(dumps(example_dict))


def test_huge_integer_min_reviews(refused, example_dict):
    example_dict["call"]["min_reviews"] = 10**30
    assert "  call.min_reviews: Input should be less than or equal to 1000" in refused(dumps(example_dict))


@pytest.mark.parametrize("end, value", [("min", -1e308), ("max", 1e308)])
def test_a_scale_of_1e308(refused, example_dict, end, value):
    example_dict["call"]["scale"] = {"min": -1e308, "max": 1e308, "step": 1}
    err = refused(dumps(example_dict))
    assert f"  call.scale.{end}: Input should be" in err and "1000000" in err


def test_a_5000_digit_integer(refused, example_dict):
    err = refused(with_value(example_dict, "9" * 5000, "call.criteria.1.priority"))
    assert "  call.criteria[1].priority: " in err


def test_a_5000_digit_integer_as_a_score(refused, example_dict):
    err = refused(with_value(example_dict, "4" * 5000, "scores.17.score"))
    assert "  scores[17].score: a number of 5,000 digits is too long to be read" in err


def test_a_5000_digit_decimal_as_a_score(refused, example_dict):
    err = refused(with_value(example_dict, "4" * 5000 + ".5", "scores.17.score"))
    assert "  scores[17].score: Input should be a finite number" in err


def test_a_step_that_makes_millions_of_points(refused, example_dict):
    example_dict["call"]["scale"] = {"min": 0, "max": 5, "step": 0.000001}
    err = refused(dumps(example_dict))
    assert "  call.scale: step 1e-06 makes 5,000,001 points on the scale 0..5; a scale may have at most 1,001 points" in err


def test_a_scale_of_exactly_the_largest_number_of_points_loads(tmp_path, bundle_builder):
    b = bundle_builder(scale=(0, 100, 0.1)).proposal("p1").review("r1", "p1", [99.9])
    assert run("load", write(tmp_path / "b.json", b.dict()), "--db", tmp_path / "s.db").exit_code == 0


# --------------------------------------------------------------------------- characters and lengths


@pytest.mark.parametrize(
    "where, value, shown",
    [
        ("proposals.0.id", "p-nul\x00", "U+0000"),
        ("reviewers.1.id", "r\x07", "U+0007"),
        ("entities.2.name", "Centre \u202egnirtsni\u202c", "U+202E (right-to-left override)"),
        ("reviewers.0.name", "\x1b[31mRed member\x1b[0m", "U+001B"),
        ("call.slots.0.name", "Africa\x9b", "U+009B"),
        ("call.criteria.0.id", "net\u2066works", "U+2066 (left-to-right isolate)"),
        ("scores.5.justification", "fine\x1b]8;;https://evil.example\x07link", "U+001B"),
        ("consensus.0.note", "agreed\x00", "U+0000"),
    ],
    ids=["nul-in-id", "bell-in-id", "bidi-override-in-name", "ansi-in-name", "c1-control-in-name",
         "bidi-isolate-in-id", "ansi-hyperlink-in-justification", "nul-in-note"],
)
def test_control_and_bidi_characters(refused, example_dict, where, value, shown):
    err = refused(with_value(example_dict, json.dumps(value), where))
    path = re.sub(r"\.(\d+)", r"[\1]", where)
    assert f"  {path}: contains the character {shown}" in err


def test_texts_may_still_hold_line_breaks_and_tabs(tmp_path, example_dict):
    example_dict["scores"][0]["justification"] = "First point.\n\tSecond point.\r\n"
    example_dict["proposals"][0]["summary"] = "Line one\nLine two"
    assert run("load", write(tmp_path / "b.json", example_dict), "--db", tmp_path / "s.db").exit_code == 0


def test_an_unknown_key_full_of_escapes_is_shown_escaped(refused, example_dict):
    example_dict["call"]["\x1b[2Jwiped"] = 1
    assert "  call.'\\x1b[2Jwiped': unknown key" in refused(dumps(example_dict))


@pytest.mark.parametrize("blank", ["", "   ", "\u3000"])
def test_a_blank_reference(refused, example_dict, blank):
    example_dict["call"]["reference"] = blank
    assert "  call.reference: " in refused(dumps(example_dict))


def test_a_megabyte_id(refused, example_dict):
    example_dict["proposals"][0]["id"] = "p" * 1_000_000
    assert "  proposals[0].id: String should have at most 200 characters" in refused(dumps(example_dict))


def test_a_megabyte_name(refused, example_dict):
    example_dict["entities"][0]["name"] = "Institut " * 120_000
    assert "  entities[0].name: String should have at most 500 characters" in refused(dumps(example_dict))


def test_a_megabyte_reference_in_a_score(refused, example_dict):
    example_dict["scores"][9]["reviewer"] = "r" * 1_000_000
    assert "  scores[9].reviewer: String should have at most 200 characters" in refused(dumps(example_dict))


def test_a_megabyte_format_is_not_echoed_whole(refused, example_dict):
    example_dict["format"] = "x" * 1_000_000
    assert "  format: unknown format 'xxxx" in refused(dumps(example_dict))


@pytest.mark.parametrize(
    "where, limit", [("call.title", 500), ("entities.0.acronym", 500), ("reviewers.0.affiliation", 500),
                     ("call.criteria.0.description", 200_000), ("proposals.0.summary", 200_000)])
def test_every_string_has_a_length_bound(refused, example_dict, where, limit):
    err = refused(with_value(example_dict, json.dumps("a" * (limit + 1)), where))
    assert f"at most {limit} characters" in err


# --------------------------------------------------------------------------- duplicate keys and ids


def test_a_second_scores_key_does_not_silently_drop_every_score(refused, example_dict):
    text = dumps(example_dict)
    assert text.endswith("}")
    err = refused(text[:-1] + ', "scores": []}')
    assert "  scores: this key is given twice in the bundle; give each key once" in err


def test_a_duplicate_key_inside_the_call(refused, example_dict):
    text = dumps(example_dict).replace('"min_reviews": 3', '"min_reviews": 3, "min_reviews": 1', 1)
    assert "  call.min_reviews: this key is given twice in one object" in refused(text)


def test_a_duplicate_key_inside_a_score(refused, example_dict):
    example_dict["scores"][4]["score"] = "@@HERE@@"
    text = dumps(example_dict).replace('"score": "@@HERE@@"', '"score": 1, "score": 4')
    assert "  scores[4].score: this key is given twice in one object" in refused(text)


def test_a_duplicate_id_names_the_id_itself(refused, example_dict):
    example_dict["proposals"][2]["id"] = "p-lakes"
    assert "  proposals[2].id: 'p-lakes' is already the id of proposals[1]" in refused(dumps(example_dict))


# --------------------------------------------------------------------------- the streamed list


def test_problems_deep_in_a_long_list_of_scores_are_named_by_their_index(bundle_builder):
    """The scores are read in batches of about a megabyte: a problem far into the list still names its
    own entry, and every problem is found."""
    b = bundle_builder()
    for i in range(2_000):
        b.proposal(f"p{i}").reviews(f"p{i}", [1], [2], [3], [4])
    data = b.dict()
    for s in data["scores"]:
        s["justification"] = "Reasons, quoted at length. " * 8
    count = len(data["scores"])
    data["scores"][count - 7]["score"] = 9
    data["scores"][5_000]["reviewer"] = "r-ghost"
    data["scores"].append(dict(data["scores"][100]))
    assert len(json.dumps(data)) > 2 * (1 << 20)
    with pytest.raises(bundle_mod.BundleInvalid) as refused:
        bundle_mod.parse(json.dumps(data))
    assert refused.value.problems == [
        "scores[5000].reviewer: 'r-ghost' is not the id of any reviewer in the bundle",
        f"scores[{count - 7}].score: 9 is above the scale maximum 5",
        f"scores[{count}] (same reviewer, proposal and criterion): duplicate of scores[100]",
    ]


def test_scores_written_with_any_spacing_read_the_same(example_dict):
    compact = bundle_mod.parse(json.dumps(example_dict, separators=(",", ":")))
    spaced = bundle_mod.parse(json.dumps(example_dict, indent=3).replace("},", "}\n ,\n"))
    assert compact.model_dump() == spaced.model_dump() == bundle_mod.from_dict(example_dict).model_dump()
