"""The charting library's code (Plotly's, 4.7 MB) in Chromium: the browser loads it while a person
signs in, so the first page with a chart does not wait for it; and the speed harness does not count
a page as content while a chart is still a grey placeholder waiting for that code."""

from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.conftest import sign_in, wait_for_app
from tests.serving import APP_FINISHED, CHART, CONTENT_READY_JS

PLOTLY_CODE = "**/PlotlyChart.*.js"


def test_content_is_not_ready_while_charts_wait_for_their_code(page, dashboard_url):
    sign_in(page, dashboard_url, "leader")
    held = []
    # Requests held, not answered (Playwright turns the HTTP cache off while routing).
    page.route(PLOTLY_CODE, lambda route: held.append(route))
    page.goto(f"{dashboard_url}/caseloads")
    page.wait_for_selector(APP_FINISHED, timeout=60_000)
    with pytest.raises(PlaywrightTimeout):
        page.wait_for_function(CONTENT_READY_JS, arg="Site caseloads", timeout=3_000)
    assert held, "the page did not ask for Plotly's code"
    assert page.locator(CHART).count() == 0
    for route in held:
        route.continue_()
    page.unroute(PLOTLY_CODE)
    page.wait_for_function(CONTENT_READY_JS, arg="Site caseloads", timeout=60_000)
    # Site caseloads draws five charts: families, parents, practitioners, movement, stages.
    assert page.locator(CHART).count() == 5


def test_the_sign_in_form_has_the_browser_load_the_charting_code(page, dashboard_url):
    asked = []
    page.on("request", lambda request: asked.append(request.url) if "/PlotlyChart." in request.url else None)
    page.goto(dashboard_url)
    wait_for_app(page)
    assert page.get_by_role("button", name="Sign in").is_visible()
    assert asked, "the sign-in form did not have the browser load Plotly's code"
    # Loaded by an empty chart that nobody sees.
    assert page.locator(CHART).count() == 1 and not page.locator(CHART).is_visible()
