"""Calm, specific messages in place of tracebacks."""

from __future__ import annotations

import streamlit as st

from dashboard.problems import DatabaseProblem, Problem


def show_problem(problem: Problem) -> None:
    st.title("The dashboard cannot show figures yet")
    st.error(problem.title, icon=":material/database:" if isinstance(problem, DatabaseProblem)
             else ":material/lock:")
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
