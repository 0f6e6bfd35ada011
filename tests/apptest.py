"""Opening the dashboard in AppTest as a signed-in user."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from dashboard.privacy.disclosure import MARKER

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "dashboard" / "app.py")


def page_file(name: str) -> str:
    return str(ROOT / "pages" / f"{name}.py")


def open_app(
    user: str | None = "leader", query_params: dict[str, str] | None = None, page: str | None = None
) -> AppTest:
    """Run the app (DATABASE_URL must be set) as `user` (None: signed out), optionally opening
    `page` as if its URL were typed: chosen before the first run, it is found by its URL path,
    whatever the role's navigation registers there."""
    app = AppTest.from_file(APP, default_timeout=60)
    app.query_params.update(query_params or {})
    if user:
        app.session_state["authentication_status"] = True
        app.session_state["username"] = user
        app.session_state["name"] = user
    if page:
        app.switch_page(page_file(page))
    return app.run()


def text_of(app: AppTest) -> str:
    kinds = ("title", "subheader", "markdown", "caption", "error", "info", "warning", "success")
    return "\n".join(str(element.value) for kind in kinds for element in getattr(app, kind))


def infos_under(app, title: str) -> list[str]:
    """The info messages of the panel titled `title` (between its subheader and the next)."""
    found, current = [], None
    for node in app.main:
        if node.type == "subheader":
            current = node.value
        elif node.type == "info" and current == title:
            found.append(node.value)
    return found


# Headers of columns that are not counts of families or parents: shares, rates and statistics,
# which the rule shows as they are once they rest on enough cases, and the staff in post (a
# reference, as a target caseload is). Every other column of a table is read as counts, so a count
# column added or renamed is checked without this list knowing of it.
NOT_A_COUNT = re.compile(
    r"share|rate|per 100|%|median|mean|average|days|weeks|months|points|practitioners in post", re.I
)


def count_columns(frame: pd.DataFrame) -> dict[str, pd.Series]:
    """Each column of a shown table that holds counts, as numbers (the marker, "–" and words are
    no number; a column holding the marker is all text, so "10" is read as 10)."""
    columns = {}
    for column in frame.columns:
        if NOT_A_COUNT.search(str(column)):
            continue
        cells = frame[column].astype(str).str.replace(",", "")
        numbers = pd.to_numeric(cells, errors="coerce")
        if numbers.notna().any() or (cells == MARKER).any():
            columns[str(column)] = numbers.dropna()
    return columns


def unprotected_counts(frame: pd.DataFrame) -> list[tuple[str, float]]:
    """The counts of a shown table that a trustee or commissioner must never see: any but 0, a
    multiple of 5 and the marker."""
    return [(column, n) for column, numbers in count_columns(frame).items() for n in numbers if n % 5]
