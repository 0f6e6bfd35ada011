"""Figures declared once. A declaration holds what every place that shows the figure needs: its
title, its definition, the query it comes from, how its counts are laid out (the privacy module's
input), its columns in words, how it is grouped for a protected viewer, and its chart. The page,
the site report, the downloads and the page's prefetch all read it, so screen and paper cannot
drift apart.

Never imports Streamlit: the shell draws a declared figure (dashboard.shell.panels.declared_panel).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from dashboard.privacy.disclosure import Counts
from dashboard.privacy.grouping import Grouping
from dashboard.viz import charts
from dashboard.words import labels

Query = Callable[..., pd.DataFrame]  # (conn, scope, filters): queries/
Chart = Callable[[pd.DataFrame], go.Figure]
# Given the figure's table (as prepared) and the viewer's site names, the chart that draws it.
ChartFor = Callable[[pd.DataFrame, Sequence[str]], Chart]


def fixed(chart: Chart) -> ChartFor:
    """A chart that is drawn the same way whatever the table and sites."""
    return lambda _table, _site_names: chart


@dataclass(frozen=True)
class Figure:
    title: str
    definition: str
    query: Query
    counts: Counts
    columns: Mapping[str, str]  # each column of the table, in words
    chart_for: ChartFor | None = None
    grouping: Grouping | None = None
    prepare: Callable[[pd.DataFrame], pd.DataFrame] = labels.in_words  # the query's frame as the table
    sites_together: str | None = field(default=None)  # by site: how a chart of too many sites reads
    drill_to: tuple[str, ...] = ()  # the columns naming the cases behind a row (shell.panels.figure_panel)

    def described(self, table: pd.DataFrame) -> str:
        """The definition, and for a figure by site with too many sites to draw apart, how its chart
        shows them together."""
        if self.sites_together is None:
            return self.definition
        return charts.defined_for_its_sites(self.definition, table, together=self.sites_together)

    def chart(self, table: pd.DataFrame, site_names: Sequence[str]) -> Chart | None:
        return None if self.chart_for is None else self.chart_for(table, site_names)
