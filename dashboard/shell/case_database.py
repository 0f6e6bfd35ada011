"""The shell's cached view of the case database: the engine, its health and its summary."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import streamlit as st
from sqlalchemy import Engine

from dashboard.access.db import check_database, readonly_engine, sqlite_url
from dashboard.problems import DatabaseProblem
from queries import meta
from queries.scope import Scope

SUMMARY_SECONDS = 60
_demo_lock = threading.Lock()


@st.cache_resource(show_spinner=False)
def case_engine(url: str) -> Engine:
    """One read-only engine per database URL for the whole server."""
    return readonly_engine(url)


@dataclass(frozen=True)
class DatabaseSummary:
    synthetic: bool
    data_as_at: date
    first_referral: date


def demo_database_url(path: Path) -> str:
    """The embedded demo database at `path`, generated on first use."""
    with _demo_lock:
        if not path.exists():
            from seed_data import build_sqlite  # only the demo path needs the generator

            with st.spinner("Creating the synthetic demo database (first run only, a few seconds)…"):
                build_sqlite(path)
    return sqlite_url(path)


@st.cache_data(ttl=SUMMARY_SECONDS, show_spinner=False)
def database_summary(url: str) -> DatabaseSummary:
    """Check the database can be read (raises DatabaseProblem) and what the shell shows about it."""
    engine = case_engine(url)
    check_database(engine)
    with engine.connect() as conn:
        as_at = meta.data_as_at(conn)
        first = meta.first_referral_date(conn)
        synthetic = meta.is_synthetic(conn)
    if as_at is None or first is None:
        raise DatabaseProblem("The case database holds no referrals, sessions or escalations yet.")
    return DatabaseSummary(synthetic, as_at, first)


@st.cache_data(ttl=SUMMARY_SECONDS, show_spinner=False)
def site_names(url: str, scope: Scope) -> dict[int, str]:
    """The sites this viewer may see, by id."""
    with case_engine(url).connect() as conn:
        sites = meta.sites_in_scope(conn, scope)
    return dict(zip(sites["site_id"].tolist(), sites["name"].tolist()))
