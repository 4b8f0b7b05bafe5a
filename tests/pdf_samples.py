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


PDF = real_pdf()
# five magic bytes and nothing a reader can open
FAKE_PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
