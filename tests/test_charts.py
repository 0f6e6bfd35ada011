"""The house charts' own decisions: how many sites get a panel each, and totals that never hide a gap."""

from __future__ import annotations

import math

import pandas as pd

from dashboard.viz import charts


def active(sites: int, hidden_site: int | None = None) -> pd.DataFrame:
    rows = [
        {"month": month, "site": f"Site {i:03d}", "families": float(10 + i), "target": 20}
        for month in ("2025-01", "2025-02")
        for i in range(sites)
    ]
    frame = pd.DataFrame(rows)
    if hidden_site is not None:
        frame.loc[(frame["site"] == f"Site {hidden_site:03d}") & (frame["month"] == "2025-02"), "families"] = None
    return frame


def draw(frame: pd.DataFrame):
    colours = charts.site_colours(sorted(frame["site"].unique()))
    return charts.panels_with_reference(
        frame, x="month", y="families", panel="site", reference="target", colours=colours, reference_name="Target"
    )


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


def site_lines(sites: int, hidden_site: int | None = None):
    frame = active(sites, hidden_site)
    return charts.lines(
        frame, x="month", y="families", colour="site", colours=charts.site_colours(sorted(frame["site"].unique()))
    )


def test_a_few_sites_get_a_line_each():
    figure = site_lines(3)
    assert [t.name for t in figure.data] == ["Site 000", "Site 001", "Site 002"]
    assert list(figure.data[2].y) == [12.0, 12.0]


def test_many_sites_are_drawn_as_their_median_and_the_middle_80_percent():
    # 13 sites of 10, 11, … 22 families; in February site 0's count is hidden (not drawn).
    low, high, median = site_lines(charts.MAX_PANELS + 1, hidden_site=0).data
    assert median.name == "Median of the 13 sites"
    # January: median of 10…22 is 16; 10th percentile 10 + 0.1 × 12 = 11.2; 90th 10 + 0.9 × 12 = 20.8.
    # February, without site 0: 11…22, median 16.5; 11 + 0.1 × 11 = 12.1; 11 + 0.9 × 11 = 20.9.
    assert list(median.y) == [16.0, 16.5]
    assert [round(v, 6) for v in low.y] == [11.2, 12.1] and [round(v, 6) for v in high.y] == [20.8, 20.9]
    assert [row[2] for row in median.customdata] == [13, 12]  # the sites behind each month's median
    assert high.fill == "tonexty" and low.showlegend is False


def test_many_sites_count_the_practitioners_holding_each_number_of_parents():
    # 13 sites of two practitioners each: one holding 4 parents, the other the site's number + 1.
    held = pd.DataFrame(
        {
            "site": [f"Site {i:03d}" for i in range(charts.MAX_PANELS + 1) for _ in range(2)],
            "parents": [n for i in range(charts.MAX_PANELS + 1) for n in (4, i + 1)],
        }
    )
    [counted] = charts.points(
        held, x="site", y="parents", colours={}, axis_titles=("", "Parents held"), rows_are="Practitioners"
    ).data
    assert counted.name == "All 13 sites"
    # 4 parents: 13 practitioners holding 4, and site 3's other; 1 to 13 parents otherwise one each.
    assert dict(zip(counted.x, counted.y)) == {**{n: 1 for n in range(1, 14)}, 4: 14}
    assert "Practitioners: %{y}" in counted.hovertemplate
    assert len(charts.points(held.head(6), x="site", y="parents", colours={}).data) == 3


def test_bars_coloured_by_many_sites_are_their_sum():
    # 13 sites, each with 1 record failing "missing date of birth" and site i with i failing
    # "impossible dates": the bars are 13 and 0 + 1 + … + 12 = 78, one colour, for all 13 sites.
    problems = pd.DataFrame(
        [
            {"site": f"Site {i:03d}", "check": check, "records": records}
            for i in range(charts.MAX_PANELS + 1)
            for check, records in (("missing date of birth", 1), ("impossible dates", i))
        ]
    )
    [summed] = charts.bars(
        problems,
        x="check",
        y="records",
        colour="site",
        horizontal=True,
        colours=charts.site_colours(sorted(problems["site"].unique())),
        custom_data=["site", "check"],
    ).data
    assert summed.name == "All 13 sites"
    assert dict(zip(summed.y, summed.x)) == {"missing date of birth": 13, "impossible dates": 78}
    # A click drills to the check across every site (no one site is named).
    assert [list(row) for row in summed.customdata] == [
        ["All 13 sites", "missing date of birth"],
        ["All 13 sites", "impossible dates"],
    ]
    # Site 012's 12 impossible dates hidden from this viewer: the bar is the 66 shown, and says so.
    problems.loc[(problems["site"] == "Site 012") & (problems["check"] == "impossible dates"), "records"] = None
    [partly] = charts.bars(
        problems, x="check", y="records", colour="site", horizontal=True, colours={}, custom_data=["site", "check"]
    ).data
    assert dict(zip(partly.y, partly.x)) == {"missing date of birth": 13, "impossible dates": 66}
    assert dict(zip(partly.y, partly.hovertext))["impossible dates"] == charts.PARTS_HIDDEN
    few = charts.bars(
        problems[problems["site"] < "Site 003"],
        x="check",
        y="records",
        colour="site",
        colours={},
        custom_data=["site", "check"],
    )
    assert [t.name for t in few.data] == ["Site 000", "Site 001", "Site 002"]


def movements(hidden: bool = False) -> pd.DataFrame:
    # Two sites' enrolments and exits by month: Northby 3 and Southby 4 enrolled in January.
    frame = pd.DataFrame(
        {
            "month": ["2025-01", "2025-01", "2025-01", "2025-02"],
            "site": ["Northby", "Southby", "Northby", "Southby"],
            "movement": ["Enrolled", "Enrolled", "Exit", "Enrolled"],
            "families": [3.0, 4.0, 1.0, 6.0],
        }
    )
    if hidden:
        frame.loc[1, "families"] = None  # Southby's 4, hidden from this viewer
    return frame


def bar_heights(figure) -> dict[tuple[str, str], list[float]]:
    heights: dict[tuple[str, str], list[float]] = {}
    for trace in figure.data:
        for x, y in zip(trace.x, trace.y):
            heights.setdefault((trace.name, x), []).append(y)
    return heights


def test_bars_of_one_colour_at_one_month_are_drawn_as_their_sum():
    figure = charts.bars(
        movements(), x="month", y="families", colour="movement", colours=charts.MOVEMENT_COLOURS, sum_over="site"
    )
    assert bar_heights(figure) == {
        ("Enrolled", "2025-01"): [7.0],
        ("Exit", "2025-01"): [1.0],
        ("Enrolled", "2025-02"): [6.0],
    }
    # Only when asked: bars of shares or medians must never be added up.
    apart = charts.bars(movements(), x="month", y="families", colour="movement", colours=charts.MOVEMENT_COLOURS)
    assert bar_heights(apart)[("Enrolled", "2025-01")] == [3.0, 4.0]


def test_a_bar_with_a_hidden_part_is_the_sum_shown_and_its_hover_says_there_is_more():
    frame = movements(hidden=True)
    frame.loc[3, "families"] = None  # Southby's 6 in February: every part of that bar hidden
    figure = charts.bars(
        frame, x="month", y="families", colour="movement", colours=charts.MOVEMENT_COLOURS, sum_over="site"
    )
    heights = bar_heights(figure)
    assert heights[("Enrolled", "2025-01")] == [3.0]  # Northby's 3 (Southby's 4 hidden): not 7
    assert heights[("Exit", "2025-01")] == [1.0]
    assert math.isnan(heights[("Enrolled", "2025-02")][0])  # nothing shown, nothing drawn
    hovers = {(t.name, x): note for t in figure.data for x, note in zip(t.x, t.hovertext)}
    assert "or more" in hovers[("Enrolled", "2025-01")] and "hidden" in hovers[("Enrolled", "2025-01")]
    assert hovers[("Exit", "2025-01")] == ""
    assert all("%{hovertext}" in t.hovertemplate for t in figure.data)


def test_monthly_dates_go_to_the_browser_as_iso_dates_on_a_monthly_axis():
    frame = pd.DataFrame({"month": pd.to_datetime(["2025-01-01", "2025-02-01"]), "site": "Northby", "families": [3, 4]})
    figure = charts.lines(frame, x="month", y="families", colour="site", colours={})
    assert list(figure.data[0].x) == ["2025-01-01", "2025-02-01"]
    assert figure.layout.xaxis.tickformat == "%b %Y"
    # A line starting with a gap is still on a monthly axis.
    gap = frame.assign(month=pd.to_datetime([None, "2025-02-01"]))
    assert charts.lines(gap, x="month", y="families", colour="site", colours={}).layout.xaxis.tickformat == "%b %Y"
    # Times of day are kept where there are any.
    visits = frame.assign(month=pd.to_datetime(["2025-01-01 09:30", "2025-02-01 00:00"]))
    assert list(charts.lines(visits, x="month", y="families", colour="site", colours={}).data[0].x) == [
        "2025-01-01 09:30:00",
        "2025-02-01 00:00:00",
    ]


def open_by_stage(sites: int) -> pd.DataFrame:
    # Site i has i + 1 families in pregnancy and 2 with a baby under one.
    return pd.DataFrame(
        [
            {"site": f"Site {i:03d}", "stage": stage, "families": float(n)}
            for i in range(sites)
            for stage, n in (("Pregnancy", i + 1), ("Under one", 2))
        ]
    )


def by_site(frame: pd.DataFrame):
    return charts.bars(
        frame,
        x="site",
        y="families",
        colour="stage",
        colours={},
        horizontal=True,
        custom_data=["site", "stage"],
        by_site=True,
    )


def test_bars_by_site_past_the_panel_limit_are_one_bar_of_the_sites_shown():
    frame = open_by_stage(charts.MAX_PANELS + 1)
    frame.loc[(frame["site"] == "Site 012") & (frame["stage"] == "Under one"), "families"] = None  # hidden
    figure = by_site(frame)
    sums = {t.name: (list(t.y), list(t.x), [list(c) for c in t.customdata], list(t.hovertext)) for t in figure.data}
    # Pregnancy: 1 + 2 + … + 13 = 91 at the 13 sites; under one: 2 at each of the 12 sites shown.
    assert sums["Pregnancy"] == (["All 13 sites"], [91.0], [["All 13 sites", "Pregnancy"]], [""])
    assert sums["Under one"][:3] == (["All 13 sites"], [24.0], [["All 13 sites", "Under one"]])
    assert "or more" in sums["Under one"][3][0]


def test_bars_by_site_up_to_the_panel_limit_are_a_bar_each():
    figure = by_site(open_by_stage(charts.MAX_PANELS))
    pregnancy = next(t for t in figure.data if t.name == "Pregnancy")
    assert list(pregnancy.y) == [f"Site {i:03d}" for i in range(charts.MAX_PANELS)]
    assert list(pregnancy.x) == [float(i + 1) for i in range(charts.MAX_PANELS)]
