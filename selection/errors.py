"""The two ways a service refuses: the person may not do this, or the input is wrong.

Both carry a message meant for the person; ``Invalid`` also names the field,
so a form can show the message beside it.
"""

from __future__ import annotations

from selection.i18n import _, ngettext


class Forbidden(PermissionError):
    """The signed-in person's role or relation to the record does not allow this."""


class Invalid(ValueError):
    """Wrong input: ``field`` and ``message`` name the first problem, ``problems`` lists every one
    as (field, message) pairs, so that a form can show them all at once beside their fields."""

    def __init__(self, field: str, message: str, problems: list[tuple[str, str]] | None = None):
        self.field = field
        self.message = message
        self.problems = problems or [(field, message)]
        super().__init__(f"{field}: {message}")

    @classmethod
    def all(cls, problems: list[tuple[str, str]]) -> Invalid:
        """One refusal carrying several problems (at least one), the first named as the field."""
        field, message = problems[0]
        return cls(field, message, list(problems))


def plain_message(problem: dict) -> str:
    """pydantic's sentence for a problem a form can have, in the reader's language (its English words kept);
    a validator's own message (a value error) is already written in the reader's language."""
    kind, ctx = problem["type"], problem.get("ctx") or {}
    if kind == "string_too_short" and "min_length" in ctx:
        return ngettext("String should have at least {n} character", "String should have at least {n} characters",
                        int(ctx["min_length"]))
    if kind == "string_too_long" and "max_length" in ctx:
        return ngettext("String should have at most {n} character", "String should have at most {n} characters",
                        int(ctx["max_length"]))
    if kind == "missing":
        return _("Field required")
    return problem["msg"].removeprefix("Value error, ")


def from_pydantic(error) -> Invalid:
    """The first problem of a pydantic ValidationError, as a field and a plain message in the reader's language."""
    first = error.errors(include_url=False)[0]
    field = ".".join(str(p) for p in first["loc"]) or "form"
    return Invalid(field, plain_message(first))
