"""A real one-page PDF for the tests that attach files (a PDF reader can open it, not only its magic bytes)."""

from __future__ import annotations

import io

from reportlab.pdfgen import canvas


def one_page_pdf(text: str = "Letter of support") -> bytes:
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 720, text)
    page.save()
    return out.getvalue()
