"""The board pack and the site report as documents, against figures worked out by hand from TABLES,
for leadership (exact) and a trustee or commissioner (small numbers hidden).

The quarter is 2024/25 Q3 (Oct–Dec 2024); the quarter before is Q2 (Jul–Sep 2024) and a year before
is 2023/24 Q3 (Oct–Dec 2023). Data as at 31 Dec 2024.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from dashboard.privacy.disclosure import MARKER, NO_VALUE, DisclosureRule
from dashboard.reports import board_pack, site_report
from dashboard.shell.context import PageContext
from queries.periods import Period
from queries.scope import Filters, Scope
from tests import case_db
from tests.case_db import escalation, family, parent, referral, session, site

Q3 = Period.quarter(2024, 3)
AS_AT = date(2024, 12, 31)


def _referrals() -> list[dict]:
    rows, number = [], iter(range(1, 100))
    # 2023/24 Q3: 12 from midwifery at Northby.
    rows += [referral(next(number), 1, f"2023-{month}-05") for month in (10, 11, 12) for _ in range(4)]
    # 2024/25 Q2: 5 from midwifery at Northby.
    rows += [referral(next(number), 1, f"2024-0{month}-05") for month in (7, 8, 9, 7, 8)]
    # 2024/25 Q3: 6 from midwifery and 2 from the police, at Southby; the last one sets data as at.
    rows += [referral(next(number), 2, f"2024-{month}-05") for month in (10, 10, 11, 11, 12, 12)]
    rows += [
        referral(next(number), 2, "2024-11-20", source="police"),
        referral(next(number), 2, "2024-12-31", source="police"),
    ]
    return rows


TABLES = {
    "sites": [site(1, "Northby"), site(2, "Southby")],
    "families": [
        family(1, 1, "2023-11-01"),  # active in all three quarters
        family(2, 1, "2024-08-01"),  # enrolled in Q2
        family(3, 2, "2024-10-10"),  # enrolled in Q3
    ],
    "parents": [parent(1, 1, "mother"), parent(2, 1, "father"), parent(3, 2, "mother"), parent(4, 3, "mother")],
    "referrals": _referrals(),
    "sessions": [
        # 2023/24 Q3: 1 attended of 1 offered.
        session(1, 1, "2023-11-15"),
        # Q2: 2 attended of 2 offered.
        session(2, 1, "2024-07-15"),
        session(3, 1, "2024-08-15"),
        # Q3: 4 attended (P1 three times, F1's father once) of 5 offered; the service's
        # cancellation is not offered.
        session(4, 1, "2024-10-15"),
        session(5, 1, "2024-11-15"),
        session(6, 1, "2024-12-15"),
        session(7, 2, "2024-10-20"),
        session(8, 1, "2024-12-20", status="did_not_attend"),
        session(9, 3, "2024-12-21", status="cancelled_by_service"),
    ],
    "safeguarding_events": [escalation(1, 1, "2024-11-05", reviewed="2024-11-05")],
}


@pytest.fixture(scope="module")
def url(tmp_path_factory) -> str:
    return case_db.build(tmp_path_factory.mktemp("board-pack") / "b.sqlite", TABLES, synthetic=True)


def context_for(url: str, role: str, period: Period = Q3, sites: frozenset[int] = frozenset()) -> PageContext:
    scope = Scope("commissioner", frozenset({2})) if role == "commissioner" else Scope(role)
    names = {2: "Southby"} if role == "commissioner" else {1: "Northby", 2: "Southby"}
    return PageContext(url, scope, Filters(period, sites), AS_AT, True, names, DisclosureRule.for_role(role))


def headlines(document) -> dict[str, tuple[str, tuple[str, ...]]]:
    return {h.label: (h.value, h.changes) for h in document.sections[0].headlines}


def test_leadership_headlines_and_changes_by_hand(url):
    document = board_pack.build(context_for(url, "leadership"))
    assert document.title == "Board pack" and document.synthetic and document.suppression_legend is None
    assert headlines(document) == {
        "Referrals received": ("8", ("+3 on the quarter before", "-4 on a year before")),
        "New enrolments": ("1", ("no change on the quarter before", "no change on a year before")),
        "Families active": ("3", ("+1 on the quarter before", "+2 on a year before")),
        "Session attendance rate": ("80%", ("-20.0 points on the quarter before", "-20.0 points on a year before")),
        # Only F1 has a father; he attended in Q3 and not before.
        "Fathers and co-parents engaged": (
            "100%",
            ("+100.0 points on the quarter before", "+100.0 points on a year before"),
        ),
        "Escalations raised": ("1", ("+1 on the quarter before", "+1 on a year before")),
    }


def test_leadership_is_told_what_drove_the_change_in_referrals(url):
    changed = board_pack.build(context_for(url, "leadership")).sections[1].sentences
    # 5 → 8: midwifery +1, police +2.
    assert changed[0] == (
        "Referrals rose from 5 to 8 on the quarter before (2024/25 Q2 (Jul–Sep 2024)); "
        "the largest change was in referrals from Police (+2)."
    )


def test_a_trustee_sees_no_small_number_and_no_change_worked_from_one(url):
    document = board_pack.build(context_for(url, "trustee"))
    assert document.suppression_legend
    shown = headlines(document)
    # 8 is published as 10; the quarter before's 5 is hidden, so no change from it is given; a
    # year before's 12 is also published as 10, and the change is worked out from the two as shown.
    assert shown["Referrals received"] == (
        "10",
        ("change on the quarter before not shown", "no change on a year before"),
    )
    assert shown["Families active"][0] == MARKER
    assert shown["Session attendance rate"][0] == NO_VALUE  # over 5 sessions offered: no share
    assert all(value in (MARKER, NO_VALUE) for label, (value, _) in shown.items() if label != "Referrals received")
    # Every month's counts are small, so no trend chart is drawn, and the referral sentence,
    # which would need the hidden 5, is not written.
    trends = [section for section in document.sections if section.title in {t.label for t in board_pack.TRENDS}]
    assert len(trends) == len(board_pack.TRENDS) and all(section.chart is None for section in trends)
    assert not any("Referrals rose" in sentence for sentence in document.sections[1].sentences)


def test_leadership_sees_trend_charts_and_sites_compared(url):
    document = board_pack.build(context_for(url, "leadership"))
    referrals = next(section for section in document.sections if section.title == "Referrals received")
    assert referrals.chart is not None and "average" in referrals.chart_alt
    compared = [section for section in document.sections if section.title.startswith("Sites compared:")]
    assert len(compared) == 2
    escalated = next(section for section in compared if "escalation" in section.title)
    # Northby: 1 of 2 families active escalated; Southby: 0 of 1.
    table = escalated.table.set_index("Site")
    assert table.loc["Northby", "Of families"] == 2 and table.loc["Southby", "Of families"] == 1
    assert table.loc["Northby", "Share"] == "50%" and table.loc["Southby", "Share"] == "0%"


def test_a_commissioner_site_report_holds_only_their_site(url):
    document = site_report.build(context_for(url, "commissioner"), 2)
    assert document.subtitle == "Southby · 2024/25 Q3 (Oct–Dec 2024)" and document.suppression_legend
    text = repr(document)
    assert "Northby" not in text
    referrals = document.sections[0]
    values = {h.label: h.value for h in referrals.headlines}
    assert values["Referrals received"] == "10"  # all eight Q3 referrals were Southby's: 8, rounded
    with pytest.raises(site_report.SiteNotInScope):
        site_report.build(context_for(url, "commissioner"), 1)


def test_monthly_figures_by_hand(url):
    view = context_for(url, "leadership")
    months = board_pack.monthly_figures(view, board_pack._trend_window(Q3))
    assert months.index[0] == pd.Timestamp("2023-01-01") and months.index[-1] == pd.Timestamp("2024-12-01")
    row = months.loc
    # Families active: F1 from Nov 2023, F2 from Aug 2024, F3 from Oct 2024.
    assert [row[m, "families_active"] for m in ("2023-10-01", "2023-11-01", "2024-08-01", "2024-12-01")] == [0, 1, 2, 3]
    # Oct 2024: P1 on the 15th and F1's father on the 20th attended. Dec 2024: one attended, one
    # did not attend, and the service's cancellation is not offered.
    assert (row["2024-10-01", "attended"], row["2024-10-01", "offered"]) == (2, 2)
    assert (row["2024-12-01", "attended"], row["2024-12-01", "offered"]) == (1, 2)
    assert row["2024-11-01", "referrals"] == 3 and row["2024-11-01", "escalations"] == 1
    assert row["2024-10-01", "enrolments"] == 1
