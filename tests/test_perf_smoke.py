"""A quick smoke of the benchmark harness (python -m tests.perf): scale 1, AppTest only.

It checks that the harness runs end to end and measures every view the leadership role gets,
not the figures themselves (docs/performance.md has those, from a full run).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard.navigation import views_for

ROOT = Path(__file__).resolve().parents[1]
SMOKE_SECONDS = 240  # usually well under a minute; generous for a busy machine


def test_the_harness_measures_every_leadership_page_at_scale_1(tmp_path):
    out = tmp_path / "results.json"
    # The harness sets its own database, users file and cookie key; the suite's must not leak in.
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "USERS_FILE", "AUTH_COOKIE_KEY", "AUDIT_DATABASE_URL")}
    result = subprocess.run(
        [sys.executable, "-m", "tests.perf", "--scales", "1", "--no-browser", "--roles", "leadership",
         "--bench-dir", str(tmp_path / "bench"), "--out", str(out), "--sql-repeats", "1", "--no-profile"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=SMOKE_SECONDS)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]

    printed = result.stdout
    tables = printed.split("# Results", 1)[1]
    for view in views_for("leadership"):
        assert f"| leadership | {view.title}" in tables, f"{view.title} missing from the printed table"
    assert "## Targets" in printed and "scale-1 database generation" in printed
    assert "Speed probe" in printed

    results = json.loads(out.read_text())
    assert results["machine"]["speed_probe_s"] > 0 and results["speed_probe_end_s"] > 0
    (scale,) = results["scales"]
    assert scale["database"]["scale"] == 1 and scale["database"]["rows"]["sessions"] > 0
    pages = {p["page"]: p for p in scale["server_side"]["pages"]}
    assert set(pages) == {v.url_path for v in views_for("leadership")}
    for page in pages.values():
        assert page["first_render_s"] > 0 and page["rerun_same_s"] > 0
        assert page["peak_rss_mb"] > 0
    # The query recorder saw the pages' queries, and they were timed directly.
    assert any(p["queries"] for p in pages.values())
    assert all(q["seconds"] >= 0 for p in pages.values() for q in p["queries"])
    assert {t["target"] for t in results["targets"]} >= {"first_render_s", "generation_s", "peak_memory_mb"}


def test_the_harness_looks_for_installed_components_once_as_a_server_does():
    # AppTest would look again for each new app, inside the first render it times.
    from tests.perf.server_side import new_app

    first, second = new_app("leader", "overview.py"), new_app("trustee", "engagement.py")
    assert first._bidi_component_manager is not None
    assert first._bidi_component_manager is second._bidi_component_manager


def test_browser_passes_are_combined_as_each_figures_median():
    from tests.perf.browser import _median_of_passes

    def load(to_content, exceptions=0, charts_drawn=None, charts=5):
        return {"to_content_s": to_content, "server_cpu_s": 0.5, "charts_drawn_s": charts_drawn,
                "exceptions": exceptions, "charts": charts}

    def entry(cold, warm=None, **extra):
        return {"role": "trustee", "page": "caseloads", "title": "Site caseloads", "sign_in_s": 1.0,
                "cold": cold, **({"warm": warm} if warm else {}), **extra}

    passes = [[entry(load(2.9, charts_drawn=3.0), load(1.2))],
              [entry(load(2.1, exceptions=1, charts=3), load(1.4))],
              [entry(load(2.3, charts_drawn=2.5), error="TimeoutError: page never finished")]]
    (combined,) = _median_of_passes(passes)
    assert combined["cold"]["to_content_s"] == 2.3 and combined["cold"]["to_content_samples_s"] == [2.9, 2.1, 2.3]
    assert combined["cold"]["charts_drawn_s"] == 2.75  # the median of the two passes that saw charts drawn
    assert combined["cold"]["exceptions"] == 1  # an exception in any pass is reported
    assert combined["cold"]["charts"] == 3 and combined["warm"]["charts"] == 5  # a chart missing in any pass
    assert combined["warm"]["to_content_s"] == 1.3  # two warm loads: their mean
    assert combined["error"].startswith("TimeoutError")


def test_browser_passes_are_combined_page_by_page_whatever_their_order():
    from tests.perf.browser import _median_of_passes

    def entry(page, to_content):
        return {"role": "leadership", "page": page, "title": page.title(), "sign_in_s": 0.9,
                "cold": {"to_content_s": to_content, "charts": 2, "exceptions": 0}}

    passes = [[entry("overview", 0.5), entry("outcomes", 1.4)],
              [entry("outcomes", 1.2), entry("overview", 0.7)],
              [entry("outcomes", 1.0)]]  # overview missing from the last pass
    combined = {e["page"]: e["cold"] for e in _median_of_passes(passes)}
    assert combined["outcomes"]["to_content_s"] == 1.2
    assert combined["outcomes"]["to_content_samples_s"] == [1.4, 1.2, 1.0]
    assert combined["overview"]["to_content_s"] == 0.6 and combined["overview"]["to_content_samples_s"] == [0.5, 0.7]


def test_the_harness_refuses_no_browser_passes():
    from tests.perf.__main__ import parse_args

    assert parse_args(["--browser-repeats", "3"]).browser_repeats == 3
    with pytest.raises(SystemExit):
        parse_args(["--browser-repeats", "0"])
