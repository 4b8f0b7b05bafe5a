"""The consolidated comment: the panel's words without its members' names."""

from reports.comments import consolidated, first_sentence


def test_consensus_note_speaks_for_the_panel():
    assert consolidated([(4, "Strong network.")], "Agreed after discussion.", agreed=True) == "Agreed after discussion."
    assert "no note was recorded" in consolidated([], None, agreed=True)


def test_reasons_condensed_highest_score_first_each_once():
    text = consolidated([(2, "Few partners. More detail follows here."), (4, "Wide network in Africa. And more."),
                         (3, "few partners."), (1, "  "), (5, None)])
    assert text == "Wide network in Africa. · few partners."


def test_long_reason_cut_with_an_ellipsis_and_other_scripts_split_on_their_full_stop():
    long = "x" * 500
    assert first_sentence(long).endswith("…") and len(first_sentence(long)) == 240
    assert first_sentence("网络很广。还有更多。") == "网络很广。"


def test_no_reason_written_is_said():
    assert consolidated([(3, ""), (4, None)]) == "No reason was written."


def test_at_most_three_reasons_the_ends_of_the_range_and_one_between():
    text = consolidated([(5, "Five."), (4, "Four."), (3, "Three."), (2, "Two."), (1, "One.")])
    assert text == "Five. · Three. · One."


def test_one_reason_is_the_median_scores():
    reasons = [(5, "Five."), (4, "Four."), (3, "Three."), (2, "Two."), (1, "One.")]
    assert consolidated(reasons, most=1) == "Three."
    assert consolidated(reasons[:4], most=1) == "Four."
    assert consolidated([(2, "Only one.")], most=1) == "Only one."
