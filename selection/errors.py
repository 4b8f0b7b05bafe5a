"""The two ways a service refuses: the person may not do this, or the input is wrong.

Both carry a message meant for the person; ``Invalid`` also names the field,
so a form can show the message beside it.
"""

from __future__ import annotations


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


def from_pydantic(error) -> Invalid:
    """The first problem of a pydantic ValidationError, as a field and a plain message."""
    first = error.errors(include_url=False)[0]
    field = ".".join(str(p) for p in first["loc"]) or "form"
    msg = first["msg"].removeprefix("Value error, ")
    return Invalid(field, msg)
