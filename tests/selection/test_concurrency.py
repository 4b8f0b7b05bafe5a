"""Two processes writing at once lose nothing, and a killed process leaves all or none of its write.

Real processes on a real SQLite file: WAL, the busy timeout and BEGIN
IMMEDIATE are what keep a second writer waiting its turn instead of seeing
"database is locked".
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from criteria.sets import default_criteria
from selection import accounts, bundle, store
from selection.models import Role
from selection.services import calls, intake, review

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "a long enough password"
SAVES = 500
CRITERIA = ["networks", "expertise", "tsc_experience", "capacity"]

SCORER = """
import sys
from selection import accounts, store
from selection.services import review, intake
db = store.connect(sys.argv[1])
user = accounts.get_user(db, int(sys.argv[2]))
proposals = sys.argv[3].split(",")
kind, n = sys.argv[4], int(sys.argv[5])
failures = 0
print("ready", flush=True)
for i in range(n):
    try:
        if kind == "scores":
            pid = proposals[i % len(proposals)]
            value = (i % 11) / 2
            review.save_scores(db, user=user, call_id=1, proposal_id=pid,
                               scores={c: (value, f"save {i}") for c in {criteria}})
        else:
            intake.save_draft(db, user=user, call_id=1, slots=["africa"], statement=f"statement {i}",
                              summary="s", sections={"networks": f"text {i}"})
    except Exception as e:
        failures += 1
        print("FAILED", type(e).__name__, e, flush=True)
print("done", failures, flush=True)
""".replace("{criteria}", repr(CRITERIA))


def _env() -> dict:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


@pytest.fixture
def busy_call(tmp_path, monkeypatch):
    """A published call with two members assigned to four proposals each, and one applicant drafting."""
    path = tmp_path / "busy.db"
    db = store.connect(path)
    sec = accounts.create_first_secretariat(db, username="sec", display_name="Sec", password=PASSWORD)
    call_id = calls.create_call(db, user=sec, data={
        "reference": "BUSY", "title": "Busy call", "dates": {"submission_deadline": "2999-01-01"},
        "slots": [{"id": "africa", "name": "Africa", "level": "regional"}], "criteria": default_criteria()})
    calls.publish_call(db, user=sec, call_id=call_id)
    pids = []
    for i in range(8):
        a = accounts.register_applicant(db, username=f"app{i}", display_name=f"A{i}", password=PASSWORD)
        intake.save_profile(db, user=a, call_id=call_id, profile={"name": f"Institute {i}"})
        pids.append(intake.save_draft(db, user=a, call_id=call_id, slots=["africa"], statement="s", summary="s",
                                      sections={c: "evidence" for c in CRITERIA}))
        intake.submit(db, user=a, call_id=call_id)
    drafter = accounts.register_applicant(db, username="drafter", display_name="D", password=PASSWORD)
    intake.save_profile(db, user=drafter, call_id=call_id, profile={"name": "Drafting institute"})
    members = []
    for name, share in (("member1", pids[:4]), ("member2", pids[4:])):
        code = accounts.invite(db, user=sec, role=Role.MEMBER, display_name=name)
        m = accounts.accept_invitation(db, code=code, username=name, password=PASSWORD)
        for pid in share:
            review.assign(db, user=sec, call_id=call_id, proposal_id=pid, member_id=m.id)
            review.declare(db, user=m, call_id=call_id, proposal_id=pid, conflict=False)
        members.append((m, share))
    return path, db, members, drafter


def test_two_writers_at_once_lose_nothing(busy_call):
    path, db, members, drafter = busy_call
    procs = [subprocess.Popen([sys.executable, "-c", SCORER, str(path), str(m.id), ",".join(share), "scores",
                               str(SAVES)], stdout=subprocess.PIPE, text=True, env=_env(), cwd=ROOT)
             for m, share in members]
    procs.append(subprocess.Popen([sys.executable, "-c", SCORER, str(path), str(drafter.id), "-", "drafts", "200"],
                                  stdout=subprocess.PIPE, text=True, env=_env(), cwd=ROOT))
    outputs = [p.communicate(timeout=300)[0] for p in procs]
    assert all(p.returncode == 0 for p in procs), outputs
    assert all(out.strip().endswith("done 0") for out in outputs), outputs
    assert not any("locked" in out for out in outputs)

    # Every save changes all four scores of its proposal (the value or the reason differs), one event each.
    saved = db.execute("SELECT count(*) FROM audit WHERE action = 'score.saved'").fetchone()[0]
    for m, share in members:
        rid = f"m-{m.username}"
        for k, pid in enumerate(share):
            last = max(i for i in range(SAVES) if i % len(share) == k)
            rows = db.execute("SELECT score, justification FROM scores WHERE reviewer_id = ? AND proposal_id = ?",
                              [rid, pid]).fetchall()
            assert rows == [((last % 11) / 2, f"save {last}")] * 4
    assert saved == 2 * SAVES * 4
    assert db.execute("SELECT statement FROM proposals WHERE id = 'p-drafter'").fetchone()[0] == "statement 199"
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


LOADER = """
import sys, json
from selection import bundle, store
db = store.connect(sys.argv[1])
b = bundle.parse(open(sys.argv[2], encoding="utf-8").read())
print("ready", flush=True)
bundle.store(db, b, actor="test", replace=True)
print("done", flush=True)
"""


def _big_bundle(tmp_path: Path, n_proposals: int = 300, n_reviewers: int = 12) -> Path:
    rng = random.Random(7)
    data = {
        "format": bundle.FORMAT,
        "call": {"reference": "BIG", "title": "Big call", "slots": [{"id": "s", "name": "S", "level": "global"}],
                 "criteria": default_criteria()},
        "entities": [{"id": f"e{i}", "name": f"Entity {i}"} for i in range(n_proposals)],
        "proposals": [{"id": f"p{i}", "entity": f"e{i}", "slots": ["s"], "status": "eligible"}
                      for i in range(n_proposals)],
        "reviewers": [{"id": f"r{j}", "name": f"R{j}"} for j in range(n_reviewers)],
        "scores": [{"reviewer": f"r{j}", "proposal": f"p{i}", "criterion": c, "score": rng.randint(0, 10) / 2}
                   for i in range(n_proposals) for j in range(n_reviewers) for c in CRITERIA],
    }
    path = tmp_path / "big.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_a_load_killed_mid_way_leaves_all_or_nothing(tmp_path):
    source = _big_bundle(tmp_path, n_proposals=600, n_reviewers=25)
    expected = 600 * 25 * 4
    outcomes = []
    for k, delay in enumerate((0.01, 0.05, 0.1, 0.2, 0.3, 0.5, 1.5)):
        path = tmp_path / f"crash{k}.db"
        store.connect(path).conn.close()
        proc = subprocess.Popen([sys.executable, "-c", LOADER, str(path), str(source)], stdout=subprocess.PIPE,
                                text=True, env=_env(), cwd=ROOT)
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        db = store.connect(path)
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        found = (db.execute("SELECT count(*) FROM calls").fetchone()[0],
                 db.execute("SELECT count(*) FROM scores").fetchone()[0])
        db.conn.close()
        assert found in ((0, 0), (1, expected)), (delay, found)
        outcomes.append(found[0])
    assert 0 in outcomes, "no kill landed before the commit: make the bundle bigger"


SAVER = """
import sys
from selection import accounts, store
from selection.services import review
db = store.connect(sys.argv[1])
user = accounts.get_user(db, int(sys.argv[2]))
print("ready", flush=True)
i = 0
while True:
    i += 1
    review.save_scores(db, user=user, call_id=1, proposal_id=sys.argv[3],
                       scores={c: ((i % 11) / 2, f"save {i}") for c in {criteria}})
""".replace("{criteria}", repr(CRITERIA))


def test_a_scoring_save_killed_mid_way_leaves_all_or_nothing(busy_call):
    path, db, members, _ = busy_call
    member, share = members[0]
    for delay in (0.05, 0.2, 0.4):
        proc = subprocess.Popen([sys.executable, "-c", SAVER, str(path), str(member.id), share[0]],
                                stdout=subprocess.PIPE, text=True, env=_env(), cwd=ROOT)
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        check = store.connect(path)
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = check.execute("SELECT DISTINCT score, justification FROM scores WHERE proposal_id = ?",
                             [share[0]]).fetchall()
        assert len(rows) <= 1, rows
        events = check.execute("SELECT count(*) FROM audit WHERE action = 'score.saved' AND target LIKE ?",
                               [f"score:{share[0]}/%"]).fetchone()[0]
        assert events % 4 == 0
        check.conn.close()
