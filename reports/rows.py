"""Long tables laid out once: the hundreds of rows of a large call's tables, split page by page
in time proportional to the page.

reportlab's ``Table`` gives every cell its own style, applies each style command cell by cell,
and on a page break builds the rest of the table again (its rows, its styles, every command),
so a table of n rows costs about n² / rows-per-page: at 6,000 proposals the report never
finished. :class:`LongTable` takes the same rows, widths and style commands, resolves the
cells' styles once (one shared style per distinct combination), measures each row once, and
on a page break cuts the page's rows off as a small ``layout.Table`` with the header rows
repeated. What is drawn is what reportlab's own split would draw: the same cells, heights,
rules and fills at the same places.
"""

from __future__ import annotations

import bisect
import itertools

from reportlab.platypus import Flowable
from reportlab.platypus.tables import CellStyle, _setCellStyle

from reports.layout import Table

CELL_OPS = {"FONT", "FONTNAME", "FACE", "SIZE", "FONTSIZE", "LEADING", "TEXTCOLOR", "ALIGN", "ALIGNMENT", "VALIGN",
            "LEFTPADDING", "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING"}
DRAWN_OPS = {"BACKGROUND", "LINEABOVE", "LINEBELOW", "LINEBEFORE", "LINEAFTER"}
TRANSIENT = {"_postponed", "canv", "_frame"}  # what a frame or the document sets on the flowable it lays out
NARROW = 4  # rows: a command over fewer rows is indexed by row, the others are checked for every row


class LongTable(Flowable):
    """A table of ``rows`` (strings, or flowables such as ``layout.TextCell``) with ``repeat``
    header rows drawn again on every page, styled by ``commands`` as a ``TableStyle`` is (cell
    styles, backgrounds and rules; no spans)."""

    def __init__(self, rows: list[list], widths: list[float], commands: list[tuple], *, repeat: int = 1,
                 align: str = "LEFT"):
        super().__init__()
        self.rows, self.widths, self.repeat, self.hAlign = rows, list(widths), repeat, align
        self.width = sum(self.widths)
        count = len(rows)
        cell_cmds, self.drawn = [], []
        for order, cmd in enumerate(commands):
            op, (sc, sr), (ec, er) = cmd[0], cmd[1], cmd[2]
            sr, er = (sr + count if sr < 0 else sr), (er + count if er < 0 else er)
            if op in CELL_OPS:
                cell_cmds.append((order, op, sc, sr, ec, er, cmd[3:]))
            elif op in DRAWN_OPS:
                self.drawn.append((order, op, sc, sr, ec, er, cmd[3:]))
            else:
                raise ValueError(f"LongTable does not take the {op} command")
        self.styles = _resolve(cell_cmds, count, len(self.widths))
        self.heights = [_height(row, styles, self.widths) for row, styles in zip(rows, self.styles)]
        self.ends = list(itertools.accumulate(self.heights))  # bottom of each row from the table's top
        self.head = self.ends[repeat - 1] if repeat else 0.0
        self.by_row: dict[int, list[tuple]] = {}
        self.wide: list[tuple] = []
        for c in self.drawn:
            if c[5] - c[3] < NARROW:
                for r in range(c[3], c[5] + 1):
                    self.by_row.setdefault(r, []).append(c)
            else:
                self.wide.append(c)
        self.start = repeat  # the first body row still to lay out

    def _rest(self, start: int) -> LongTable:
        rest = object.__new__(LongTable)
        rest.__dict__.update((k, v) for k, v in self.__dict__.items() if k not in TRANSIENT)
        rest.start = start
        return rest

    def _body_height(self, start: int, end: int) -> float:
        return self.ends[end - 1] - (self.ends[start - 1] if start else 0.0)

    def wrap(self, availWidth, availHeight):
        self.height = self.head + self._body_height(self.start, len(self.rows))
        return self.width, self.height

    def split(self, availWidth, availHeight):
        """The rows that fit under the header (none if not one does), then the rest."""
        done = self.ends[self.start - 1] if self.start else 0.0
        end = bisect.bisect_right(self.ends, done + availHeight - self.head, lo=self.start)
        if end <= self.start:
            return []
        if end >= len(self.rows):
            return [self._chunk(self.start, len(self.rows))]
        return [self._chunk(self.start, end), self._rest(end)]

    def drawOn(self, canvas, x, y, _sW=0):
        """The rows left, as one reportlab table drawn in this flowable's place."""
        chunk = self._chunk(self.start, len(self.rows))
        chunk.wrapOn(canvas, self.width, self.height)
        chunk.drawOn(canvas, x, y, _sW)

    def _chunk(self, start: int, end: int) -> Table:
        """Header rows and rows start..end-1 as a reportlab table, with its rules and fills."""
        keep = list(range(self.repeat)) + list(range(start, end))
        table = Table([self.rows[r] for r in keep], colWidths=self.widths,
                      rowHeights=[self.heights[r] for r in keep], repeatRows=self.repeat, normalizedData=1,
                      cellStyles=[self.styles[r] for r in keep], hAlign=self.hAlign)
        near = {id(c): c for r in [*range(self.repeat), *range(start - 1, end + 1)] for c in self.by_row.get(r, ())}
        first, last = start == self.repeat, end == len(self.rows)
        for order, op, sc, sr, ec, er, args in sorted([*self.wide, *near.values()], key=lambda c: c[0]):
            # what reportlab adds at a page break: a rule below the last row of a page is drawn
            # again above the first row of the next, and one above that row below the last
            if not first and op == "LINEBELOW" and sr < start <= er + 1:
                table._addCommand(("LINEABOVE", (sc, self.repeat), (ec, self.repeat), *args))
            if not last and op == "LINEABOVE" and sr <= end <= er:
                table._addCommand(("LINEBELOW", (sc, end - 1 - start + self.repeat),
                                   (ec, end - 1 - start + self.repeat), *args))
            parts = [(sr, min(er, end - 1))] if first else [(sr, min(er, self.repeat - 1)),
                                                             (max(sr, start), min(er, end - 1))]
            for lo, hi in parts:
                if lo > hi:
                    continue
                if lo >= self.repeat:
                    lo, hi = lo - start + self.repeat, hi - start + self.repeat
                table._addCommand((op, (sc, lo), (ec, hi), *args))
        return table


def _resolve(commands: list[tuple], count: int, columns: int) -> list[list[CellStyle]]:
    """Each cell's style, as the commands set it in order; cells set by the same commands share one.
    The wide commands change only at their ends, so rows between two ends share them."""
    wide = [c for c in commands if c[5] - c[3] >= NARROW]
    by_row: dict[int, list[tuple]] = {}
    for c in commands:
        if c[5] - c[3] < NARROW:
            for r in range(c[3], c[5] + 1):
                by_row.setdefault(r, []).append(c)
    made: dict[tuple, list[CellStyle]] = {}
    out = []
    ends = sorted({0, count, *(c[3] for c in wide), *(c[5] + 1 for c in wide)})
    for lo, hi in zip(ends, ends[1:]):
        shared = [c for c in wide if c[3] <= lo <= c[5]]
        for r in range(max(lo, 0), min(hi, count)):
            own = by_row.get(r)
            cmds = sorted(shared + own, key=lambda c: c[0]) if own else shared
            key = tuple(c[0] for c in cmds)
            if key not in made:
                grid = [[CellStyle(f"({r},{j})") for j in range(columns)]]
                for _, op, sc, _, ec, _, args in cmds:
                    for j in range(sc + columns if sc < 0 else sc, (ec + columns if ec < 0 else ec) + 1):
                        _setCellStyle(grid, 0, j, op, args)
                made[key] = grid[0]
            out.append(made[key])
    return out


def _height(row: list, styles: list[CellStyle], widths: list[float]) -> float:
    """The row's height as reportlab's table measures it: its tallest cell with its padding."""
    tallest = 0.0
    for value, s, w in zip(row, styles, widths):
        if isinstance(value, Flowable):
            h = value.wrap(w - s.leftPadding - s.rightPadding, 72000 - s.topPadding - s.bottomPadding)[1]
        else:
            h = (s.leading or 1.2 * s.fontsize) * len(str(value).split("\n"))
        tallest = max(tallest, h + s.bottomPadding + s.topPadding)
    return tallest
