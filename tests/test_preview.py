"""Leadership's preview of the dashboard as a trustee or a site's commissioner would see it
(dashboard/shell/preview.py): their scope, rule, pages and periods, with a banner; nobody else has it.

The figures are conftest's OVERVIEW_TABLES in 2024/25 Q3: three referrals received (Northby's
on 1 October and 31 December, Southby's on 15 November), Southby's one of them.
"""

from __future__ import annotations

import pytest

from dashboard.privacy.disclosure import MARKER
from dashboard.shell.preview import PREVIEW_KEY
from tests import case_db
from tests.apptest import open_app, text_of
from tests.conftest import OVERVIEW_TABLES

Q3 = {"period": "Quarter", "quarter": "2024/25 Q3"}
BANNER = "Preview: you are seeing this page as"


@pytest.fixture
def fixture_db(tmp_path, monkeypatch):
    return case_db.served(tmp_path / "cases.sqlite", OVERVIEW_TABLES, monkeypatch)


def referrals_tile(app) -> str:
    return {m.label: m.value for m in app.metric}["Referrals received"]


def test_leadership_sees_its_own_exact_figures_without_a_preview(fixture_db):
    app = open_app("leader", Q3)
    assert not app.exception
    assert referrals_tile(app) == "3" and BANNER not in text_of(app)
    assert app.selectbox(key=PREVIEW_KEY).options[0] == "Leadership (exact figures)"


def test_a_preview_as_a_trustee_shows_the_trustees_figures_and_says_so(fixture_db):
    app = open_app("leader", {**Q3, PREVIEW_KEY: "A trustee"})
    assert not app.exception
    assert referrals_tile(app) == MARKER  # 3, a count from 1 to 7
    assert f"{BANNER} a trustee would" in text_of(app)
    # A trustee's periods, and a trustee's pages: no Data quality, no case list.
    assert app.radio(key="period").options == ["Financial year", "Quarter"]
    menu = [link.proto.label for link in app.get("page_link")]
    assert "Board pack" in menu and "Data quality" not in menu and "Case list" not in menu


def test_a_preview_as_a_commissioner_is_bounded_to_their_site(fixture_db):
    app = open_app("leader", {**Q3, PREVIEW_KEY: "The commissioner of Southby"})
    assert not app.exception
    assert app.multiselect(key="sites").options == ["Southby"]
    assert referrals_tile(app) == MARKER  # Southby's 1
    assert f"{BANNER} the commissioner of Southby would" in text_of(app)
    menu = [link.proto.label for link in app.get("page_link")]
    assert "Site report" in menu and "Board pack" not in menu


def test_only_leadership_can_preview(fixture_db):
    # A commissioner who types a preview into the address still sees only their own view.
    app = open_app("commissioner", {**Q3, PREVIEW_KEY: "A trustee"})
    assert not app.exception
    assert not [box for box in app.selectbox if box.key == PREVIEW_KEY]
    assert app.multiselect(key="sites").options == ["Southby"] and BANNER not in text_of(app)
