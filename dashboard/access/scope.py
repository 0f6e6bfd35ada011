"""Authorisation: which sites a signed-in user's figures may come from. queries/ enforces the
scope in every statement; this decides it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

from dashboard.access.auth import User
from dashboard.problems import SetupProblem
from queries.scope import Role, Scope


def scope_for(user: User, site_ids_by_name: Mapping[str, int]) -> Scope:
    """The user's scope: every site, or (commissioners) the sites their account names, found
    among `site_ids_by_name` (every site of the database)."""
    if user.role != "commissioner":
        return Scope(cast(Role, user.role))  # a role the users file was checked to hold
    unknown = [name for name in user.site_names if name not in site_ids_by_name]
    if unknown:
        raise SetupProblem(
            "Your account names sites this database does not hold, so no figures can be shown.",
            (f"Sites not found: {', '.join(unknown)}",),
            "Ask the Trust's administrator to correct the users file.",
        )
    return Scope("commissioner", frozenset(site_ids_by_name[name] for name in user.site_names))
