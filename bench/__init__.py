"""Benchmark harness for the dashboard: `python -m bench --help`.

Not part of the pass/fail test run. It measures and reports; it never changes the app. Modules:

- `databases`: builds the synthetic demo databases once per (scale, seed, as-at, faults) and
  caches them, with their generation time and peak memory, in a bench folder (default `.bench/`).
- `server_side`: renders every page for every role in Streamlit's AppTest (one child process per
  scale), records the query functions each page calls, and times them directly against the engine.
- `browser`: a real `streamlit run` on 127.0.0.1 and Debian's Chromium: time to content per page
  and role, then a bounded run of N simultaneous users.
- `report`: the tables, the JSON and PASS/MISS against the targets.
- `self_check`: the harness's own arithmetic on made-up figures (`python -m bench.self_check`).
- `disclosure_coverage`, `indexes`: one-off reports (see their docstrings).

Imports go one way: the harness imports the small test-support modules it shares with the browser
tests (`tests.serving`: the server on loopback, Chromium's launch options, when a page is drawn;
`tests.streamlit_messages`: websocket messages in words); no test imports `bench`. The tests run
the harness only as a program (`python -m bench ...`, tests/test_perf_smoke.py and
tests/browser/test_harness_browser.py) and check what it prints and writes.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_BENCH_DIR = ROOT / ".bench"
DEFAULT_AS_AT = "2026-11-01"  # fixed, so a cached database stays valid from day to day
DEFAULT_SEED = 42
USERS_FILE = ROOT / "seed_data" / "demo_users.yaml"
# Any 32+ character string that is not a published default (the harness runs its own server).
COOKIE_KEY = "perf-harness-cookie-key-0123456789-abcdefghijklmnop"
# The demo account that signs in for each role (every password is "fbs-demo").
USER_OF_ROLE = {"leadership": "leader", "trustee": "trustee", "commissioner": "commissioner"}
DEMO_PASSWORD = "fbs-demo"
