"""Every setting the dashboard reads, in one place: read from the environment or, under the same
name, from `.streamlit/secrets.toml` (in its `[auth]` table, in lower or upper case, or at its top
level), and checked as a whole at start-up, so a bad value stops the dashboard with a message
naming the setting before any figure is drawn.

The secrets file is read here, not through Streamlit, so that this module, and everything that
needs a setting, works outside a Streamlit run too. Streamlit looks in the same two places: the
working directory's `.streamlit/secrets.toml`, then the user's `~/.streamlit/secrets.toml`.
"""

from __future__ import annotations

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
SECRETS_FILES = (Path(".streamlit") / "secrets.toml", Path.home() / ".streamlit" / "secrets.toml")


def _secrets() -> Mapping[str, Any]:
    for path in SECRETS_FILES:
        if path.is_file():
            try:
                return tomllib.loads(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as problem:
                raise SetupProblem(
                    f"The secrets file {path} cannot be read.",
                    (type(problem).__name__,),
                    "Correct the file (it is TOML) or remove it, then restart the dashboard.",
                ) from None
    return {}


def raw(name: str, secrets: Mapping[str, Any] | None = None) -> str | None:
    """One setting as text, unchecked: the environment's, else the secrets file's, else None."""
    if os.environ.get(name):
        return os.environ[name]
    secrets = _secrets() if secrets is None else secrets
    auth = secrets.get("auth", {})
    found = auth.get(name.lower(), auth.get(name, secrets.get(name, secrets.get(name.lower()))))
    return None if found is None or str(found).strip() == "" else str(found)


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
    if not days >= 0:  # also refuses NaN
        raise SetupProblem(
            f"AUTH_COOKIE_EXPIRY_DAYS is set to “{value}”, which is not a number of days.",
            advice="Set AUTH_COOKIE_EXPIRY_DAYS to 0 or more (0: sign-ins are not remembered), or leave it unset.",
        )
    return days
