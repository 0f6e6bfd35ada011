"""The charts of the engagement figures (dashboard.figures.engagement): retention by enrolment
cohort in small multiples, and the time to disengagement."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.viz import charts
from dashboard.words import labels

# Words for these figures' codes (the retention time points at 6 and 18 months and the "families"
# group have no words in dashboard/words/labels.py).
TIME_POINT_WORDS = {"birth": "Birth", "m6": "6 months", "m12": "12 months", "m18": "18 months", "m24": "24 months"}
GROUP_WORDS = {
    "families": "Families (either parent)",
    **{code: labels.PARENT_ROLE[code] for code in ("mother", "father", "co_parent", "both")},
}
GROUP_COLOURS = {GROUP_WORDS["families"]: "#CC79A7", **charts.PARENT_ROLE_COLOURS}
GROUPS_PER_ROW = 3
NO_SHARE_TO_DRAW = (
    "No share to draw: no time point has been reached yet, or too few families<br>"
    "have reached one for its share to be shown. The table has the counts."
)


def _engaged_of_reached(engaged: float, reached: float) -> str:
    # The counts as the table shows them: a hidden one (missing here) is left out of the hover.
    if engaged != engaged or reached != reached:
        return ""
    return f"{engaged:,.0f} engaged of {reached:,.0f} reached"


def retention_chart(frame: pd.DataFrame) -> go.Figure:
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


def survival_chart(frame: pd.DataFrame, *, every_day: bool) -> go.Figure:
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
