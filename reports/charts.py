"""Charts for the reports, drawn with reportlab.graphics (vector, embedded in the PDF).

Labels that hold user text (entity names) are drawn run by run, each run in
the registered font that has its glyphs (``fonts.runs``): Arabic shaped and
right-to-left, Chinese in the CJK font, Latin and Cyrillic in DejaVu Sans.
reportlab's own Legend draws a whole label in one font, so the legend here is
drawn by hand.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase import pdfmetrics

from reports import fonts
from selection.i18n import _

# Okabe & Ito's palette: told apart with the common colour-vision deficiencies, and in grey print.
PALETTE = [colors.HexColor(h) for h in (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999999", "#000000",
)]
MAX_SERIES = len(PALETTE)
INK = colors.HexColor("#1F2933")
MUTED = colors.HexColor("#52606D")
GRID = colors.HexColor("#D9E2EC")
THRESHOLD = colors.HexColor("#B0413E")

LEGEND_SIZE = 7.5
LEGEND_ROW = 11


def text_runs(x: float, y: float, text: object | Sequence[object], size: float, *, fill=INK, bold: bool = False,
              max_width: float | None = None) -> list[String]:
    """Strings that draw ``text`` from (x, y), left aligned, any script, cut to ``max_width``.

    ``text`` may be a sequence of pieces, each ordered on its own and drawn left to right
    after the one before ("1. ", an Arabic name, " (ACR)"): the number stays on the left
    and the acronym after the name, as in the report's tables.
    """
    pieces = [text] if isinstance(text, str) or not isinstance(text, Sequence) else list(text)
    out = []
    end = None if max_width is None else x + max_width
    for piece in pieces:
        if end is not None:
            room = end - x
            if room < size:
                break
            piece = fonts.fit(piece, room, size, bold)
        for font, chunk in fonts.runs(piece, bold):
            out.append(String(x, y, chunk, fontName=font, fontSize=size, fillColor=fill))
            x += pdfmetrics.stringWidth(chunk, font, size)
    return out


def _step(span: float) -> float:
    """A tick step giving at most 10 intervals on the value axis."""
    for step in (0.5, 1, 2, 2.5, 5, 10, 20, 25, 50, 100):
        if span / step <= 6 or (step == 0.5 and span <= 3):
            return step
    return span / 5


def criterion_bars(
    series: Sequence[tuple[str | Sequence[str], Sequence[float]]],
    categories: Sequence[str],
    *,
    scale: tuple[float, float],
    thresholds: Sequence[float | None] = (),
    width: float = 480,
    height: float = 150,
) -> Drawing:
    """A grouped bar chart: one group per criterion, one bar per entity, with a legend below.

    ``series`` is ``[(entity label or its pieces, [score per criterion]), ...]`` (at most
    ``MAX_SERIES`` are drawn); ``categories`` the criteria's short labels;
    ``thresholds`` a dashed mark over a criterion's group where it has one.
    """
    fonts.register()
    series = list(series)[:MAX_SERIES]
    lo, hi = scale
    has_threshold = any(t is not None for t in thresholds)
    legend_rows = len(series) + (1 if has_threshold else 0)
    legend_h = legend_rows * LEGEND_ROW + 6
    d = Drawing(width, height + legend_h)

    chart = VerticalBarChart()
    chart.x, chart.y = 30, legend_h + 18
    chart.width, chart.height = width - 40, height - 26
    chart.data = [[max(lo, min(hi, float(v))) for v in values] for _, values in series] or [[lo] * len(categories)]
    chart.valueAxis.valueMin, chart.valueAxis.valueMax = lo, hi
    chart.valueAxis.valueStep = _step(hi - lo)
    chart.valueAxis.labels.fontName = fonts.SANS
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labels.fillColor = MUTED
    chart.valueAxis.labelTextFormat = lambda v: f"{v:g}"
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = GRID
    chart.valueAxis.gridStrokeWidth = 0.4
    chart.valueAxis.strokeColor = MUTED
    chart.categoryAxis.categoryNames = list(categories)
    chart.categoryAxis.labels.fontName = fonts.SANS_BOLD
    chart.categoryAxis.labels.fontSize = 8
    chart.categoryAxis.labels.fillColor = INK
    chart.categoryAxis.labels.dy = -3
    chart.categoryAxis.strokeColor = MUTED
    chart.groupSpacing = 10
    chart.barSpacing = 1
    for i in range(len(chart.data)):
        chart.bars[i].fillColor = PALETTE[i % len(PALETTE)]
        chart.bars[i].strokeColor = None
    if len(series) * len(categories) <= 32:  # values on the bars while they fit
        places = 2 if len(series) <= 4 else 1
        chart.barLabelFormat = lambda v: str(Decimal(repr(float(v))).quantize(Decimal(1).scaleb(-places),
                                                                              rounding=ROUND_HALF_UP))
        chart.barLabels.fontName = fonts.SANS
        chart.barLabels.fontSize = 5.5 if len(series) > 4 else 6
        chart.barLabels.fillColor = INK
        chart.barLabels.nudge = 5
    d.add(chart)

    if has_threshold:  # a dashed mark across each group at its criterion's threshold
        group = chart.width / max(len(categories), 1)
        for i, t in enumerate(thresholds):
            if t is None or not lo <= t <= hi:
                continue
            y = chart.y + chart.height * (t - lo) / (hi - lo)
            d.add(Line(chart.x + i * group + 3, y, chart.x + (i + 1) * group - 3, y,
                       strokeColor=THRESHOLD, strokeWidth=0.9, strokeDashArray=[3, 2]))

    y = legend_h - LEGEND_ROW
    for i, (label, _values) in enumerate(series):
        d.add(Rect(chart.x, y - 1, 8, 8, fillColor=PALETTE[i % len(PALETTE)], strokeColor=None))
        for s in text_runs(chart.x + 12, y, label, LEGEND_SIZE, max_width=width - chart.x - 14):
            d.add(s)
        y -= LEGEND_ROW
    if has_threshold:
        d.add(Line(chart.x, y + 3, chart.x + 8, y + 3, strokeColor=THRESHOLD, strokeWidth=0.9,
                   strokeDashArray=[3, 2]))
        words = _("threshold of the criterion")
        if fonts.one_font(words):
            d.add(String(chart.x + 12, y, words, fontName=fonts.SANS, fontSize=LEGEND_SIZE, fillColor=MUTED))
        else:
            for s in text_runs(chart.x + 12, y, words, LEGEND_SIZE, fill=MUTED):
                d.add(s)
    return d
