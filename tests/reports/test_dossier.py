"""A proposal's dossier read back as its readers read it: pypdf for the bookmarks and pages, pdftotext for the words."""

from __future__ import annotations

import datetime as dt
import io
import subprocess

import pypdf
import pytest

from reports import dossier
from selection import accounts, clock, permissions, store
from selection.errors import Forbidden
from selection.services import calls, clarifications, intake, meeting
from tests.pdf_files import one_page_pdf
from tests.selection.services.conftest import PASSWORD, World, call_data

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
NAME = "Reef & Ocean <Lab> 🌿 湄公河中心"
STATEMENT = "We wish to host the centre <b>with</b> our partners & friends."
ANSWER = "Eleven institutions signed the agreement; the list is attached."


def _pages(texts: list[str]) -> bytes:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out)
    for t in texts:
        c.drawString(72, 720, t)
        c.showPage()
    c.save()
    return out.getvalue()


@pytest.fixture
def world(tmp_path, monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: T0)
    db = store.connect(tmp_path / "store" / "selection.db")
    sec = accounts.create_first_secretariat(db, username="sec", display_name="Secretariat Officer",
                                            password=PASSWORD)
    call_id = calls.create_call(db, user=sec, data=call_data())
    calls.publish_call(db, user=sec, call_id=call_id)
    yield World(db, sec, call_id)
    db.conn.close()


@pytest.fixture
def sent(world):
    """A submitted proposal with two files, an answered clarification with a file, and a member assigned."""
    owner = world.applicant("owner", country="PH")
    intake.save_profile(world.db, user=owner, call_id=world.call_id, profile={
        "name": NAME, "acronym": "ROL", "country": "PH", "kind": "research institute",
        "profile": {"address": "12 Harbour Road\nCebu", "head": "Dr Ana <i>Cruz</i>", "partners": "Université 🌿"}})
    pid = world.draft(owner, statement=STATEMENT, sections={c: f"Our evidence, part {i + 1}: ten years of joint work."
                                                            for i, c in enumerate(world.CRITERIA)})
    letters = intake.add_attachment(world.db, user=owner, call_id=world.call_id, filename="support letters.pdf",
                                    data=_pages(["SUPPORT LETTER ONE", "SUPPORT LETTER TWO", "SUPPORT LETTER THREE"]))
    statutes = intake.add_attachment(world.db, user=owner, call_id=world.call_id, filename="statutes.pdf",
                                     data=one_page_pdf("STATUTES OF THE LAB"))
    intake.submit(world.db, user=owner, call_id=world.call_id)
    member = world.member("member1")
    world.assign(member, pid)
    request = clarifications.request(world.db, user=world.sec, call_id=world.call_id, proposal_id=pid,
                                     questions=[{"criterion": "networks", "question": "Which partners signed?"}],
                                     reply_by="2026-03-20")
    clarifications.answer(world.db, user=owner, call_id=world.call_id, request_id=request, answers=[ANSWER],
                          file=("agreements.pdf", _pages(["AGREEMENT PAGE ONE", "AGREEMENT PAGE TWO"])))
    return {"owner": owner, "pid": pid, "member": member, "letters": letters, "statutes": statutes}


def _build(world, user, pid) -> bytes:
    return dossier.build(world.db, user=user, call_id=world.call_id, proposal_id=pid, on=dt.date(2026, 3, 4))


def _text(data: bytes) -> str:
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True).stdout
    return " ".join(out.decode().split())


def _stored(world, attachment_id: int):
    name = world.db.execute("SELECT stored_name FROM attachments WHERE id = ?", [attachment_id]).fetchone()[0]
    return store.files_dir(world.db) / name


def test_the_parts_come_in_order_with_their_bookmarks(world, sent):
    data = _build(world, sent["member"], sent["pid"])
    reader = pypdf.PdfReader(io.BytesIO(data))
    criteria = [r[0] for r in world.db.execute("SELECT name FROM criteria WHERE call_id = ? ORDER BY position",
                                                [world.call_id])]
    titles = [o.title for o in reader.outline]
    assert titles == ["Profile", "Expression of interest",
                      *[f"({chr(97 + i)}) {name}" for i, name in enumerate(criteria)],
                      "Clarifications", "Files appended", "support letters.pdf", "statutes.pdf", "agreements.pdf"]
    pages = [reader.get_destination_page_number(o) for o in reader.outline]
    assert pages == sorted(pages)
    text = _text(data)
    order = ["Profile", "Expression of interest", "Statement of interest", *criteria, "Clarifications",
             "Files appended", "SUPPORT LETTER ONE", "STATUTES OF THE LAB", "AGREEMENT PAGE ONE"]
    at = [text.index(word) for word in order]
    assert at == sorted(at)


def test_every_attached_page_is_appended_where_its_bookmark_points(world, sent):
    data = _build(world, sent["member"], sent["pid"])
    reader = pypdf.PdfReader(io.BytesIO(data))
    marks = {o.title: reader.get_destination_page_number(o) for o in reader.outline}
    first = marks["support letters.pdf"]
    assert first > marks["Files appended"]
    assert len(reader.pages) == first + 3 + 1 + 2
    pages = [" ".join(p.extract_text().split()) for p in reader.pages]
    assert pages[first:] == ["SUPPORT LETTER ONE", "SUPPORT LETTER TWO", "SUPPORT LETTER THREE",
                             "STATUTES OF THE LAB", "AGREEMENT PAGE ONE", "AGREEMENT PAGE TWO"]
    assert marks["agreements.pdf"] == first + 4
    listed = _text(data)
    assert f"pages {first + 1} to {first + 3}" in listed and f"page {first + 4}" in listed
    assert f"Page 1 of {len(reader.pages)}" in listed


def test_the_clarification_and_its_answer_are_in_the_dossier(world, sent):
    text = _text(_build(world, sent["member"], sent["pid"]))
    part = text[text.index("Clarifications"):text.index("Files appended")]
    assert "Which partners signed?" in part and ANSWER in part
    assert "about Participation in regional and subregional" in part
    assert "answered on 2 March 2026" in part and "answer due by 20 March 2026" in part
    assert "agreements.pdf" in part


def test_a_proposal_without_clarifications_has_no_such_part(world):
    owner, pid = world.submitted("quiet")
    reader = pypdf.PdfReader(io.BytesIO(_build(world, world.sec, pid)))
    titles = [o.title for o in reader.outline]
    assert "Clarifications" not in titles and titles[-1] == "Files appended"
    assert "The applicant sent no file." in _text(_build(world, world.sec, pid))


def test_a_damaged_or_missing_file_is_named_and_the_rest_stays(world, sent):
    _stored(world, sent["letters"]).write_bytes(b"%PDF-1.7\n% a disk fault left only this\n")
    _stored(world, sent["statutes"]).unlink()
    data = _build(world, sent["member"], sent["pid"])
    reader = pypdf.PdfReader(io.BytesIO(data))
    titles = [o.title for o in reader.outline]
    assert "support letters.pdf" not in titles and "statutes.pdf" not in titles and titles[-1] == "agreements.pdf"
    text = _text(data)
    assert text.count("could not be appended") == 2
    for name in ("support letters.pdf", "statutes.pdf"):
        after = text[text.index(name, text.index("Files appended")):]
        assert after[:200].count("could not be appended") >= 1
    assert " ".join(reader.pages[-1].extract_text().split()) == "AGREEMENT PAGE TWO"
    assert "SUPPORT LETTER" not in text and "Profile" in text


def test_readers_words_only_and_user_text_as_written(world, sent):
    data = _build(world, sent["member"], sent["pid"])
    text = _text(data)
    assert "Philippines" in text and " PH " not in text
    assert NAME in text and STATEMENT in text and "Dr Ana <i>Cruz</i>" in text and "Université 🌿" in text
    assert "12 Harbour Road Cebu" in text and "Research institute" in text
    assert "Submitted on 2 March 2026" in text and "Status: not yet screened" in text
    for code in (sent["pid"], "e-owner", "tsc_experience", "None", "2026-03-", "T09:00"):
        assert code not in text, code
    meta = pypdf.PdfReader(io.BytesIO(data))
    assert meta.metadata.title == f"Proposal dossier — {NAME} (TSC-2026-01)"
    assert meta.metadata.author == "Secretariat of the Convention"
    assert meta.trailer["/Root"]["/Lang"] == "en"


def test_the_download_is_named_for_the_call_and_the_entity(world, sent):
    assert dossier.file_name(world.db, world.call_id, sent["pid"]) == "TSC-2026-01 dossier ROL.pdf"


def test_who_may_have_the_dossier(world, sent):
    pid = sent["pid"]
    stranger = world.member("member2")
    conflicted = world.member("member3")
    world.assign(conflicted, pid, declare=True)
    rival, _ = world.submitted("rival")
    bureau = world.bureau()
    for person in (stranger, conflicted, rival, bureau, None):
        with pytest.raises(Forbidden):
            _build(world, person, pid)
    for person in (world.sec, sent["member"], sent["owner"]):
        assert _build(world, person, pid).startswith(b"%PDF-")
    for criterion in world.CRITERIA:  # ranked by consensus: now on the shortlist the Bureau advises on
        meeting.record_consensus(world.db, user=world.sec, call_id=world.call_id, proposal_id=pid,
                                 criterion_id=criterion, score=4.0, note="Agreed.")
    assert permissions.may_read_dossier(world.db, bureau, world.call_id, pid)
    assert _build(world, bureau, pid).startswith(b"%PDF-")
    with pytest.raises(Forbidden):
        _build(world, stranger, pid)
