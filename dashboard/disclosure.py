"""Small-number suppression for trustees and commissioners (DfE children's social care convention).

- A count from 1 to the threshold (5) is hidden and shown as "c"; 0 stays 0.
- A rate, share or median over fewer than 10 cases is withheld.
- Secondary suppression: a hidden count must not be recoverable from the table's row or column
  totals. In a table with two dimensions every hidden cell must lie on a cycle of hidden cells
  (row → column → row ...); a hidden cell that is a "bridge" in that graph could be solved
  exactly from the margins, so a rectangle of further cells is hidden around it at the least
  cost. A table with one dimension hides at least two cells when it hides any.
A row or column whose only non-zero cell is hidden has a total equal to that cell: such a total is
that cell, and must be treated like it wherever it might be shown.
A table has one row per cell: two rows for one cell are refused (ValueError), never protected as one.

Leadership sees exact figures: `DisclosureRule.exact()` changes nothing.
"""

from __future__ import annotations

import itertools
import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

MARKER = "c"
NOT_RECORDED = "Not recorded"
_ALSO_HIDE = "_also_hide"  # cells to hide for a reason other than their own size
LEGEND = ("c marks a number hidden to protect families' privacy: a count from 1 to {threshold}, or a "
          "figure from which one could be worked out. Rates over fewer than {denominator} cases are "
          "not shown.")


@dataclass(frozen=True)
class Counts:
    """How a table's counts are laid out, so the rule knows what a reader could add up.

    value: the count column. dims: the columns that make a cell. nested: the rows are successive
    stages, each a subset of the one before (a funnel), so the differences between them are
    counts too. rates: each rate column and the column holding its denominator (the numerator
    is `value`)."""

    value: str
    dims: tuple[str, ...]
    nested: bool = False
    rates: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Protected:
    plot: pd.DataFrame   # hidden values missing, so they are not drawn
    table: pd.DataFrame  # hidden values shown as the marker
    any_hidden: bool
    all_hidden: bool     # nothing non-zero is left to draw


@dataclass(frozen=True)
class DisclosureRule:
    threshold: int = 5
    min_denominator: int = 10
    active: bool = True

    @classmethod
    def for_role(cls, role: str) -> DisclosureRule:
        if role == "leadership":
            return cls(active=False)
        return cls(threshold=int(os.environ.get("SUPPRESSION_THRESHOLD", "5")))

    @property
    def legend(self) -> str:
        return LEGEND.format(threshold=self.threshold, denominator=self.min_denominator)

    def hides_count(self, value: float) -> bool:
        return self.active and 0 < value <= self.threshold

    def rate(self, value: float, denominator: float) -> float | None:
        """The rate, or None when it must be withheld (too few cases, or nothing to divide)."""
        if not denominator or (isinstance(value, float) and math.isnan(value)):
            return None
        if self.active and denominator < self.min_denominator:
            return None
        return value

    def count_text(self, count: float) -> str:
        """A count as a reader sees it: the marker where it is hidden."""
        return MARKER if self.hides_count(count) else f"{int(count):,}"

    def rate_text(self, value: float, cases: float, style: str, *, numerator: float | None = None) -> str:
        """A median, share or rate over `cases` as a reader sees it: "–" when there is none, the
        marker when it rests on too few cases or would reveal a hidden count (`numerator`)."""
        if value != value or not cases:
            return "–"
        if self.rate(value, cases) is None or (numerator is not None and self.hides_count(numerator)):
            return MARKER
        return style.format(value)

    def protect(self, frame: pd.DataFrame, counts: Counts) -> Protected:
        """Apply the rule to a table: what may be plotted and what may be printed."""
        if counts.nested:
            marked = frame.assign(hidden=self.nested(frame[counts.value].tolist()))
        else:
            # A count shown beside its denominator also shows their difference ("12 of 15" says
            # 3 did not): hide the count when that difference is small, before secondary suppression.
            complement_small = pd.Series(False, index=frame.index)
            for denominator in counts.rates.values():
                if denominator != counts.value:
                    complement_small |= (frame[denominator] - frame[counts.value]).map(self.hides_count)
            marked = self.counts(frame.assign(**{_ALSO_HIDE: complement_small}), counts.value, counts.dims)
            marked = marked.drop(columns=_ALSO_HIDE, errors="ignore")
        plot, table = marked.drop(columns="hidden"), marked.drop(columns="hidden")
        plot[counts.value] = plotted(marked, counts.value)
        table[counts.value] = published(marked, counts.value)
        any_hidden = bool(marked["hidden"].any())
        for rate, denominator in counts.rates.items():
            denominator_hidden = marked[denominator].map(self.hides_count) if self.active else False
            if counts.nested and self.active:
                # In a funnel the denominator is the stage before: hidden when that stage is.
                denominator_hidden = denominator_hidden | marked["hidden"].shift(1, fill_value=False)
            withheld = marked["hidden"] | denominator_hidden | marked[rate].isna() | (
                self.active & (marked[denominator] < self.min_denominator))
            plot[rate] = marked[rate].where(~withheld)
            table[rate] = (marked[rate].map(_plain).where(~withheld, MARKER) if withheld.any() and self.active
                           else marked[rate])
            if self.active:
                if denominator_hidden.any():
                    table[denominator] = table[denominator].map(_plain).where(~denominator_hidden.astype(bool), MARKER)
            any_hidden = any_hidden or bool((withheld & marked[rate].notna()).any())
        all_hidden = any_hidden and not (plot[counts.value].fillna(0) > 0).any()
        return Protected(plot, table, any_hidden, all_hidden)

    def nested(self, stages: Sequence[int]) -> list[bool]:
        """Which stage counts to hide in a funnel. Each stage is hidden when small; the drop-outs
        between stages (and those reaching the last) are protected as a one-way table, and a
        stage next to a hidden drop-out is hidden so the drop-out cannot be worked out."""
        if not self.active or not stages:
            return [False] * len(stages)
        drops = [a - b for a, b in zip(stages, stages[1:])] + [stages[-1]]
        frame = pd.DataFrame({"step": range(len(drops)), "n": drops})
        hidden_drops = self.counts(frame, "n", ["step"])["hidden"].tolist()
        hidden = [self.hides_count(n) for n in stages]
        for step, is_hidden in enumerate(hidden_drops[:-1]):
            # drop[step] = stage[step] − stage[step + 1]: one of the two must not be published.
            if is_hidden and not (hidden[step] or hidden[step + 1]):
                hidden[step + 1] = True
        return hidden

    def counts(self, frame: pd.DataFrame, value: str, dims: Sequence[str]) -> pd.DataFrame:
        """`frame` with a boolean column `hidden` marking the cells of `value` to hide.

        `dims` are the columns that make a cell (one or two; more are combined into the second).
        Missing combinations of the dims are added as zeros so the margins are those of the
        complete table.
        """
        dims = list(dims)
        if frame.duplicated(dims).any():
            # Two rows for one cell would be protected as one (the last), the other published.
            raise ValueError(f"More than one row for a cell of {', '.join(dims)}: sum them first.")
        # A category not recorded (an exit with no reason) is a cell like any other, named so.
        unrecorded = [d for d in dims if frame[d].isna().any()]
        if unrecorded:
            frame = frame.assign(**{d: frame[d].astype(object).where(frame[d].notna(), NOT_RECORDED)
                                    for d in unrecorded})
        if len(dims) > 2:
            return self._counts_many_ways(frame, value, dims)
        grid = _complete(frame, dims, value)
        if not self.active:
            return grid.assign(hidden=False)
        hidden = grid[value].map(self.hides_count).astype(bool)
        if _ALSO_HIDE in grid:
            hidden |= grid[_ALSO_HIDE].fillna(False).astype(bool)
        hidden = _secondary(grid, dims, value, hidden)
        return grid.assign(hidden=hidden)


    def _counts_many_ways(self, frame: pd.DataFrame, value: str, dims: list[str]) -> pd.DataFrame:
        """Three or more dimensions. Any sum over one of them may be published somewhere (over the
        sites: the "All sites" figure beside a by-site breakdown; over the outcome: the denominator
        beside a share), so the table is protected as a two-way table with each dimension in turn
        as its rows and the others combined as its columns, until no view hides anything more.
        The rows are those of the first view (the first dimension against the rest)."""
        marked = self._as_two_way(frame, value, dims[0], dims[1:])
        if not self.active or marked.empty:
            return marked
        # Every view holds the same cells: as codes (each dimension's levels numbered in the order
        # they first appear, the order the views' rows and columns had as tables), a view is a few
        # array operations, not merges; small tables were all pandas overhead.
        codes = [pd.factorize(marked[d])[0] for d in dims]
        views = [(codes[rows], _combinations([code for dim, code in enumerate(codes) if dim != rows]))
                 for rows in [*range(1, len(dims)), 0]]
        values = marked[value].to_numpy(dtype=float)
        small = (values > 0) & (values <= self.threshold)
        hidden = marked["hidden"].to_numpy(dtype=bool)
        for _ in range(len(dims) * 4):  # bounded: each pass only adds hidden cells
            hidden_before = int(hidden.sum())
            for row_at, col_at in views:
                hidden = _protect_cells(row_at, col_at, values, hidden | small)
            if int(hidden.sum()) == hidden_before:
                break
        return marked.assign(hidden=hidden)

    def _as_two_way(self, frame: pd.DataFrame, value: str, rows: str, others: list[str]) -> pd.DataFrame:
        # Each combination of the other dimensions becomes one column, numbered in the order it
        # first appears (the order its levels would have), then is put back from that number.
        combined = " · ".join(others)
        numbered = _combinations([pd.factorize(frame[other])[0] for other in others])
        combinations = frame[others].drop_duplicates().reset_index(drop=True)
        protected = self.counts(frame.drop(columns=others).assign(**{combined: numbered}), value, [rows, combined])
        restored = combinations.iloc[protected[combined].to_numpy()].reset_index(drop=True)
        return pd.concat([protected.drop(columns=combined), restored], axis=1)[[*frame.columns, "hidden"]]


def published(frame: pd.DataFrame, value: str) -> pd.Series:
    """The values as shown in a table or CSV: the marker where hidden. A column with a marker is
    all text (numbers written plainly), so a table never mixes numbers and text in one column."""
    if not frame["hidden"].any():
        return frame[value]
    return frame[value].map(_plain).where(~frame["hidden"], MARKER)


def _plain(number: float | str) -> str:
    if isinstance(number, str):  # already published (a rate's denominator may be the count itself)
        return number
    return "" if pd.isna(number) else f"{number:.4g}" if number % 1 else f"{int(number)}"


def plotted(frame: pd.DataFrame, value: str) -> pd.Series:
    """The values as plotted: hidden ones are missing, so no bar or point is drawn for them."""
    return frame[value].where(~frame["hidden"])


def _complete(frame: pd.DataFrame, dims: list[str], value: str) -> pd.DataFrame:
    if frame.empty:
        return frame.reset_index(drop=True)
    levels = [pd.unique(frame[d]) for d in dims]
    full = pd.DataFrame(list(itertools.product(*levels)), columns=dims)
    out = full.merge(frame, on=dims, how="left")
    out[value] = out[value].fillna(0).astype(frame[value].dtype)
    return out


def _secondary(grid: pd.DataFrame, dims: list[str], value: str, hidden: pd.Series) -> pd.Series:
    if grid.empty:
        return hidden
    row_at = pd.factorize(grid[dims[0]])[0]
    col_at = pd.factorize(grid[dims[1]])[0] if len(dims) == 2 else np.zeros(len(grid), dtype=int)
    return pd.Series(_protect_cells(row_at, col_at, grid[value].to_numpy(dtype=float), hidden.to_numpy(dtype=bool)),
                     index=hidden.index)


def _combinations(codes: list[np.ndarray]) -> np.ndarray:
    """One number per combination of the codes, in the order each combination first appears."""
    if not len(codes[0]):
        return np.zeros(0, dtype=int)
    return pd.factorize(np.ravel_multi_index(codes, [int(code.max()) + 1 for code in codes]))[0]


def _protect_cells(row_at: np.ndarray, col_at: np.ndarray, values: np.ndarray, hidden: np.ndarray) -> np.ndarray:
    """Which cells to hide, given each cell's row and column number (levels numbered in the order
    they first appear), its count and whether it is hidden already. A row and column with no cell
    is a cell of 0, as a complete table has. The rows and columns in that order decide ties."""
    value = np.zeros((int(row_at.max()) + 1, int(col_at.max()) + 1))
    value[row_at, col_at] = values
    hide = np.zeros(value.shape, dtype=bool)
    hide[row_at, col_at] = hidden
    if min(value.shape) >= 2:
        return _protect_matrix(value, hide)[row_at, col_at]
    # One line (one dimension, or two with one level on a side): its total is the only margin,
    # so a single hidden cell needs a second beside it.
    line_value, line_hide = value.ravel(), hide.ravel()
    if line_hide.sum() == 1 and len(line_value) >= 2:
        line_hide[_cheapest(pd.Series(line_value)[~line_hide])] = True
    return line_hide.reshape(value.shape)[row_at, col_at]


def _cheapest(candidates: pd.Series):
    """The index of the smallest candidate, preferring non-zero cells (hiding a 0 protects little)."""
    non_zero = candidates[candidates > 0]
    return (non_zero if not non_zero.empty else candidates).sort_values(kind="stable").index[0]


def _protect_matrix(value: np.ndarray, hide: np.ndarray) -> np.ndarray:
    """`hide` (rows × columns, changed in place) grown until every hidden cell is on a cycle of
    hidden cells. As matrices, each search is a few array operations, not Python loops: a table
    of hundreds of sites is protected in well under a second."""
    zero = value == 0
    # A rectangle's cost is the sum of its three other cells' costs. A hidden 0 cannot move down,
    # so a cycle through zeros may pin its cells: prefer rectangles of non-zero cells (1e12 for
    # each 0), then the least newly hidden (1e3 for each case), then the fewest newly hidden cells.
    # Counts are whole numbers, so these sums are exact and ties fall to the first rectangle.
    cell_cost = np.where(hide, 0.0, value * 1e3 + 1) + zero * 1e12
    # Hiding more cells only adds cycles, never breaks one: a cell found on a cycle stays settled.
    # At the start every hidden cell that is not a bridge of the hidden-cell graph is on a cycle.
    settled = hide.copy()
    for r, c in _bridges(hide):
        settled[r, c] = False
    changed = True
    while changed:
        changed = False
        for r, c in zip(*np.nonzero(hide & ~settled)):
            if _on_cycle(hide, r, c):
                settled[r, c] = True
                continue
            # Complete the cheapest rectangle (r, c) – (r, c2) – (r2, c2) – (r2, c).
            cost = cell_cost[r, :][None, :] + cell_cost + cell_cost[:, c][:, None]
            cost[r, :] = np.inf
            cost[:, c] = np.inf
            r2, c2 = np.unravel_index(np.argmin(cost), cost.shape)
            for cell in ((r, c2), (r2, c2), (r2, c)):
                hide[cell] = True
                cell_cost[cell] = zero[cell] * 1e12
            changed = True
    return hide


def _bridges(hide: np.ndarray) -> list[tuple[int, int]]:
    """The hidden cells that lie on no cycle: the bridges of the bipartite graph whose nodes are
    the rows and columns and whose edges are the hidden cells (Tarjan's low-link, iteratively)."""
    n_rows = hide.shape[0]
    edges = [(int(r), int(c)) for r, c in zip(*np.nonzero(hide))]
    neighbours: list[list[tuple[int, int]]] = [[] for _ in range(n_rows + hide.shape[1])]
    for index, (r, c) in enumerate(edges):
        neighbours[r].append((n_rows + c, index))
        neighbours[n_rows + c].append((r, index))
    found = [-1] * len(neighbours)
    low = [0] * len(neighbours)
    clock, bridges = 0, []
    for start in range(len(neighbours)):
        if found[start] != -1 or not neighbours[start]:
            continue
        found[start] = low[start] = clock
        clock += 1
        stack = [(start, -1, iter(neighbours[start]))]
        while stack:
            node, via, unexplored = stack[-1]
            for next_node, edge in unexplored:
                if edge == via:
                    continue
                if found[next_node] == -1:
                    found[next_node] = low[next_node] = clock
                    clock += 1
                    stack.append((next_node, edge, iter(neighbours[next_node])))
                    break
                low[node] = min(low[node], found[next_node])
            else:
                stack.pop()
                if stack:
                    parent = stack[-1][0]
                    low[parent] = min(low[parent], low[node])
                    if low[node] > found[parent]:
                        bridges.append(edges[via])
    return bridges


def _on_cycle(hide: np.ndarray, r: int, c: int) -> bool:
    """Whether the hidden cell (r, c) lies on a cycle of hidden cells: is column c still reachable
    from row r through the other hidden cells?"""
    hidden_cols = np.flatnonzero(hide[r, :])
    hidden_rows = np.flatnonzero(hide[:, c])
    # The two quick answers first (most cells of a large table get one): a cell alone in its row
    # or column is on no cycle, and one completing a rectangle of hidden cells is on one.
    if len(hidden_cols) < 2 or len(hidden_rows) < 2:
        return False
    if hide[np.ix_(hidden_rows[hidden_rows != r], hidden_cols[hidden_cols != c])].any():
        return True
    edges = hide.copy()
    edges[r, c] = False
    rows = np.zeros(hide.shape[0], dtype=bool)
    rows[r] = True
    cols = np.zeros(hide.shape[1], dtype=bool)
    while True:
        reached_cols = edges[rows].any(axis=0)
        if reached_cols[c]:
            return True
        reached_rows = edges[:, reached_cols].any(axis=1)
        if (reached_cols <= cols).all() and (reached_rows <= rows).all():
            return False
        cols |= reached_cols
        rows |= reached_rows
