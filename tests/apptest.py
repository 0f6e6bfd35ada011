"""Opening the dashboard in AppTest as a signed-in user."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "dashboard" / "app.py")


def page_file(name: str) -> str:
    return str(ROOT / "pages" / f"{name}.py")


def open_app(user: str | None = "leader", query_params: dict[str, str] | None = None,
             page: str | None = None) -> AppTest:
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
