"""The audit trail of drill-downs: who opened which case list or case, when, from which page.

Kept apart from the read-only case database (AUDIT_DATABASE_URL, default a local SQLite file).
A drill-down that cannot be recorded is refused: there is no unaudited access to single cases.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import streamlit as st
from sqlalchemy import Column, DateTime, Engine, Integer, MetaData, String, Table, create_engine, desc, select
from sqlalchemy.exc import SQLAlchemyError

from dashboard.access import settings
from dashboard.paths import ROOT

DEFAULT_AUDIT_DATABASE = ROOT / ".audit" / "audit.sqlite"

audit_metadata = MetaData()
audit_log = Table(
    "audit_log",
    audit_metadata,
    Column("record_id", Integer, primary_key=True),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("username", String(120), nullable=False),
    Column("role", String(20), nullable=False),
    Column("page", String(60), nullable=False),
    Column("detail", String(500), nullable=False),  # the filters, or the pseudonym opened
)


class AuditUnavailable(Exception):
    """The audit store could not be written, so the drill-down must not be shown."""


def audit_url() -> str:
    configured = settings.read().audit_database_url
    if configured:
        return configured
    DEFAULT_AUDIT_DATABASE.parent.mkdir(exist_ok=True)
    return f"sqlite:///{DEFAULT_AUDIT_DATABASE}"


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> Engine:
    return create_engine(url)


def record(username: str, role: str, page: str, detail: str) -> None:
    """Append one record, or raise AuditUnavailable."""
    try:
        engine = _engine(audit_url())
        audit_metadata.create_all(engine)
        with engine.begin() as conn:
            conn.execute(
                audit_log.insert().values(
                    recorded_at=datetime.now(UTC), username=username, role=role, page=page, detail=detail[:500]
                )
            )
    except (SQLAlchemyError, OSError) as problem:
        raise AuditUnavailable(str(problem).splitlines()[0]) from None


def recent(limit: int = 500) -> pd.DataFrame:
    """The latest records, newest first."""
    try:
        engine = _engine(audit_url())
        audit_metadata.create_all(engine)
        with engine.connect() as conn:
            return pd.read_sql(select(audit_log).order_by(desc(audit_log.c.record_id)).limit(limit), conn)
    except (SQLAlchemyError, OSError) as problem:
        raise AuditUnavailable(str(problem).splitlines()[0]) from None
