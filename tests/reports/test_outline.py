"""The PDF outline of the documents: each bookmark opens the page its part starts on."""

from __future__ import annotations

import io

import pypdf

from reports import assessment


def test_the_report_bookmarks_open_their_own_pages(six_db):
    reader = pypdf.PdfReader(io.BytesIO(assessment.build(six_db, draws=50)))
    tops = [item for item in reader.outline if not isinstance(item, list)]
    pages = [reader.get_destination_page_number(item) for item in tops]
    assert pages == sorted(pages) and pages[-1] > pages[0] > 0  # not all on the cover, in reading order
    for item, page in zip(tops, pages):
        words = item.title.split(" — ")[0]
        assert words in reader.pages[page].extract_text(), item.title
