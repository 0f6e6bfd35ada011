"""Would an index help? Re-time the slowest statements of a harness run on a copy of the database
with candidate indexes added: before/after time and EXPLAIN QUERY PLAN.

    python -m bench.indexes --results .bench/results.json [--scale 50] [--top 12]

The case database itself is never changed (the dashboard opens it read-only): the copy is made in
the bench folder and deleted afterwards unless --keep. Evidence for docs/performance.md, not a
migration: an index that helps here belongs in docs/case-database.md and the analyst's mapping.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import time
from pathlib import Path

from bench import DEFAULT_BENCH_DIR

# Candidates, each for a pattern the slow statements share (see docs/performance.md). The first
# trial's sessions candidates are in the schema now, widened to cover session_type too
# (ix_sessions_parent_on_status_type, ix_sessions_on_status_type_parent: docs/case-database.md);
# these two were not adopted: the 30,000 families and 58,000 parents are read quickly enough.
CANDIDATES = {
    # Families enrolled in a period (cohorts) for every site: ix_families_site_enrolled_exit leads
    # with site_id, so leadership and trustees (all sites) skip-scan it.
    "ix_perf_families_enrolled": "CREATE INDEX ix_perf_families_enrolled ON families (enrolled_on, site_id)",
    # Parents of a family by role.
    "ix_perf_parents_family_role": "CREATE INDEX ix_perf_parents_family_role ON parents (family_id, role)",
}


def plan(cursor, sql: str, parameters: list) -> list[str]:
    cursor.execute(f"EXPLAIN QUERY PLAN {sql}", parameters)
    depth: dict[int, int] = {0: -1}
    lines = []
    for node, parent, _unused, detail in cursor.fetchall():
        depth[node] = depth.get(parent, -1) + 1
        lines.append("  " * depth[node] + detail)
    return lines


def timed(cursor, sql: str, parameters: list, repeats: int = 2) -> tuple[float, int]:
    best, rows = None, 0
    for _ in range(repeats):
        started = time.perf_counter()
        cursor.execute(sql, parameters)
        rows = len(cursor.fetchall())
        seconds = time.perf_counter() - started
        best = seconds if best is None else min(best, seconds)
        if seconds > 20:
            break
    return best, rows


def slowest(results: dict, scale: int, top: int) -> list[dict]:
    seen, statements = set(), []
    for scale_result in results["scales"]:
        if scale_result["scale"] != scale or not scale_result.get("server_side"):
            continue
        for page in scale_result["server_side"]["pages"]:
            for query in page.get("queries", []):
                for statement in query["statements"]:
                    if statement["sql_chars"] > len(statement["sql"]):
                        continue  # truncated in the results: cannot be re-run
                    key = (statement["sql"], tuple(statement["parameters"]))
                    if key not in seen:
                        seen.add(key)
                        statements.append({**statement, "function": query["name"], "role": page["role"]})
    statements.sort(key=lambda s: s["seconds"], reverse=True)
    return statements[:top]


def _parameters(values: list[str]) -> list:
    """Parameters were stored as text; numbers go back to numbers (dates stay ISO text)."""
    converted = []
    for value in values:
        try:
            converted.append(int(value))
        except ValueError:
            try:
                converted.append(float(value))
            except ValueError:
                converted.append(None if value == "None" else value)
    return converted


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.indexes")
    parser.add_argument("--results", type=Path, default=DEFAULT_BENCH_DIR / "results.json")
    parser.add_argument("--scale", type=int, default=50)
    parser.add_argument("--top", type=int, default=12)
    parser.add_argument("--bench-dir", type=Path, default=DEFAULT_BENCH_DIR)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the indexed copy")
    args = parser.parse_args(argv)

    results = json.loads(args.results.read_text())
    database = next(s["database"]["path"] for s in results["scales"] if s["scale"] == args.scale)
    statements = slowest(results, args.scale, args.top)
    copy = args.bench_dir / f"index-trial-scale-{args.scale}.sqlite"
    shutil.copyfile(database, copy)
    report = {"database": database, "candidates": CANDIDATES, "statements": []}
    try:
        connection = sqlite3.connect(copy)
        cursor = connection.cursor()
        for s in statements:
            params = _parameters(s["parameters"])
            seconds, rows = timed(cursor, s["sql"], params)
            s.update({"before_s": round(seconds, 3), "before_plan": plan(cursor, s["sql"], params), "rows": rows})
        built = {}
        for name, ddl in CANDIDATES.items():
            started = time.perf_counter()
            cursor.execute(ddl)
            built[name] = round(time.perf_counter() - started, 1)
        connection.commit()
        report["index_build_s"] = built
        report["database_mb_before"] = round(Path(database).stat().st_size / 1e6, 1)
        report["database_mb_after"] = round(copy.stat().st_size / 1e6, 1)
        for s in statements:
            params = _parameters(s["parameters"])
            seconds, rows = timed(cursor, s["sql"], params)
            s.update(
                {
                    "after_s": round(seconds, 3),
                    "after_plan": plan(cursor, s["sql"], params),
                    "same_rows": rows == s["rows"],
                }
            )
            report["statements"].append(s)
        connection.close()
    finally:
        if not args.keep:
            copy.unlink(missing_ok=True)

    print(
        f"Index trial on a copy of {database} ({report['database_mb_before']} MB → "
        f"{report['database_mb_after']} MB with the candidates; built in {report['index_build_s']} s)"
    )
    for s in report["statements"]:
        used = sorted({name for name in CANDIDATES for line in s["after_plan"] if name in line})
        print(
            f"\n{s['function']} ({s['role']}): {s['before_s']:.3f} s → {s['after_s']:.3f} s, "
            f"{s['rows']:,} rows{'' if s['same_rows'] else ' (ROW COUNT CHANGED)'}; uses {', '.join(used) or 'none'}"
        )
        print("  SQL: " + " ".join(s["sql"].split())[:400])
        for line in s["before_plan"]:
            print("  before: " + line)
        for line in s["after_plan"]:
            print("  after:  " + line)
    out = args.out or args.bench_dir / f"index-trial-scale-{args.scale}.json"
    out.write_text(json.dumps(report, indent=1))
    print(f"\n{out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
