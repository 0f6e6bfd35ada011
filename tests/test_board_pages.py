"""The Board pack and Site report pages in AppTest, on the hand-computed board-pack fixture:
who may open which, and what each shows."""

from __future__ import annotations

import pytest

from dashboard.privacy.disclosure import MARKER
from dashboard.reports import board_pack
from tests import apptest, case_db
from tests.apptest import text_of
from tests.test_board_pack import TABLES

Q3 = {"period": "Quarter", "quarter": "2024/25 Q3"}


@pytest.fixture
def board_url(tmp_path, monkeypatch):
    return case_db.served(tmp_path / "board.sqlite", TABLES, monkeypatch, synthetic=True)


def metrics(app) -> dict[str, str]:
    return {m.label: m.value for m in app.metric}


def test_a_trustee_opens_the_board_pack_with_small_numbers_hidden(board_url):
    app = apptest.open_app("trustee", Q3, "board_pack")
    assert not app.exception
    shown = metrics(app)
    assert shown["Referrals received"] == "10" and shown["Families active"] == MARKER  # 8 rounded; 3
    # Every headline is drawn, past the first row of four.
    assert {"Fathers and co-parents engaged", "Escalations raised"} <= set(shown)
    assert "2024/25 Q3 (Oct–Dec 2024)" in text_of(app)


def test_leadership_board_pack_for_a_financial_year_covers_its_last_ended_quarter(board_url):
    app = apptest.open_app("leader", {"period": "Financial year", "fy": "2024/25"}, "board_pack")
    assert not app.exception
    # Data as at 31 Dec 2024: the last quarter ended by then is Q3, whose figures are shown.
    assert metrics(app)["Referrals received"] == "8"
    assert "Showing 2024/25 Q3 (Oct–Dec 2024), the last quarter that had ended" in text_of(app)


def test_the_board_pack_opens_on_the_quarter_with_its_trends_and_sites_a_page_each(board_url):
    app = apptest.open_app("leader", Q3, "board_pack")
    assert [tab.label for tab in app.tabs] == ["The quarter", "Trends", "Sites compared"]
    assert [s.value for s in app.subheader] == ["Headline figures", "What changed this quarter"]
    assert len(app.metric) == 6 and not app.get("plotly_chart")
    trends = apptest.open_app("leader", {**Q3, "board-pack-part": "Trends"}, "board_pack")
    assert not trends.exception and not trends.metric
    assert [s.value for s in trends.subheader] == ["Trends over 24 months", *(t.label for t in board_pack.TRENDS)]
    assert len(trends.get("plotly_chart")) == len(board_pack.TRENDS)
    sites = apptest.open_app("leader", {**Q3, "board-pack-part": "Sites compared"}, "board_pack")
    assert not sites.exception
    assert [s.value for s in sites.subheader] == [
        "Sites compared",
        *(f"Sites compared: {c.label.lower()}" for c in board_pack.COMPARISONS),
    ]
    # Escalations compare Northby (2 families active) with Southby (1); co-parents are at one site
    # only, so that comparison is a note, not a funnel plot.
    assert len(sites.get("plotly_chart")) == 1 and "compared when two or more are shown" in text_of(sites)
    (table,) = sites.dataframe
    assert table.value.set_index("Site")["Of families"].to_dict() == {"Northby": 2, "Southby": 1}


def test_a_commissioner_cannot_open_the_board_pack(board_url):
    app = apptest.open_app("commissioner", Q3, "board_pack")
    assert not app.exception
    assert "not available for your role" in text_of(app)
    assert not app.metric


def test_a_commissioner_site_report_offers_only_their_site(board_url):
    app = apptest.open_app("commissioner", Q3, "site_report")
    assert not app.exception
    assert app.selectbox(key="report_site").options == ["Southby"]
    assert "Northby" not in text_of(app)
    assert metrics(app)["Referrals received"] == "10"  # 8, rounded
    assert "Median days to first session" in metrics(app)  # the fifth referral figure


def test_a_trustee_cannot_open_the_site_report(board_url):
    app = apptest.open_app("trustee", Q3, "site_report")
    assert "not available for your role" in text_of(app)
    assert not app.metric


def test_leadership_chooses_any_site_for_the_site_report(board_url):
    app = apptest.open_app("leader", {**Q3, "report_site": "Northby"}, "site_report")
    assert not app.exception
    assert app.selectbox(key="report_site").options == ["Northby", "Southby"]
    # Northby received no referral in Q3 (all eight were Southby's).
    assert metrics(app)["Referrals received"] == "0"
