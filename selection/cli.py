"""``python -m selection``: a thin click layer over the library.

Each command parses its arguments, calls one library function and prints the
result. A refused input exits with status 2 and a message naming the place;
no command shows a traceback for a problem a person can fix.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import json
import os
import sys
from pathlib import Path

import click

from selection import figure_words, i18n, store
from selection.i18n import N_, _, ngettext
from selection.migrations import SchemaTooNew


class _Later:
    """A module imported when first used: pandas, numpy and pydantic take most of a second to import,
    and a command that needs none of them (``load`` needs no pandas, ``rank`` no pydantic) should not wait."""

    def __init__(self, name: str):
        self._name = name

    def __getattr__(self, attr: str):
        return getattr(importlib.import_module(self._name), attr)


bundle_mod = _Later("selection.bundle")
queries = _Later("selection.queries")
robustness = _Later("criteria.robustness")


def _robustness_default(name: str):
    """The option's default, read from criteria.robustness only when the command runs."""
    return lambda: getattr(robustness, name)


DB_OPTION = click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="SELECTION_DB",
    default=str(store.DEFAULT_DB),
    show_default=True,
    help=N_("SQLite file (or set SELECTION_DB)."),
)
CALL_OPTION = click.option("--call", "reference",
                           help=N_("Call reference; may be left out when the database holds one call."))


class Refused(click.ClickException):
    """A problem the user can fix: printed as is, exit status 2."""

    exit_code = 2

    def show(self, file=None) -> None:
        click.echo(self.format_message(), err=True)


def refusals(fn):
    """Turn the library's known refusals into clean messages with exit status 2."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except bundle_mod.BundleInvalid as e:
            shown = e.problems[:50]
            more = len(e.problems) - len(shown) + e.unlisted
            lines = [_("The bundle is invalid; nothing was stored:"), *(f"  {p}" for p in shown)]
            if more:
                lines.append("  " + _("... and {more} more", more=more))
            raise Refused("\n".join(lines)) from None
        except (bundle_mod.CallExists, LookupError, ValueError, SchemaTooNew) as e:
            raise Refused(error(e)) from None
        except OSError as e:
            raise Refused(error(f"{e.strerror or e}: {e.filename or ''}".rstrip(": "))) from None

    return wrapper


def error(problem) -> str:
    """A refusal as the command line prints it: "Error: " and the problem, in the reader's language."""
    return _("Error: {problem}", problem=problem)


LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")


def environment_language() -> str | None:
    """The language of the shell's locale, as POSIX reads it: the first of LC_ALL, LC_MESSAGES, LANG that is set
    ("fr_FR.UTF-8" -> "fr"; "C" -> English)."""
    locale = next((os.environ[name] for name in LOCALE_VARIABLES if os.environ.get(name)), None)
    return i18n.negotiate(locale)


@contextlib.contextmanager
def _help_in_language(*items):
    """Commands' and options' help (marked ``N_`` where written) in the reader's language while it is shown."""
    kept = [(item, item.help, getattr(item, "show_default", None)) for item in items]
    for item, text, default in kept:
        item.help = _(text) if text else text
        if isinstance(default, str):
            item.show_default = _(default)
    try:
        yield
    finally:
        for item, text, default in kept:
            item.help = text
            if isinstance(default, str):
                item.show_default = default


class _Command(click.Command):
    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with _help_in_language(self, *self.params):
            super().format_help(ctx, formatter)

    def get_short_help_str(self, limit: int = 45) -> str:
        with _help_in_language(self):
            return super().get_short_help_str(limit)


class _Group(click.Group):
    """Speaks the shell's language from the start, so that even ``--help`` before any option is translated."""

    command_class = _Command

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.with_resource(i18n.use(environment_language()))
        return super().parse_args(ctx, args)

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with _help_in_language(self, *self.params):
            super().format_help(ctx, formatter)


def _choose_language(ctx: click.Context, _param, lang: str | None) -> None:
    if lang:
        ctx.with_resource(i18n.use(lang))


@click.group(cls=_Group, help=N_("Choose the hosts of technical and scientific cooperation centres."))
@click.option("--lang", type=click.Choice(sorted(i18n.LANGUAGES)), default=None, is_eager=True, expose_value=False,
              callback=_choose_language,
              help=N_("Language of the messages (default: the shell's: LC_ALL, LC_MESSAGES or LANG; else English)."))
def cli() -> None:
    """The command group: each command below parses its arguments and calls one library function."""


@cli.command(help=N_("Load a call bundle (JSON); an invalid bundle is refused whole."))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@DB_OPTION
@click.option("--replace", is_flag=True, help=N_("Replace a call with the same reference."))
@refusals
def load(file: Path, db_path: Path, replace: bool) -> None:
    with file.open("rb") as f:
        loaded = bundle_mod.read(f)
    db = store.connect(db_path)
    bundle_mod.store(db, loaded, actor="cli", replace=replace)
    b = loaded.head
    click.echo(_("Loaded {reference}: {slots}, {proposals}, {reviewers}, {scores} into {db}",
                 reference=b.call.reference, slots=ngettext("{n} slot", "{n} slots", len(b.call.slots)),
                 proposals=ngettext("{n} proposal", "{n} proposals", len(b.proposals)),
                 reviewers=ngettext("{n} reviewer", "{n} reviewers", len(b.reviewers)),
                 scores=ngettext("{n} score", "{n} scores", len(loaded.scores)), db=db_path))


@cli.command(help=N_("Export a call as a bundle, or its rankings, scores, analytics and decision as CSV or XLSX."))
@DB_OPTION
@CALL_OPTION
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help=N_("File to write (default: print; required for csv and xlsx)."))
@click.option("--format", "fmt", type=click.Choice(["bundle", "csv", "xlsx"]), default="bundle", show_default=True,
              help=N_("bundle: the call as a JSON bundle; csv: rankings, scores, analytics and, once made, the "
                      "decision as a zip of CSV files; xlsx: the same tables as one workbook, one sheet each."))
@click.option("--draws", type=click.IntRange(min=1), default=_robustness_default("DRAWS"),
              show_default=N_("as many as the report draws"),
              help=N_("Weight sets drawn for the robustness figures (csv, xlsx)."))
@refusals
def export(db_path: Path, reference: str | None, out: Path | None, fmt: str, draws: int) -> None:
    db = store.connect(db_path)
    call = queries.resolve_call(db, reference)
    if fmt != "bundle":
        from reports import exports

        if out is None:
            raise Refused(error(_("--out FILE is needed for --format {format} (a binary file)", format=fmt)))
        with i18n.use(i18n.DEFAULT if fmt == "csv" else i18n.language()):  # CSV is read by programs: kept as it is
            out.write_bytes(exports.build(db, call["reference"], fmt=fmt, draws=draws))
        click.echo(wrote(out))
        return
    text = bundle_mod.dumps(bundle_mod.export(db, call["reference"]))
    if out is None:
        click.echo(text)
    else:
        out.write_text(text + "\n", encoding="utf-8")
        click.echo(wrote(out))


def wrote(path: Path) -> str:
    return _("Wrote {file}", file=path)


@cli.command(help=N_("Rank every slot of a call by the contract's rules."))
@DB_OPTION
@CALL_OPTION
@click.option("--json", "as_json", is_flag=True, help=N_("The contract's JSON output."))
@refusals
def rank(db_path: Path, reference: str | None, as_json: bool) -> None:
    db = store.connect(db_path)
    if as_json:  # the contract's document needs no pandas (call_rows)
        from selection import call_rows

        click.echo(json.dumps(call_rows.rank_document(db, reference), ensure_ascii=False, indent=1))
        return
    inputs = queries.ranking_inputs(db, reference)
    ranking = inputs.rank()
    for view in queries.ranking_view(db, inputs.reference, ranking):
        click.echo(ranking_text(view))


def ranking_text(view: queries.SlotView) -> str:
    """One slot as a plain-text table with its shortlist and unranked proposals."""
    t = view.table.copy()
    for col in ("Passes", "Tie", "Shortlisted"):
        t[col] = t[col].map({True: _("yes"), False: ""})
    t = t.rename(columns={k: _(v) for k, v in RANKING_HEADS.items()})
    lines = [f"== {view.slot['name']} ({view.slot['id']})",
             t.to_string(index=False) if len(t) else _("(no ranked proposals)")]
    lines.append(_("Shortlist: {names}", names="; ".join(view.shortlist) or _("none")))
    if view.tie_across_cutoff:
        lines.append(_("A tie across third place shortlists more than three: the advisory group breaks it."))
    for u in view.unranked:
        reason = _(UNRANKED[u["reason"]]) if u["reason"] in UNRANKED else u["reason"]
        lines.append(_("Not ranked: {entity} ({reason})", entity=u["entity"], reason=reason))
    return "\n".join(lines) + "\n"


RANKING_HEADS = {"Rank": N_("Rank"), "Entity": N_("Entity"), "Country": N_("Country"), "Total": N_("Total"),
                 "Shortlisted": N_("Shortlisted"), "Passes": N_("Passes"), "Tie": N_("Tie"), "Reviews": N_("Reviews")}
UNRANKED = {"withdrawn": N_("withdrawn"), "ineligible": N_("ineligible"),
            "insufficient_reviews": N_("insufficient reviews")}
LEFT_OUT_CODES = {"conflict": N_("conflict"), "partial": N_("partial")}  # why a review is left out, as analyse says it
DIRECTION_CODES = {"up": N_("up"), "down": N_("down")}


@cli.command(help=N_("Panel analytics (divergences, leniency, agreement) and robustness of each shortlist."))
@DB_OPTION
@CALL_OPTION
@click.option("--json", "as_json", is_flag=True, help=N_("The analysis as JSON."))
@click.option("--draws", type=click.IntRange(min=1), default=_robustness_default("DRAWS"),
              show_default=N_("as many as the report draws"),
              help=N_("Weight sets drawn to test each shortlist."))
@click.option("--seed", type=int, default=_robustness_default("SEED"),
              show_default=N_("the report's seed"),
              help=N_("Seed of the draws: the same seed gives the same figures."))
@refusals
def analyse(db_path: Path, reference: str | None, as_json: bool, draws: int, seed: int) -> None:
    from selection import analysis

    db = store.connect(db_path)
    inputs = queries.ranking_inputs(db, reference)
    doc = analysis.analyse(inputs, draws=draws, seed=seed)
    if as_json:
        click.echo(json.dumps(doc, ensure_ascii=False, indent=1))
        return
    call = queries.resolve_call(db, inputs.reference)
    who = queries.proposal_entities(db, call["id"])
    proposals = {p: e.get("acronym") or e["name"] for p, e in who.items()}
    reviewers = dict(db.execute("SELECT id, name FROM reviewers WHERE call_id = ?", [call["id"]]).fetchall())
    slots = queries.slot_names(db, call["id"])
    click.echo(analysis_text(doc, proposals, reviewers, slots))


def analysis_text(doc: dict, proposals: dict, reviewers: dict, slots: dict) -> str:
    """The analysis for people: names beside ids, percentages, plain-words readings."""
    import pandas as pd

    def name(p: str) -> str:
        return f"{proposals.get(p, p)} ({p})"

    def num(x: float) -> str:
        return f"{x:g}"

    scale = doc["scale"]
    lines = [
        _("Analysis of {call}: valid reviews only, scale {low}-{high}", call=doc["call"], low=num(scale["min"]),
          high=num(scale["max"])),
        _("Weights: {weights}", weights=", ".join(f"{w['criterion']} {num(w['weight'])} ({w['percent']:.1f} %)"
                                                   for w in doc["weights"])),
    ]
    for r in doc["excluded_reviews"]:
        lines.append(_("Left out: {member} on {proposal} ({reason}, {scores})",
                       member=reviewers.get(r["reviewer"], r["reviewer"]), proposal=name(r["proposal"]),
                       reason=_(LEFT_OUT_CODES.get(r["reason"], r["reason"])),
                       scores=ngettext("{n} score", "{n} scores", r["scores"])))
    gap = num(doc["divergence_gap"])
    lines += ["", _("== Divergent scores: members {gap} points or more apart ({count})", gap=gap,
                    count=len(doc["divergences"]))]
    for d in doc["divergences"]:
        given = ", ".join(f"{r} {num(s)}" for r, s in d["scores"].items())
        agreed = (_("no consensus yet") if d["consensus"] is None
                  else _("consensus {score}", score=num(d["consensus"])))
        lines.append("  " + _("{proposal} / {criterion}: {scores}; range {range}; {consensus}",
                              proposal=name(d["proposal"]), criterion=d["criterion"], scores=given,
                              range=num(d["range"]), consensus=agreed))
    lines += ["", _("== Leniency: mean difference from the panel's mean on the same proposal and criterion (points)")]
    for r in sorted(doc["leniency"], key=lambda r: -r["leniency"]):
        lines.append(f"  {r['leniency']:+.2f}  " + _("{member} ({id}), {scores} compared",
                                                      member=reviewers.get(r["reviewer"], r["reviewer"]),
                                                      id=r["reviewer"],
                                                      scores=ngettext("{n} score", "{n} scores", r["scores"])))
    method = doc["robustness_method"]
    for s in doc["slots"]:
        a, rob = s["agreement"], s["robustness"]
        lines += ["", f"== {slots.get(s['slot'], s['slot'])} ({s['slot']})",
                  _("Shortlist: {names}", names="; ".join(name(p) for p in s["shortlist"]) or _("none"))]
        if a["w"] is None:
            lines.append(_("Agreement between members: not measurable ({basis})", basis=_agreement_basis(a)))
        else:
            w = f"{a['w']:.2f}"
            lines.append(_("Agreement between members: Kendall's W = {w}, {reading} ({basis})", w=w,
                           reading=figure_words.reading(a["reading"]), basis=_agreement_basis(a)))
        if not rob["proposals"]:
            continue
        draws, share = f"{method['draws']:,}", f"{100 * rob['same_shortlist_share']:.1f}"
        lines.append(_("Robustness over {draws} weightings around the call's: the same shortlist in {share} % of them",
                       draws=draws, share=share))
        table = pd.DataFrame({
            _("Rank"): [p["rank"] for p in rob["proposals"]],
            _("Proposal"): [name(p["proposal"]) for p in rob["proposals"]],
            _("Shortlisted"): [_("yes") if p["shortlisted"] else "" for p in rob["proposals"]],
            _("In shortlist"): [f"{100 * p['shortlisted_share']:.1f} %" for p in rob["proposals"]],
            _("Ranks reached"): [f"{p['rank_min']}-{p['rank_max']}" for p in rob["proposals"]],
        })
        lines.append(table.to_string(index=False))
        if not rob["tipping_points"]:
            lines.append(_("No change of a single weight changes the shortlist."))
        for t in rob["tipping_points"]:
            lines.append("  " + _(
                "{criterion} {direction} by {change} points ({share_before} % -> {share_after} %, weight {before} -> "
                "{after}): shortlist becomes {names}", criterion=t["criterion"],
                direction=_(DIRECTION_CODES.get(t["direction"], t["direction"])), change=num(t["change_points"]),
                share_before=f"{t['share_before']:.1f}", share_after=f"{t['share_after']:.1f}",
                before=num(t["weight_before"]), after=f"{t['new_weight']:.2f}",
                names="; ".join(name(p) for p in t["new_shortlist"])))
    return "\n".join(lines) + "\n"


def _agreement_basis(a: dict) -> str:
    if a["method"] == "complete":
        return _("{members} who reviewed all {proposals}",
                 members=ngettext("{n} member", "{n} members", a["reviewers"]),
                 proposals=ngettext("{n} proposal", "{n} proposals", a["proposals"]))
    if not a["pairs"]:
        return _("no two members reviewed three proposals in common")
    return _("estimated from {pairs} over the proposals each pair reviewed, {members}",
             pairs=ngettext("{n} pair of members", "{n} pairs of members", a["pairs"]),
             members=ngettext("{n} member", "{n} members", a["reviewers"]))


@cli.command(help=N_("Write the assessment report (PDF)."))
@DB_OPTION
@CALL_OPTION
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--draws", type=click.IntRange(min=1), default=_robustness_default("DRAWS"),
              show_default=N_("as many as the report draws"),
              help=N_("Weight sets drawn per slot for the robustness of the shortlist."))
@click.option("--lang", type=click.Choice(sorted(i18n.LANGUAGES)), default=None,
              help=N_("The language of the report (default: the command's language)."))
@refusals
def report(db_path: Path, reference: str | None, out: Path, draws: int, lang: str | None) -> None:
    from reports import assessment, fonts

    db = store.connect(db_path)
    call = queries.resolve_call(db, reference)
    try:
        pdf = assessment.build(db, call["reference"], draws=draws, lang=lang or i18n.language())
    except fonts.FontMissing as e:
        raise Refused(error(e)) from None
    out.write_bytes(pdf)
    click.echo(wrote(out))


@cli.command(help=N_("Write the decision letters, one per entity: in one PDF (--out), a zip (--zip) or a folder "
                     "(--out-dir)."))
@DB_OPTION
@CALL_OPTION
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help=N_("Every letter in one PDF."))
@click.option("--zip", "zip_path", type=click.Path(dir_okay=False, path_type=Path),
              help=N_("A zip with one PDF per letter, named by entity."))
@click.option("--out-dir", type=click.Path(file_okay=False, path_type=Path),
              help=N_("A folder to write one PDF per letter into (made if missing)."))
@click.option("--date", "letter_date", type=click.DateTime(formats=["%Y-%m-%d"]),
              help=N_("Date of the letters (default: today); stands in for a notification date not recorded yet."))
@click.option("--lang", type=click.Choice(sorted(i18n.LANGUAGES)), default=None,
              help=N_("Write every one in this language (default: each in its recipient's language)."))
@refusals
def letters(db_path: Path, reference: str | None, out: Path | None, zip_path: Path | None, out_dir: Path | None,
            letter_date, lang: str | None) -> None:
    from reports import fonts
    from reports import letters as letters_mod

    if not (out or zip_path or out_dir):
        raise Refused(error(_("say where to write the letters: --out FILE, --zip FILE or --out-dir DIR")))
    db = store.connect(db_path)
    call = queries.resolve_call(db, reference)
    try:
        made = letters_mod.build_set(db, call["reference"], letter_date=letter_date.date() if letter_date else None,
                                     lang=lang)
    except fonts.FontMissing as e:
        raise Refused(error(e)) from None
    for path, data in ((out, lambda: made.pdf), (zip_path, made.zipped)):
        if path:
            path.write_bytes(data())
            click.echo(_("Wrote {file} ({letters})", file=path,
                         letters=ngettext("{n} letter", "{n} letters", len(made))))
    if out_dir:
        out_dir.mkdir(parents=True, exist_ok=True)
        for name, data in made.files.items():
            (out_dir / name).write_bytes(data)
        click.echo(ngettext("Wrote {n} letter into {folder}", "Wrote {n} letters into {folder}", len(made.files),
                            folder=out_dir))


@cli.command(help=N_("Write the evaluation summaries: one PDF per applicant, named by entity."))
@DB_OPTION
@CALL_OPTION
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help=N_("Folder to write into (created when missing)."))
@click.option("--lang", type=click.Choice(sorted(i18n.LANGUAGES)), default=None,
              help=N_("Write every one in this language (default: each in its recipient's language)."))
@refusals
def summaries(db_path: Path, reference: str | None, out: Path, lang: str | None) -> None:
    from reports import fonts
    from reports import summaries as summaries_mod

    db = store.connect(db_path)
    call = queries.resolve_call(db, reference)
    out.mkdir(parents=True, exist_ok=True)
    written = 0
    try:
        for name, pdf in summaries_mod.each(db, call["reference"], lang=lang):
            (out / name).write_bytes(pdf)
            written += 1
    except fonts.FontMissing as e:
        raise Refused(error(e)) from None
    click.echo(ngettext("Wrote {n} evaluation summary into {folder}", "Wrote {n} evaluation summaries into {folder}",
                        written, folder=out))


@cli.command(help=N_("Print the JSON Schema of the bundle."))
def schema() -> None:
    click.echo(json.dumps(bundle_mod.json_schema(), indent=1))


@cli.command(help=N_("Load the demo call (fictional entities)."))
@DB_OPTION
@click.option("--replace", is_flag=True, help=N_("Load again over an existing demo call."))
@refusals
def demo(db_path: Path, replace: bool) -> None:
    from selection.demo import accounts as demo_accounts
    from selection.demo import demo_bundle

    parsed = bundle_mod.from_dict(demo_bundle())
    db = store.connect(db_path)
    call_id = bundle_mod.store(db, parsed, actor="demo", replace=replace)
    click.echo(_("Loaded the demo call {reference} into {db}", reference=parsed.call.reference, db=db_path))
    click.echo(_("Sign in to the app (streamlit run streamlit_app.py) with one of:"))
    for role, username, password in demo_accounts.create(db, call_id):
        click.echo("  " + _("{role} username {username} password {password}", role=_(role).ljust(22),
                            username=username.ljust(12), password=password))


@cli.command(help=N_("List the audit trail: who changed what, when, the old and new value, and why."))
@DB_OPTION
@CALL_OPTION
@click.option("--json", "as_json", is_flag=True, help=N_("Events as JSON lines."))
@click.option("--action", default="", help=N_("Only actions starting with this, e.g. score.revised."))
@click.option("--verify", "check", is_flag=True,
              help=N_("Check every event's seal instead of listing them; exit 1 naming the first event altered."))
@refusals
def audit(db_path: Path, reference: str | None, as_json: bool, action: str, check: bool) -> None:
    from selection import audit as audit_mod

    db = store.connect(db_path)
    if check:
        result = audit_mod.verify_chain(db)
        click.echo(result.sentence())
        if not result.ok:
            raise SystemExit(1)
        return
    call = queries.resolve_call(db, reference) if reference or queries.call_references(db) else None
    events = audit_mod.events(db, call=call["reference"] if call else None, action_prefix=action)
    for e in events:
        if as_json:
            click.echo(json.dumps(e, ensure_ascii=False, default=str))
        else:
            change = f"{e['old']} -> {e['new']}" if e["old"] is not None else f"{e['new']}"
            why = "  " + _("because: {reason}", reason=e["reason"]) if e["reason"] else ""
            click.echo(f"{e['at'][:19]}  {e['actor']:<24} {e['action']:<20} {e['target']}  {change}{why}")
    if not as_json:
        click.echo(ngettext("{n:,} event", "{n:,} events", len(events)))


@cli.command(help=N_("Copy the database while the app runs (one consistent VACUUM INTO), with applicants' files."))
@DB_OPTION
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@refusals
def backup(db_path: Path, out: Path) -> None:
    from selection import backup as backup_mod

    facts = backup_mod.backup(db_path, out)
    files = backup_mod.copy_attachments(db_path, out)
    click.echo(_("Wrote {file}: {calls}, {proposals}, {scores}", file=out,
                 calls=ngettext("{n:,} call", "{n:,} calls", facts["calls"]),
                 proposals=ngettext("{n:,} proposal", "{n:,} proposals", facts["proposals"]),
                 scores=ngettext("{n:,} score", "{n:,} scores", facts["scores"]))
               + (_("; files in {folder}", folder=files) if files else ""))
    click.echo(facts["trail"])


@cli.command(help=N_("Put a checked backup in place of the database (the current one is kept beside it)."))
@click.argument("backup_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@DB_OPTION
@refusals
def restore(backup_file: Path, db_path: Path) -> None:
    from selection import backup as backup_mod

    facts = backup_mod.restore(backup_file, db_path)
    click.echo(_("Restored {file} into {db}: {calls}, {scores}", file=backup_file, db=db_path,
                 calls=ngettext("{n:,} call", "{n:,} calls", facts["calls"]),
                 scores=ngettext("{n:,} score", "{n:,} scores", facts["scores"])))
    if facts["kept"]:
        click.echo(_("The previous database is kept as {file}", file=facts["kept"]))


@cli.command(help=N_(
    "Send the reminders due today (deadlines, reviews, acceptance, host agreement), each only once.\n"
    "\n"
    "Safe to run every day from cron: a reminder already sent (or kept with mail off) is not sent again.\n"
    "The command line acts as the secretariat, recorded in the audit trail as \"secretariat:cli\"."))
@DB_OPTION
@CALL_OPTION
@click.option("--dry-run", is_flag=True, help=N_("List the reminders due today without sending or storing anything."))
@refusals
def remind(db_path: Path, reference: str | None, dry_run: bool) -> None:
    from selection import clock, mail
    from selection.models import Role
    from selection.permissions import User
    from selection.services import notices

    db = store.connect(db_path)
    call = queries.resolve_call(db, reference)
    click.echo(mail.status_line())
    if dry_run:
        due = notices.reminders(db, call_id=call["id"], today=clock.today())
        for r in due:
            state = _("already sent") if r["already"] else _("due")
            click.echo(f"{state:<12} {r['kind']:<28} " + _("to {address}: {subject}", address=r["to_address"] or
                                                            _("(no address)"), subject=r["subject"]))
        click.echo(_("{reminders} to send, {sent} already sent (dry run: nothing sent)",
                     reminders=ngettext("{n:,} reminder", "{n:,} reminders", sum(not r["already"] for r in due)),
                     sent=sum(r["already"] for r in due)))
        return
    cli_user = User(id=0, username="cli", display_name="Command line", role=Role.SECRETARIAT)
    kept = notices.send_reminders(db, user=cli_user, call_id=call["id"])
    for m in kept:
        state = _("sent") if m["sent_at"] else (m["error"] or _("not sent"))
        click.echo(f"{m['kind']:<28} " + _("to {address}: {subject}", address=m["to_address"] or _("(no address)"),
                                           subject=m["subject"]) + f"  [{state}]")
    click.echo(_("{reminders} kept, {sent} sent", reminders=ngettext("{n:,} reminder", "{n:,} reminders", len(kept)),
                 sent=sum(1 for m in kept if m["sent_at"])))


@cli.command(help=N_(
    "Assign members to proposals by optimisation (conflicts kept out, loads balanced); fills only the gaps.\n"
    "\n"
    "Detected potential conflicts (affiliation, same country) are left out and listed.\n"
    "The command line acts as the secretariat, recorded in the audit trail as \"secretariat:cli\"."))
@DB_OPTION
@CALL_OPTION
@click.option("--per-proposal", type=int, help=N_("Members per proposal (default: the call's reviews needed + 1)."))
@click.option("--max-load", type=int, help=N_("Most proposals per member (default: the balanced share, rounded up)."))
@click.option("--dry-run", is_flag=True, help=N_("Show the proposed assignment without saving it."))
@click.option("--json", "as_json", is_flag=True, help=N_("The plan as JSON."))
@refusals
def assign(db_path: Path, reference: str | None, per_proposal: int | None, max_load: int | None, dry_run: bool,
           as_json: bool) -> None:
    from selection.models import Role
    from selection.permissions import User
    from selection.services import assignment

    db = store.connect(db_path)
    call = queries.resolve_call(db, reference)
    cli_user = User(id=0, username="cli", display_name="Command line", role=Role.SECRETARIAT)
    result = assignment.plan(db, user=cli_user, call_id=call["id"], per_proposal=per_proposal, max_load=max_load)
    added = 0 if dry_run else assignment.save(db, user=cli_user, call_id=call["id"], pairs=result.new_pairs)
    if as_json:
        click.echo(json.dumps(result.as_json(), ensure_ascii=False, indent=1))
        return
    loads = sorted(result.loads.values()) or [0]
    click.echo(_("{proposals}, {members}, {per_proposal} per proposal; loads {least} to {most} (maximum {maximum})",
                 proposals=ngettext("{n:,} proposal", "{n:,} proposals", len(result.assignments)),
                 members=ngettext("{n:,} member", "{n:,} members", len(result.loads)),
                 per_proposal=ngettext("{n:,} member", "{n:,} members", result.per_proposal),
                 least=loads[0], most=loads[-1], maximum=result.max_load))
    who = {r: m.name for r, m in result.members.items()}
    entity = {a["proposal"]: a["entity"] for a in result.assignments}
    for d in result.detected:
        state = _("already reviewing it") if d["assigned"] else _("left out")
        click.echo(_("potential conflict ({state}): {member} on {entity}: {reason}", state=state,
                     member=who[d["reviewer"]], entity=entity[d["proposal"]], reason=d["reason"]))
    for s in result.short:
        click.echo(_("short: {entity} lacks {members}: {reason}", entity=s["entity"],
                     members=ngettext("{n:,} member", "{n:,} members", s["missing"]), reason=s["reason"]))
    for s in result.same_country:
        click.echo(_("two members of {country} on {entity}: no other way within the rules", country=s["country"],
                     entity=entity[s["proposal"]]))
    click.echo(_("dry run: nothing saved") if dry_run
               else ngettext("{n:,} assignment saved", "{n:,} assignments saved", added))


@cli.command(help=N_("Check the frozen decision record: its SHA-256, its ranking, and what changed since."))
@DB_OPTION
@CALL_OPTION
@click.option("--record", "record_id", type=int, help=N_("A given record (default: the latest)."))
@refusals
def verify(db_path: Path, reference: str | None, record_id: int | None) -> None:
    from selection import record

    db = store.connect(db_path)
    result = record.verify(db, reference, record_id)
    click.echo(_("Decision record #{number} of {created}, SHA-256 {sha256}", number=result.record_id,
                 created=result.created_at, sha256=result.sha256))
    click.echo("  " + (_("hash: matches the stored snapshot") if result.hash_ok
                       else _("hash: DOES NOT MATCH: the record was altered")))
    click.echo("  " + (_("ranking recomputed from the snapshot: matches") if result.ranking_ok
                       else _("ranking recomputed from the snapshot: DIFFERS")))
    click.echo("  " + result.trail)
    if result.changes:
        click.echo("  " + ngettext("{n:,} change in the database since the record:",
                                   "{n:,} changes in the database since the record:", len(result.changes)))
        for line in result.changes:
            click.echo(f"    {line}")
    else:
        click.echo("  " + _("no change in the database since the record"))
    if result.corrections:
        click.echo("  " + ngettext("{n:,} correction on record since:", "{n:,} corrections on record since:",
                                   len(result.corrections)))
        for line in result.corrections:
            click.echo(f"    {line}")
    if not result.unchanged:
        raise SystemExit(1)


def main() -> None:
    try:
        cli(prog_name="python -m selection")
    except KeyboardInterrupt:
        sys.exit(130)
