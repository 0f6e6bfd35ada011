"""What the speed harness counts as a page's content being on screen, in Chromium: not while a
chart is still a grey placeholder waiting for its code. Plotly's code is held back here, so the
app's run ends well before the charts can be drawn."""

from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.conftest import APP_DONE, sign_in
from tests.perf.browser import CONTENT_READY_JS

PLOTLY_CODE = "**/PlotlyChart.*.js"
CHART = "[data-testid='stPlotlyChart']"


def test_content_is_not_ready_while_charts_wait_for_their_code(page, dashboard_url):
    sign_in(page, dashboard_url, "leader")
    held = []
    # Requests held, not answered (Playwright turns the HTTP cache off while routing).
    page.route(PLOTLY_CODE, lambda route: held.append(route))
    page.goto(f"{dashboard_url}/caseloads")
    page.wait_for_selector(APP_DONE, timeout=60_000)
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
