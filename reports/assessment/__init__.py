"""The assessment report: the shortlist per slot and how the selection criteria were applied.

Step 4 of the procedure: the secretariat lists the top three entities per
mechanism and explains how the selection criteria were applied, for the
Bureau's advice. One module per part, over the shared :mod:`context` (facts,
styles, numbering) and :mod:`document` (contents, pages):

* :mod:`apparatus`: the masthead (symbol, distribution, date, original
  language), the title block, the introduction with the mandate, the action
  requested of the Bureau and the next steps;
* :mod:`summary`: proposals received, eligible, ineligible, withdrawn, scored,
  and per slot the shortlist in order, a tie across third place said in words;
* :mod:`method`: each criterion with its definition, weight, anchored scale
  and threshold; the minimum of reviews; how conflicts, partial reviews and
  consensus scores count; the tie-break rule; how robustness is measured;
* :mod:`slots`: per slot the ranking table, a chart of the shortlist's
  criterion scores, how each criterion was applied, the robustness of the
  shortlist to the weights;
* :mod:`decision`: once the Bureau has advised, per slot its advice, the entity
  selected with the reasons, and every offer made with its outcome;
* :mod:`annexes` (I, II, III...): the advisory group and the conflicts
  declared, every proposal received with its status and reason, the reviews
  left out, the procedure's timeline, how robustness was measured, and (only when the panel
  asked any) the clarifications requested from applicants with their answers.

Every figure comes from ``criteria.ranking`` (the same as ``rank --json``) and
``selection.analysis`` (the same as ``analyse --json``). Members' reasons are
quoted without their names; members are named only where a review was left
out or a conflict declared, and as "Member A, B, ..." when the call asks for
anonymous conflict declarations.
"""

from __future__ import annotations

import datetime as dt

import sqlite_utils
from reportlab.platypus import NextPageTemplate, PageBreak, Paragraph

from criteria import robustness
from reports import data as reportdata
from reports import fonts
from reports.assessment import annexes, apparatus, decision, document, method, slots, summary
from reports.assessment.context import Context
from reports.layout import long_date, rich
from reports.wording import fill, part
from selection import clock, i18n, report_queries
from selection.i18n import _

REPORT_TITLE = apparatus.REPORT_TITLE
REPORT_DRAWS = robustness.DRAWS  # weight draws per slot for the robustness of the shortlist


def story(ctx: Context) -> list:
    """The cover, the contents, then every part in order."""
    body = (apparatus.introduction(ctx) + summary.summary(ctx) + apparatus.action_requested(ctx)
            + method.method(ctx))
    for slot in ctx.d.slots:
        body += slots.section(ctx, slot, ctx.d.ranking.slot(slot["id"]))
    body += decision.decision(ctx)
    body += (annexes.annex_group(ctx) + annexes.annex_proposals(ctx) + annexes.annex_left_out(ctx)
             + annexes.annex_timeline(ctx) + annexes.annex_robustness(ctx) + annexes.annex_reasons(ctx)
             + annexes.annex_clarifications(ctx))
    toc = document.Contents(ctx.toc_entries, levelStyles=[ctx.s["toc0"], ctx.s["toc1"]], dotsMinLevel=0)
    return (apparatus.cover(ctx) + [NextPageTemplate("body"), PageBreak()]
            + [Paragraph(rich(_("Contents"), bold=True), ctx.s["h1"]), toc, PageBreak()] + body)


def build(
    db: sqlite_utils.Database,
    reference: str | None = None,
    *,
    generated_on: dt.date | None = None,
    draws: int = REPORT_DRAWS,
    lang: str | None = None,
) -> bytes:
    """The assessment report of a call, as PDF bytes (A4; landscape beyond six criteria), in ``lang`` (one of
    the six languages; the current language when not given).

    ``draws`` is the number of weight sets per slot behind the robustness figures.
    """
    with i18n.use(lang or i18n.language()):
        return _build(db, reference, generated_on=generated_on, draws=draws)


def _build(db: sqlite_utils.Database, reference: str | None, *, generated_on: dt.date | None, draws: int) -> bytes:
    fonts.register()
    d = reportdata.load(db, reference, draws=draws)
    ctx = Context(db, d, generated_on or clock.today())
    call = ctx.call
    title = _(REPORT_TITLE)
    return document.render(
        story(ctx),
        pagesize=ctx.pagesize,
        header=ctx.p(fill(_("{symbol} · {title}"), symbol=part(apparatus.symbol(ctx), limit=120), title=title),
                     "header"),
        footer=fonts.clean(_("{symbol} · {date}", symbol=apparatus.symbol(ctx), date=long_date(ctx.on)), limit=120),
        title=fonts.clean(_("{title} — {reference}: {call}", title=title, reference=call["reference"],
                            call=ctx.title), limit=1000),
        author=fonts.clean(reportdata.secretariat(call), limit=300),
        subject=fonts.clean(_("Shortlist per slot and how the selection criteria were applied ({reference})",
                              reference=call["reference"]), limit=1000),
        lang=ctx.lang if ctx.lang in i18n.LANGUAGES and ctx.lang != i18n.DEFAULT
        else report_queries.language_code(ctx.settings.original_language),
    )
