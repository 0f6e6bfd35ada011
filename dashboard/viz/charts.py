"""The house chart style: colour-blind-safe colours, fixed per referral source and per site,
and text large enough to read on a projector at a board meeting."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, cast

import numpy as np
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import plotly.io as pio

from dashboard.privacy import grouping
from dashboard.stats import spc
from dashboard.stats.funnel import Funnel
from dashboard.words import labels
from dashboard.words.definitions import SITES_AS_ONE_BAR

# Okabe & Ito (2008): distinguishable with every common colour-vision deficiency.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
# Paul Tol's "muted" scheme, for the ten referral sources (more categories than Okabe–Ito holds).
TOL_MUTED = (
    "#332288",
    "#88CCEE",
    "#44AA99",
    "#117733",
    "#999933",
    "#DDCC77",
    "#CC6677",
    "#882255",
    "#AA4499",
    "#BBBBBB",
)
REFERENCE_GREY = "#555555"

SOURCE_COLOURS = dict(zip(labels.SOURCE.values(), TOL_MUTED))
DECISION_COLOURS = dict(zip(labels.DECISION.values(), OKABE_ITO))
MOVEMENT_COLOURS = dict(zip(labels.MOVEMENT.values(), OKABE_ITO))
# The broader groups trustees and commissioners see (dashboard.privacy.grouping), each in a colour of its
# own among the categories it stands beside.
SOURCE_COLOURS.update(
    {grouping.SOURCE_GROUPS.group_of("gp"): "#E69F00", grouping.SOURCE_GROUPS.group_of("police"): "#56B4E9"}
)
MOVEMENT_COLOURS[grouping.EXIT_REASON_GROUPS.group_of("other")] = "#000000"
STAGE_COLOURS = dict(zip(labels.STAGE.values(), OKABE_ITO[4:] + OKABE_ITO))
PARENT_ROLE_COLOURS = dict(zip(labels.PARENT_ROLE.values(), ("#D55E00", "#0072B2", "#009E73", "#000000", "#56B4E9")))
PARENT_ROLE_COLOURS[grouping.ALL_PARENTS.group_of("mother")] = "#E69F00"
SESSION_TYPE_COLOURS = dict(zip(labels.SESSION_TYPE.values(), OKABE_ITO))
SESSION_STATUS_COLOURS = dict(zip(labels.SESSION_STATUS.values(), ("#009E73", "#D55E00", "#E69F00", "#56B4E9")))
ESCALATION_LEVEL_COLOURS = dict(zip(labels.ESCALATION_LEVEL.values(), TOL_MUTED))
ESCALATION_LEVEL_COLOURS.update(zip(dict.fromkeys(grouping.ESCALATION_LEVEL_GROUPS.groups.values()), TOL_MUTED[7:]))
CONCERN_TYPE_COLOURS = dict(zip(labels.CONCERN_TYPE.values(), OKABE_ITO))
SOCIAL_CARE_LEVEL_COLOURS = dict(
    zip(labels.SOCIAL_CARE_LEVEL.values(), ("#BBBBBB", "#88CCEE", "#DDCC77", "#CC6677", "#882255"))
)
TIME_POINT_COLOURS = dict(zip(labels.TIME_POINT.values(), OKABE_ITO))
INSTRUMENT_COLOURS = dict(zip(labels.INSTRUMENT.values(), OKABE_ITO))

TEMPLATE = "fbs"
pio.templates[TEMPLATE] = go.layout.Template(
    layout=go.Layout(
        font=dict(family="Source Sans Pro, Arial, sans-serif", size=17, color="#1f1f1f"),
        title=dict(font=dict(size=20)),
        colorway=OKABE_ITO,
        paper_bgcolor="white",
        plot_bgcolor="white",
        xaxis=dict(showgrid=False, linecolor="#888", ticks="outside", automargin=True, title=dict(standoff=12)),
        yaxis=dict(
            gridcolor="#e3e3e3", zerolinecolor="#888", rangemode="tozero", automargin=True, title=dict(standoff=12)
        ),
        legend=dict(orientation="h", yanchor="top", y=-0.18, x=0, title=dict(text="")),
        margin=dict(l=60, r=20, t=40, b=60),
        hoverlabel=dict(font=dict(size=16)),
        bargap=0.25,
    )
)
# Plotly Express picks colours when a figure is made: the house template must be the default then.
pio.templates.default = TEMPLATE


def site_colours(site_names: Sequence[str]) -> dict[str, str]:
    """Each site's colour, fixed by its place in the full list of sites so it never changes
    between pages or filters."""
    return {name: OKABE_ITO[i % len(OKABE_ITO)] for i, name in enumerate(site_names)}


def _finish(figure: go.Figure, height: int) -> go.Figure:
    # The legend's entries say what they are; Plotly Express would title it with a column name.
    figure.update_layout(template=TEMPLATE, height=height, legend_title_text="")
    if _has_dates(figure):
        # Monthly axes read as "Jul 2025", one tick a month at most.
        figure.update_xaxes(tickformat="%b %Y", dtick="M1")
    return figure


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2})?$")


def _has_dates(figure: go.Figure) -> bool:
    """Whether the x values are dates (the axis type is only settled when the browser draws it):
    datetimes (from Plotly Express), or dates written out as text (from _values)."""
    for trace in figure.data:
        x = getattr(trace, "x", None)
        known = pd.Series(x).dropna() if x is not None else pd.Series()
        if known.empty:
            continue
        first = known.iloc[0]
        if isinstance(first, str):
            return bool(_ISO_DATE.match(first))
        return pd.api.types.is_datetime64_any_dtype(known) or isinstance(first, pd.Timestamp)
    return False


# Traces are written as plain dicts into one Figure rather than through Plotly Express: with a
# trace per site and hundreds of sites, Express's per-trace work made each chart slow to build.


def bars(
    frame: pd.DataFrame,
    *,
    x: str,
    y: str,
    colour: str | None = None,
    colours: Mapping[str, str] | None = None,
    horizontal: bool = False,
    axis_titles: tuple[str, str] = ("", ""),
    height: int = 460,
    text: str | None = None,
    custom_data: Sequence[str] | None = None,
    facet: str | None = None,
    facets: Sequence[str] = (),
    sum_over: str | None = None,
    by_site: bool = False,
) -> go.Figure:
    """Bars (stacked when coloured by a category). `custom_data` columns ride along with each bar,
    for a click to say which cases it stands for. `facet`: small multiples, one chart per category
    of that column (in the order of `facets`), FACETS_PER_ROW to a row, on one shared scale.
    Past MAX_PANELS sites, the sites' counts are one bar, "All N sites": coloured by the sites,
    hundreds of slivers in eight repeating colours say nothing; along `x` when `by_site` (x is the
    site), hundreds of bars in a chart's height can be neither read nor quickly drawn. The table
    keeps every site's figure.
    `sum_over`: a column the counts are summed over (the site, in a figure by site, month and
    movement drawn by month and movement), not in small multiples: rows alike in every other
    column become one bar.
    Where some parts of a summed bar are hidden from this viewer (missing), it is the sum of the
    parts shown, which the table's rows give too, and its hover says so."""
    note = None
    many_sites = (
        colour
        if colour and frame[colour].nunique() > MAX_PANELS
        else (x if by_site and frame[x].nunique() > MAX_PANELS else None)
    )
    if many_sites:
        everyone = all_sites_label(frame[many_sites].nunique())
        keys = list(dict.fromkeys(c for c in (x, colour, facet, *(custom_data or ())) if c))
        frame = _sum_of_parts_shown(frame.assign(**{many_sites: everyone}), keys=keys, y=y)
        note, text = HOVER_NOTE, None
        if many_sites == colour:
            colours = {everyone: OKABE_ITO[0]}
    elif sum_over and not custom_data and not text and not facet:
        # One bar, not a sliver per site: a sliver each for hundreds of sites is thousands of bars
        # for the browser to draw, and a sliver's hover gives one site's figure without its name.
        keys = [c for c in frame.columns if c not in (sum_over, y)]
        frame, note = _sum_of_parts_shown(frame, keys=keys, y=y), HOVER_NOTE
    if facet:
        figure = _faceted_bars(
            frame,
            x=x,
            y=y,
            colour=colour,
            colours=colours,
            horizontal=horizontal,
            text=text,
            custom_data=custom_data,
            facet=facet,
            facets=facets,
        )
    else:
        figure = go.Figure(
            data=_bar_traces(
                frame,
                x=x,
                y=y,
                colour=colour,
                colours=colours or {},
                horizontal=horizontal,
                text=text,
                custom_data=custom_data,
                note=note,
            )
        )
    figure.update_layout(barmode="stack", xaxis_title=axis_titles[0], yaxis_title=axis_titles[1])
    if horizontal:
        figure.update_yaxes(autorange="reversed", rangemode="normal")
    return _finish(figure, height)


def _bar_traces(
    frame: pd.DataFrame,
    *,
    x: str,
    y: str,
    colour: str | None,
    colours: Mapping[str, str],
    horizontal: bool,
    text: str | None,
    custom_data: Sequence[str] | None,
    note: str | None = None,
) -> list[dict[str, Any]]:
    """A bar trace per `colour` category (in the order of `colours`), or one trace if uncoloured.
    `note`: a column of words to follow each bar's figure in its hover."""
    columns: dict[str, str | list[str]] = {"x": y if horizontal else x, "y": x if horizontal else y}
    if text:
        columns["text"] = text
    if custom_data:
        columns["customdata"] = list(custom_data)
    if note:
        columns["hovertext"] = note
    groups = _groups_in_order(frame, colour, colours, columns) if colour else [(None, _as_lists(frame, columns))]
    category, value = ("%{y}", "%{x}") if horizontal else ("%{x}", "%{y}")
    value += "%{hovertext}" if note else ""
    traces = []
    for name, values in groups:
        # Any: a trace is Plotly's JSON of many kinds of value (Plotly has no types of its own).
        trace: dict[str, Any] = dict(
            type="bar",
            orientation="h" if horizontal else "v",
            **values,
            hovertemplate=f"{category}: {value}<extra>{'' if name is None else name}</extra>",
        )
        if name is not None:
            trace.update(name=str(name), legendgroup=str(name), showlegend=True)
            if name in colours:
                trace["marker"] = dict(color=colours[name])
        if text:
            trace["textposition"] = "auto"
        traces.append(trace)
    return traces


def _faceted_bars(
    frame: pd.DataFrame,
    *,
    x: str,
    y: str,
    colour: str | None,
    colours: Mapping[str, str] | None,
    horizontal: bool,
    text: str | None,
    custom_data: Sequence[str] | None,
    facet: str,
    facets: Sequence[str],
) -> go.Figure:
    # Plotly Express lays out the small multiples (a handful of facets, so its cost is small).
    orders = {colour: list(colours)} if colour and colours else {}
    if facets:
        orders[facet] = list(facets)
    figure = px.bar(
        frame,
        x=y if horizontal else x,
        y=x if horizontal else y,
        color=colour,
        color_discrete_map=dict(colours or {}),
        orientation="h" if horizontal else "v",
        text=text,
        category_orders=orders or None,
        custom_data=list(custom_data) if custom_data else None,
        facet_col=facet,
        facet_col_wrap=FACETS_PER_ROW,
        facet_col_spacing=0.05,
        facet_row_spacing=0.16,
    )
    # Plotly Express titles each small chart "column=category": the category says it.
    figure.for_each_annotation(lambda a: a.update(text=a.text.split("=", 1)[-1], font=dict(size=18)))
    return figure


FACETS_PER_ROW = 3


def _groups_in_order(
    frame: pd.DataFrame, by: str, order: Mapping[str, str], columns: Mapping[str, str | list[str]]
) -> list[tuple[str, dict[str, list[Any] | np.ndarray]]]:
    """The rows of each `by` category (in the order of `order`, others after as they come), each
    as trace properties: `columns` maps a property to its column (or columns, for customdata)."""
    # A colour column's categories are words (site names, labels): text, which pandas-stubs types only
    # as Hashable; each group's positions are an array.
    positions = cast("dict[str, np.ndarray]", frame.groupby(by, sort=False).indices)
    names = [name for name in order if name in positions] + [name for name in positions if name not in order]
    arrays = {prop: _values(frame, column) for prop, column in columns.items()}
    return [(name, {prop: _for_plotly(values[positions[name]]) for prop, values in arrays.items()}) for name in names]


def _as_lists(frame: pd.DataFrame, columns: Mapping[str, str | list[str]]) -> dict[str, list[Any] | np.ndarray]:
    return {prop: _for_plotly(_values(frame, column)) for prop, column in columns.items()}


def _for_plotly(values: np.ndarray) -> list[Any] | np.ndarray:
    # A column goes as a plain list (see _values). customdata's several columns stay one 2-D array:
    # Plotly checks an array in one pass but a list of rows item by item, much slower for a chart
    # of thousands of bars; both are written as the same JSON list of rows.
    return values.tolist() if values.ndim == 1 else values


def _values(frame: pd.DataFrame, column: str | list[str]) -> np.ndarray:
    # Plain lists, not arrays, go to Plotly: it checks and writes them faster. Dates
    # go as ISO text, which the browser reads as dates: a Timestamp is copied and encoded one by
    # one, much slower for a chart of thousands of bars (a datetime64 array's list is of
    # integers, which the browser would not read as dates at all). The dates here are days and
    # months without a time zone; a time of day is kept to the second.
    data = frame[column]
    if isinstance(data, pd.Series) and pd.api.types.is_datetime64_any_dtype(data):
        known = data.dropna()
        at_midnight = (known == known.dt.normalize()).all()
        data = data.dt.strftime("%Y-%m-%d" if at_midnight else "%Y-%m-%d %H:%M:%S").astype(object)
    return data.to_numpy()


def lines(
    frame: pd.DataFrame,
    *,
    x: str,
    y: str,
    colour: str,
    colours: Mapping[str, str],
    axis_titles: tuple[str, str] = ("", ""),
    height: int = 460,
) -> go.Figure:
    """A line per `colour` category; past MAX_PANELS of them (sites), their spread instead."""
    if frame[colour].nunique() > MAX_PANELS:
        figure = go.Figure(data=_spread_traces(frame, x=x, y=y, colour=colour))
    else:
        figure = go.Figure(
            data=[
                dict(
                    type="scatter",
                    mode="lines+markers",
                    name=str(name),
                    legendgroup=str(name),
                    **values,
                    line=dict(width=3, color=colours.get(name)),
                    marker=dict(size=8, color=colours.get(name)),
                    hovertemplate=f"{name}<br>%{{x}}: %{{y}}<extra></extra>",
                )
                for name, values in _groups_in_order(frame, colour, colours, {"x": x, "y": y})
            ]
        )
    figure.update_layout(xaxis_title=axis_titles[0], yaxis_title=axis_titles[1])
    return _finish(figure, height)


SPREAD_FILL = "rgba(0, 114, 178, 0.18)"  # the median's blue, light


def _spread_traces(frame: pd.DataFrame, *, x: str, y: str, colour: str) -> list[dict[str, Any]]:
    """The median of the sites at each x and the band from their 10th to their 90th percentile.
    Three hundred lines cannot be told apart on a projector; the table beside keeps every
    site's figure. Values not drawn (hidden from this viewer) are left out of the median."""
    values = frame.dropna(subset=[y]).groupby(x, sort=True)[y]
    spread = pd.DataFrame(
        {"low": values.quantile(0.1), "median": values.median(), "high": values.quantile(0.9), "sites": values.size()}
    ).reset_index()
    count = frame[colour].nunique()
    xs = _values(spread, x).tolist()
    edge = dict(type="scatter", mode="lines", x=xs, line=dict(width=0, color=SPREAD_FILL), hoverinfo="skip")
    return [
        dict(edge, y=spread["low"].to_numpy(), showlegend=False),
        dict(
            edge,
            y=spread["high"].to_numpy(),
            fill="tonexty",
            fillcolor=SPREAD_FILL,
            name="Middle 80% of sites (10th to 90th percentile)",
        ),
        dict(
            type="scatter",
            mode="lines+markers",
            x=xs,
            y=spread["median"].to_numpy(),
            name=f"Median of the {count} sites",
            line=dict(width=3, color=OKABE_ITO[0]),
            marker=dict(size=8, color=OKABE_ITO[0]),
            customdata=spread[["low", "high", "sites"]].to_numpy(),
            hovertemplate="%{x}: median %{y:.4~g}<br>middle 80%: %{customdata[0]:.4~g} to "
            "%{customdata[1]:.4~g}<br>%{customdata[2]} sites<extra></extra>",
        ),
    ]


def panels_with_reference(
    frame: pd.DataFrame,
    *,
    x: str,
    y: str,
    panel: str,
    reference: str,
    colours: Mapping[str, str],
    reference_name: str,
    axis_titles: tuple[str, str] = ("", ""),
    columns: int = 3,
    custom_data: Sequence[str] | None = None,
) -> go.Figure:
    """One small chart per category (for example per site), each with its own dashed reference
    line (for example its target), sharing one scale so they compare at a glance. Past
    MAX_PANELS categories, one chart of their total against the total reference instead."""
    if frame[panel].nunique() > MAX_PANELS:
        frame = _summed_over(frame, over=panel, by=[x], y=y, also=[reference])
        colours = {frame[panel].iloc[0]: OKABE_ITO[0]}
    shown = [c for c in colours if c in set(frame[panel])]
    figure = px.line(
        frame,
        x=x,
        y=y,
        color=panel,
        facet_col=panel,
        facet_col_wrap=columns,
        color_discrete_map=dict(colours),
        markers=True,
        facet_col_spacing=0.05,
        facet_row_spacing=0.12,
        category_orders={panel: shown},
        custom_data=list(custom_data) if custom_data else None,
    )
    figure.update_traces(line=dict(width=3), marker=dict(size=7))
    _add_reference_per_panel(figure, frame, x=x, panel=panel, reference=reference, name=reference_name)
    figure.for_each_annotation(lambda a: a.update(text=a.text.split("=")[-1], font=dict(size=17)))
    figure.update_layout(showlegend=False)
    figure.update_xaxes(title_text="")
    figure.update_yaxes(title_text="")
    figure.update_yaxes(title_text=axis_titles[1], col=1)
    return _finish(figure, 300 * -(-len(shown) // columns) + 60)


MAX_PANELS = 12


WITHHELD = (
    "No figure here can be drawn: each rests on fewer than 10 cases, or would reveal a hidden "
    "number.<br>The table shows what can be shown."
)


def say_if_nothing_drawn(figure: go.Figure, values: pd.Series) -> go.Figure:
    """An empty chart (every share or mean withheld for this viewer) says why, not just nothing."""
    if values.isna().all():
        figure.add_annotation(
            xref="paper",
            yref="paper",
            x=0.5,
            y=0.5,
            showarrow=False,
            text=WITHHELD,
            font=dict(size=17),
            bgcolor="white",
        )
    return figure


def too_many_sites(table: pd.DataFrame) -> bool:
    """Past MAX_PANELS sites a by-site chart draws them together (the table keeps each)."""
    return "site" in table.columns and table["site"].nunique() > MAX_PANELS


def defined_for_its_sites(definition: str, table: pd.DataFrame, together: str = SITES_AS_ONE_BAR) -> str:
    """A by-site chart's definition, and, when `table` has too many sites to draw apart, how the
    chart shows them together (`together`, a definitions sentence)."""
    return f"{definition} {together.format(most=MAX_PANELS)}" if too_many_sites(table) else definition


def all_sites_label(count: int) -> str:
    return f"All {count} sites"


HOVER_NOTE = "_hover_note"
PARTS_HIDDEN = " or more (some sites' figures here are hidden to protect privacy)"


def _sum_of_parts_shown(frame: pd.DataFrame, *, keys: list[str], y: str) -> pd.DataFrame:
    """Rows alike in the `keys` columns as one row, `y` their sum. Where some parts are hidden
    from this viewer (missing), the sum of the parts shown, and a HOVER_NOTE that says it is not
    the whole (the same sum the table's rows give); missing where every part is hidden."""
    sums = frame.groupby(keys, as_index=False, sort=False, dropna=False).agg(
        **{y: (y, "sum"), "_shown": (y, "count"), "_parts": (y, "size")}
    )
    # Typed, or mypy joins a Series and an array to `object`, which pandas-stubs does not take as a column.
    shown: dict[str, pd.Series | np.ndarray] = {
        y: sums[y].where(sums["_shown"] > 0),
        HOVER_NOTE: np.where(sums["_shown"] < sums["_parts"], PARTS_HIDDEN, ""),
    }
    return sums.assign(**shown).drop(columns=["_shown", "_parts"])


def _sum_unless_missing(values: pd.Series) -> float:
    # A total with a part hidden from this viewer (missing) would let that part be worked out.
    return values.sum() if values.notna().all() else float("nan")


def _summed_over(
    frame: pd.DataFrame, *, over: str, by: Sequence[str], y: str, also: Sequence[str] = ()
) -> pd.DataFrame:
    """The rows summed over every category of `over` (the sites) for each `by`, labelled "All N
    sites"; a sum of `y` with any hidden (missing) part is left missing. `also`: summed plainly."""
    sums = frame.groupby(list(by), as_index=False, sort=False).agg(
        **{y: (y, _sum_unless_missing)}, **{c: (c, "sum") for c in also}
    )
    return sums.assign(**{over: all_sites_label(frame[over].nunique())})


def sites_as_one(
    frame: pd.DataFrame, *, weight: str, count: str | None = None, means: tuple[str, ...] = ()
) -> pd.DataFrame:
    """The sites of a by-site table as one, labelled "All N sites": the share (`count` of `weight`,
    worked out from the sites' counts, as their own shares are rounded) or the `means` over
    `weight` cases. A figure is missing where any site's is (hidden from this viewer), so that
    the total never lets a hidden one be worked out."""
    if frame["site"].nunique() <= 1:  # already one (a protected viewer's sites are drawn from their total)
        return frame
    rows = frame[~(frame[weight] == 0)]  # a count hidden from this viewer is missing, not 0: kept
    parts = {mean: rows[mean] * rows[weight] for mean in means}
    if count is not None:
        parts["share"] = (100 * rows[count]).where(rows["share"].notna())
    keys = [c for c in rows.columns if c != "site" and not pd.api.types.is_numeric_dtype(rows[c])]
    totals = (
        rows.assign(**parts)
        .groupby(keys, as_index=False, sort=False)
        .agg(**{weight: (weight, "sum")}, **{part: (part, _sum_unless_missing) for part in parts})
    )
    return totals.assign(
        **{part: totals[part] / totals[weight] for part in parts}, site=all_sites_label(frame["site"].nunique())
    )


def _add_reference_per_panel(
    figure: go.Figure, frame: pd.DataFrame, *, x: str, panel: str, reference: str, name: str
) -> None:
    # Plotly Express names each panel's trace after its category: pair reference lines with them.
    for trace in list(figure.data):
        rows = frame[frame[panel] == trace.name]
        figure.add_scatter(
            x=rows[x],
            y=rows[reference],
            mode="lines",
            name=name,
            showlegend=False,
            line=dict(dash="dash", width=2, color=REFERENCE_GREY),
            xaxis=trace.xaxis,
            yaxis=trace.yaxis,
            hovertemplate=f"{name}: %{{y}}<extra>{trace.name}</extra>",
        )


def points(
    frame: pd.DataFrame,
    *,
    x: str,
    y: str,
    colours: Mapping[str, str],
    axis_titles: tuple[str, str] = ("", ""),
    height: int = 420,
    rows_are: str = "",
) -> go.Figure:
    """One dot per row, spread sideways within its category: a distribution you can count. Past
    MAX_PANELS categories (sites), how many rows (`rows_are`, for example "Practitioners") have
    each value of `y` across all of them: hundreds of narrow strips do not read, and thousands of
    dots in one can be neither counted nor quickly drawn."""
    marker = dict(size=14, opacity=0.8)
    count = frame[x].nunique()
    if count > MAX_PANELS:
        return _counted_by_value(
            frame[y], label=all_sites_label(count), value_title=axis_titles[1], rows_are=rows_are, height=height
        )
    # A strip chart: box traces showing only their points, jittered, one per category.
    traces = [
        dict(
            type="box",
            name=str(name),
            **values,
            boxpoints="all",
            jitter=0.5,
            pointpos=0,
            hoveron="points",
            fillcolor="rgba(255,255,255,0)",
            line=dict(color="rgba(255,255,255,0)"),
            marker=dict(marker, color=colours.get(name)),
            hovertemplate="%{x}: %{y}<extra></extra>",
        )
        for name, values in _groups_in_order(frame, x, colours, {"x": x, "y": y})
    ]
    figure = go.Figure(data=traces)
    figure.update_layout(showlegend=False, xaxis_title=axis_titles[0], yaxis_title=axis_titles[1])
    return _finish(figure, height)


def _counted_by_value(values: pd.Series, *, label: str, value_title: str, rows_are: str, height: int) -> go.Figure:
    counted = values.value_counts().sort_index()
    figure = go.Figure(
        go.Bar(
            x=counted.index.tolist(),
            y=counted.tolist(),
            name=label,
            marker=dict(color=OKABE_ITO[0]),
            hovertemplate=f"{value_title}: %{{x}}<br>{rows_are}: %{{y}}<extra>{label}</extra>",
        )
    )
    figure.update_layout(showlegend=False, xaxis_title=value_title, yaxis_title=rows_are)
    return _finish(figure, height)


# How each special-cause rule is marked on an SPC chart: shape and colour both differ, so the
# marks still tell apart printed in greyscale. Runs (shift, trend) are open rings drawn around
# the month's own dot; single-month rules are filled shapes over it.
SIGNAL_MARKERS = {
    "shift": dict(symbol="circle-open", size=24, color="#E69F00", line=dict(width=3)),
    "trend": dict(symbol="triangle-up-open", size=28, color="#009E73", line=dict(width=3)),
    "two_of_three": dict(symbol="square", size=15, color="#CC79A7"),
    "beyond_limits": dict(symbol="diamond", size=18, color="#D55E00"),
}


def spc_chart(xmr: spc.XmR, measure_label: str, *, percent: bool = False, height: int = 480) -> go.Figure:
    """An XmR chart: the monthly values, their average (solid) and process limits (dashed), and
    the months flagged by each Making Data Count rule marked and named in the legend. Limits are
    drawn within what the measure can take (0 upwards; at most 100% for a percentage)."""
    months, values = list(xmr.values.index), xmr.values
    figure = go.Figure()
    figure.add_scatter(
        x=months,
        y=values,
        mode="lines+markers",
        name=measure_label,
        line=dict(width=3, color=OKABE_ITO[0]),
        marker=dict(size=9, color=OKABE_ITO[0]),
        hovertemplate="%{x|%B %Y}: %{y}<extra></extra>",
    )
    ends = [months[0], months[-1]]
    figure.add_scatter(
        x=ends,
        y=[xmr.mean] * 2,
        mode="lines",
        name="Average",
        line=dict(width=2, color="#000000"),
        hovertemplate="Average: %{y}<extra></extra>",
    )
    top = 1.0 if percent else float("inf")
    for limit, words in ((xmr.upper_limit, "Upper"), (xmr.lower_limit, "Lower")):
        figure.add_scatter(
            x=ends,
            y=[min(max(limit, 0.0), top)] * 2,
            mode="lines",
            name="Process limits",
            legendgroup="limits",
            showlegend=words == "Upper",
            line=dict(width=2, dash="dash", color=REFERENCE_GREY),
            hovertemplate=f"{words} process limit: %{{y}}<extra></extra>",
        )
    for rule in ("shift", "trend", "two_of_three", "beyond_limits"):
        _add_signal_marks(figure, xmr, rule)
    figure.update_layout(xaxis_title="Month", yaxis_title=measure_label)
    figure.update_yaxes(tickformat=".0%" if percent else None, hoverformat=".1%" if percent else ",.1~f")
    # Seven legend entries: above the chart, clear of the month labels and the axis title.
    figure.update_layout(legend=dict(yanchor="bottom", y=1.02), margin=dict(t=90))
    figure = _finish(figure, height)
    if len(months) > 12:
        figure.update_xaxes(dtick="M3")  # a label every quarter stays readable on a projector
    return figure


def _add_signal_marks(figure: go.Figure, xmr: spc.XmR, rule: str) -> None:
    signals = [s for s in xmr.signals if s.rule == rule]
    if not signals:
        return
    # A peak can end a rising trend and start a falling one: a month may carry two sentences.
    explanations: dict[int, list[str]] = {}
    falling: set[int] = set()
    for signal in signals:
        for position in signal.positions:
            explanations.setdefault(position, []).append(signal.explanation)
            if signal.direction == "falling":
                falling.add(position)
    positions = sorted(explanations)
    marker = dict(SIGNAL_MARKERS[rule])
    if rule == "trend":
        marker["symbol"] = ["triangle-down-open" if p in falling else "triangle-up-open" for p in positions]
    figure.add_scatter(
        x=[xmr.values.index[p] for p in positions],
        y=[xmr.values.iloc[p] for p in positions],
        mode="markers",
        name=spc.RULE_NAMES[rule],
        marker=marker,
        customdata=["<br>".join(explanations[p]) for p in positions],
        hovertemplate="%{x|%B %Y}: %{customdata}<extra></extra>",
    )


def funnel_chart(
    funnel: Funnel, measure_label: str, *, n_label: str = "Number of families", height: int = 520
) -> go.Figure:
    """A funnel plot: each site's rate against its number of families, the all-sites average, and
    the 95% (dashed) and 99.8% (dotted) limits; sites beyond the 99.8% limits are named."""
    curve = funnel.curve(float(funnel.sites["n"].max()) * 1.1)
    figure = go.Figure()
    figure.add_scatter(
        x=curve["n"],
        y=[funnel.target] * len(curve),
        mode="lines",
        name="Average of all sites",
        line=dict(width=2, color="#000000"),
        hovertemplate="Average of all sites: %{y}<extra></extra>",
    )
    for level, dash in (("95", "dash"), ("998", "dot")):
        words = "95%" if level == "95" else "99.8%"
        for side in ("upper", "lower"):
            figure.add_scatter(
                x=curve["n"],
                y=curve[f"{side}_{level}"],
                mode="lines",
                name=f"{words} limits",
                legendgroup=level,
                showlegend=side == "upper",
                line=dict(width=2, dash=dash, color=REFERENCE_GREY),
                hovertemplate=f"{side.capitalize()} {words} limit at %{{x:.0f}}: %{{y}}<extra></extra>",
            )
    sites = funnel.sites
    outside = sites["position"].isin(("above 99.8%", "below 99.8%"))
    figure.add_scatter(
        x=sites["n"],
        y=sites["proportion"],
        mode="markers+text",
        name="Sites",
        marker=dict(size=14, color=OKABE_ITO[0], line=dict(width=1, color="white")),
        text=[name if out else "" for name, out in zip(sites.index, outside)],
        textposition="top center",
        textfont=dict(size=16),
        customdata=list(sites.index),
        hovertemplate=f"%{{customdata}}<br>{n_label}: %{{x}}<br>{measure_label}: %{{y:.1%}}<extra></extra>",
    )
    figure.update_layout(xaxis_title=n_label, yaxis_title=measure_label)
    figure.update_yaxes(tickformat=".0%", hoverformat=".1%", range=[0, 1.05])
    return _finish(figure, height)
