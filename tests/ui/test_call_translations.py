"""Call set-up, the texts in other languages: typed per language, saved through the service, read back."""

from __future__ import annotations

from selection import content, queries


def _call_id(db) -> int:
    return queries.resolve_call(db, None)["id"]


def test_the_secretariat_translates_the_title_and_a_criterion_and_finds_them_kept(open_as, demo_db):
    at = open_as("secretariat", "call")
    call_id = _call_id(demo_db)
    next(s for s in at.selectbox if s.label == "Language").set_value("fr").run()
    key = f"tr_{call_id}_fr"
    at.text_input(key=f"{key}_title").input("Appel à manifestation d'intérêt")
    names = [t for t in at.text_input if t.key and t.key.startswith(key) and t.key.endswith("_name")]
    names[0].input("Réseaux et partenariats")
    next(t for t in at.text_input if t.key and t.key.startswith(key) and t.key.endswith("_anchor5")).input("Exceptionnel")
    next(b for b in at.button if b.label == "Save the translations").click()
    at.run()
    assert not at.exception
    kept = content.translations(demo_db, call_id, "fr")
    assert kept[("call", "", "title")] == "Appel à manifestation d'intérêt"
    assert "Réseaux et partenariats" in kept.values()
    assert any("3 texts saved in Français" in m.value for m in at.info)
    assert at.text_input(key=f"{key}_title").value == "Appel à manifestation d'intérêt"


def test_saving_nothing_new_changes_nothing(open_as, demo_db):
    at = open_as("secretariat", "call")
    next(b for b in at.button if b.label == "Save the translations").click()
    at.run()
    assert not at.exception
    assert demo_db.execute("SELECT count(*) FROM call_texts").fetchone()[0] == 0
