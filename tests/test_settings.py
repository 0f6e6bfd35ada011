"""Every setting is read in one place, from the environment or `.streamlit/secrets.toml` alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.access import settings
from dashboard.problems import SetupProblem

VALUES = {
    "DATABASE_URL": "sqlite:////data/cases.sqlite",
    "DEMO_DATABASE_PATH": "/tmp/demo.sqlite",
    "USERS_FILE": "/etc/fbs/users.yaml",
    "AUTH_COOKIE_KEY": "k" * 40,
    "AUTH_COOKIE_EXPIRY_DAYS": "2.5",
    "PSEUDONYM_SECRET": "p" * 40,
    "SUPPRESSION_THRESHOLD": "9",
    "AUDIT_DATABASE_URL": "sqlite:////data/audit.sqlite",
}
EXPECTED = settings.Settings(
    database_url="sqlite:////data/cases.sqlite",
    demo_database_path=Path("/tmp/demo.sqlite"),
    users_file=Path("/etc/fbs/users.yaml"),
    cookie_key="k" * 40,
    cookie_expiry_days=2.5,
    pseudonym_secret="p" * 40,
    suppression_threshold="9",
    audit_database_url="sqlite:////data/audit.sqlite",
)


@pytest.fixture
def clean(monkeypatch, tmp_path):
    """No setting in the environment, and a working directory and home of their own, without
    secrets (the home is tmp_path/home)."""
    for name in settings.SETTINGS:
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "home").mkdir()
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write_secrets(directory: Path, text: str) -> None:
    (directory / ".streamlit").mkdir(exist_ok=True)
    (directory / ".streamlit" / "secrets.toml").write_text(text, encoding="utf-8")


def test_the_values_are_the_settings_the_module_lists():
    assert set(VALUES) == set(settings.SETTINGS)


def test_every_setting_is_read_from_the_environment(clean, monkeypatch):
    for name, value in VALUES.items():
        monkeypatch.setenv(name, value)
    assert settings.read() == EXPECTED


@pytest.mark.parametrize("case", [str.lower, str.upper])
def test_every_setting_is_read_from_the_auth_table_of_the_secrets_file(clean, case):
    write_secrets(clean, "[auth]\n" + "".join(f'{case(name)} = "{value}"\n' for name, value in VALUES.items()))
    assert settings.read() == EXPECTED


def test_every_setting_is_read_from_the_top_of_the_secrets_file(clean):
    write_secrets(clean, "".join(f'{name} = "{value}"\n' for name, value in VALUES.items()))
    assert settings.read() == EXPECTED


def test_the_environment_wins_over_the_secrets_file(clean, monkeypatch):
    write_secrets(clean, '[auth]\nsuppression_threshold = "9"\n')
    monkeypatch.setenv("SUPPRESSION_THRESHOLD", "11")
    assert settings.read().suppression_threshold == "11"


def test_nothing_set_is_the_demo_with_its_defaults(clean):
    read = settings.read()
    assert read.demo and read.database_url is None and read.users_file is None
    assert read.demo_database_path == settings.DEFAULT_DEMO_DATABASE
    assert (read.cookie_key, read.cookie_expiry_days, read.suppression_threshold) == (None, None, None)


@pytest.mark.parametrize("days", ["-1", "soon", "nan", "inf", "1e400"])
def test_a_bad_cookie_expiry_is_refused_naming_the_setting(clean, monkeypatch, days):
    monkeypatch.setenv("AUTH_COOKIE_EXPIRY_DAYS", days)
    with pytest.raises(SetupProblem, match="AUTH_COOKIE_EXPIRY_DAYS"):
        settings.read()


def test_an_unreadable_secrets_file_is_refused_naming_the_file(clean):
    write_secrets(clean, "[auth\nbroken")
    with pytest.raises(SetupProblem, match=r"secrets\.toml"):
        settings.read()


def test_the_auth_table_wins_over_the_top_level_and_a_blank_value_gives_way(clean):
    write_secrets(
        clean,
        'SUPPRESSION_THRESHOLD = "11"\nPSEUDONYM_SECRET = "top"\n'
        '[auth]\nsuppression_threshold = ""\npseudonym_secret = "in-auth"\n',
    )
    read = settings.read()
    assert (read.suppression_threshold, read.pseudonym_secret) == ("11", "in-auth")


def test_the_home_and_project_secrets_are_merged_the_project_winning(clean):
    write_secrets(clean / "home", '[auth]\nsuppression_threshold = "11"\nusers_file = "/home/users.yaml"\n')
    write_secrets(clean, '[auth]\nusers_file = "/project/users.yaml"\n')
    read = settings.read()
    assert (read.suppression_threshold, read.users_file) == ("11", Path("/project/users.yaml"))


def test_an_auth_that_is_not_a_table_is_refused(clean):
    write_secrets(clean, 'auth = "not a table"\n')
    with pytest.raises(SetupProblem, match="auth is not a table"):
        settings.read()
