"""Raw SQL timing: the query functions a page called, run directly against a read-only engine.

Each query function `(conn, scope, filters) -> DataFrame` is called outside Streamlit (no cache)
on a fresh connection. While it runs, every SQL statement it sends is captured (a SQLAlchemy
cursor event), so each statement can then be re-run on its own with the sqlite3 driver (execute
and fetch every row: the pure database time and the rows it returns) and, when slow or large,
explained with EXPLAIN QUERY PLAN.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, event

# A statement is explained when it takes at least this long, or returns at least this many rows.
EXPLAIN_SECONDS = 0.05
MANY_ROWS = 10_000
SQL_CHARS = 4000
STATEMENT_REPEATS = 2  # statements are kept (for the report) up to this length


@dataclass
class Statement:
    sql: str
    parameters: tuple
    seconds: float = 0.0
    rows: int = 0
    plan: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "sql": self.sql[:SQL_CHARS],
            "sql_chars": len(self.sql),
            "parameters": [str(p) for p in self.parameters],
            "seconds": round(self.seconds, 4),
            "rows": self.rows,
            "plan": self.plan,
        }


@dataclass
class FunctionTiming:
    name: str
    period: str
    runs: list[float]
    cpu_runs: list[float]
    frame_rows: int
    statements: list[Statement]
    error: str | None = None

    @property
    def seconds(self) -> float:
        return statistics.median(self.runs) if self.runs else float("nan")

    @property
    def cpu_seconds(self) -> float:
        return statistics.median(self.cpu_runs) if self.cpu_runs else float("nan")

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "period": self.period,
            "seconds": round(self.seconds, 4),
            "cpu_seconds": round(self.cpu_seconds, 4),
            "runs": [round(r, 4) for r in self.runs],
            "frame_rows": self.frame_rows,
            "error": self.error,
            "statements": [s.as_dict() for s in self.statements],
        }


class StatementRecorder:
    """Collects the statements sent through an engine while `recording()` is active."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.active: list[Statement] | None = None
        event.listen(engine, "before_cursor_execute", self._before)

    def _before(self, _conn, _cursor, statement, parameters, _context, executemany):
        if self.active is not None and not executemany:
            self.active.append(Statement(statement, tuple(parameters or ())))

    @contextmanager
    def recording(self):
        self.active = []
        try:
            yield self.active
        finally:
            self.active = None


def _rows(result) -> int:
    if isinstance(result, dict):
        return sum(_rows(v) for v in result.values())
    try:
        return len(result)
    except TypeError:
        return 1


def time_call(
    engine: Engine,
    recorder: StatementRecorder,
    name: str,
    period: str,
    call: Callable[[Connection], object],
    max_repeats: int = 3,
    repeat_under_seconds: float = 5.0,
) -> FunctionTiming:
    """Run `call(conn)` directly (no cache), up to `max_repeats` times while each run is short;
    the median is its time. The statements of the first run are kept and timed one by one."""
    runs: list[float] = []
    cpu_runs: list[float] = []
    statements: list[Statement] = []
    rows = 0
    try:
        for attempt in range(max_repeats):
            with engine.connect() as conn, recorder.recording() as sent:
                started, cpu = time.perf_counter(), time.process_time()
                result = call(conn)
                runs.append(time.perf_counter() - started)
                cpu_runs.append(time.process_time() - cpu)
            if attempt == 0:
                statements, rows = sent, _rows(result)
            if runs[-1] > repeat_under_seconds:
                break
        _time_statements(engine, statements)
    except Exception as problem:  # a page under construction may have a broken query: report it
        return FunctionTiming(
            name, period, runs, cpu_runs, rows, statements, error=f"{type(problem).__name__}: {problem}"
        )
    return FunctionTiming(name, period, runs, cpu_runs, rows, statements)


def _time_statements(engine: Engine, statements: list[Statement]) -> None:
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        for statement in statements:
            best = None
            for _attempt in range(STATEMENT_REPEATS):  # best of a few: the machine may be shared
                started = time.perf_counter()
                cursor.execute(statement.sql, statement.parameters)
                statement.rows = len(cursor.fetchall())
                seconds = time.perf_counter() - started
                best = seconds if best is None else min(best, seconds)
                if seconds > 2:
                    break
            statement.seconds = best
            if statement.seconds >= EXPLAIN_SECONDS or statement.rows >= MANY_ROWS:
                statement.plan = explain(cursor, statement)
        cursor.close()
    finally:
        raw.close()


def explain(cursor, statement: Statement) -> list[str]:
    """SQLite's EXPLAIN QUERY PLAN as indented lines (id, parent, detail → a tree)."""
    try:
        cursor.execute(f"EXPLAIN QUERY PLAN {statement.sql}", statement.parameters)
        rows = cursor.fetchall()
    except Exception as problem:
        return [f"(no plan: {problem})"]
    depth: dict[int, int] = {0: -1}
    lines = []
    for node, parent, _unused, detail in rows:
        depth[node] = depth.get(parent, -1) + 1
        lines.append("  " * depth[node] + detail)
    return lines


def time_shell_queries(engine: Engine, scope) -> tuple[float, float]:
    """What the shell (dashboard/app.py) asks before any page draws: the schema check, the data
    summary and the sites in scope (twice for a commissioner: all sites, then theirs)."""
    from dashboard.access.db import check_database
    from queries import meta
    from queries.scope import Scope

    started, cpu = time.perf_counter(), time.process_time()
    check_database(engine)
    with engine.connect() as conn:
        meta.data_as_at(conn)
        meta.first_referral_date(conn)
        meta.is_synthetic(conn)
        if scope.role == "commissioner":
            meta.sites_in_scope(conn, Scope.leadership())
        meta.sites_in_scope(conn, scope)
    return time.perf_counter() - started, time.process_time() - cpu
