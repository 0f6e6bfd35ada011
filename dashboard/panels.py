"""One way to show a figure: title, its definition beside it, the chart, the same numbers as a
table, and that table as a CSV download."""

from __future__ import annotations

import re

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard.context import PageContext
from dashboard.definitions import DATA_AS_AT

NOTHING_TO_SHOW = "Nothing to show for this period and these sites."


def page_header(view: PageContext, title: str, purpose: str) -> None:
    """The title, what the page is for, and exactly which data it shows."""
    period = view.filters.period
    st.title(title)
    st.markdown(f"{purpose}  \n**{period.label}** · {view.sites_label}")
    st.caption(f"Data as at {view.data_as_at:%d %B %Y}", help=DATA_AS_AT)
    if period.end > view.data_as_at:
        st.caption(f"This period runs past the data-as-at date: its figures are to {view.data_as_at:%d %B %Y}.")


def _file_name(view: PageContext, title: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return f"{slug}_{view.filters.period.start:%Y-%m-%d}_to_{view.filters.period.end:%Y-%m-%d}.csv"


def figure_panel(view: PageContext, title: str, definition: str, figure: go.Figure | None,
                 table: pd.DataFrame, *, columns: dict[str, str] | None = None) -> None:
    """Draw one figure. `columns` renames the table's columns into words for screen and CSV."""
    st.subheader(title)
    st.caption(definition)
    if table.empty:
        st.info(NOTHING_TO_SHOW, icon=":material/info:")
        return
    shown = table.rename(columns=columns or {})
    chart_tab, table_tab = st.tabs(["Chart", "Table"])
    with chart_tab:
        if figure is not None:
            # theme=None: the house template (dashboard/charts.py), not Streamlit's, styles the chart.
            st.plotly_chart(figure, width="stretch", theme=None, config={"displaylogo": False})
    with table_tab:
        st.dataframe(shown, hide_index=True, width="stretch")
    st.download_button(
        "Download this table (CSV)", shown.to_csv(index=False).encode("utf-8"),
        file_name=_file_name(view, title), mime="text/csv", icon=":material/download:",
        key=f"csv-{title}",
    )
