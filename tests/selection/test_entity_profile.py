"""The organisation profile travels in the bundle as an optional ``profile`` object on an entity."""

from __future__ import annotations

import json

import pytest

from selection import bundle as bundle_mod
from selection.bundle import BundleInvalid

PROFILE = {"legal_status": "Public research institute under national law", "address": "12 Baobab Road\nDakar",
           "head": "Dr Aminata Diallo", "contact_person": "Moussa Ndiaye", "contact_phone": "+221 33 123 45 67",
           "partners": ["Université Cheikh Anta Diop", "Réseau sahélien"]}


def test_a_profile_is_stored_and_exported_back(db, example_dict):
    example_dict["entities"][0]["profile"] = PROFILE
    bundle_mod.store(db, bundle_mod.from_dict(example_dict), actor="test")
    exported = json.loads(bundle_mod.dumps(bundle_mod.export(db, example_dict["call"]["reference"])))
    assert exported["entities"][0]["profile"] == PROFILE
    assert "profile" not in exported["entities"][1]


def test_a_bundle_without_profiles_loads_and_exports_without_them(db, example_dict):
    bundle_mod.store(db, bundle_mod.from_dict(example_dict), actor="test")
    exported = json.loads(bundle_mod.dumps(bundle_mod.export(db, example_dict["call"]["reference"])))
    assert all("profile" not in e for e in exported["entities"])


@pytest.mark.parametrize("bad,where", [({"head_of": "X"}, "profile.head_of"),
                                       ({"contact_phone": "call me"}, "profile.contact_phone")])
def test_a_profile_with_an_unknown_key_or_a_wrong_phone_is_refused(example_dict, bad, where):
    example_dict["entities"][0]["profile"] = bad
    with pytest.raises(BundleInvalid) as refused:
        bundle_mod.from_dict(example_dict)
    assert any(where in str(p) for p in refused.value.problems), refused.value.problems
