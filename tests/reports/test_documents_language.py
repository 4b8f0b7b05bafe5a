"""Letters and evaluation summaries in their recipient's language: French, Arabic and Chinese text as
pdftotext extracts it, dates in each language's form, no English sentence left, each letter of a combined
PDF in its own recipient's language, and Arabic paragraphs set flush right."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import unicodedata
from collections import Counter

import pypdf
import pytest
from click.testing import CliRunner

from reports import letters, summaries
from selection import accounts
from selection.cli import cli
from tests.reports.conftest import NAMES, select

ON = dt.date(2027, 6, 2)
# English sentences of a letter and a summary: none may survive in another language's document
ENGLISH = ("Dear Sir or Madam", "Our reference", "Subject:", "Yours sincerely", "reserve list", "ranked",
           "Evaluation summary", "Scores per criterion", "Comments of the advisory group", "Page 1 of", "June")
# per language: phrases of the letter to the selected entity, of the summary, and the letter's date
EXPECTED = {
    "fr": {"letter": ("Madame, Monsieur,", "Notre référence :", "a été sélectionnée pour accueillir",
                      "accord d'accueil", "Page 1 sur"),
           "summary": ("Résumé d'évaluation", "Notes par critère", "Observations du groupe consultatif"),
           "date": "2 juin 2027"},
    "ar": {"letter": ("السيدات والسادة الأفاضل", "المرجع", "اتفاق الاستضافة"),
           "summary": ("ملخص التقييم", "الدرجات حسب المعيار"),
           "date": "يونيو"},
    "zh": {"letter": ("尊敬的女士/先生：", "编号：", "东道方协议", "第1页，共1页"),
           "summary": ("评估摘要", "各标准评分", "咨询小组的意见"),
           "date": "2027年6月2日"},
}


def pdftotext(data: bytes, *args: str) -> str:
    out = subprocess.run(["pdftotext", *args, "-enc", "UTF-8", "-", "-"], input=data, capture_output=True,
                         check=True).stdout.decode("utf-8")
    return unicodedata.normalize("NFKC", " ".join(out.split()))


def speaks(db, entity_id: str, lang: str) -> None:
    db.execute("UPDATE entities SET language = ? WHERE id = ?", [lang, entity_id])
    db.conn.commit()


def letter_of(pdf: bytes, pid: str) -> str:
    """The text of the one letter addressed to the proposal's entity (its pages, by the bookmark)."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    starts = [reader.get_destination_page_number(o) for o in reader.outline] + [len(reader.pages)]
    titles = [o.title for o in reader.outline]
    i = titles.index(NAMES[pid])
    writer = pypdf.PdfWriter()
    for n in range(starts[i], starts[i + 1]):
        writer.add_page(reader.pages[n])
    buf = io.BytesIO()
    writer.write(buf)
    return pdftotext(buf.getvalue())


@pytest.mark.parametrize("lang", sorted(EXPECTED))
def test_letter_and_summary_in_the_entitys_language(six_db, lang):
    speaks(six_db, "e-p1", lang)
    select(six_db, "s1", "p1", notified_on="2027-06-02")
    expected = EXPECTED[lang]
    pdf = letters.build(six_db, letter_date=ON)
    letter, other = letter_of(pdf, "p1"), letter_of(pdf, "p2")
    summary = pdftotext(summaries.build_one(six_db, None, "p1"))
    for phrase in expected["letter"]:
        assert unicodedata.normalize("NFKC", phrase) in letter, phrase
    for phrase in expected["summary"]:
        assert unicodedata.normalize("NFKC", phrase) in summary, phrase
    assert expected["date"] in letter and expected["date"] not in other and "2 June 2027" in other
    for english in ENGLISH:
        assert english not in letter, english
        assert english not in summary, english
    assert NAMES["p1"] in letter and NAMES["p1"] in summary  # the names stay as typed


def test_a_summary_is_built_in_the_language_asked_for(six_db):
    speaks(six_db, "e-p1", "fr")
    text = pdftotext(summaries.build_one(six_db, None, "p1", lang="zh"))
    assert "评估摘要" in text and "Résumé d'évaluation" not in text


def test_the_account_language_writes_one_letter_in_spanish_beside_one_in_english(six_db):
    applicant = accounts.register_applicant(six_db, username="nandu", display_name="Ñandú",
                                            password="a long enough password")
    accounts.set_language(six_db, user=applicant, language="es")
    six_db.execute("UPDATE entities SET account_id = ? WHERE id = 'e-p1'", [applicant.id])
    six_db.conn.commit()
    select(six_db, "s1", "p1", notified_on="2027-05-20")
    pdf = letters.build(six_db, letter_date=ON)
    spanish, english = letter_of(pdf, "p1"), letter_of(pdf, "p2")
    assert "Señora, señor:" in spanish and "ha sido seleccionada para acoger el mecanismo «Slot s1»" in spanish
    assert "a más tardar el 20 de junio de 2027" in spanish and "Dear Sir or Madam" not in spanish
    assert "Dear Sir or Madam," in english and "Your proposal is on the reserve list" in english
    assert "Señora" not in english
    forced = letter_of(letters.build(six_db, letter_date=ON, lang="fr"), "p2")  # --lang: one language for all
    assert "Madame, Monsieur," in forced and "liste de réserve" in forced


def line_boxes(pdf: bytes) -> list[tuple[float, float, str]]:
    """(x min, x max, text) of each line of the first page, from pdftotext's bounding boxes."""
    html = subprocess.run(["pdftotext", "-bbox-layout", "-f", "1", "-l", "1", "-", "-"], input=pdf,
                          capture_output=True, check=True).stdout.decode("utf-8")
    out = []
    for m in re.finditer(r'<line xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">(.*?)</line>', html,
                         re.S):
        words = " ".join(re.findall(r">([^<]*)</word>", m.group(3)))
        out.append((float(m.group(1)), float(m.group(2)), unicodedata.normalize("NFKC", words)))
    return out


def test_an_arabic_letter_is_set_right_to_left(six_db):
    speaks(six_db, "e-p1", "ar")
    select(six_db, "s1", "p1", notified_on="2027-06-02")
    pdf = letters.build(six_db, letter_date=ON)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    writer = pypdf.PdfWriter()
    writer.add_page(reader.pages[0])  # p1's letter comes first: it is the selected one
    buf = io.BytesIO()
    writer.write(buf)
    lines = line_boxes(buf.getvalue())
    width = float(reader.pages[0].mediabox.width)
    arabic = [(x0, x1) for x0, x1, text in lines if any(unicodedata.bidirectional(c) == "AL" for c in text)]
    assert len(arabic) >= 8
    edge = Counter(round(x1) for _, x1 in arabic).most_common(1)[0][0]
    assert edge > 0.85 * width  # the common edge is the right margin
    flush_right = [x1 for _, x1 in arabic if abs(x1 - edge) < 2]
    assert len(flush_right) >= 0.75 * len(arabic)  # the paragraphs, the address block and the signature
    assert sum(1 for x0, x1 in arabic if x0 > width / 2) >= 5  # short lines (address, signature) on the right


def test_the_commands_write_every_document_in_the_language_asked_for(six_db, db_path, tmp_path):
    select(six_db, "s1", "p1", notified_on="2027-05-20")
    out = tmp_path / "summaries"
    done = CliRunner().invoke(cli, ["summaries", "--db", str(db_path), "--out", str(out), "--lang", "ru"])
    assert done.exit_code == 0, done.output
    assert "Резюме оценки" in pdftotext((out / "Institut-sahelien-Nandu.pdf").read_bytes())
    letters_pdf = tmp_path / "letters.pdf"
    done = CliRunner().invoke(cli, ["letters", "--db", str(db_path), "--out", str(letters_pdf), "--lang", "es",
                                    "--date", "2027-06-02"])
    assert done.exit_code == 0, done.output
    text = pdftotext(letters_pdf.read_bytes())
    assert text.count("Señora, señor:") == len(NAMES) and "Dear Sir or Madam" not in text
    refused = CliRunner().invoke(cli, ["letters", "--db", str(db_path), "--out", str(letters_pdf), "--lang", "de"])
    assert refused.exit_code != 0 and "de" in refused.output
