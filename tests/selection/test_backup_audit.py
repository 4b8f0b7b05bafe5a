"""Backups taken while the app writes, checked restores, and the audit trail from the command line."""

from __future__ import annotations

import json
import sqlite3
import threading

import pytest
from click.testing import CliRunner

from selection import audit, backup, bundle, store
from selection.cli import cli
from selection.demo import demo_bundle


@pytest.fixture
def demo_path(tmp_path):
    path = tmp_path / "live.db"
    db = store.connect(path)
    bundle.store(db, bundle.from_dict(demo_bundle()), actor="test")
    db.conn.close()
    return path


def test_backup_while_another_connection_writes_is_consistent(demo_path, tmp_path):
    writer = store.connect(demo_path)
    stop = threading.Event()

    def keep_writing():
        i = 0
        while not stop.is_set():
            i += 1
            with store.transaction(writer):
                audit.record(writer, actor="test", call=None, action="test.write", target=str(i))

    t = threading.Thread(target=keep_writing)
    t.start()
    try:
        facts = backup.backup(demo_path, tmp_path / "copy.db")
    finally:
        stop.set()
        t.join()
    assert facts["scores"] == 618 and facts["calls"] == 1
    assert backup.check(tmp_path / "copy.db")["schema_version"] == store.latest_version()


def test_restore_puts_the_backup_back_and_keeps_the_current_database(demo_path, tmp_path):
    backup.backup(demo_path, tmp_path / "copy.db")
    db = store.connect(demo_path)
    db.execute("DELETE FROM calls")
    db.conn.close()
    facts = backup.restore(tmp_path / "copy.db", demo_path)
    again = store.connect(demo_path)
    assert again.execute("SELECT count(*) FROM scores").fetchone()[0] == 618
    kept = sqlite3.connect(facts["kept"])
    assert kept.execute("SELECT count(*) FROM calls").fetchone()[0] == 0


def test_restore_refuses_a_file_that_is_not_a_backup(demo_path, tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    result = CliRunner().invoke(cli, ["restore", str(bad), "--db", str(demo_path)])
    assert result.exit_code == 2
    assert "not a host-selection database" in result.output
    assert "Traceback" not in result.output
    assert store.connect(demo_path).execute("SELECT count(*) FROM scores").fetchone()[0] == 618


def test_restore_refuses_a_database_of_another_program(demo_path, tmp_path):
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)")
    result = CliRunner().invoke(cli, ["restore", str(other), "--db", str(demo_path)])
    assert result.exit_code == 2 and "schema version 0" in result.output


def test_backup_and_restore_commands(demo_path, tmp_path):
    out = tmp_path / "b" / "backup.db"
    result = CliRunner().invoke(cli, ["backup", "--db", str(demo_path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "618 scores" in result.output
    target = tmp_path / "restored.db"
    result = CliRunner().invoke(cli, ["restore", str(out), "--db", str(target)])
    assert result.exit_code == 0, result.output
    assert store.connect(target).execute("SELECT count(*) FROM proposals").fetchone()[0] == 34


def test_audit_command_lists_changes_of_a_call(demo_path):
    db = store.connect(demo_path)
    with store.transaction(db):
        audit.record(db, actor="member:m1", call="TSC-HOST-DEMO-2027", action="score.revised",
                     target="score:p-x/r1/networks", old={"score": 2.0}, new={"score": 3.5}, reason="Misread the annex")
    runner = CliRunner()
    text = runner.invoke(cli, ["audit", "--db", str(demo_path), "--call", "TSC-HOST-DEMO-2027"]).output
    assert "score.revised" in text and "Misread the annex" in text and "{'score': 2.0} -> {'score': 3.5}" in text
    lines = runner.invoke(cli, ["audit", "--db", str(demo_path), "--json", "--action", "score."]).output.splitlines()
    assert [json.loads(line)["action"] for line in lines] == ["score.revised"]
    assert audit.revised_scores(db, "TSC-HOST-DEMO-2027") == 1


WRITER = r"""
import sys, time
from pathlib import Path
from selection import audit, store
db = store.connect(sys.argv[1])
stop, ready = Path(sys.argv[2]), Path(sys.argv[3])
i = 0
while not stop.exists():
    i += 1
    audit.record(db, actor="member:busy", call=None, action="test.write", target=str(i))
    if i == 5:
        ready.touch()
    time.sleep(0.02)  # a steady 40-50 writes a second, as a busy meeting would make
print(i)
"""


def test_backup_finishes_while_another_process_keeps_writing(demo_path, tmp_path):
    """A page-wise online backup restarts on every write and never ends; the copy must be taken in one step."""
    import subprocess
    import sys
    from pathlib import Path

    raw = sqlite3.connect(demo_path)
    raw.execute("CREATE TABLE padding (b BLOB)")
    raw.executemany("INSERT INTO padding VALUES (?)", [(bytes(1024 * 1024),) for _ in range(40)])
    raw.commit()
    raw.close()
    stop, ready = tmp_path / "stop", tmp_path / "ready"
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(demo_path), str(stop), str(ready)],
                              cwd=Path(__file__).resolve().parents[2], stdout=subprocess.PIPE, text=True)
    done: dict = {}
    try:
        while not ready.exists():
            assert writer.poll() is None, "the writer stopped before it began"
            threading.Event().wait(0.05)
        worker = threading.Thread(target=lambda: done.update(backup.backup(demo_path, tmp_path / "copy.db")))
        worker.start()
        worker.join(timeout=120)  # a guard against a backup that never ends, not a speed target
        assert not worker.is_alive(), "the backup did not finish while the writer kept writing"
    finally:
        stop.touch()
        writes = int(writer.communicate(timeout=60)[0])
    assert writes > 5
    assert done["scores"] == 618 and done["trail_ok"], done
    copy = store.connect(tmp_path / "copy.db")
    assert audit.verify_chain(copy).ok


def test_restore_refuses_a_backup_whose_trail_was_altered(demo_path, tmp_path):
    copy = tmp_path / "copy.db"
    backup.backup(demo_path, copy)
    raw = sqlite3.connect(copy, isolation_level=None)
    raw.execute("DROP TRIGGER audit_no_update")
    raw.execute("UPDATE audit SET actor = 'secretariat:eve' WHERE id = 1")
    raw.close()
    target = tmp_path / "target.db"
    result = CliRunner().invoke(cli, ["restore", str(copy), "--db", str(target)])
    assert result.exit_code == 2
    assert "altered at event 1" in result.output and "Traceback" not in result.output
