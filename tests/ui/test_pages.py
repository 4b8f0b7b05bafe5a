"""Every page, for every role, through Streamlit's AppTest: what a person sees and what they are refused."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from selection import clock
from selection.services import review
from tests.ui.conftest import APP, account_id, errors, texts


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def field(widgets, label: str):
    return next(w for w in widgets if w.label == label)


def test_fresh_database_creates_the_first_secretariat_account(empty_db):
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert at.title[0].value == "Set up host-selection"
    field(at.text_input, "Your name").input("Ana Secretariat")
    field(at.text_input, "Username").input("ana")
    at.text_input[3].input("a-long-password")
    button(at, "Create the secretariat account").click().run()
    assert not at.exception
    assert at.title[0].value == "Dashboard"
    assert "No call yet" in texts(at)
    assert "Your secretariat account is created and you are signed in as ana." in texts(at)


def test_the_first_account_form_lists_every_problem_under_its_field(empty_db):
    at = AppTest.from_file(APP, default_timeout=60).run()
    button(at, "Create the secretariat account").click().run()
    shown = errors(at)
    assert "Not saved: 3 problems to fix" in shown
    for line in ("Your name — give your name", "Username — 3 to 100 letters",
                 "Password — use at least 10 characters"):
        assert shown.count(line) == 2, line  # in the summary and under the field
    assert "display name" not in shown and "String should" not in shown
    assert not empty_db.execute("SELECT count(*) FROM accounts").fetchone()[0]


def test_short_password_is_refused_beside_the_form(empty_db):
    at = AppTest.from_file(APP, default_timeout=60).run()
    field(at.text_input, "Your name").input("Ana")
    field(at.text_input, "Username").input("ana")
    at.text_input[3].input("short")
    button(at, "Create the secretariat account").click().run()
    assert "Password — use at least 10 characters" in errors(at)
    assert at.title[0].value == "Set up host-selection"


@pytest.mark.parametrize("username,password", [("nobody", "demo-password"), ("secretariat", "wrong-password")])
def test_sign_in_gives_one_message_for_unknown_user_and_wrong_password(open_as, username, password):
    at = open_as(None)
    field(at.text_input, "Username").input(username)
    field(at.text_input, "Password").input(password)
    button(at, "Sign in").click().run()
    assert "Unknown username or wrong password." in errors(at)
    assert at.title[0].value == "Host selection"


def test_sign_in_opens_the_role_s_first_page(open_as):
    at = open_as(None)
    field(at.text_input, "Username").input("member1")
    field(at.text_input, "Password").input("demo-password")
    button(at, "Sign in").click().run()
    assert at.title[0].value == "My reviews"


@pytest.mark.parametrize(
    "path,title,expected",
    [
        ("dashboard", "Dashboard", "TSC-HOST-DEMO-2027"),
        ("call", "Call set-up", "Published on"),
        ("questions", "Questions", "questions waiting"),
        ("proposals", "Proposals", "Scoring progress"),
        ("meeting", "Advisory group meeting", "Shortlist:"),
        ("report", "Assessment report", "top three per slot"),
        ("decision", "Decision and follow-up", "No advice recorded yet."),
        ("people", "People", "Invite someone"),
    ],
)
def test_secretariat_pages(open_as, path, title, expected):
    at = open_as("secretariat", path)
    assert at.title[0].value == title
    assert expected in texts(at)


@pytest.mark.parametrize("username,own_page", [("member1", "My reviews"), ("bureau", "Shortlist and advice"),
                                                ("applicant", "My proposal")])
@pytest.mark.parametrize("path", ["meeting", "decision", "people", "proposals"])
def test_other_roles_never_reach_secretariat_pages(open_as, username, own_page, path):
    at = open_as(username, path)
    assert at.title[0].value == own_page


def test_signed_out_visitor_sees_only_sign_in(open_as):
    at = open_as(None, "meeting")
    assert at.title[0].value == "Host selection"
    assert "TSC-HOST-DEMO-2027" not in texts(at)


def test_member_with_a_conflict_cannot_score(open_as, demo_db):
    at = open_as("member2", "reviews")
    assert "conflict declared" in at.dataframe[0].value["State"].tolist()
    at.selectbox(key="member_proposal").set_value("p-tumannaya").run()
    assert "You declared a conflict of interest" in texts(at)
    assert not [b for b in at.button if b.label in ("Save and submit", "Save the scores")]


def test_member_declares_scores_and_then_sees_the_panel(open_as, demo_db):
    sec = _user(demo_db, "secretariat")
    review.assign(demo_db, user=sec, call_id=1, proposal_id="p-deccan", member_id=account_id(demo_db, "member1"))
    at = open_as("member1", "reviews")
    pick = at.selectbox(key="member_proposal")
    pick.set_value("p-deccan").run()
    assert "declare whether you have a conflict" in texts(at)
    next(r for r in at.radio if r.label == "Conflict of interest").set_value(False)
    button(at, "Declare").click().run()
    for box in at.selectbox:
        if box.label == "Score":
            box.set_value(3.5)
    for area in at.text_area:
        if area.label == "Reasons for this score":
            area.input("Evidence weighed against the anchors.")
    button(at, "Save and submit").click().run()
    assert not at.exception
    assert "Review submitted" in texts(at)
    assert "The panel's scores" in texts(at)


def test_member_must_give_reasons_before_submitting(open_as, demo_db):
    sec = _user(demo_db, "secretariat")
    review.assign(demo_db, user=sec, call_id=1, proposal_id="p-deccan", member_id=account_id(demo_db, "member1"))
    at = open_as("member1", "reviews")
    at.selectbox(key="member_proposal").set_value("p-deccan").run()
    next(r for r in at.radio if r.label == "Conflict of interest").set_value(False)
    button(at, "Declare").click().run()
    for box in at.selectbox:
        if box.label == "Score":
            box.set_value(3.5)
    button(at, "Save and submit").click().run()
    assert "Reasons for “" in errors(at) and "give the reasons" in errors(at)


def test_applicant_sees_only_their_own_proposal(open_as, demo_db):
    at = open_as("applicant", "my-proposal")
    own = demo_db.execute("SELECT name FROM entities WHERE account_id = ?",
                          [account_id(demo_db, "applicant")]).fetchone()[0]
    others = [r[0] for r in demo_db.execute("SELECT name FROM entities WHERE account_id IS NULL")]
    page = texts(at) + "\n".join(w.value for w in at.text_input)
    assert own in page
    assert not any(name in page for name in others)


def test_applicant_is_refused_after_the_deadline(open_as, demo_db, monkeypatch):
    from selection import accounts

    accounts.register_applicant(demo_db, username="late", display_name="Late Comer", password="a long password")
    deadline = dt.date.fromisoformat(demo_db.execute("SELECT submission_deadline FROM calls").fetchone()[0])
    late = dt.datetime.combine(deadline + dt.timedelta(days=15), dt.time(9), tzinfo=dt.UTC)
    monkeypatch.setattr(clock, "now", lambda: late)
    at = open_as("late", "my-proposal")
    button(at, "Save the draft").click().run()
    assert f"submission deadline ({deadline.day} {deadline:%B %Y}) has passed" in errors(at)


def test_question_is_answered_and_published_to_every_applicant(open_as, demo_db, call_open):
    at = open_as("applicant", "questions")
    field(at.text_area, "Your question").input("May two institutions apply jointly?")
    button(at, "Send the question").click().run()
    assert "Sent." in texts(at)
    sec = open_as("secretariat", "questions")
    next(a for a in sec.text_area if a.label == "Answer").input("Yes, with one lead institution.")
    button(sec, "Publish the answer to all applicants").click().run()
    again = open_as("applicant", "questions")
    assert "Yes, with one lead institution." in texts(again)


def test_bureau_records_advice_naming_an_entity_of_the_chosen_slot(open_as, demo_db):
    at = open_as("bureau", "advice")
    assert "Shortlist:" in texts(at)
    at.selectbox(key="advice_slot").set_value("africa").run()
    preferred = next(s for s in at.selectbox if s.label.startswith("Entity you advise"))
    preferred.set_value("p-woodlands")
    field(at.text_area, "Advice").input("Prefer Woodlands; strong regional reach.")
    button(at, "Record the advice").click().run()
    assert "Advice recorded for Regional TSC support centre - Africa." in texts(at)
    assert demo_db.execute("SELECT slot_id, preferred_proposal_id FROM bureau_advice").fetchall() == [
        ("africa", "p-woodlands")]
    assert "Prefer Woodlands; strong regional reach." in str(at.dataframe[-1].value["Advice"].tolist())


def test_secretariat_generates_the_report(open_as):
    at = open_as("secretariat", "report")
    button(at, "Generate the report").click().run()
    reference, lang, pdf, _made = at.session_state["report_pdf"]
    assert reference == "TSC-HOST-DEMO-2027" and lang == "en" and pdf.startswith(b"%PDF")


def test_secretariat_invites_a_member_with_a_one_time_code(open_as, demo_db):
    at = open_as("secretariat", "people")
    field(at.text_input, "Name").input("Новый Член")
    button(at, "Create an invitation code").click().run()
    assert at.code and len(at.code[0].value) == 20
    assert "Новый Член" in str(demo_db.execute("SELECT display_name FROM invitations").fetchall())


def _user(db, username):
    from selection import accounts

    return accounts.get_user(db, account_id(db, username))


def test_meeting_what_if_sliders_show_when_a_shortlist_changes(open_as):
    at = open_as("secretariat", "meeting")
    assert "shortlist unchanged" in texts(at) and "CHANGES" not in texts(at)
    for criterion, weight in (("networks", 5.0), ("expertise", 5.0), ("tsc_experience", 5.0), ("capacity", 100.0)):
        at.slider(key=f"w_{criterion}").set_value(weight)
    at.run()
    changed = [w.value for w in at.warning if "shortlist CHANGES" in w.value]
    assert any("Africa" in w and "Kessoua" in w for w in changed), changed


def test_meeting_shows_divergences_leniency_and_robustness(open_as):
    page = texts(open_as("secretariat", "meeting"))
    for heading in ("Divergent scores to discuss", "Leniency of each member", "Reviews left out of every figure",
                    "Agreement and robustness of each shortlist"):
        assert heading in page
    assert "Panel agreement" in page and "Smallest change that alters the shortlist" in page


def test_a_screened_proposal_is_shown_read_only(open_as):
    at = open_as("applicant", "my-proposal")
    assert "It has been screened and can no longer be changed." in texts(at)
    assert not [b for b in at.button if b.label.startswith("Save the")
                and b.label != "Save the profile"]
