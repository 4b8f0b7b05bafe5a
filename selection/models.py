"""The domain's records as pydantic models.

The records that travel in a bundle (call, slot, criterion, entity, proposal,
reviewer, conflict, score, consensus) have exactly the contract's shape, so
that an unknown key is an error and a typo never passes silently. The records
of the rest of the procedure (inquiries, decisions, follow-up, accounts,
audit) live only in the store and are modelled beside them.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from enum import Enum
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)
from typing_extensions import NotRequired, TypedDict

# Bounds where the contract is silent (README, "Choices where the contract is silent"): every string has
# a length limit, a scale has at most MAX_STEPS steps within +-SCALE_LIMIT, and counts fit any database.
ID_MAX = 200
NAME_MAX = 500
TEXT_MAX = 200_000
SCALE_LIMIT = 1_000_000
MAX_STEPS = 1_000
COUNT_MAX = 1_000
WEIGHT_MAX = 1_000_000

# C0 and C1 control characters (NUL, ESC of ANSI sequences, DEL...) and the bidi embeddings, overrides
# and isolates that reorder how text is displayed. Texts may still hold tabs and line breaks.
_BIDI = "\u202a-\u202e\u2066-\u2069"
_NOT_IN_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}]")
_NOT_IN_TEXT = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_BIDI}]")


def _character(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X}" + (f" ({name.lower()})" if name else " (a control character)")


def _no_controls(pattern: re.Pattern, value: str) -> str:
    bad = pattern.search(value)
    if bad:
        raise ValueError(f"contains the character {_character(bad.group())}, which is not allowed here "
                         "(control and bidi-override characters would garble what people see)")
    return value


def _line(value: str) -> str:
    return _no_controls(_NOT_IN_LINE, value)


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("is blank: it needs at least one visible character")
    return _line(value)


def _text(value: str) -> str:
    return _no_controls(_NOT_IN_TEXT, value)


Id = Annotated[str, StringConstraints(min_length=1, max_length=ID_MAX), AfterValidator(_not_blank)]
Ref = Annotated[str, StringConstraints(min_length=1, max_length=ID_MAX)]  # must name an Id, so checked there
Name = Annotated[str, StringConstraints(min_length=1, max_length=NAME_MAX), AfterValidator(_not_blank)]
Label = Annotated[str, StringConstraints(max_length=NAME_MAX), AfterValidator(_line)]
Text = Annotated[str, StringConstraints(max_length=TEXT_MAX), AfterValidator(_text)]
Count = Annotated[int, Field(ge=1, le=COUNT_MAX)]


def _country(value: str) -> str:
    if not re.fullmatch(r"[A-Z]{2}", value):
        raise ValueError(f"{value[:20]!r} is not an ISO 3166 alpha-2 code (two capital letters)")
    return value


def _email(value: str) -> str:
    if len(value) > 320 or not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
        raise ValueError(f"{value[:60]!r} is not an e-mail address")
    return _line(value)


Country = Annotated[str, AfterValidator(_country)]
Language = Literal["ar", "zh", "en", "fr", "ru", "es"]  # the six languages of the United Nations
Email = Annotated[str, AfterValidator(_email)]


def fmt(x: float) -> str:
    """A number as a person writes it: 7, not 7.0; 2.5 stays 2.5."""
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def on_grid(value: float, origin: float, step: float) -> bool:
    units = (value - origin) / step
    return abs(units - round(units)) < 1e-9


class Record(BaseModel):
    """Base of every model: unknown keys are refused, and so are infinite and NaN numbers
    (JSON such as 1e400 reads as infinity, which no scale, weight or score can be)."""

    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False)


class Level(str, Enum):
    GLOBAL = "global"
    REGIONAL = "regional"
    SUBREGIONAL = "subregional"


class ProposalStatus(str, Enum):
    SUBMITTED = "submitted"
    ELIGIBLE = "eligible"
    INELIGIBLE = "ineligible"
    WITHDRAWN = "withdrawn"


class Role(str, Enum):
    SECRETARIAT = "secretariat"
    MEMBER = "member"
    BUREAU = "bureau"
    APPLICANT = "applicant"


class Scale(Record):
    min: float = Field(0, ge=-SCALE_LIMIT, le=SCALE_LIMIT)
    max: float = Field(5, ge=-SCALE_LIMIT, le=SCALE_LIMIT)
    step: float = Field(0.5, gt=0)

    @model_validator(mode="after")
    def _coherent(self) -> Scale:
        if self.max <= self.min:
            raise ValueError(f"max {fmt(self.max)} must be above min {fmt(self.min)}")
        steps = (self.max - self.min) / self.step
        if steps > MAX_STEPS + 1e-9:
            raise ValueError(
                f"step {fmt(self.step)} makes {steps + 1:,.0f} points on the scale {fmt(self.min)}..{fmt(self.max)}; "
                f"a scale may have at most {MAX_STEPS + 1:,} points"
            )
        if not on_grid(self.max, self.min, self.step):
            raise ValueError(
                f"step {fmt(self.step)} does not divide the range {fmt(self.min)}..{fmt(self.max)}"
            )
        return self

    def allows(self, score: float) -> bool:
        return self.min <= score <= self.max and on_grid(score, self.min, self.step)

    def points(self) -> list[float]:
        """Every score a reviewer may give, lowest first."""
        n = round((self.max - self.min) / self.step)
        return [round(self.min + i * self.step, 9) for i in range(n + 1)]


class CallDates(Record):
    """The date of each step of the procedure; each is set when it is known."""

    notified_on: dt.date | None = None
    inquiry_deadline: dt.date | None = None
    submission_deadline: dt.date | None = None
    advisory_meeting_on: dt.date | None = None
    decided_on: dt.date | None = None


class Slot(Record):
    id: Id
    name: Name
    level: Level
    region: Label | None = None


class Criterion(Record):
    id: Id
    name: Name
    description: Text | None = None
    weight: float = Field(gt=0, le=WEIGHT_MAX)
    threshold: float | None = None
    priority: Count


class Call(Record):
    reference: Id
    title: Name
    scale: Scale = Field(default_factory=Scale)
    min_reviews: Count = 3
    overall_threshold: float | None = Field(None, ge=0, le=100)
    dates: CallDates = Field(default_factory=CallDates)
    slots: list[Slot] = Field(min_length=1)
    criteria: list[Criterion] = Field(min_length=1)


Line = Annotated[str, StringConstraints(min_length=1, max_length=500)]


class EntityProfile(Record):
    """What a secretariat needs to know of an applicant beyond its name: who it is in law, where it is,
    who heads it, whom to write to, and with whom it applies (optional in a bundle; every part optional)."""

    legal_status: Line | None = None
    address: Annotated[str, StringConstraints(min_length=1, max_length=2_000)] | None = None
    head: Line | None = None
    contact_person: Line | None = None
    contact_phone: Annotated[str, StringConstraints(pattern=r"^\+?[0-9 ()./-]{5,40}$")] | None = None
    partners: list[Line] = []


class Entity(Record):
    id: Id
    name: Name
    acronym: Label | None = None
    country: Country | None = None
    kind: Label | None = None
    website: Annotated[str, StringConstraints(max_length=2_000), AfterValidator(_line)] | None = None
    contact_email: Email | None = None
    profile: EntityProfile | None = None
    language: Language | None = None  # the language its letters and evaluation summary are written in


class Proposal(Record):
    id: Id
    entity: Ref
    slots: list[Ref] = Field(min_length=1)
    status: ProposalStatus
    submitted_at: dt.datetime | None = None
    sections: dict[Ref, Text] | None = None
    summary: Text | None = None


class Reviewer(Record):
    id: Id
    name: Name
    affiliation: Label | None = None
    country: Country | None = None


class Conflict(Record):
    reviewer: Ref
    proposal: Ref
    reason: Text | None = None


class Score(Record):
    reviewer: Ref
    proposal: Ref
    criterion: Ref
    score: float
    justification: Text | None = None


def as_typed_dict(model: type[BaseModel]) -> type:
    """A model's fields and rules as a TypedDict, which pydantic validates several times faster than
    it builds models: for the one list of a bundle that reaches millions of entries."""
    fields = {}
    for name, f in model.model_fields.items():
        kind = Annotated[(f.annotation, *f.metadata)] if f.metadata else f.annotation
        fields[name] = kind if f.is_required() else NotRequired[kind]
    row = TypedDict(f"{model.__name__}Row", fields)
    row.__pydantic_config__ = model.model_config
    return row


ScoreRow = as_typed_dict(Score)


class Consensus(Record):
    proposal: Ref
    criterion: Ref
    score: float
    note: Text | None = None


# Records of the procedure that the bundle does not carry.


class Attachment(Record):
    """An applicant's file, kept under a generated name; the typed name is only shown."""

    proposal: Id
    filename: Name
    stored_name: Name
    size: int = Field(ge=0)
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
    uploaded_at: dt.datetime


class Inquiry(Record):
    """A question from an applicant; once answered and published every applicant reads it."""

    id: int | None = None
    asked_by: str
    question: Annotated[str, StringConstraints(min_length=1, max_length=20_000)]
    asked_at: dt.datetime
    answer: Text | None = None
    answered_at: dt.datetime | None = None
    published: bool = False


class BureauAdvice(Record):
    slot: Id
    member: str
    advice: Annotated[str, StringConstraints(min_length=1, max_length=50_000)]
    preferred_proposal: Id | None = None
    given_at: dt.datetime


class Selection(Record):
    """The secretariat's choice of host for one slot, and what followed it."""

    slot: Id
    proposal: Id
    rationale: Annotated[str, StringConstraints(min_length=1, max_length=50_000)]
    decided_at: dt.datetime
    notified_on: dt.date | None = None
    acceptance: Literal["pending", "accepted", "declined", "lapsed"] = "pending"
    answered_on: dt.date | None = None
    agreement_signed_on: dt.date | None = None


class DonorPledge(Record):
    slot: Id
    donor: Name
    contacted_on: dt.date | None = None
    amount: float | None = Field(None, ge=0)
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] | None = None
    pledged_on: dt.date | None = None
    status: Literal["contacted", "pledged", "paid", "declined"] = "contacted"


class Account(Record):
    username: Annotated[str, StringConstraints(min_length=3, max_length=100)]
    display_name: Name
    role: Role
    email: Email | None = None
    entity: Id | None = None
    reviewer: Id | None = None


class AuditEvent(Record):
    at: dt.datetime
    actor: str
    call: str | None
    action: str
    target: str
    old: dict | None = None
    new: dict | None = None
    reason: str | None = None
