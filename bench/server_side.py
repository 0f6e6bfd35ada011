"""Server-side timings in Streamlit's AppTest, for one database, in a process of its own.

    python -m bench.server_side --database PATH --scale N --out RESULT.json [--roles ...]

(the harness runs this once per scale, so each scale's peak memory is its own process's).

For every role and every view that role gets (dashboard.shell.navigation.views_for, read at run time so
new pages are measured without changing the harness), signed in as that role's demo account:

1. first render: Streamlit's data cache cleared, a new session opens the page (default period:
   the latest financial year);
2. rerun, same filters: every query a cache hit;
3. changed period: the previous financial year, every period-dependent query a cache miss;
4. cached filter change: back to the first period, a filter change whose queries are cached.

`PageContext.query` is wrapped (here, in this process only; no app file is changed) to record the
query functions each render asks for; those of the first render are then timed directly against
a read-only engine (bench.sql_timing), with the shell's own queries, for the "raw SQL" time.
Peak memory: the process's peak RSS (VmHWM), reset before each page on Linux.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import inspect
import json
import logging
import os
import pkgutil
import resource
import statistics
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench import COOKIE_KEY, ROOT, USER_OF_ROLE, USERS_FILE

APP = str(ROOT / "dashboard" / "app.py")
RENDER_TIMEOUT_SECONDS = 600
WARM_UP_PAGE = "overview.py"


def rss_mb(field: str = "VmRSS") -> float:
    """This process's resident memory (VmRSS) or its peak since the last reset (VmHWM), in MB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak_rss() -> bool:
    """Reset VmHWM to the current RSS (Linux: `echo 5 > /proc/self/clear_refs`)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


@dataclass
class Call:
    """One top-level call of a query function during a render."""

    function: Callable
    args: tuple
    kwargs: dict
    seconds: float

    @property
    def name(self) -> str:
        return f"{self.function.__module__}.{self.function.__qualname__}"

    @property
    def shell(self) -> bool:
        return self.function.__module__ == "queries.meta"

    def scope_and_filters(self):
        from queries.scope import Filters, Scope

        scope = next((a for a in self.args if isinstance(a, Scope)), None)
        filters = next((a for a in self.args if isinstance(a, Filters)), None)
        return scope, filters

    def key(self) -> tuple:
        return (self.name, repr(self.args), repr(sorted(self.kwargs.items())))


class QueryRecorder:
    """Wraps every public query function of the `queries` package (a function whose first
    parameter is `conn`) in this process, so every call a render makes to the database is noted,
    whether through PageContext.query (only on a cache miss, since the cached function calls it)
    or directly (the drill-down pages). Calls made from inside another query function are part of
    it, not noted separately. PageContext.query is wrapped too, to count what pages ask for.
    Nothing is changed on disk: module attributes are replaced in this process only, before the
    dashboard is imported."""

    def __init__(self):
        self.calls: list[Call] = []
        self.requested = 0
        self._depth = threading.local()
        self.wrapped = self._wrap_queries()
        from dashboard.shell import context

        original_query = context.PageContext.query
        recorder = self

        def counting_query(self_, query, filters=None, **arguments):
            recorder.requested += 1
            return original_query(self_, query, filters, **arguments)

        context.PageContext.query = counting_query

    def _wrap_queries(self) -> list[str]:
        import queries

        wrapped = []
        for info in pkgutil.iter_modules(queries.__path__):
            module = importlib.import_module(f"queries.{info.name}")
            for name, value in list(vars(module).items()):
                if name.startswith("_") or not inspect.isfunction(value) or value.__module__ != module.__name__:
                    continue
                parameters = list(inspect.signature(value).parameters)
                if parameters[:1] != ["conn"]:
                    continue
                setattr(module, name, self._wrapper(value))
                wrapped.append(f"{module.__name__}.{name}")
        return wrapped

    def _wrapper(self, function: Callable) -> Callable:
        recorder = self

        @functools.wraps(function)
        def recorded(conn, *args, **kwargs):
            depth = getattr(recorder._depth, "value", 0)
            recorder._depth.value = depth + 1
            started = time.perf_counter()
            try:
                return function(conn, *args, **kwargs)
            finally:
                recorder._depth.value = depth
                if depth == 0:
                    recorder.calls.append(Call(function, args, kwargs, time.perf_counter() - started))

        recorded.__wrapped_query__ = function
        return recorded

    def take(self) -> tuple[list[Call], int]:
        calls, requested = self.calls, self.requested
        self.calls, self.requested = [], 0
        return calls, requested


@functools.cache
def installed_components():
    """A Streamlit server looks for installed custom components once, when it starts; AppTest
    looks again for every new app, on its first run (0.15-0.5 s here, reading every installed
    package's metadata). That is no part of a page's render, so it is done once per process here,
    as a server does, and every app shares the result."""
    from streamlit.components.v2.component_manager import BidiComponentManager

    manager = BidiComponentManager()
    manager.discover_and_register_components(start_file_watching=False)
    return manager


def new_app(username: str, page_file: str, query_params: dict[str, str] | None = None):
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(APP, default_timeout=RENDER_TIMEOUT_SECONDS)
    # AppTest keeps the manager in a private attribute; fail loudly if that ever changes, rather
    # than silently timing the search again.
    assert app._bidi_component_manager is None, "AppTest no longer looks for components as it did"
    app._bidi_component_manager = installed_components()
    app.query_params.update(query_params or {})
    app.session_state["authentication_status"] = True
    app.session_state["username"] = username
    app.session_state["name"] = username
    app.switch_page(str(ROOT / "pages" / page_file))
    return app


class UncaughtErrors(logging.Handler):
    """Streamlit logs a page's uncaught exception ("Uncaught app execution") with its traceback,
    while the page itself shows a redacted message (client.showErrorDetails = "none"): keep the
    exception's type, message and the app frame it came from, for the report."""

    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.seen: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if not record.exc_info or record.exc_info[1] is None:
            return
        error = record.exc_info[1]
        import traceback as tb

        frames = [
            f
            for f in tb.extract_tb(error.__traceback__)
            if f.filename.startswith(str(ROOT)) and "/.venv/" not in f.filename
        ]
        where = f" [{Path(frames[-1].filename).relative_to(ROOT)}:{frames[-1].lineno}]" if frames else ""
        self.seen.append(f"{type(error).__name__}: {str(error).splitlines()[0][:200] if str(error) else ''}{where}")

    def take(self) -> list[str]:
        seen, self.seen = self.seen, []
        return seen


UNCAUGHT = UncaughtErrors()


def timed_run(app) -> tuple[float, float, list[str]]:
    """Run the app once: wall seconds, CPU seconds of this process (every thread: AppTest runs
    the script in its own thread, and SQLite runs in-process), and any exception shown."""
    started, cpu = time.perf_counter(), time.process_time()
    try:
        app.run()
    except Exception as problem:  # AppTest raises on a timeout
        return time.perf_counter() - started, time.process_time() - cpu, [f"{type(problem).__name__}: {problem}"]
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    logged = UNCAUGHT.take()
    return seconds, cpu_seconds, logged or [_describe(e) for e in app.exception]


def _describe(exception) -> str:
    """An exception the page showed: its message and where it was raised (last stack line)."""
    message = str(getattr(exception, "message", "") or getattr(exception, "value", "")).strip()
    stack = [line.strip() for line in (getattr(exception, "stack_trace", None) or []) if line.strip()]
    where = next((line for line in reversed(stack) if line.startswith("File ")), "")
    return (message.splitlines()[0] if message else "exception")[:240] + (f" [{where[:160]}]" if where else "")


def period_selectbox(app):
    try:
        return app.sidebar.selectbox(key="fy")
    except (KeyError, IndexError):
        return None


def case_timeline_params(engine, role: str) -> dict[str, str]:
    """The case timeline needs a case: the pseudonym of the latest-enrolled family in scope (what
    the case list links to). Empty (the page then asks for a code) if the app's drill-down
    module has changed shape."""
    try:
        from sqlalchemy import select

        from dashboard.shell import drilldown
        from queries.schema import families

        with engine.connect() as conn:
            family_id = conn.execute(
                select(families.c.family_id).order_by(families.c.enrolled_on.desc()).limit(1)
            ).scalar()
        return {"case": drilldown.pseudonym(int(family_id), drilldown.secret(True))}
    except Exception:
        return {}


# Extra URL parameters a page needs to show what it is for (by url path); only what a person
# following the app's own links would have in the URL.
PAGE_QUERY_PARAMS: dict[str, Callable] = {"case_timeline": case_timeline_params}


def role_scope(engine, role: str):
    """The scope the app builds for the role's demo account (commissioners: their sites by name)."""
    import yaml

    from queries import meta
    from queries.scope import Scope

    if role != "commissioner":
        return Scope(role)
    account = yaml.safe_load(Path(os.environ["USERS_FILE"]).read_text())["credentials"]["usernames"][USER_OF_ROLE[role]]
    with engine.connect() as conn:
        sites = meta.sites_in_scope(conn, Scope.leadership())
    ids = dict(zip(sites["name"], sites["site_id"]))
    return Scope("commissioner", frozenset(int(ids[name]) for name in account["sites"] if name in ids))


RENDERS = ("first_render", "rerun_same", "changed_period", "cached_change")


def load_average() -> float:
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return float("nan")


def render_sequence(recorder: QueryRecorder, username: str, view, params: dict, result: dict) -> list[Call]:
    """One pass of the four renders with a cold data cache; returns the first render's calls."""
    import streamlit as st

    st.cache_data.clear()
    recorder.take()
    first_calls: list[Call] = []

    def render(label: str, app) -> None:
        nonlocal first_calls
        loadavg = load_average()
        seconds, cpu_seconds, problems = timed_run(app)
        calls, requested = recorder.take()
        entry = result["renders"].setdefault(label, {"wall_s": [], "cpu_s": [], "load_average": []})
        entry["wall_s"].append(round(seconds, 4))
        entry["cpu_s"].append(round(cpu_seconds, 4))
        entry["load_average"].append(loadavg)
        page_calls = [c for c in calls if not c.shell]
        entry.update(
            {
                "queries_requested": requested,
                "queries_executed": len(page_calls),
                "shell_queries_executed": len(calls) - len(page_calls),
                "seconds_in_queries": round(sum(c.seconds for c in page_calls), 4),
                "seconds_in_shell_queries": round(sum(c.seconds for c in calls if c.shell), 4),
                "periods": sorted(
                    {
                        f"{f.period.start}..{f.period.end}"
                        for c in calls
                        for f in [c.scope_and_filters()[1]]
                        if f is not None
                    }
                ),
            }
        )
        result["problems"] += [f"{label}: {p}" for p in problems if f"{label}: {p}" not in result["problems"]]
        if label == "first_render":
            first_calls = calls

    app = new_app(username, view.file, params)
    render("first_render", app)
    titles = [t.value for t in app.title]
    result["title_shown"] = view.title in titles
    if not result["title_shown"] and not any("not shown" in p for p in result["problems"]):
        result["problems"].append(f"title {view.title!r} not shown (titles: {titles})")
    render("rerun_same", app)
    select = period_selectbox(app)
    if select is not None and len(select.options) > 1:
        first, other = select.options[0], select.options[1]
        result["periods"] = [first, other]
        select.set_value(other)
        render("changed_period", app)
        select = period_selectbox(app)
        if select is not None:
            select.set_value(first)
            render("cached_change", app)
    return first_calls


PROJECT_DIRS = tuple(str(ROOT / d) for d in ("dashboard", "pages", "queries"))


def profile_cached_rerun(username: str, view, params: dict, top: int = 12) -> dict:
    """Where a rerun's time goes when every query is a cache hit: cProfile over one rerun with the
    same filters, the functions with the most cumulative time (the app's own, and any)."""
    import cProfile
    import io
    import pstats

    app = new_app(username, view.file, params)
    timed_run(app)  # fills the cache
    # AppTest runs the script in a thread of its own: profile every thread the rerun starts.
    profilers: list[cProfile.Profile] = []

    def start_profiling(_frame, _event, _arg):
        sys.setprofile(None)
        profiler = cProfile.Profile()
        profilers.append(profiler)
        profiler.enable()

    threading.setprofile(start_profiling)
    try:
        timed_run(app)
    finally:
        threading.setprofile(None)
    if not profilers:
        return {"error": "no thread to profile"}
    stats = pstats.Stats(*profilers, stream=io.StringIO())
    total = stats.total_tt
    rows = []
    for (filename, line, name), (_calls, ncalls, tottime, cumtime, _callers) in stats.stats.items():
        rows.append(
            {
                "function": f"{_short(filename)}:{line}({name})",
                "calls": ncalls,
                "self_s": round(tottime, 4),
                "cumulative_s": round(cumtime, 4),
                "app": filename.startswith(PROJECT_DIRS),
            }
        )
    rows.sort(key=lambda r: r["cumulative_s"], reverse=True)
    by_self = sorted(rows, key=lambda r: r["self_s"], reverse=True)
    return {"total_s": round(total, 4), "app_cumulative": [r for r in rows if r["app"]][:top], "self": by_self[:top]}


def _short(filename: str) -> str:
    for marker in ("site-packages/", str(ROOT) + "/"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename


def measure_page(
    recorder: QueryRecorder,
    engine,
    statements,
    role: str,
    view,
    repeats: int,
    sql_repeats: int,
    log,
    profile: bool = False,
) -> dict:
    from bench.sql_timing import time_call, time_shell_queries

    result: dict = {"role": role, "page": view.url_path, "title": view.title, "problems": [], "renders": {}}
    params = PAGE_QUERY_PARAMS.get(view.url_path, lambda *_: {})(engine, role)
    if params:
        result["query_params"] = params
    rss_before = rss_mb()
    per_page_peak = reset_peak_rss()
    first_calls: list[Call] = []
    for _ in range(repeats):
        calls = render_sequence(recorder, USER_OF_ROLE[role], view, params, result)
        first_calls = first_calls or calls
    # With the reset, the peak of this page's renders; without it (not Linux), the process's so far.
    result["peak_rss_mb"] = round(rss_mb("VmHWM"), 1)
    result["peak_is_per_page"] = per_page_peak
    result["rss_before_mb"] = round(rss_before, 1)
    for label in RENDERS:
        entry = result["renders"].get(label)
        result[f"{label}_s"] = round(statistics.median(entry["wall_s"]), 4) if entry else None
        result[f"{label}_cpu_s"] = round(statistics.median(entry["cpu_s"]), 4) if entry else None

    # Raw SQL: each distinct query function the first render ran, called directly (no cache).
    seen, timings = set(), []
    for call in first_calls:
        if call.shell or call.key() in seen:
            continue
        seen.add(call.key())
        _scope, filters = call.scope_and_filters()
        timings.append(
            time_call(
                engine,
                statements,
                call.name,
                f"{filters.period.start}..{filters.period.end}" if filters else "",
                lambda conn, f=call.function, c=call: f(conn, *c.args, **c.kwargs),
                max_repeats=sql_repeats,
            )
        )
    shell_wall, shell_cpu = time_shell_queries(engine, role_scope(engine, role))
    result["query_calls"] = len(first_calls)
    result["queries"] = [t.as_dict() for t in timings]
    result["page_sql_s"] = round(sum(t.seconds for t in timings if t.runs), 4)
    result["page_sql_cpu_s"] = round(sum(t.cpu_seconds for t in timings if t.runs), 4)
    result["shell_sql_s"] = round(shell_wall, 4)
    result["raw_sql_s"] = round(result["page_sql_s"] + shell_wall, 4)
    result["raw_sql_cpu_s"] = round(result["page_sql_cpu_s"] + shell_cpu, 4)
    result["ratio"] = round(result["first_render_s"] / result["raw_sql_s"], 2) if result["raw_sql_s"] > 0 else None
    result["ratio_cpu"] = (
        round(result["first_render_cpu_s"] / result["raw_sql_cpu_s"], 2) if result["raw_sql_cpu_s"] > 0 else None
    )
    result["problems"] += [f"{t.name}: {t.error}" for t in timings if t.error]
    if profile:
        try:
            result["cached_rerun_profile"] = profile_cached_rerun(USER_OF_ROLE[role], view, params)
        except Exception as problem:
            result["cached_rerun_profile"] = {"error": f"{type(problem).__name__}: {problem}"}
    log(
        f"    {role:<12} {view.title:<28} first {result['first_render_s']:7.2f} s  "
        f"rerun {result['rerun_same_s']:6.2f} s  "
        f"changed {_fmt(result['changed_period_s'])}  back {_fmt(result['cached_change_s'])}  "
        f"raw SQL {result['raw_sql_s']:7.2f} s  peak {result['peak_rss_mb']:6.0f} MB  load {load_average():.1f}"
        + (f"  PROBLEMS: {len(result['problems'])}" if result["problems"] else "")
    )
    return result


def _fmt(seconds: float | None) -> str:
    return "   n/a " if seconds is None else f"{seconds:6.2f} s"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.server_side")
    parser.add_argument("--database", required=True)
    parser.add_argument("--scale", type=int, required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--roles", nargs="+", default=list(USER_OF_ROLE))
    parser.add_argument("--pages", nargs="*", default=None, help="url paths (default: every view)")
    parser.add_argument("--repeats", type=int, default=1, help="passes of the four renders per page (median)")
    parser.add_argument("--sql-repeats", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="cProfile one cached rerun per page")
    parser.add_argument("--budget-seconds", type=float, default=3600)
    parser.add_argument("--audit-database", required=True, help="SQLite file for the drill-down audit trail")
    args = parser.parse_args(argv)

    os.environ["DATABASE_URL"] = f"sqlite:///{Path(args.database).resolve()}"
    # The demo accounts sign in (whatever USERS_FILE the caller's environment has).
    os.environ["USERS_FILE"] = str(USERS_FILE)
    os.environ["AUTH_COOKIE_KEY"] = COOKIE_KEY
    # The drill-down pages record every opening in an audit store: keep the harness's own.
    os.environ["AUDIT_DATABASE_URL"] = f"sqlite:///{Path(args.audit_database).resolve()}"
    import streamlit.logger

    streamlit.logger.set_log_level("error")
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    streamlit.logger.get_logger("streamlit.error_util").addHandler(UNCAUGHT)

    import streamlit as st

    recorder = QueryRecorder()  # before the dashboard's modules bind any query function
    from bench.sql_timing import StatementRecorder
    from dashboard.access.db import readonly_engine
    from dashboard.shell import navigation

    def log(line: str) -> None:
        print(line, flush=True)

    started = time.perf_counter()
    engine = readonly_engine(os.environ["DATABASE_URL"])
    statements = StatementRecorder(engine)

    # One untimed render first: imports (plotly, pandas, the pages) are not a page's cost.
    warm = time.perf_counter()
    timed_run(new_app(USER_OF_ROLE["leadership"], WARM_UP_PAGE))
    warm_up_s = time.perf_counter() - warm
    recorder.take()
    st.cache_data.clear()

    pages, skipped = [], []
    for role in args.roles:
        for view in navigation.views_for(role):
            if args.pages and view.url_path not in args.pages:
                continue
            if time.perf_counter() - started > args.budget_seconds:
                skipped.append({"role": role, "page": view.url_path, "title": view.title})
                continue
            try:
                pages.append(
                    measure_page(
                        recorder,
                        engine,
                        statements,
                        role,
                        view,
                        args.repeats,
                        args.sql_repeats,
                        log,
                        profile=args.profile,
                    )
                )
            except Exception:  # keep measuring the other pages
                pages.append(
                    {
                        "role": role,
                        "page": view.url_path,
                        "title": view.title,
                        "problems": [traceback.format_exc(limit=3)],
                    }
                )
                log(f"    {role:<12} {view.title:<28} FAILED: {traceback.format_exc(limit=1)}")
    st.cache_data.clear()
    result = {
        "scale": args.scale,
        "database": args.database,
        "views": [{"page": v.url_path, "title": v.title, "roles": sorted(v.roles)} for v in navigation.VIEWS],
        "warm_up_s": round(warm_up_s, 2),
        "wrapped_query_functions": len(recorder.wrapped),
        "pages": pages,
        "skipped": skipped,
        "process_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "seconds": round(time.perf_counter() - started, 1),
        "load_average_end": load_average(),
    }
    Path(args.out).write_text(json.dumps(result, indent=2, default=str))
    engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
