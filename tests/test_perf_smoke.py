"""A quick smoke of the benchmark harness (python -m bench): scale 1, AppTest only.

It checks that the harness runs end to end and measures every view the leadership role gets,
not the figures themselves (docs/performance.md has those, from a full run). The harness is run
as a program and never imported: it may use the tests' support modules, the tests never use it
(bench/__init__.py).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from dashboard.shell.navigation import views_for

ROOT = Path(__file__).resolve().parents[1]
SMOKE_SECONDS = 240  # usually well under a minute; generous for a busy machine


def test_the_harness_measures_every_leadership_page_at_scale_1(tmp_path):
    out = tmp_path / "results.json"
    # The harness sets its own database, users file and cookie key; the suite's must not leak in.
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "USERS_FILE", "AUTH_COOKIE_KEY", "AUDIT_DATABASE_URL")
    }
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench",
            "--scales",
            "1",
            "--no-browser",
            "--roles",
            "leadership",
            "--bench-dir",
            str(tmp_path / "bench"),
            "--out",
            str(out),
            "--sql-repeats",
            "1",
            "--no-profile",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=SMOKE_SECONDS,
    )
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
    assert {t["target"] for t in results["targets"]} >= {"first_render_s", "generation_s", "peak_memory_mb", "ratio"}
    # The ratio target judges every page against its own allowance, and says so.
    (ratio,) = [t for t in results["targets"] if t["target"] == "ratio"]
    assert ratio["status"] in ("PASS", "MISS") and ratio["limit"] >= 0.3
    assert "pages over their allowance" in ratio["where"]
    assert "max(1.5 × SQL, SQL + 0.3 s)" in printed.split("## Targets", 1)[1]


# What bench.self_check checks, by name: a check dropped from it is noticed here.
SELF_CHECKS = {
    "browser_passes_are_combined_as_each_figures_median",
    "browser_passes_are_combined_page_by_page_whatever_their_order",
    "the_ratio_target_allows_the_larger_of_its_two_allowances",
    "the_harness_looks_for_installed_components_once_as_a_server_does",
}


def _harness(*arguments: str, timeout: float) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *arguments], cwd=ROOT, capture_output=True, text=True, timeout=timeout)


def test_the_harness_checks_its_own_arithmetic():
    # The median of browser passes, the ratio target's allowance, one look for installed components.
    result = _harness("bench.self_check", timeout=120)
    lines = result.stdout.splitlines()
    failed = [line for line in lines if line.startswith("FAIL")]
    assert result.returncode == 0 and not failed, "\n".join(failed) or result.stdout[-3000:] + result.stderr[-3000:]
    assert {line.split()[1] for line in lines if line.startswith("ok ")} == SELF_CHECKS, result.stdout
    assert f"{len(SELF_CHECKS)} of {len(SELF_CHECKS)} checks passed" in result.stdout


def test_the_harness_refuses_no_browser_passes():
    refused = _harness("bench", "--browser-repeats", "0", timeout=60)
    assert refused.returncode == 2, refused.stdout[-2000:] + refused.stderr[-2000:]
    assert "--browser-repeats: must be 1 or more" in refused.stderr
    # A number of passes is an option the harness knows (and --help starts nothing).
    helped = _harness("bench", "--help", timeout=60)
    assert helped.returncode == 0 and "--browser-repeats BROWSER_REPEATS" in helped.stdout
