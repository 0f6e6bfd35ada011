"""A real dashboard server on loopback and a real (Debian) Chromium, for what a person sees."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.serving import APP_FINISHED, CHROMIUM, CHROMIUM_ARGS, PLACEHOLDER, StreamlitServer

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
TABLE = "[data-testid='stDataFrame']"  # Streamlit's table (glide-data-grid)
START_SECONDS = 90


@pytest.fixture(scope="session")
def dashboard_url(tmp_path_factory):
    """The dashboard on the demo database (made fresh for this run), as a newcomer would start it."""
    demo = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "USERS_FILE", "AUTH_COOKIE_KEY")}
    env["DEMO_DATABASE_PATH"] = str(demo)
    try:
        server = StreamlitServer(env, tmp_path_factory.getbasetemp() / "streamlit.log", START_SECONDS)
    except RuntimeError as problem:
        pytest.fail(f"The dashboard did not start: {problem}")
    yield server.url
    server.stop()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium is needed for the browser tests and is not at {CHROMIUM}: "
            "bin/test installs Debian's chromium when run as root (apt-get install -y chromium)."
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 2000})
    yield context.new_page()
    context.close()


def wait_for_app(page, settle_ms: int = 800) -> None:
    """Until the app has finished its run (and any rerun it started), and every chart and table
    has replaced its grey placeholder (a run can end before their code has loaded)."""
    page.wait_for_selector(APP_FINISHED, timeout=60_000)
    page.wait_for_timeout(settle_ms)
    page.wait_for_selector(APP_FINISHED, timeout=60_000)
    page.wait_for_selector(PLACEHOLDER, state="detached", timeout=60_000)


def sign_in(page, dashboard_url: str, username: str) -> None:
    """Open the dashboard and sign in through the form as a demo account (password fbs-demo)."""
    page.goto(dashboard_url)
    wait_for_app(page)
    page.get_by_role("textbox", name="Username").fill(username)
    page.get_by_role("textbox", name="Password").fill("fbs-demo")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Sign in").wait_for(state="detached", timeout=30_000)
    wait_for_app(page)


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    # Generous: a tall page on a busy 2-core machine can take a while to paint.
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), timeout=120_000)
