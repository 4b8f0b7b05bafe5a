"""The records: shapes, defaults and the checks that belong to one record."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from selection import models as m

# --------------------------------------------------------------------------- helpers


@pytest.mark.parametrize("value, shown", [(7, "7"), (7.0, "7"), (2.5, "2.5"), (-0.5, "-0.5"), (0.1, "0.1")])
def test_fmt_writes_numbers_as_people_do(value, shown):
    assert m.fmt(value) == shown


@pytest.mark.parametrize(
    "value, origin, step, expected",
    [(2.5, 0, 0.5, True), (2.25, 0, 0.5, False), (0.3, 0, 0.1, True), (0.7, 0, 0.1, True),
     (2.5, 1, 1.5, True), (3, 1, 1.5, False), (10, 1, 1, True)],
)
def test_on_grid_tolerates_float_noise_but_not_off_grid_values(value, origin, step, expected):
    assert m.on_grid(value, origin, step) is expected


# --------------------------------------------------------------------------- scale


def test_scale_defaults_to_0_to_5_in_half_points():
    s = m.Scale()
    assert (s.min, s.max, s.step) == (0, 5, 0.5)
    assert s.points() == [0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5]


def test_scale_allows_only_its_points():
    s = m.Scale(min=1, max=10, step=1)
    assert s.allows(1) and s.allows(10) and s.allows(7)
    assert not s.allows(0) and not s.allows(11) and not s.allows(6.5)
    assert len(s.points()) == 10


@pytest.mark.parametrize(
    "kwargs, words",
    [({"min": 5, "max": 5}, "must be above"), ({"min": 5, "max": 0}, "must be above"),
     ({"max": 5, "step": 2}, "does not divide"), ({"step": 0}, "greater than 0"), ({"step": -1}, "greater than 0")],
)
def test_incoherent_scales_are_refused(kwargs, words):
    with pytest.raises(ValidationError, match=words):
        m.Scale(**kwargs)


# --------------------------------------------------------------------------- bundle records


def test_unknown_keys_are_refused_on_every_record():
    with pytest.raises(ValidationError, match="Extra inputs"):
        m.Slot(id="s", name="S", level="global", capital="x")
    with pytest.raises(ValidationError, match="Extra inputs"):
        m.Score(reviewer="r", proposal="p", criterion="c", score=3, comment="x")


def test_types_are_strict():
    with pytest.raises(ValidationError):
        m.Score(reviewer="r", proposal="p", criterion="c", score="3")
    with pytest.raises(ValidationError):
        m.Criterion(id="c", name="C", weight=1, priority="1")


@pytest.mark.parametrize("weight", [0, -1, float("inf"), float("nan")])
def test_criterion_weight_must_be_a_positive_number(weight):
    with pytest.raises(ValidationError):
        m.Criterion(id="c", name="C", weight=weight, priority=1)


def test_criterion_priority_starts_at_1():
    assert m.Criterion(id="c", name="C", weight=0.5, priority=1).priority == 1
    with pytest.raises(ValidationError):
        m.Criterion(id="c", name="C", weight=1, priority=0)


def test_ids_and_names_must_not_be_empty():
    with pytest.raises(ValidationError):
        m.Slot(id="", name="S", level="global")
    with pytest.raises(ValidationError):
        m.Entity(id="e", name="")


@pytest.mark.parametrize("country, ok", [("KE", True), ("ke", False), ("KEN", False), ("Kenya", False)])
def test_country_is_iso_alpha_2(country, ok):
    if ok:
        assert m.Entity(id="e", name="E", country=country).country == country
    else:
        with pytest.raises(ValidationError, match="ISO 3166"):
            m.Reviewer(id="r", name="R", country=country)


def test_contact_email_is_checked():
    assert m.Entity(id="e", name="E", contact_email="info@sahel.example").contact_email
    with pytest.raises(ValidationError, match="e-mail"):
        m.Entity(id="e", name="E", contact_email="not an address")


def test_call_defaults_match_the_contract():
    call = m.Call(
        reference="C", title="T",
        slots=[m.Slot(id="s", name="S", level=m.Level.REGIONAL, region="Africa")],
        criteria=[m.Criterion(id="c", name="C", weight=1, priority=1)],
    )
    assert (call.scale.min, call.scale.max, call.scale.step) == (0, 5, 0.5)
    assert call.min_reviews == 3
    assert call.overall_threshold is None
    assert call.dates.model_dump() == dict.fromkeys(
        ["notified_on", "inquiry_deadline", "submission_deadline", "advisory_meeting_on", "decided_on"])


@pytest.mark.parametrize("field, value", [("slots", []), ("criteria", []), ("min_reviews", 0),
                                          ("overall_threshold", -1), ("overall_threshold", 100.5)])
def test_call_refuses(field, value):
    kwargs = dict(reference="C", title="T", slots=[m.Slot(id="s", name="S", level=m.Level.GLOBAL)],
                  criteria=[m.Criterion(id="c", name="C", weight=1, priority=1)])
    kwargs[field] = value
    with pytest.raises(ValidationError):
        m.Call(**kwargs)


def test_proposal_needs_a_slot_and_a_known_status():
    p = m.Proposal.model_validate_json('{"id": "p", "entity": "e", "slots": ["s"], "status": "withdrawn"}')
    assert p.status is m.ProposalStatus.WITHDRAWN
    with pytest.raises(ValidationError):
        m.Proposal(id="p", entity="e", slots=[], status=m.ProposalStatus.ELIGIBLE)
    with pytest.raises(ValidationError):
        m.Proposal.model_validate_json('{"id": "p", "entity": "e", "slots": ["s"], "status": "draft-ish"}')


def test_json_text_gives_dates_and_datetimes():
    p = m.Proposal.model_validate_json(
        '{"id": "p", "entity": "e", "slots": ["s"], "status": "eligible", "submitted_at": "2026-03-01T10:00:00Z"}')
    assert p.submitted_at == dt.datetime(2026, 3, 1, 10, tzinfo=dt.UTC)
    assert m.CallDates.model_validate_json('{"notified_on": "2026-01-15"}').notified_on == dt.date(2026, 1, 15)


# --------------------------------------------------------------------------- procedure records


def test_attachment_sha256_is_64_hex():
    ok = dict(proposal="p", filename="plan.pdf", stored_name="x1", size=10, uploaded_at=dt.datetime(2026, 3, 1))
    assert m.Attachment(sha256="a" * 64, **ok)
    with pytest.raises(ValidationError):
        m.Attachment(sha256="A" * 64, **ok)
    with pytest.raises(ValidationError):
        m.Attachment(sha256="a" * 64, **{**ok, "size": -1})


def test_selection_acceptance_values():
    base = dict(slot="s", proposal="p", rationale="Best ranked", decided_at=dt.datetime(2026, 5, 1))
    assert m.Selection(**base).acceptance == "pending"
    with pytest.raises(ValidationError):
        m.Selection(**base, acceptance="maybe")


def test_donor_pledge_currency_and_amount():
    assert m.DonorPledge(slot="s", donor="D", amount=1000.0, currency="EUR").status == "contacted"
    with pytest.raises(ValidationError):
        m.DonorPledge(slot="s", donor="D", currency="eur")
    with pytest.raises(ValidationError):
        m.DonorPledge(slot="s", donor="D", amount=-1.0)


def test_account_role_and_username():
    assert m.Account(username="amina", display_name="Amina", role=m.Role.SECRETARIAT).role is m.Role.SECRETARIAT
    with pytest.raises(ValidationError):
        m.Account(username="ab", display_name="A", role=m.Role.MEMBER)
    with pytest.raises(ValidationError):
        m.Account.model_validate_json('{"username": "amina", "display_name": "A", "role": "admin"}')
