"""The chart of criterion scores: labels in the font that has their glyphs, Arabic shaped, safe text."""

from __future__ import annotations

import io
import unicodedata

from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import String

from reports import charts, fonts


def strings(drawing) -> list[String]:
    out = []

    def walk(node):
        for child in getattr(node, "contents", []) or []:
            if isinstance(child, String):
                out.append(child)
            walk(child)

    walk(drawing)
    return out


def test_legend_draws_every_script_in_a_font_that_has_it():
    d = charts.criterion_bars(
        [(["1. ", "Institut sahélien", " (ISN)"], [4.5, 3]),
         (["2. ", "湄公河生物多样性合作中心", " (MBCC)"], [4, 3.5]),
         (["3. ", "مركز الخليج للتنوع البيولوجي", " (GCB)"], [3, 5]),
         (["4. ", "Reef & Ocean <Lab>"], [2, 2])],
        ["(a)", "(b)"], scale=(0, 5), thresholds=[2.5, None], width=400,
    )
    drawn = strings(d)
    chinese = next(s for s in drawn if "湄公河" in s.text)
    assert chinese.fontName == fonts.CJK
    arabic = next(s for s in drawn if any(unicodedata.bidirectional(c) == "AL" for c in s.text))
    assert arabic.fontName == fonts.SANS
    assert all("FORM" in unicodedata.name(c) for c in arabic.text if c != " ")  # shaped
    # the rank number stays left of the Arabic name, the acronym right of it
    number = next(s for s in drawn if s.text == "3. ")
    acronym = next(s for s in drawn if s.text == " (GCB)")
    assert number.x < arabic.x < acronym.x
    assert any(s.text == "Reef & Ocean <Lab>" for s in drawn)  # drawn as written
    assert any(s.text == "threshold of the criterion" for s in drawn)
    buf = io.BytesIO()
    renderPDF.drawToFile(d, buf)
    assert buf.getvalue().startswith(b"%PDF")


def test_long_labels_are_cut_to_the_width_and_scores_kept_on_the_scale():
    d = charts.criterion_bars([("W" * 5000, [7, -1])], ["(a)", "(b)"], scale=(0, 5), width=300)
    label = [s for s in strings(d) if s.text.startswith("WWW")]
    assert label and label[-1].text.endswith(fonts.ELLIPSIS)
    right = max(s.x + fonts.register()[s.fontName].stringWidth(s.text, s.fontSize) for s in label)
    assert right <= 300
    bars = next(c for c in d.contents if isinstance(c, charts.VerticalBarChart))
    assert bars.data == [[5.0, 0.0]]


def test_no_more_series_than_colours():
    series = [(f"Entity {i}", [3, 3]) for i in range(20)]
    d = charts.criterion_bars(series, ["(a)", "(b)"], scale=(0, 5))
    assert len(next(c for c in d.contents if isinstance(c, charts.VerticalBarChart)).data) == charts.MAX_SERIES
