"""What a reader could work out from one table as published to them: the check that decides
where dashboard.privacy.grouping must merge categories.

Each published count says where its exact value lies: 0 is 0, the marker 1 to the threshold, a
rounded R from R − 2 to R + 2 (and above the threshold). The table's cells are sums of its
original cells (categories merged into OTHER are shown as one). Every total of the table along a
dimension whose categories partition cases, before and after merging, and its grand total, are
taken as published too: some other figure may well show them, rounded from their exact values.

From all of that together, bounds on every original cell are narrowed (each sum's least value
less the greatest of its other parts, and so on) until nothing changes. A count from 1 to the
threshold whose bounds meet is pinned: the reader knows it exactly. The narrowing is sound (what
it finds pinned is pinned) though not complete; tests/test_disclosure_attack.py attacks the
published tables with integer programming to check what it misses.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from dashboard.privacy.disclosure import Counts, DisclosureRule

UNBOUNDED = 1e12
MAX_ROUNDS = 100  # narrowing stops sooner, when a round changes nothing


def _lines(frame: pd.DataFrame, keys: list[str]) -> list[np.ndarray]:
    """The row positions of `frame` in each group of `keys` (one group of every row: no keys)."""
    if not keys:
        return [np.arange(len(frame))]
    groups = frame.groupby(keys, sort=False, dropna=False).ngroup().to_numpy()
    order = np.argsort(groups, kind="stable")
    return np.split(order, np.flatnonzero(np.diff(groups[order])) + 1)


def pinned(
    rule: DisclosureRule,
    frame: pd.DataFrame,
    counts: Counts,
    merged: Mapping[str, set[str]] | None = None,
    other: str = "OTHER",
) -> bool:
    """Whether a count from 1 to the threshold in `frame` (its `counts.value`), or in any sum of
    its cells taken as published, could be worked out exactly once the categories in `merged`
    (dimension → categories) are shown together as one."""
    if frame.empty or not rule.active:
        return False
    merged = merged or {}
    dims = [d for d in counts.dims if d in frame]
    additive = [d for d in dims if d not in counts.overlapping]
    shown = frame.assign(**{d: frame[d].where(~frame[d].isin(merged[d]), other) for d in merged if d in frame})
    cells = len(frame)
    # The published cells; each slice's total (the whole table, or one category of each dimension
    # that counts cases again, such as a time point: its total over the rest); and the totals
    # along each partitioning dimension, before and after merging, which split their slice.
    sums = _lines(shown, dims)
    shown_cells = len(sums)
    slices = _lines(frame, [d for d in dims if d in counts.overlapping]) if additive else []
    slice_of = np.empty(cells, dtype=int)
    for number, members in enumerate(slices):
        slice_of[members] = number
    slice_sums = range(len(sums), len(sums) + len(slices))
    sums += slices
    partitions = []
    for table in (frame, shown):
        for along in additive:
            lines = _lines(table, [d for d in dims if d != along])
            partitions.append(range(len(sums), len(sums) + len(lines)))
            sums += lines
    # Variables: the original cells, then one per sum of two or more (a sum of one cell is that cell).
    exact = frame[counts.value].to_numpy(dtype=float)
    totals = np.array([exact[members].sum() for members in sums])
    sum_low, sum_high = rule.interval(totals)
    variable = np.array([members[0] if len(members) == 1 else cells + i for i, members in enumerate(sums)])
    values = np.concatenate([exact, totals])
    low, high = np.zeros(len(values)), np.full(len(values), UNBOUNDED)
    np.maximum.at(low, variable, sum_low)
    np.minimum.at(high, variable, sum_high)
    equations = [
        (np.r_[variable[i], members], np.r_[1.0, -np.ones(len(members))])
        for i, members in enumerate(sums)
        if len(members) > 1
    ]
    # A sum that is a union of published cells is also their sum: bounds on the original cells
    # alone lose that categories merged together add up to at most what their total leaves.
    cell_of = np.empty(cells, dtype=int)
    for number, members in enumerate(sums[:shown_cells]):
        cell_of[members] = number
    for i, members in enumerate(sums[shown_cells:], start=shown_cells):
        parts = np.unique(cell_of[members])
        if len(parts) > 1 and sum(len(sums[j]) for j in parts) == len(members):
            equations.append((np.r_[variable[i], variable[parts]], np.r_[1.0, -np.ones(len(parts))]))
    for part in partitions:  # each slice's total is the sum of the lines that split it
        by_slice: dict[int, list[int]] = {}
        for i in part:
            by_slice.setdefault(int(slice_of[sums[i][0]]), []).append(int(variable[i]))
        equations += [
            (np.r_[variable[slice_sums[number]], members], np.r_[1.0, -np.ones(len(members))])
            for number, members in by_slice.items()
            if len(members) > 1
        ]
    _narrow(low, high, equations)
    small = (values > 0) & (values <= rule.threshold)
    return bool((small & (low >= high)).any())


def _narrow(low: np.ndarray, high: np.ndarray, equations: list[tuple[np.ndarray, np.ndarray]]) -> None:
    """Narrow whole-number bounds (in place) under equations Σ sign × variable = 0, until a round
    changes nothing: each term lies within minus the others' sum."""
    for _ in range(MAX_ROUNDS):
        changed = False
        for variables, signs in equations:
            term_low = np.where(signs > 0, low[variables], -high[variables])
            term_high = np.where(signs > 0, high[variables], -low[variables])
            own_low, own_high = -(term_high.sum() - term_high), -(term_low.sum() - term_low)
            new_low = np.ceil(np.where(signs > 0, own_low, -own_high) - 1e-9)
            new_high = np.floor(np.where(signs > 0, own_high, -own_low) + 1e-9)
            tighter_low, tighter_high = new_low > low[variables], new_high < high[variables]
            if tighter_low.any() or tighter_high.any():
                low[variables] = np.maximum(low[variables], new_low)
                high[variables] = np.minimum(high[variables], new_high)
                changed = True
        if not changed:
            return
