"""Outcome trends by site and by enrolment cohort on the page: each measure's choice of All / By
site / By enrolment cohort, for every role, against figures worked out by hand in test_outcomes.py
(OUTCOME_TABLES) and on a database of more sites than get a colour each."""

from __future__ import annotations

import json
import math

import pytest

from tests import case_db
from tests.case_db import family, parent, referral, site, social_care
from tests.test_outcomes import (
    FY_PARAMS,
    MARKER,
    OUTCOME_TABLES,
    PANELS,
    Q3_PARAMS,
    ROUNDED_10,
    _disclosure_tables,
    baby,
    complements,
    core10,
    number,
    open_page,
    plotted,
    small_counts,
    tables,
)

MEASURES = ("social_care_by", "babies_by", "wellbeing_by")  # each measure's choice, held in the URL
BY_SITE_PANELS = [
    "Social care involvement by site",
    "Babies within the normal range by site",
    "Parents' wellbeing: change from entry by site",
    "Parents with reliable improvement by site",
]
BY_COHORT_PANELS = [
    "Social care involvement by enrolment cohort",
    "Babies within the normal range by enrolment cohort",
    "Parents' wellbeing: change from entry by enrolment cohort",
    "Parents with reliable improvement by enrolment cohort",
]
EXPECTED_PANELS = {"All": PANELS, "By site": BY_SITE_PANELS, "By enrolment cohort": BY_COHORT_PANELS}


def shares_shown(column) -> list[float]:
    """The figures of a table's column that are shown as numbers (not withheld, not empty)."""
    numbers = [number(v) for v in column if v not in (MARKER, "–")]
    return [n for n in numbers if not math.isnan(n)]


def every_measure(breakdown: str) -> dict[str, str]:
    return dict.fromkeys(MEASURES, breakdown)


@pytest.fixture
def outcomes_url(tmp_path, monkeypatch):
    return case_db.served(tmp_path / "outcomes.sqlite", OUTCOME_TABLES, monkeypatch)


def charts(app) -> dict[str, dict]:
    """Each drawn chart's figure, by its panel's title (a panel keys its chart 'chart-<title>')."""
    return {chart.proto.id.split("-chart-", 1)[1]: json.loads(chart.proto.spec) for chart in app.get("plotly_chart")}


def bars(figure: dict) -> dict[tuple[str, str, str], float]:
    """Every bar's height by (its small chart's title, or "" in a single chart; its trace's name;
    its x)."""
    titles = _small_chart_titles(figure["layout"])
    return {
        (titles.get(trace.get("xaxis", "x"), ""), trace["name"], x): y
        for trace in figure["data"]
        for x, y in zip(trace["x"], plotted(trace["y"]))
    }


def _small_chart_titles(layout: dict) -> dict[str, str]:
    """Which small chart each x axis draws: Plotly Express titles each one with an annotation
    centred over its axis, on the top edge of the axis's y domain."""
    found = {}
    for name, axis in layout.items():
        if name.startswith("xaxis") and "domain" in axis:
            top = layout["yaxis" + name[len("xaxis") :]]["domain"][1]
            centre = sum(axis["domain"]) / 2
            for note in layout.get("annotations", []):
                if note.get("yref") == "paper" and math.isclose(note["x"], centre) and math.isclose(note["y"], top):
                    found["x" + name[len("xaxis") :]] = note["text"]
    return found


# --- Every breakdown for every role ------------------------------------------------------------


@pytest.mark.parametrize("params", [FY_PARAMS, {**Q3_PARAMS, "sites": "Southby"}], ids=["year", "quarter-southby"])
@pytest.mark.parametrize("breakdown", list(EXPECTED_PANELS))
@pytest.mark.parametrize("user", ["leader", "trustee", "commissioner"])
def test_every_breakdown_renders_for_every_role(outcomes_url, user, breakdown, params):
    app = open_page(user, {**params, **every_measure(breakdown)})
    assert not app.exception
    assert [s.value for s in app.subheader] == EXPECTED_PANELS[breakdown]
    assert [c.value for c in app.segmented_control] == [breakdown] * 3


def test_each_measure_is_broken_down_on_its_own(outcomes_url):
    app = open_page("leader", {**FY_PARAMS, "babies_by": "By enrolment cohort"})
    assert [s.value for s in app.subheader] == [PANELS[0], BY_COHORT_PANELS[1], *PANELS[2:]]
    app.segmented_control(key="wellbeing_by").set_value("By site").run()
    assert not app.exception
    assert [s.value for s in app.subheader] == [PANELS[0], BY_COHORT_PANELS[1], *BY_SITE_PANELS[2:]]


# --- The leader's figures ----------------------------------------------------------------------


def test_the_leaders_tables_by_site_hold_the_hand_worked_figures(outcomes_url):
    shown = tables(open_page("leader", {**FY_PARAMS, **every_measure("By site")}))
    babies = shown["Babies within the normal range by site"]
    within = babies[babies["Result"] == "Within the normal range"]
    # test_babies_within_the_normal_range_by_site: Southby's communication at 24 months is F6 ✗, F7 ✓.
    assert list(
        zip(
            within["Site"],
            within["Measure"],
            within["Age"],
            within["Babies"],
            within["Babies assessed"],
            within["Share of babies assessed (%)"],
        )
    )[4:6] == [
        ("Southby", "ASQ-3 communication", "12 months", 1, 1, 100.0),
        ("Southby", "ASQ-3 communication", "24 months", 1, 2, 50.0),
    ]
    reliable = shown["Parents with reliable improvement by site"]
    improved = reliable[reliable["Change from entry"] == "Reliable improvement"]
    assert list(zip(improved["Site"], improved["Role"], improved["Compared with entry at"], improved["Parents"])) == [
        ("Northby", "Mothers", "Birth", 1),
        ("Northby", "Mothers", "12 months", 1),
        ("Northby", "Fathers", "Birth", 0),
        ("Northby", "Fathers", "24 months", 1),
        ("Southby", "Mothers", "12 months", 1),
        ("Southby", "Mothers", "24 months", 0),
    ]
    change = shown["Parents' wellbeing: change from entry by site"]
    southby = change[(change["Site"] == "Southby") & (change["Parents with both scores"] > 0)]
    assert southby[["Compared with entry at", "Mean change (points)"]].values.tolist() == [
        ["12 months", -9.0],
        ["24 months", 2.0],
    ]


def test_the_leaders_charts_by_site_and_cohort(outcomes_url):
    by_site = charts(open_page("leader", {**FY_PARAMS, **every_measure("By site")}))
    babies = bars(by_site["Babies within the normal range by site"])
    # One small chart per measure assessed, in the measures' order; a bar per site and age.
    assert sorted({chart for chart, _, _ in babies}) == [
        "ASQ-3 communication",
        "ASQ-3 gross motor",
        "ASQ:SE-2 social-emotional",
    ]
    assert babies[("ASQ-3 communication", "Southby", "24 months")] == 50.0
    assert babies[("ASQ-3 gross motor", "Northby", "12 months")] == 0.0
    assert ("ASQ:SE-2 social-emotional", "Northby", "24 months") not in babies  # F11's has no result
    by_cohort = charts(open_page("leader", {**FY_PARAMS, **every_measure("By enrolment cohort")}))
    improvement = bars(by_cohort["Parents with reliable improvement by enrolment cohort"])
    assert improvement == {
        ("Mothers", "2022/23", "12 months"): 100.0,
        ("Mothers", "2022/23", "24 months"): 0.0,
        ("Mothers", "2023/24", "12 months"): 100.0,
        ("Mothers", "2024/25", "Birth"): 100.0,
        ("Fathers", "2022/23", "24 months"): 100.0,
        ("Fathers", "2024/25", "Birth"): 0.0,
    }
    change = bars(by_cohort["Parents' wellbeing: change from entry by enrolment cohort"])
    assert change[("Mothers", "2022/23", "12 months")] == -10.0
    assert change[("Fathers", "2024/25", "Birth")] == -5.0


# --- Scope and small numbers ------------------------------------------------------------------


@pytest.mark.parametrize("breakdown", ["By site", "By enrolment cohort"])
def test_a_commissioner_sees_only_their_site_in_every_breakdown(outcomes_url, breakdown):
    app = open_page("commissioner", {**FY_PARAMS, **every_measure(breakdown)})
    shown = tables(app)
    assert list(shown) == EXPECTED_PANELS[breakdown]
    if breakdown == "By site":
        for title, frame in shown.items():
            assert set(frame["Site"]) == {"Southby"}, title
    else:
        # Southby's babies: F6, F7 (2022/23) at 24 months and F10 (2023/24) at 12 months. Northby's F9
        # would add a 2022/23 row at 12 months.
        babies = shown["Babies within the normal range by enrolment cohort"]
        assert sorted(set(zip(babies["Enrolment cohort"], babies["Age"]))) == [
            ("2022/23", "24 months"),
            ("2023/24", "12 months"),
        ]
    # Asking for Northby through the URL shows nothing of it.
    elsewhere = tables(open_page("commissioner", {**FY_PARAMS, **every_measure(breakdown), "sites": "Northby"}))
    for frame in elsewhere.values():
        assert "Northby" not in set(frame.get("Site", []))


@pytest.fixture(params=["hand-worked", "larger"])
def any_url(request, tmp_path, monkeypatch):
    data = OUTCOME_TABLES if request.param == "hand-worked" else _disclosure_tables()
    return case_db.served(tmp_path / "cases.sqlite", data, monkeypatch)


@pytest.mark.parametrize("breakdown", ["By site", "By enrolment cohort"])
@pytest.mark.parametrize("user", ["trustee", "commissioner"])
def test_no_small_count_reaches_a_trustee_or_commissioner_in_a_breakdown(any_url, user, breakdown):
    app = open_page(user, {**FY_PARAMS, **every_measure(breakdown)})
    assert not app.exception
    shown = tables(app)
    assert len(shown) == len(app.dataframe)
    for title, frame in shown.items():
        assert not small_counts(frame), f"{title} shows {small_counts(frame)} to a {user}"


def test_a_trustee_cannot_work_out_a_sites_hidden_complement(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", case_db.build(tmp_path / "d.sqlite", _disclosure_tables()))
    shown = tables(open_page("trustee", {**FY_PARAMS, **every_measure("By site")}))
    babies = shown["Babies within the normal range by site"].set_index(["Result", "Site", "Measure"])
    # Northby's communication: 11 of 12 within the normal range (11 → 10, 12 → 10: a share of
    # 100 × 10 / 10 = 100), 1 outside, shown as the marker with its share withheld. With the 12 and
    # the 11 each anywhere from 8 to 12, the one outside may be 1, 2, 3 or 4: it cannot be recovered.
    within = babies.loc[("Within the normal range", "Northby", "ASQ-3 communication")]
    assert (within["Babies"], number(within["Babies assessed"]), within["Share of babies assessed (%)"]) == (
        "10",
        10,
        "100",
    )
    outside = babies.loc[("Outside the normal range", "Northby", "ASQ-3 communication")]
    assert (outside["Babies"], outside["Share of babies assessed (%)"]) == (MARKER, "–")
    assert complements(ROUNDED_10, ROUNDED_10) == {1, 2, 3, 4}
    reliable = shown["Parents with reliable improvement by site"].set_index(["Change from entry", "Site"])
    # 7 of 12 Northby mothers improved reliably, 5 did not: both the marker, both shares withheld,
    # the 12 published as 10; each of the two may be anything from 1 to 7 (1 + 7 = 8 … 7 + 5 = 12).
    for result in ("Reliable improvement", "No reliable improvement"):
        row = reliable.loc[(result, "Northby")]
        assert (
            row["Parents"],
            number(row["Parents with both scores"]),
            row["Share of parents with both scores (%)"],
        ) == (MARKER, 10, "–"), result
    assert complements(ROUNDED_10, range(1, 8)) == set(range(1, 8))
    change = shown["Parents' wellbeing: change from entry by site"]
    mothers = change[(change["Site"] == "Northby") & (change["Role"] == "Mothers")].iloc[0]
    # Twelve mothers (12 → 10), more than 7: the mean is shown. (7 × −8 + 5 × −3) / 12 = −5.9.
    assert (number(mothers["Parents with both scores"]), number(mothers["Mean change (points)"])) == (10, -5.9)


# --- More sites than get a colour each --------------------------------------------------------

SITES = 13  # one more than dashboard.viz.charts.MAX_PANELS
EXTRA = 12  # more families at site 1, so that its own figures may be shown to a trustee


def _many_sites() -> dict[str, list]:
    """13 sites with a family each, and 12 more families at site 1 (families 14–25), all recorded
    in FY 2024/25: social care at 24 months (odd-numbered families involved: 13 of 25); the baby's
    communication at 24 months (within the normal range but for families 11–13: 22 of 25); a
    mother's CORE-10 from 20 at entry to 20 − f at 24 months for families 1–13 (a change of −f)
    and to 12 (−8) for the 12 more: a mean change of (−91 − 96) / 25, reliable for families 6–25
    (20 of 25)."""
    rows: dict[str, list] = {
        "sites": [site(i, f"Site {i:02d}") for i in range(1, SITES + 1)],
        "families": [],
        "social_care_status": [],
        "parents": [],
        "assessments": [],
        "referrals": [referral(1, 1, "2022-04-01"), referral(2, 2, "2025-05-01")],
    }
    ids = iter(range(1, 1000))
    for f in range(1, SITES + EXTRA + 1):
        rows["families"].append(family(f, f if f <= SITES else 1, "2022-06-01", birth="2022-12-01"))
        rows["social_care_status"].append(social_care(f, "m24", "child_in_need" if f % 2 else "none", "2024-12-02"))
        rows["assessments"].append(baby(next(ids), f, "asq3_communication", "m24", not 11 <= f <= 13, "2024-12-03"))
        rows["parents"].append(parent(100 + f, f, "mother"))
        rows["assessments"].append(core10(next(ids), f, 100 + f, "entry", 20, "2022-06-02"))
        rows["assessments"].append(core10(next(ids), f, 100 + f, "m24", 20 - f if f <= SITES else 12, "2024-12-04"))
    return rows


@pytest.fixture
def many_sites_url(tmp_path, monkeypatch):
    return case_db.served(tmp_path / "many.sqlite", _many_sites(), monkeypatch)


ALL_SITES = f"All {SITES} sites"
OTHER = "Other (small numbers together)"  # small categories merged for a trustee (docs/privacy.md)


def test_past_twelve_sites_the_charts_draw_all_sites_together(many_sites_url):
    app = open_page("leader", {**FY_PARAMS, **every_measure("By site")})
    assert not app.exception
    drawn = charts(app)
    assert list(drawn) == BY_SITE_PANELS
    social = drawn["Social care involvement by site"]
    assert [trace["name"] for trace in social["data"]] == [ALL_SITES]
    assert bars(social)[("", ALL_SITES, "24 months")] == pytest.approx(100 * 13 / 25)
    assert bars(drawn["Babies within the normal range by site"]) == {
        ("ASQ-3 communication", ALL_SITES, "24 months"): pytest.approx(100 * 22 / 25)
    }
    # Weighted by parents (−7.48); a mean of the sites' own means would be (−7.5 − 2 − 3 … − 13) / 13
    # = −7.3. The sites' means come rounded to 0.1, as in the table, so the total is within 0.05.
    assert bars(drawn["Parents' wellbeing: change from entry by site"]) == {
        ("Mothers", ALL_SITES, "24 months"): pytest.approx(-187 / 25, abs=0.05)
    }
    assert bars(drawn["Parents with reliable improvement by site"]) == {
        ("Mothers", ALL_SITES, "24 months"): pytest.approx(100 * 20 / 25)
    }
    # The table still gives each site, and the definition says why the chart does not.
    assert set(tables(app)["Babies within the normal range by site"]["Site"]) == {
        f"Site {i:02d}" for i in range(1, SITES + 1)
    }
    assert "With more than 12 sites the chart shows all of them together" in "\n".join(c.value for c in app.caption)


def test_past_twelve_sites_a_trustee_sees_no_total_that_rests_on_a_hidden_site(many_sites_url):
    app = open_page("trustee", {**FY_PARAMS, **every_measure("By site")})
    assert not app.exception
    shown, drawn = tables(app), charts(app)
    # Site 1's 13 mothers (13 → 15) may be shown, with their mean, (−1 − 12 × 8) / 13 = −7.46 → −7.5;
    # every other site's one mother is the marker, its mean withheld ...
    change = shown["Parents' wellbeing: change from entry by site"].set_index("Site")
    assert number(change.loc["Site 01", "Parents with both scores"]) == 15
    assert number(change.loc["Site 01", "Mean change (points)"]) == round((-1 - 96) / 13, 1)
    others = change.drop(index="Site 01")
    assert (set(others["Parents with both scores"]), set(others["Mean change (points)"])) == ({MARKER}, {"–"})
    # ... and reliable improvement: Site 1's 12 of 13 (families 14–25; family 1 fell by 1) → 10 of 15,
    # 100 × 10 / 15 = 66.7 → 67; its 1 without, and sites 6–13's one each with (a fall of 6 to 13),
    # are the marker.
    reliable = shown["Parents with reliable improvement by site"]
    improved = reliable[reliable["Change from entry"] == "Reliable improvement"].set_index("Site")
    assert improved.loc[
        "Site 01", ["Parents", "Parents with both scores", "Share of parents with both scores (%)"]
    ].tolist() == ["10", "15", "67"]
    assert set(improved.loc[[f"Site {i:02d}" for i in range(6, SITES + 1)], "Parents"]) == {MARKER}
    # The chart draws all thirteen sites as one: from their exact totals, rounded (DESIGN 5), so its
    # bars are the figures the "All" view's table shows, not sums of the sites' rounded figures.
    everyone = tables(open_page("trustee", {**FY_PARAMS, **every_measure("All")}))
    all_change = everyone["Parents' wellbeing: change from entry"]
    all_improved = everyone["Parents with reliable improvement"]
    all_improved = all_improved[all_improved["Change from entry"] == "Reliable improvement"]
    for title, shown_there in (
        ("Parents' wellbeing: change from entry by site", all_change["Mean change (points)"]),
        ("Parents with reliable improvement by site", all_improved["Share of parents with both scores (%)"]),
    ):
        heights = sorted(y for y in bars(drawn[title]).values() if not math.isnan(y))
        assert heights and heights == sorted(shares_shown(shown_there)), title
    # Social care: Site 1 has 7 involved (families 1, 15, 17 … 25) and 6 not (14, 16 … 24), every
    # other site 1 or 0: every site's count is 0 or the marker, yet the sites' exact total is not
    # small, so the chart of all of them as one is drawn, as the "All" view's table has it.
    all_social = everyone["Families with social care involved"]
    involved = all_social[all_social["Social care"] == "Social care involved"]["Share of families recorded (%)"]
    heights = sorted(y for y in bars(drawn["Social care involvement by site"]).values() if not math.isnan(y))
    assert heights and heights == sorted(shares_shown(involved))
    # Babies: Site 1's 13 of 13 within (13 → 15) and one baby at each other site: within at sites
    # 2–10, outside at 11–13. Site by site, each of the nine within would be pinned by the line's
    # total: 22 within → 20 (at most 22), Site 1's 15 (at least 13), so nine sites of at least 1
    # each (13 + 9 = 22) are exactly 1. So the twelve small sites are one group for a trustee:
    # 9 within (→ 10) of 12 (→ 10), share 100 × 10 / 10 = 100, and 3 outside (the marker).
    babies = shown["Babies within the normal range by site"]
    assert list(
        zip(
            babies["Result"],
            babies["Site"],
            babies["Babies"],
            babies["Babies assessed"],
            babies["Share of babies assessed (%)"],
        )
    ) == [
        ("Within the normal range", "Site 01", "15", 15, "100"),
        ("Within the normal range", OTHER, "10", 10, "100"),
        ("Outside the normal range", "Site 01", "0", 15, "0"),
        ("Outside the normal range", OTHER, MARKER, 10, "–"),
    ]
    # Its total of all sites rests on no hidden figure (Site 1's and the group's within), so it is drawn.
    [(key, height)] = bars(drawn["Babies within the normal range by site"]).items()
    assert (key[0], key[2]) == ("ASQ-3 communication", "24 months") and not math.isnan(height)
    for frame in shown.values():
        assert not small_counts(frame)
