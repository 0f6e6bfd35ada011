"""The board pack: one quarter for the trustees, as a ReportDocument (drawn on screen, as a PDF
and as slides alike).

Its figures come from the views' own queries, asked through the Viewer (the shell's PageContext), so they
are the views' figures, within the viewer's scope, cached alike. Disclosure control is applied
here, before the document exists: for a protected viewer every trend, headline and funnel plot is
worked out from the counts as published (rounded; a month or site with a hidden count is left
out), so its averages, limits and sentences say nothing the rounded counts do not.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import cast

import numpy as np
import pandas as pd

from dashboard.privacy.disclosure import NO_VALUE, Counts, DisclosureRule
from dashboard.privacy.grouping import OTHER
from dashboard.reports import board_narrative
from dashboard.reports.report_document import (
    Headline,
    Part,
    ReportDocument,
    Section,
    with_percentages,
)
from dashboard.reports.viewer import Viewer
from dashboard.stats.funnel import funnel
from dashboard.stats.spc import xmr
from dashboard.viz import charts
from dashboard.words import formats, labels
from dashboard.words.definitions import board_pack as definitions
from queries import board, caseloads, engagement, referrals, safeguarding
from queries.periods import Period

TREND_MONTHS = 24


def board_quarter(period: Period, data_as_at: date) -> Period:
    """The quarter the pack covers: the period when it is a quarter, otherwise the last quarter
    that had ended by the period's end (or by the data-as-at date, if that is earlier)."""
    if period.kind == "quarter":
        return period
    last = min(period.end, data_as_at)
    quarter = Period.quarter_containing(last)
    return quarter if quarter.end <= last else quarter.previous()


def _year_before(quarter: Period) -> Period:
    return Period.quarter_containing(quarter.start.replace(year=quarter.start.year - 1))


# --- The figures, month by month -----------------------------------------------------------------


def _trend_window(quarter: Period) -> Period:
    """The 24 months ending with the quarter (long enough to hold the same quarter a year before)."""
    first = pd.Timestamp(quarter.end).to_period("M") - (TREND_MONTHS - 1)
    return Period.custom(first.start_time.date(), quarter.end)


def monthly_figures(view: Viewer, window: Period) -> pd.DataFrame:
    """Every month of the window (to the data-as-at month): referrals, enrolments, families_active,
    attended, offered, escalations, summed over the sites the viewer asked for."""
    filters = view.filters.with_period(window)
    months = pd.date_range(window.start, min(window.end, view.data_as_at), freq="MS", name="month")

    def per_month(query, value: str, where=None) -> pd.Series:
        frame = view.query(query, filters)
        if where is not None:
            frame = frame[where(frame)]
        return frame.groupby(pd.to_datetime(frame["month"]))[value].sum().reindex(months, fill_value=0)

    return pd.DataFrame(
        {
            "referrals": per_month(referrals.by_source_month, "referrals"),
            "enrolments": per_month(
                caseloads.enrolments_and_exits, "families", where=lambda frame: frame["movement"] == "enrolled"
            ),
            "families_active": per_month(caseloads.families_active_by_month, "families_active"),
            "attended": per_month(engagement.attendance_by_month, "attended"),
            "offered": per_month(engagement.attendance_by_month, "offered"),
            "escalations": per_month(safeguarding.by_level_month, "escalations"),
        }
    ).astype("int64")


@dataclass(frozen=True)
class Measure:
    """A figure of the pack: a count, or a rate count / denominator × per (per 1: a share)."""

    label: str
    definition: str
    count: str
    denominator: str | None = None
    per: int = 1

    @property
    def is_share(self) -> bool:
        return self.denominator is not None and self.per == 1

    def value(self, rule: DisclosureRule, figures: Mapping[str, float]) -> float | None:
        """The measure as `rule` publishes it: None when it rests on a hidden count or too few cases."""
        if self.denominator is None:
            return _whole(rule.count(figures[self.count]))
        return rule.rate(figures[self.count], figures[self.denominator], self.per)

    def values(self, rule: DisclosureRule, months: pd.DataFrame) -> pd.Series:
        """Month by month, as published (missing where withheld)."""
        values = [self.value(rule, cast(Mapping[str, float], month)) for _, month in months.iterrows()]
        return pd.Series(np.array(values, dtype=float), index=months.index)


def _whole(count: float | None) -> int | None:
    """A published count as a whole number for a sentence ("from 130 to 120", not "130.0")."""
    return None if count is None else int(count)


REFERRALS = Measure("Referrals received", definitions.REFERRALS, "referrals")
ENROLMENTS = Measure("New enrolments", definitions.ENROLMENTS, "enrolments")
FAMILIES_ACTIVE = Measure("Families active", definitions.FAMILIES_ACTIVE, "families_active")
ATTENDANCE = Measure("Session attendance rate", definitions.ATTENDANCE, "attended", "offered")
CO_PARENTS_ENGAGED = Measure(
    "Fathers and co-parents engaged", definitions.CO_PARENTS_ENGAGED, "co_parent_attended", "with_co_parent"
)
TRENDS = (
    REFERRALS,
    ENROLMENTS,
    FAMILIES_ACTIVE,
    ATTENDANCE,
    Measure(
        "Escalations per 100 active families",
        definitions.ESCALATIONS_PER_100,
        "escalations",
        "families_active",
        per=100,
    ),
)
HEADLINES = (
    REFERRALS,
    ENROLMENTS,
    FAMILIES_ACTIVE,
    ATTENDANCE,
    CO_PARENTS_ENGAGED,
    Measure("Escalations raised", definitions.ESCALATIONS, "escalations"),
)


def _trend_section(view: Viewer, trend: Measure, months: pd.DataFrame, quarter: Period) -> tuple[Section, list[str]]:
    """The trend's section, and its signals in the quarter for "what changed"."""
    complete = months[pd.DatetimeIndex(months.index) + pd.offsets.MonthEnd(0) <= pd.Timestamp(view.data_as_at)]
    started = complete[(complete["families_active"] > 0) | (complete["referrals"] > 0)]
    published = trend.values(view.disclosure, started)
    notes = []
    if published.isna().any() and view.disclosure.active:
        notes.append(
            f"Not drawn: some months rest on counts from 1 to {view.disclosure.threshold} (or a rate over "
            "too few families), and a chart with months missing would mislead."
        )
        return Section(trend.label, trend.definition, notes=tuple(notes)), []
    values = published.dropna()
    if len(values) < 2:
        return Section(trend.label, trend.definition, notes=("Too few months of data to chart.",)), []
    chart = xmr(values)
    if not chart.enough_points:
        notes.append(f"Only {len(values)} months of data: the limits will settle as months are added.")
    quarter_months = list(pd.date_range(quarter.start, quarter.end, freq="MS"))
    signals = board_narrative.trend_signals(trend.label, chart, quarter_months)
    percent = trend.is_share
    figure = charts.spc_chart(chart, trend.label, percent=percent)
    alt = (
        f"{trend.label} by month, {_month(values.index[0])} to {_month(values.index[-1])}: average "
        f"{_number(chart.mean, percent)}, process limits {_number(chart.lower_limit, percent)} to "
        f"{_number(chart.upper_limit, percent)}."
    )
    section = Section(
        trend.label,
        trend.definition,
        sentences=tuple(signal.explanation for signal in chart.signals),
        chart=figure,
        chart_alt=alt,
        notes=tuple(notes),
    )
    return section, signals


def _month(month: pd.Timestamp) -> str:
    return f"{month:%b %Y}"


def _number(value: float, percent: bool) -> str:
    return f"{value:.0%}" if percent else f"{value:,.1f}"


# --- Headline figures for the quarter ---------------------------------------------------------------


def _quarter_figures(view: Viewer, quarter: Period, months: pd.DataFrame) -> dict[str, int]:
    in_quarter = months.loc[str(quarter.start) : str(quarter.end)].sum()
    filters = view.filters.with_period(quarter)
    # The sites' families active (the overview's definition) sum to the quarter's: no query of its own.
    comparison = view.query(board.site_comparison, filters)[
        ["families_active", "with_co_parent", "co_parent_attended"]
    ].sum()
    return {str(name): int(n) for name, n in (*in_quarter.items(), *comparison.items())}


def _shown(view: Viewer, measure: Measure, figures: Mapping[str, int]) -> str:
    value = measure.value(view.disclosure, figures)
    if measure.denominator is None:
        return view.disclosure.count_text(figures[measure.count])
    if value is None or pd.isna(value):
        return NO_VALUE
    return f"{value:.0%}" if measure.is_share else f"{value:,.1f}"


def _change(now: float | None, then: float | None, share: bool, against: str) -> str:
    if now is None or then is None or pd.isna(now) or pd.isna(then):
        return f"change on {against} not shown"
    if share:
        return f"{formats.change(100 * (now - then), decimals=1, unit=' points')} on {against}"
    return f"{formats.change(now - then)} on {against}"


def headlines(view: Viewer, figures: dict[Period, dict[str, int]], quarter: Period) -> tuple[Headline, ...]:
    """The quarter's headline figures with their change on the quarter before and a year before."""
    before, year_before = quarter.previous(), _year_before(quarter)
    result = []
    for measure in HEADLINES:
        share = measure.is_share
        now = measure.value(view.disclosure, figures[quarter])
        changes = tuple(
            _change(now, measure.value(view.disclosure, figures[other]), share, label)
            for other, label in ((before, "the quarter before"), (year_before, "a year before"))
        )
        result.append(Headline(measure.label, _shown(view, measure, figures[quarter]), measure.definition, changes))
    return tuple(result)


# --- Sites compared ---------------------------------------------------------------------------------

COMPARISONS = (
    CO_PARENTS_ENGAGED,
    Measure("Families with a safeguarding escalation", definitions.FAMILIES_ESCALATED, "escalated", "families_active"),
)


def _funnel_table(table: pd.DataFrame, comparison: Measure) -> pd.DataFrame:
    return table.rename(
        columns={
            "site": "Site",
            "count": comparison.label,
            "families": "Of families",
            "share": "Share",
            "position": "Against the funnel limits",
        }
    )


def _funnel_section(view: Viewer, comparison: Measure, by_site: pd.DataFrame) -> tuple[Section, list[str]]:
    title = f"Sites compared: {comparison.label.lower()}"
    definition = comparison.definition
    by_site = by_site[by_site[comparison.denominator] > 0]
    if len(by_site) < 2:
        return Section(title, definition, notes=("Sites are compared when two or more are shown.",)), []
    frame = pd.DataFrame(
        {
            "site": by_site["site"],
            "count": by_site[comparison.count],
            "families": by_site[comparison.denominator],
            "share": by_site[comparison.count] / by_site[comparison.denominator],
        }
    )
    protected = view.publish(frame, Counts("count", ("site",), rates={"share": "families"}))
    # Sites merged as small together (dashboard.privacy.grouping) are in the table, not on the funnel: they
    # are no site to compare.
    shown = (protected.plot["share"].notna() & (protected.plot["site"] != OTHER)).to_numpy()
    table = with_percentages(protected.table, "share")
    if shown.sum() < 2:
        return Section(
            title,
            definition,
            table=_funnel_table(table, comparison),
            notes=("Sites are compared when two or more have enough families for their share to be shown.",),
        ), []
    # The funnel is worked out from the counts as published (rounded, for a protected viewer), so
    # its target and limits say nothing they do not; its line is the rate across the sites drawn.
    drawn = protected.plot[shown].set_index("site")
    compared = funnel(drawn["count"], drawn["families"])
    position = table["site"].map(compared.sites["position"]).fillna(NO_VALUE)
    notes = ("Sites with too few families for their share to be shown are not drawn.",) if not shown.all() else ()
    section = Section(
        title,
        definition,
        chart=charts.funnel_chart(compared, comparison.label),
        chart_alt=f"{comparison.label} by site against the number of families, with the rate "
        f"across the sites shown ({compared.target:.0%}) and its 95% and 99.8% limits.",
        table=_funnel_table(table.assign(position=position), comparison),
        notes=notes,
    )
    sites = compared.sites.reset_index().rename(columns={compared.sites.index.name or "index": "site"})
    return section, board_narrative.funnel_outliers(comparison.label, sites, compared.target)


# --- The document ---------------------------------------------------------------------------------------


def _referral_sentences(
    view: Viewer, window: Period, quarter: Period, figures: dict[Period, dict[str, int]]
) -> list[str]:
    before = quarter.previous()
    # The trend window's referrals by month and source hold both quarters: no query of their own.
    by_month = view.query(referrals.by_source_month, view.filters.with_period(window))
    months = pd.to_datetime(by_month["month"])

    def by_source(period: Period) -> dict[str, int | None]:
        in_period = by_month[months.between(pd.Timestamp(period.start), pd.Timestamp(period.end))]
        counts = in_period.groupby("source")["referrals"].sum()
        return {
            labels.SOURCE.get(str(source), str(source)): _whole(view.disclosure.count(n))
            for source, n in counts.items()
        }

    return board_narrative.referral_change(
        _whole(REFERRALS.value(view.disclosure, figures[quarter])),
        _whole(REFERRALS.value(view.disclosure, figures[before])),
        by_source(quarter),
        by_source(before),
        f"the quarter before ({before.label})",
    )


def _prefetch(view: Viewer, window: Period, quarters: tuple[Period, ...]) -> None:
    """Start every query the pack asks for, side by side, the slowest first (PageContext.prefetch)."""
    over_window = view.filters.with_period(window)
    view.prefetch(
        *(
            (query, over_window)
            for query in (
                engagement.attendance_by_month,
                caseloads.families_active_by_month,
                safeguarding.by_level_month,
                caseloads.enrolments_and_exits,
                referrals.by_source_month,
            )
        ),
        *((board.site_comparison, view.filters.with_period(quarter)) for quarter in quarters),
    )


def build(view: Viewer) -> ReportDocument:
    """The board pack for the viewer's filters (the quarter from board_quarter)."""
    quarter = board_quarter(view.filters.period, view.data_as_at)
    window, quarters = _trend_window(quarter), (quarter, quarter.previous(), _year_before(quarter))
    _prefetch(view, window, quarters)
    months = monthly_figures(view, window)
    figures = {period: _quarter_figures(view, period, months) for period in quarters}
    trend_sections, signals = [], []
    for trend in TRENDS:
        section, flagged = _trend_section(view, trend, months, quarter)
        trend_sections.append(section)
        signals += flagged
    by_site = view.query(board.site_comparison, view.filters.with_period(quarter))
    funnel_sections, outliers = [], []
    for comparison in COMPARISONS:
        section, sentences = _funnel_section(view, comparison, by_site)
        funnel_sections.append(section)
        outliers += sentences
    changed = _referral_sentences(view, window, quarter, figures) + signals + outliers
    if not signals and not outliers:
        changed.append(board_narrative.NOTHING_UNUSUAL)
    parts = {
        "The quarter": (
            Section(
                "Headline figures",
                f"{definitions.QUARTER} {definitions.CHANGES}",
                headlines=headlines(view, figures, quarter),
            ),
            Section("What changed this quarter", definitions.WHAT_CHANGED, sentences=tuple(changed)),
        ),
        "Trends": (Section("Trends over 24 months", definitions.SPC), *trend_sections),
        "Sites compared": (Section("Sites compared", definitions.FUNNEL), *funnel_sections),
    }
    return ReportDocument(
        title="Board pack",
        subtitle=f"{quarter.label} · {view.sites_label}",
        data_as_at=view.data_as_at,
        synthetic=view.synthetic,
        suppression_legend=view.disclosure.legend if view.disclosure.active else None,
        suppression_footnote=view.disclosure.footnote,
        sections=tuple(section for sections in parts.values() for section in sections),
        parts=tuple(Part(label, len(sections)) for label, sections in parts.items()),
    )
