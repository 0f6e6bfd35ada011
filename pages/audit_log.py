"""Audit log: every opening of a case list or case timeline (leadership only)."""

import streamlit as st

from dashboard.access import audit
from dashboard.shell.messages import show_audit_refusal
from dashboard.words.definitions import cases as definitions

st.title("Audit log")
st.caption(definitions.AUDIT)
try:
    records = audit.recent()
except audit.AuditUnavailable as problem:
    show_audit_refusal(problem)
    st.stop()
if records.empty:
    st.info("Nobody has opened a case list or a case yet.", icon=":material/info:")
else:
    records["recorded_at"] = records["recorded_at"].astype(str).str.slice(0, 16)
    st.dataframe(
        records.drop(columns="record_id").rename(
            columns={
                "recorded_at": "When (UTC)",
                "username": "Who",
                "role": "Role",
                "page": "Opened",
                "detail": "Filters or case",
            }
        ),
        hide_index=True,
        width="stretch",
    )
