"""The house charts' own decisions: how many sites get a panel each, and totals that never hide a gap."""

from __future__ import annotations

import math

import pandas as pd

from dashboard import charts


def active(sites: int, hidden_site: int | None = None) -> pd.DataFrame:
    rows = [{"month": month, "site": f"Site {i:03d}", "families": float(10 + i), "target": 20}
            for month in ("2025-01", "2025-02") for i in range(sites)]
    frame = pd.DataFrame(rows)
    if hidden_site is not None:
        frame.loc[(frame["site"] == f"Site {hidden_site:03d}") & (frame["month"] == "2025-02"), "families"] = None
    return frame


def draw(frame: pd.DataFrame):
    colours = charts.site_colours(sorted(frame["site"].unique()))
    return charts.panels_with_reference(frame, x="month", y="families", panel="site", reference="target",
                                        colours=colours, reference_name="Target")


def test_a_few_sites_get_a_panel_each():
    figure = draw(active(3))
    assert [a.text for a in figure.layout.annotations] == ["Site 000", "Site 001", "Site 002"]


def test_many_sites_are_drawn_as_their_total_against_the_total_target():
    figure = draw(active(charts.MAX_PANELS + 1))
    [line, target] = figure.data
    # 13 sites of 10, 11, … 22 families: 208 a month, against 13 × 20 = 260.
    assert list(line.y) == [208.0, 208.0] and list(target.y) == [260, 260]
    assert [a.text for a in figure.layout.annotations] == ["All 13 sites"]


def test_a_total_with_a_hidden_site_is_not_drawn():
    [line, _target] = draw(active(charts.MAX_PANELS + 1, hidden_site=4)).data
    assert line.y[0] == 208.0 and math.isnan(line.y[1])
