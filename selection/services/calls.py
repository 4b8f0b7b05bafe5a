"""Step 1: the secretariat sets up a call (slots, criteria, dates) and publishes it."""

from __future__ import annotations

import datetime as dt
import json
import re

import pydantic
import sqlite_utils

from criteria.sets import guidance_for
from selection import audit, clock, words
from selection.bundle import Bundle, call_columns, consistency_problems, path_of
from selection.errors import Invalid
from selection.i18n import N_, _
from selection.models import Call, fmt
from selection.permissions import User, may_manage_call, require
from selection.services import inquiries, notices
from selection.services.common import call_row
from selection.store import transaction

CALL_FIELDS = ("reference", "title", "min_reviews", "overall_threshold")
DATE_FIELDS = ("notified_on", "inquiry_deadline", "submission_deadline", "advisory_meeting_on", "decided_on")
GUIDANCE_FIELDS = ("applicant_guidance", "reviewer_guidance")


DATE_LABELS = {"notified_on": N_("Notification"), "inquiry_deadline": N_("Questions until"),
               "submission_deadline": N_("Proposals until"), "advisory_meeting_on": N_("Advisory meeting"),
               "decided_on": N_("Decision")}
_EXTRA_CALL_FIELDS = ("secretariat_name", "anonymous_conflicts", "notification_text")
_EXTRA_CRITERION_FIELDS = (*GUIDANCE_FIELDS, "anchors")
_PLACE = re.compile(r"call\.(slots|criteria)\[(\d+)\]")


def _day(value) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) and value else None
    except ValueError:
        return None


def date_order_problems(dates: dict) -> list[tuple[str, str]]:
    """Each step's date must not come before any earlier step's: notification <= questions <=
    proposals <= meeting <= decision (dates not set yet are skipped)."""
    problems, latest = [], None
    for key in DATE_FIELDS:
        day = _day(dates.get(key))
        if day is None:
            continue
        if latest is not None and day < latest[1]:
            problems.append((f"dates.{key}", _(
                "{step} ({date}) comes before {earlier} ({earlier_date}); the steps must come in this order: "
                "{order}", step=_(DATE_LABELS[key]), date=words.date(day), earlier=_(DATE_LABELS[latest[0]]),
                earlier_date=words.date(latest[1]), order=", ".join(_(label) for label in DATE_LABELS.values()))))
        else:
            latest = (key, day)
    return problems


def _plain(error: dict) -> str:
    """A pydantic error in the words of a form, never the validator's sentence."""
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind in ("missing", "string_too_short", "none_required") or error.get("input") in (None, ""):
        return _("this cannot be left empty")
    if kind == "string_too_long":
        return _("at most {count} characters", count=format(ctx.get("max_length"), ","))
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        bound = {"greater_than": N_("must be more than {limit}"), "greater_than_equal": N_("must be at least {limit}"),
                 "less_than": N_("must be less than {limit}"), "less_than_equal": N_("must be at most {limit}")}[kind]
        limit = next(iter(ctx.values()))
        return _(bound, limit=fmt(limit) if isinstance(limit, (int, float)) else limit)
    if kind == "enum":
        return _("choose one of: {choices}", choices=ctx.get("expected", "").replace(chr(39), ""))
    if kind.startswith("date"):
        return _("{value} is not a date", value=repr(error.get("input")))
    if kind.startswith("int"):
        return _("must be a whole number")
    if kind.startswith("float"):
        return _("must be a number")
    if kind == "too_short":
        return _("add at least one")
    return error["msg"].removeprefix("Value error, ")


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", (name or "").lower()).strip("-")


def _with_short_codes(items: list[dict]) -> list[dict]:
    """A slot or criterion typed without a short code gets one made from its name (or its place, when
    the name is missing too: the missing name is then the one problem to report)."""
    return [{**item, "id": item.get("id") or _slug(item.get("name") or "") or f"item-{i + 1}"}
            for i, item in enumerate(items)]


def validate_call(data: dict) -> Call:
    """The call as the bundle contract defines it, its dates in the procedure's order.

    Every problem is found at once and raised as one :class:`Invalid` (``problems``
    lists them all, each named by its field), so a form can show them beside the fields."""
    core = {k: v for k, v in data.items() if k not in _EXTRA_CALL_FIELDS}
    core["slots"] = _with_short_codes(data.get("slots", []))
    core["criteria"] = _with_short_codes([{k: v for k, v in c.items() if k not in _EXTRA_CRITERION_FIELDS}
                                          for c in data.get("criteria", [])])
    problems = date_order_problems(data.get("dates") or {})
    try:
        call = Call.model_validate(core, strict=False)
    except pydantic.ValidationError as e:
        found = [(path_of(err["loc"]), _plain(err)) for err in e.errors(include_url=False)]
        raise Invalid.all(found + problems) from None
    consistency = consistency_problems(Bundle.model_construct(
        format="host-selection-bundle/1", call=call, entities=[], proposals=[], reviewers=[], conflicts=[],
        scores=[], consensus=[]))
    for problem in consistency:
        field, _colon, message = problem.partition(": ")
        message = re.sub(r"^.* \((duplicate of [^)]*)\)$", r"\1", message)  # the form says it once, in words
        message = _PLACE.sub(lambda m: f"{m[1].removesuffix('s').replace('criteria', 'criterion')} {int(m[2]) + 1}",
                             message).replace("duplicate of", "the same as")
        problems.append((field.removeprefix("call."), message))
    if problems:
        raise Invalid.all(problems)
    return call


def _call_columns(call: Call, data: dict) -> dict:
    return {**call_columns(call), "secretariat_name": (data.get("secretariat_name") or "").strip() or None,
            "anonymous_conflicts": int(bool(data.get("anonymous_conflicts"))),
            "notification_text": (data.get("notification_text") or "").strip() or None}


def _guidance(data: dict, criterion_id: str) -> dict:
    given = next((c for c in _with_short_codes(data.get("criteria", [])) if c.get("id") == criterion_id), {})
    default = guidance_for(criterion_id)
    out = {k: (given.get(k) or default[k]) for k in GUIDANCE_FIELDS}
    anchors = given.get("anchors")
    if isinstance(anchors, dict):
        anchors = {str(k): v.strip() for k, v in anchors.items() if v and v.strip()} or None
        anchors = json.dumps(anchors, ensure_ascii=False) if anchors else None
    out["anchors"] = anchors or default["anchors"]
    return out


def create_call(db: sqlite_utils.Database, *, user: User, data: dict) -> int:
    require(may_manage_call(user), _("Only the secretariat creates calls."))
    call = validate_call(data)
    with transaction(db):
        if db.execute("SELECT 1 FROM calls WHERE reference = ?", [call.reference]).fetchone():
            raise Invalid("reference", _("a call {reference} exists already", reference=repr(call.reference)))
        call_id = db["calls"].insert({**_call_columns(call, data),
                                      "created_at": clock.stamp()}).last_pk
        _write_slots_and_criteria(db, call_id, call, data)
        audit.record(db, actor=user.actor, call=call.reference, action="call.created", target="call",
                     new=call.model_dump(mode="json"))
    return call_id


def _write_slots_and_criteria(db: sqlite_utils.Database, call_id: int, call: Call, data: dict) -> None:
    for i, s in enumerate(call.slots):
        db["slots"].upsert({"call_id": call_id, "id": s.id, "position": i, **s.model_dump(mode="json")},
                           pk=("call_id", "id"))
    # Priorities are unique per call: park the old ones out of the way before rewriting them.
    db.execute("UPDATE criteria SET priority = priority + 1000000 WHERE call_id = ?", [call_id])
    for i, c in enumerate(call.criteria):
        db["criteria"].upsert({"call_id": call_id, "position": i, **c.model_dump(mode="json"), **_guidance(data, c.id)},
                              pk=("call_id", "id"))


def update_call(db: sqlite_utils.Database, *, user: User, call_id: int, data: dict) -> None:
    """Change a call; a slot or criterion that proposals or scores already use cannot be removed."""
    require(may_manage_call(user), _("Only the secretariat edits calls."))
    call = validate_call(data)
    with transaction(db):
        old_settings = call_form_data(db, call_id)  # weights, dates, thresholds, slots: read with the write lock held
        clash = db.execute("SELECT 1 FROM calls WHERE reference = ? AND id <> ?", [call.reference, call_id]).fetchone()
        if clash:
            raise Invalid("reference", _("a call {reference} exists already", reference=repr(call.reference)))
        kept_slots = {s.id for s in call.slots}
        for slot, name in db.execute("SELECT id, name FROM slots WHERE call_id = ?", [call_id]).fetchall():
            if slot not in kept_slots:
                if db.execute("SELECT 1 FROM proposal_slots WHERE call_id = ? AND slot_id = ?", [call_id, slot]).fetchone():
                    raise Invalid("slots", _("the slot \u201c{name}\u201d has proposals and cannot be removed",
                                             name=name))
                db.execute("DELETE FROM slots WHERE call_id = ? AND id = ?", [call_id, slot])
        kept_criteria = {c.id for c in call.criteria}
        for crit, name in db.execute("SELECT id, name FROM criteria WHERE call_id = ?", [call_id]).fetchall():
            if crit not in kept_criteria:
                if db.execute("SELECT 1 FROM scores WHERE call_id = ? AND criterion_id = ? UNION "
                              "SELECT 1 FROM sections WHERE call_id = ? AND criterion_id = ?",
                              [call_id, crit, call_id, crit]).fetchone():
                    raise Invalid("criteria", _("the criterion \u201c{name}\u201d has scores or proposal sections and "
                                                "cannot be removed", name=name))
                db.execute("DELETE FROM criteria WHERE call_id = ? AND id = ?", [call_id, crit])
        db["calls"].update(call_id, _call_columns(call, data))
        _write_slots_and_criteria(db, call_id, call, data)
        audit.record(db, actor=user.actor, call=call.reference, action="call.updated", target="call",
                     old=old_settings, new=call_form_data(db, call_id))


def amend_call(db: sqlite_utils.Database, *, user: User, call_id: int, data: dict, notice: str) -> list[dict]:
    """Change a published call and tell every applicant what changed; returns the messages kept.

    The notice is required (applicants wrote to the call as it was) and is kept with the call,
    so that anyone reading the call later sees every amendment."""
    require(may_manage_call(user), _("Only the secretariat amends calls."))
    if not call_row(db, call_id)["published_at"]:
        raise Invalid("call", _("This call is not published yet: save it as a draft instead."))
    text = (notice or "").strip()
    if not text:
        raise Invalid("notice", _("say what changed: every applicant receives this notice"))
    with transaction(db):
        update_call(db, user=user, call_id=call_id, data=data)
        amendment = db["call_amendments"].insert({"call_id": call_id, "amended_at": clock.stamp(),
                                                  "amended_by": user.actor, "notice": text}).last_pk
        audit.record(db, actor=user.actor, call=call_row(db, call_id)["reference"], action="call.amended",
                     target="call", new={"notice": text})
    return notices.call_amended(db, call_id=call_id, amendment_id=amendment)


def publish_call(db: sqlite_utils.Database, *, user: User, call_id: int) -> None:
    """Applicants see a call, its criteria and guidance only once it is published."""
    require(may_manage_call(user), _("Only the secretariat publishes calls."))
    with transaction(db):
        row = call_row(db, call_id)
        if not row["submission_deadline"]:
            raise Invalid("submission_deadline", _("set the submission deadline before publishing"))
        stamp = clock.stamp()
        db["calls"].update(call_id, {"published_at": stamp, "notified_on": row["notified_on"] or stamp[:10]})
        audit.record(db, actor=user.actor, call=row["reference"], action="call.published", target="call",
                     new={"published_at": stamp})


def call_form_data(db: sqlite_utils.Database, call_id: int) -> dict:
    """A stored call as the dict the call form edits (the inverse of create/update)."""
    row = call_row(db, call_id)
    return {
        "reference": row["reference"],
        "title": row["title"],
        "secretariat_name": row["secretariat_name"],
        "anonymous_conflicts": bool(row["anonymous_conflicts"]),
        "notification_text": row.get("notification_text") or "",
        "scale": {"min": row["scale_min"], "max": row["scale_max"], "step": row["scale_step"]},
        "min_reviews": row["min_reviews"],
        "overall_threshold": row["overall_threshold"],
        "dates": {k: row[k] for k in DATE_FIELDS},
        "slots": [{k: s[k] for k in ("id", "name", "level", "region")}
                  for s in db.query("SELECT * FROM slots WHERE call_id = ? ORDER BY position", [call_id])],
        "criteria": [{**{k: c[k] for k in ("id", "name", "description", "weight", "threshold", "priority",
                                           *GUIDANCE_FIELDS)},
                      "anchors": {int(k): v for k, v in json.loads(c["anchors"] or "{}").items()}}
                     for c in db.query("SELECT * FROM criteria WHERE call_id = ? ORDER BY position", [call_id])],
    }


def published_calls(db: sqlite_utils.Database) -> list[dict]:
    """Every published call, newest first: what anyone may read before signing in."""
    return list(db.query("SELECT id, reference, title FROM calls WHERE published_at IS NOT NULL ORDER BY id DESC"))


def original_language(db: sqlite_utils.Database, call_id: int) -> str:
    """The code of the language the call is written in (its document settings say; English by default)."""
    from selection import report_queries

    return report_queries.language_code(report_queries.document_settings(db, call_id).original_language)


def public_view(db: sqlite_utils.Database, call_id: int, *, preview: bool = False, lang: str | None = None) -> dict:
    """What an institution reads before deciding to register: the call's text, slots, criteria
    (weights as shares of their sum, guidance for applicants, the scale's words), who may apply, dates,
    amendments and published answers. A draft is readable only as the secretariat's preview.
    The call's own texts come in the reader's language where the secretariat translated them;
    ``original`` names the language of those that are not (None when everything is in the reader's)."""
    from selection import content
    from selection.services import eligibility

    row = call_row(db, call_id)
    if not row["published_at"] and not preview:
        raise Invalid("call", _("This call is not published."))
    texts = content.CallTexts(db, call_id, lang, original_language(db, call_id))
    shown: list[content.Shown] = []

    def pick(found: content.Shown) -> str | None:
        shown.append(found)
        return found.text

    criteria = list(db.query("SELECT id, name, description, weight, threshold, priority, applicant_guidance, "
                             "anchors FROM criteria WHERE call_id = ? ORDER BY position", [call_id]))
    total = sum(c["weight"] for c in criteria)
    for c in criteria:
        c["share"] = 100 * c["weight"] / total
        for field in ("name", "description", "applicant_guidance"):
            c[field] = pick(texts.criterion(c["id"], field, c[field]))
        c["anchors"] = texts.anchors(c.pop("id"), {int(k): v for k, v in json.loads(c["anchors"] or "{}").items()})
    slots = list(db.query("SELECT id, name, level, region FROM slots WHERE call_id = ? ORDER BY position", [call_id]))
    for s in slots:
        s["name"] = pick(texts.slot(s.pop("id"), s["name"]))
    view = {
        **{k: row[k] for k in ("reference", "secretariat_name", "min_reviews", "scale_min", "scale_max",
                               "scale_step", "overall_threshold")},
        "title": pick(texts.call("title", row["title"])),
        "notification_text": pick(texts.call("notification_text", row["notification_text"])),
        "published_on": dt.date.fromisoformat((row["published_at"] or clock.stamp())[:10]),
        "dates": [(DATE_LABELS[k], _day(row[k])) for k in DATE_FIELDS],
        "slots": slots,
        "criteria": criteria,
        "conditions": [c["text"] for c in eligibility.conditions(db, call_id)],
        "amendments": [{"on": dt.date.fromisoformat(a["amended_at"][:10]), "notice": a["notice"]} for a in db.query(
            "SELECT amended_at, notice FROM call_amendments WHERE call_id = ? ORDER BY amended_at", [call_id])],
        "answers": inquiries.published(db, call_id),
    }
    view["original"] = next((s.original for s in shown if s.original), None)
    return view
