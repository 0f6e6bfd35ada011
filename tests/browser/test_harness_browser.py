"""The benchmark harness's Chromium pass (python -m bench, run as a program), at scale 1: it measures
a page chosen with --pages even when that page is not where the role lands after signing in."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.browser.conftest import ROOT

HARNESS_SECONDS = 420  # about a minute and a half; generous for a busy machine


def test_the_chromium_pass_measures_a_page_other_than_the_landing_page(tmp_path):
    out = tmp_path / "results.json"
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
            "--users",
            "0",
            "--roles",
            "trustee",
            "--pages",
            "board_pack",
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
        timeout=HARNESS_SECONDS,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]

    (scale,) = json.loads(out.read_text())["scales"]
    # The trustee lands on the Overview; the pass must wait for that, not for the Board pack.
    assert "browser_error" not in scale, scale.get("browser_error")
    (page,) = scale["browser"]["pages"]
    assert page["page"] == "board_pack", page["page"]
    assert "error" not in page, page["error"]
    assert page["cold"]["to_content_s"] > 0 and page["cold"]["exceptions"] == 0
