"""Call set-up: the secretariat sets how the call's documents present themselves (the report's
symbol, distribution and masthead; the letters' signatory and reference)."""

from __future__ import annotations

import pydantic
import sqlite_utils

from selection import audit, clock, words
from selection.errors import Invalid
from selection.i18n import _, ngettext
from selection.permissions import User, may_manage_call, require
from selection.report_queries import LABELS, DocumentSettings, document_settings
from selection.services.common import call_row
from selection.store import transaction


def _message(error: dict) -> str:
    """A pydantic error in the words of the form (lower case: the page puts the label before it)."""
    kind = error["type"]
    if kind == "enum":
        return _("choose Restricted, Limited, General")
    if kind == "string_too_long":
        limit = error["ctx"]["max_length"]
        return ngettext("at most {limit} character", "at most {limit} characters", limit, limit=words.number(limit, 0))
    if kind == "extra_forbidden":
        return _("is not a document setting")
    text = error["msg"].removeprefix("Value error, ")
    return text[:1].lower() + text[1:]


def save_document_settings(db: sqlite_utils.Database, *, user: User, call_id: int, data: dict) -> DocumentSettings:
    """Validate and store the call's document settings (blank means the default); the old and new
    values go to the audit trail. A refusal names the setting by its label on the form."""
    require(may_manage_call(user), _("Only the secretariat sets how the call's documents read."))
    try:
        settings = DocumentSettings.model_validate(data)
    except pydantic.ValidationError as e:
        first = e.errors(include_url=False)[0]
        field = str(first["loc"][0]) if first["loc"] else "form"
        raise Invalid(_(LABELS[field]) if field in LABELS else field, _message(first)) from None
    with transaction(db):
        call = call_row(db, call_id)
        before = document_settings(db, call_id)
        row = {"call_id": call_id, **settings.model_dump(mode="json"), "updated_at": clock.stamp()}
        db["document_settings"].upsert(row, pk="call_id")
        audit.record(db, actor=user.actor, call=call["reference"], action="call.documents_set", target="call",
                     old=before.model_dump(mode="json"), new=settings.model_dump(mode="json"))
    return settings
