"""What the browser tests (tests/browser) and the benchmark harness (bench/) both need: the dashboard
served by `streamlit run` on a free loopback port, Debian's Chromium and how to launch it, and the
page elements that say a page has been drawn.

bench/ imports this module; no test imports bench/. Keep it small: only what both sides use.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Streamlit draws a chart or table as a grey placeholder until that element's code has loaded
# (its own file, fetched on first use and run again on every full page load). A run can end while
# the placeholders are still showing: that is not yet content a person can read.
PLACEHOLDER = "[data-testid='stSkeleton']"
# The app's script run has finished (Streamlit marks its root element so).
APP_FINISHED = "[data-testid='stApp'][data-test-script-state='notRunning']"
CHART = "[data-testid='stPlotlyChart']"
# For page.wait_for_function(CONTENT_READY_JS, arg=title): the page's title is on screen, the app's
# script run has finished, and no placeholder is left.
CONTENT_READY_JS = f"""(title) => {{
  if (!document.querySelector("{APP_FINISHED}") || document.querySelector("{PLACEHOLDER}")) return false;
  return [...document.querySelectorAll("[data-testid='stMain'] h1")].some(h => h.textContent.includes(title));
}}"""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (at the moment of asking)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class StreamlitServer:
    """`streamlit run dashboard/app.py` on a free 127.0.0.1 port with `env`, its output in
    `log_path`; once constructed it answers its health check (else RuntimeError, the server
    stopped). No file watching: others edit the app while tests and benchmarks run."""

    def __init__(self, env: dict[str, str], log_path: Path, start_seconds: float):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.log = log_path.open("w")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "dashboard/app.py",
                "--server.headless",
                "true",
                "--server.address",
                "127.0.0.1",
                "--server.port",
                str(self.port),
                "--browser.gatherUsageStats",
                "false",
                "--server.fileWatcherType",
                "none",
                "--server.runOnSave",
                "false",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + start_seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.stop()
                raise RuntimeError(f"the dashboard server exited (code {self.process.returncode}); see {log_path}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"the dashboard server did not start within {start_seconds:.0f} s; see {log_path}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.log.close()
