"""A small report document built by hand, for the PDF, slide and screen renderings' tests: two
sections, two charts, a table with hidden cells (the marker "1–7") and Unicode text."""

from __future__ import annotations

from datetime import date

import pandas as pd

from dashboard.privacy.disclosure import MARKER
from dashboard.reports.report_document import Headline, ReportDocument, Section
from dashboard.viz import charts

TITLE = "Board pack"
SUBTITLE = "October to December 2025 · Northby and Southby"
DATA_AS_AT_TEXT = "Data as at 05 January 2026"
REFERRALS_DEFINITION = (
    "Families referred in the quarter, each counted once; a “referral” is a first contact ≤ 28 days old."
)
CASELOAD_DEFINITION = "Open cases per site on the last day of each month – families, not parents."
REFERRED = Headline(
    "Families referred",
    "1,234",
    "Families whose referral was received in the quarter.",
    ("+12 on the previous quarter", "−3 on the same quarter last year"),
)
IN_PROGRAMME = Headline("Families in the programme", MARKER, "Families with an open case on the last day.")
SENTENCE = "Referrals rose by 12 on the previous quarter – health visitors referred the most."
REFERRALS_ALT = "Bars: families referred by source, health visitors highest."
CASELOAD_ALT = "Lines: open cases per site by month."
NOTE = "Counts from 1 to 7 are shown as 1–7."
FOOTNOTE = "Counts rounded to the nearest 5; “1–7” is a count from 1 to 7; parts may not add up to totals."
LEGEND = "Counts are rounded to the nearest 5 and a count from 1 to 7 is shown as “1–7” to protect families’ privacy."
MONTHS = pd.date_range("2024-10-01", periods=15, freq="MS")
# Southby's caseload: its small months are hidden, so the whole column is text.
CASELOAD = pd.DataFrame(
    {
        "Site": ["Northby"] * 15 + ["Southby"] * 15,
        "Month": [f"{month:%b %Y}" for month in MONTHS] * 2,
        "Open cases": [str(40 + i) for i in range(15)] + [MARKER if i % 4 == 0 else str(20 + i) for i in range(15)],
    }
)


def sample_document(*, synthetic: bool = True, subtitle: str = SUBTITLE) -> ReportDocument:
    sources = pd.DataFrame({"Source": ["Health visitor", "Midwife", "Social care"], "Families": [700, 400, 134]})
    caseload = pd.DataFrame(
        {
            "Month": list(MONTHS) * 2,
            "Site": ["Northby"] * 15 + ["Southby"] * 15,
            "Open cases": list(range(40, 55)) + [None if i % 4 == 0 else 20 + i for i in range(15)],
        }
    )
    return ReportDocument(
        title=TITLE,
        subtitle=subtitle,
        data_as_at=date(2026, 1, 5),
        synthetic=synthetic,
        suppression_legend=LEGEND,
        suppression_footnote=FOOTNOTE,
        sections=(
            Section(
                "Referrals",
                REFERRALS_DEFINITION,
                sentences=(SENTENCE,),
                headlines=(REFERRED, IN_PROGRAMME),
                chart=charts.bars(sources, x="Source", y="Families", axis_titles=("", "Families")),
                chart_alt=REFERRALS_ALT,
            ),
            Section(
                "Caseload",
                CASELOAD_DEFINITION,
                chart=charts.lines(
                    caseload,
                    x="Month",
                    y="Open cases",
                    colour="Site",
                    colours=charts.site_colours(["Northby", "Southby"]),
                ),
                chart_alt=CASELOAD_ALT,
                table=CASELOAD,
                notes=(NOTE,),
            ),
        ),
    )
