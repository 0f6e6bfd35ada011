"""Every setting the dashboard reads, in one place: from the environment or, under the same name,
from `secrets.toml` (in its `[auth]` table, in lower or upper case, or at its top level). The entry
script reads them all at the start of every run, before anything else, so a bad value stops the
dashboard with a message naming the setting before any figure is drawn; the few modules that
need one later read it again here.

The secrets are read here, not through Streamlit, so that this module, and everything that needs
a setting, works outside a Streamlit run too. As Streamlit does, both the user's
`~/.streamlit/secrets.toml` and the working directory's `.streamlit/secrets.toml` are read, the
latter winning where both set a value. When the server starts, Streamlit also copies the top-level
values of the secrets into the environment, so a top-level value there wins over an environment
variable of the same name; values in `[auth]` do not, which is why the README recommends `[auth]`.
"""

from __future__ import annotations

import math
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dashboard.paths import SEED_DATA
from dashboard.problems import SetupProblem

# Each setting, with what it is for (the README lists them the same way).
SETTINGS = {
    "DATABASE_URL": "the case database, read only (unset: the synthetic demo database)",
    "DEMO_DATABASE_PATH": "where the demo database is created on first run",
    "USERS_FILE": "the streamlit-authenticator credentials file",
    "AUTH_COOKIE_KEY": "the secret that signs the sign-in cookie",
    "AUTH_COOKIE_EXPIRY_DAYS": "how long a sign-in is remembered (0: not at all)",
    "PSEUDONYM_SECRET": "the key for case pseudonyms in leadership's drill-down",
    "SUPPRESSION_THRESHOLD": "the largest count shown to trustees and commissioners only as a marker",
    "AUDIT_DATABASE_URL": "the audit log of drill-downs",
}
DEFAULT_DEMO_DATABASE = SEED_DATA / "demo.sqlite"


def secrets_files() -> tuple[Path, ...]:
    """Where the secrets are, in the order they are read (a later file's values win)."""
    project = Path(".streamlit") / "secrets.toml"
    try:
        return (Path.home() / ".streamlit" / "secrets.toml", project)
    except RuntimeError:  # no home directory to look in
        return (project,)


def _secrets() -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for path in secrets_files():
        if not path.is_file():
            continue
        try:
            found = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as problem:
            raise SetupProblem(
                f"The secrets file {path} cannot be read.",
                (type(problem).__name__,),
                "Correct the file (it is TOML) or remove it, then restart the dashboard.",
            ) from None
        if not isinstance(found.get("auth", {}), dict):
            raise SetupProblem(
                f"In the secrets file {path}, auth is not a table.",
                advice='Write the settings under a line [auth], one name = "value" a line.',
            )
        merged = {**merged, **found, "auth": {**merged.get("auth", {}), **found.get("auth", {})}}
    return merged


def _given(value: object) -> str | None:
    return None if value is None or str(value).strip() == "" else str(value)


def raw(name: str, secrets: Mapping[str, Any] | None = None) -> str | None:
    """One setting as text, unchecked: the first of the environment, the secrets' `[auth]` table
    (in lower, then upper case) and their top level (upper, then lower case) that gives it a value
    that is not blank; else None."""
    secrets = _secrets() if secrets is None else secrets
    auth = secrets.get("auth", {})
    places = (
        os.environ.get(name),
        auth.get(name.lower()),
        auth.get(name),
        secrets.get(name),
        secrets.get(name.lower()),
    )
    return next((value for value in map(_given, places) if value is not None), None)


@dataclass(frozen=True)
class Settings:
    """The settings of this run, as read (None: not set)."""

    database_url: str | None
    demo_database_path: Path
    users_file: Path | None
    cookie_key: str | None
    cookie_expiry_days: float | None
    pseudonym_secret: str | None
    suppression_threshold: str | None  # checked by dashboard.privacy.disclosure.threshold_from
    audit_database_url: str | None

    @property
    def demo(self) -> bool:
        """No case database is configured: the dashboard reads the synthetic demo database."""
        return self.database_url is None


def read() -> Settings:
    """Every setting, read once from the environment and the secrets file, each checked as far as
    it can be on its own (raises SetupProblem naming the setting)."""
    secrets = _secrets()

    def text(name: str) -> str | None:
        return raw(name, secrets)

    users_file, demo_path = text("USERS_FILE"), text("DEMO_DATABASE_PATH")
    return Settings(
        database_url=text("DATABASE_URL"),
        demo_database_path=Path(demo_path) if demo_path else DEFAULT_DEMO_DATABASE,
        users_file=Path(users_file) if users_file else None,
        cookie_key=text("AUTH_COOKIE_KEY"),
        cookie_expiry_days=_days(text("AUTH_COOKIE_EXPIRY_DAYS")),
        pseudonym_secret=text("PSEUDONYM_SECRET"),
        suppression_threshold=text("SUPPRESSION_THRESHOLD"),
        audit_database_url=text("AUDIT_DATABASE_URL"),
    )


def _days(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        days = float(value)
    except ValueError:
        days = -1.0
    if not 0 <= days < math.inf:  # also refuses NaN
        raise SetupProblem(
            f"AUTH_COOKIE_EXPIRY_DAYS is set to “{value}”, which is not a number of days.",
            advice="Set AUTH_COOKIE_EXPIRY_DAYS to 0 or more (0: sign-ins are not remembered), or leave it unset.",
        )
    return days
