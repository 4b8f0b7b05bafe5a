"""``python -m selection``: what a secretariat sees at the command line."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from selection import store
from selection.cli import cli

REPO = Path(__file__).resolve().parents[2]


def run(*args: str):
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


def write(path: Path, data) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False) if not isinstance(data, str) else data, encoding="utf-8")
    return path


@pytest.fixture
def loaded(db_path, example_path):
    """A database that already holds the example call."""
    assert run("load", example_path, "--db", db_path).exit_code == 0
    return db_path


def snapshot(db_path: Path) -> tuple[dict, str]:
    """Every table's row count and the export of every call: what must not change."""
    db = store.connect(db_path)
    try:
        from selection import bundle as bundle_mod
        from selection import queries

        exports = "\n".join(bundle_mod.dumps(bundle_mod.export(db, ref)) for ref in queries.call_references(db))
        return dict(
            (t, db.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0])
            for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")
        ), exports
    finally:
        db.conn.close()


# --------------------------------------------------------------------------- load


def test_load_reports_what_it_stored(db_path, example_path):
    result = run("load", example_path, "--db", db_path)
    assert result.exit_code == 0
    assert "TSC-HOST-2026-01" in result.output and "2 slots, 6 proposals, 4 reviewers, 91 scores" in result.output
    counts, _ = snapshot(db_path)
    assert counts["calls"] == 1 and counts["scores"] == 91


def test_an_invalid_bundle_exits_2_names_the_place_and_stores_nothing(invalid_case, tmp_path, example_dict):
    data, path, words = invalid_case
    db_path = tmp_path / "s.db"
    previous = copy.deepcopy(example_dict)
    previous["call"]["reference"] = "PREVIOUS-CALL"
    assert run("load", write(tmp_path / "previous.json", previous), "--db", db_path).exit_code == 0
    before = snapshot(db_path)

    result = run("load", write(tmp_path / "bad.json", data), "--db", db_path)
    assert result.exit_code == 2
    assert "nothing was stored" in result.stderr
    assert f"  {path}: " in result.stderr or f"  {path} (" in result.stderr
    if words:
        assert words in result.stderr
    assert snapshot(db_path) == before


def test_an_invalid_bundle_does_not_even_create_the_database(tmp_path):
    db_path = tmp_path / "never.db"
    result = run("load", write(tmp_path / "bad.json", "{oops"), "--db", db_path)
    assert result.exit_code == 2 and "not valid JSON" in result.stderr
    assert not db_path.exists()


def test_many_problems_are_listed_up_to_a_limit(tmp_path, example_dict):
    for s in example_dict["scores"][:60]:
        s["score"] = 9
    result = run("load", write(tmp_path / "bad.json", example_dict), "--db", tmp_path / "s.db")
    assert result.exit_code == 2
    assert "scores[0].score: 9 is above the scale maximum 5" in result.stderr
    assert "... and 10 more" in result.stderr


def test_loading_an_existing_reference_is_refused_then_replace_works(loaded, tmp_path, example_dict):
    example_dict["call"]["title"] = "Amended title"
    again = write(tmp_path / "again.json", example_dict)
    before = snapshot(loaded)

    refused = run("load", again, "--db", loaded)
    assert refused.exit_code == 2
    assert "call.reference" in refused.stderr and "TSC-HOST-2026-01" in refused.stderr
    assert snapshot(loaded) == before

    replaced = run("load", again, "--db", loaded, "--replace")
    assert replaced.exit_code == 0
    db = store.connect(loaded)
    assert db.execute("SELECT reference, title FROM calls").fetchall() == [("TSC-HOST-2026-01", "Amended title")]


def test_load_of_a_missing_file_exits_2(tmp_path):
    result = run("load", tmp_path / "nowhere.json", "--db", tmp_path / "s.db")
    assert result.exit_code == 2


# --------------------------------------------------------------------------- export


def test_export_then_load_elsewhere_gives_the_same_ranking(loaded, tmp_path):
    out = tmp_path / "exported.json"
    result = run("export", "--db", loaded, "--out", out)
    assert result.exit_code == 0 and out.exists()
    other = tmp_path / "other.db"
    assert run("load", out, "--db", other).exit_code == 0
    first = json.loads(run("rank", "--db", loaded, "--json").stdout)
    second = json.loads(run("rank", "--db", other, "--json").stdout)
    assert first == second


def test_export_prints_readable_non_latin_text(loaded):
    result = run("export", "--db", loaded)
    assert result.exit_code == 0
    assert "湄公河生物多样性合作中心" in result.stdout and "مركز الخليج للتنوع البيولوجي" in result.stdout
    assert json.loads(result.stdout)["call"]["reference"] == "TSC-HOST-2026-01"


def test_export_of_an_unknown_call_exits_2(loaded):
    result = run("export", "--db", loaded, "--call", "NOPE")
    assert result.exit_code == 2 and "NOPE" in result.stderr


# --------------------------------------------------------------------------- rank


def test_rank_json_follows_the_contract(loaded):
    result = run("rank", "--db", loaded, "--json")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert set(doc) == {"call", "slots"} and doc["call"] == "TSC-HOST-2026-01"
    assert [s["slot"] for s in doc["slots"]] == ["africa", "asia-pacific"]
    for slot in doc["slots"]:
        assert set(slot) == {"slot", "ranking", "unranked", "shortlist"}
        for r in slot["ranking"]:
            assert set(r) == {"proposal", "entity", "rank", "total", "criteria", "reviews", "passes", "tie", "shortlisted"}
            assert list(r["criteria"]) == ["networks", "expertise", "tsc_experience", "capacity"]
        for u in slot["unranked"]:
            assert set(u) == {"proposal", "reason"}
    africa, asia = doc["slots"]
    assert [(r["proposal"], r["rank"]) for r in africa["ranking"]] == [("p-lakes", 1), ("p-sahel", 2), ("p-savanna", 3)]
    assert africa["shortlist"] == ["p-sahel"]
    assert asia["unranked"] == [{"proposal": "p-gulf", "reason": "withdrawn"}]
    assert asia["shortlist"] == ["p-mekong", "p-coral"]
    assert africa["ranking"][2]["criteria"]["networks"] == pytest.approx(7 / 3, abs=1e-12)  # unrounded


def test_rank_text_names_entities_shortlist_and_unranked(loaded):
    result = run("rank", "--db", loaded)
    assert result.exit_code == 0
    out = result.stdout
    assert "Regional TSC support centre - Africa (africa)" in out
    assert "Shortlist: Institut sahélien pour la biodiversité (ISB)" in out
    assert "Not ranked: مركز الخليج للتنوع البيولوجي (GCB) (withdrawn)" in out


def test_rank_text_warns_of_a_tie_across_third_place(tmp_path, bundle_builder):
    b = bundle_builder()
    for pid, score in [("p1", 5), ("p2", 4.5), ("p3", 4), ("p4", 4)]:
        b.proposal(pid).review("r1", pid, [score])
    db_path = tmp_path / "s.db"
    assert run("load", write(tmp_path / "b.json", b.dict()), "--db", db_path).exit_code == 0
    assert "advisory group breaks it" in run("rank", "--db", db_path).stdout


def test_rank_needs_call_when_the_database_holds_two(loaded, tmp_path, example_dict):
    example_dict["call"]["reference"] = "SECOND"
    assert run("load", write(tmp_path / "second.json", example_dict), "--db", loaded).exit_code == 0
    result = run("rank", "--db", loaded, "--json")
    assert result.exit_code == 2 and "--call" in result.stderr
    assert json.loads(run("rank", "--db", loaded, "--json", "--call", "SECOND").stdout)["call"] == "SECOND"


def test_rank_of_an_empty_database_exits_2(tmp_path):
    result = run("rank", "--db", tmp_path / "empty.db")
    assert result.exit_code == 2 and "--call" in result.stderr


def test_the_database_may_come_from_the_environment(loaded, monkeypatch):
    monkeypatch.setenv("SELECTION_DB", str(loaded))
    result = CliRunner().invoke(cli, ["rank", "--json"])
    assert result.exit_code == 0 and json.loads(result.stdout)["call"] == "TSC-HOST-2026-01"


# --------------------------------------------------------------------------- schema


def test_schema_is_a_json_schema_of_the_bundle(example_dict):
    result = run("schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert set(schema["properties"]) == {
        "format", "call", "entities", "proposals", "reviewers", "conflicts", "scores", "consensus", "translations"}
    assert "format" in schema["required"] and "call" in schema["required"]
    assert "translations" not in schema["required"]  # an optional block: a bundle without it loads as before
    assert schema["additionalProperties"] is False
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(schema)
    validator.check_schema(schema)
    assert list(validator.iter_errors(example_dict)) == []
    example_dict["scores"][0]["comment"] = "typo"
    assert list(validator.iter_errors(example_dict))


# --------------------------------------------------------------------------- as a real process


def python_m_selection(*args, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "selection", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=60)


def test_python_m_selection_refuses_an_invalid_bundle_with_status_2(tmp_path, example_dict):
    example_dict["scores"][17]["score"] = 7
    proc = python_m_selection("load", write(tmp_path / "bad.json", example_dict), "--db", tmp_path / "s.db", cwd=tmp_path)
    assert proc.returncode == 2
    assert "scores[17].score: 7 is above the scale maximum 5" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout


def test_python_m_selection_on_a_database_from_a_newer_program(tmp_path):
    db = store.connect(tmp_path / "new.db")
    db.execute(f"PRAGMA user_version = {store.latest_version() + 5}")
    db.conn.close()
    proc = python_m_selection("rank", "--db", tmp_path / "new.db", cwd=tmp_path)
    assert proc.returncode == 2
    assert "schema version" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
