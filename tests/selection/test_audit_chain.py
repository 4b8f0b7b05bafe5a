"""The audit trail is tamper-evident: every event is sealed to the one before it.

Each test edits the SQLite file the way someone with the file and the sqlite3
shell would (dropping the append-only triggers first), then checks that
``audit --verify`` and the decision record's ``verify`` name the first event
that was changed, removed or inserted out of order.
"""

from __future__ import annotations

import json
import sqlite3
import threading

import pytest
import sqlite_utils
from click.testing import CliRunner

from selection import audit, bundle, record, store
from selection.cli import cli
from selection.demo import demo_bundle
from selection.migrations import migrate


@pytest.fixture
def trail(tmp_path):
    """A store with ten events of its own after the demo's load."""
    path = tmp_path / "trail.db"
    db = store.connect(path)
    bundle.store(db, bundle.from_dict(demo_bundle()), actor="test")
    for i in range(10):
        audit.record(db, actor="secretariat:ana", call="TSC-HOST-DEMO-2027", action="test.change", target=f"t{i}",
                     old={"value": i}, new={"value": i + 1})
    return path, db


def _raw(path) -> sqlite3.Connection:
    """The file opened as an intruder would: no program, no triggers."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("DROP TRIGGER IF EXISTS audit_no_update")
    conn.execute("DROP TRIGGER IF EXISTS audit_no_delete")
    return conn


def _ids(db) -> list[int]:
    return [r[0] for r in db.execute("SELECT id FROM audit ORDER BY id")]


def _verify_cli(path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["audit", "--verify", "--db", str(path)])
    return result.exit_code, result.output


def test_an_intact_trail_verifies(trail):
    path, db = trail
    check = audit.verify_chain(db)
    assert check.ok and check.events == len(_ids(db))
    code, out = _verify_cli(path)
    assert code == 0
    assert "The audit trail is intact" in out and f"{check.events:,} events" in out


def test_an_edited_event_is_named(trail):
    path, db = trail
    target = _ids(db)[5]
    _raw(path).execute("UPDATE audit SET new = '{\"value\": 99}' WHERE id = ?", [target])
    check = audit.verify_chain(db)
    assert not check.ok and check.event_id == target
    code, out = _verify_cli(path)
    assert code == 1
    assert f"altered at event {target} (test.change by secretariat:ana" in out
    assert "changed after it was written" in out


def test_an_edited_seal_is_named_too(trail):
    path, db = trail
    target = _ids(db)[3]
    _raw(path).execute("UPDATE audit SET hash = ? WHERE id = ?", ["f" * 64, target])
    check = audit.verify_chain(db)
    assert not check.ok and check.event_id == target


def test_a_removed_event_is_noticed_at_the_next_one(trail):
    path, db = trail
    ids = _ids(db)
    _raw(path).execute("DELETE FROM audit WHERE id = ?", [ids[4]])
    check = audit.verify_chain(db)
    assert not check.ok and check.event_id == ids[5]
    code, out = _verify_cli(path)
    assert code == 1
    assert f"before event {ids[5]}" in out and "removed" in out and f"event {ids[4]} is missing" in out


def test_an_event_inserted_out_of_order_is_named(trail):
    path, db = trail
    ids = _ids(db)
    raw = _raw(path)
    # a forged event sealed to an older event, appended at the end
    old = dict(zip(["id", "hash"], raw.execute("SELECT id, hash FROM audit WHERE id = ?", [ids[2]]).fetchone()))
    forged = {"id": ids[-1] + 1, "at": "2027-03-01T10:00:00.000000+00:00", "actor": "secretariat:eve",
              "call_reference": "TSC-HOST-DEMO-2027", "action": "score.saved", "target": "x", "old": None,
              "new": "{}", "reason": None}
    forged_hash = audit.seal(old["hash"], forged)
    raw.execute("INSERT INTO audit (id, at, actor, call_reference, action, target, old, new, reason, prev_hash, hash) "
                "VALUES (:id, :at, :actor, :call_reference, :action, :target, :old, :new, :reason, :prev, :hash)",
                {**forged, "prev": old["hash"], "hash": forged_hash})
    check = audit.verify_chain(db)
    assert not check.ok and check.event_id == forged["id"]
    assert "inserted out of order" in check.sentence()


def test_an_event_written_without_the_program_is_named(trail):
    path, db = trail
    new_id = _ids(db)[-1] + 1
    _raw(path).execute("INSERT INTO audit (id, at, actor, action, target) VALUES (?, '2027-03-01T10:00:00', "
                       "'secretariat:eve', 'score.saved', 'x')", [new_id])
    check = audit.verify_chain(db)
    assert not check.ok and check.event_id == new_id
    assert "written outside the program" in check.sentence()


def test_events_from_before_the_seals_are_covered_by_the_first_seal(tmp_path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    old = sqlite_utils.Database(conn)
    migrate(old, upto=3)
    for i in range(3):
        conn.execute("INSERT INTO audit (at, actor, action, target) VALUES ('2026-01-0%d', 'secretariat:ana', "
                     "'call.updated', 'call')" % (i + 1))
    conn.close()
    db = store.connect(path)  # brings the schema up to date
    audit.record(db, actor="secretariat:ana", call=None, action="test.after", target="x")
    assert audit.verify_chain(db).ok
    first_sealed = db.execute("SELECT id FROM audit WHERE hash IS NOT NULL ORDER BY id LIMIT 1").fetchone()[0]
    _raw(path).execute("UPDATE audit SET actor = 'secretariat:eve' WHERE id = 2")
    check = audit.verify_chain(db)
    assert not check.ok and check.event_id == first_sealed


def test_two_writers_keep_one_unbroken_chain(trail):
    path, db = trail
    before = len(_ids(db))

    def write(name):
        conn = store.connect(path)
        for i in range(100):
            audit.record(conn, actor=f"member:{name}", call=None, action="test.concurrent", target=str(i))
        conn.conn.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    check = audit.verify_chain(db)
    assert check.ok, check.sentence()
    assert check.events == before + 200


def test_verify_of_the_decision_record_checks_the_trail(decided):
    path, db, _, _ = decided
    assert record.verify(db).trail_ok
    target = _ids(db)[1]
    _raw(path).execute("UPDATE audit SET reason = 'nothing to see' WHERE id = ?", [target])
    result = record.verify(db)
    assert not result.trail_ok and not result.intact
    assert f"event {target}" in result.trail
    out = CliRunner().invoke(cli, ["verify", "--db", str(path)])
    assert out.exit_code == 1
    assert f"altered at event {target}" in out.output


def test_a_trail_cut_back_behind_the_record_is_noticed(decided):
    """Removing the newest events leaves a consistent chain; the record's frozen head is what is missing."""
    path, db, _, _ = decided
    head = json.loads(record.latest(db, 1)["snapshot"])["audit_head"]
    assert head["id"] in _ids(db)
    _raw(path).execute("DELETE FROM audit WHERE id >= ?", [head["id"]])
    assert audit.verify_chain(db).ok
    result = record.verify(db)
    assert not result.trail_ok
    assert f"event {head['id']}" in result.trail and "rewritten or cut" in result.trail
