"""The board pack's "what changed this quarter", written from the figures by fixed rules.

Each function takes figures the reader may already see (hidden ones arrive as None) and returns
sentences; none of them names a number the board pack itself would hide.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

import pandas as pd

from dashboard.stats.spc import XmR

NOTHING_UNUSUAL = (
    "No trend chart flags a month of this quarter, and no site is beyond the funnel "
    "limits: the changes in the headline figures are within the usual variation."
)


def referral_change(
    total_now: int | None,
    total_before: int | None,
    now: Mapping[str, int | None],
    before: Mapping[str, int | None],
    compared_with: str,
) -> list[str]:
    """The change in referrals received on the quarter compared with, and the source whose own
    change moved the total most in that direction. Totals and per-source counts are None where
    the reader may not see them: a hidden total says nothing, a hidden source names no source."""
    if total_now is None or total_before is None:
        return []
    change = total_now - total_before
    if change == 0:
        return [f"Referrals held at {total_now:,}, the same as {compared_with}."]
    sentence = f"Referrals {'rose' if change > 0 else 'fell'} from {total_before:,} to {total_now:,} on {compared_with}"
    sources = set(now) | set(before)
    # With a source hidden the largest change could be the hidden one: name none rather than mislead.
    if all(now.get(source, 0) is not None and before.get(source, 0) is not None for source in sources):
        # No count is None here (just checked), which mypy cannot see through all().
        changes = {source: cast(int, now.get(source, 0)) - cast(int, before.get(source, 0)) for source in sources}
        direction = 1 if change > 0 else -1
        driver = max(sorted(changes), key=lambda source: changes[source] * direction, default=None)
        if driver is not None and changes[driver] * direction > 0:
            sentence += f"; the largest change was in referrals from {driver} ({changes[driver]:+,})"
    return [sentence + "."]


def trend_signals(measure: str, chart: XmR, quarter_months: Sequence[pd.Timestamp]) -> list[str]:
    """The signals on a measure's trend chart that include a month of the quarter."""
    positions = {i for i, month in enumerate(chart.values.index) if month in set(quarter_months)}
    return [f"{measure}: {signal.explanation}" for signal in chart.signals if positions.intersection(signal.positions)]


def funnel_outliers(measure: str, sites: pd.DataFrame, target: float) -> list[str]:
    """Sites beyond the funnel limits. `sites` has the columns site, proportion and position
    (as dashboard.stats.funnel gives it), for the sites the reader may see."""
    sentences = []
    row: Any  # a row of itertuples: a namedtuple made at run time, its fields unknown to pandas-stubs
    for row in sites.itertuples():
        if row.position == "within":
            continue
        side = "above" if row.position.startswith("above") else "below"
        if row.position.endswith("99.8%"):
            strength = f"stands out, {side} the 99.8% limit"
        else:
            strength = f"is {side} the 95% limit, worth a look"
        sentences.append(
            f"{row.site} {strength} on {measure.lower()}: {row.proportion:.0%} against "
            f"{target:.0%} across the sites shown."
        )
    return sentences
