"""Where the project's own files are, for the modules that read them (demo data, pages, users)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT / "pages"
SEED_DATA = ROOT / "seed_data"
