"""The dashboard reading each supported database as it would in production: PostgreSQL through a
read-only role (and SQLite opened read-only), never able to write."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from dashboard.access.db import readonly_engine
from tests import case_db
from tests.apptest import open_app
from tests.conftest import OVERVIEW_TABLES

pytestmark = pytest.mark.both_backends


@pytest.fixture
def url(tmp_path):
    return case_db.build(tmp_path / "cases.sqlite", OVERVIEW_TABLES)


@pytest.mark.parametrize(
    "statement", ["DELETE FROM referrals", "UPDATE sites SET name = 'x'", "CREATE TABLE intruder (x INTEGER)"]
)
def test_no_write_gets_through(url, statement):
    engine = readonly_engine(url)
    with engine.connect() as conn, pytest.raises(DBAPIError):
        conn.execute(text(statement))
        conn.commit()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM referrals")).scalar() == 5
    engine.dispose()


def test_the_overview_renders_from_this_database(url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", url)
    app = open_app("leader", {"period": "Quarter", "quarter": "2024/25 Q3"})
    assert not app.exception
    # The same hand-worked figures as tests/test_overview_queries.py.
    assert [m.value for m in app.metric] == ["3", "4", "2", "1", "2"]


def test_the_generator_loads_this_database_and_the_dashboard_reads_it(tmp_path, monkeypatch, backend, capsys):
    from seed_data.__main__ import main

    load_url, read_url = case_db.empty_database(tmp_path / "demo.sqlite")
    assert main(["--url", load_url, "--scale", "1", "--seed", "42", "--as-at", "2026-11-01"]) == 0
    assert "sessions" in capsys.readouterr().out
    if backend == "postgresql":
        case_db.POSTGRES.get().grant_reading(load_url)
    monkeypatch.setenv("DATABASE_URL", read_url)
    app = open_app("leader", {"period": "Financial year", "fy": "2025/26"})
    assert not app.exception
    assert "Synthetic demo data" in "\n".join(w.value for w in app.warning)
    families_active = int(next(m.value for m in app.metric if m.label == "Families active").replace(",", ""))
    assert families_active > 100
