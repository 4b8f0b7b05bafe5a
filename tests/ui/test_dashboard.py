"""The Dashboard: the step of each slot once one is decided, what comes next, and each message in full."""

from __future__ import annotations

from selection import accounts, mail, queries
from selection.services import decision, inquiries
from tests.ui.conftest import account_id, texts


def _secretariat(db):
    return accounts.get_user(db, account_id(db, "secretariat"))


def test_one_decided_slot_shows_the_step_of_every_slot(open_as, demo_db):
    sec = _secretariat(demo_db)
    first = queries.reserve_list(demo_db, 1, "global")[0]["proposal"]
    decision.record_selection(demo_db, user=sec, call_id=1, slot_id="global", proposal_id=first,
                              rationale="First in the ranking.")
    at = open_as("secretariat", "dashboard")
    assert "Current step: Decision and follow-up: 1 of 6 slots decided" in texts(at)
    assert "Follow-up" not in texts(at)
    steps = dict(zip(at.dataframe[0].value["Slot"], at.dataframe[0].value["Step"]))
    assert steps["Global coordination entity"] == "Decision: notify the selected entity"
    assert steps["Regional TSC support centre - Africa"] == "Decision: select the host"
    assert "Next step:" in texts(at)


def test_the_outbox_shows_each_message_s_body(open_as, demo_db, call_open):
    sec = _secretariat(demo_db)
    applicant = accounts.get_user(demo_db, account_id(demo_db, "applicant"))
    qid = inquiries.ask(demo_db, user=applicant, call_id=1, question="May a consortium apply?")
    inquiries.answer(demo_db, user=sec, call_id=1, inquiry_id=qid, text="Yes, one member leads the consortium.")
    assert mail.messages(demo_db, 1)
    at = open_as("secretariat", "dashboard")
    assert "Yes, one member leads the consortium." in "\n".join(t.value for t in at.text)


def test_the_first_dashboard_says_in_words_how_to_start(empty_db):
    from streamlit.testing.v1 import AppTest

    from tests.ui.conftest import APP, signed_in
    user = accounts.create_first_secretariat(empty_db, username="ana", display_name="Ana", password="a-long-password")
    at = signed_in(AppTest.from_file(APP, default_timeout=60), empty_db, user.username).run()
    shown = texts(at)
    assert "No call yet. Start on the page Call set-up" in shown
    assert "python -m" not in shown


def test_call_set_up_does_not_name_itself_as_the_page_of_the_next_step(open_as, demo_db):
    demo_db["calls"].update(1, {"published_at": None})
    at = open_as("secretariat", "call")
    step = next(i.value for i in at.info if "Next step:" in i.value)
    assert "(page: Call set-up)" not in step
