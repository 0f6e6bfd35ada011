"""The data-quality figure (leadership only): records with missing or impossible values."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

import pandas as pd

from dashboard.figures import Chart, Figure
from dashboard.privacy.disclosure import Counts
from dashboard.viz import charts
from dashboard.words.definitions import data_quality as definitions
from queries import data_quality


def _chart(_table: pd.DataFrame, site_names: Sequence[str]) -> Chart:
    return partial(
        charts.bars,
        x="check",
        y="records",
        colour="site",
        colours=charts.site_colours(list(site_names)),
        horizontal=True,
        axis_titles=("Records", ""),
        custom_data=["site", "check"],
    )


def problems_by_check(any_problem: bool) -> Figure:
    """Without any problem, no bars of nothing (the table of zeros says it) and nothing to drill to."""
    return Figure(
        title="Problems by check",
        definition=definitions.DATA_QUALITY,
        query=data_quality.problems_by_site,
        counts=Counts("records", ("site", "check")),
        columns={"site": "Site", "check": "Check", "records": "Records"},
        chart_for=_chart if any_problem else None,
        drill_to=("site", "check") if any_problem else (),  # the families with a record failing the check
    )
