"""Every problem of a refused form at once, each under its field, named by the field's label on the screen.

A form makes a ``Beside`` with the labels of its fields, leaves a place under each
field (``place(field)``) and runs its service inside ``refusals()``: a refusal's
problems then fill the places of their fields, and a summary at the top of the
form lists them all, so a person with three empty fields reads three messages, not one.
"""

from __future__ import annotations

import contextlib

import streamlit as st

from selection.i18n import _, ngettext
from selection.errors import Forbidden, Invalid
from ui import common


class Beside:
    def __init__(self, labels: dict[str, str]):
        self.labels = labels
        self.top = st.empty()
        self.places: dict[str, object] = {}

    def place(self, field: str, where=st) -> None:
        """The place under the field just drawn (``where``: the column it sits in)."""
        self.places[field] = where.empty()

    def line(self, field: str, message: str) -> str:
        return _("**{field}** — {problem}", field=common.md(self.labels.get(field, field)),
                 problem=common.md(message))

    def show(self, problems: list[tuple[str, str]]) -> None:
        mine: dict[str, list[str]] = {}
        for field, message in problems:
            mine.setdefault(field, []).append(message)
        for field, messages in mine.items():
            if field in self.places:
                self.places[field].error("\n\n".join(self.line(field, m) for m in messages))
        self.top.error(ngettext("Not saved: {n} problem to fix, each shown under its field:",
                                "Not saved: {n} problems to fix, each shown under its field:", len(problems))
                       + "\n\n" + "\n".join(f"- {self.line(f, m)}" for f, m in problems))

    @contextlib.contextmanager
    def refusals(self):
        """Show a service's refusal in the form, every problem under its field, instead of a traceback."""
        try:
            yield
        except Invalid as e:
            self.show(e.problems)
        except Forbidden as e:
            self.top.error(common.md(e))
