"""A figure declared once (dashboard.figures) reads the same on the page and in the site report:
the same columns, in the same words, with the same protected cells, for every role."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import create_engine

from dashboard.privacy.disclosure import DisclosureRule
from dashboard.reports import site_report
from dashboard.shell.context import PageContext
from queries import meta
from queries.periods import Period
from queries.scope import Filters, Scope
from tests import case_db
from tests.test_outcomes import FY_PARAMS, OUTCOME_TABLES, open_page, tables

# The page's panel beside the report's section that shows the same figure.
SAME_FIGURE = {
    "Families with social care involved": "Social care involvement",
    "Babies within the normal range": "Babies within the normal range",
    "Parents with reliable improvement": "Parents with reliable improvement",
}
SOUTHBY = 2  # the site the test users file's commissioner commissions


@pytest.mark.parametrize("user", ["leader", "trustee", "commissioner"])
def test_the_site_reports_outcome_tables_are_the_pages(tmp_path, monkeypatch, user):
    url = case_db.served(tmp_path / "outcomes.sqlite", OUTCOME_TABLES, monkeypatch)
    shown = tables(open_page(user, {**FY_PARAMS, "sites": "Southby"}))
    role = {"leader": "leadership"}.get(user, user)
    scope = Scope("commissioner", frozenset({SOUTHBY})) if role == "commissioner" else Scope(role)
    engine = create_engine(url)
    with engine.connect() as conn:
        as_at = meta.data_as_at(conn)
    engine.dispose()
    view = PageContext(
        url,
        scope,
        Filters(Period.financial_year(2024), frozenset({SOUTHBY})),
        as_at,
        True,
        {1: "Northby", 2: "Southby"},
        DisclosureRule.for_role(role),
    )
    document = site_report.build(view, SOUTHBY)
    sections = {section.title: section for section in document.sections}
    compared = 0
    for panel, heading in SAME_FIGURE.items():
        if panel not in shown:
            continue
        on_page, on_paper = shown[panel], sections[heading].table
        assert on_paper is not None, heading
        assert list(on_paper.columns) == list(on_page.columns), heading
        pd.testing.assert_frame_equal(
            on_paper.reset_index(drop=True).astype(str), on_page.reset_index(drop=True).astype(str), obj=heading
        )
        compared += 1
    assert compared == len(SAME_FIGURE)
