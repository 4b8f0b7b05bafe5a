"""The proposal's dossier is offered as one download where the person may read it, and built only on the click."""

from __future__ import annotations

import io

import pypdf

from selection import accounts, views
from tests.ui.conftest import account_id
from ui.common import dossier_on_click


def _dossier_button(at):
    return next(d.proto for d in at.get("download_button") if d.proto.label == "Download the dossier (PDF)")


def test_an_assigned_member_is_offered_the_dossier_in_the_reader(open_as):
    at = open_as("member1", "reviews")
    at.selectbox(key="member_proposal").set_value("p-savanes").run()
    assert not at.exception
    button = _dossier_button(at)
    assert button.HasField("deferred_file_id") and button.url == ""  # built when clicked, not when listed


def test_the_bureau_is_offered_the_dossier_of_each_shortlisted_proposal(open_as, demo_db):
    at = open_as("bureau", "advice")
    view = views.for_call(demo_db, demo_db.execute("SELECT reference FROM calls").fetchone()[0])
    shortlisted = list(dict.fromkeys(pid for s in view.ranking.slots for pid in s.shortlist))
    assert len(shortlisted) >= 3
    assert at.selectbox(key="dossier_proposal").options == [view.labels[pid] for pid in shortlisted]
    assert _dossier_button(at).HasField("deferred_file_id")


def test_the_click_builds_the_dossier_for_the_bureau(demo_db, open_as):
    at = open_as("bureau", "advice")
    pid = at.selectbox(key="dossier_proposal").value
    bureau = accounts.get_user(demo_db, account_id(demo_db, "bureau"))
    data = dossier_on_click(bureau, 1, pid)()
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert [o.title for o in reader.outline][:2] == ["Profile", "Expression of interest"]
