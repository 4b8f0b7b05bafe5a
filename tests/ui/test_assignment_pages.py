"""The panel assignment page (preview, adjust, save) and the members' review preferences, through AppTest."""

from __future__ import annotations

import re

from tests.ui.conftest import errors, texts


def button(at, label: str):
    return next(b for b in at.button if re.match(label, b.label))


def test_the_secretariat_previews_adjusts_and_saves_an_assignment(open_as, demo_db):
    before = demo_db.execute("SELECT count(*) FROM assignments").fetchone()[0]
    at = open_as("secretariat", "assignment")
    assert at.title[0].value == "Panel assignment"
    # the demo's members have scored most proposals already: ask for six members each to have gaps to fill
    next(n for n in at.number_input if n.label == "Members per proposal").set_value(6).run()
    button(at, "Propose an assignment").click().run()
    assert not at.exception, [e.value for e in at.exception]
    shown = texts(at)
    assert "Each proposal gets 6 members" in shown
    assert "Potential conflicts detected" in shown
    frames = [f.value for f in at.dataframe]
    per_member = next(f for f in frames if "Preferences met" in f.columns)
    assert "Aminata Koné-Sarr" in set(per_member["Member"])
    per_proposal = next(f for f in frames if "Potential conflicts avoided" in f.columns)
    assert not per_proposal["Entity"].str.match(r"^p-").any()          # names, never record ids
    save = button(at, r"Save \d+ new")
    planned = int(save.label.split()[1])
    assert planned > 0
    # leave one new assignment out before saving
    removal = next(m for m in at.multiselect if m.label == "Leave out these new assignments")
    removal.select(removal.options[0]).run()
    save = button(at, r"Save \d+ new")
    assert int(save.label.split()[1]) == planned - 1
    save.click().run()
    assert not at.exception
    assert f"Saved {planned - 1} assignments" in texts(at)
    assert demo_db.execute("SELECT count(*) FROM assignments").fetchone()[0] == before + planned - 1


def test_members_per_proposal_starts_at_the_calls_reviews_and_never_exceeds_the_panel(open_as, demo_db):
    need, panel = demo_db.execute("SELECT min_reviews, (SELECT count(*) FROM accounts WHERE role = 'member') "
                                  "FROM calls").fetchone()
    at = open_as("secretariat", "assignment")
    per = next(n for n in at.number_input if n.label == "Members per proposal")
    assert (per.value, per.min, per.max) == (need, need, max(need, panel))
    button(at, "Propose an assignment").click().run()
    assert f"Each proposal gets {need} members" in texts(at)
    assert not [w.value for w in at.warning if "lacks" in w.value]


def test_a_member_states_preferences_and_cannot_review_needs_a_reason(open_as, demo_db):
    at = open_as("member1", "preferences")
    assert at.title[0].value == "Review preferences"
    preferred = next(m for m in at.multiselect if m.label == "Preferred proposals")
    preferred.select(preferred.options[0]).select(preferred.options[1]).run()
    button(at, "Save my preferred proposals").click().run()
    assert "Saved: you prefer 2 proposals." in texts(at)
    next(s for s in at.selectbox if s.label == "Proposal").select_index(0)
    button(at, "Record that I cannot review it").click().run()
    assert "reason — this cannot be left empty" in errors(at)
    next(s for s in at.selectbox if s.label == "Proposal").select_index(0)
    next(t for t in at.text_area if t.label == "Why you cannot review it").input("I chaired their board until 2026.")
    button(at, "Record that I cannot review it").click().run()
    assert "Recorded: you cannot review" in texts(at)
    rows = sorted(r[0] for r in demo_db.execute("SELECT preference FROM review_preferences"))
    assert rows == ["cannot", "prefer"]          # one word per proposal: the first preferred one became "cannot"
    assert "I chaired their board until 2026." in set(at.dataframe[0].value["Why"])
