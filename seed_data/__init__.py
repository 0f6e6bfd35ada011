"""Deterministic synthetic case data and the demo SQLite database.

from seed_data import generate, load, build_sqlite
tables = generate(scale=1, seed=42)           # dict of DataFrames, one per table
build_sqlite("demo.sqlite", scale=1, seed=42) # or: python -m seed_data --out demo.sqlite
"""

from seed_data.generate import generate
from seed_data.load import build_sqlite, load

__all__ = ["build_sqlite", "generate", "load"]
