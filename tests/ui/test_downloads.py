"""A proposal's files reach Streamlit's media endpoint only when an allowed person clicks, never when a page lists them.

Streamlit serves download data under a URL that asks for no session; data
given to st.download_button up front would be served for every file a page
lists, to whoever has the URL.
"""

from __future__ import annotations

import pytest

from selection import accounts
from selection.errors import Forbidden
from selection.store import files_dir
from tests.ui.conftest import account_id
from ui.common import attachment_on_click

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n"


@pytest.fixture
def attachment(demo_db):
    folder = files_dir(demo_db)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "evidence.pdf").write_bytes(PDF)
    demo_db.execute("INSERT INTO attachments (call_id, proposal_id, filename, stored_name, size, sha256, uploaded_at) "
                    "VALUES (1, 'p-savanes', 'evidence.pdf', 'evidence.pdf', ?, 'x', '2027-03-01T10:00:00Z')",
                    [len(PDF)])
    demo_db.conn.commit()
    return demo_db.execute("SELECT max(id) FROM attachments").fetchone()[0]


def _user(db, username):
    return accounts.get_user(db, account_id(db, username))


def test_a_listed_file_is_not_handed_to_the_media_endpoint(open_as, attachment):
    at = open_as("member1", "reviews")
    at.selectbox(key="member_proposal").set_value("p-savanes").run()
    button = next(d.proto for d in at.get("download_button") if d.proto.label.startswith("evidence"))
    assert button.label == f"evidence\\.pdf ({len(PDF)} bytes)"
    assert button.HasField("deferred_file_id") and button.url == ""


def test_the_click_reads_the_file_for_a_member_assigned_to_the_proposal(demo_db, attachment):
    assert attachment_on_click(_user(demo_db, "member1"), 1, attachment)() == PDF


def test_the_click_is_refused_to_someone_who_may_not_read_the_proposal(demo_db, attachment):
    accounts.register_applicant(demo_db, username="rival", display_name="Rival", password="a long password")
    with pytest.raises(Forbidden):
        attachment_on_click(_user(demo_db, "rival"), 1, attachment)()


def test_the_click_is_refused_once_the_account_is_disabled_after_the_page_ran(demo_db, attachment):
    read = attachment_on_click(_user(demo_db, "member1"), 1, attachment)
    demo_db.execute("UPDATE accounts SET disabled = 1 WHERE username = 'member1'")
    demo_db.conn.commit()
    with pytest.raises(Forbidden):
        read()


def test_the_tables_reach_the_media_endpoint_only_on_the_click(open_as):
    at = open_as("bureau", "report")
    next(b for b in at.button if b.label == "Prepare the tables").click().run()
    buttons = [d.proto for d in at.get("download_button")]
    assert {b.label for b in buttons} == {"Download CSV (zip)", "Download XLSX"}
    assert all(b.HasField("deferred_file_id") and b.url == "" for b in buttons)
