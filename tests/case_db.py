"""Small case databases built inside tests, so every expected figure can be worked out by hand."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Connection, create_engine

from queries import schema

Row = dict[str, Any]

# Which database the current test writes its fixtures to: "sqlite" (a file), or "postgresql"
# (a fresh database on the test server, read through a read-only role). Set by tests/conftest.py.
BACKEND: ContextVar[str] = ContextVar("backend", default="sqlite")
POSTGRES: ContextVar[Any] = ContextVar("postgres")


def d(text: str) -> date:
    return date.fromisoformat(text)


def empty_database(path: Path) -> tuple[str, str]:
    """A new empty database on the current backend: (URL to load it, URL to read it)."""
    if BACKEND.get() == "postgresql":
        return POSTGRES.get().new_database()
    url = URL.create("sqlite", database=str(path)).render_as_string()
    return url, url


def build(
    path: Path, tables: dict[str, list[Row]], *, version: str = schema.SCHEMA_VERSION, synthetic: bool = False
) -> str:
    """Write a case database holding `tables` and return the URL the dashboard should read it by:
    a SQLite file at `path`, or (on the PostgreSQL backend) a new database read by a read-only role."""
    url, reader_url = empty_database(path)
    engine = create_engine(url)
    schema.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(
            schema.schema_info.insert(),
            [
                {"key": "schema_version", "value": version},
                {"key": "synthetic", "value": "true" if synthetic else "false"},
            ],
        )
        for table in schema.metadata.sorted_tables:
            if tables.get(table.name):
                conn.execute(table.insert(), tables[table.name])
    engine.dispose()
    if reader_url != url:
        POSTGRES.get().grant_reading(url)
    return reader_url


def served(path: Path, tables: dict[str, list[Row]], monkeypatch, **options) -> str:
    """`build`, and point the dashboard at the database (DATABASE_URL) for this test."""
    url = build(path, tables, **options)
    monkeypatch.setenv("DATABASE_URL", url)
    return url


@contextmanager
def connected(path: Path, tables: dict[str, list[Row]]) -> Iterator[Connection]:
    """`build`, and a connection to the database for the `with` block."""
    engine = create_engine(build(path, tables))
    try:
        with engine.connect() as connection:
            yield connection
    finally:
        engine.dispose()


def site(site_id: int, name: str, target: int = 30) -> Row:
    return {
        "site_id": site_id,
        "name": name,
        "local_authority": f"{name} Council",
        "opened_on": d("2020-04-01"),
        "closed_on": None,
        "target_caseload": target,
    }


def practitioner(practitioner_id: int, site_id: int, name: str = "Pat Practitioner") -> Row:
    return {
        "practitioner_id": practitioner_id,
        "site_id": site_id,
        "full_name": name,
        "role": "therapeutic_practitioner",
        "started_on": d("2020-04-01"),
        "left_on": None,
    }


def family(
    family_id: int,
    site_id: int,
    enrolled: str,
    *,
    exit_on: str | None = None,
    reason: str | None = None,
    birth: str | None = None,
    due: str | None = None,
) -> Row:
    return {
        "family_id": family_id,
        "site_id": site_id,
        "enrolled_on": d(enrolled),
        "due_on": d(due) if due else d(enrolled),
        "birth_on": d(birth) if birth else None,
        "exit_on": d(exit_on) if exit_on else None,
        "exit_reason": reason,
    }


def referral(
    referral_id: int,
    site_id: int,
    received: str,
    *,
    source: str = "midwifery",
    decision: str = "accepted",
    decided: str | None = None,
    family_id: int | None = None,
    gestation: int | None = 20,
) -> Row:
    return {
        "referral_id": referral_id,
        "site_id": site_id,
        "received_on": d(received),
        "source": source,
        "gestation_weeks": gestation,
        "decision": decision,
        "decided_on": d(decided) if decided else None,
        "family_id": family_id,
    }


def parent(
    parent_id: int, family_id: int, role: str = "mother", practitioner_id: int | None = None, **identifying: Any
) -> Row:
    return {
        "parent_id": parent_id,
        "family_id": family_id,
        "role": role,
        "practitioner_id": practitioner_id,
        "full_name": identifying.get("full_name", f"Parent {parent_id}"),
        "date_of_birth": identifying.get("date_of_birth", d("1995-01-01")),
        "postcode": identifying.get("postcode", "ZZ1 1ZZ"),
        "nhs_number": identifying.get("nhs_number", "9999999999"),
        "age_band": "25-29",
        "ethnicity_group": "not_stated",
        "ace_count": 4,
        "experienced_abuse": True,
        "used_abusive_behaviours": False,
        "abuse_in_childhood": True,
    }


def session(
    session_id: int,
    parent_id: int,
    on: str,
    *,
    status: str = "attended",
    session_type: str = "individual",
    practitioner_id: int | None = None,
) -> Row:
    return {
        "session_id": session_id,
        "parent_id": parent_id,
        "practitioner_id": practitioner_id,
        "session_on": d(on),
        "session_type": session_type,
        "status": status,
        "minutes": 60,
    }


def escalation(
    event_id: int,
    family_id: int,
    raised: str,
    *,
    resolved: str | None = None,
    level: str = "dsl_internal",
    concern: str = "domestic_abuse_incident",
    reviewed: str | None = None,
    summary: str = "free text",
) -> Row:
    return {
        "event_id": event_id,
        "family_id": family_id,
        "raised_on": d(raised),
        "concern_type": concern,
        "level": level,
        "dsl_reviewed_on": d(reviewed) if reviewed else None,
        "referred_on": None,
        "resolved_on": d(resolved) if resolved else None,
        "outcome": "no_further_action" if resolved else None,
        "summary": summary,
    }


def social_care(family_id: int, time_point: str, level: str, recorded: str | None = None) -> Row:
    return {
        "family_id": family_id,
        "time_point": time_point,
        "level": level,
        "recorded_on": d(recorded) if recorded else None,
    }


def assessment(
    assessment_id: int,
    family_id: int,
    instrument: str,
    time_point: str,
    *,
    score: float | None,
    normal: bool | None,
    assessed: str | None = None,
    parent_id: int | None = None,
) -> Row:
    """A baby's assessment (parent_id None) or a parent's."""
    return {
        "assessment_id": assessment_id,
        "family_id": family_id,
        "subject": "baby" if parent_id is None else "parent",
        "parent_id": parent_id,
        "instrument": instrument,
        "time_point": time_point,
        "assessed_on": d(assessed) if assessed else None,
        "score": score,
        "within_normal_range": normal,
    }
