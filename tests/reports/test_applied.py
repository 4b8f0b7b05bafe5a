"""How the criteria were applied, as one table per slot: where a score sits on any anchored scale,
and every ranked proposal with its comment per criterion."""

from __future__ import annotations

from criteria.sets import anchor_for
from reports import assessment
from reports.assessment.applied import scale_points
from tests.reports.conftest import NAMES, pdf_text


def test_scale_points_are_the_anchors_a_score_lies_between_on_any_scale():
    assert scale_points(3.58, 0, 5) == "3–4"
    assert scale_points(4, 0, 5) == "4"
    assert scale_points(65, 0, 100) == "60–80"
    assert scale_points(5.5, 1, 10) == "4.6–6.4"
    assert scale_points(10, 1, 10) == "10"
    # the same reading as the words of the anchored scale
    assert anchor_for(3.58, 0, 5).startswith("between") and not anchor_for(4, 0, 5).startswith("between")


def test_every_ranked_proposal_is_in_the_table_with_one_comment_per_criterion(six_db):
    text = pdf_text(assessment.build(six_db, draws=100))
    table = text[text.index("Every ranked proposal (6)"):text.index("Robustness of the shortlist")]
    for pid in ("p1", "p2", "p3", "p4", "p5", "p6"):
        assert NAMES[pid] in table, pid
    assert NAMES["p8"] not in table  # ineligible: not ranked
    assert "Score below the threshold of 2." in table  # p6 on networks
    assert "4.00* 4 3.5–4 mean 3.75" in table  # p2's consensus score beside its members' range and mean
    assert "Scale: the points of the criterion's anchored scale" in table
