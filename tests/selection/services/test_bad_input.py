"""Arbitrary text through every form and the bundle loader: a clear refusal or a correct result, never a crash.

Each example also checks that a refusal wrote nothing: the audit trail and
the affected table are exactly as before.
"""

from __future__ import annotations

import copy
import itertools
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from selection import accounts, bundle
from selection.errors import Invalid
from selection.services import inquiries, intake, meeting

NASTY = st.sampled_from([
    "", " ", "\x00", "\x1b[31mred", "<b>unclosed", "A & B <i>", "]]>", "'; DROP TABLE calls; --",
    "Robert'); DELETE FROM scores;--", "%s %d {0}", "../../etc/passwd", "مركز الخليج", "湄公河", "Ёлка",
    "x" * 100_000, "\u202eevil", "😀" * 50, "\r\n\t",
])
TEXT = st.one_of(NASTY, st.text(max_size=300), st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF,
                                                                              exclude_categories=("Cs",)), max_size=50))
SEQ = itertools.count()
SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def _snapshot(db, table: str) -> tuple:
    return (db.execute("SELECT count(*) FROM audit").fetchone()[0],
            db.execute(f"SELECT count(*), total(length(CAST(rowid AS TEXT))) FROM {table}").fetchone())


def _either(db, table: str, action) -> None:
    before = _snapshot(db, table)
    try:
        action()
    except Invalid as e:
        assert e.field and e.message
        assert _snapshot(db, table) == before
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@SETTINGS
@given(username=TEXT, name=TEXT, password=TEXT, email=TEXT)
def test_registration_form(world, username, name, password, email):
    _either(world.db, "accounts", lambda: accounts.register_applicant(
        world.db, username=username, display_name=name, password=password, email=email))


@SETTINGS
@given(name=TEXT, acronym=TEXT, country=TEXT, website=TEXT, email=TEXT)
def test_organisation_profile_form(world, name, acronym, country, website, email):
    user = world.applicant(f"user-a{next(SEQ)}")
    _either(world.db, "entities", lambda: intake.save_profile(world.db, user=user, call_id=world.call_id, profile={
        "name": name, "acronym": acronym, "country": country, "website": website, "contact_email": email}))


@SETTINGS
@given(statement=TEXT, summary=TEXT, section=TEXT)
def test_proposal_form(world, statement, summary, section):
    user = world.applicant(f"user-p{next(SEQ)}")
    _either(world.db, "proposals", lambda: intake.save_draft(
        world.db, user=user, call_id=world.call_id, slots=["africa"], statement=statement, summary=summary,
        sections={c: section for c in world.CRITERIA}))


@SETTINGS
@given(question=TEXT, answer=TEXT)
def test_question_and_answer_forms(world, question, answer):
    user = world.applicant(f"user-q{next(SEQ)}")
    before = _snapshot(world.db, "inquiries")
    try:
        qid = inquiries.ask(world.db, user=user, call_id=world.call_id, question=question)
    except Invalid:
        assert _snapshot(world.db, "inquiries") == before
        return
    _either(world.db, "inquiries", lambda: inquiries.answer(world.db, user=world.sec, call_id=world.call_id,
                                                            inquiry_id=qid, text=answer))


@SETTINGS
@given(note=TEXT, score=st.floats(allow_nan=True, allow_infinity=True))
def test_consensus_form(world, note, score):
    if not hasattr(world, "_pid"):
        world._pid = world.submitted("consensus-applicant")[1]
    _either(world.db, "consensus", lambda: meeting.record_consensus(
        world.db, user=world.sec, call_id=world.call_id, proposal_id=world._pid, criterion_id="networks",
        score=score, note=note))


EXAMPLE = json.loads(open(__file__.rsplit("/tests/", 1)[0] + "/tests/data/bundle-example.json",
                          encoding="utf-8").read())


def _string_paths(node, path=()):
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _string_paths(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _string_paths(v, (*path, i))
    elif isinstance(node, str):
        yield path


PATHS = list(_string_paths(EXAMPLE))


@SETTINGS
@given(where=st.sampled_from(PATHS), text=TEXT)
def test_bundle_loader(db, where, text):
    data = copy.deepcopy(EXAMPLE)
    node = data
    for key in where[:-1]:
        node = node[key]
    node[where[-1]] = text
    before = db.execute("SELECT count(*) FROM calls").fetchone()[0]
    try:
        parsed = bundle.parse(json.dumps(data, ensure_ascii=False))
    except bundle.BundleInvalid as e:
        assert e.problems and all(": " in p for p in e.problems)
        assert db.execute("SELECT count(*) FROM calls").fetchone()[0] == before
        return
    bundle.store(db, parsed, actor="test", replace=True)
    again = bundle.export(db, parsed.call.reference)
    assert again.entities == parsed.entities
