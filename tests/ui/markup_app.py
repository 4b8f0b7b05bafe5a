"""A page that shows the hostile strings of tests/ui/markup.py through every kind of element, the way the app does.

Served by tests/ui/test_browser_markup.py: Markdown contexts get ``ui.common.md``,
plain ones (select boxes, tables, st.text) the string as it is.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import altair as alt  # noqa: E402
import pandas as pd  # noqa: E402
import streamlit as st  # noqa: E402

from tests.ui.markup import BROWSER_KINDS, HOSTILE_FILENAME, HOSTILE_LINE, HOSTILE_TEXT  # noqa: E402
from ui.common import md  # noqa: E402

for i, s in enumerate((HOSTILE_LINE, HOSTILE_FILENAME, HOSTILE_TEXT)):
    for kind in BROWSER_KINDS:
        with st.container(key=f"c{i}_{kind}"):
            if kind == "markdown":
                st.markdown(md(s))
            elif kind == "caption":
                st.caption(md(s))
            elif kind == "info":
                st.info(md(s))
            elif kind == "subheader":
                st.subheader(md(s), anchor=False)
            elif kind == "button":
                st.button(md(s), key=f"b{i}")
            elif kind == "download":
                st.download_button(md(s), lambda: b"%PDF-1.4", file_name="f.pdf", key=f"d{i}")
            elif kind == "expander":
                with st.expander(md(s)):
                    st.write("inside")
            elif kind == "tabs":
                st.tabs([md(s), "other"])
            elif kind == "selectbox":
                st.selectbox(md(s), [s], key=f"sb{i}")
            elif kind == "radio":
                st.radio("Radio", [s], format_func=md, key=f"r{i}")
            elif kind == "select_slider":
                st.select_slider("Slider", options=[1, 2], format_func=lambda v, s=s: md(s), key=f"ss{i}")
            elif kind == "metric":
                st.metric(md(s), 1)
            elif kind == "progress":
                st.progress(0.5, text=md(s))
            elif kind == "text_area":
                st.text_area(md(s), key=f"ta{i}")
            elif kind == "checkbox":
                st.checkbox(md(s), key=f"cb{i}")
            elif kind == "text":
                st.text(s)
            elif kind == "dataframe":
                st.dataframe(pd.DataFrame({"Name": [s]}), hide_index=True)
            elif kind == "chart":
                st.altair_chart(alt.Chart(pd.DataFrame({"name": [s], "n": [1]})).mark_bar().encode(
                    x="n:Q", y="name:N", tooltip=["name"]))
st.write("All shown.")
