"""Refusals named by the label a person sees on the form, not by the core's field name."""

from __future__ import annotations

import contextlib

from selection.errors import Invalid


@contextlib.contextmanager
def labelled(labels: dict[str, str]):
    """Inside ``common.refusals()``: re-raise a refusal with the on-screen label of each field it names."""
    try:
        yield
    except Invalid as e:
        raise Invalid.all([(labels.get(field, field), message) for field, message in e.problems]) from None
