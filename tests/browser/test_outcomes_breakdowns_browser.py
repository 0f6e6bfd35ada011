"""Outcome trends broken down by site and by enrolment cohort in Chromium, on the demo database:
opened from a shared URL, every panel draws its chart without an exception box, and the page has
no serious or critical accessibility violation."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.conftest import screenshot, sign_in, wait_for_app
from tests.serving import CHART

MEASURES = ("social_care_by", "babies_by", "wellbeing_by")


@pytest.mark.parametrize("breakdown", ["By site", "By enrolment cohort"])
def test_a_shared_breakdown_link_draws_every_panel(page, dashboard_url, breakdown):
    sign_in(page, dashboard_url, "trustee")
    query = urlencode({"period": "Custom range", "from": "2022-04-01", **dict.fromkeys(MEASURES, breakdown)})
    page.goto(f"{dashboard_url}/outcomes?{query}")
    wait_for_app(page)
    assert page.locator("[data-testid='stException']").count() == 0
    suffix = breakdown.lower()
    for title in (
        "Social care involvement",
        "Babies within the normal range",
        "Parents' wellbeing: change from entry",
        "Parents with reliable improvement",
    ):
        assert page.get_by_role("heading", name=f"{title} {suffix}", exact=True).is_visible(), title
    # Waited for (bounded): on a busy machine the browser can still be drawing charts, as grey
    # placeholders, after the app's run has ended.
    expect(page.locator(CHART)).to_have_count(4, timeout=30_000)
    screenshot(page, f"trustee-outcomes-{suffix.replace(' ', '-')}")
    serious = [v["id"] for v in Axe().run(page).response["violations"] if v["impact"] in {"serious", "critical"}]
    assert not serious
