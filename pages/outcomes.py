"""Outcome trends: social-care involvement, babies' development and parents' wellbeing."""

from functools import partial

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import charts, context, labels
from dashboard.definitions import outcomes as definitions
from dashboard.disclosure import Counts
from dashboard.panels import figure_panel, page_header
from queries import outcomes

# Words for this view's own code columns (not stored codes, so not in dashboard/labels.py).
WORDS = {
    "involvement": {"involved": "Social care involved", "not_involved": "No social care involvement"},
    "normal_range": {"within": "Within the normal range", "outside": "Outside the normal range"},
    "improvement": {"reliable_improvement": "Reliable improvement",
                    "no_reliable_improvement": "No reliable improvement"},
}
INVOLVED = WORDS["involvement"]["involved"]
WITHIN = WORDS["normal_range"]["within"]
IMPROVED = WORDS["improvement"]["reliable_improvement"]
SOCIAL_CARE_TIME_POINTS = [labels.TIME_POINT[code] for code in outcomes.SOCIAL_CARE_TIME_POINTS]
LATER_TIME_POINTS = [labels.TIME_POINT[code] for code in outcomes.LATER_TIME_POINTS]

view = context.current()
page_header(view, "Outcome trends",
            "How families, babies and parents are doing at each stage, from pregnancy to the baby's "
            "second birthday.")
st.markdown(definitions.PERIOD_RULE)


def for_display(frame: pd.DataFrame) -> pd.DataFrame:
    """Codes into words, and shares into percentages (one decimal place) for the table and CSV."""
    frame = labels.in_words(frame, WORDS)
    if "share" in frame.columns:
        frame["share"] = (frame["share"].astype(float) * 100).round(1)
    return frame


def _percent_axis(figure: go.Figure, axis: str = "y") -> go.Figure:
    update = figure.update_xaxes if axis == "x" else figure.update_yaxes
    update(range=[0, 108], ticksuffix="%", dtick=20, rangemode="normal")
    return figure


def _with_every_category(frame: pd.DataFrame, x: str, categories: list[str], colour: str | None) -> pd.DataFrame:
    """Add an empty row for each category with nothing to draw, so every category keeps its place
    on the axis (the evaluation's markers are placed by position)."""
    missing = [c for c in categories if c not in set(frame[x])]
    if not missing or frame.empty:
        return frame
    filler = pd.DataFrame({x: missing})
    if colour is not None:
        filler[colour] = frame[colour].iloc[0]
    return pd.concat([frame, filler], ignore_index=True)


WITHHELD = ("No figure here can be drawn: each rests on fewer than 10 cases, or would reveal a hidden "
            "number.<br>The table shows what can be shown.")


def _say_if_nothing_drawn(figure: go.Figure, values: pd.Series) -> go.Figure:
    """An empty chart (every share or mean withheld for this viewer) says why, not just nothing."""
    if values.isna().all():
        figure.add_annotation(xref="paper", yref="paper", x=0.5, y=0.5, showarrow=False, text=WITHHELD,
                              font=dict(size=17), bgcolor="white")
    return figure


def _share_text(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(label=[f"{v:.0f}%" if v == v else "" for v in frame["share"]])


def _add_evaluation_markers(figure: go.Figure, categories: list[str]) -> go.Figure:
    """The 2020 evaluation's figures as dashed lines across their time point's bars, labelled."""
    for code, value in outcomes.EVALUATION_2020_INVOLVED.items():
        position = categories.index(labels.TIME_POINT[code])
        figure.add_shape(type="line", xref="x", yref="y", x0=position - 0.48, x1=position + 0.48,
                         y0=round(value * 100, 1), y1=round(value * 100, 1),
                         line=dict(dash="dash", width=3, color=charts.REFERENCE_GREY))
        figure.add_annotation(x=position, y=round(value * 100, 1), yshift=16, showarrow=False,
                              text=f"2020 evaluation: {value:.0%}",
                              font=dict(size=16, color=charts.REFERENCE_GREY), bgcolor="rgba(255,255,255,0.85)")
    return figure


def share_by_time_point(frame: pd.DataFrame, *, colour: str | None = None, colours=None,
                        y_title: str = "Families with social care involved") -> go.Figure:
    """Involved families' share at each time point (bars, grouped by `colour`), with the markers."""
    involved = _share_text(frame[frame["involvement"] == INVOLVED])
    involved = _with_every_category(involved, "time_point", SOCIAL_CARE_TIME_POINTS, colour)
    figure = charts.bars(involved, x="time_point", y="share", colour=colour, colours=colours,
                         axis_titles=("", y_title), text="label" if colour is None else None)
    figure.update_xaxes(categoryorder="array", categoryarray=SOCIAL_CARE_TIME_POINTS)
    figure.update_layout(barmode="group")
    figure.update_traces(textposition="inside", insidetextanchor="end", textfont=dict(size=18, color="white"),
                         hovertemplate="%{x}: %{y:.1f}%<extra>%{fullData.name}</extra>")
    if colour is None:
        figure.update_traces(marker_color=charts.OKABE_ITO[0])
    figure = _add_evaluation_markers(_percent_axis(figure), SOCIAL_CARE_TIME_POINTS)
    return _say_if_nothing_drawn(figure, involved["share"])


def cohort_colours(frame: pd.DataFrame) -> dict[str, str]:
    """Each cohort's colour, fixed by its financial year so it never changes between filters."""
    palette = [c for c in charts.OKABE_ITO if c != "#F0E442"]  # yellow is too pale for a bar on white
    return {cohort: palette[int(cohort[:4]) % len(palette)] for cohort in sorted(set(frame["cohort"]))}


# --- Social care involvement ------------------------------------------------------------------

st.header("Social care involvement")
social_care_columns = {"involvement": "Social care", "site": "Site", "cohort": "Enrolment cohort",
                       "time_point": "Time point", "families": "Families",
                       "families_recorded": "Families with a status recorded",
                       "share": "Share of families recorded (%)"}
figure_panel(
    view, "Families with social care involved", definitions.SOCIAL_CARE,
    for_display(view.query(outcomes.social_care_involvement)),
    share_by_time_point,
    columns=social_care_columns,
    counts=Counts("families", ("involvement", "time_point"), rates={"share": "families_recorded"}),
)

# Grouped bars stay readable for a handful of sites; beyond this many the comparison is a table.
MAX_SITES_CHARTED = 20
by_site = for_display(view.query(outcomes.social_care_involvement_by_site))
too_many = (by_site["site"].nunique() if len(by_site) else 0) > MAX_SITES_CHARTED
figure_panel(
    view, "Social care involvement by site",
    definitions.SOCIAL_CARE_BY_SITE + (" " + definitions.TABLE_ONLY.format(most=MAX_SITES_CHARTED)
                                       if too_many else ""),
    by_site,
    None if too_many else partial(share_by_time_point, colour="site",
                                  colours=charts.site_colours(list(view.site_names.values()))),
    columns=social_care_columns,
    counts=Counts("families", ("involvement", "site", "time_point"), rates={"share": "families_recorded"}),
)

by_cohort = for_display(view.query(outcomes.social_care_involvement_by_cohort))
figure_panel(
    view, "Social care involvement by enrolment cohort", definitions.SOCIAL_CARE_BY_COHORT,
    by_cohort,
    partial(share_by_time_point, colour="cohort", colours=cohort_colours(by_cohort) if len(by_cohort) else {}),
    columns=social_care_columns,
    counts=Counts("families", ("involvement", "cohort", "time_point"), rates={"share": "families_recorded"}),
)

# --- Babies' development ----------------------------------------------------------------------

st.header("Babies' development")


def babies_chart(frame: pd.DataFrame) -> go.Figure:
    within = _share_text(frame[frame["normal_range"] == WITHIN])
    colours = {labels.TIME_POINT[code]: charts.TIME_POINT_COLOURS[labels.TIME_POINT[code]]
               for code in outcomes.BABY_TIME_POINTS}
    figure = charts.bars(within, x="instrument", y="share", colour="time_point", colours=colours,
                         horizontal=True, axis_titles=("Babies within the normal range", ""), text="label",
                         height=640)
    figure.update_layout(barmode="group")
    figure.update_traces(textposition="outside", cliponaxis=False, textfont=dict(size=17),
                         hovertemplate="%{y}: %{x:.1f}%<extra>%{fullData.name}</extra>")
    return _say_if_nothing_drawn(_percent_axis(figure, "x"), within["share"])


figure_panel(
    view, "Babies within the normal range", definitions.BABIES,
    for_display(view.query(outcomes.babies_within_normal_range)),
    babies_chart,
    columns={"normal_range": "Result", "instrument": "Measure", "time_point": "Age",
             "babies": "Babies", "babies_assessed": "Babies assessed", "share": "Share of babies assessed (%)"},
    counts=Counts("babies", ("normal_range", "instrument", "time_point"), rates={"share": "babies_assessed"}),
)

# --- Parents' wellbeing -----------------------------------------------------------------------

st.header("Parents' wellbeing")
role_colours = charts.PARENT_ROLE_COLOURS


def _by_role(frame: pd.DataFrame, y: str, y_title: str, text: list[str]) -> go.Figure:
    frame = _with_every_category(frame.assign(label=text), "time_point", LATER_TIME_POINTS, "parent_role")
    figure = charts.bars(frame, x="time_point", y=y, colour="parent_role", colours=role_colours,
                         axis_titles=("", y_title), text="label")
    figure.update_xaxes(categoryorder="array", categoryarray=LATER_TIME_POINTS)
    figure.update_layout(barmode="group")
    figure.update_traces(textposition="outside", cliponaxis=False, textfont=dict(size=17))
    return _say_if_nothing_drawn(figure, frame[y])


def change_chart(frame: pd.DataFrame) -> go.Figure:
    figure = _by_role(frame, "mean_change", "Change in CORE-10 score since entry",
                      [f"{v:+.1f}".replace("-", "−") if v == v else "" for v in frame["mean_change"]])
    figure.update_yaxes(rangemode="tozero", zeroline=True, zerolinewidth=2)
    figure.update_traces(hovertemplate="%{x}: %{y:+.1f} points<extra>%{fullData.name}</extra>")
    return figure


def improvement_chart(frame: pd.DataFrame) -> go.Figure:
    improved = frame[frame["improvement"] == IMPROVED]
    figure = _by_role(improved, "share", "Reliable improvement since entry",
                      [f"{v:.0f}%" if v == v else "" for v in improved["share"]])
    figure.update_traces(hovertemplate="%{x}: %{y:.1f}%<extra>%{fullData.name}</extra>")
    return _percent_axis(figure)


change = labels.in_words(view.query(outcomes.parent_wellbeing_change))
change[["mean_entry", "mean_later", "mean_change"]] = change[["mean_entry", "mean_later", "mean_change"]].round(1)
figure_panel(
    view, "Parents' wellbeing: change from entry", definitions.WELLBEING_CHANGE,
    change, change_chart,
    columns={"parent_role": "Role", "time_point": "Compared with entry at",
             "parents": "Parents with both scores", "mean_entry": "Mean score at entry",
             "mean_later": "Mean score at the later time point", "mean_change": "Mean change (points)"},
    counts=Counts("parents", ("parent_role", "time_point"),
                  rates={"mean_entry": "parents", "mean_later": "parents", "mean_change": "parents"}),
)

figure_panel(
    view, "Parents with reliable improvement", definitions.RELIABLE_IMPROVEMENT,
    for_display(view.query(outcomes.parent_reliable_improvement)),
    improvement_chart,
    columns={"improvement": "Change from entry", "parent_role": "Role", "time_point": "Compared with entry at",
             "parents": "Parents", "parents_with_both": "Parents with both scores",
             "share": "Share of parents with both scores (%)"},
    counts=Counts("parents", ("improvement", "parent_role", "time_point"), rates={"share": "parents_with_both"}),
)
