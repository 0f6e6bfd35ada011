"""python -m bench [--scales 1 50] [--out results.json] [--browser/--no-browser] [--users N]

Builds (or reuses) the demo databases, then for each scale: every page for every role in AppTest
(first render, rerun, changed period, cached filter change, raw SQL, peak memory), optionally the
same pages in Chromium and a bounded load of N simultaneous users. Prints tables, PASS/MISS per
target and a JSON summary; writes the full results (with SQL statements and query plans) to --out.
Measures only: it changes no app file. Servers listen on 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from dataclasses import asdict
from pathlib import Path

os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")  # before anything imports streamlit

from bench import DEFAULT_AS_AT, DEFAULT_BENCH_DIR, DEFAULT_SEED, ROOT, USER_OF_ROLE, report
from bench.databases import ensure_database

ARROW_FALLBACK = "Serialization of dataframe to Arrow table was unsuccessful"


def _at_least_one(text: str) -> int:
    number = int(text)
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description=__doc__.split("\n\n")[1],
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 50], help="database scales to measure")
    parser.add_argument("--out", type=Path, default=None, help="full JSON results (default: BENCH_DIR/results.json)")
    parser.add_argument(
        "--browser",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also measure in Chromium (and run the load)",
    )
    parser.add_argument("--users", type=int, default=20, help="simultaneous browser sessions in the load run (0: none)")
    parser.add_argument(
        "--browser-scales",
        type=int,
        nargs="*",
        default=None,
        help="scales for the browser and load runs (default: every scale)",
    )
    parser.add_argument("--roles", nargs="+", default=list(USER_OF_ROLE), choices=list(USER_OF_ROLE))
    parser.add_argument("--pages", nargs="*", default=None, help="only these pages (url paths, e.g. overview)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--as-at", default=DEFAULT_AS_AT, help="the databases' last day of data")
    parser.add_argument("--faults", action="store_true", help="databases with seed_data's data-quality faults")
    parser.add_argument(
        "--bench-dir",
        type=Path,
        default=DEFAULT_BENCH_DIR,
        help="where databases, logs and results are kept (reused across runs)",
    )
    parser.add_argument("--rebuild", action="store_true", help="regenerate the databases (and re-time generation)")
    parser.add_argument(
        "--repeats", type=int, default=1, help="passes of the four AppTest renders per page; the median is reported"
    )
    parser.add_argument(
        "--browser-repeats",
        type=_at_least_one,
        default=1,
        help="passes of the one-user Chromium loads (a fresh server per role each); the median is "
        "reported, with every time to content",
    )
    parser.add_argument("--sql-repeats", type=int, default=3, help="direct runs of each query function (median)")
    parser.add_argument(
        "--server-budget",
        type=float,
        default=3600,
        help="seconds per scale for AppTest; pages left when it runs out are reported as skipped",
    )
    parser.add_argument("--load-budget", type=float, default=600, help="seconds the whole load run may take")
    parser.add_argument(
        "--only-load",
        action="store_true",
        help="skip AppTest and the one-user browser pass: only the concurrent load (needs --browser)",
    )
    parser.add_argument(
        "--load-without-charts",
        action="store_true",
        help="also run the load with the browsers not drawing Plotly charts (Chromium shares "
        "the machine: this shows the server's own share)",
    )
    parser.add_argument(
        "--profile",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="cProfile one cached rerun per page (where render time goes without SQL)",
    )
    parser.add_argument("--plans", type=int, default=3, help="slowest statements per scale printed with their plan")
    return parser.parse_args(argv)


def log(line: str = "") -> None:
    print(line, flush=True)


def run_server_side(args, database, scale: int, logs: Path) -> dict:
    out = logs / f"server-side-scale-{scale}.json"
    stderr_path = logs / f"server-side-scale-{scale}.log"
    command = [
        sys.executable,
        "-m",
        "bench.server_side",
        "--database",
        database.path,
        "--scale",
        str(scale),
        "--out",
        str(out),
        "--audit-database",
        str(args.bench_dir / "audit-perf.sqlite"),
        "--repeats",
        str(args.repeats),
        "--sql-repeats",
        str(args.sql_repeats),
        "--budget-seconds",
        str(args.server_budget),
        "--roles",
        *args.roles,
    ]
    if args.pages:
        command += ["--pages", *args.pages]
    if args.profile:
        command.append("--profile")
    # Full error details in the harness's own renders (the app's config hides them from people).
    env = {
        **os.environ,
        "STREAMLIT_LOGGER_LEVEL": "error",
        "PYTHONUNBUFFERED": "1",
        "STREAMLIT_CLIENT_SHOW_ERROR_DETAILS": "full",
    }
    out.unlink(missing_ok=True)
    with stderr_path.open("w") as stderr:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=stderr, text=True)
        deadline = time.monotonic() + args.server_budget + 900
        for line in process.stdout:
            log(line.rstrip())
            if time.monotonic() > deadline:
                process.kill()
                break
        try:
            process.wait(timeout=max(1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if process.returncode != 0 or not out.exists():
        raise RuntimeError(f"the AppTest run for scale {scale} failed (exit {process.returncode}); see {stderr_path}")
    result = json.loads(out.read_text())
    result["arrow_fallbacks"] = stderr_path.read_text(errors="replace").count(ARROW_FALLBACK)
    result["log"] = str(stderr_path)
    return result


def page_params(database_path: str, roles: list[str]) -> dict:
    """URL parameters some pages need (the case timeline: a case code), as in server_side."""
    import streamlit.logger

    streamlit.logger.set_log_level("error")  # no "No runtime found" warnings outside a server
    from bench.server_side import PAGE_QUERY_PARAMS
    from dashboard.access.db import readonly_engine

    engine = readonly_engine(f"sqlite:///{database_path}")
    try:
        return {page: make(engine, roles[0]) for page, make in PAGE_QUERY_PARAMS.items()}
    finally:
        engine.dispose()


def print_scale(scale_result: dict, plans: int) -> None:
    scale = scale_result["scale"]
    server = scale_result.get("server_side")
    if server:
        log(f"\n## Scale {scale}: server-side (AppTest), seconds (median of {server.get('repeats', 1)} pass(es))")
        log(
            "first render: cold data cache; rerun: same filters; changed period: previous financial year; "
            "cached change: back to the first period. raw SQL: the first render's query functions run directly, "
            "plus the shell's own queries (in brackets)."
        )
        log(report.server_table(server))
        log(
            f"AppTest process peak RSS {server['process_peak_rss_mb']:.0f} MB; warm-up {server['warm_up_s']} s; "
            f"Arrow serialisation fallbacks logged: {server.get('arrow_fallbacks', 0)}; "
            f"load average at end {server.get('load_average_end')}"
        )
        if server.get("skipped"):
            log(f"Skipped (budget spent): {', '.join(p['role'] + '/' + p['page'] for p in server['skipped'])}")
        problems = [(p["role"], p["title"], problem) for p in server["pages"] for problem in p.get("problems", [])]
        if problems:
            log("Problems seen:")
            for role, title, problem in problems[:30]:
                log(f"  - {role} / {title}: {problem.splitlines()[0][:240]}")
        profile = report.profile_lines(server)
        if len(profile) > 1:
            log(f"\n### Scale {scale}: a cached rerun under cProfile (seconds; app functions by cumulative time)")
            for line in profile:
                log(line)
        log(f"\n### Scale {scale}: slowest query functions (direct, no cache)")
        log(report.queries_table(server))
        for statement in report.slowest_statements(server, plans):
            log(
                f"\n{statement['function']} ({statement['role']} / {statement['page']}): "
                f"{statement['seconds']:.3f} s, {statement['rows']:,} rows"
            )
            log("  SQL: " + " ".join(statement["sql"].split())[:600])
            for line in statement.get("plan") or ["(no plan taken: under the threshold)"]:
                log("  PLAN " + line)
    if scale_result.get("browser"):
        passes = scale_result["browser"].get("passes", 1)
        log(
            f"\n## Scale {scale}: Chromium, one user at a time (seconds"
            + (f", median of {passes} passes, a fresh server for each)" if passes > 1 else ")")
        )
        log(
            "run finished: when the server's message that the page's run had finished arrived. The server "
            "and Chromium share this machine's cores: Chromium's CPU while it draws also slows the server."
        )
        log(report.browser_table(scale_result["browser"]))
        log(f"server peak RSS {scale_result['browser']['server_memory']['peak_rss_mb']} MB")
    for key in ("browser_error", "load_error", "load_no_charts_error", "server_side_error"):
        if scale_result.get(key):
            log(f"\n{key}: {scale_result[key]}")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.bench_dir = args.bench_dir.resolve()
    logs = args.bench_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    out = (args.out or args.bench_dir / "results.json").resolve()
    browser_scales = args.scales if args.browser_scales is None else args.browser_scales
    started = time.perf_counter()
    results = {"machine": report.machine(), "arguments": {k: str(v) for k, v in vars(args).items()}, "scales": []}
    m = results["machine"]
    log(
        f"# Dashboard benchmark: {m['nproc']} CPU(s), {m.get('cpu_model')}, {m.get('memory_gb')} GB, "
        f"load average {m.get('load_average')}, speed probe {m['speed_probe_s']} s, Python {m['python']}, "
        f"Streamlit {m.get('streamlit')}, SQLite {m['sqlite']}; "
        f"app code {m.get('git_commit')} + {m.get('git_changed_files')} changed file(s), "
        f"fingerprint {m.get('app_fingerprint')}"
    )
    failed = False

    log("\n## Databases")
    for scale in args.scales:
        database = ensure_database(args.bench_dir, scale, args.seed, args.as_at, args.faults, args.rebuild, log)
        results["scales"].append({"scale": scale, "database": asdict(database)})
    log(report.databases_table([s["database"] for s in results["scales"]]))

    from dashboard.shell.navigation import VIEWS, views_for

    log(
        "\nViews (dashboard.shell.navigation.VIEWS): "
        + "; ".join(f"{v.title} [{', '.join(sorted(v.roles))}]" for v in VIEWS)
    )
    for scale_result in results["scales"]:
        scale, database = scale_result["scale"], scale_result["database"]
        if not args.only_load:
            log(f"\n## Scale {scale}: measuring {', '.join(args.roles)} in AppTest ...")
            try:
                server = run_server_side(args, _Db(database), scale, logs)
                server["repeats"] = args.repeats
                scale_result["server_side"] = server
            except Exception as problem:
                scale_result["server_side_error"] = str(problem)
                failed = True
        if args.browser and scale in browser_scales:
            from bench import browser

            views_by_role = {
                role: [v for v in views_for(role) if not args.pages or v.url_path in args.pages] for role in args.roles
            }
            params = page_params(database["path"], args.roles)
            audit = str(args.bench_dir / "audit-perf.sqlite")
            if not args.only_load:
                log(f"\n## Scale {scale}: Chromium, one user per role ...")
                try:
                    scale_result["browser"] = browser.single_user(
                        database["path"], audit, logs, args.roles, views_by_role, params, log, args.browser_repeats
                    )
                except Exception as problem:
                    scale_result["browser_error"] = f"{type(problem).__name__}: {problem}"
                    failed = True
            if args.users > 0:
                log(
                    f"\n## Scale {scale}: {args.users} simultaneous users (fresh server, budget "
                    f"{args.load_budget:.0f} s) ..."
                )
                try:
                    load = browser.load(
                        database["path"],
                        audit,
                        logs,
                        args.users,
                        args.roles,
                        views_by_role,
                        params,
                        args.load_budget,
                        log,
                    )
                    load["scale"] = scale
                    scale_result["load"] = load
                except Exception as problem:
                    scale_result["load_error"] = f"{type(problem).__name__}: {problem}"
                    failed = True
                if args.load_without_charts:
                    log(f"\n## Scale {scale}: {args.users} simultaneous users, charts not drawn (fresh server) ...")
                    try:
                        load = browser.load(
                            database["path"],
                            audit,
                            logs,
                            args.users,
                            args.roles,
                            views_by_role,
                            params,
                            args.load_budget,
                            log,
                            charts=False,
                        )
                        load["scale"] = scale
                        scale_result["load_no_charts"] = load
                    except Exception as problem:
                        scale_result["load_no_charts_error"] = f"{type(problem).__name__}: {problem}"
                        failed = True
        _write(out, results)

    log("\n# Results")
    log(report.databases_table([s["database"] for s in results["scales"]]))
    for scale_result in results["scales"]:
        print_scale(scale_result, args.plans)
    loads = [s[key] for s in results["scales"] for key in ("load", "load_no_charts") if s.get(key)]
    if loads:
        log("\n## Concurrent users (one Chromium, one context per user, fresh server)")
        log(report.load_table(loads))
        for load in loads:
            for error in load["errors"][:10]:
                log(f"  - scale {load['scale']}: {error}")
    results["speed_probe_end_s"] = report.speed_probe_seconds()
    log(
        f"\nSpeed probe (pure Python, about 0.16 s when this machine is quiet): {m['speed_probe_s']} s at the "
        f"start, {results['speed_probe_end_s']} s at the end"
    )
    results["targets"] = report.targets(results)
    log(f"\n## Targets (stated for SQLite, scale {report.TARGET_SCALE}, 2 cores; scale-1 generation)")
    log(report.targets_table(results["targets"]))
    results["seconds"] = round(time.perf_counter() - started, 1)
    _write(out, results)
    log("\n## JSON summary")
    log(json.dumps(report.summary(results), indent=1, default=str))
    log(f"\nFull results (statements, plans, every render): {out}")
    log(f"Harness time {results['seconds']:.0f} s")
    return 1 if failed else 0


class _Db:
    def __init__(self, database: dict):
        self.path = database["path"]


def _write(out: Path, results: dict) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1, default=str))


if __name__ == "__main__":
    sys.exit(main())
