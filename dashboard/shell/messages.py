"""Calm, specific messages in place of tracebacks."""

from __future__ import annotations

import streamlit as st

from dashboard.problems import DatabaseProblem, Problem


def show_problem(problem: Problem) -> None:
    st.title("The dashboard cannot show figures yet")
    st.error(problem.title, icon=":material/database:" if isinstance(problem, DatabaseProblem) else ":material/lock:")
    for detail in problem.details:
        st.markdown(f"- {detail}")
    if problem.advice:
        st.info(problem.advice, icon=":material/lightbulb:")
    st.caption("Nothing has been changed in the case database: the dashboard only ever reads it.")


def show_synthetic_banner() -> None:
    st.warning(
        "**Synthetic demo data.** These figures describe invented families generated for "
        "demonstration. They are not the Trust's real caseload.",
        icon=":material/science:",
    )


def show_audit_refusal(problem: Exception) -> None:
    st.error(
        "This drill-down cannot be shown because the audit log could not be written, and no "
        "single case is shown without a record of who looked at it.",
        icon=":material/policy:",
    )
    st.caption(f"Audit store: {problem}. Check AUDIT_DATABASE_URL and that the audit store is writable.")
