"""``python -m selection``: a thin click layer over the library.

Each command parses its arguments, calls one library function and prints the
result. A refused input exits with status 2 and a message naming the place;
no command shows a traceback for a problem a person can fix.
"""

from __future__ import annotations

import functools
import importlib
import json
import sys
from pathlib import Path

import click

from selection import i18n, store, words
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
    help="SQLite file (or set SELECTION_DB).",
)
CALL_OPTION = click.option("--call", "reference", help="Call reference; may be left out when the database holds one call.")


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
            lines = ["The bundle is invalid; nothing was stored:", *(f"  {p}" for p in shown)]
            if more:
                lines.append(f"  ... and {more} more")
            raise Refused("\n".join(lines)) from None
        except (bundle_mod.CallExists, LookupError, ValueError, SchemaTooNew) as e:
            raise Refused(f"Error: {e}") from None
        except OSError as e:
            raise Refused(f"Error: {e.strerror or e}: {e.filename or ''}".rstrip(": ")) from None

    return wrapper


@click.group()
def cli() -> None:
    """Choose the hosts of technical and scientific cooperation centres."""


@cli.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@DB_OPTION
@click.option("--replace", is_flag=True, help="Replace a call with the same reference.")
@refusals
def load(file: Path, db_path: Path, replace: bool) -> None:
    """Load a call bundle (JSON); an invalid bundle is refused whole."""
    with file.open("rb") as f:
        loaded = bundle_mod.read(f)
    db = store.connect(db_path)
    bundle_mod.store(db, loaded, actor="cli", replace=replace)
    b = loaded.head
    click.echo(
        f"Loaded {b.call.reference}: {len(b.call.slots)} slots, {len(b.proposals)} proposals, "
        f"{len(b.reviewers)} reviewers, {len(loaded.scores)} scores into {db_path}"
    )


@cli.command()
@DB_OPTION
@CALL_OPTION
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (default: print; required for csv and xlsx).")
@click.option("--format", "fmt", type=click.Choice(["bundle", "csv", "xlsx"]), default="bundle", show_default=True,
              help="bundle: the call as a JSON bundle; csv: rankings, scores, analytics and, once made, the decision "
                   "as a zip of CSV files; xlsx: the same tables as one workbook, one sheet each.")
@click.option("--draws", type=click.IntRange(min=1), default=_robustness_default("DRAWS"),
              show_default="as many as the report draws",
              help="Weight sets drawn for the robustness figures (csv, xlsx).")
@refusals
def export(db_path: Path, reference: str | None, out: Path | None, fmt: str, draws: int) -> None:
    """Export a call as a bundle, or its rankings, scores, analytics and decision as CSV or XLSX."""
    db = store.connect(db_path)
    call = queries.resolve_call(db, reference)
    if fmt != "bundle":
        from reports import exports

        if out is None:
            raise Refused(f"Error: --out FILE is needed for --format {fmt} (a binary file)")
        out.write_bytes(exports.build(db, call["reference"], fmt=fmt, draws=draws))
        click.echo(f"Wrote {out}")
        return
    text = bundle_mod.dumps(bundle_mod.export(db, call["reference"]))
    if out is None:
        click.echo(text)
    else:
        out.write_text(text + "\n", encoding="utf-8")
        click.echo(f"Wrote {out}")


@cli.command()
@DB_OPTION
@CALL_OPTION
@click.option("--json", "as_json", is_flag=True, help="The contract's JSON output.")
@refusals
def rank(db_path: Path, reference: str | None, as_json: bool) -> None:
    """Rank every slot of a call by the contract's rules."""
    db = store.connect(db_path)
    inputs = queries.ranking_inputs(db, reference)
    ranking = inputs.rank()
    if as_json:
        click.echo(json.dumps(ranking.to_contract(inputs.reference), ensure_ascii=False, indent=1))
    else:
        for view in queries.ranking_view(db, inputs.reference, ranking):
            click.echo(ranking_text(view))


def ranking_text(view: queries.SlotView) -> str:
    """One slot as a plain-text table with its shortlist and unranked proposals."""
    t = view.table.copy()
    for col in ("Passes", "Tie", "Shortlisted"):
        t[col] = t[col].map({True: "yes", False: ""})
    lines = [f"== {view.slot['name']} ({view.slot['id']})", t.to_string(index=False) if len(t) else "(no ranked proposals)"]
    lines.append("Shortlist: " + ("; ".join(view.shortlist) or "none"))
    if view.tie_across_cutoff:
        lines.append("A tie across third place shortlists more than three: the advisory group breaks it.")
    for u in view.unranked:
        lines.append(f"Not ranked: {u['entity']} ({u['reason'].replace('_', ' ')})")
    return "\n".join(lines) + "\n"


@cli.command()
@DB_OPTION
@CALL_OPTION
@click.option("--json", "as_json", is_flag=True, help="The analysis as JSON.")
@click.option("--draws", type=click.IntRange(min=1), default=_robustness_default("DRAWS"),
              show_default="as many as the report draws",
              help="Weight sets drawn to test each shortlist.")
@click.option("--seed", type=int, default=_robustness_default("SEED"),
              show_default="the report's seed",
              help="Seed of the draws: the same seed gives the same figures.")
@refusals
def analyse(db_path: Path, reference: str | None, as_json: bool, draws: int, seed: int) -> None:
    """Panel analytics (divergences, leniency, agreement) and robustness of each shortlist."""
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
        f"Analysis of {doc['call']}: valid reviews only, scale {num(scale['min'])}-{num(scale['max'])}",
        "Weights: " + ", ".join(f"{w['criterion']} {num(w['weight'])} ({w['percent']:.1f} %)" for w in doc["weights"]),
    ]
    for r in doc["excluded_reviews"]:
        lines.append(f"Left out: {reviewers.get(r['reviewer'], r['reviewer'])} on {name(r['proposal'])} "
                     f"({r['reason']}, {r['scores']} scores)")
    gap = num(doc["divergence_gap"])
    lines += ["", f"== Divergent scores: members {gap} points or more apart ({len(doc['divergences'])})"]
    for d in doc["divergences"]:
        given = ", ".join(f"{r} {num(s)}" for r, s in d["scores"].items())
        agreed = "no consensus yet" if d["consensus"] is None else f"consensus {num(d['consensus'])}"
        lines.append(f"  {name(d['proposal'])} / {d['criterion']}: {given}; range {num(d['range'])}; {agreed}")
    lines += ["", "== Leniency: mean difference from the panel's mean on the same proposal and criterion (points)"]
    for r in sorted(doc["leniency"], key=lambda r: -r["leniency"]):
        lines.append(f"  {r['leniency']:+.2f}  {reviewers.get(r['reviewer'], r['reviewer'])} ({r['reviewer']}), "
                     f"{r['scores']} scores compared")
    method = doc["robustness_method"]
    for s in doc["slots"]:
        a, rob = s["agreement"], s["robustness"]
        lines += ["", f"== {slots.get(s['slot'], s['slot'])} ({s['slot']})",
                  "Shortlist: " + ("; ".join(name(p) for p in s["shortlist"]) or "none")]
        if a["w"] is None:
            lines.append(f"Agreement between members: not measurable ({_agreement_basis(a)})")
        else:
            lines.append(
                f"Agreement between members: Kendall's W = {a['w']:.2f}, {a['reading']} ({_agreement_basis(a)})"
            )
        if not rob["proposals"]:
            continue
        lines.append(f"Robustness over {method['draws']:,} weightings around the call's: the same shortlist in "
                     f"{100 * rob['same_shortlist_share']:.1f} % of them")
        table = pd.DataFrame({
            "Rank": [p["rank"] for p in rob["proposals"]],
            "Proposal": [name(p["proposal"]) for p in rob["proposals"]],
            "Shortlisted": ["yes" if p["shortlisted"] else "" for p in rob["proposals"]],
            "In shortlist": [f"{100 * p['shortlisted_share']:.1f} %" for p in rob["proposals"]],
            "Ranks reached": [f"{p['rank_min']}-{p['rank_max']}" for p in rob["proposals"]],
        })
        lines.append(table.to_string(index=False))
        if not rob["tipping_points"]:
            lines.append("No change of a single weight changes the shortlist.")
        for t in rob["tipping_points"]:
            lines.append(
                f"  {t['criterion']} {t['direction']} by {num(t['change_points'])} points "
                f"({t['share_before']:.1f} % -> {t['share_after']:.1f} %, weight {num(t['weight_before'])} -> "
                f"{t['new_weight']:.2f}): shortlist becomes " + "; ".join(name(p) for p in t["new_shortlist"])
            )
    return "\n".join(lines) + "\n"


def _agreement_basis(a: dict) -> str:
    if a["method"] == "complete":
        return f"{a['reviewers']} members who reviewed all {a['proposals']} proposals"
    if not a["pairs"]:
        return "no two members reviewed three proposals in common"
    return (f"estimated from {a['pairs']} pairs of members over the proposals each pair reviewed, "
            f"{a['reviewers']} members")


@cli.command()
@DB_OPTION
@CALL_OPTION
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--draws", type=click.IntRange(min=1), default=_robustness_default("DRAWS"),
              show_default="as many as the report draws",
              help="Weight sets drawn per slot for the robustness of the shortlist.")
@click.option("--lang", type=click.Choice(sorted(i18n.LANGUAGES)), default=i18n.DEFAULT, show_default=True,
              help="The language of the report.")
@refusals
def report(db_path: Path, reference: str | None, out: Path, draws: int, lang: str) -> None:
    """Write the assessment report (PDF)."""
    from reports import assessment, fonts

    db = store.connect(db_path)
    call = queries.resolve_call(db, reference)
    try:
        pdf = assessment.build(db, call["reference"], draws=draws, lang=lang)
    except fonts.FontMissing as e:
        raise Refused(f"Error: {e}") from None
    out.write_bytes(pdf)
    click.echo(f"Wrote {out}")


@cli.command()
@DB_OPTION
@CALL_OPTION
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Every letter in one PDF.")
@click.option("--zip", "zip_path", type=click.Path(dir_okay=False, path_type=Path),
              help="A zip with one PDF per letter, named by entity.")
@click.option("--out-dir", type=click.Path(file_okay=False, path_type=Path),
              help="A folder to write one PDF per letter into (made if missing).")
@click.option("--date", "letter_date", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Date of the letters (default: today); stands in for a notification date not recorded yet.")
@click.option("--lang", type=click.Choice(sorted(i18n.LANGUAGES)), default=None,
              help="Write every one in this language (default: each in its recipient's language).")
@refusals
def letters(db_path: Path, reference: str | None, out: Path | None, zip_path: Path | None, out_dir: Path | None,
            letter_date, lang: str | None) -> None:
    """Write the decision letters, one per entity: in one PDF (--out), a zip (--zip) or a folder (--out-dir)."""
    from reports import fonts
    from reports import letters as letters_mod

    if not (out or zip_path or out_dir):
        raise Refused("Error: say where to write the letters: --out FILE, --zip FILE or --out-dir DIR")
    db = store.connect(db_path)
    call = queries.resolve_call(db, reference)
    try:
        made = letters_mod.build_set(db, call["reference"], letter_date=letter_date.date() if letter_date else None,
                                     lang=lang)
    except fonts.FontMissing as e:
        raise Refused(f"Error: {e}") from None
    if out:
        out.write_bytes(made.pdf)
        click.echo(f"Wrote {out} ({len(made)} letters)")
    if zip_path:
        zip_path.write_bytes(made.zipped())
        click.echo(f"Wrote {zip_path} ({len(made)} letters)")
    if out_dir:
        out_dir.mkdir(parents=True, exist_ok=True)
        for name, data in made.files.items():
            (out_dir / name).write_bytes(data)
        click.echo(f"Wrote {len(made.files)} letters into {out_dir}")


@cli.command()
@DB_OPTION
@CALL_OPTION
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder to write into (created when missing).")
@click.option("--lang", type=click.Choice(sorted(i18n.LANGUAGES)), default=None,
              help="Write every one in this language (default: each in its recipient's language).")
@refusals
def summaries(db_path: Path, reference: str | None, out: Path, lang: str | None) -> None:
    """Write the evaluation summaries: one PDF per applicant, named by entity."""
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
        raise Refused(f"Error: {e}") from None
    click.echo(f"Wrote {written} evaluation {'summary' if written == 1 else 'summaries'} into {out}")


@cli.command()
def schema() -> None:
    """Print the JSON Schema of the bundle."""
    click.echo(json.dumps(bundle_mod.json_schema(), indent=1))


@cli.command()
@DB_OPTION
@click.option("--replace", is_flag=True, help="Load again over an existing demo call.")
@refusals
def demo(db_path: Path, replace: bool) -> None:
    """Load the demo call (fictional entities)."""
    from selection.demo import accounts as demo_accounts
    from selection.demo import demo_bundle

    parsed = bundle_mod.from_dict(demo_bundle())
    db = store.connect(db_path)
    call_id = bundle_mod.store(db, parsed, actor="demo", replace=replace)
    click.echo(f"Loaded the demo call {parsed.call.reference} into {db_path}")
    click.echo("Sign in to the app (streamlit run streamlit_app.py) with one of:")
    for role, username, password in demo_accounts.create(db, call_id):
        click.echo(f"  {role:<22} username {username:<12} password {password}")


@cli.command()
@DB_OPTION
@CALL_OPTION
@click.option("--json", "as_json", is_flag=True, help="Events as JSON lines.")
@click.option("--action", default="", help="Only actions starting with this, e.g. score.revised.")
@click.option("--verify", "check", is_flag=True,
              help="Check every event's seal instead of listing them; exit 1 naming the first event altered.")
@refusals
def audit(db_path: Path, reference: str | None, as_json: bool, action: str, check: bool) -> None:
    """List the audit trail: who changed what, when, the old and new value, and why."""
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
            why = f"  because: {e['reason']}" if e["reason"] else ""
            click.echo(f"{e['at'][:19]}  {e['actor']:<24} {e['action']:<20} {e['target']}  {change}{why}")
    if not as_json:
        click.echo(words.count(len(events), "event", "events"))


@cli.command()
@DB_OPTION
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@refusals
def backup(db_path: Path, out: Path) -> None:
    """Copy the database while the app runs (one consistent VACUUM INTO), with applicants' files."""
    from selection import backup as backup_mod

    facts = backup_mod.backup(db_path, out)
    files = backup_mod.copy_attachments(db_path, out)
    click.echo(f"Wrote {out}: {words.count(facts['calls'], 'call', 'calls')}, "
               f"{words.count(facts['proposals'], 'proposal', 'proposals')}, {words.count(facts['scores'], 'score', 'scores')}"
               + (f"; files in {files}" if files else ""))
    click.echo(facts["trail"])


@cli.command()
@click.argument("backup_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@DB_OPTION
@refusals
def restore(backup_file: Path, db_path: Path) -> None:
    """Put a checked backup in place of the database (the current one is kept beside it)."""
    from selection import backup as backup_mod

    facts = backup_mod.restore(backup_file, db_path)
    click.echo(f"Restored {backup_file} into {db_path}: {words.count(facts['calls'], 'call', 'calls')}, "
               f"{words.count(facts['scores'], 'score', 'scores')}")
    if facts["kept"]:
        click.echo(f"The previous database is kept as {facts['kept']}")


@cli.command()
@DB_OPTION
@CALL_OPTION
@click.option("--dry-run", is_flag=True, help="List the reminders due today without sending or storing anything.")
@refusals
def remind(db_path: Path, reference: str | None, dry_run: bool) -> None:
    """Send the reminders due today (deadlines, reviews, acceptance, host agreement), each only once.

    Safe to run every day from cron: a reminder already sent (or kept with mail off) is not sent again.
    The command line acts as the secretariat, recorded in the audit trail as "secretariat:cli".
    """
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
            state = "already sent" if r["already"] else "due"
            click.echo(f"{state:<12} {r['kind']:<28} to {r['to_address'] or '(no address)'}: {r['subject']}")
        click.echo(f"{words.count(sum(not r['already'] for r in due), 'reminder', 'reminders')} to send, "
                   f"{sum(r['already'] for r in due)} already sent (dry run: nothing sent)")
        return
    cli_user = User(id=0, username="cli", display_name="Command line", role=Role.SECRETARIAT)
    kept = notices.send_reminders(db, user=cli_user, call_id=call["id"])
    for m in kept:
        state = "sent" if m["sent_at"] else (m["error"] or "not sent")
        click.echo(f"{m['kind']:<28} to {m['to_address'] or '(no address)'}: {m['subject']}  [{state}]")
    click.echo(f"{words.count(len(kept), 'reminder', 'reminders')} kept, {sum(1 for m in kept if m['sent_at'])} sent")


@cli.command()
@DB_OPTION
@CALL_OPTION
@click.option("--per-proposal", type=int, help="Members per proposal (default: the call's reviews needed + 1).")
@click.option("--max-load", type=int, help="Most proposals per member (default: the balanced share, rounded up).")
@click.option("--dry-run", is_flag=True, help="Show the proposed assignment without saving it.")
@click.option("--json", "as_json", is_flag=True, help="The plan as JSON.")
@refusals
def assign(db_path: Path, reference: str | None, per_proposal: int | None, max_load: int | None, dry_run: bool,
           as_json: bool) -> None:
    """Assign members to proposals by optimisation (conflicts kept out, loads balanced); fills only the gaps.

    Detected potential conflicts (affiliation, same country) are left out and listed.
    The command line acts as the secretariat, recorded in the audit trail as "secretariat:cli".
    """
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
    click.echo(f"{words.count(len(result.assignments), 'proposal', 'proposals')}, "
               f"{words.count(len(result.loads), 'member', 'members')}, "
               f"{words.count(result.per_proposal, 'member', 'members')} per proposal; loads {loads[0]} to {loads[-1]} (maximum {result.max_load})")
    who = {r: m.name for r, m in result.members.items()}
    entity = {a["proposal"]: a["entity"] for a in result.assignments}
    for d in result.detected:
        state = "already reviewing it" if d["assigned"] else "left out"
        click.echo(f"potential conflict ({state}): {who[d['reviewer']]} on {entity[d['proposal']]}: {d['reason']}")
    for s in result.short:
        click.echo(f"short: {s['entity']} lacks {words.count(s['missing'], 'member', 'members')}: {s['reason']}")
    for s in result.same_country:
        click.echo(f"two members of {s['country']} on {entity[s['proposal']]}: no other way within the rules")
    click.echo("dry run: nothing saved" if dry_run else f"{words.count(added, 'assignment', 'assignments')} saved")


@cli.command()
@DB_OPTION
@CALL_OPTION
@click.option("--record", "record_id", type=int, help="A given record (default: the latest).")
@refusals
def verify(db_path: Path, reference: str | None, record_id: int | None) -> None:
    """Check the frozen decision record: its SHA-256, its ranking, and what changed since."""
    from selection import record

    db = store.connect(db_path)
    result = record.verify(db, reference, record_id)
    click.echo(f"Decision record #{result.record_id} of {result.created_at}, SHA-256 {result.sha256}")
    click.echo("  hash: " + ("matches the stored snapshot" if result.hash_ok else "DOES NOT MATCH: the record was altered"))
    click.echo("  ranking recomputed from the snapshot: " + ("matches" if result.ranking_ok else "DIFFERS"))
    click.echo("  " + result.trail)
    if result.changes:
        click.echo(f"  {words.count(len(result.changes), 'change', 'changes')} in the database since the record:")
        for line in result.changes:
            click.echo(f"    {line}")
    else:
        click.echo("  no change in the database since the record")
    if result.corrections:
        click.echo(f"  {words.count(len(result.corrections), 'correction', 'corrections')} on record since:")
        for line in result.corrections:
            click.echo(f"    {line}")
    if not result.unchanged:
        raise SystemExit(1)


def main() -> None:
    try:
        cli(prog_name="python -m selection")
    except KeyboardInterrupt:
        sys.exit(130)
