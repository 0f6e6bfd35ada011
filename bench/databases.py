"""The benchmark databases: built once with seed_data, cached in the bench folder.

A database is identified by (scale, seed, as-at, faults): `scale-50_seed-42_asat-2026-11-01.sqlite`
beside a `.json` file holding how long it took to generate and the generator's peak memory. Both
are reused while present; delete the folder (or pass --rebuild) to measure generation again.

The generator runs in a child process (`python -m bench.databases ...`) so its peak RSS is
its own, and so a crash or a timeout cannot take the harness down.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench import ROOT

BUILD_TIMEOUT_SECONDS = 1800


@dataclass
class BenchDatabase:
    scale: int
    seed: int
    as_at: str
    faults: bool
    path: str
    generation_seconds: float
    generator_peak_rss_mb: float
    file_mb: float
    rows: dict[str, int]
    reused: bool = False

    @property
    def url(self) -> str:
        return f"sqlite:///{self.path}"


def database_name(scale: int, seed: int, as_at: str, faults: bool) -> str:
    return f"scale-{scale}_seed-{seed}_asat-{as_at}{'_faults' if faults else ''}"


def ensure_database(
    bench_dir: Path, scale: int, seed: int, as_at: str, faults: bool = False, rebuild: bool = False, log=print
) -> BenchDatabase:
    """The cached database for these arguments, built (and timed) first when missing."""
    bench_dir.mkdir(parents=True, exist_ok=True)
    stem = database_name(scale, seed, as_at, faults)
    path, meta_path = bench_dir / f"{stem}.sqlite", bench_dir / f"{stem}.json"
    if not rebuild and path.is_file() and meta_path.is_file():
        meta = json.loads(meta_path.read_text())
        if meta.get("file_bytes") == path.stat().st_size:
            log(f"  reusing {path} (generated in {meta['generation_seconds']:.1f} s)")
            return _described(meta, path, reused=True)
    log(f"  generating scale {scale} (seed {seed}, as at {as_at}) into {path} ...")
    command = [
        sys.executable,
        "-m",
        "bench.databases",
        "--scale",
        str(scale),
        "--seed",
        str(seed),
        "--as-at",
        as_at,
        "--out",
        str(path),
        "--meta",
        str(meta_path),
    ]
    if faults:
        command.append("--faults")
    started = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=BUILD_TIMEOUT_SECONDS)
    if result.returncode != 0:
        raise RuntimeError(f"seed_data failed for scale {scale}:\n{result.stdout}\n{result.stderr}")
    meta = json.loads(meta_path.read_text())
    log(
        f"  generated in {meta['generation_seconds']:.1f} s (child process {time.perf_counter() - started:.1f} s), "
        f"peak RSS {meta['generator_peak_rss_mb']:.0f} MB, {meta['file_bytes'] / 1e6:.0f} MB on disk"
    )
    return _described(meta, path, reused=False)


def _described(meta: dict, path: Path, reused: bool) -> BenchDatabase:
    return BenchDatabase(
        scale=meta["scale"],
        seed=meta["seed"],
        as_at=meta["as_at"],
        faults=meta["faults"],
        path=str(path),
        generation_seconds=meta["generation_seconds"],
        generator_peak_rss_mb=meta["generator_peak_rss_mb"],
        file_mb=round(meta["file_bytes"] / 1e6, 1),
        rows=meta["rows"],
        reused=reused,
    )


def _build(args: argparse.Namespace) -> None:
    """In the child: generate and load exactly as `python -m seed_data` does, timing it."""
    import datetime as dt

    from sqlalchemy import URL, create_engine, func, select

    from queries.schema import metadata
    from seed_data import build_sqlite
    from seed_data.generate import TABLE_ORDER

    started = time.perf_counter()
    path = build_sqlite(
        args.out, scale=args.scale, seed=args.seed, as_at=dt.date.fromisoformat(args.as_at), faults=args.faults
    )
    elapsed = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    engine = create_engine(URL.create("sqlite", database=str(path)))
    with engine.connect() as conn:
        rows = {
            name: conn.execute(select(func.count()).select_from(metadata.tables[name])).scalar_one()
            for name in TABLE_ORDER
        }
    engine.dispose()
    meta = {
        "scale": args.scale,
        "seed": args.seed,
        "as_at": args.as_at,
        "faults": args.faults,
        "generation_seconds": round(elapsed, 2),
        "generator_peak_rss_mb": round(peak_mb, 1),
        "file_bytes": os.path.getsize(path),
        "rows": rows,
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
    }
    Path(args.meta).write_text(json.dumps(meta, indent=2))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m bench.databases")
    parser.add_argument("--scale", type=int, required=True)
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--as-at", required=True)
    parser.add_argument("--faults", action="store_true")
    parser.add_argument("--out", required=True)
    parser.add_argument("--meta", required=True)
    _build(parser.parse_args())
