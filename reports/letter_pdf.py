"""The letters as PDF: one document holding every letter (each on new pages, with a bookmark named
after its addressee and pages counted per letter), and the same letters one file each.

The separate files are cut from the combined document (``pypdf``), page for page, so the letter a
secretariat sends alone is exactly the one in the combined PDF.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

import pypdf
from pypdf.generic import NameObject, TextStringObject
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, SimpleDocTemplate

from reports import filenames, fonts
from reports.layout import MARGIN, MUTED, RULE, NumberedCanvas
from reports.wording import draw_runs
from selection import i18n
from selection.i18n import _

PAGE = A4


@dataclass(frozen=True)
class Addressee:
    """Who one letter goes to, as the PDF names it: its bookmark and file."""

    reference: str  # the letter's reference number, e.g. "SCBD/TSC/2027/7"
    title: str  # the entity's name: the bookmark
    stems: tuple[str | None, ...]  # candidates for the file name, best first (name, acronym)
    lang: str = i18n.DEFAULT  # the language the letter is written in


class LetterStart(Flowable):
    """Where a letter begins: nothing drawn, a bookmark and an outline entry made."""

    def __init__(self, index: int):
        super().__init__()
        self.index = index

    def wrap(self, availWidth, availHeight):
        return 0, 0

    def draw(self):
        pass


class LetterCanvas(NumberedCanvas):
    """Each page's footer names its letter and counts the letter's own pages ("Page 1 of 2")."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.starts: list[int] = []  # the page each letter begins on (one list shared by every page's state)
        self.footers: list[str] = []
        self.langs: list[str] = []  # each letter's language, for its page numbers

    def _letter(self, total: int) -> tuple[int, int, int]:
        """(letter index, page within it, its page count) of the current page."""
        page = self._pageNumber
        i = max((k for k, start in enumerate(self.starts) if start <= page), default=0)
        start = self.starts[i] if self.starts else 1
        end = self.starts[i + 1] if i + 1 < len(self.starts) else total + 1
        return i, page - start + 1, end - start

    def late(self) -> None:
        i, page, pages = self._letter(len(self._pages))
        self.saveState()
        self.setStrokeColor(RULE)
        self.setLineWidth(0.5)
        self.line(MARGIN, 14 * mm, PAGE[0] - MARGIN, 14 * mm)
        self.setFillColor(MUTED)
        if self.footers:
            draw_runs(self, MARGIN, 10 * mm, self.footers[i], 7.5)
        with i18n.use(self.langs[i] if self.langs else None):
            draw_runs(self, PAGE[0] - MARGIN, 10 * mm, _("Page {page} of {pages}", page=page, pages=pages), 7.5,
                      right=True)
        self.restoreState()

    def page_label(self, total: int) -> str:
        return ""  # drawn in :meth:`late`, in the letter's language and fonts


class _Doc(SimpleDocTemplate):
    def __init__(self, *args, addressees: list[Addressee], **kwargs):
        super().__init__(*args, **kwargs)
        self.addressees = addressees
        self.starts: list[int] = []

    def afterFlowable(self, flowable):
        if isinstance(flowable, LetterStart):
            who = self.addressees[flowable.index]
            key = f"letter-{flowable.index + 1}"
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(fonts.clean(who.title, 120), key, level=0)
            self.canv.starts.append(self.page)
            with i18n.use(who.lang):
                self.canv.footers.append(_("Decision letter {reference}", reference=who.reference))
            self.canv.langs.append(who.lang)
            self.starts.append(self.page)


def render(letters: list[list], addressees: list[Addressee], *, title: str, author: str,
           subject: str) -> tuple[bytes, list[int]]:
    """The combined PDF of ``letters`` (one story each) and the page each letter begins on."""
    fonts.register()
    story: list = []
    for i, letter in enumerate(letters):
        if i:
            story.append(PageBreak())
        story += [LetterStart(i), *letter]
    buf = io.BytesIO()
    inner = MARGIN + 4 * mm
    doc = _Doc(buf, addressees=addressees, pagesize=PAGE, leftMargin=inner, rightMargin=inner, topMargin=inner,
               bottomMargin=inner, title=fonts.clean(title, 1000), author=fonts.clean(author, 300),
               subject=fonts.clean(subject, 1000), creator="host-selection",
               lang=addressees[0].lang if len({who.lang for who in addressees}) == 1 else i18n.DEFAULT)
    doc.build(story, canvasmaker=LetterCanvas)
    return buf.getvalue(), doc.starts


def frame_width() -> float:
    """The width a letter's text gets on the page."""
    return PAGE[0] - 2 * (MARGIN + 4 * mm)


def split(pdf: bytes, starts: list[int], addressees: list[Addressee], *, author: str) -> list[bytes]:
    """One PDF per letter, its pages cut from the combined ``pdf``, with its own bookmark and title."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    ends = [*starts[1:], len(reader.pages) + 1]
    out = []
    for who, start, end in zip(addressees, starts, ends):
        writer = pypdf.PdfWriter()
        for index in range(start - 1, end - 1):
            writer.add_page(reader.pages[index])
        writer.add_outline_item(title=fonts.clean(who.title, 120), page_number=0)
        with i18n.use(who.lang):
            title = _("Decision letter {reference}", reference=who.reference)
        writer.add_metadata({"/Title": fonts.clean(title, 1000),
                             "/Author": fonts.clean(author, 300), "/Creator": "host-selection"})
        writer._root_object[NameObject("/Lang")] = TextStringObject(who.lang)
        buf = io.BytesIO()
        writer.write(buf)
        out.append(buf.getvalue())
    return out


def file_names(addressees: list[Addressee]) -> list[str]:
    """The file name of each letter, as the zip and ``--out-dir`` give it: numbered in the letters' order,
    then the entity."""
    width = len(str(len(addressees)))
    return filenames.unique([f"{i:0{width}d}-" + filenames.stem(*who.stems, fallback="letter")
                             for i, who in enumerate(addressees, start=1)], ".pdf")


def zipped(files: dict[str, bytes]) -> bytes:
    """The letters in one zip, a file each, by file name (see :func:`file_names`)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()
