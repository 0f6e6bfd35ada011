"""The site report: one site's figures for the period, as a ReportDocument (on screen, as a PDF).

Every figure is one of the views' own queries, asked for this one site through the viewer's
PageContext: a commissioner's scope bounds it in SQL, and the same small-number rule as on the
views is applied here, before the document exists.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures import Figure
from dashboard.figures import outcomes as outcome_figures
from dashboard.privacy.disclosure import Counts
from dashboard.privacy.grouping import (
    ESCALATION_LEVEL_GROUPS,
    EXIT_REASON_GROUPS,
    SOURCE_GROUPS,
    WITHHELD,
    Grouping,
)
from dashboard.reports.report_document import (
    Headline,
    ReportDocument,
    Section,
    with_percentages,
)
from dashboard.reports.viewer import Viewer
from dashboard.viz import charts
from dashboard.viz.outcome_charts import ALL
from dashboard.words import labels
from dashboard.words.definitions import caseloads as caseload_definitions
from dashboard.words.definitions import engagement as engagement_definitions
from dashboard.words.definitions import referrals as referral_definitions
from dashboard.words.definitions import safeguarding as safeguarding_definitions
from dashboard.words.definitions.overview import HEADLINE
from queries import caseloads, engagement, overview, referrals, safeguarding
from queries.scope import Filters

_OVERVIEW = {measure.column: measure for measure in HEADLINE}


class SiteNotInScope(ValueError):
    """The site asked for is not one the viewer may see."""


def _count(view: Viewer, label: str, value: float, definition: str) -> Headline:
    return Headline(label, view.disclosure.count_text(value), definition)


def _statistic(view: Viewer, label: str, value: float, cases: float, definition: str) -> Headline:
    return Headline(label, view.disclosure.statistic_text(value, cases), definition)


def _share(view: Viewer, label: str, numerator: float, denominator: float, definition: str) -> Headline:
    return Headline(label, view.disclosure.share_text(numerator, denominator), definition)


def _table(
    view: Viewer,
    frame: pd.DataFrame,
    counts: Counts,
    columns: dict[str, str],
    chart: Callable[[pd.DataFrame], go.Figure] | None = None,
    grouping: Grouping | None = None,
) -> dict:
    """A section's table (and chart drawn from what may be plotted), grouped and protected as
    the viewer's rule says (dashboard.privacy.grouping, dashboard.privacy.disclosure)."""
    if frame.empty:
        return {"notes": ("Nothing recorded for this site in the period.",)}
    protected = view.publish(frame, counts, grouping)
    if protected.table.empty:
        return {"notes": (WITHHELD,)}
    # Shares as fractions are written as percentages; shares already per 100 stay numbers, as on
    # the page, under a heading that says "(%)".
    fractions = [rate for rate in counts.rates if counts.per.get(rate, 1) == 1]
    table = with_percentages(labels.in_words(protected.table), *fractions).rename(columns=columns)
    if chart is None or protected.all_hidden:
        return {"table": table}
    return {"table": table, "chart": chart(labels.in_words(protected.plot))}


def _declared_table(view: Viewer, figure: Figure, filters: Filters) -> dict:
    """A figure declared once (dashboard.figures), as the page shows its table."""
    return _table(
        view,
        figure.prepare(view.query(figure.query, filters)),
        figure.counts,
        dict(figure.columns),
        grouping=figure.grouping,
    )


def _totals_by(frame: pd.DataFrame, by: list[str], value: str) -> pd.DataFrame:
    return frame.groupby(by, as_index=False)[[value]].sum() if not frame.empty else frame


def _referrals(view: Viewer, filters: Filters) -> Section:
    stages = view.query(referrals.funnel, filters).set_index("stage")["referrals"]
    timeliness = view.query(referrals.timeliness, filters).iloc[0]
    by_source = _table(
        view,
        _totals_by(view.query(referrals.by_source_month, filters), ["source"], "referrals"),
        Counts("referrals", ("source",)),
        {"source": "Source", "referrals": "Referrals"},
        lambda frame: charts.bars(frame, x="source", y="referrals", horizontal=True, axis_titles=("Referrals", "")),
        Grouping(categories={"source": SOURCE_GROUPS}),
    )
    return Section(
        "Referrals",
        referral_definitions.FUNNEL,
        headlines=(
            _count(view, "Referrals received", stages["received"], _OVERVIEW["referrals_received"].definition),
            _count(view, "Accepted", stages["accepted"], referral_definitions.FUNNEL),
            _count(view, "Enrolled", stages["enrolled"], referral_definitions.FUNNEL),
            _statistic(
                view,
                "Median days to decision",
                timeliness["median_days_to_decision"],
                timeliness["referrals_decided"],
                referral_definitions.DAYS_TO_DECISION,
            ),
            _statistic(
                view,
                "Median days to first session",
                timeliness["median_days_to_first_session"],
                timeliness["referrals_with_first_session"],
                referral_definitions.DAYS_TO_FIRST_SESSION,
            ),
        ),
        chart_alt="Referrals received in the period by source.",
        **by_source,
    )


def _caseload(view: Viewer, filters: Filters) -> Section:
    headline = view.query(overview.headline_figures, filters).iloc[0]
    movement = view.query(caseloads.enrolments_and_exits, filters)
    exits = _table(
        view,
        _totals_by(movement[movement["movement"] != "enrolled"], ["movement"], "families"),
        Counts("families", ("movement",)),
        {"movement": "Exit reason", "families": "Families"},
        grouping=Grouping(categories={"movement": EXIT_REASON_GROUPS}),
    )
    return Section(
        "Caseload",
        caseload_definitions.ENROLMENTS_AND_EXITS,
        headlines=tuple(
            _count(view, _OVERVIEW[column].label, headline[column], _OVERVIEW[column].definition)
            for column in ("families_active", "new_enrolments", "exits")
        ),
        **exits,
    )


def _engagement(view: Viewer, filters: Filters) -> Section:
    attendance = view.query(engagement.attendance_by_site_month, filters)
    attended, offered = attendance["attended"].sum(), attendance["offered"].sum()
    mix = _table(
        view,
        _totals_by(view.query(engagement.attended_by_type_month, filters), ["session_type"], "sessions"),
        Counts("sessions", ("session_type",)),
        {"session_type": "Session type", "sessions": "Sessions attended"},
    )
    return Section(
        "Engagement",
        engagement_definitions.SESSION_MIX,
        headlines=(_share(view, "Session attendance rate", attended, offered, engagement_definitions.ATTENDANCE),),
        **mix,
    )


def _safeguarding(view: Viewer, filters: Filters) -> Section:
    headline = view.query(safeguarding.headline, filters).iloc[0]
    raised, within = int(headline["raised"]), int(headline["reviewed_within"])
    by_level = _table(
        view,
        _totals_by(view.query(safeguarding.by_level_month, filters), ["escalation_level"], "escalations"),
        Counts("escalations", ("escalation_level",)),
        {"escalation_level": "Level", "escalations": "Escalations raised"},
        grouping=Grouping(categories={"escalation_level": ESCALATION_LEVEL_GROUPS}),
    )
    return Section(
        "Safeguarding",
        safeguarding_definitions.ESCALATIONS_BY_LEVEL,
        headlines=(
            _count(view, "Escalations raised", raised, safeguarding_definitions.RAISED),
            _share(view, "Reviewed in 1 working day", within, raised, safeguarding_definitions.REVIEWED_WITHIN),
            _statistic(
                view,
                "Median days to resolution",
                headline["median_days_to_resolution"],
                headline["resolved"],
                safeguarding_definitions.MEDIAN_DAYS_TO_RESOLUTION,
            ),
            _count(
                view,
                f"Open on {headline['snapshot_on']:%d %b %Y}",
                headline["open_at_snapshot"],
                safeguarding_definitions.OPEN_NOW,
            ),
        ),
        **by_level,
    )


def _outcomes(view: Viewer, filters: Filters) -> tuple[Section, ...]:
    sections = {
        "Social care involvement": outcome_figures.social_care(ALL),
        "Babies within the normal range": outcome_figures.babies(ALL),
        "Parents with reliable improvement": outcome_figures.reliable_improvement(ALL),
    }
    return tuple(
        Section(heading, figure.definition, **_declared_table(view, figure, filters))
        for heading, figure in sections.items()
    )


def build(view: Viewer, site_id: int) -> ReportDocument:
    """The site report for one site the viewer may see, for the page's period."""
    if site_id not in view.site_names:
        raise SiteNotInScope("That site is not one of the sites you may see.")
    filters = Filters(view.filters.period, frozenset({site_id}))
    return ReportDocument(
        title="Site report",
        subtitle=f"{view.site_names[site_id]} · {view.filters.period.label}",
        data_as_at=view.data_as_at,
        synthetic=view.synthetic,
        suppression_legend=view.disclosure.legend if view.disclosure.active else None,
        suppression_footnote=view.disclosure.footnote,
        sections=(
            _referrals(view, filters),
            _caseload(view, filters),
            _engagement(view, filters),
            _safeguarding(view, filters),
            *_outcomes(view, filters),
        ),
    )
