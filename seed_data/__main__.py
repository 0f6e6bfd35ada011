"""python -m seed_data --scale 1 --seed 42 (--out PATH | --url DATABASE_URL) [--as-at YYYY-MM-DD] [--faults]"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time

from sqlalchemy import URL, create_engine, func, select

from queries.schema import metadata
from seed_data.generate import TABLE_ORDER, generate
from seed_data.load import build_sqlite, load


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m seed_data",
        description="Build the synthetic demo case database: a SQLite file, or into an empty database.",
    )
    parser.add_argument("--scale", type=int, default=1, help="multiplies sites and families (default 1: 6 sites)")
    parser.add_argument("--seed", type=int, default=42)
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--out", help="path of the SQLite file to write (replaced if present)")
    target.add_argument("--url", help="an empty database to load, e.g. postgresql+psycopg://user@host/db")
    parser.add_argument(
        "--as-at",
        type=dt.date.fromisoformat,
        default=None,
        help="last day of data, YYYY-MM-DD (default today)",
    )
    parser.add_argument("--faults", action="store_true", help="add the deliberate data-quality faults")
    args = parser.parse_args(argv)
    if args.scale < 1:
        parser.error("--scale must be at least 1")

    started = time.perf_counter()
    try:
        if args.out:
            path = build_sqlite(args.out, scale=args.scale, seed=args.seed, as_at=args.as_at, faults=args.faults)
            engine = create_engine(URL.create("sqlite", database=str(path)))
        else:
            engine = create_engine(args.url)
            load(generate(scale=args.scale, seed=args.seed, as_at=args.as_at, faults=args.faults), engine)
    except ValueError as problem:  # for example an as-at date before the programme began
        parser.error(str(problem))
    elapsed = time.perf_counter() - started

    with engine.connect() as conn:
        for name in TABLE_ORDER:
            rows = conn.execute(select(func.count()).select_from(metadata.tables[name])).scalar_one()
            print(f"{name:<22}{rows:>12,}")
    engine.dispose()
    print(f"wrote {engine.url.render_as_string(hide_password=True)} in {elapsed:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
