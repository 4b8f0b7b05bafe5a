"""Small files for the upload tests: a PDF a reader opens, and ones that only look like PDFs."""

from __future__ import annotations

import io

from pypdf import PdfWriter


def real_pdf(pages: int = 1) -> bytes:
    """A PDF that a PDF reader opens: ``pages`` blank A4 pages."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_of_size(size: int) -> bytes:
    """A PDF of exactly ``size`` bytes that a reader opens at once: one page whose content stream is padding."""
    from pypdf.generic import DecodedStreamObject, NameObject

    def build(padding: int) -> bytes:
        writer = PdfWriter()
        page = writer.add_blank_page(width=595, height=842)
        stream = DecodedStreamObject()
        stream.set_data(b" " * padding)
        page[NameObject("/Contents")] = writer._add_object(stream)
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()

    guess = size - 1000
    data = build(guess + size - len(build(guess)))
    assert len(data) == size, (len(data), size)
    return data


PDF = real_pdf()
# five magic bytes and nothing a reader can open
FAKE_PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
