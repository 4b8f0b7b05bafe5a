"""The apparatus of the assessment report as a document of the Convention: the masthead with its
symbol, distribution, date and original language; the title block; the introduction with the
mandate; the action requested of the Bureau and the next steps with their dates."""

from __future__ import annotations

import datetime as dt

from reportlab.lib.units import mm
from reportlab.platypus import HRFlowable, Paragraph, Spacer, Table, TableStyle

from criteria.ranking import SHORTLIST_RANK
from reports import data as reportdata
from reports.assessment.context import Context
from reports.layout import ACCENT, heads, long_date, rich, table_style
from reports.wording import fill, part
from selection import i18n, queries, report_queries, words
from selection.clock import add_months
from selection.i18n import N_, _, ngettext

REPORT_TITLE = N_("Assessment report")
DISTRIBUTION = {report_queries.Distribution.RESTRICTED: N_("Distr.: Restricted"),
                report_queries.Distribution.LIMITED: N_("Distr.: Limited"),
                report_queries.Distribution.GENERAL: N_("Distr.: General")}
# The settings' defaults, in the report's language (a setting the secretariat typed is shown as typed)
DEFAULT_WORDS = {report_queries.DEFAULT_CONVENTION: N_("Convention on Biological Diversity"),
                 report_queries.DEFAULT_BODY: N_("Bureau of the Subsidiary Body on Scientific, Technical and "
                                                 "Technological Advice")}
MANDATE = "CBD/COP/15/12"
MANDATE_PARAGRAPHS = "45–47"


def symbol(ctx: Context) -> str:
    """The document symbol: the one set for the call, else the call's reference."""
    return ctx.settings.symbol or ctx.call["reference"]


def setting(text: str) -> str:
    """A document setting as the reader reads it: a default in the report's language, else as typed."""
    return _(DEFAULT_WORDS[text]) if text in DEFAULT_WORDS else text


def original_language(ctx: Context) -> str:
    """The language the call is written in, named in the report's language ("anglais"); as typed in English,
    or when it is not a language the tool knows."""
    typed = ctx.settings.original_language
    code = report_queries.language_code(typed)
    if ctx.lang in (i18n.DEFAULT, i18n.PSEUDO) or (code == "en" and typed.strip().lower() != "english"):
        return typed
    return i18n.language_name(code, ctx.lang)


def fingerprint(ctx: Context) -> str | None:
    """The decision record's SHA-256, worded for a reader; None before a selection."""
    rec = ctx.d.record
    if rec is None:
        return None
    return _("Fingerprint of the decision record (SHA-256), frozen on {date}: {sha256}. The secretariat can "
             "recompute it from the record at any time; a different value means the record was changed.",
             date=long_date(dt.date.fromisoformat(rec["created_at"][:10])), sha256=rec["sha256"])


def cover(ctx: Context) -> list:
    s, call, st = ctx.s, ctx.call, ctx.settings
    right = [Paragraph(rich(symbol(ctx), bold=True, limit=200), s["symbol"]),
             ctx.p(_(DISTRIBUTION[st.distribution]), "apparatus"),
             ctx.p(long_date(ctx.on), "apparatus"),
             ctx.p(fill(_("Original: {language}"), language=part(original_language(ctx), limit=200)), "apparatus")]
    convention = Paragraph(rich(setting(st.convention).upper(), bold=True, limit=200), s["masthead"])
    cells = [right, convention] if ctx.rtl else [convention, right]
    masthead = Table([cells], colWidths=[ctx.width * 0.45, ctx.width * 0.55][:: 1 if ctx.rtl else -1],
                     hAlign="LEFT")
    masthead.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                  ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    out = [
        Spacer(1, 6 * mm), masthead, Spacer(1, 3 * mm), HRFlowable(width="100%", thickness=1.2, color=ACCENT),
        ctx.p([part(setting(st.body), bold=True, limit=200)], "body_to"),
        Spacer(1, 20 * mm),
        ctx.p([part(ctx.title, limit=500)], "cover_sub"),
        ctx.p([part(_(REPORT_TITLE), bold=True)], "cover_title"),
        ctx.p(_("The shortlisted entities for each mechanism and how the selection criteria were applied by "
                "the informal advisory group on technical and scientific cooperation"), "subtitle"),
        Spacer(1, 8 * mm),
        ctx.p(fill(_("Prepared by {secretariat}"), secretariat=part(reportdata.secretariat(call), bold=True,
                                                                    limit=300)), "cover_meta"),
        ctx.p(fill(_("Call for expressions of interest: {reference}"), reference=part(call["reference"], limit=200)),
              "cover_meta"),
    ]
    print_ = fingerprint(ctx)
    if print_:
        out += [Spacer(1, 6 * mm), ctx.p(print_, "meta")]
    return out


def introduction(ctx: Context) -> list:
    n = len(ctx.d.slots)
    return [
        ctx.heading(_("Introduction")),
        ctx.numbered(_(
            "The procedure for selecting the institutions that host the global coordination entity and the regional "
            "and subregional technical and scientific cooperation support centres is set out in document {mandate}, "
            "paragraphs {paragraphs}. The secretariat issues a call for expressions of interest and detailed "
            "proposals; the informal advisory group on technical and scientific cooperation assesses the proposals "
            "objectively against the selection criteria; the secretariat lists the top three entities for each "
            "mechanism and explains how the criteria were applied; with the advice of the Bureau, the most suitable "
            "entity is selected for each mechanism; the selected entity confirms its acceptance within one month of "
            "being notified, and a host agreement is concluded within three months.",
            mandate=MANDATE, paragraphs=MANDATE_PARAGRAPHS)),
        ctx.numbered(ngettext(
            "The present report is the fourth step of that procedure. It sets out, for the mechanism to be hosted, "
            "the shortlist of the top {top} entities and how each selection criterion was applied to each ranked "
            "proposal, for the advice of the Bureau.",
            "The present report is the fourth step of that procedure. It sets out, for each of the {count} "
            "mechanisms to be hosted, the shortlist of the top {top} entities and how each selection criterion was "
            "applied to each ranked proposal, for the advice of the Bureau.", n,
            count=words.number(n, 0), top=SHORTLIST_RANK)),
    ]


def next_steps(ctx: Context) -> list[tuple[str, str]]:
    """(step, when) of what follows the report, dated where the call's dates allow."""
    call = ctx.call
    decided = dt.date.fromisoformat(call["decided_on"]) if call.get("decided_on") else None
    if decided:
        selection = long_date(decided)
        acceptance = _("within one calendar month of the notification (by {date} if notified that day)",
                       date=long_date(add_months(decided, queries.ACCEPTANCE_MONTHS)))
        agreement = _("within three months of the selection (by {date})",
                      date=long_date(add_months(decided, queries.AGREEMENT_MONTHS)))
        advice = _("before the selection, {date}", date=selection)
    else:
        selection = _("on a date to be set by the secretariat")
        acceptance = _("within one calendar month of the notification")
        agreement = _("within three months of the selection")
        advice = _("before the selection")
    return [
        (_("Advice of the Bureau on each shortlist"), advice),
        (_("Selection of the host of each mechanism"), selection),
        (_("Notification of the selected entities"), _("on the day of the selection")),
        (_("Acceptance by each selected entity"), acceptance),
        (_("Start of the search for donors"), _("on acceptance")),
        (_("Host agreement signed with each selected entity"), agreement),
    ]


def action_requested(ctx: Context) -> list:
    s = ctx.s
    out = [
        ctx.heading(_("Action requested of the Bureau")),
        ctx.numbered(_("The Bureau is invited to take note of the assessment of the proposals set out in the present "
                       "report; to advise, for each mechanism, which of the shortlisted entities is the most suitable "
                       "host, giving its reasons; and to take note of the next steps below.")),
        ctx.numbered(_("Once the Bureau has given its advice, the secretariat selects the host of each mechanism and "
                       "notifies it. Should a selected entity decline or not answer in time, the next entity on the "
                       "shortlist (the reserve list) may be offered the mechanism, with the advice of the Bureau.")),
        ctx.p([part(_("Next steps"), bold=True)], "h3"),
    ]
    rows = [heads([_("Step"), _("When")], [], s)]
    rows += [[ctx.p(step, "cell"), ctx.p(when, "cell")] for step, when in next_steps(ctx)]
    return out + [ctx.table(rows, [ctx.width * 0.45, ctx.width * 0.55], table_style())]
