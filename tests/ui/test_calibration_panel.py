"""The meeting page shows the calibrated view beside the ranking, clearly labelled as advice."""

from __future__ import annotations

from criteria.calibration import LABEL
from tests.ui.conftest import texts


def test_the_meeting_page_shows_the_calibrated_view(open_as):
    at = open_as("secretariat", "meeting")
    shown = texts(at)
    assert LABEL in shown
    assert "Calibrated view — advice to the advisory group, not the contract's ranking" in shown
    assert "the shortlist once calibrated" in shown
