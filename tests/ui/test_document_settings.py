"""Call set-up, the document settings section: saved through the service, refused beside the form."""

from __future__ import annotations

from selection import queries
from selection.report_queries import document_settings
from tests.ui.conftest import on_edit_tab


def _section(at):
    return {t.label: t for t in at.text_input}


def test_secretariat_sets_the_symbol_and_signatory(open_as, demo_db):
    at = on_edit_tab(open_as("secretariat", "call"))
    fields = _section(at)
    fields["Document symbol"].input("CBD/SBSTTA/TSC/2027/1")
    fields["Signatory of the letters"].input("Astrid Schomaker")
    next(b for b in at.button if b.label == "Save the document settings").click()
    at.run()
    assert not at.exception
    assert any("document settings are saved" in s.value for s in at.success)
    saved = document_settings(demo_db, queries.resolve_call(demo_db, None)["id"])
    assert (saved.symbol, saved.signatory_name) == ("CBD/SBSTTA/TSC/2027/1", "Astrid Schomaker")


def test_a_bad_setting_is_refused_naming_its_label(open_as, demo_db):
    at = on_edit_tab(open_as("secretariat", "call"))
    _section(at)["Signatory's title"].input("x" * 300)
    next(b for b in at.button if b.label == "Save the document settings").click()
    at.run()
    assert any("Signatory" in e.value and "at most 200 characters" in e.value for e in at.error)
    assert demo_db.execute("SELECT count(*) FROM document_settings").fetchone()[0] == 0
