"""A table's CSV download in Chromium: the file is written when the button is clicked, and holds
the table exactly as its viewer may see it (for trustees, grouped and rounded)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from dashboard.privacy.disclosure import MARKER, DisclosureRule
from tests.browser.conftest import sign_in, wait_for_app


def _signed_in_page(browser, dashboard_url, username: str):
    context = browser.new_context(viewport={"width": 1400, "height": 2000}, accept_downloads=True)
    page = context.new_page()
    sign_in(page, dashboard_url, username)
    return context, page


def _download(page, panel_title: str) -> tuple[str, list[dict[str, str]]]:
    """Click the CSV button of the figure titled `panel_title` (found by its widget key, which
    Streamlit gives its element as a class) and read the file."""
    button = page.locator(f".st-key-csv-{panel_title.replace(' ', '-')} button")
    button.wait_for(state="visible", timeout=60_000)
    with page.expect_download(timeout=60_000) as started:
        button.click()
    download = started.value
    text = Path(download.path()).read_text(encoding="utf-8")
    return download.suggested_filename, list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("username, hidden", [("leader", False), ("trustee", True)])
def test_a_table_downloads_as_its_viewer_sees_it(browser, dashboard_url, username, hidden):
    context, page = _signed_in_page(browser, dashboard_url, username)
    try:
        page.goto(f"{dashboard_url}/caseloads")
        wait_for_app(page)
        name, rows = _download(page, "Enrolments and exits")  # by month, site and movement
    finally:
        context.close()
    assert name.startswith("enrolments-and-exits_") and name.endswith(".csv")
    counts = [row["Families"] for row in rows]
    threshold = DisclosureRule.for_role("trustee").threshold
    small = [c for c in counts if c != MARKER and 0 < float(c.replace(",", "")) <= threshold]
    if hidden:
        # Trustees: the organisation's split by period (not each site's), every count 0, a
        # multiple of 5 or the marker.
        assert rows and list(rows[0]) == ["Period", "Enrolled or exit reason", "Families"]
        assert all(c == MARKER or int(c.replace(",", "")) % 5 == 0 for c in counts)
        assert not small
    else:
        # Leadership sees exact figures, by month and site: the demo's small counts among them.
        assert rows and list(rows[0]) == ["Month", "Site", "Enrolled or exit reason", "Families"]
        assert small and MARKER not in counts
