"""``python -m selection`` speaks the reader's language: chosen with ``--lang``, else the shell's locale, else English;
every message it writes for a person comes from the catalogues."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from selection import i18n, store
from selection.cli import cli, environment_language
from tests.ui.language_pages import stored_text, untranslated

REPO = Path(__file__).resolve().parents[2]
NO_LOCALE = {"LC_ALL": None, "LC_MESSAGES": None, "LANG": None}


def run(*args, env: dict | None = None):
    result = CliRunner().invoke(cli, [str(a) for a in args], env={**NO_LOCALE, **(env or {})},
                                catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def loaded(db_path, example_path):
    assert run("load", example_path, "--db", db_path).exit_code == 0
    return db_path


def test_the_shell_s_locale_sets_the_language_of_a_command(db_path, example_path):
    env = {k: v for k, v in os.environ.items() if k not in NO_LOCALE} | {"LANG": "fr_FR.UTF-8"}
    out = subprocess.run([sys.executable, "-m", "selection", "load", str(example_path), "--db", str(db_path)],
                         cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == (f"TSC-HOST-2026-01 chargé : 2 centres, 6 propositions, 4 évaluateurs, 91 notes "
                                  f"dans {db_path}")


def test_lang_chooses_the_language_over_the_shell_s(loaded):
    result = run("--lang", "fr", "rank", "--db", loaded, env={"LANG": "ru_RU.UTF-8"})
    assert result.exit_code == 0
    assert "Liste restreinte : " in result.output and "Rang" in result.output and "Shortlist" not in result.output
    assert i18n.language() == i18n.DEFAULT  # the next command, or test, starts in English again


def test_help_comes_in_the_language_chosen():
    help_text = " ".join(run("--lang", "fr", "load", "--help").output.split())
    assert "Charger le lot d'un appel (JSON) ; un lot non valide est refusé en entier." in help_text
    assert "Remplacer un appel portant la même référence." in help_text
    listing = run("--help", env={"LANG": "es_ES.UTF-8"}).output
    assert "Elegir las entidades anfitrionas" in listing and "Clasificar cada centro" in listing
    assert "Rank every slot" in run("--help").output  # and English as it was


def test_the_locale_is_read_as_posix_reads_it(monkeypatch):
    for name in NO_LOCALE:
        monkeypatch.delenv(name, raising=False)
    assert environment_language() == "en"
    monkeypatch.setenv("LANG", "es_ES.UTF-8")
    assert environment_language() == "es"
    monkeypatch.setenv("LC_MESSAGES", "zh_CN.UTF-8")
    assert environment_language() == "zh"
    monkeypatch.setenv("LC_ALL", "C.UTF-8")  # LC_ALL wins, and "C" is English
    assert environment_language() == "en"


def test_a_refusal_comes_in_arabic(loaded, tmp_path):
    result = run("--lang", "ar", "export", "--db", loaded, "--format", "xlsx")
    assert result.exit_code == 2
    assert result.output.startswith("خطأ: يلزم الخيار")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"call": {}}), encoding="utf-8")
    result = run("load", bad, "--db", tmp_path / "other.db", env={"LC_ALL": "ar_EG.UTF-8"})
    assert result.exit_code == 2 and result.output.startswith("الحزمة غير صالحة؛ لم يُخزَّن أي شيء:")


def test_counts_take_each_language_s_plural_forms(loaded, tmp_path):
    out = tmp_path / "copy.db"
    result = run("--lang", "ru", "backup", "--db", loaded, "--out", out)
    assert result.exit_code == 0
    assert "1 призыв, 6 предложений, 91 балл" in result.output
    assert "Журнал аудита не нарушен" in result.output


def test_the_workbook_follows_the_command_s_language_and_csv_files_stay_as_they_are(loaded, tmp_path):
    assert run("--lang", "fr", "export", "--db", loaded, "--format", "xlsx", "--out", tmp_path / "t.xlsx",
               "--draws", "20").output.strip() == f"Fichier écrit : {tmp_path / 't.xlsx'}"
    wb = openpyxl.load_workbook(tmp_path / "t.xlsx")
    assert wb.sheetnames[:2] == ["à propos", "classements"] and wb["classements"]["A1"].value == "Centre"
    run("--lang", "fr", "export", "--db", loaded, "--format", "csv", "--out", tmp_path / "t.zip", "--draws", "20")
    with zipfile.ZipFile(tmp_path / "t.zip") as z:
        assert "rankings.csv" in z.namelist()
        assert z.read("rankings.csv").decode("utf-8-sig").startswith("Slot,Rank,Entity")


def test_english_stays_as_it_was(loaded, tmp_path):
    assert run("audit", "--verify", "--db", loaded).output.startswith("The audit trail is intact: ")
    result = run("export", "--db", loaded, "--format", "csv")
    assert result.output.strip() == "Error: --out FILE is needed for --format csv (a binary file)"


def _data(db_path: Path, tmp_path: Path) -> list[str]:
    """What the commands print as it is stored or typed: the call's texts, ids, names, paths and option names."""
    db = store.connect(db_path)
    try:
        ids = [str(v) for table in ("proposals", "reviewers", "slots", "criteria") for (v,) in
               db.execute(f"SELECT id FROM {table}").fetchall()]
        names = [n for (n,) in db.execute("SELECT name FROM reviewers").fetchall()]
        texts = stored_text(db)
    finally:
        db.conn.close()
    options = ["--out-dir DIR", "--out FILE", "--zip FILE", "--format", "--out", "xlsx", "csv", "SHA-256",
               "Kendall", "streamlit run streamlit_app.py", "SMTP"]
    return [str(tmp_path), *texts, *names, *ids, *options]


def test_every_message_of_the_commands_comes_through_the_catalogues(loaded, tmp_path):
    pseudo = {"LANG": i18n.PSEUDO}
    outputs = [run(*args, env=pseudo).output for args in (
        ("load", REPO / "tests" / "data" / "bundle-example.json", "--db", tmp_path / "again.db"),
        ("rank", "--db", loaded), ("analyse", "--db", loaded, "--draws", "50"),
        ("export", "--db", loaded, "--format", "csv"), ("letters", "--db", loaded),
        ("backup", "--db", loaded, "--out", tmp_path / "copy.db"),
        ("restore", tmp_path / "copy.db", "--db", tmp_path / "restored.db"),
        ("audit", "--verify", "--db", loaded), ("remind", "--dry-run", "--db", loaded),
        ("assign", "--dry-run", "--db", loaded), ("demo", "--db", tmp_path / "demo.db"))]
    lines = [line for text in outputs for line in text.splitlines() if line.strip()]
    assert len(lines) > 40
    demo = ["TSC-HOST-DEMO-2027", "demo-password", "secretariat", "bureau", "member1", "applicant"]  # its accounts
    assert untranslated(lines, [*_data(loaded, tmp_path), *demo]) == []


def test_every_help_text_comes_through_the_catalogues():
    """Click's own words (Usage, Options, default) and the commands' and options' names are its, not ours."""
    pseudo = {"LANG": i18n.PSEUDO}
    shown = [run(*args, "--help", env=pseudo).output for args in ((), *((c,) for c in cli.commands))]
    texts = [" ".join(text.split("Commands:")[0].split()) for text in shown]  # each command's own help, untruncated
    click_words = ["Usage: cli", "[OPTIONS]", "COMMAND [ARGS]...", "Options:", "Commands:",
                   "Show this message and exit.", "[default:", "data/selection.db", "INTEGER RANGE", "INTEGER",
                   "TEXT", "FILE", "BACKUP_FILE", "DIRECTORY", "[bundle|csv|xlsx]", "[ar|en|es|fr|ru|zh]",
                   "[%Y-%m-%d]", "[required]", "x>=1", "default: bundle"]
    options = [o for c in (cli, *cli.commands.values()) for p in c.params for o in p.opts]
    data = [*click_words, *sorted(cli.commands), "--help", *options]
    assert untranslated(texts, data) == []
