"""Call set-up as forms: one expander per slot and criterion, weights as shares, every problem beside its field,
publishing with a confirmation, amendments with a notice to every applicant."""

from __future__ import annotations

import datetime as dt

from selection import mail
from selection.i18n import ngettext
from selection.services import calls as call_service
from tests.ui.conftest import errors, on_edit_tab, on_tab, texts, unescape


def button(at, label: str):
    return next(b for b in at.button if b.label == label)


def new_call(at, key: str = "new_call"):
    """The widgets of one form, by their key's last part."""
    return {w.key.removeprefix(f"{key}:"): w for kind in ("text_input", "text_area", "number_input", "date_input",
                                                          "selectbox", "checkbox")
            for w in getattr(at, kind) if w.key and w.key.startswith(f"{key}:")}


def labels(at) -> list[str]:
    return [unescape(e.label) for e in at.expander]


def test_new_call_has_one_expander_per_slot_and_criterion_with_weights_as_shares(open_as):
    at = on_tab(open_as("secretariat", "call"), "New call")
    found = labels(at)
    assert "Slot 1: Global coordination entity" in found and "Slot 6: Regional support centre - Western Europe " \
                                                                 "and others" in found
    assert any(x.startswith("Criterion 4: Demonstrated capacity") for x in found)
    assert "(together 100%)" in texts(at)
    weight = next(w for w in at.number_input if w.key.startswith("new_call:crit:") and w.label == "Weight")
    weight.set_value(50.0).run()
    assert "40%" in texts(at) and "20%" in texts(at)  # 50 of 125
    assert next(w for w in at.number_input if w.key == weight.key).help == "Now 40% of the total"


def _open(at, label: str):
    return next(e for e in at.expander if unescape(e.label).startswith(label))


def test_an_open_expander_stays_open_while_its_fields_change(open_as):
    at = on_tab(open_as("secretariat", "call"), "New call")
    weight = next(w.key for w in at.number_input if w.key.startswith("new_call:crit:") and w.label == "Weight")
    at.session_state[weight.replace(":weight", ":open")] = True  # the person opens criterion 1
    at.run()
    assert _open(at, "Criterion 1:").proto.expanded
    at.number_input(key=weight).set_value(40.0).run()
    at.text_input(key=weight.replace(":weight", ":name")).input("Networks and partners").run()
    assert _open(at, "Criterion 1:").proto.expanded
    assert not _open(at, "Criterion 2:").proto.expanded


def test_a_saved_new_call_opens_on_the_edit_tab_and_publishing_stays_there(open_as, demo_db):
    at = _fill(on_tab(open_as("secretariat", "call"), "New call"))
    button(at, "Save the call").click().run()
    assert at.session_state["call_setup:tab"] == "Edit the chosen call"
    assert "The call is saved as a draft" in texts(at)
    assert not any(b.key == "new_call:save" for b in at.button)  # no blank new-call form under the banner
    assert any(w.value == "TSC-NEW-1" for w in at.text_input if w.key.endswith(":reference"))
    button(at, "Publish the call…").click().run()
    assert at.session_state["call_setup:tab"] == "Edit the chosen call" and "Publish this call?" in texts(at)
    button(at, "Yes, publish the call").click().run()
    assert at.session_state["call_setup:tab"] == "Edit the chosen call" and "The call is published" in texts(at)


def test_saving_the_conditions_stays_on_the_edit_tab(open_as, demo_db):
    at = on_edit_tab(open_as("secretariat", "call"))
    spare = next(w for w in at.text_input if w.key.startswith("cond_") and not w.value)
    spare.input("The institution has a legal personality.")
    next(b for b in at.button if b.label == "Save the conditions").click().run()
    assert at.session_state["call_setup:tab"] == "Edit the chosen call"
    assert "Eligibility conditions saved" in texts(at)


def test_slots_and_criteria_are_added_and_removed(open_as):
    at = on_tab(open_as("secretariat", "call"), "New call")
    button(at, "Add a slot").click().run()
    assert "Slot 7: new slot" in labels(at)
    at.button(key=next(b.key for b in at.button if b.label == "Remove this slot" and b.key.startswith("new_call:"))
              ).click().run()
    assert "Slot 1: Regional support centre - Africa" in labels(at)
    button(at, "Add a criterion").click().run()
    assert "Criterion 5: new criterion" in labels(at) and "new criterion 9%" in texts(at)  # weight 10 of 110


def _fill(at, reference="TSC-NEW-1", title="A new call", dates=("2027-01-10", "2027-02-01", "2027-03-01",
                                                               "2027-04-01", "2027-05-01")):
    w = new_call(at)
    w["reference"].input(reference)
    w["title"].input(title)
    for name, day in zip(call_service.DATE_FIELDS, dates):
        w[f"date:{name}"].set_value(dt.date.fromisoformat(day) if day else None)
    return at


def test_dates_out_of_order_and_other_problems_are_all_listed_beside_their_fields(open_as, demo_db):
    at = on_tab(open_as("secretariat", "call"), "New call")
    _fill(at, title="", dates=("2027-01-10", "2027-02-01", "2027-01-20", "2027-04-01", "2027-05-01"))
    weight = next(w for w in at.number_input if w.key.startswith("new_call:crit:") and w.label == "Weight")
    weight.set_value(0.0)
    button(at, "Add a slot").click().run()
    button(at, "Save the call").click().run()
    shown = errors(at)
    assert "The call was not saved: 4 problems to fix" in shown
    assert "Title — this cannot be left empty" in shown
    assert "Proposals until — Proposals until (20 January 2027) comes before Questions until (1 February 2027)" in shown
    assert "Criterion 1: Weight — must be more than 0" in shown
    assert "Slot 7: Name — this cannot be left empty" in shown
    assert "Input should" not in shown and "String should" not in shown
    # beside the field: the slot's and the criterion's expanders open, holding their own message
    opened = [unescape(e.label) for e in at.expander if e.proto.expanded]
    assert "Slot 7: new slot" in opened and any(x.startswith("Criterion 1:") for x in opened)
    assert demo_db.execute("SELECT count(*) FROM calls").fetchone()[0] == 1


def test_a_valid_new_call_is_saved_as_a_draft_with_its_scale_words(open_as, demo_db):
    at = _fill(on_tab(open_as("secretariat", "call"), "New call"))
    new_call(at)["notification_text"].input("Institutions may apply to host a centre.")
    anchor = next(w for w in at.text_input if w.key.startswith("new_call:crit:") and w.label == "Score 5 means")
    anchor.input("A hub of the whole region.")
    button(at, "Save the call").click().run()
    assert not at.exception
    assert "The call is saved as a draft." in texts(at)
    cid = demo_db.execute("SELECT id FROM calls WHERE reference = 'TSC-NEW-1'").fetchone()[0]
    form = call_service.call_form_data(demo_db, cid)
    assert form["notification_text"] == "Institutions may apply to host a centre."
    assert form["criteria"][0]["anchors"][5] == "A hub of the whole region."
    assert form["dates"]["submission_deadline"] == "2027-03-01"


def test_publishing_asks_for_confirmation_and_says_what_applicants_will_see(open_as, demo_db):
    at = _fill(on_tab(open_as("secretariat", "call"), "New call"))
    button(at, "Save the call").click().run()
    button(at, "Publish the call…").click().run()
    assert "Publish this call?" in texts(at)
    assert demo_db.execute("SELECT published_at FROM calls WHERE reference = 'TSC-NEW-1'").fetchone()[0] is None
    assert "What applicants will see" in labels(at)
    assert "How proposals are assessed" in texts(at)
    button(at, "Yes, publish the call").click().run()
    assert "The call is published" in texts(at)
    assert demo_db.execute("SELECT published_at FROM calls WHERE reference = 'TSC-NEW-1'").fetchone()[0]


def test_a_published_call_is_amended_with_a_notice_to_every_applicant(open_as, demo_db):
    at = on_edit_tab(open_as("secretariat", "call"))
    key = next(w.key for w in at.text_area if w.key and w.key.endswith(":notice")).removesuffix(":notice")
    button(at, "Save the amendment and notify applicants").click().run()
    assert "Notice to applicants — say what changed: every applicant receives this notice" in errors(at)
    assert not demo_db.execute("SELECT count(*) FROM messages").fetchone()[0]
    at.text_area(key=f"{key}:notice").input("The meeting moves by one day.").run()
    button(at, "Save the amendment and notify applicants").click().run()
    assert not at.exception
    sent = [m for m in mail.messages(demo_db, 1) if m["kind"] == "notice.amendment"]
    assert len(sent) >= 1 and all("The meeting moves by one day." in m["body"] for m in sent)
    assert f"the notice was sent to {ngettext('{n:,} applicant', '{n:,} applicants', len(sent))}." in texts(at)


def test_publishing_without_a_deadline_names_the_date_field(open_as, demo_db):
    at = _fill(on_tab(open_as("secretariat", "call"), "New call"), dates=("2027-01-10", None, None, None, None))
    button(at, "Save the call").click().run()
    button(at, "Publish the call…").click().run()
    button(at, "Yes, publish the call").click().run()
    assert "Proposals until — set the submission deadline before publishing" in errors(at)
    assert demo_db.execute("SELECT published_at FROM calls WHERE reference = 'TSC-NEW-1'").fetchone()[0] is None


def test_the_dates_caption_shows_the_dates_just_typed(open_as):
    """Each date typed shows at once in the summary under the dates, not one entry later."""
    at = on_tab(open_as("secretariat", "call"), "New call")
    at.date_input(key="new_call:date:notified_on").set_value(dt.date(2027, 1, 10)).run()
    summary = next(c.value for c in at.caption if "→" in c.value)
    assert "10 January 2027" in unescape(summary)
    at.date_input(key="new_call:date:inquiry_deadline").set_value(dt.date(2027, 2, 1)).run()
    summary = unescape(next(c.value for c in at.caption if "→" in c.value))
    assert "10 January 2027" in summary and "1 February 2027" in summary
