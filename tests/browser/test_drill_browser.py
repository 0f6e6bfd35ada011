"""Leadership's drill-down in Chromium: a click on a bar of Site caseloads, and a chosen row of a
table on Engagement, each open the case list of exactly the cases behind it, in a URL that holds
its filters, and each opening is in the audit log."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from dashboard.words import labels
from tests.browser.conftest import TABLE, screenshot, wait_for_app
from tests.browser.test_sign_in_browser import sign_in

# Streamlit's dataframe (glide-data-grid) draws on a canvas: rows of this height under a header
# of the same height, and a column of row markers (the selection checkboxes) at the left.
ROW_HEIGHT = 35
ROW_MARKER_X = 15


@pytest.fixture
def leader(page, dashboard_url):
    page.goto(dashboard_url)
    wait_for_app(page)
    sign_in(page, "leader")
    return page


def wait_for_case_list(page) -> None:
    page.get_by_role("heading", name="Case list").wait_for(timeout=60_000)
    wait_for_app(page, 1500)
    assert page.locator("[data-testid='stException']").count() == 0


def shown_count(page) -> int:
    heading = page.get_by_role("heading", name="open cases").inner_text()
    return int(heading.split()[0].replace(",", ""))


def case_rows(page) -> list[list[str]]:
    """The case list's rows as its accessible table gives them (the canvas has no text)."""
    grid = page.locator(TABLE).first
    rows = grid.locator("table tbody tr")
    return [rows.nth(i).locator("td").all_inner_texts() for i in range(rows.count())]


def newest_audit_record(page, dashboard_url) -> list[str]:
    page.goto(f"{dashboard_url}/audit_log")
    wait_for_app(page)
    page.get_by_role("heading", name="Audit log").wait_for()
    return page.locator(f"{TABLE} table tbody tr").first.locator("td").all_inner_texts()


def test_a_click_on_a_bar_opens_its_cases(leader, dashboard_url):
    page = leader
    page.goto(f"{dashboard_url}/caseloads")
    wait_for_app(page)
    chart = page.locator(".st-key-chart-Open-cases-by-stage")
    chart.scroll_into_view_if_needed()
    # What the first bar stands for, and its length, as the drawn figure holds them.
    site, stage, families = chart.locator(".js-plotly-plot").evaluate(
        "gd => [...gd.data[0].customdata[0], gd.calcdata[0][0].s]"
    )
    assert families > 0
    bar = chart.locator(".barlayer .trace").first.locator(".point").first.bounding_box()
    # Plotly's drag layer lies over the bars and takes a locator's click: click where the bar is.
    page.mouse.click(bar["x"] + bar["width"] / 2, bar["y"] + bar["height"] / 2)
    wait_for_case_list(page)
    screenshot(page, "drill-bar-case-list")

    query = parse_qs(urlparse(page.url).query)
    assert query["sites"] == [site] and query["stage"] == [stage]
    assert shown_count(page) == families
    rows = case_rows(page)  # those drawn so far: the grid draws a long list as it scrolls
    assert 0 < len(rows) <= families
    assert {row[1:3] == [site, stage] for row in rows} == {True}

    record = newest_audit_record(page, dashboard_url)
    assert record[1:4] == ["leader", "leadership", "case list"]
    assert f'"sites": ["{site}"]' in record[4]
    assert f'"stage": "{labels.code_for("stage", stage)}"' in record[4]


def test_a_chosen_table_row_opens_its_cases(leader, dashboard_url):
    page = leader
    page.goto(f"{dashboard_url}/engagement")
    wait_for_app(page)
    # Streamlit draws only the open tab: the panel's tabs are the ones around its chart.
    key = "Who-is-engaged-now--by-site"  # the widget key's class, its comma made a dash
    tabs = page.locator("[data-testid='stTabs']").filter(has=page.locator(f".st-key-chart-{key}"))
    tabs.get_by_role("tab", name="Table").click()
    grid = page.locator(f".st-key-table-{key} {TABLE}")
    grid.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    rows = grid.locator("table tbody tr")
    table = [rows.nth(i).locator("td").all_inner_texts() for i in range(rows.count())]
    # The first row with more than one family (any row would do; a larger one shows more).
    index = next(i for i, (_, _, families) in enumerate(table) if int(families) > 1)
    site, engaged, families = table[index]
    canvas = grid.locator("canvas").first.bounding_box()
    page.mouse.click(canvas["x"] + ROW_MARKER_X, canvas["y"] + ROW_HEIGHT * (index + 1) + ROW_HEIGHT / 2)
    wait_for_case_list(page)
    screenshot(page, "drill-row-case-list")

    query = parse_qs(urlparse(page.url).query)
    assert query["sites"] == [site] and query["engaged"] == [engaged]
    assert shown_count(page) == int(families)
    assert {row[1] for row in case_rows(page)} == {site}

    record = newest_audit_record(page, dashboard_url)
    assert record[1:4] == ["leader", "leadership", "case list"]
    assert f'"sites": ["{site}"]' in record[4]
