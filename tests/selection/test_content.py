"""A call's own texts in several languages: the bundle's optional translations block, the set-up's
translations, and what a reader sees (their language, or the original marked as such)."""

from __future__ import annotations

import pytest

from selection import bundle, content, i18n, store
from selection.bundle import BundleInvalid
from selection.errors import Invalid
from selection.models import Role
from selection.errors import Forbidden
from selection.permissions import User

SECRETARIAT = User(id=1, username="officer", display_name="Officer", role=Role.SECRETARIAT)


def _with_translations(example_dict):
    slot, criterion = example_dict["call"]["slots"][0]["id"], example_dict["call"]["criteria"][0]["id"]
    example_dict["translations"] = {
        "fr": {"title": "Appel à manifestation d'intérêt", "slots": {slot: {"name": "Entité de coordination mondiale"}},
               "criteria": {criterion: {"name": "Réseaux et partenariats", "anchors": {"0": "Aucune preuve"}}}},
        "zh": {"title": "征集意向书"},
    }
    example_dict["entities"][0]["language"] = "es"
    return example_dict, slot, criterion


def test_a_bundle_without_translations_loads_and_exports_as_before(db, example_dict):
    call_id = bundle.store(db, bundle.from_dict(example_dict), actor="test")
    exported = bundle.export(db, example_dict["call"]["reference"])
    assert exported.translations is None
    assert "translations" not in bundle.dumps(exported)
    assert content.export(db, call_id) is None


def test_translations_and_an_entity_s_language_go_through_the_store_and_back(db, example_dict):
    data, slot, criterion = _with_translations(example_dict)
    bundle.store(db, bundle.from_dict(data), actor="test")
    again = bundle.export(db, data["call"]["reference"])
    assert again.translations["fr"].slots[slot].name == "Entité de coordination mondiale"
    assert again.translations["fr"].criteria[criterion].anchors == {"0": "Aucune preuve"}
    assert again.translations["zh"].title == "征集意向书"
    assert again.entities[0].language == "es"
    assert bundle.from_dict(__import__("json").loads(bundle.dumps(again))) == again


@pytest.mark.parametrize("change, where", [
    (lambda d: d["translations"]["fr"]["slots"].update({"nowhere": {"name": "x"}}), "translations.fr.slots.nowhere"),
    (lambda d: d["translations"].update({"de": {"title": "Aufruf"}}), "translations.de"),
    (lambda d: d["translations"]["fr"].update({"colour": "bleu"}), "translations.fr.colour"),
    (lambda d: d["entities"][0].update({"language": "klingon"}), "entities[0].language"),
])
def test_a_translation_of_something_the_bundle_lacks_or_in_another_language_is_refused_by_its_place(
        example_dict, change, where):
    data, _, _ = _with_translations(example_dict)
    change(data)
    with pytest.raises(BundleInvalid) as refused:
        bundle.from_dict(data)
    assert any(p.startswith(where) for p in refused.value.problems), refused.value.problems


def test_a_reader_sees_their_language_where_it_exists_and_the_original_marked_elsewhere(db, example_dict):
    data, slot, criterion = _with_translations(example_dict)
    call_id = bundle.store(db, bundle.from_dict(data), actor="test")
    title = data["call"]["title"]
    french = content.CallTexts(db, call_id, "fr")
    assert french.call("title", title) == content.Shown("Appel à manifestation d'intérêt")
    assert french.slot(slot, "Global") == content.Shown("Entité de coordination mondiale")
    assert french.criterion(criterion, "description", "Written in English") == content.Shown(
        "Written in English", original="anglais")  # the original named in the reader's language
    english_scale = {k: f"point {k}" for k in range(6)}
    assert french.anchors(criterion, english_scale) == {**english_scale, 0: "Aucune preuve"}
    assert french.anchors(criterion, {5: "Outstanding"}) == {5: "Outstanding"}
    assert content.CallTexts(db, call_id, "en").call("title", title) == content.Shown(title)
    assert content.CallTexts(db, call_id, "ru").call("title", title) == content.Shown(title, original="английский")
    with i18n.use("zh"):
        assert content.CallTexts(db, call_id).call("title", title).text == "征集意向书"


def test_the_secretariat_translates_a_call_s_texts_audited_and_an_empty_text_removes_one(db, example_dict):
    call_id = bundle.store(db, bundle.from_dict(example_dict), actor="test")
    slot = example_dict["call"]["slots"][0]["id"]
    changed = content.set_texts(db, user=SECRETARIAT, call_id=call_id, lang="ar",
                                texts={("call", "", "title"): "دعوة لإبداء الاهتمام", ("slot", slot, "name"): "كيان"})
    assert changed == 2
    assert content.translations(db, call_id, "ar")[("slot", slot, "name")] == "كيان"
    assert content.set_texts(db, user=SECRETARIAT, call_id=call_id, lang="ar",
                             texts={("call", "", "title"): "دعوة لإبداء الاهتمام"}) == 0
    content.set_texts(db, user=SECRETARIAT, call_id=call_id, lang="ar", texts={("slot", slot, "name"): "  "})
    assert ("slot", slot, "name") not in content.translations(db, call_id, "ar")
    events = [e for e in db.query("SELECT action FROM audit WHERE action = 'call.translated'")]
    assert len(events) == 2


def test_only_the_secretariat_translates_and_only_into_the_six_languages(db, example_dict):
    call_id = bundle.store(db, bundle.from_dict(example_dict), actor="test")
    member = User(id=2, username="m", display_name="Member", role=Role.MEMBER)
    with pytest.raises(Forbidden):
        content.set_texts(db, user=member, call_id=call_id, lang="fr", texts={("call", "", "title"): "x"})
    with pytest.raises(Invalid):
        content.set_texts(db, user=SECRETARIAT, call_id=call_id, lang="de", texts={("call", "", "title"): "x"})
    with pytest.raises(Invalid):
        content.set_texts(db, user=SECRETARIAT, call_id=call_id, lang="fr", texts={("call", "", "reference"): "x"})
    assert content.translations(db, call_id, "fr") == {}


def test_slot_names_and_criteria_read_in_the_reader_s_language_everywhere(db, example_dict):
    from selection import queries
    from selection.services.common import criteria_rows

    data, slot, criterion = _with_translations(example_dict)
    call_id = bundle.store(db, bundle.from_dict(data), actor="test")
    written = data["call"]["slots"][0]["name"]
    assert queries.slot_names(db, call_id)[slot] == written
    with i18n.use("fr"):
        assert queries.slot_names(db, call_id)[slot] == "Entité de coordination mondiale"
        rows = criteria_rows(db, call_id)
        assert rows[0]["id"] == criterion and rows[0]["name"] == "Réseaux et partenariats"
        assert __import__("json").loads(rows[0]["anchors"])["0"] == "Aucune preuve"
    with i18n.use("ru"):
        assert queries.slot_names(db, call_id)[slot] == written


def test_an_applicant_reads_its_outcome_in_its_language(decided):
    """What the applicant's page says of the decision comes in the reader's language ('decided': a selection)."""
    from selection import queries

    from selection import clock
    from selection.services import decision

    _, db, sec, call_id = decided
    selection_id, proposal = db.execute("SELECT id, proposal_id FROM selections WHERE call_id = ?", [call_id]).fetchone()
    assert queries.outcome(db, call_id, proposal) == []  # nothing is told before the notification
    decision.record_notification(db, user=sec, call_id=call_id, selection_id=selection_id, notified_on=clock.today())
    english = queries.outcome(db, call_id, proposal)
    assert english and english[0].startswith("Selected to host")
    with i18n.use("fr"):
        assert queries.outcome(db, call_id, proposal)[0].startswith("Retenu pour accueillir")
