"""Pages stay thin: the store is read through selection.queries or the services, never by SQL in ui/."""

from __future__ import annotations

import re
from pathlib import Path

UI = Path(__file__).resolve().parents[2] / "ui"


def test_no_page_holds_a_sql_query():
    found = [f"{path.relative_to(UI.parent)}:{n}" for path in sorted(UI.rglob("*.py"))
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if re.search(r"\.(query|execute)\(|\bSELECT\b.*\bFROM\b", line)]
    assert found == []
