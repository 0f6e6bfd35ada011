"""Referral sources and Site caseloads pages in AppTest, on the hand-computed VIEWS_TABLES."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests import apptest, case_db
from tests.apptest import count_columns, text_of, unprotected_counts
from tests.test_views_queries import VIEWS_TABLES

PAGES = ("referrals", "caseloads")


@pytest.fixture
def views_url(tmp_path, monkeypatch):
    return case_db.served(tmp_path / "views.sqlite", VIEWS_TABLES, monkeypatch)


def open_page(page: str, query_params: dict[str, str] | None = None, user: str = "leader") -> AppTest:
    return apptest.open_app(user, query_params, page)


def subheaders(app: AppTest) -> list[str]:
    return [s.value for s in app.subheader]


Q3 = {"period": "Quarter", "quarter": "2024/25 Q3"}


@pytest.mark.parametrize(
    "params",
    [Q3, {**Q3, "sites": "Southby"}, {"period": "Financial year"}, {"period": "Month", "month": "November 2024"}],
)
@pytest.mark.parametrize("page", PAGES)
def test_pages_render_under_filters(views_url, page, params):
    app = open_page(page, params)
    assert not app.exception
    assert len(subheaders(app)) == 5


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("user", ["leader", "trustee"])
def test_a_custom_range_after_the_data_end_draws_an_empty_page(views_url, page, user):
    # The data run to 31 Dec 2024; a URL may ask for any later range.
    app = open_page(page, {"period": "Custom range", "from": "2025-03-01", "to": "2025-04-30"}, user)
    assert not app.exception
    assert len(subheaders(app)) == 5


def test_referral_page_opens_filtered_from_its_url(views_url):
    app = open_page("referrals", Q3)
    assert "2024/25 Q3 (Oct–Dec 2024)" in text_of(app)
    metrics = {m.label: m.value for m in app.metric}
    # Worked by hand in test_views_queries: days to decision 10, 5, 7, 20, 2; first session 19, 20;
    # gestation recorded for 5 referrals, 4 of them by 28 weeks.
    assert metrics == {
        "Median days to decision": "7",
        "Median days to first session": "19.5",
        "Referred by 28 weeks": "80%",
    }
    assert "Referral funnel" in subheaders(app)
    assert len(app.get("plotly_chart")) == 5


def test_referral_page_for_one_site(views_url):
    app = open_page("referrals", {**Q3, "sites": "Southby"})
    metrics = {m.label: m.value for m in app.metric}
    # Southby: R4 pending, R5 decided in 20 days, R7 in 2 → median 11; no first session yet.
    assert metrics["Median days to decision"] == "11"
    assert metrics["Median days to first session"] == "–"


def test_a_period_with_no_referrals_says_so(views_url):
    app = open_page("referrals", {"period": "Month", "month": "March 2024"})
    assert not app.exception
    assert text_of(app).count("Nothing to show for this period and these sites.") == 5


def test_caseload_page_tables_hold_the_figures(views_url):
    app = open_page("caseloads", Q3)
    assert not app.exception
    assert subheaders(app)[0] == "Active families against target"
    active = app.dataframe[0].value
    december = active[active["Month"].astype(str).str.startswith("2024-12")]
    assert dict(zip(december["Site"], december["Families active"])) == {"Eastby": 0, "Northby": 3, "Southby": 1}
    practitioners = app.dataframe[2].value
    assert practitioners.set_index("Site")["Practitioners"].to_dict() == {"Northby": 2, "Southby": 1}


def test_quarter_grain_sums_months(views_url):
    app = open_page("referrals", {"period": "Financial year"})
    app.segmented_control(key="referral_grain").set_value("Quarter").run()
    table = app.dataframe[0].value
    # FY 2024/25 holds R1–R5 and R7: Q3 has all six (R4 and R7 from children's social care in Dec).
    assert table.groupby("Quarter")["Referrals"].sum().to_dict() == {"2024/25 Q3": 6}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("user", ["trustee", "commissioner"])
def test_no_small_count_reaches_a_trustee_or_commissioners_table(views_url, page, user):
    app = open_page(page, {"period": "Financial year"}, user=user)
    assert not app.exception
    assert app.dataframe, "no table was shown"
    for table in app.dataframe:
        assert count_columns(table.value), f"no count column in {list(table.value.columns)}"
        assert not (shown := unprotected_counts(table.value)), f"{shown} shown to a {user}"


def test_a_trustee_sees_no_practitioner_by_practitioner_figures(views_url):
    app = open_page("caseloads", {"period": "Financial year"}, user="trustee")
    held = next(t.value for t in app.dataframe if "Parents held" in t.value.columns)
    assert list(held.columns) == ["Site", "Practitioners in post", "Parents held"]


def test_every_chart_tab_draws_a_chart_or_says_why_not(views_url):
    # A figure without a chart (a trustee's parents per practitioner) is its table, not a tab.
    app = open_page("caseloads", {"period": "Financial year"}, user="trustee")
    chart_tabs = [tab for tab in app.tabs if tab.label == "Chart"]
    assert chart_tabs
    assert all(tab.get("plotly_chart") or tab.info for tab in chart_tabs)
    assert "Parents held" in next(t.value for t in app.dataframe if "Parents held" in t.value.columns)
