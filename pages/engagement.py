"""Engagement and retention: whether mothers, fathers and co-parents stay engaged, and how sessions go."""

from functools import partial

import plotly.express as px
import plotly.graph_objects as go
import streamlit as st
from plotly.subplots import make_subplots

from dashboard.privacy.disclosure import Counts
from dashboard.privacy.grouping import BY_TIME, PARTNERS_ESTIMATED_TOGETHER, Grouping
from dashboard.shell import context
from dashboard.shell.grain import apply_grain, choose_grain
from dashboard.shell.panels import csv_download, csv_file_name, figure_panel, grouping_note, page_header
from dashboard.viz import charts
from dashboard.words import labels
from dashboard.words.definitions import cases as case_definitions
from dashboard.words.definitions import engagement as definitions
from queries import cases, engagement

# Words for this view's codes (the retention time points at 6 and 18 months and the "families"
# group have no words in dashboard/words/labels.py).
TIME_POINT_WORDS = {"birth": "Birth", "m6": "6 months", "m12": "12 months", "m18": "18 months", "m24": "24 months"}
GROUP_WORDS = {
    "families": "Families (either parent)",
    **{code: labels.PARENT_ROLE[code] for code in ("mother", "father", "co_parent", "both")},
}
GROUP_COLOURS = {GROUP_WORDS["families"]: "#CC79A7", **charts.PARENT_ROLE_COLOURS}
GROUPS_PER_ROW = 3
# Said of the time to disengagement, which the query estimates with partners together (not a regrouping).
PARTNERS_TOGETHER = Grouping(categories={"parent_role": PARTNERS_ESTIMATED_TOGETHER})
NO_SHARE_TO_DRAW = (
    "No share to draw: no time point has been reached yet, or too few families<br>"
    "have reached one for its share to be shown. The table has the counts."
)

view = context.current()
page_header(
    view,
    "Engagement and retention",
    "Whether mothers, fathers and other co-parents stay engaged from pregnancy to the baby's "
    "second birthday, and how offered sessions go.",
)
YEARLY_COHORTS = Grouping(cohort="cohort")
grouping_note(view, YEARLY_COHORTS, BY_TIME, PARTNERS_TOGETHER)
st.info(definitions.ENGAGED, icon=":material/handshake:")
site_colours = charts.site_colours(list(view.site_names.values()))
# Where small numbers are hidden the survival curve is drawn from the table's six-monthly points
# (as protected); otherwise it steps at every day a parent's follow-up ends.
every_day_curve = not view.disclosure.active
# The attendance query takes longest at scale: it starts first.
survival_by_role = view.as_grouped(engagement.survival_every_six_months, engagement.survival_of_mothers_and_partners)
view.prefetch(
    engagement.attendance_by_site_month,
    engagement.retention_by_cohort,
    survival_by_role,
    *((engagement.time_to_disengagement,) if every_day_curve else ()),
    engagement.attended_by_type_month,
    cases.open_cases_by_engagement,
)


def _engaged_of_reached(engaged: float, reached: float) -> str:
    # The counts as the table shows them: a hidden one (missing here) is left out of the hover.
    if engaged != engaged or reached != reached:
        return ""
    return f"{engaged:,.0f} engaged of {reached:,.0f} reached"


def retention_chart(frame):
    """One small chart per group, sharing one scale, with a line per enrolment cohort (later
    cohorts darker), so mothers and fathers compare side by side."""
    cohorts = sorted(frame["cohort"].unique())
    shades = px.colors.sample_colorscale(
        "Viridis", [0.85 - 0.75 * i / max(len(cohorts) - 1, 1) for i in range(len(cohorts))]
    )
    # A group with no share to draw (none reached yet, or every one withheld) gets no empty panel.
    drawn = set(frame.loc[frame["share"].notna(), "group"])
    groups = [g for g in GROUP_COLOURS if g in drawn]
    if not groups:
        figure = go.Figure()
        figure.add_annotation(text=NO_SHARE_TO_DRAW, showarrow=False, font=dict(size=17))
        figure.update_xaxes(visible=False)
        figure.update_yaxes(visible=False)
        return figure.update_layout(template=charts.TEMPLATE, height=200)
    months = {words: int(code[1:]) if code != "birth" else 0 for code, words in TIME_POINT_WORDS.items()}
    rows = -(-len(groups) // GROUPS_PER_ROW)
    # Small multiples laid out by make_subplots, a trace per group and cohort written directly:
    # Plotly Express's faceting was slower, on every run of the page.
    figure = make_subplots(
        rows=rows,
        cols=GROUPS_PER_ROW,
        shared_xaxes="all",
        shared_yaxes="all",
        subplot_titles=groups,
        horizontal_spacing=0.05,
        vertical_spacing=0.14 if rows > 1 else 0,
    )
    frame = frame.assign(months=frame["time_point"].map(months))
    lines = frame.groupby(["group", "cohort"], sort=False).indices
    in_legend = set()
    for place, group in enumerate(groups):
        for shade, cohort in zip(shades, cohorts):
            if (group, cohort) not in lines:
                continue
            line = frame.iloc[lines[(group, cohort)]]
            figure.add_trace(
                dict(
                    type="scatter",
                    mode="lines+markers",
                    x=line["months"].tolist(),
                    y=line["share"].tolist(),
                    name=cohort,
                    legendgroup=cohort,
                    showlegend=cohort not in in_legend,
                    line=dict(width=3, color=shade),
                    marker=dict(size=8, color=shade),
                    customdata=[
                        [point, _engaged_of_reached(engaged, reached)]
                        for point, engaged, reached in zip(line["time_point"], line["engaged"], line["reached"])
                    ],
                    hovertemplate=f"{cohort}, %{{customdata[0]}}: %{{y:.0%}}<br>%{{customdata[1]}}"
                    f"<extra>{group}</extra>",
                ),
                row=place // GROUPS_PER_ROW + 1,
                col=place % GROUPS_PER_ROW + 1,
            )
            in_legend.add(cohort)
    figure.update_annotations(font=dict(size=17))
    figure.update_xaxes(
        showticklabels=True,
        tickvals=list(months.values()),
        ticktext=["Birth", *[str(m) for m in list(months.values())[1:]]],
        range=[-1.5, 25.5],
    )
    figure.update_xaxes(title_text="Months after the birth", row=rows)
    figure.update_yaxes(tickformat=".0%", range=[0, 1.05])
    figure.update_yaxes(title_text="Share engaged", col=1)
    figure.update_layout(
        template=charts.TEMPLATE,
        height=330 * rows + 100,
        legend_title_text="Enrolment cohort",
        legend=dict(orientation="v", x=1.01, y=1, yanchor="top", tracegroupgap=0),
    )
    return figure


retention = view.query(engagement.retention_by_cohort)
figure_panel(
    view,
    "Retention by enrolment cohort",
    definitions.RETENTION,
    labels.in_words(retention, {"time_point": TIME_POINT_WORDS, "group": GROUP_WORDS}),
    retention_chart,
    columns={
        "cohort": "Enrolment cohort",
        "time_point": "Time point",
        "group": "Group",
        "engaged": "Engaged",
        "reached": "Reached",
        "share": "Share engaged",
    },
    counts=Counts(
        "engaged", ("cohort", "time_point", "group"), rates={"share": "reached"}, overlapping=("time_point", "group")
    ),
    grouping=YEARLY_COHORTS,
)


def survival_chart(frame, *, every_day: bool):
    figure = charts.lines(
        frame,
        x="day",
        y="survival",
        colour="parent_role",
        colours=charts.PARENT_ROLE_COLOURS,
        axis_titles=("Days since the family enrolled", "Share not yet disengaged"),
    )
    figure.update_traces(line_shape="hv", **({"mode": "lines"} if every_day else {}))
    figure.update_yaxes(tickformat=".0%", range=[0, 1.05])
    return figure


every_six_months = labels.in_words(view.query(survival_by_role))
exact = labels.in_words(view.query(engagement.time_to_disengagement)) if every_day_curve else None


def draw_survival(protected_table):
    if exact is None:
        return survival_chart(protected_table, every_day=False)
    return survival_chart(exact, every_day=True)


figure_panel(
    view,
    "Time to disengagement",
    definitions.TIME_TO_DISENGAGEMENT,
    every_six_months,
    draw_survival,
    columns={
        "parent_role": "Parents",
        "day": "Days since enrolment",
        "survival": "Share not yet disengaged",
        "at_risk": "At risk",
        "events": "Disengaged since the previous day shown",
    },
    counts=Counts(
        "at_risk",
        ("parent_role", "day"),
        counts=("events",),
        statistics={"survival": "at_risk"},
        survival=("survival",),
        overlapping=("day",),
    ),
)
if exact is not None and not exact.empty:
    csv_download(
        "Download the estimate at every day a follow-up ends (CSV)",
        exact.rename(
            columns={
                "parent_role": "Parents",
                "day": "Days since enrolment",
                "survival": "Share not yet disengaged",
                "at_risk": "At risk",
                "events": "Disengaged that day",
                "censored": "Censored that day",
            }
        ),
        csv_file_name(view, "Time to disengagement every day"),
        key="csv-time-to-disengagement-every-day",
    )

grain = choose_grain(view, "attendance_grain")
attendance = apply_grain(view.query(engagement.attendance_by_site_month), grain)
attendance = attendance.assign(rate=attendance["attended"] / attendance["offered"].where(attendance["offered"] > 0))


def attendance_chart(frame):
    figure = charts.lines(
        frame, x="month", y="rate", colour="site", colours=site_colours, axis_titles=(grain, "Attendance rate")
    )
    figure.update_yaxes(tickformat=".0%", range=[0, 1.05])
    return figure


figure_panel(
    view,
    "Session attendance rate",
    definitions.ATTENDANCE,
    attendance,
    attendance_chart,
    columns={"month": grain, "site": "Site", "attended": "Attended", "offered": "Offered", "rate": "Attendance rate"},
    counts=Counts("attended", ("month", "site"), rates={"rate": "offered"}),
    grouping=BY_TIME,
)

mix_grain = choose_grain(view, "mix_grain")
figure_panel(
    view,
    "Sessions attended by type",
    definitions.SESSION_MIX,
    labels.in_words(apply_grain(view.query(engagement.attended_by_type_month), mix_grain)),
    partial(
        charts.bars,
        x="month",
        y="sessions",
        colour="session_type",
        colours=charts.SESSION_TYPE_COLOURS,
        axis_titles=(mix_grain, "Sessions attended"),
    ),
    columns={"month": mix_grain, "session_type": "Session type", "sessions": "Sessions attended"},
    counts=Counts("sessions", ("month", "session_type")),
    grouping=BY_TIME,
)

ENGAGED_COLOURS = dict(zip(labels.ENGAGED.values(), ("#009E73", "#D55E00", "#0072B2", "#BBBBBB")))
engaged_now = labels.in_words(view.query(cases.open_cases_by_engagement), {"engaged": labels.ENGAGED})
figure_panel(
    view,
    "Who is engaged now, by site",
    charts.defined_for_its_sites(case_definitions.ENGAGED_NOW_BY_SITE, engaged_now),
    engaged_now,
    partial(
        charts.bars,
        x="site",
        y="families",
        colour="engaged",
        colours=ENGAGED_COLOURS,
        horizontal=True,
        axis_titles=("Open families", ""),
        custom_data=["site", "engaged"],
        by_site=True,
    ),
    columns={"site": "Site", "engaged": "Engaged now", "families": "Families"},
    counts=Counts("families", ("site", "engaged")),
    drill_to=("site", "engaged"),
)
