"""Write generated tables into a database, and build the demo SQLite file."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import URL, Engine, create_engine
from sqlalchemy.schema import CreateIndex, CreateTable

from queries.schema import SCHEMA_VERSION, metadata
from seed_data.generate import TABLE_ORDER, generate

CHUNK_ROWS = 20_000


def load(tables: dict[str, pd.DataFrame], engine: Engine, *, durable: bool = True) -> None:
    """Create the schema in an empty database and insert every table, in foreign-key order,
    in one transaction.

    Uses only SQLAlchemy Core inserts, so it works for any backend (SQLite, PostgreSQL).
    schema_info always gets schema_version and synthetic = "true". durable=False lets SQLite
    skip its journal and fsyncs: only for a file that is thrown away if loading fails.
    The indexes are built once the rows are in (quicker than keeping them up to date row by
    row), and ANALYZE then gives the query planner the tables' sizes, so it starts a join from
    the side that reads least.
    """
    tables = {"schema_info": _default_schema_info(), **tables}
    version = tables["schema_info"].set_index("key")["value"].get("schema_version")
    if version != SCHEMA_VERSION:
        raise ValueError(f"tables are for schema version {version!r}, not {SCHEMA_VERSION!r}")
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite" and not durable:
            conn.exec_driver_sql("PRAGMA journal_mode=OFF")
            conn.exec_driver_sql("PRAGMA synchronous=OFF")
        for table in metadata.sorted_tables:
            conn.execute(CreateTable(table))
        for name in TABLE_ORDER:
            if name not in tables:
                continue
            table = metadata.tables[name]
            frame = tables[name]
            for start in range(0, len(frame), CHUNK_ROWS):
                conn.execute(table.insert(), _records(frame.iloc[start : start + CHUNK_ROWS]))
        for table in metadata.sorted_tables:
            for index in table.indexes:
                conn.execute(CreateIndex(index))
        conn.commit()
        conn.exec_driver_sql("ANALYZE")
        conn.commit()


def _default_schema_info() -> pd.DataFrame:
    return pd.DataFrame(
        {"key": ["schema_version", "synthetic", "generator"], "value": [SCHEMA_VERSION, "true", "seed_data"]}
    )


def _records(frame: pd.DataFrame) -> list[dict[str, object]]:
    """Rows as dicts of plain Python values: dates as datetime.date, missing as None."""
    columns = {name: _python_values(frame[name]) for name in frame.columns}
    names = list(columns)
    return [dict(zip(names, row, strict=True)) for row in zip(*columns.values(), strict=True)]


def _python_values(column: pd.Series) -> list[object]:
    if pd.api.types.is_datetime64_any_dtype(column):
        # NaT becomes None when day-precision datetimes are turned into Python objects.
        return column.to_numpy(dtype="datetime64[D]").astype(object).tolist()
    missing = column.isna().to_numpy()
    values = column.astype(object).tolist()
    return [
        None if gap else (v.item() if isinstance(v, np.generic) else v) for v, gap in zip(values, missing, strict=True)
    ]


def build_sqlite(
    out_path: str | os.PathLike[str],
    scale: int = 1,
    seed: int = 42,
    as_at: dt.date | None = None,
    faults: bool = False,
) -> Path:
    """Generate and write a SQLite database at out_path (replacing any file there).

    The database is written to a temporary file beside out_path and renamed into place only
    when complete, so a reader never sees a half-written file.
    """
    out_path = Path(out_path).resolve()
    out_path.parent.mkdir(parents=True, exist_ok=True)
    tables = generate(scale=scale, seed=seed, as_at=as_at, faults=faults)
    handle, temp_name = tempfile.mkstemp(prefix=f".{out_path.name}.", suffix=".tmp", dir=out_path.parent)
    os.close(handle)
    os.chmod(temp_name, 0o644)  # mkstemp makes it private; the dashboard may run as another user
    try:
        engine = create_engine(URL.create("sqlite", database=temp_name))
        try:
            load(tables, engine, durable=False)
        finally:
            engine.dispose()
        os.replace(temp_name, out_path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return out_path
