"""Tables written for a spreadsheet: a zip of CSV files, or one workbook with a sheet per table.

Both carry the same tables, columns and rows. A table may say in ``frame.attrs`` how its columns
read: ``formats`` (column -> an Excel number format, such as ``"0.0"``) and ``wrap`` (columns of
long text, wrapped in the workbook). Dates are written "27 March 2027" in a CSV file and as real
dates in the workbook; a moment is written with its time in UTC.

Safe to open in a spreadsheet: CSV files are UTF-8 with a byte-order mark (so Excel reads every
script), and a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
gets a leading apostrophe, so no user text runs as a formula (OWASP's advice against CSV
injection); column headers too, since a criterion or slot name heads a column. In the workbook
such text is stored as a text cell, unchanged. Characters that XML cannot hold are dropped from
the workbook, and a cell is cut at Excel's 32,767 characters.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import unicodedata
import zipfile

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from reports.layout import long_date, num

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_CELL_LIMIT = 32_767
DATE_FORMAT = "d mmmm yyyy"
MOMENT_FORMAT = "d mmmm yyyy hh:mm"
MIN_WIDTH, MAX_WIDTH, HEADER_WIDTH = 8, 60, 24  # in widths of a digit, as Excel counts
LINE_HEIGHT = 15
ONE, TWO, PERCENT = "0.0", "0.00", '0.00"%"'
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


def rounded(values, places: int = 1) -> list:
    """Numbers rounded half up, as a reader rounds (None stays None)."""
    return [None if v is None or pd.isna(v) else float(num(v, places)) for v in values]


def percent(share, places: int = 2):
    """A share (0..1) as a percentage that never reads 100 or 0 when it is not quite."""
    if share is None or pd.isna(share):
        return None
    p, step = float(num(100 * float(share), places)), 10.0 ** -places
    if p >= 100 and share < 1:
        return 100 - step
    if p <= 0 < share:
        return step
    return p


def sheet(columns: dict, *, formats: dict[str, str] | None = None, wrap: tuple[str, ...] = ()) -> pd.DataFrame:
    """A table with how its columns read in the workbook (see :mod:`reports.sheets`)."""
    frame = pd.DataFrame(columns)
    frame.attrs = {"formats": formats or {}, "wrap": list(wrap)}
    return frame


def formats(frame: pd.DataFrame) -> dict[str, str]:
    return frame.attrs.get("formats", {})


def wrapped(frame: pd.DataFrame) -> list[str]:
    return frame.attrs.get("wrap", [])


def _moment_text(value: dt.datetime) -> str:
    value = value.astimezone(dt.UTC) if value.tzinfo else value
    return f"{long_date(value.date())} {value:%H:%M} UTC"


def _csv_cell(value):
    """A value as a CSV file shows it: dates in words, text made inert for a spreadsheet."""
    if isinstance(value, dt.datetime):
        return _moment_text(value)
    if isinstance(value, dt.date):
        return long_date(value)
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def to_csv_zip(frames: dict[str, pd.DataFrame]) -> bytes:
    """One CSV file per table (UTF-8 with BOM, comma-separated, header row), zipped."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, frame in frames.items():
            safe = frame.copy()
            safe.columns = [_csv_cell(str(c)) for c in safe.columns]
            for col in safe.columns:
                if safe[col].dtype == object or pd.api.types.is_string_dtype(safe[col]):
                    safe[col] = safe[col].map(_csv_cell)
            z.writestr(f"{name}.csv", safe.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig"))
    return buf.getvalue()


def _text(ws, value: str, style: Alignment | None = None):
    """A text cell: cleaned for XML, cut to Excel's limit, never a formula."""
    value = ILLEGAL_CHARACTERS_RE.sub("", value)[:XLSX_CELL_LIMIT]
    if value.startswith("=") or style is not None:
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"
        if style is not None:
            cell.alignment = style
        return cell
    return value


def _formatted(ws, value, number_format: str):
    cell = WriteOnlyCell(ws, value=value)
    cell.number_format = number_format
    return cell


def _column(ws, series: pd.Series, number_format: str | None, wrap: bool) -> list:
    """A column's values as the workbook stores them: None for a missing value, Python scalars,
    text cleaned, dates as dates (one pass per column, so large sheets stay quick)."""
    out = []
    for v in series.astype(object).tolist():
        if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
            out.append(None)
        elif isinstance(v, str):
            out.append(_text(ws, v, WRAP if wrap else None))
        elif isinstance(v, dt.datetime):
            naive = v.astimezone(dt.UTC).replace(tzinfo=None) if v.tzinfo else v
            out.append(_formatted(ws, naive, MOMENT_FORMAT))
        elif isinstance(v, dt.date):
            out.append(_formatted(ws, v, DATE_FORMAT))
        else:
            v = v.item() if isinstance(v, np.generic) else v
            out.append(_formatted(ws, v, number_format) if number_format else v)
    return out


def _shown(value) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    return long_date(value) if isinstance(value, dt.date) else str(value)


def _columns_of(line: str) -> int:
    """How many character widths a line takes: Chinese, Japanese and Korean characters take two."""
    if line.isascii():
        return len(line)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


def _width(header: str, series: pd.Series) -> float:
    """Wide enough for the longest value (its longest line), and for the header in a few lines."""
    longest = max(HEADER_WIDTH if len(header) > HEADER_WIDTH else len(header),
                  max((_columns_of(w) for w in header.split()), default=0))
    cap = MAX_WIDTH - 2
    for value in series.astype(object).tolist():
        if longest >= cap:
            break
        text = _shown(value)
        if 2 * len(text) > longest:
            longest = max(longest, *(_columns_of(line) for line in text.split("\n")))
    return float(max(MIN_WIDTH, min(longest, cap) + 2))


def _header_height(headers: list[str], widths: list[float]) -> float:
    """Tall enough for the longest header wrapped in its column's width (Excel does not fit it by itself)."""
    lines = max((math.ceil(len(h) / max(w - 2, 1)) for h, w in zip(headers, widths)), default=1)
    return LINE_HEIGHT * max(1, lines)


def to_xlsx(frames: dict[str, pd.DataFrame]) -> bytes:
    """One sheet per table: bold header row, frozen, with a filter; columns fitted to their text."""
    wb = Workbook(write_only=True)
    for name, frame in frames.items():
        ws = wb.create_sheet(name[:31])
        ws.freeze_panes = "A2"
        fmt, wrap = formats(frame), set(wrapped(frame))
        headers = [str(c) for c in frame.columns]
        widths = [_width(head, frame[col]) for head, col in zip(headers, frame.columns)]
        for i, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.row_dimensions[1].height = _header_height(headers, widths)
        if headers:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(frame) + 1}"
        head_row = []
        for head in headers:
            cell = WriteOnlyCell(ws, value=ILLEGAL_CHARACTERS_RE.sub("", head))
            cell.data_type, cell.font, cell.alignment = "s", BOLD, WRAP
            head_row.append(cell)
        ws.append(head_row)
        columns = [_column(ws, frame[c], fmt.get(c), c in wrap) for c in frame.columns]
        for row in zip(*columns):
            ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
