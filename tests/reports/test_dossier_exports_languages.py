"""The dossier and the spreadsheets in the reader's language (the page's, or the command line's): their own words
from the catalogues, what the applicants and the secretariat wrote as it is."""

from __future__ import annotations

import io
import subprocess

import openpyxl
import pypdf
import pytest

from reports import exports
from selection import i18n
from tests.reports.conftest import advise, select
from tests.reports import test_dossier
from tests.reports.test_dossier import _build, _text
from tests.ui.language_pages import stored_text, untranslated

DRAWS = 40
world, sent = test_dossier.world, test_dossier.sent  # the dossier's fixtures: a proposal with files, asked and answered


def _dossier(world, sent, lang: str) -> bytes:
    with i18n.use(lang):
        return _build(world, sent["member"], sent["pid"])


def test_a_dossier_built_in_french_has_french_headings(world, sent):
    data = _dossier(world, sent, "fr")
    reader = pypdf.PdfReader(io.BytesIO(data))
    titles = [o.title for o in reader.outline]
    assert titles[:2] == ["Profil", "Manifestation d'intérêt"] and "Éclaircissements" in titles
    assert "Fichiers joints" in titles and titles[-1] == "agreements.pdf"
    text = _text(data)
    for words in ("Dossier de la proposition", "Établi le 4 mars 2026 à l'intention des membres du groupe consultatif "
                  "informel et du Bureau.", "Dénomination légale", "Institut de recherche", "Soumise le 2 mars 2026",
                  "Statut : pas encore examinée", "Déclaration d'intérêt", "représente 25 % du total",
                  f"Page 1 sur {len(reader.pages)}",
                  "réponse attendue au plus tard le 20 mars 2026", "avec la proposition"):
        assert words in text, words
    assert "Profile" not in text and "Files appended" not in text
    assert reader.trailer["/Root"]["/Lang"] == "fr"
    assert reader.metadata.title.startswith("Dossier de la proposition — ")


def test_every_word_of_the_dossier_comes_through_the_catalogues(world, sent):
    files = [n for (n,) in world.db.execute("SELECT filename FROM attachments").fetchall()]
    appended = ["SUPPORT LETTER ONE", "SUPPORT LETTER TWO", "SUPPORT LETTER THREE", "STATUTES OF THE LAB",
                "AGREEMENT PAGE ONE", "AGREEMENT PAGE TWO"]
    data = [*(" ".join(t.split()) for t in stored_text(world.db)), *files, *appended, "agreements.pdf", "TSC-2026-01",
            "Secretariat of the Convention", "(a)", "(b)", "(c)", "(d)"]
    assert untranslated([_text(_dossier(world, sent, i18n.PSEUDO))], data) == []


def test_an_arabic_dossier_reads_right_to_left(world, sent, tmp_path):
    data = _dossier(world, sent, "ar")
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert [o.title for o in reader.outline][:2] == ["الملف التعريفي", "إبداء الاهتمام"]
    assert reader.trailer["/Root"]["/Lang"] == "ar"
    (tmp_path / "ar.pdf").write_bytes(data)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(tmp_path / "ar.pdf"),
                    str(tmp_path / "page")], check=True)
    assert list(tmp_path.glob("page*.png"))


@pytest.fixture
def decided(six_db):
    advise(six_db, "s1", "p1", "The Bureau prefers the first of the shortlist.")
    select(six_db, "s1", "p1", notified_on="2027-04-01")
    return six_db


def _workbook(db, lang: str) -> openpyxl.Workbook:
    with i18n.use(lang):
        return openpyxl.load_workbook(io.BytesIO(exports.build(db, fmt="xlsx", draws=DRAWS)))


def test_a_workbook_built_in_french_has_french_sheets_headers_and_words(decided):
    wb = _workbook(decided, "fr")
    assert wb.sheetnames == ["à propos", "classements", "notes", "consensus", "centres", "robustesse",
                             "points de bascule", "dispersion", "indulgence", "décision"]
    heads = [c.value for c in wb["classements"][1]]
    assert heads[:7] == ["Centre", "Rang", "Entité", "Sigle", "Pays", "Examen de recevabilité", "Total (0–100)"]
    values = {c.value for row in wb["classements"].iter_rows(min_row=2) for c in row}
    assert {"oui", "non", "recevable"} <= values
    about = [r[0].value for r in wb["à propos"].iter_rows(min_row=2)]
    assert about[:4] == ["Appel", "Titre", "Établi par", "Exporté le (UTC)"]
    steps = {r[2].value for r in wb["décision"].iter_rows(min_row=2)}
    assert steps == {"Avis du Bureau", "Sélection"}


def test_the_english_workbook_is_as_it_was(decided):
    wb = _workbook(decided, "en")
    assert wb.sheetnames[:3] == ["about", "rankings", "scores"]
    assert [c.value for c in wb["rankings"][1]][:3] == ["Slot", "Rank", "Entity"]


def test_every_word_of_the_spreadsheets_comes_through_the_catalogues(decided):
    with i18n.use(i18n.PSEUDO):
        frames = exports.tables(decided, draws=DRAWS)
    typed = [t for sql in ("SELECT name FROM reviewers", "SELECT justification FROM scores",
                           "SELECT note FROM consensus") for (t,) in decided.execute(sql).fetchall() if t]
    data = [*stored_text(decided), *typed, "Bureau Member", "Secretariat of the Convention",
            "The Bureau prefers the first of the shortlist.", "First of the shortlist, on the Bureau's advice."]
    words = [*frames, *(str(c) for f in frames.values() for c in f.columns),
             *(v for f in frames.values() for col in f.columns for v in f[col] if isinstance(v, str))]
    assert untranslated(words, data) == []
