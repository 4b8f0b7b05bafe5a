"""The call form: one expander per slot and per criterion, each problem shown beside its field.

The form keeps what is typed in the session (widget keys under one prefix), so
weights show as shares as they are typed, slots and criteria can be added and
removed, and a refused save shows every problem at once where it belongs. The
rules are the core's (``selection.services.calls.validate_call``); this module
only gathers the values and names the core's fields by their labels.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re

import streamlit as st

from selection import i18n, words
from selection.i18n import N_, _
from selection.services import calls as call_service
from ui import common

LEVELS = {"global": N_("Global"), "regional": N_("Regional"), "subregional": N_("Subregional")}
CALL_LABELS = {
    "reference": N_("Reference"), "title": N_("Title"), "secretariat_name": N_("Prepared by"),
    "notification_text": N_("Notification text"), "min_reviews": N_("Reviews needed"),
    "overall_threshold": N_("Overall threshold (0-100, optional)"), "scale": N_("Scale"),
    "scale.min": N_("Scale minimum"), "scale.max": N_("Scale maximum"), "scale.step": N_("Step"),
    "slots": N_("Slots"), "criteria": N_("Criteria"), "notice": N_("Notice to applicants"), "call": N_("Call"),
    **{f"dates.{k}": v for k, v in call_service.DATE_LABELS.items()},
}
SLOT_LABELS = {"name": N_("Name"), "id": N_("Short code"), "level": N_("Level"), "region": N_("Region")}
CRITERION_LABELS = {"name": N_("Name"), "id": N_("Short code"), "description": N_("Definition"),
                    "applicant_guidance": N_("Guidance for applicants"),
                    "reviewer_guidance": N_("Guidance for reviewers"), "weight": N_("Weight"),
                    "threshold": N_("Threshold (optional)"), "priority": N_("Tie-break priority"),
                    "anchors": N_("Scale words")}
SHORT_CODE_HELP = N_("Left empty, it is made from the name")
_ITEM = re.compile(r"^(slots|criteria)\[(\d+)\](?:\.(\w+))?")
_uids = itertools.count(1)


def label_of(path: str) -> str:
    """The on-screen label of a field the core names, e.g. ``criteria[1].weight`` -> "Criterion 2: Weight"."""
    m = _ITEM.match(path)
    if m:
        item = (_("Slot {n}", n=int(m[2]) + 1) if m[1] == "slots" else _("Criterion {n}", n=int(m[2]) + 1))
        labels = SLOT_LABELS if m[1] == "slots" else CRITERION_LABELS
        return _("{item}: {field}", item=item, field=_(labels[m[3]]) if m[3] in labels else m[3]) if m[3] else item
    return _(CALL_LABELS[path]) if path in CALL_LABELS else path


def _date(value):
    return dt.date.fromisoformat(value) if isinstance(value, str) and value else value


def seed(key: str, data: dict) -> None:
    """Put a call's values into the session once, so the widgets start from them."""
    if st.session_state.get(f"{key}:seeded"):
        return
    ss = st.session_state
    for name in ("reference", "title", "secretariat_name", "notification_text"):
        ss[f"{key}:{name}"] = data.get(name) or ""
    ss[f"{key}:anonymous"] = bool(data.get("anonymous_conflicts"))
    for name in ("min", "max", "step"):
        ss[f"{key}:scale_{name}"] = float(data["scale"][name])
    ss[f"{key}:min_reviews"] = int(data["min_reviews"])
    ss[f"{key}:overall_threshold"] = data.get("overall_threshold")
    for name in call_service.DATE_FIELDS:
        ss[f"{key}:date:{name}"] = _date(data["dates"].get(name))
    ss[f"{key}:slots"] = [_seed_slot(key, s) for s in data["slots"]]
    ss[f"{key}:criteria"] = [_seed_criterion(key, c) for c in data["criteria"]]
    ss[f"{key}:notice"] = ""
    ss[f"{key}:problems"] = []
    ss[f"{key}:seeded"] = True


def forget(key: str) -> None:
    """Drop what was typed, so the form starts again from the stored call."""
    for k in [k for k in st.session_state if isinstance(k, str) and k.startswith(f"{key}:")]:
        del st.session_state[k]


def _seed_slot(key: str, slot: dict) -> int:
    uid = next(_uids)
    for name in SLOT_LABELS:
        st.session_state[f"{key}:slot:{uid}:{name}"] = slot.get(name) or ("regional" if name == "level" else "")
    st.session_state[f"{key}:slot:{uid}:title"] = slot.get("name") or ""
    return uid


def _seed_criterion(key: str, c: dict) -> int:
    uid = next(_uids)
    ss = st.session_state
    for name in ("name", "id", "description", *call_service.GUIDANCE_FIELDS):
        ss[f"{key}:crit:{uid}:{name}"] = c.get(name) or ""
    ss[f"{key}:crit:{uid}:weight"] = float(c.get("weight") or 0)
    ss[f"{key}:crit:{uid}:threshold"] = c.get("threshold")
    ss[f"{key}:crit:{uid}:priority"] = int(c["priority"]) if c.get("priority") else None
    for point in range(6):
        ss[f"{key}:crit:{uid}:anchor:{point}"] = (c.get("anchors") or {}).get(point, "")
    ss[f"{key}:crit:{uid}:title"] = c.get("name") or ""
    return uid


def _add(key: str, kind: str) -> None:
    ss = st.session_state
    if kind == "slots":
        ss[f"{key}:slots"] = [*ss[f"{key}:slots"], _seed_slot(key, {})]
    else:
        taken = [ss.get(f"{key}:crit:{u}:priority") or 0 for u in ss[f"{key}:criteria"]]
        ss[f"{key}:criteria"] = [*ss[f"{key}:criteria"],
                                 _seed_criterion(key, {"weight": 10.0, "priority": max(taken, default=0) + 1})]
    ss[f"{key}:problems"] = []


def _remove(key: str, kind: str, uid: int) -> None:
    st.session_state[f"{key}:{kind}"] = [u for u in st.session_state[f"{key}:{kind}"] if u != uid]
    st.session_state[f"{key}:problems"] = []


def refused(key: str, problems: list[tuple[str, str]]) -> None:
    """Keep a refused save's problems and open the expander of every slot and criterion that has one."""
    ss = st.session_state
    ss[f"{key}:problems"] = problems
    for kind, part in (("slots", "slot"), ("criteria", "crit")):
        for i, uid in enumerate(ss[f"{key}:{kind}"]):
            if _hasproblems_of(key, f"{kind}[{i}]"):
                ss[f"{key}:{part}:{uid}:open"] = True


def _expander(key: str, part: str, uid: int, label: str):
    """An expander that stays open while its fields change: its label is the name as saved (a label that
    changed while typing would make a new, closed expander) and its state is kept under its own key."""
    title = st.session_state[f"{key}:{part}:{uid}:title"] or (_("new slot") if part == "slot" else _("new criterion"))
    return st.expander(_("{item}: {name}", item=label, name=common.isolated(title)),
                       key=f"{key}:{part}:{uid}:open", on_change="rerun")


def gather(key: str) -> dict:
    """The call as the services take it, from what is typed now."""
    ss = st.session_state
    lo, hi = ss[f"{key}:scale_min"], ss[f"{key}:scale_max"]
    criteria = []
    for uid in ss[f"{key}:criteria"]:
        c = {name: ss[f"{key}:crit:{uid}:{name}"] for name in
             ("name", "id", "description", *call_service.GUIDANCE_FIELDS, "weight", "threshold", "priority")}
        c = {k: v.strip() if isinstance(v, str) else v for k, v in c.items()}
        c["anchors"] = {p: ss[f"{key}:crit:{uid}:anchor:{p}"] for p in range(6)}
        criteria.append(c)
    return {
        "reference": ss[f"{key}:reference"].strip(), "title": ss[f"{key}:title"].strip(),
        "secretariat_name": ss[f"{key}:secretariat_name"], "notification_text": ss[f"{key}:notification_text"],
        "anonymous_conflicts": ss[f"{key}:anonymous"],
        "scale": {"min": lo, "max": hi, "step": ss[f"{key}:scale_step"]},
        "min_reviews": int(ss[f"{key}:min_reviews"]), "overall_threshold": ss[f"{key}:overall_threshold"],
        "dates": {name: ss[f"{key}:date:{name}"] for name in call_service.DATE_FIELDS},
        "slots": [{name: ss[f"{key}:slot:{uid}:{name}"].strip() or None for name in SLOT_LABELS}
                  for uid in ss[f"{key}:slots"]],
        "criteria": criteria,
    }


def problems_of(key: str, prefix: str, *, exact: bool = False) -> None:
    """The problems of the last save for the field ``prefix`` (and the fields inside it unless exact), shown here."""
    for path, message in st.session_state.get(f"{key}:problems", []):
        if path == prefix or not exact and (path.startswith(prefix + ".") or path.startswith(prefix + "[")):
            st.error(_("**{field}** — {problem}", field=common.md(label_of(path)), problem=common.md(message)))


def _weights(key: str) -> dict[int, float]:
    ss = st.session_state
    weights = {uid: float(ss.get(f"{key}:crit:{uid}:weight") or 0) for uid in ss[f"{key}:criteria"]}
    total = sum(w for w in weights.values() if w > 0)
    return {uid: (100 * w / total if total and w > 0 else 0.0) for uid, w in weights.items()}


def render(key: str) -> None:
    """Every field of the call, with the last save's problems beside them."""
    ss = st.session_state
    problems = ss.get(f"{key}:problems", [])
    if problems:
        st.error(i18n.ngettext("The call was not saved: {n} problem to fix, each shown beside its field:",
                               "The call was not saved: {n} problems to fix, each shown beside its field:",
                               len(problems)) + "\n\n"
                 + "\n".join("- " + _("**{field}** — {problem}", field=common.md(label_of(p)), problem=common.md(m))
                             for p, m in problems))
    c1, c2 = st.columns([1, 3])
    c1.text_input(_("Reference"), key=f"{key}:reference", help=_("A short code for the call, e.g. TSC-HOST-2027"))
    c2.text_input(_("Title"), key=f"{key}:title")
    for name in ("reference", "title"):
        problems_of(key, name)
    st.text_input(_("Prepared by (secretariat's name, printed on the report)"), key=f"{key}:secretariat_name")
    st.text_area(_("Notification text (what applicants read first: who may apply, what to send, by when)"),
                 key=f"{key}:notification_text", height=150)
    problems_of(key, "notification_text")
    st.checkbox(_("Name members as Member A, B… in the report's conflicts annex and the exports"),
                key=f"{key}:anonymous")
    _dates(key)
    _scale(key)
    _slots(key)
    _criteria(key)


def _dates(key: str) -> None:
    st.markdown(_("**Dates of each step** (each on or after the one before)"))
    cols = st.columns(len(call_service.DATE_FIELDS))
    for col, name in zip(cols, call_service.DATE_FIELDS):
        col.date_input(_(call_service.DATE_LABELS[name]), key=f"{key}:date:{name}", format="DD/MM/YYYY")
    chosen = [(_(call_service.DATE_LABELS[n]), st.session_state[f"{key}:date:{n}"]) for n in call_service.DATE_FIELDS]
    arrow = " ← " if i18n.direction() == "rtl" else " → "  # the steps follow one another in the reading direction
    st.caption(arrow.join(_("{step}: {date}", step=label, date=words.date(d) if d else _("not set"))
                          for label, d in chosen))
    problems_of(key, "dates")


def _scale(key: str) -> None:
    st.markdown(_("**Scale and rules**"))
    s1, s2, s3, s4, s5 = st.columns(5)
    s1.number_input(_("Scale minimum"), key=f"{key}:scale_min", step=0.5)
    s2.number_input(_("Scale maximum"), key=f"{key}:scale_max", step=0.5)
    s3.number_input(_("Step"), key=f"{key}:scale_step", min_value=0.01, step=0.5)
    s4.number_input(_("Reviews needed"), key=f"{key}:min_reviews", min_value=1, step=1)
    s5.number_input(_("Overall threshold (0-100, optional)"), key=f"{key}:overall_threshold", min_value=0.0,
                    max_value=100.0, step=5.0)
    for name in ("scale", "min_reviews", "overall_threshold"):
        problems_of(key, name)


def _slots(key: str) -> None:
    ss = st.session_state
    st.markdown(_("**Slots** (one per centre to host)"))
    problems_of(key, "slots", exact=True)
    for i, uid in enumerate(ss[f"{key}:slots"]):
        with _expander(key, "slot", uid, _("Slot {n}", n=i + 1)):
            a, b = st.columns([3, 1])
            a.text_input(_("Name"), key=f"{key}:slot:{uid}:name")
            b.text_input(_("Short code"), key=f"{key}:slot:{uid}:id", help=_(SHORT_CODE_HELP))
            a, b = st.columns(2)
            a.selectbox(_("Level"), list(LEVELS), key=f"{key}:slot:{uid}:level", format_func=lambda v: _(LEVELS[v]))
            b.text_input(_("Region"), key=f"{key}:slot:{uid}:region")
            problems_of(key, f"slots[{i}]")
            st.button(_("Remove this slot"), key=f"{key}:slot:{uid}:remove", on_click=_remove,
                      args=(key, "slots", uid))
    st.button(_("Add a slot"), key=f"{key}:add_slot", on_click=_add, args=(key, "slots"))


def _hasproblems_of(key: str, prefix: str) -> bool:
    return any(p.startswith(prefix) for p, _message in st.session_state.get(f"{key}:problems", []))


def _criteria(key: str) -> None:
    ss = st.session_state
    shares = words.whole_percentages(_weights(key))
    names = {uid: ss[f"{key}:crit:{uid}:name"] or _("new criterion") for uid in ss[f"{key}:criteria"]}
    st.markdown(_("**Criteria** — applicants see each weight as a share of the total; priority 1 breaks ties first"))
    st.caption(_("Weights: {weights} (together {total})", weights=" · ".join(
        f"{common.isolated(names[u])} {words.percent(shares[u] / 100)}" for u in ss[f"{key}:criteria"]),
        total=words.percent(sum(shares.values()) / 100)))
    problems_of(key, "criteria", exact=True)
    lo, hi = ss[f"{key}:scale_min"], ss[f"{key}:scale_max"]
    for i, uid in enumerate(ss[f"{key}:criteria"]):
        with _expander(key, "crit", uid, _("Criterion {n}", n=i + 1)):
            a, b = st.columns([3, 1])
            a.text_input(_("Name"), key=f"{key}:crit:{uid}:name")
            b.text_input(_("Short code"), key=f"{key}:crit:{uid}:id", help=_(SHORT_CODE_HELP))
            st.text_area(_("Definition"), key=f"{key}:crit:{uid}:description", height=80)
            a, b = st.columns(2)
            a.text_area(_("Guidance for applicants"), key=f"{key}:crit:{uid}:applicant_guidance", height=100)
            b.text_area(_("Guidance for reviewers"), key=f"{key}:crit:{uid}:reviewer_guidance", height=100)
            a, b, c = st.columns(3)
            a.number_input(_("Weight"), key=f"{key}:crit:{uid}:weight", step=5.0,
                           help=_("Now {share} of the total", share=words.percent(shares[uid] / 100)))
            b.number_input(_("Threshold (optional)"), key=f"{key}:crit:{uid}:threshold", step=0.5)
            c.number_input(_("Tie-break priority"), key=f"{key}:crit:{uid}:priority", min_value=1, step=1)
            st.markdown(_("Scale words (what each score means)"))
            cols = st.columns(3)
            for point in range(6):
                value = lo + point * (hi - lo) / 5
                cols[point % 3].text_input(_("Score {value} means", value=words.score(value)),
                                           key=f"{key}:crit:{uid}:anchor:{point}")
            problems_of(key, f"criteria[{i}]")
            st.button(_("Remove this criterion"), key=f"{key}:crit:{uid}:remove", on_click=_remove,
                      args=(key, "criteria", uid))
    st.button(_("Add a criterion"), key=f"{key}:add_criterion", on_click=_add, args=(key, "criteria"))
