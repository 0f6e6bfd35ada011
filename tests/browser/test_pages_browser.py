"""Every page for every role in Chromium: it finishes without an exception box, shows its heading,
has no serious or critical accessibility violation (axe-core), and is screenshotted; every page the
role may not open says so at its URL."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from dashboard.shell.navigation import VIEWS, views_for
from tests.browser.conftest import TABLE, screenshot, sign_in, wait_for_app
from tests.serving import CHART

ROLES = {"leader": "leadership", "trustee": "trustee", "commissioner": "commissioner"}
FAILING_IMPACTS = {"serious", "critical"}
# Violations that come from Streamlit's own markup and that the project cannot fix, by rule id,
# with the reason (docs/accessibility.md lists them). Empty while none are seen.
STREAMLIT_OWN: dict[str, str] = {}
AXE = Axe()
FIGURES = f"{CHART}, [data-testid='stMetric'], {TABLE}"
# Pages that open without figures until someone acts: no case chosen yet, nobody audited yet.
OPEN_EMPTY = {"case_timeline", "audit_log"}


@pytest.fixture(scope="module", params=list(ROLES))
def signed_in(request, browser, dashboard_url):
    """A browser context signed in as one demo account, shared by that role's page visits."""
    context = browser.new_context(viewport={"width": 1400, "height": 2200})
    page = context.new_page()
    sign_in(page, dashboard_url, request.param)
    yield request.param, page
    context.close()


def shows_a_figure(page) -> bool:
    """Whether a chart, metric or table appears. Waited for (bounded): on a busy machine the
    browser can still be drawing a page's elements, as grey placeholders, after its run ends."""
    try:
        page.locator(FIGURES).first.wait_for(state="attached", timeout=30_000)
    except PlaywrightTimeout:
        return False
    return True


def visits(role: str):
    return [(view, view in views_for(role)) for view in VIEWS]


def test_every_page_as_every_role(signed_in, dashboard_url):
    username, page = signed_in
    role = ROLES[username]
    failures = []
    for view, allowed in visits(role):
        page.goto(f"{dashboard_url}/{view.url_path}")
        wait_for_app(page)
        if page.locator("[data-testid='stException']").count():
            failures.append(f"{view.title}: an exception box is shown")
        if not page.get_by_role("heading", name=view.title, exact=True).first.is_visible():
            failures.append(f"{view.title}: its heading is missing")
        if not allowed:
            if not page.get_by_text("not available for your role").is_visible():
                failures.append(f"{view.title}: a {role} reached it by URL")
            continue
        if view.url_path not in OPEN_EMPTY and not shows_a_figure(page):
            failures.append(f"{view.title}: no chart, figure or table is shown")
        screenshot(page, f"{username}-{view.url_path}")
        for violation in AXE.run(page).response["violations"]:
            if violation["impact"] in FAILING_IMPACTS and violation["id"] not in STREAMLIT_OWN:
                targets = [node["target"] for node in violation["nodes"][:3]]
                failures.append(f"{view.title}: axe {violation['id']} ({violation['impact']}) at {targets}")
    assert not failures, "\n".join(failures)


def test_the_sign_in_page_is_accessible(page, dashboard_url):
    page.goto(dashboard_url)
    wait_for_app(page)
    serious = [v["id"] for v in AXE.run(page).response["violations"] if v["impact"] in FAILING_IMPACTS]
    assert not serious
