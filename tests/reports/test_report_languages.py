"""The assessment report in the six languages: the apparatus in each language's United Nations form, the
headings translated, no English sentence of the catalogues left, and nothing that bypasses them."""

from __future__ import annotations

import datetime as dt
import subprocess
import re
import string
import unicodedata

import pytest
from click.testing import CliRunner

from reports import assessment
from selection import catalogues, i18n, store, words
from selection.cli import cli
from tests.reports.conftest import advise, pdf_text, select, store_six
from tests.ui.language_pages import fallback_words, stored_text

ON = dt.date(2027, 4, 20)
DRAWS = 50
# What each language's report must say: its distribution, its title, "Original: English" and two headings.
APPARATUS = {
    "fr": ("Distr. restreinte", "Rapport d'évaluation", "Original : anglais", "I. Introduction", "II. Résumé",
           "Mesures que le Bureau est invité à prendre"),
    "es": ("Distr. reservada", "Informe de evaluación", "Original: inglés", "I. Introducción", "II. Resumen",
           "Medidas que se solicitan a la Mesa"),
    "ru": ("Распр.: ограниченное", "Доклад об оценке", "Язык оригинала: английский", "I. Введение", "II. Резюме",
           "Меры, которые предлагается принять Бюро"),
    "zh": ("限制分发", "评估报告", "原文：英语", "I. 导言", "II. 摘要", "请主席团采取的行动"),
    "ar": ("توزيع محدود", "تقرير التقييم", "الأصل: الإنجليزية", "مقدمة", "الملخص", "الإجراء المطلوب من المكتب"),
}
# Data the report quotes as typed, beyond what the pages show: members' names and reasons, notes, the advice.
REPORT_DATA = {"reviewers": ("name", "affiliation"), "conflicts": ("reason",), "scores": ("justification",),
               "consensus": ("note",), "bureau_advice": ("advice", "member"), "selections": ("rationale",)}
PSEUDO_RUN = re.compile(f"{i18n.PSEUDO_OPEN}[^{i18n.PSEUDO_OPEN}{i18n.PSEUDO_CLOSE}]*{i18n.PSEUDO_CLOSE}")
LATIN = re.compile(r"[A-Za-zÀ-ɏ]{2,}")


def _readable(text: str) -> str:
    """Extracted text as a reader reads it: bidi marks dropped, whitespace collapsed (``pdf_text`` has NFKC-normalised
    it: a full-width colon reads ':')."""
    return " ".join("".join(ch for ch in text if unicodedata.category(ch) != "Cf").split())


@pytest.fixture(scope="module")
def decided_db(tmp_path_factory):
    """The six-scripts call, advised on and decided for one slot, so that every part of the report is there."""
    from tests.conftest import BundleBuilder

    db = store.connect(tmp_path_factory.mktemp("languages") / "six.db")
    store_six(db, BundleBuilder)
    shortlist = assessment.reportdata.load(db, draws=DRAWS).ranking.slot("s1").shortlist
    advise(db, "s1", shortlist[0], "The first of the shortlist has the strongest networks.")
    select(db, "s1", shortlist[0], notified_on=str(ON))
    yield db
    db.conn.close()


@pytest.fixture(scope="module")
def reports(decided_db) -> dict[str, str]:
    return {lang: pdf_text(assessment.build(decided_db, generated_on=ON, draws=DRAWS, lang=lang))
            for lang in (*APPARATUS, i18n.PSEUDO)}


def _english_sentences() -> list[str]:
    """The report's own English words: each run of at least four words between placeholders of its messages."""
    runs = set()
    for key, where in catalogues.extracted().items():
        if not any(w.startswith("reports/") for w in where):
            continue
        for message in (key,) if isinstance(key, str) else key:
            for literal, *_rest in string.Formatter().parse(message):
                for piece in re.split(r"[;:.()—]", literal):
                    if len(re.findall(r"[A-Za-z]{2,}", piece)) >= 4:
                        runs.add(" ".join(piece.split()))
    return sorted(runs)


@pytest.mark.parametrize("lang", sorted(APPARATUS))
def test_the_report_carries_its_language_s_apparatus_and_headings(reports, lang):
    text = _readable(reports[lang])
    for words_ in APPARATUS[lang]:
        assert _readable(unicodedata.normalize("NFKC", words_)) in text, words_
    with i18n.use(lang):
        day = _readable(unicodedata.normalize("NFKC", words.date(ON)))  # the date in the language's long form
    assert day.split()[0] in text and all(w in text for w in day.split()), day  # Arabic extracts in another order
    assert "CBD/COP/15/12" in text


@pytest.mark.parametrize("lang", sorted(APPARATUS))
def test_no_english_sentence_of_the_catalogues_is_left(reports, lang):
    text = _readable(reports[lang])
    sentences = _english_sentences()
    assert len(sentences) > 100  # the check reads the report's messages, not nothing
    assert [s for s in sentences if s in text] == []


def test_the_english_report_still_holds_those_sentences(decided_db):
    """The check above can fail: the English report holds the sentences it looks for."""
    text = _readable(pdf_text(assessment.build(decided_db, generated_on=ON, draws=DRAWS)))
    found = [s for s in _english_sentences() if s in text]
    assert len(found) > 50


def test_every_word_of_the_report_comes_through_the_catalogues(reports, decided_db):
    """Built in the pseudo-language, whatever Latin text is left outside ⟦…⟧ is the call's own data."""
    data = stored_text(decided_db)
    for table, columns in REPORT_DATA.items():
        for row in decided_db.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall():
            data += [v.strip() for v in row if isinstance(v, str) and v.strip()]
    settings = assessment.report_queries.document_settings(decided_db, 1)
    data += [settings.original_language, "SHA-256", "CBD/COP/15/12", "Dirichlet"]
    plain = _readable(reports[i18n.PSEUDO])
    previous = None
    while previous != plain:
        previous, plain = plain, PSEUDO_RUN.sub(" ", plain)
    for piece in sorted({*data, *fallback_words()}, key=len, reverse=True):
        plain = plain.replace(" ".join(piece.split()), " ")
    left = sorted({m.group() for m in LATIN.finditer(plain)})
    assert left == [], plain[:3000]


def test_the_command_line_writes_the_report_in_the_language_asked(decided_db, tmp_path):
    out = tmp_path / "fr.pdf"
    path = decided_db.conn.execute("PRAGMA database_list").fetchone()[2]
    result = CliRunner().invoke(cli, ["report", "--db", path, "--out", str(out), "--draws", "20", "--lang", "fr"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    text = _readable(pdf_text(out.read_bytes()))
    assert "Rapport d'évaluation" in text and "Distr. restreinte" in text and "Distr.: Restricted" not in text


def test_an_arabic_contents_gives_each_page_number_at_the_left_in_full_size(decided_db, tmp_path):
    """Right to left an entry ends at the left: reportlab drew its number after the text's logical end, beyond the
    right margin and shrunk to nothing."""
    path = tmp_path / "ar.pdf"
    path.write_bytes(assessment.build(decided_db, generated_on=ON, draws=DRAWS, lang="ar"))
    page = subprocess.run(["pdftotext", "-f", "2", "-l", "2", "-bbox", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    boxes = [(float(x0), float(y0), float(y1)) for x0, y0, x1, y1, word in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(\d+)</word>', page)
        if float(x1) < 100]
    assert len(boxes) >= 8  # one per heading and annex, at the left edge
    assert all(y1 - y0 > 6 for _, y0, y1 in boxes)  # drawn at the contents' size, not shrunk to a point
