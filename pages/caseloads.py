"""Site caseloads: families and parents in the programme, practitioners' caseloads, and movement."""

from functools import partial

from dashboard.privacy.disclosure import Counts
from dashboard.privacy.grouping import EXIT_REASON_GROUPS, Grouping
from dashboard.shell import context
from dashboard.shell.grain import apply_grain, choose_grain
from dashboard.shell.panels import figure_panel, grouping_note, page_header
from dashboard.viz import charts
from dashboard.words import labels
from dashboard.words.definitions import caseloads as definitions
from queries import caseloads

view = context.current()
page_header(view, "Site caseloads", "How many families and parents each site is working with, and who holds them.")
MOVEMENT_GROUPED = Grouping(
    time="month",
    categories={"movement": EXIT_REASON_GROUPS},
    over=("site",),
    over_words="enrolments and exits for all the sites shown together, not site by site",
)
grouping_note(view, MOVEMENT_GROUPED)
site_colours = charts.site_colours(list(view.site_names.values()))
# Active parents reads every attended session, the longest wait: it starts first, and the families
# beside it are drawn while it runs.
view.prefetch(
    caseloads.parents_active_by_site_month,
    caseloads.families_active_by_site_month,
    caseloads.practitioner_caseloads,
    caseloads.enrolments_and_exits,
    caseloads.open_cases_by_stage,
)

figure_panel(
    view,
    "Active families against target",
    definitions.ACTIVE_FAMILIES,
    view.query(caseloads.families_active_by_site_month)[["month", "site", "families_active", "target_caseload"]],
    partial(
        charts.panels_with_reference,
        x="month",
        y="families_active",
        panel="site",
        reference="target_caseload",
        colours=site_colours,
        reference_name="Target caseload",
        axis_titles=("Month", "Families active"),
        custom_data=["site"],
    ),
    columns={
        "month": "Month",
        "site": "Site",
        "families_active": "Families active",
        "target_caseload": "Target caseload",
    },
    counts=Counts("families_active", ("month", "site"), references=("target_caseload",), overlapping=("month",)),
    drill_to=("site",),
)
figure_panel(
    view,
    "Active parents",
    definitions.ACTIVE_PARENTS,
    view.query(caseloads.parents_active_by_site_month),
    partial(
        charts.lines,
        x="month",
        y="parents_active",
        colour="site",
        colours=site_colours,
        axis_titles=("Month", "Parents active"),
    ),
    columns={"month": "Month", "site": "Site", "parents_active": "Parents active"},
    counts=Counts("parents_active", ("month", "site"), overlapping=("month",)),
)

held = view.query(caseloads.practitioner_caseloads)
if view.disclosure.active:
    # Aggregates only: the parents each site's practitioners hold, not each practitioner's count.
    by_site = held.groupby("site", as_index=False).agg(practitioners=("parents", "size"), parents=("parents", "sum"))
    figure_panel(
        view,
        "Parents per practitioner",
        definitions.PRACTITIONER_CASELOADS_BY_SITE,
        by_site,
        columns={"site": "Site", "practitioners": "Practitioners in post", "parents": "Parents held"},
        counts=Counts("parents", ("site",), references=("practitioners",)),
    )
else:
    held_by_site = held.groupby("site", as_index=False).agg(
        practitioners=("parents", "size"),
        fewest=("parents", "min"),
        median=("parents", "median"),
        most=("parents", "max"),
    )
    figure_panel(
        view,
        "Parents per practitioner",
        charts.defined_for_its_sites(
            definitions.PRACTITIONER_CASELOADS, held_by_site, together=definitions.PRACTITIONERS_COUNTED
        ),
        held_by_site,
        lambda _summary: charts.points(
            held,
            x="site",
            y="parents",
            colours=site_colours,
            axis_titles=("", "Parents held"),
            rows_are="Practitioners",
        ),
        columns={
            "site": "Site",
            "practitioners": "Practitioners",
            "fewest": "Fewest parents",
            "median": "Median parents",
            "most": "Most parents",
        },
        counts=Counts("fewest", ("site",), counts=("most",), statistics={"median": "practitioners"}),
    )

grain = choose_grain(view, "movement_grain")
figure_panel(
    view,
    "Enrolments and exits",
    definitions.ENROLMENTS_AND_EXITS,
    labels.in_words(apply_grain(view.query(caseloads.enrolments_and_exits), grain)),
    partial(
        charts.bars,
        x="month",
        y="families",
        colour="movement",
        colours=charts.MOVEMENT_COLOURS,
        axis_titles=(grain, "Families"),
        sum_over="site",
    ),
    columns={"month": grain, "site": "Site", "movement": "Enrolled or exit reason", "families": "Families"},
    counts=Counts("families", ("month", "site", "movement")),
    grouping=MOVEMENT_GROUPED,
)

open_by_stage = labels.in_words(view.query(caseloads.open_cases_by_stage))
figure_panel(
    view,
    "Open cases by stage",
    charts.defined_for_its_sites(definitions.OPEN_BY_STAGE, open_by_stage),
    open_by_stage,
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
    ),
    columns={"site": "Site", "stage": "Stage", "families": "Families"},
    counts=Counts("families", ("site", "stage")),
    drill_to=("site", "stage"),
)
