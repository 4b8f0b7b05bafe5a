"""One consolidated comment per proposal and criterion, as a document shows it to readers.

The report, the evaluation summaries and the letters quote the panel without naming
its members: the consensus note when the advisory group agreed a score, otherwise the
members' reasons, each cut to its first sentence, highest score first, duplicates once,
at most three (the highest score's, the lowest's, one between); where a table has room for
one, the reason given with the median score.
"""

from __future__ import annotations

import re

from selection.i18n import _

SENTENCE_END = re.compile(r"[.!?؟](?=\s)|[。！？]")  # found without a look-behind at every character
REASON_LIMIT = 240


def first_sentence(text: str, limit: int = REASON_LIMIT) -> str:
    """The first sentence of a reason, at most ``limit`` characters (an ellipsis says it was cut)."""
    text = " ".join(str(text).split())
    end = SENTENCE_END.search(text)
    head = text if end is None else text[:end.end()]
    if len(head) > limit:
        head = head[: limit - 1].rstrip() + "…"
    return head


MOST = 3  # reasons quoted: the highest score's, the lowest's and one between


def consolidated(reasons: list[tuple[float, str | None]], consensus_note: str | None = None,
                 *, agreed: bool = False, most: int = MOST) -> str:
    """The comment for one criterion of one proposal, in readers' words.

    ``reasons`` are the valid reviews' (score, justification); ``agreed`` says a consensus
    score was recorded, whose note then speaks for the panel.
    """
    if agreed:
        note = " ".join(str(consensus_note or "").split())
        return note or _("Consensus score agreed by the advisory group; no note was recorded.")
    seen, kept = set(), []
    for _score, text in sorted(reasons, key=lambda r: -float(r[0])):
        if text is None or not str(text).strip():
            continue
        sentence = first_sentence(text)
        if sentence.casefold() not in seen:
            seen.add(sentence.casefold())
            kept.append(sentence)
    if not kept:
        return _("No reason was written.")
    if len(kept) > most == 1:  # the middle of the range speaks for the panel
        kept = [kept[(len(kept) - 1) // 2]]
    elif len(kept) > most:  # the ends of the range and evenly between, so the spread shows
        picks = sorted({round(i * (len(kept) - 1) / (most - 1)) for i in range(most)})
        kept = [kept[i] for i in picks]
    return " · ".join(kept)
