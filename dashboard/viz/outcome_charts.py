"""The charts of the outcome figures (dashboard.figures.outcomes): shares by time point against
the 2020 evaluation, babies' development by measure, parents' wellbeing by role, and each broken
down by site or enrolment cohort."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard.viz import charts
from dashboard.words import labels
from queries import outcomes
from queries.schema import PARENT_ROLES as STORED_PARENT_ROLES
from queries.schema import SOCIAL_CARE_TIME_POINTS as STORED_SOCIAL_CARE_TIME_POINTS

Chart = Callable[[pd.DataFrame], go.Figure]
ALL, BY_SITE, BY_COHORT = labels.OUTCOME_BREAKDOWNS

# The words the charts pick rows and order categories by (the tables are in words by then).
INVOLVED = labels.INVOLVEMENT["involved"]
WITHIN = labels.NORMAL_RANGE["within"]
IMPROVED = labels.IMPROVEMENT["reliable_improvement"]
SOCIAL_CARE_TIME_POINTS = [labels.TIME_POINT[code] for code in STORED_SOCIAL_CARE_TIME_POINTS]
LATER_TIME_POINTS = [labels.TIME_POINT[code] for code in outcomes.LATER_TIME_POINTS]
BABY_TIME_POINTS = [labels.TIME_POINT[code] for code in outcomes.BABY_TIME_POINTS]
BABY_INSTRUMENTS = [labels.INSTRUMENT[code] for code in outcomes.BABY_INSTRUMENTS]
# The roles in their order, with the groups a protected viewer's roles may be merged into.
PARENT_ROLES = [labels.PARENT_ROLE[code] for code in STORED_PARENT_ROLES]
PARENT_ROLES[1:1] = [labels.PARENT_ROLE["partner"], labels.ALL_PARENTS]


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
        figure.add_shape(
            type="line",
            xref="x",
            yref="y",
            x0=position - 0.48,
            x1=position + 0.48,
            y0=round(value * 100, 1),
            y1=round(value * 100, 1),
            line=dict(dash="dash", width=3, color=charts.REFERENCE_GREY),
        )
        figure.add_annotation(
            x=position,
            y=round(value * 100, 1),
            yshift=16,
            showarrow=False,
            text=f"2020 evaluation: {value:.0%}",
            font=dict(size=16, color=charts.REFERENCE_GREY),
            bgcolor="rgba(255,255,255,0.85)",
        )
    return figure


def share_by_time_point(
    frame: pd.DataFrame, *, colour: str | None = None, colours=None, y_title: str = "Families with social care involved"
) -> go.Figure:
    """Involved families' share at each time point (bars, grouped by `colour`), with the markers."""
    involved = _share_text(frame[frame["involvement"] == INVOLVED])
    involved = _with_every_category(involved, "time_point", SOCIAL_CARE_TIME_POINTS, colour)
    figure = charts.bars(
        involved,
        x="time_point",
        y="share",
        colour=colour,
        colours=colours,
        axis_titles=("", y_title),
        text="label" if colour is None else None,
    )
    figure.update_xaxes(categoryorder="array", categoryarray=SOCIAL_CARE_TIME_POINTS)
    figure.update_layout(barmode="group")
    figure.update_traces(
        textposition="inside",
        insidetextanchor="end",
        textfont=dict(size=18, color="white"),
        hovertemplate="%{x}: %{y:.1f}%<extra>%{fullData.name}</extra>",
    )
    if colour is None:
        figure.update_traces(marker_color=charts.OKABE_ITO[0])
    figure = _add_evaluation_markers(_percent_axis(figure), SOCIAL_CARE_TIME_POINTS)
    return charts.say_if_nothing_drawn(figure, involved["share"])


def cohort_colours(frame: pd.DataFrame) -> dict[str, str]:
    """Each cohort's colour, fixed by its financial year so it never changes between filters."""
    palette = [c for c in charts.OKABE_ITO if c != "#F0E442"]  # yellow is too pale for a bar on white
    return {cohort: palette[int(cohort[:4]) % len(palette)] for cohort in sorted(set(frame["cohort"]))}


def breakdown_chart(
    by: str,
    table: pd.DataFrame,
    site_names: Sequence[str],
    overall: Chart,
    draw: Callable[..., go.Figure],
    **all_sites: Any,
) -> Chart:
    """A measure's chart as `by` breaks it down: `overall` for all the chosen sites together;
    otherwise `draw` (taking colour and colours) with a colour per cohort, or per site in its own
    colour (each of `site_names` has one); past charts.MAX_PANELS sites, all of them together
    (`all_sites`: how to add them up, see charts.sites_as_one)."""
    if by == ALL:
        return overall
    if by == BY_COHORT:
        return partial(draw, colour="cohort", colours=cohort_colours(table))
    if not charts.too_many_sites(table):
        return partial(draw, colour="site", colours=charts.site_colours(list(site_names)))

    def all_sites_together(plot: pd.DataFrame) -> go.Figure:
        together = charts.sites_as_one(plot, **all_sites)
        return draw(together, colour="site", colours=dict.fromkeys(together["site"], charts.OKABE_ITO[0]))

    return all_sites_together


def babies_chart(frame: pd.DataFrame) -> go.Figure:
    within = _share_text(frame[frame["normal_range"] == WITHIN])
    colours = {
        labels.TIME_POINT[code]: charts.TIME_POINT_COLOURS[labels.TIME_POINT[code]]
        for code in outcomes.BABY_TIME_POINTS
    }
    figure = charts.bars(
        within,
        x="instrument",
        y="share",
        colour="time_point",
        colours=colours,
        horizontal=True,
        axis_titles=("Babies within the normal range", ""),
        text="label",
        height=640,
    )
    figure.update_layout(barmode="group")
    figure.update_traces(
        textposition="outside",
        cliponaxis=False,
        textfont=dict(size=17),
        hovertemplate="%{y}: %{x:.1f}%<extra>%{fullData.name}</extra>",
    )
    return charts.say_if_nothing_drawn(_percent_axis(figure, "x"), within["share"])


def _small_multiples(
    frame: pd.DataFrame,
    *,
    y: str,
    y_title: str,
    facet: str,
    facets: list[str],
    x_categories: list[str],
    colour: str,
    colours: dict[str, str],
) -> go.Figure:
    """One small chart per `facet` category, time points along each, bars grouped by `colour`."""
    rows = -(-frame[facet].nunique() // charts.FACETS_PER_ROW)
    figure = charts.bars(
        frame,
        x="time_point",
        y=y,
        colour=colour,
        colours=colours,
        facet=facet,
        facets=[f for f in facets if f in set(frame[facet])],
        axis_titles=("", y_title),
        height=320 * rows + 140,
    )
    figure.update_xaxes(categoryorder="array", categoryarray=x_categories, title_text="")
    figure.update_yaxes(title_text="")  # Plotly Express titles each chart's axis with the column name
    figure.update_yaxes(title_text=y_title, col=1)
    figure.update_layout(barmode="group")
    return charts.say_if_nothing_drawn(figure, frame[y])


def babies_breakdown_chart(frame: pd.DataFrame, *, colour: str, colours: dict[str, str]) -> go.Figure:
    within = frame[frame["normal_range"] == WITHIN]
    figure = _small_multiples(
        within,
        y="share",
        y_title="Within the normal range",
        facet="instrument",
        facets=BABY_INSTRUMENTS,
        x_categories=BABY_TIME_POINTS,
        colour=colour,
        colours=colours,
    )
    figure.update_traces(hovertemplate="%{x}: %{y:.1f}%<extra>%{fullData.name}</extra>")
    return _percent_axis(figure)


def _by_role(frame: pd.DataFrame, y: str, y_title: str, text: list[str]) -> go.Figure:
    frame = _with_every_category(frame.assign(label=text), "time_point", LATER_TIME_POINTS, "parent_role")
    figure = charts.bars(
        frame,
        x="time_point",
        y=y,
        colour="parent_role",
        colours=charts.PARENT_ROLE_COLOURS,
        axis_titles=("", y_title),
        text="label",
    )
    figure.update_xaxes(categoryorder="array", categoryarray=LATER_TIME_POINTS)
    figure.update_layout(barmode="group")
    figure.update_traces(textposition="outside", cliponaxis=False, textfont=dict(size=17))
    return charts.say_if_nothing_drawn(figure, frame[y])


def _change_axis(figure: go.Figure) -> go.Figure:
    figure.update_yaxes(rangemode="tozero", zeroline=True, zerolinewidth=2)
    figure.update_traces(hovertemplate="%{x}: %{y:+.1f} points<extra>%{fullData.name}</extra>")
    return figure


def change_chart(frame: pd.DataFrame) -> go.Figure:
    return _change_axis(
        _by_role(
            frame,
            "mean_change",
            "Change in CORE-10 score since entry",
            [f"{v:+.1f}".replace("-", "−") if v == v else "" for v in frame["mean_change"]],
        )
    )


def improvement_chart(frame: pd.DataFrame) -> go.Figure:
    improved = frame[frame["improvement"] == IMPROVED]
    figure = _by_role(
        improved,
        "share",
        "Reliable improvement since entry",
        [f"{v:.0f}%" if v == v else "" for v in improved["share"]],
    )
    figure.update_traces(hovertemplate="%{x}: %{y:.1f}%<extra>%{fullData.name}</extra>")
    return _percent_axis(figure)


def _per_role(frame: pd.DataFrame, y: str, y_title: str, colour: str, colours: dict[str, str]) -> go.Figure:
    return _small_multiples(
        frame,
        y=y,
        y_title=y_title,
        facet="parent_role",
        facets=PARENT_ROLES,
        x_categories=LATER_TIME_POINTS,
        colour=colour,
        colours=colours,
    )


def change_breakdown_chart(frame: pd.DataFrame, *, colour: str, colours: dict[str, str]) -> go.Figure:
    return _change_axis(_per_role(frame, "mean_change", "Change since entry", colour, colours))


def improvement_breakdown_chart(frame: pd.DataFrame, *, colour: str, colours: dict[str, str]) -> go.Figure:
    figure = _per_role(frame[frame["improvement"] == IMPROVED], "share", "Reliable improvement", colour, colours)
    figure.update_traces(hovertemplate="%{x}: %{y:.1f}%<extra>%{fullData.name}</extra>")
    return _percent_axis(figure)
