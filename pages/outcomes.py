"""Outcome trends: social-care involvement, babies' development and parents' wellbeing."""

from collections.abc import Callable
from functools import partial

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import charts, context, labels
from dashboard.definitions import SITES_TOGETHER
from dashboard.definitions import outcomes as definitions
from dashboard.disclosure import Counts
from dashboard.grouping import ALL_PARENTS, PARENT_ROLE_GROUPS, Grouping
from dashboard.panels import figure_panel, grouping_note, page_header
from queries import outcomes

# Words for this view's own code columns (not stored codes, so not in dashboard/labels.py).
INVOLVED = labels.INVOLVEMENT["involved"]
WITHIN = labels.NORMAL_RANGE["within"]
IMPROVED = labels.IMPROVEMENT["reliable_improvement"]
SOCIAL_CARE_TIME_POINTS = [labels.TIME_POINT[code] for code in outcomes.SOCIAL_CARE_TIME_POINTS]
LATER_TIME_POINTS = [labels.TIME_POINT[code] for code in outcomes.LATER_TIME_POINTS]
BABY_TIME_POINTS = [labels.TIME_POINT[code] for code in outcomes.BABY_TIME_POINTS]
BABY_INSTRUMENTS = [labels.INSTRUMENT[code] for code in outcomes.BABY_INSTRUMENTS]
PARENT_ROLES = [labels.PARENT_ROLE[code] for code in outcomes.PARENT_ROLES]
# For a protected viewer fathers and other co-parents are one group, or all parents are where that
# still leaves many small counts (dashboard.grouping).
ROLES_GROUPED = Grouping(categories={"parent_role": PARENT_ROLE_GROUPS},
                         coarser=Grouping(categories={"parent_role": ALL_PARENTS}))
PARENT_ROLES[1:1] = [PARENT_ROLE_GROUPS.group_of("father"), ALL_PARENTS.group_of("mother")]

# Each measure is shown for all the chosen sites together, or broken down by one of these.
BREAKDOWNS = ("All", "By site", "By enrolment cohort")
ALL, BY_SITE, BY_COHORT = BREAKDOWNS
BREAKDOWN_KEY = {ALL: (), BY_SITE: ("site",), BY_COHORT: ("cohort",)}
IN_TITLE = {ALL: "", BY_SITE: " by site", BY_COHORT: " by enrolment cohort"}
BREAKDOWN_COLUMNS = {"site": "Site", "cohort": "Enrolment cohort"}
PERCENT = {"share": 100}  # this page's shares are percentages (for_display)
SOCIAL_CARE_QUERIES = {ALL: outcomes.social_care_involvement, BY_SITE: outcomes.social_care_involvement_by_site,
                       BY_COHORT: outcomes.social_care_involvement_by_cohort}
SOCIAL_CARE_TITLES = {ALL: "Families with social care involved", BY_SITE: "Social care involvement by site",
                      BY_COHORT: "Social care involvement by enrolment cohort"}
BABIES_QUERIES = {ALL: outcomes.babies_within_normal_range, BY_SITE: outcomes.babies_within_normal_range_by_site,
                  BY_COHORT: outcomes.babies_within_normal_range_by_cohort}
CHANGE_QUERIES = {ALL: outcomes.parent_wellbeing_change, BY_SITE: outcomes.parent_wellbeing_change_by_site,
                  BY_COHORT: outcomes.parent_wellbeing_change_by_cohort}
IMPROVEMENT_QUERIES = {ALL: outcomes.parent_reliable_improvement,
                       BY_SITE: outcomes.parent_reliable_improvement_by_site,
                       BY_COHORT: outcomes.parent_reliable_improvement_by_cohort}

view = context.current()
page_header(view, "Outcome trends",
            "How families, babies and parents are doing at each stage, from pregnancy to the baby's "
            "second birthday.")
st.markdown(definitions.PERIOD_RULE)
grouping_note(view, ROLES_GROUPED)


def for_display(frame: pd.DataFrame) -> pd.DataFrame:
    """Codes into words, and shares into percentages (one decimal place) for the table and CSV."""
    frame = labels.in_words(frame)
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
    return charts.say_if_nothing_drawn(figure, involved["share"])


def cohort_colours(frame: pd.DataFrame) -> dict[str, str]:
    """Each cohort's colour, fixed by its financial year so it never changes between filters."""
    palette = [c for c in charts.OKABE_ITO if c != "#F0E442"]  # yellow is too pale for a bar on white
    return {cohort: palette[int(cohort[:4]) % len(palette)] for cohort in sorted(set(frame["cohort"]))}


def choose_breakdown(key: str, what: str) -> str:
    """All / by site / by enrolment cohort, for one measure; held in the URL like the filters."""
    return st.segmented_control(f"Show {what}", BREAKDOWNS, default=ALL, key=key, required=True,
                                bind="query-params")


def breakdown_definition(definition: str, by: str, table: pd.DataFrame) -> str:
    extra = {ALL: "", BY_SITE: definitions.BY_SITE, BY_COHORT: definitions.BY_COHORT}[by]
    described = f"{definition} {extra}".strip()
    return charts.defined_for_its_sites(described, table, together=SITES_TOGETHER) if by == BY_SITE else described


def breakdown_chart(by: str, table: pd.DataFrame, overall: Callable[[pd.DataFrame], go.Figure], draw,
                    **all_sites) -> Callable[[pd.DataFrame], go.Figure]:
    """A measure's chart as `by` breaks it down: `overall` for all the chosen sites together;
    otherwise `draw` (taking colour and colours) with a colour per cohort, or per site in its own
    colour; past charts.MAX_PANELS sites, all of them together (`all_sites`: how to add them up,
    see charts.sites_as_one)."""
    if by == ALL:
        return overall
    if by == BY_COHORT:
        return partial(draw, colour="cohort", colours=cohort_colours(table))
    if not charts.too_many_sites(table):
        return partial(draw, colour="site", colours=charts.site_colours(list(view.site_names.values())))

    def all_sites_together(plot: pd.DataFrame) -> go.Figure:
        together = charts.sites_as_one(plot, **all_sites)
        return draw(together, colour="site", colours=dict.fromkeys(together["site"], charts.OKABE_ITO[0]))
    return all_sites_together


# Each section's heading and choice of breakdown are drawn first, so the page knows its four
# queries and starts them side by side (the first figure's and the slowest first) before drawing
# any figure; each figure is then drawn into its section while the later ones are worked out.
social_care_section, babies_section, wellbeing_section = st.container(), st.container(), st.container()
with social_care_section:
    st.header("Social care involvement")
    social_care_by = choose_breakdown("social_care_by", "social care involvement")
with babies_section:
    st.header("Babies' development")
    babies_by = choose_breakdown("babies_by", "babies' development")
with wellbeing_section:
    st.header("Parents' wellbeing")
    wellbeing_by = choose_breakdown("wellbeing_by", "parents' wellbeing")
view.prefetch(SOCIAL_CARE_QUERIES[social_care_by], IMPROVEMENT_QUERIES[wellbeing_by], BABIES_QUERIES[babies_by],
              CHANGE_QUERIES[wellbeing_by])

# --- Social care involvement ------------------------------------------------------------------

with social_care_section:
    social_care = for_display(view.query(SOCIAL_CARE_QUERIES[social_care_by]))
    figure_panel(
        view, SOCIAL_CARE_TITLES[social_care_by],
        breakdown_definition(definitions.SOCIAL_CARE, social_care_by, social_care),
        social_care,
        breakdown_chart(social_care_by, social_care, share_by_time_point, share_by_time_point,
                        weight="families_recorded", count="families"),
        columns={"involvement": "Social care", **BREAKDOWN_COLUMNS, "time_point": "Time point", "families": "Families",
                 "families_recorded": "Families with a status recorded", "share": "Share of families recorded (%)"},
        counts=Counts("families", ("involvement", *BREAKDOWN_KEY[social_care_by], "time_point"),
                      rates={"share": "families_recorded"}, per=PERCENT, overlapping=("time_point",),
                      totals={"families_recorded": "involvement"}),
    )


# --- Babies' development ----------------------------------------------------------------------

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
    return charts.say_if_nothing_drawn(_percent_axis(figure, "x"), within["share"])


def _small_multiples(frame: pd.DataFrame, *, y: str, y_title: str, facet: str, facets: list[str],
                     x_categories: list[str], colour: str, colours: dict[str, str]) -> go.Figure:
    """One small chart per `facet` category, time points along each, bars grouped by `colour`."""
    rows = -(-frame[facet].nunique() // charts.FACETS_PER_ROW)
    figure = charts.bars(frame, x="time_point", y=y, colour=colour, colours=colours, facet=facet,
                         facets=[f for f in facets if f in set(frame[facet])], axis_titles=("", y_title),
                         height=320 * rows + 140)
    figure.update_xaxes(categoryorder="array", categoryarray=x_categories, title_text="")
    figure.update_yaxes(title_text="")  # Plotly Express titles each chart's axis with the column name
    figure.update_yaxes(title_text=y_title, col=1)
    figure.update_layout(barmode="group")
    return charts.say_if_nothing_drawn(figure, frame[y])


def babies_breakdown_chart(frame: pd.DataFrame, *, colour: str, colours: dict[str, str]) -> go.Figure:
    within = frame[frame["normal_range"] == WITHIN]
    figure = _small_multiples(within, y="share", y_title="Within the normal range", facet="instrument",
                              facets=BABY_INSTRUMENTS, x_categories=BABY_TIME_POINTS, colour=colour,
                              colours=colours)
    figure.update_traces(hovertemplate="%{x}: %{y:.1f}%<extra>%{fullData.name}</extra>")
    return _percent_axis(figure)


with babies_section:
    babies = for_display(view.query(BABIES_QUERIES[babies_by]))
    figure_panel(
        view, "Babies within the normal range" + IN_TITLE[babies_by],
        breakdown_definition(definitions.BABIES, babies_by, babies),
        babies,
        breakdown_chart(babies_by, babies, babies_chart, babies_breakdown_chart, weight="babies_assessed",
                        count="babies"),
        columns={"normal_range": "Result", **BREAKDOWN_COLUMNS, "instrument": "Measure", "time_point": "Age",
                 "babies": "Babies", "babies_assessed": "Babies assessed", "share": "Share of babies assessed (%)"},
        counts=Counts("babies", ("normal_range", *BREAKDOWN_KEY[babies_by], "instrument", "time_point"),
                      rates={"share": "babies_assessed"}, per=PERCENT, overlapping=("instrument", "time_point"),
                      totals={"babies_assessed": "normal_range"}),
    )


# --- Parents' wellbeing -----------------------------------------------------------------------

role_colours = charts.PARENT_ROLE_COLOURS


def _by_role(frame: pd.DataFrame, y: str, y_title: str, text: list[str]) -> go.Figure:
    frame = _with_every_category(frame.assign(label=text), "time_point", LATER_TIME_POINTS, "parent_role")
    figure = charts.bars(frame, x="time_point", y=y, colour="parent_role", colours=role_colours,
                         axis_titles=("", y_title), text="label")
    figure.update_xaxes(categoryorder="array", categoryarray=LATER_TIME_POINTS)
    figure.update_layout(barmode="group")
    figure.update_traces(textposition="outside", cliponaxis=False, textfont=dict(size=17))
    return charts.say_if_nothing_drawn(figure, frame[y])


def _change_axis(figure: go.Figure) -> go.Figure:
    figure.update_yaxes(rangemode="tozero", zeroline=True, zerolinewidth=2)
    figure.update_traces(hovertemplate="%{x}: %{y:+.1f} points<extra>%{fullData.name}</extra>")
    return figure


def change_chart(frame: pd.DataFrame) -> go.Figure:
    return _change_axis(_by_role(frame, "mean_change", "Change in CORE-10 score since entry",
                                 [f"{v:+.1f}".replace("-", "−") if v == v else "" for v in frame["mean_change"]]))


def improvement_chart(frame: pd.DataFrame) -> go.Figure:
    improved = frame[frame["improvement"] == IMPROVED]
    figure = _by_role(improved, "share", "Reliable improvement since entry",
                      [f"{v:.0f}%" if v == v else "" for v in improved["share"]])
    figure.update_traces(hovertemplate="%{x}: %{y:.1f}%<extra>%{fullData.name}</extra>")
    return _percent_axis(figure)


def _per_role(frame: pd.DataFrame, y: str, y_title: str, colour: str, colours: dict[str, str]) -> go.Figure:
    return _small_multiples(frame, y=y, y_title=y_title, facet="parent_role", facets=PARENT_ROLES,
                            x_categories=LATER_TIME_POINTS, colour=colour, colours=colours)


def change_breakdown_chart(frame: pd.DataFrame, *, colour: str, colours: dict[str, str]) -> go.Figure:
    return _change_axis(_per_role(frame, "mean_change", "Change since entry", colour, colours))


def improvement_breakdown_chart(frame: pd.DataFrame, *, colour: str, colours: dict[str, str]) -> go.Figure:
    figure = _per_role(frame[frame["improvement"] == IMPROVED], "share", "Reliable improvement", colour, colours)
    figure.update_traces(hovertemplate="%{x}: %{y:.1f}%<extra>%{fullData.name}</extra>")
    return _percent_axis(figure)


MEANS = ("mean_entry", "mean_later", "mean_change")
with wellbeing_section:
    change = for_display(view.query(CHANGE_QUERIES[wellbeing_by]))
    figure_panel(
        view, "Parents' wellbeing: change from entry" + IN_TITLE[wellbeing_by],
        breakdown_definition(definitions.WELLBEING_CHANGE, wellbeing_by, change),
        change,
        breakdown_chart(wellbeing_by, change, change_chart, change_breakdown_chart, weight="parents", means=MEANS),
        columns={"parent_role": "Role", **BREAKDOWN_COLUMNS, "time_point": "Compared with entry at",
                 "parents": "Parents with both scores", "mean_entry": "Mean score at entry",
                 "mean_later": "Mean score at the later time point", "mean_change": "Mean change (points)"},
        counts=Counts("parents", ("parent_role", *BREAKDOWN_KEY[wellbeing_by], "time_point"),
                      statistics=dict.fromkeys(MEANS, "parents"), means=MEANS, decimals=dict.fromkeys(MEANS, 1),
                      overlapping=("time_point",)),
        grouping=ROLES_GROUPED,
    )

    improvement = for_display(view.query(IMPROVEMENT_QUERIES[wellbeing_by]))
    figure_panel(
        view, "Parents with reliable improvement" + IN_TITLE[wellbeing_by],
        breakdown_definition(definitions.RELIABLE_IMPROVEMENT, wellbeing_by, improvement),
        improvement,
        breakdown_chart(wellbeing_by, improvement, improvement_chart, improvement_breakdown_chart,
                        weight="parents_with_both", count="parents"),
        columns={"improvement": "Change from entry", "parent_role": "Role", **BREAKDOWN_COLUMNS,
                 "time_point": "Compared with entry at", "parents": "Parents",
                 "parents_with_both": "Parents with both scores", "share": "Share of parents with both scores (%)"},
        counts=Counts("parents", ("improvement", *BREAKDOWN_KEY[wellbeing_by], "parent_role", "time_point"),
                      rates={"share": "parents_with_both"}, per=PERCENT, overlapping=("time_point",),
                      totals={"parents_with_both": "improvement"}),
        grouping=ROLES_GROUPED,
    )
