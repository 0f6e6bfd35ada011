"""Leadership's drill-down to single cases: pseudonyms, coarsening and the audit trail.

Cases are shown by a pseudonym, a short code from a keyed hash (HMAC-SHA256) of the family id and
a deployment secret: stable for one secret, meaningless without it, never the database id. Every
opening of a case list or a case timeline is recorded first (dashboard/access/audit.py).
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import hmac
import json
from collections.abc import Callable
from typing import TypeVar

import pandas as pd
import streamlit as st

from dashboard.access import audit, settings
from dashboard.problems import Problem, SetupProblem
from dashboard.shell.case_database import case_engine
from dashboard.shell.context import CACHE_SECONDS, PageContext
from dashboard.shell.messages import show_audit_refusal
from queries import cases
from queries.scope import Scope

T = TypeVar("T")

DEMO_SECRET = "fbs-demo-pseudonym-secret: for the synthetic demo database only"


def secret(synthetic: bool) -> bytes:
    configured = settings.read().pseudonym_secret
    if configured:
        return configured.encode()
    if synthetic:
        return DEMO_SECRET.encode()
    raise SetupProblem(
        "No pseudonym secret is set, so single cases cannot be shown.",
        advice="Set PSEUDONYM_SECRET to a long random value, kept as safe as the cookie key.",
    )


def opened(drill_down: Callable[..., T], *args) -> T:
    """Run a drill-down for a page; if it is refused (no audit, no secret), say why and stop."""
    try:
        return drill_down(*args)
    except audit.AuditUnavailable as problem:
        show_audit_refusal(problem)
    except Problem as problem:
        st.error(problem.title, icon=":material/lock:")
    st.stop()


def pseudonym(family_id: int, key: bytes) -> str:
    digest = hmac.new(key, f"family:{family_id}".encode(), hashlib.sha256).digest()
    code = base64.b32encode(digest[:5]).decode()
    return f"{code[:4]}-{code[4:]}"


def _who(view: PageContext) -> tuple[str, str]:
    return st.session_state.get("username", "unknown"), view.scope.role


def case_list(view: PageContext, selection: cases.CaseSelection) -> pd.DataFrame:
    """The open cases behind a figure, by pseudonym. Records the opening first (raises
    audit.AuditUnavailable if it cannot)."""
    key = secret(view.synthetic)
    chosen = {name: value for name, value in dataclasses.asdict(selection).items() if value is not None}
    detail = json.dumps(
        {
            "period": [str(view.filters.period.start), str(view.filters.period.end)],
            "sites": sorted(view.site_names[s] for s in view.filters.site_ids),
            **chosen,
        }
    )
    audit.record(*_who(view), "case list", detail)
    rows = view.query(cases.case_rows, selection=selection)
    rows.insert(0, "case", [pseudonym(int(i), key) for i in rows.pop("family_id")])
    return rows


def case_timeline(view: PageContext, code: str) -> dict[str, pd.DataFrame]:
    """One case's timeline by its pseudonym (empty if no case in the viewer's scope has it).
    Records the opening first (raises audit.AuditUnavailable if it cannot)."""
    key = secret(view.synthetic)
    audit.record(*_who(view), "case timeline", code)
    in_scope = (view.database_url, view.scope.site_ids, key, view.scope)
    family_id = _families_by_pseudonym(*in_scope).get(code)
    if family_id is None:  # perhaps a family new since the pseudonyms were worked out: look again
        _families_by_pseudonym.clear(*in_scope)
        family_id = _families_by_pseudonym(*in_scope).get(code)
    if family_id is None:
        return {}
    with case_engine(view.database_url).connect() as conn:
        return cases.timeline(conn, view.scope, family_id)


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False, max_entries=20)
def _families_by_pseudonym(url: str, scope_sites: frozenset[int] | None, key: bytes, _scope: Scope) -> dict[str, int]:
    # Every family in scope must be hashed to find the one a code stands for, which is slow at the
    # Trust's scale: once per scope and cache period rather than on every run of the page.
    # Keyed as the cached frames are (context._cached_frame), and on the secret.
    found: dict[str, int] = {}
    with case_engine(url).connect() as conn:
        for family_id in cases.family_ids(conn, _scope):
            found.setdefault(pseudonym(family_id, key), family_id)
    return found
