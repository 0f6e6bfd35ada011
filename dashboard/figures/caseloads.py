"""The caseload figures: families and parents in the programme, practitioners' caseloads, and
the families who join and leave."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

import pandas as pd

from dashboard.figures import Chart, Figure, fixed
from dashboard.privacy.disclosure import Counts
from dashboard.privacy.grouping import EXIT_REASON_GROUPS, Grouping
from dashboard.viz import charts
from dashboard.words.definitions import SITES_AS_ONE_BAR
from dashboard.words.definitions import caseloads as definitions
from queries import caseloads

MOVEMENT_GROUPED = Grouping(
    time="month",
    categories={"movement": EXIT_REASON_GROUPS},
    over=("site",),
    over_words="enrolments and exits for all the sites shown together, not site by site",
)


def _families_chart(_table: pd.DataFrame, site_names: Sequence[str]) -> Chart:
    return partial(
        charts.panels_with_reference,
        x="month",
        y="families_active",
        panel="site",
        reference="target_caseload",
        colours=charts.site_colours(list(site_names)),
        reference_name="Target caseload",
        axis_titles=("Month", "Families active"),
        custom_data=["site"],
    )


FAMILIES_ACTIVE = Figure(
    title="Active families against target",
    definition=definitions.ACTIVE_FAMILIES,
    query=caseloads.families_active_by_site_month,
    counts=Counts("families_active", ("month", "site"), references=("target_caseload",), overlapping=("month",)),
    columns={
        "month": "Month",
        "site": "Site",
        "families_active": "Families active",
        "target_caseload": "Target caseload",
    },
    chart_for=_families_chart,
    prepare=lambda frame: frame[["month", "site", "families_active", "target_caseload"]],
    drill_to=("site",),
)


def _parents_chart(_table: pd.DataFrame, site_names: Sequence[str]) -> Chart:
    return partial(
        charts.lines,
        x="month",
        y="parents_active",
        colour="site",
        colours=charts.site_colours(list(site_names)),
        axis_titles=("Month", "Parents active"),
    )


PARENTS_ACTIVE = Figure(
    title="Active parents",
    definition=definitions.ACTIVE_PARENTS,
    query=caseloads.parents_active_by_site_month,
    counts=Counts("parents_active", ("month", "site"), overlapping=("month",)),
    columns={"month": "Month", "site": "Site", "parents_active": "Parents active"},
    chart_for=_parents_chart,
    prepare=lambda frame: frame,
)

# The parents each practitioner holds: for a protected viewer each site's total only (aggregates,
# not each practitioner's count), for leadership each site's spread, drawn practitioner by
# practitioner (the chart reads the query's own rows, `held`).
PARENTS_HELD_BY_SITE = Figure(
    title="Parents per practitioner",
    definition=definitions.PRACTITIONER_CASELOADS_BY_SITE,
    query=caseloads.practitioner_caseloads,
    counts=Counts("parents", ("site",), references=("practitioners",)),
    columns={"site": "Site", "practitioners": "Practitioners in post", "parents": "Parents held"},
    prepare=lambda held: held.groupby("site", as_index=False).agg(
        practitioners=("parents", "size"), parents=("parents", "sum")
    ),
)


def parents_held_spread(held: pd.DataFrame) -> Figure:
    return Figure(
        title="Parents per practitioner",
        definition=definitions.PRACTITIONER_CASELOADS,
        query=caseloads.practitioner_caseloads,
        counts=Counts("fewest", ("site",), counts=("most",), statistics={"median": "practitioners"}),
        columns={
            "site": "Site",
            "practitioners": "Practitioners",
            "fewest": "Fewest parents",
            "median": "Median parents",
            "most": "Most parents",
        },
        chart_for=lambda _summary, site_names: (
            lambda _table: charts.points(
                held,
                x="site",
                y="parents",
                colours=charts.site_colours(list(site_names)),
                axis_titles=("", "Parents held"),
                rows_are="Practitioners",
            )
        ),
        prepare=lambda frame: frame.groupby("site", as_index=False).agg(
            practitioners=("parents", "size"),
            fewest=("parents", "min"),
            median=("parents", "median"),
            most=("parents", "max"),
        ),
        sites_together=definitions.PRACTITIONERS_COUNTED,
    )


def enrolments_and_exits(grain: str) -> Figure:
    return Figure(
        title="Enrolments and exits",
        definition=definitions.ENROLMENTS_AND_EXITS,
        query=caseloads.enrolments_and_exits,
        counts=Counts("families", ("month", "site", "movement")),
        columns={"month": grain, "site": "Site", "movement": "Enrolled or exit reason", "families": "Families"},
        grouping=MOVEMENT_GROUPED,
        chart_for=fixed(
            partial(
                charts.bars,
                x="month",
                y="families",
                colour="movement",
                colours=charts.MOVEMENT_COLOURS,
                axis_titles=(grain, "Families"),
                sum_over="site",
            )
        ),
    )


OPEN_BY_STAGE = Figure(
    title="Open cases by stage",
    definition=definitions.OPEN_BY_STAGE,
    query=caseloads.open_cases_by_stage,
    counts=Counts("families", ("site", "stage")),
    columns={"site": "Site", "stage": "Stage", "families": "Families"},
    chart_for=fixed(
        partial(
            charts.bars,
            x="site",
            y="families",
            colour="stage",
            colours=charts.STAGE_COLOURS,
            horizontal=True,
            axis_titles=("Families", ""),
            custom_data=["site", "stage"],
            by_site=True,
        )
    ),
    sites_together=SITES_AS_ONE_BAR,
    drill_to=("site", "stage"),
)
