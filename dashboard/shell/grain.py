"""Showing monthly figures by month or by financial-year quarter."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.privacy.grouping import PERIOD
from dashboard.shell.context import PageContext
from queries.periods import quarter_label

GRAINS = ("Month", "Quarter")
MONTH, QUARTER = GRAINS


def choose_grain(view: PageContext, key: str) -> str:
    """Month or quarter, as the viewer chooses. A protected viewer has no choice: the figure is
    grouped for them (dashboard.privacy.grouping: month, quarter or year, whichever leaves few counts small)."""
    if view.disclosure.active:
        return PERIOD
    return st.segmented_control("Show by", GRAINS, default=MONTH, key=key, required=True)


def time_axis_title(view: PageContext) -> str:
    """What a monthly figure's time axis is called: months for leadership; for a protected viewer,
    whatever grouping chose (months, quarters or years)."""
    return PERIOD if view.disclosure.active else MONTH


def apply_grain(frame: pd.DataFrame, grain: str, *, time: str = "month") -> pd.DataFrame:
    """Sum a monthly table into financial-year quarters (labelled '2024/25 Q3') when asked.

    Only for counts of events (referrals, enrolments): a count of families active in each month
    does not add up to a quarter."""
    if grain != QUARTER or frame.empty:
        return frame
    keys = [c for c in frame.columns if c != time and not pd.api.types.is_numeric_dtype(frame[c])]
    rolled = frame.assign(**{time: frame[time].map(lambda month: quarter_label(month.date()))})
    return rolled.groupby([time, *keys], as_index=False, sort=True).sum(numeric_only=True)
