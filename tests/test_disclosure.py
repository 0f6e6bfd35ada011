"""Small-number suppression: properties over random tables, and worked examples.

Non-derivability is checked exactly: a linear programme finds the smallest and largest value each
hidden small count could take, given every published cell and every row and column total that
could itself be published (0, or above the threshold), with no cell negative. A line with only one
non-zero cell is left out: its total is that cell, so publishing it is publishing the cell. A hidden small
count is protected when those differ.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from dashboard.disclosure import MARKER, Counts, DisclosureRule, plotted, published

RULE = DisclosureRule()


def numbers(published_values) -> list[float]:
    """What a reader sees, as numbers (hidden values left out)."""
    return [float(v) for v in published_values if v != MARKER]


def as_long(matrix: list[list[int]]) -> pd.DataFrame:
    return pd.DataFrame([{"row": f"r{i}", "col": f"c{j}", "n": v}
                         for i, line in enumerate(matrix) for j, v in enumerate(line)])


def value_range(table: pd.DataFrame, target: int, dims: list[str]) -> tuple[float, float]:
    """The least and greatest value the hidden cell at `target` can take, seen from outside."""
    hidden = list(table.index[table["hidden"]])
    position = {i: k for k, i in enumerate(hidden)}
    rows, rhs = [], []
    for dim in dims:
        others = [d for d in dims if d != dim]
        lines = table.groupby(others[0]).groups.values() if others else [table.index]
        for line in lines:
            total = table.loc[line, "n"].sum()
            if 0 < total <= RULE.threshold or (table.loc[line, "n"] > 0).sum() < 2:
                continue  # such a total would itself be hidden, or is a single cell
            coefficients = np.zeros(len(hidden))
            known = 0
            for i in line:
                if i in position:
                    coefficients[position[i]] = 1
                else:
                    known += table.loc[i, "n"]
            if coefficients.any():
                rows.append(coefficients)
                rhs.append(total - known)
    objective = np.zeros(len(hidden))
    objective[position[target]] = 1
    bounds = [(0, None)] * len(hidden)
    kwargs = dict(A_eq=np.array(rows), b_eq=np.array(rhs)) if rows else {}
    low = linprog(objective, bounds=bounds, **kwargs)
    high = linprog(-objective, bounds=bounds, **kwargs)
    assert low.status == 0
    return low.fun, (np.inf if high.status == 3 else -high.fun)


matrices = st.integers(1, 5).flatmap(lambda n_cols: st.lists(
    st.lists(st.one_of(st.integers(0, 8), st.integers(0, 60)), min_size=n_cols, max_size=n_cols),
    min_size=1, max_size=5))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(matrices)
def test_no_small_count_is_published_or_derivable(matrix):
    dims = ["row", "col"]
    table = RULE.counts(as_long(matrix), "n", dims)
    shown = published(table, "n")
    assert not [v for v in numbers(shown) if 0 < v <= RULE.threshold]
    assert table.loc[~table["hidden"], "n"].astype(float).tolist() == numbers(shown[~table["hidden"]])
    for i in table.index[table["hidden"] & table["n"].between(1, RULE.threshold)]:
        low, high = value_range(table, i, dims)
        assert high - low > 1e-9, f"cell {table.loc[i].to_dict()} is derivable in {matrix}"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 40), min_size=1, max_size=8))
def test_one_dimensional_tables(values):
    table = RULE.counts(pd.DataFrame({"col": [f"c{j}" for j in range(len(values))], "n": values}),
                        "n", ["col"])
    assert not [v for v in numbers(published(table, "n")) if 0 < v <= RULE.threshold]
    for i in table.index[table["hidden"] & table["n"].between(1, RULE.threshold)]:
        low, high = value_range(table, i, ["col"])
        assert high - low > 1e-9


def test_zero_stays_zero_and_large_counts_stay():
    table = RULE.counts(as_long([[0, 40], [12, 30]]), "n", ["row", "col"])
    assert not table["hidden"].any()
    assert published(table, "n").tolist() == [0, 40, 12, 30]


def test_a_single_small_cell_takes_a_rectangle_with_it():
    # r0·c0 = 3 is hidden; each of its row and column then needs a second hidden cell, and the
    # cheapest rectangle of non-zero cells is r0·c1, r1·c1, r1·c0.
    table = RULE.counts(as_long([[3, 20, 50], [15, 12, 60], [40, 70, 80]]), "n", ["row", "col"])
    hidden = set(zip(table.loc[table["hidden"], "row"], table.loc[table["hidden"], "col"]))
    assert hidden == {("r0", "c0"), ("r0", "c1"), ("r1", "c1"), ("r1", "c0")}


def test_missing_combinations_count_as_zero():
    sparse = pd.DataFrame({"site": ["A", "B"], "source": ["x", "y"], "n": [30, 40]})
    table = RULE.counts(sparse, "n", ["site", "source"])
    assert len(table) == 4 and table["n"].sum() == 70


def test_hidden_values_are_not_plotted():
    table = RULE.counts(pd.DataFrame({"col": ["a", "b", "c"], "n": [2, 7, 30]}), "n", ["col"])
    assert plotted(table, "n").isna().tolist() == [True, True, False]


def test_leadership_sees_exact_figures():
    table = DisclosureRule.for_role("leadership").counts(as_long([[1, 2], [3, 4]]), "n", ["row", "col"])
    assert published(table, "n").tolist() == [1, 2, 3, 4]


@pytest.mark.parametrize("value, denominator, shown", [(0.5, 9, None), (0.5, 10, 0.5), (0.0, 0, None)])
def test_rates_over_fewer_than_ten_cases_are_withheld(value, denominator, shown):
    assert RULE.rate(value, denominator) == shown
    assert DisclosureRule.for_role("leadership").rate(0.5, 3) == 0.5


def test_the_threshold_is_configurable(monkeypatch):
    monkeypatch.setenv("SUPPRESSION_THRESHOLD", "9")
    rule = DisclosureRule.for_role("trustee")
    assert rule.hides_count(9) and not rule.hides_count(10) and not rule.hides_count(0)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 40), min_size=1, max_size=6).map(lambda drops: [
    sum(drops[i:]) for i in range(len(drops))]))
def test_funnel_stages_reveal_no_small_drop_out(stages):
    """Publishing stage counts publishes their differences: no small difference may be worked out."""
    hidden = RULE.nested(stages)
    assert not [n for n, h in zip(stages, hidden) if not h and 0 < n <= RULE.threshold]
    drops = [a - b for a, b in zip(stages, stages[1:])]
    for step, drop in enumerate(drops):
        if 0 < drop <= RULE.threshold:
            assert hidden[step] or hidden[step + 1], f"drop {step} derivable in {stages}"


def test_rates_are_withheld_with_their_counts():

    funnel = pd.DataFrame({"stage": ["received", "decided", "accepted"], "referrals": [40, 37, 12],
                           "previous": [np.nan, 40, 37], "share": [np.nan, 37 / 40, 12 / 37]})
    protected = RULE.protect(funnel, Counts("referrals", ("stage",), nested=True, rates={"share": "previous"}))
    # 40 → 37 loses 3 (small): "decided" is hidden, and so is its rate and the next rate's denominator.
    assert protected.table["referrals"].tolist() == ["40", MARKER, "12"]
    assert protected.table["share"].tolist()[1:] == [MARKER, MARKER]
    assert protected.plot["share"].isna().all()
    assert protected.any_hidden


def test_three_dimensions_keep_their_column_order_types_and_values():
    frame = pd.DataFrame({"month": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-02-01"]),
                          "site": ["A", "B", "A"], "move": ["in", "in", "out"],
                          "n": [30, 40, 2], "note": ["x", "y", "z"]})
    protected = RULE.counts(frame, "n", ["month", "site", "move"])
    assert list(protected.columns) == ["month", "site", "move", "n", "note", "hidden"]
    assert protected.dtypes.drop("hidden").equals(frame.dtypes)
    # Every recorded cell comes back with its own month, site and move (the rest are added zeros).
    recorded = protected.dropna(subset=["note"]).sort_values("note")
    assert recorded[["month", "site", "move", "n"]].reset_index(drop=True).equals(frame.drop(columns="note"))


def test_a_count_beside_its_denominator_is_hidden_when_their_difference_is_small():

    # 12 of 15 engaged says 3 were not: 12 is hidden, and secondary suppression hides another.
    retention = pd.DataFrame({"cohort": ["Q1", "Q2", "Q3"], "engaged": [12, 30, 40], "reached": [15, 40, 60],
                              "share": [12 / 15, 30 / 40, 40 / 60]})
    protected = RULE.protect(retention, Counts("engaged", ("cohort",), rates={"share": "reached"}))
    assert protected.table["engaged"].tolist() == [MARKER, MARKER, "40"]
    assert protected.table["share"].tolist()[:2] == [MARKER, MARKER]
    assert protected.table["reached"].tolist() == [15, 40, 60]  # denominators of 10 or more stay


cubes = st.tuples(st.integers(2, 3), st.integers(2, 4), st.integers(2, 3)).flatmap(
    lambda shape: st.lists(st.one_of(st.integers(0, 8), st.integers(0, 60)),
                           min_size=shape[0] * shape[1] * shape[2], max_size=shape[0] * shape[1] * shape[2])
    .map(lambda values: (shape, values)))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cubes)
def test_three_way_tables_leave_no_hidden_cell_alone_in_any_line(cube):
    """A sum over any one dimension may be published (the "All sites" figure beside a by-site
    breakdown, the denominator beside a share): no line along any dimension may hold exactly one
    hidden non-trivial cell, or that line's total would give it away."""
    (a, b, c), values = cube
    cells = [(f"o{i}", f"s{j}", f"t{k}") for i in range(a) for j in range(b) for k in range(c)]
    frame = pd.DataFrame(cells, columns=["outcome", "site", "time"]).assign(n=values)
    marked = RULE.counts(frame, "n", ["outcome", "site", "time"])
    small = marked["n"].between(1, RULE.threshold)
    assert marked.loc[small, "hidden"].all()
    for dim in ("outcome", "site", "time"):
        others = [d for d in ("outcome", "site", "time") if d != dim]
        for _, line in marked.groupby(others):
            total = line["n"].sum()
            if (line["n"] > 0).sum() < 2 or 0 < total <= RULE.threshold:
                continue  # a single non-zero cell is its own total; a small total is hidden itself
            assert line["hidden"].sum() != 1, f"a lone hidden cell along {dim}:\n{line}"


def test_an_unrecorded_category_is_protected_like_any_other():
    # An exit with no reason recorded (None) must not stop the table being protected.
    frame = pd.DataFrame({"month": ["m1"] * 3 + ["m2"] * 3, "site": ["A"] * 6,
                          "reason": ["completed", None, "moved_away"] * 2, "n": [20, 2, 30, 25, 9, 31]})
    protected = RULE.counts(frame, "n", ["month", "site", "reason"])
    assert protected.loc[protected["n"] == 2, "hidden"].all()
    assert protected["hidden"].sum() >= 2


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 6).flatmap(lambda cols: st.lists(st.lists(st.booleans(), min_size=cols, max_size=cols),
                                                       min_size=1, max_size=6)))
def test_bridges_are_exactly_the_hidden_cells_on_no_cycle(grid):
    from dashboard.disclosure import _bridges, _on_cycle

    hide = np.array(grid, dtype=bool)
    on_no_cycle = {(int(r), int(c)) for r, c in zip(*np.nonzero(hide)) if not _on_cycle(hide, r, c)}
    assert set(_bridges(hide)) == on_no_cycle


@pytest.mark.parametrize("dims", [("row", "col"), ("row", "col", "kind")])
def test_two_rows_for_one_cell_are_refused_not_half_protected(dims):
    # Protected as one cell, the other row's small count would have been published beside it.
    frame = pd.DataFrame({"row": ["r0", "r0", "r1", "r1"], "col": ["c0", "c0", "c1", "c0"],
                          "kind": ["k"] * 4, "n": [3, 20, 30, 40]})
    with pytest.raises(ValueError, match="More than one row for a cell"):
        RULE.protect(frame, Counts("n", dims))


def test_an_empty_three_way_table_stays_empty():
    frame = pd.DataFrame({"row": pd.Series([], dtype=object), "col": pd.Series([], dtype=object),
                          "kind": pd.Series([], dtype=object), "n": pd.Series([], dtype="int64")})
    protected = RULE.protect(frame, Counts("n", ("row", "col", "kind")))
    assert protected.table.empty and not protected.any_hidden
