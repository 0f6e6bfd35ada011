"""Site caseloads: families and parents in the programme, practitioners' caseloads, and movement."""

from dashboard import charts, context, definitions, labels
from dashboard.grain import apply_grain, choose_grain
from dashboard.panels import figure_panel, page_header
from queries import caseloads

view = context.current()
page_header(view, "Site caseloads", "How many families and parents each site is working with, and who holds them.")
site_colours = charts.site_colours(list(view.site_names.values()))

active = view.query(caseloads.active_by_month)
families_chart = charts.panels_with_reference(
    active, x="month", y="families_active", panel="site", reference="target_caseload",
    colours=site_colours, reference_name="Target caseload", axis_titles=("Month", "Families active"))
figure_panel(
    view, "Active families against target", definitions.ACTIVE_FAMILIES, families_chart,
    active[["month", "site", "families_active", "target_caseload"]],
    columns={"month": "Month", "site": "Site", "families_active": "Families active",
             "target_caseload": "Target caseload"},
)
figure_panel(
    view, "Active parents", definitions.ACTIVE_PARENTS,
    charts.lines(active, x="month", y="parents_active", colour="site", colours=site_colours,
                 axis_titles=("Month", "Parents active")),
    active[["month", "site", "parents_active"]],
    columns={"month": "Month", "site": "Site", "parents_active": "Parents active"},
)

held = view.query(caseloads.practitioner_caseloads)
held_summary = held.groupby("site", as_index=False).agg(
    practitioners=("parents", "size"), fewest=("parents", "min"), median=("parents", "median"),
    most=("parents", "max"))
figure_panel(
    view, "Parents per practitioner", definitions.PRACTITIONER_CASELOADS,
    charts.points(held, x="site", y="parents", colours=site_colours, axis_titles=("", "Parents held")),
    held_summary,
    columns={"site": "Site", "practitioners": "Practitioners", "fewest": "Fewest parents",
             "median": "Median parents", "most": "Most parents"},
)

grain = choose_grain("movement_grain")
movement = labels.in_words(apply_grain(view.query(caseloads.enrolments_and_exits), grain))
figure_panel(
    view, "Enrolments and exits", definitions.ENROLMENTS_AND_EXITS,
    charts.bars(movement, x="month", y="families", colour="movement", colours=charts.MOVEMENT_COLOURS,
                axis_titles=(grain, "Families")),
    movement, columns={"month": grain, "site": "Site", "movement": "Enrolled or exit reason",
                       "families": "Families"},
)

stages = labels.in_words(view.query(caseloads.open_cases_by_stage))
figure_panel(
    view, "Open cases by stage", definitions.OPEN_BY_STAGE,
    charts.bars(stages, x="site", y="families", colour="stage", colours=charts.STAGE_COLOURS,
                horizontal=True, axis_titles=("Families", "")),
    stages, columns={"site": "Site", "stage": "Stage", "families": "Families"},
)
