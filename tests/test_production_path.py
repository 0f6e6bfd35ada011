"""The dashboard reading each supported database as it would in production: PostgreSQL through a
read-only role (and SQLite opened read-only), never able to write."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from dashboard.db import readonly_engine
from tests import case_db
from tests.apptest import open_app
from tests.conftest import OVERVIEW_TABLES

pytestmark = pytest.mark.both_backends


@pytest.fixture
def url(tmp_path):
    return case_db.build(tmp_path / "cases.sqlite", OVERVIEW_TABLES)


@pytest.mark.parametrize("statement", ["DELETE FROM referrals", "UPDATE sites SET name = 'x'",
                                       "CREATE TABLE intruder (x INTEGER)"])
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
