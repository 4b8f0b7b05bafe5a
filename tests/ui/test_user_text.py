"""User text is shown as text on every page: never a link, an image, a heading, an icon, a colour or HTML.

Every field a person types gets a hostile value tagged with its name; each page of
each role is run through AppTest, and every string Streamlit reads as Markdown
(text, alerts, titles, widget, button, expander and tab labels, radio options)
must create no construct (tests/ui/markup.py, proven in a real browser by
test_browser_markup.py) and show the hostile text literally. Strings Streamlit
shows as plain text (select options, table cells, text) must carry it unchanged.
"""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from selection.store import files_dir
from tests.ui.markup import HOSTILE_FILENAME, HOSTILE_LINE, HOSTILE_TEXT, constructs, shown

LINE_FIELDS = ("call title", "slot name", "criterion name", "entity name", "member name", "anchor")
TEXT_FIELDS = ("proposal section", "summary", "statement", "question", "answer", "advice", "consensus note",
               "reviewer guidance", "applicant guidance")


def hostile(field: str) -> str:
    return f"[{field}] " + (HOSTILE_TEXT if field in TEXT_FIELDS else HOSTILE_LINE)


@pytest.fixture
def hostile_db(demo_db):
    """The demo call with a hostile value in every field a person types."""
    db = demo_db
    call = 1
    stamp = "2027-03-01T10:00:00Z"
    db.execute("UPDATE calls SET title = ? WHERE id = ?", [hostile("call title"), call])
    db.execute("UPDATE slots SET name = ? WHERE call_id = ? AND id = 'africa'", [hostile("slot name"), call])
    anchors = json.dumps({"0": hostile("anchor"), **{str(k): f"level {k}" for k in range(1, 6)}})
    db.execute("UPDATE criteria SET name = ?, reviewer_guidance = ?, applicant_guidance = ?, anchors = ? "
               "WHERE call_id = ? AND id = 'networks'",
               [hostile("criterion name"), hostile("reviewer guidance"), hostile("applicant guidance"), anchors,
                call])
    db.execute("UPDATE entities SET name = ? WHERE call_id = ? AND id = 'e-savanes'", [hostile("entity name"), call])
    db.execute("UPDATE reviewers SET name = ? WHERE call_id = ? AND id = 'r2'", [hostile("member name"), call])
    db.execute("UPDATE accounts SET display_name = ? WHERE username = 'member2'", [hostile("member name")])
    db.execute("UPDATE proposals SET summary = ?, statement = ? WHERE call_id = ? AND id = 'p-savanes'",
               [hostile("summary"), hostile("statement"), call])
    db.execute("UPDATE sections SET text = ? WHERE call_id = ? AND proposal_id = 'p-savanes' "
               "AND criterion_id = 'networks'", [hostile("proposal section"), call])
    db.execute("UPDATE consensus SET note = ? WHERE call_id = ?", [hostile("consensus note"), call])
    db.execute("INSERT INTO inquiries (call_id, asked_by, question, asked_at, answer, answered_at, published) "
               "VALUES (?, 'applicant', ?, ?, ?, ?, 1)", [call, hostile("question"), stamp, hostile("answer"), stamp])
    db.execute("INSERT INTO bureau_advice (call_id, slot_id, member, advice, given_at) VALUES (?, 'africa', ?, ?, ?)",
               [call, "Demo Bureau Member", hostile("advice"), stamp])
    folder = files_dir(db)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "hostile.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    db.execute("INSERT INTO attachments (call_id, proposal_id, filename, stored_name, size, sha256, uploaded_at) "
               "VALUES (?, 'p-savanes', ?, 'hostile.pdf', 15, 'x', ?)", [call, HOSTILE_FILENAME, stamp])
    db.conn.commit()
    return db


LABELLED = ("button", "checkbox", "text_input", "text_area", "selectbox", "multiselect", "radio", "select_slider",
            "slider", "number_input", "date_input", "expander", "tabs", "metric", "toggle")


def markdown_strings(at: AppTest) -> list[str]:
    """Every string on the page that Streamlit reads as Markdown."""
    out = [e.value for kind in ("title", "header", "subheader", "markdown", "caption", "info", "success", "warning",
                                "error") for e in getattr(at, kind)]
    out += [w.label for kind in LABELLED for w in getattr(at, kind)]
    out += [o for kind in ("radio", "select_slider") for w in getattr(at, kind) for o in w.options]
    out += [d.proto.label for d in at.get("download_button")]
    return [s for s in out if isinstance(s, str)]


def plain_strings(at: AppTest) -> list[str]:
    """Every string on the page that Streamlit shows as it is."""
    out = [o for kind in ("selectbox", "multiselect") for w in getattr(at, kind) for o in w.options]
    out += [e.value for e in at.text] + [e.value for e in at.code]
    for frame in at.dataframe:
        out += [str(v) for v in frame.value.astype(str).to_numpy().ravel()]
        out += [str(c) for c in frame.value.columns]
    return out


def _visit(at: AppTest, seen: dict, problems: list) -> None:
    """Note every hostile string the page shows, and every one it would turn into markup."""
    assert not at.exception, [e.value for e in at.exception]
    page = at.title[0].value if at.title else "?"
    for source in markdown_strings(at):
        if "host.example" in shown(source):
            if constructs(source):
                problems.append((page, constructs(source), source[:160]))
            seen["markdown"].append(shown(source))
    for value in plain_strings(at):
        if "host.example" in value:
            if "\\" in value or "\u2060" in value:
                problems.append((page, "escaped in plain text", value[:160]))
            seen["plain"].append(value)


def _pages(open_as):
    """Each page of each role, with the hostile proposal chosen where a page picks one."""
    for username, path in (("secretariat", "dashboard"), ("secretariat", "call"), ("secretariat", "questions"),
                           ("secretariat", "proposals"), ("secretariat", "meeting"), ("secretariat", "report"),
                           ("secretariat", "decision"), ("secretariat", "people"), ("secretariat", "assignment"),
                           ("secretariat", "clarifications"), ("bureau", "advice"),
                           ("applicant", "my-proposal"), ("applicant", "questions"), ("applicant", "clarifications"),
                           ("member1", "preferences"), (None, "open-calls")):
        yield open_as(username, path)
    at = open_as("secretariat", "proposals")
    at.multiselect(key="picked").set_value(["p-savanes"]).run()
    yield at
    at = open_as("secretariat", "decision")
    at.selectbox(key="sel_slot").set_value("africa").run()
    yield at
    at = open_as("bureau", "advice")
    at.selectbox(key="advice_slot").set_value("africa").run()
    yield at
    at = open_as("member1", "reviews")
    at.selectbox(key="member_proposal").set_value("p-savanes").run()
    yield at


def test_user_text_is_shown_escaped(open_as, hostile_db, call_open):
    seen: dict[str, list[str]] = {"markdown": [], "plain": []}
    problems: list = []
    for at in _pages(open_as):
        _visit(at, seen, problems)
    assert problems == [], "\n".join(map(repr, problems))
    markdown, plain = "\n".join(seen["markdown"]), "\n".join(seen["plain"])
    missing = [field for field in LINE_FIELDS + TEXT_FIELDS if hostile(field) not in markdown + plain]
    assert missing == []
    assert HOSTILE_FILENAME in markdown
