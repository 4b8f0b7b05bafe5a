"""Appending stored PDFs to a document made here, with bookmarks, so that one damaged file costs only itself.

Every file is first copied on its own (read, every page written again); a file
that cannot be read or written so is left out, and the caller says so in the
document. Only copies known to write are merged, so the merge itself cannot
fail half-way on a file an applicant sent.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, TextStringObject

from selection import files


@dataclass(frozen=True)
class Readable:
    """A file's pages, re-written into a PDF known to merge."""

    data: bytes
    pages: int


def readable(data: bytes) -> Readable | None:
    """A clean copy of ``data`` with its page count, or None when a PDF reader cannot take it in whole."""
    if files.pdf_problem(data) is not None:
        return None
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        writer = PdfWriter()
        writer.append(reader, import_outline=False)
        out = io.BytesIO()
        writer.write(out)
        copy = out.getvalue()
        return Readable(copy, len(PdfReader(io.BytesIO(copy)).pages))
    except Exception:  # noqa: BLE001 - whatever breaks in a file the applicant sent, the file is left out
        return None


def page_count(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


def merge(main: bytes, marks: list[tuple[str, int]], appended: list[tuple[str, Readable]], *, title: str,
          author: str, subject: str, lang: str) -> bytes:
    """``main`` followed by each appended file; one top-level bookmark per mark (title, 0-based page of
    ``main``) and per appended file (at its first page), in document order; the metadata set on the whole."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(main)))
    for text, page in marks:
        writer.add_outline_item(title=text, page_number=page)
    for name, part in appended:
        first = len(writer.pages)
        writer.append(PdfReader(io.BytesIO(part.data)), import_outline=False)
        writer.add_outline_item(title=name, page_number=first)
    writer.add_metadata({"/Title": title, "/Author": author, "/Subject": subject, "/Creator": "host-selection"})
    writer._root_object[NameObject("/Lang")] = TextStringObject(lang)
    writer.page_mode = "/UseOutlines"
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
