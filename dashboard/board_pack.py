"""The board pack: one quarter for the trustees, as a ReportDocument (drawn on screen, as a PDF
and as slides alike).

Its figures come from the views' own queries, asked through the viewer's PageContext, so they
are the views' figures, within the viewer's scope, cached alike. Small numbers are hidden here,
before the document exists: a trend chart with a hidden month is not drawn at all (its average
and limits would let a reader work the month out), and a funnel plot leaves out the sites whose
counts are hidden.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import pandas as pd

from dashboard import board_narrative, charts, labels
from dashboard.context import PageContext
from dashboard.definitions import board_pack as definitions
from dashboard.disclosure import MARKER, Counts
from dashboard.funnel import funnel
from dashboard.report_document import (
    Headline,
    Part,
    ReportDocument,
    Section,
    with_percentages,
)
from dashboard.spc import xmr
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


def monthly_figures(view: PageContext, window: Period) -> pd.DataFrame:
    """Every month of the window (to the data-as-at month): referrals, enrolments, families_active,
    attended, offered, escalations, summed over the sites the viewer asked for."""
    filters = view.filters.with_period(window)
    months = pd.date_range(window.start, min(window.end, view.data_as_at), freq="MS", name="month")

    def per_month(query, value: str, where=None) -> pd.Series:
        frame = view.query(query, filters)
        if where is not None:
            frame = frame[where(frame)]
        return frame.groupby(pd.to_datetime(frame["month"]))[value].sum().reindex(months, fill_value=0)

    return pd.DataFrame({
        "referrals": per_month(referrals.by_source_month, "referrals"),
        "enrolments": per_month(caseloads.enrolments_and_exits, "families",
                                where=lambda frame: frame["movement"] == "enrolled"),
        "families_active": per_month(caseloads.families_active_by_month, "families_active"),
        "attended": per_month(engagement.attendance_by_month, "attended"),
        "offered": per_month(engagement.attendance_by_month, "offered"),
        "escalations": per_month(safeguarding.by_level_month, "escalations"),
    }).astype("int64")


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

    def values(self, months: pd.DataFrame) -> pd.Series:
        if self.denominator is None:
            return months[self.count].astype(float)
        return self.per * months[self.count] / months[self.denominator].where(months[self.denominator] > 0)


REFERRALS = Measure("Referrals received", definitions.REFERRALS, "referrals")
ENROLMENTS = Measure("New enrolments", definitions.ENROLMENTS, "enrolments")
FAMILIES_ACTIVE = Measure("Families active", definitions.FAMILIES_ACTIVE, "families_active")
ATTENDANCE = Measure("Session attendance rate", definitions.ATTENDANCE, "attended", "offered")
CO_PARENTS_ENGAGED = Measure("Fathers and co-parents engaged", definitions.CO_PARENTS_ENGAGED,
                             "co_parent_attended", "with_co_parent")
TRENDS = (REFERRALS, ENROLMENTS, FAMILIES_ACTIVE, ATTENDANCE,
          Measure("Escalations per 100 active families", definitions.ESCALATIONS_PER_100, "escalations",
                  "families_active", per=100))
HEADLINES = (REFERRALS, ENROLMENTS, FAMILIES_ACTIVE, ATTENDANCE,
             CO_PARENTS_ENGAGED, Measure("Escalations raised", definitions.ESCALATIONS, "escalations"))


def _withheld(view: PageContext, measure: Measure, figures: Mapping[str, int]) -> bool:
    """Whether the measure's figure rests on a number the viewer may not see: its count, its
    denominator (a rate over fewer than the minimum cases), or a share's complement ("12 of 15"
    says 3 did not)."""
    rule, count = view.disclosure, figures[measure.count]
    if rule.hides_count(count):
        return True
    if measure.denominator is None:
        return False
    denominator = figures[measure.denominator]
    return rule.active and (denominator < rule.min_denominator or rule.hides_count(denominator)
                            or (measure.is_share and rule.hides_count(denominator - count)))


def _trend_hidden(view: PageContext, trend: Measure, months: pd.DataFrame) -> bool:
    """Whether any month of the trend rests on a number the viewer may not see."""
    return any(_withheld(view, trend, month) for _, month in months.iterrows())


def _trend_section(view: PageContext, trend: Measure, months: pd.DataFrame,
                   quarter: Period) -> tuple[Section, list[str]]:
    """The trend's section, and its signals in the quarter for "what changed"."""
    complete = months[months.index + pd.offsets.MonthEnd(0) <= pd.Timestamp(view.data_as_at)]
    started = complete[(complete["families_active"] > 0) | (complete["referrals"] > 0)]
    values = trend.values(started).dropna()
    notes = []
    if _trend_hidden(view, trend, started):
        notes.append("Not drawn: some months rest on numbers small enough to hide, which the average and "
                     "limits would let a reader work out.")
        return Section(trend.label, trend.definition, notes=tuple(notes)), []
    if len(values) < 2:
        return Section(trend.label, trend.definition, notes=("Too few months of data to chart.",)), []
    chart = xmr(values)
    if not chart.enough_points:
        notes.append(f"Only {len(values)} months of data: the limits will settle as months are added.")
    quarter_months = pd.date_range(quarter.start, quarter.end, freq="MS")
    signals = board_narrative.trend_signals(trend.label, chart, quarter_months)
    percent = trend.is_share
    figure = charts.spc_chart(chart, trend.label, percent=percent)
    alt = (f"{trend.label} by month, {_month(values.index[0])} to {_month(values.index[-1])}: average "
           f"{_number(chart.mean, percent)}, process limits {_number(chart.lower_limit, percent)} to "
           f"{_number(chart.upper_limit, percent)}.")
    section = Section(trend.label, trend.definition,
                      sentences=tuple(signal.explanation for signal in chart.signals),
                      chart=figure, chart_alt=alt, notes=tuple(notes))
    return section, signals


def _month(month: pd.Timestamp) -> str:
    return f"{month:%b %Y}"


def _number(value: float, percent: bool) -> str:
    return f"{value:.0%}" if percent else f"{value:,.1f}"


# --- Headline figures for the quarter ---------------------------------------------------------------

def _quarter_figures(view: PageContext, quarter: Period, months: pd.DataFrame) -> dict[str, int]:
    in_quarter = months.loc[str(quarter.start):str(quarter.end)].sum()
    filters = view.filters.with_period(quarter)
    # The sites' families active (the overview's definition) sum to the quarter's: no query of its own.
    comparison = view.query(board.site_comparison, filters)[["families_active", "with_co_parent",
                                                             "co_parent_attended"]].sum()
    return {**in_quarter.to_dict(), **comparison.to_dict()}


def _visible(view: PageContext, measure: Measure, figures: Mapping[str, int]) -> float | None:
    """The measure's value, or None when the viewer may not see it."""
    if _withheld(view, measure, figures):
        return None
    count = figures[measure.count]
    if measure.denominator is None:
        return count
    denominator = figures[measure.denominator]
    return measure.per * count / denominator if denominator else float("nan")


def _shown(value: float | None, share: bool) -> str:
    if value is None:
        return MARKER
    if pd.isna(value):
        return "–"
    return f"{value:.0%}" if share else f"{int(value):,}"


def _change(now: float | None, then: float | None, share: bool, against: str) -> str:
    if now is None or then is None or pd.isna(now) or pd.isna(then):
        return f"change on {against} not shown"
    if share:
        return f"{100 * (now - then):+.1f} points on {against}"
    return f"{int(now - then):+,} on {against}"


def headlines(view: PageContext, figures: dict[Period, dict[str, int]], quarter: Period) -> tuple[Headline, ...]:
    """The quarter's headline figures with their change on the quarter before and a year before."""
    before, year_before = quarter.previous(), _year_before(quarter)
    result = []
    for measure in HEADLINES:
        share = measure.is_share
        now = _visible(view, measure, figures[quarter])
        changes = tuple(_change(now, _visible(view, measure, figures[other]), share, label)
                        for other, label in ((before, "the quarter before"), (year_before, "a year before")))
        result.append(Headline(measure.label, _shown(now, share), measure.definition, changes))
    return tuple(result)


# --- Sites compared ---------------------------------------------------------------------------------

COMPARISONS = (
    CO_PARENTS_ENGAGED,
    Measure("Families with a safeguarding escalation", definitions.FAMILIES_ESCALATED, "escalated",
            "families_active"),
)


def _funnel_section(view: PageContext, comparison: Measure, by_site: pd.DataFrame) -> tuple[Section, list[str]]:
    title = f"Sites compared: {comparison.label.lower()}"
    definition = comparison.definition
    by_site = by_site[by_site[comparison.denominator] > 0]
    if len(by_site) < 2:
        return Section(title, definition, notes=("Sites are compared when two or more are shown.",)), []
    frame = pd.DataFrame({"site": by_site["site"], "count": by_site[comparison.count],
                          "families": by_site[comparison.denominator],
                          "share": by_site[comparison.count] / by_site[comparison.denominator]})
    protected = view.protect(frame, Counts("count", ("site",), rates={"share": "families"}))
    shown = protected.plot["share"].notna().to_numpy()
    # The line is the rate across every site shown in scope (hidden sites included: it is their
    # total, which the table's totals would show anyway); only the visible sites are drawn.
    everyone = funnel(frame.set_index("site")["count"], frame.set_index("site")["families"])
    visible = dataclasses.replace(everyone, sites=everyone.sites[shown])
    table = with_percentages(protected.table, "share").assign(
        position=everyone.sites["position"].where(shown, "–").to_numpy())
    table = table.rename(columns={"site": "Site", "count": comparison.label, "families": "Of families",
                                  "share": "Share", "position": "Against the funnel limits"})
    notes = ("Sites whose numbers are small enough to hide are not drawn.",) if not shown.all() else ()
    section = Section(title, definition, chart=charts.funnel_chart(visible, comparison.label),
                      chart_alt=f"{comparison.label} by site against the number of families, with the rate "
                                f"across the sites shown ({everyone.target:.0%}) and its 95% and 99.8% limits.",
                      table=table, notes=notes)
    sites = visible.sites.reset_index().rename(columns={visible.sites.index.name or "index": "site"})
    return section, board_narrative.funnel_outliers(comparison.label, sites, everyone.target)


# --- The document ---------------------------------------------------------------------------------------

def _referral_sentences(view: PageContext, window: Period, quarter: Period,
                        figures: dict[Period, dict[str, int]]) -> list[str]:
    before = quarter.previous()
    # The trend window's referrals by month and source hold both quarters: no query of their own.
    by_month = view.query(referrals.by_source_month, view.filters.with_period(window))
    months = pd.to_datetime(by_month["month"])

    def by_source(period: Period) -> dict[str, int | None]:
        in_period = by_month[months.between(pd.Timestamp(period.start), pd.Timestamp(period.end))]
        counts = in_period.groupby("source")["referrals"].sum()
        return {labels.SOURCE.get(source, source): None if view.disclosure.hides_count(n) else int(n)
                for source, n in counts.items()}

    return board_narrative.referral_change(_visible(view, REFERRALS, figures[quarter]),
                                           _visible(view, REFERRALS, figures[before]),
                                           by_source(quarter), by_source(before),
                                           f"the quarter before ({before.label})")


def _prefetch(view: PageContext, window: Period, quarters: tuple[Period, ...]) -> None:
    """Start every query the pack asks for, side by side, the slowest first (PageContext.prefetch)."""
    over_window = view.filters.with_period(window)
    view.prefetch(
        *((query, over_window) for query in (engagement.attendance_by_month, caseloads.families_active_by_month,
                                             safeguarding.by_level_month, caseloads.enrolments_and_exits,
                                             referrals.by_source_month)),
        *((board.site_comparison, view.filters.with_period(quarter)) for quarter in quarters),
    )


def build(view: PageContext) -> ReportDocument:
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
        "The quarter": (Section("Headline figures", f"{definitions.QUARTER} {definitions.CHANGES}",
                                headlines=headlines(view, figures, quarter)),
                        Section("What changed this quarter", definitions.WHAT_CHANGED, sentences=tuple(changed))),
        "Trends": (Section("Trends over 24 months", definitions.SPC), *trend_sections),
        "Sites compared": (Section("Sites compared", definitions.FUNNEL), *funnel_sections),
    }
    return ReportDocument(
        title="Board pack", subtitle=f"{quarter.label} · {view.sites_label}", data_as_at=view.data_as_at,
        synthetic=view.synthetic, suppression_legend=view.disclosure.legend if view.disclosure.active else None,
        sections=tuple(section for sections in parts.values() for section in sections),
        parts=tuple(Part(label, len(sections)) for label, sections in parts.items()),
    )

