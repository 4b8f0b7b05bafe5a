"""The SQLite store: how it is opened, its migrations, the audit trail, all-or-nothing writes."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest

from selection import audit, store
from selection import bundle as bundle_mod
from selection.migrations import MIGRATIONS, SchemaTooNew, migrate, statements


def schema_of(db) -> dict[str, list[str]]:
    """Table -> its column names."""
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    return {t: [c[1] for c in db.execute(f'PRAGMA table_info("{t}")')] for t in sorted(tables)}


# --------------------------------------------------------------------------- opening


def test_connect_sets_wal_foreign_keys_and_busy_timeout(db):
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] == store.BUSY_TIMEOUT_MS >= 5000


def test_connect_creates_the_folder(tmp_path):
    path = tmp_path / "a" / "b" / "selection.db"
    store.connect(path).conn.close()
    assert path.exists()


def test_default_path_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("SELECTION_DB", str(tmp_path / "x.db"))
    assert store.default_path() == tmp_path / "x.db"
    monkeypatch.delenv("SELECTION_DB")
    assert store.default_path() == store.DEFAULT_DB


def test_foreign_keys_are_enforced(db, example_bundle):
    bundle_mod.store(db, example_bundle, actor="test")
    with pytest.raises(sqlite3.IntegrityError):
        db.execute(
            "INSERT INTO scores (call_id, reviewer_id, proposal_id, criterion_id, score) VALUES (1, 'r1', 'p-none', 'networks', 3)"
        )


def test_deleting_a_call_removes_all_of_its_rows(db, example_bundle, counts):
    bundle_mod.store(db, example_bundle, actor="test")
    with store.transaction(db):
        db.execute("DELETE FROM calls")
    left = {t: n for t, n in counts(db).items() if n and t != "audit"}
    assert left == {}


def test_a_second_writer_waits_for_the_first_instead_of_failing(db_path):
    first = store.connect(db_path)
    second = store.connect(db_path)
    first.conn.execute("BEGIN IMMEDIATE")
    release = threading.Timer(0.3, lambda: first.conn.execute("COMMIT"))
    release.start()
    started = time.monotonic()
    try:
        with store.transaction(second):
            audit.record(second, actor="second", call=None, action="test.wait", target="x")
    finally:
        release.join()
    assert time.monotonic() - started >= 0.2
    assert [e["actor"] for e in audit.events(first, action_prefix="test.wait")] == ["second"]


# --------------------------------------------------------------------------- migrations


def test_a_new_database_is_at_the_latest_version(db):
    assert store.schema_version(db) == store.latest_version() == len(MIGRATIONS) >= 2
    assert {"calls", "slots", "criteria", "entities", "proposals", "reviewers", "conflicts", "scores",
            "consensus", "audit"} <= set(schema_of(db))


def test_migrations_are_numbered_without_gaps():
    numbers = [int(p.name[:4]) for p in MIGRATIONS]
    assert numbers == list(range(1, len(MIGRATIONS) + 1))
    for path in MIGRATIONS:
        assert statements(path.read_text(encoding="utf-8"))


def test_connecting_again_changes_nothing(db_path):
    first = store.connect(db_path)
    shape = schema_of(first)
    first.conn.close()
    again = store.connect(db_path)
    assert schema_of(again) == shape
    assert store.schema_version(again) == store.latest_version()


def test_upgrade_from_version_1_keeps_the_data_and_adds_the_rest(tmp_path):
    path = tmp_path / "old.db"
    old = store.connect(path, upgrade=False)
    assert migrate(old, upto=1) == 1
    assert store.schema_version(old) == 1
    at_v1 = schema_of(old)
    old.execute(
        "INSERT INTO calls (reference, title, scale_min, scale_max, scale_step, min_reviews, created_at) "
        "VALUES ('OLD-1', 'Une ancienne consultation', 1, 10, 1, 2, '2025-01-01T00:00:00+00:00')"
    )
    old.execute("INSERT INTO slots (call_id, id, position, name, level) VALUES (1, 'global', 0, 'Global', 'global')")
    old.conn.close()

    db = store.connect(path)
    assert store.schema_version(db) == store.latest_version()
    fresh = store.connect(tmp_path / "fresh.db")
    assert schema_of(db) == schema_of(fresh)  # same tables and columns as a database made today
    now = schema_of(db)
    assert set(at_v1) < set(now) or any(now[t] != cols for t, cols in at_v1.items())
    row = db.execute("SELECT reference, title, scale_min, scale_max, min_reviews FROM calls").fetchall()
    assert row == [("OLD-1", "Une ancienne consultation", 1, 10, 2)]
    assert db.execute("SELECT id, name FROM slots").fetchall() == [("global", "Global")]


def test_a_call_stored_after_the_upgrade_is_usable(tmp_path, example_bundle):
    path = tmp_path / "old.db"
    old = store.connect(path, upgrade=False)
    migrate(old, upto=1)
    old.conn.close()
    db = store.connect(path)
    bundle_mod.store(db, example_bundle, actor="test")
    assert bundle_mod.export(db, example_bundle.call.reference) == example_bundle


def test_a_database_from_a_newer_program_is_refused(db_path):
    db = store.connect(db_path)
    db.execute(f"PRAGMA user_version = {store.latest_version() + 1}")
    db.conn.close()
    with pytest.raises(SchemaTooNew, match=str(store.latest_version() + 1)):
        store.connect(db_path)


def test_a_failing_migration_leaves_the_database_at_the_old_version(tmp_path, monkeypatch):
    path = tmp_path / "x.db"
    db = store.connect(path, upgrade=False)
    migrate(db, upto=1)
    broken = tmp_path / "0002_broken.sql"
    broken.write_text("CREATE TABLE half_done (x);\nTHIS IS NOT SQL;\n", encoding="utf-8")
    monkeypatch.setattr("selection.migrations.MIGRATIONS", [MIGRATIONS[0], broken])
    with pytest.raises(sqlite3.OperationalError):
        migrate(db)
    assert store.schema_version(db) == 1
    assert "half_done" not in schema_of(db)


# --------------------------------------------------------------------------- audit


def test_audit_trail_is_append_only(db):
    audit.record(db, actor="alice", call="C-1", action="test.made", target="x", new={"name": "Žofie 李"})
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("UPDATE audit SET actor = 'mallory'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("DELETE FROM audit")
    [event] = audit.events(db, call="C-1")
    assert event["actor"] == "alice" and event["new"] == {"name": "Žofie 李"}


def test_audit_events_filter_by_action_prefix_literally(db):
    audit.record(db, actor="a", call=None, action="bundle.loaded", target="call")
    audit.record(db, actor="a", call=None, action="bundle_x", target="call")
    assert [e["action"] for e in audit.events(db, action_prefix="bundle.")] == ["bundle.loaded"]
    assert [e["action"] for e in audit.events(db, action_prefix="bundle_")] == ["bundle_x"]


# --------------------------------------------------------------------------- all or nothing


def test_transaction_commits_or_rolls_back_whole(db):
    with store.transaction(db):
        audit.record(db, actor="a", call=None, action="kept", target="x")
    with pytest.raises(RuntimeError):
        with store.transaction(db):
            audit.record(db, actor="a", call=None, action="lost", target="x")
            with store.transaction(db):  # nested: a savepoint inside the same transaction
                audit.record(db, actor="a", call=None, action="lost.inner", target="x")
            raise RuntimeError("boom")
    assert [e["action"] for e in audit.events(db)] == ["kept"]
    assert not db.conn.in_transaction


@pytest.mark.parametrize("where", ["criteria", "audit"])
def test_a_store_that_fails_half_way_writes_nothing(db, example_bundle, counts, monkeypatch, where):
    before = counts(db)

    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    # "criteria": after the call and its slots are inserted; "audit": after every row is inserted
    monkeypatch.setattr("criteria.sets.guidance_for" if where == "criteria" else "selection.audit.record", boom)
    with pytest.raises(RuntimeError, match="disk on fire"):
        bundle_mod.store(db, example_bundle, actor="test")
    assert counts(db) == before
    assert not db.conn.in_transaction


def test_a_failed_replace_keeps_the_old_call(db, example_dict, counts):
    bundle_mod.store(db, bundle_mod.from_dict(example_dict), actor="test")
    before = counts(db)
    example_dict["call"]["title"] = "Replacement that never lands"
    replacement = bundle_mod.from_dict(example_dict)
    # the write fails half-way, at the scores, however store() writes them
    db.execute("CREATE TEMP TRIGGER fail_scores BEFORE INSERT ON scores BEGIN SELECT RAISE(FAIL, 'disk I/O error'); END")
    with pytest.raises(sqlite3.DatabaseError, match="disk I/O error"):
        bundle_mod.store(db, replacement, actor="test", replace=True)
    db.execute("DROP TRIGGER fail_scores")
    assert counts(db) == before
    assert db.execute("SELECT title FROM calls").fetchone()[0].startswith("Call for expressions of interest")
    assert len(bundle_mod.export(db, "TSC-HOST-2026-01").scores) == 91
