"""One way to show a figure: title, its definition beside it, the chart, the same numbers as a
table, and that table as a CSV download."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from typing import Literal

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard.figures import Figure
from dashboard.privacy.disclosure import Counts
from dashboard.privacy.grouping import WITHHELD, Grouping
from dashboard.shell.case_filters import open_case_list
from dashboard.shell.context import PageContext
from dashboard.viz import charts
from dashboard.words import formats
from dashboard.words.definitions.overview import DATA_AS_AT

NOTHING_TO_SHOW = "Nothing to show for this period and these sites."


def page_header(view: PageContext, title: str, purpose: str) -> None:
    """The title, what the page is for, and exactly which data it shows."""
    period = view.filters.period
    st.title(title)
    st.markdown(f"{purpose}  \n**{period.label}** · {view.sites_label}")
    st.caption(f"Data as at {view.data_as_at:%d %B %Y}", help=DATA_AS_AT)
    if period.end > view.data_as_at:
        st.caption(f"This period runs past the data-as-at date: its figures are to {view.data_as_at:%d %B %Y}.")
    if view.disclosure.active:
        st.info(view.disclosure.legend, icon=":material/visibility_off:")


def grouping_note(view: PageContext, *groupings: Grouping) -> None:
    """For a protected viewer, how this page's figures are grouped for them (dashboard.privacy.grouping)."""
    if not view.disclosure.active:
        return
    described = list(dict.fromkeys(part for grouping in groupings for part in grouping.described()))
    if described:
        st.caption("So that few figures are small, this page shows " + "; ".join(described) + ".")


def _sites_drawn_together(view: PageContext, table: pd.DataFrame, counts: Counts) -> bool:
    summable = not set(counts.statistics) - set(counts.means)
    return view.disclosure.active and summable and charts.too_many_sites(table) and "site" in counts.dims


def _open_cases(widget_key: str, chosen: dict[str, str]) -> None:
    """Open the case list of `chosen` (site and case-list filters, in words)."""
    del st.session_state[widget_key]  # so coming back to this figure does not drill again
    open_case_list(chosen)


def _drills(view: PageContext, drill_to: tuple[str, ...]) -> bool:
    return bool(drill_to) and view.scope.role == "leadership"


def _draw_chart(view: PageContext, title: str, figure: go.Figure, drill_to: tuple[str, ...]) -> None:
    # theme=None: the house template (dashboard/viz/charts.py), not Streamlit's, styles the chart.
    key, config = f"chart-{title}", {"displaylogo": False}
    if not _drills(view, drill_to):
        st.plotly_chart(figure, width="stretch", theme=None, config=config, key=key)
        return
    event = st.plotly_chart(
        figure, width="stretch", theme=None, config=config, key=key, on_select="rerun", selection_mode="points"
    )
    st.caption("Click a bar or point to see the cases behind it.")
    points = event.selection.points if event else []
    if points and points[0].get("customdata"):
        _open_cases(key, dict(zip(drill_to, points[0]["customdata"])))


def _draw_table(
    view: PageContext, title: str, shown: pd.DataFrame, drill_to: tuple[str, ...], columns: dict[str, str]
) -> None:
    if not _drills(view, drill_to):
        st.dataframe(shown, hide_index=True, width="stretch")
        return
    key = f"table-{title}"
    event = st.dataframe(
        shown, hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row", key=key
    )
    st.caption("Choose a row to see the cases behind it.")
    if event.selection.rows:
        row = shown.iloc[event.selection.rows[0]]
        _open_cases(key, {name: row[columns.get(name, name)] for name in drill_to})


def count_text(view: PageContext, count: float) -> str:
    """A count for a tile, sentence or caption, as the viewer may see it."""
    return view.disclosure.count_text(count)


def count_metric(view: PageContext, label: str, count: float, definition: str, *, before: float | None = None) -> None:
    """A count as a tile, with its change on `before` when both may be seen (worked out from the
    figures as shown, so the change gives nothing the two tiles do not)."""
    change = None if before is None else view.disclosure.change(count, before)
    delta = None if change is None else formats.change(change)
    arrow: Literal["auto", "off"] = "off" if change is None or change == 0 else "auto"  # no change: no arrow
    st.metric(
        label, count_text(view, count), delta=delta, delta_color="off", delta_arrow=arrow, help=definition, border=True
    )


def share_metric(view: PageContext, label: str, numerator: float, denominator: float, definition: str) -> None:
    """A share as a tile: for a protected viewer, from the rounded counts, over 10 or more."""
    st.metric(label, view.disclosure.share_text(numerator, denominator), help=definition, border=True)


def statistic_metric(view: PageContext, label: str, value: float, cases: float, style: str, definition: str) -> None:
    """A median or other statistic over `cases` as a tile: for a protected viewer, only when it
    rests on more cases than the threshold."""
    st.metric(label, view.disclosure.statistic_text(value, cases, style), help=definition, border=True)


def csv_file_name(view: PageContext, title: str) -> str:
    """`title` as a file name, with the period: 'active-parents_2026-04-01_to_2027-03-31.csv'."""
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return f"{slug}_{view.filters.period.start:%Y-%m-%d}_to_{view.filters.period.end:%Y-%m-%d}.csv"


def csv_download(label: str, table: pd.DataFrame, file_name: str, key: str) -> None:
    """A button that downloads `table`, exactly as shown, as CSV. The file is written when the
    button is clicked, not on every run of the page (tables run to thousands of rows, and most runs
    download nothing), and the click does not run the page again."""
    st.download_button(
        label,
        lambda: table.to_csv(index=False).encode("utf-8"),
        file_name=file_name,
        mime="text/csv",
        icon=":material/download:",
        key=key,
        on_click="ignore",
    )


def declared_panel(view: PageContext, figure: Figure, table: pd.DataFrame | None = None) -> None:
    """Draw a figure declared once (dashboard.figures): from its query's frame, prepared, or from
    `table` where the page shapes it first (by quarter, say)."""
    if table is None:
        table = figure.prepare(view.query(figure.query))
    figure_panel(
        view,
        figure.title,
        figure.described(table),
        table,
        figure.chart(table, list(view.site_names.values())),
        columns=dict(figure.columns),
        counts=figure.counts,
        grouping=figure.grouping,
        drill_to=figure.drill_to,
    )


def figure_panel(
    view: PageContext,
    title: str,
    definition: str,
    table: pd.DataFrame,
    chart: Callable[[pd.DataFrame], go.Figure] | None = None,
    *,
    columns: dict[str, str] | None = None,
    counts: Counts,
    grouping: Grouping | None = None,
    drill_to: tuple[str, ...] = (),
) -> None:
    """Draw one figure: `chart` draws it from the table (without one, the table is the figure),
    `columns` puts the table's column names into words, and `counts` says how its counts are laid
    out, so the viewer's disclosure rule is applied to the chart, the table and the CSV alike;
    `grouping` says how the figure is grouped for a protected viewer (dashboard.privacy.grouping).
    `drill_to` names the table's columns that say which cases a row stands for (site and
    dashboard.shell.case_filters CASE_FILTERS keys), in the order the chart carries them as custom
    data with each bar or point: for leadership, clicking one, or choosing a table row, opens the
    case list behind it."""
    st.subheader(title)
    st.caption(definition)
    if table.empty:
        st.info(NOTHING_TO_SHOW, icon=":material/info:")
        return
    if counts is None:
        # A figure must say what its numbers are, or the rule cannot publish them.
        raise ValueError(f"The figure “{title}” declares no counts, so it cannot be shown.")
    grouping = grouping or Grouping()
    protected = view.publish(table, counts, grouping)
    if protected.table.empty:
        st.info(WITHHELD, icon=":material/visibility_off:")
        return
    plot, shown, any_hidden, all_hidden = protected.plot, protected.table, protected.any_hidden, protected.all_hidden
    if chart is not None and _sites_drawn_together(view, table, counts):
        # The chart draws the sites as one: from their exact total, rounded, not from the sum of
        # their rounded figures (which would be neither the total nor what any table shows).
        over_sites = dataclasses.replace(grouping, over=(*grouping.over, "site"))
        together = view.publish(table, counts, over_sites)
        plot, all_hidden = (
            together.plot.assign(site=charts.all_sites_label(table["site"].nunique())),
            together.all_hidden,
        )
    shown = shown.rename(columns=columns or {})
    chart_tab, table_place = st.tabs(["Chart", "Table"]) if chart is not None else (None, st.container())
    if chart_tab is not None and chart is not None:
        with chart_tab:
            if all_hidden:
                st.info(
                    f"Every number in this chart is from 1 to {view.disclosure.threshold}, shown as "
                    f"“{view.disclosure.marker}” in the table, so there is nothing to draw. Choose a longer "
                    "period or more sites.",
                    icon=":material/visibility_off:",
                )
            else:
                _draw_chart(view, title, chart(plot), drill_to)
            if any_hidden and not all_hidden:
                st.caption(
                    f"Counts from 1 to {view.disclosure.threshold} are not drawn; the table shows them "
                    f"as “{view.disclosure.marker}”."
                )
    with table_place:
        _draw_table(view, title, shown, drill_to, columns or {})
    csv_download("Download this table (CSV)", shown, csv_file_name(view, title), key=f"csv-{title}")
