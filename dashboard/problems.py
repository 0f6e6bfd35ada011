"""Problems the person at the screen should read about, instead of a traceback."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Problem(Exception):
    """What is wrong, in plain words, the details that help, and what to do about it."""

    title: str
    details: tuple[str, ...] = ()
    advice: str = ""


class DatabaseProblem(Problem):
    """The case database cannot be read."""


class SetupProblem(Problem):
    """The deployment is not set up safely (users file, cookie key)."""
