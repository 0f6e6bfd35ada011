"""The app shell in AppTest: the Overview on a fixture database, URL filters, and bad databases."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests import case_db
from tests.apptest import APP, open_app
from tests.apptest import text_of as page_text
from tests.conftest import OVERVIEW_TABLES


def run_app(monkeypatch, url: str, query_params: dict | None = None) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", url)
    return open_app("leader", query_params)


def metric_values(app: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in app.metric}


def test_overview_shows_the_latest_financial_year_by_default(monkeypatch, overview_db):
    app = run_app(monkeypatch, overview_db)
    assert not app.exception
    assert app.title[0].value == "Overview"
    # Data as at 20 Jan 2025 (the last session) → FY 2024/25. Worked by hand from OVERVIEW_TABLES:
    # referrals 1–5; families 1–6 all active; enrolments 1, 2, 5, 6; exits 3, 4; open escalations 1, 4.
    assert metric_values(app) == {
        "Referrals received": "5",
        "Families active": "6",
        "New enrolments": "4",
        "Exits": "2",
        "Open escalations": "2",
    }
    assert "Data as at 20 January 2025" in page_text(app)
    assert "Synthetic demo data" not in page_text(app)


def test_a_url_with_filters_opens_the_overview_already_filtered(monkeypatch, overview_db):
    app = run_app(monkeypatch, overview_db, {"period": "Quarter", "quarter": "2024/25 Q3", "sites": "Northby"})
    assert not app.exception
    assert "2024/25 Q3 (Oct–Dec 2024)" in page_text(app)
    assert "Northby" in page_text(app)
    assert metric_values(app) == {
        "Referrals received": "2",
        "Families active": "3",
        "New enrolments": "1",
        "Exits": "1",
        "Open escalations": "1",
    }
    # Change on the previous quarter (Northby in Q2: referral 3; families 1 and 3; escalation 2 open).
    deltas = {m.label: m.delta for m in app.metric}
    assert deltas["Referrals received"] == "+1"
    assert deltas["Families active"] == "+1"


def test_changing_the_site_filter_redraws_the_figures(monkeypatch, overview_db):
    app = run_app(monkeypatch, overview_db, {"period": "Quarter", "quarter": "2024/25 Q3"})
    assert metric_values(app)["Referrals received"] == "3"
    app.multiselect(key="sites").select("Southby").run()
    assert metric_values(app)["Referrals received"] == "1"


def test_a_custom_range_ending_before_it_starts_gets_a_message(monkeypatch, overview_db):
    app = run_app(monkeypatch, overview_db, {"period": "Custom range", "from": "2025-01-10", "to": "2025-01-01"})
    assert not app.exception
    assert "before it starts" in page_text(app)
    assert not app.metric


def test_synthetic_data_carries_a_banner(monkeypatch, tmp_path):
    url = case_db.build(tmp_path / "demo.sqlite", OVERVIEW_TABLES, synthetic=True)
    app = run_app(monkeypatch, url)
    assert not app.exception
    assert "Synthetic demo data" in page_text(app)


def _garbage_file(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_bytes(b"this is not a database, just some bytes " * 100)
    return path


def _empty_file(tmp_path):
    path = tmp_path / "empty.sqlite"
    path.touch()
    return path


def _missing_table(tmp_path):
    path = tmp_path / "partial.sqlite"
    case_db.build(path, OVERVIEW_TABLES)
    import sqlite3

    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE assessments")
    return path


def _old_version(tmp_path):
    path = tmp_path / "old.sqlite"
    case_db.build(path, OVERVIEW_TABLES, version="0")
    return path


def _no_sites(tmp_path):
    path = tmp_path / "new.sqlite"
    case_db.build(path, {})
    return path


@pytest.mark.parametrize(
    "make_url, expected",
    [
        (lambda tmp: f"sqlite:///{tmp / 'nowhere.sqlite'}", "was not found"),
        (lambda tmp: f"sqlite:///{_garbage_file(tmp)}", "could not be opened"),
        (lambda tmp: f"sqlite:///{_empty_file(tmp)}", "is empty"),
        (lambda tmp: f"sqlite:///{_missing_table(tmp)}", "Table 'assessments' is missing"),
        (lambda tmp: f"sqlite:///{_old_version(tmp)}", "schema version '0'"),
        (lambda tmp: f"sqlite:///{_no_sites(tmp)}", "holds no records yet"),
        # Port 9 on loopback: nothing listens, so the connection is refused at once.
        (lambda tmp: "postgresql+psycopg://reader:s3cret@127.0.0.1:9/cases", "could not be opened"),
        (lambda tmp: "mysql://reader@127.0.0.1/cases", "not 'mysql'"),
        (lambda tmp: "not a url at all", "is not a database URL"),
    ],
)
def test_a_bad_database_gets_a_clear_message_not_a_traceback(monkeypatch, tmp_path, make_url, expected):
    app = run_app(monkeypatch, make_url(tmp_path))
    assert not app.exception
    text = page_text(app)
    assert expected in text
    assert "s3cret" not in text  # a password in DATABASE_URL never reaches the screen
    assert not app.metric


def test_without_database_url_the_demo_database_is_made_once_and_flagged(monkeypatch, tmp_path):
    demo = tmp_path / "demo.sqlite"
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("USERS_FILE")  # the demo accounts come with the demo database
    monkeypatch.setenv("DEMO_DATABASE_PATH", str(demo))
    app = open_app("leader")
    assert not app.exception
    assert demo.is_file()
    assert "Synthetic demo data" in page_text(app)
    assert int(metric_values(app)["Families active"].replace(",", "")) > 0
    made = demo.stat().st_mtime_ns
    AppTest.from_file(APP, default_timeout=60).run()
    assert demo.stat().st_mtime_ns == made  # reused, not rebuilt


def test_the_server_freezes_what_it_imported_for_the_garbage_collector_once(monkeypatch, overview_db):
    import gc

    freezes = []
    monkeypatch.setattr(gc, "freeze", lambda: freezes.append("frozen"))
    run_app(monkeypatch, overview_db)  # the first run of a new server (the suite clears its resources)
    assert freezes == ["frozen"]
    run_app(monkeypatch, overview_db)
    # Not again on a later run: that would freeze each session's objects, which a collection
    # then could never free.
    assert freezes == ["frozen"]
