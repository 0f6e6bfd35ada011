"""The dashboard never writes to the case database."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from dashboard.access.db import readonly_engine
from tests import case_db
from tests.conftest import OVERVIEW_TABLES


def test_a_write_through_the_apps_engine_fails_and_the_file_is_unchanged(tmp_path):
    path = tmp_path / "cases.sqlite"
    url = case_db.build(path, OVERVIEW_TABLES)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    engine = readonly_engine(url)
    for statement in ("DELETE FROM referrals", "UPDATE sites SET name = 'x'", "CREATE TABLE t (x)"):
        with engine.connect() as conn, pytest.raises(DBAPIError, match=r"readonly|read-only|query_only"):
            conn.execute(text(statement))
            conn.commit()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM referrals")).scalar() == 5
    engine.dispose()
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert not (tmp_path / "cases.sqlite-journal").exists()


def test_opening_a_missing_file_does_not_create_it(tmp_path):
    from dashboard.access.db import DatabaseProblem

    missing = tmp_path / "missing.sqlite"
    with pytest.raises(DatabaseProblem):
        readonly_engine(f"sqlite:///{missing}")
    assert not missing.exists()
