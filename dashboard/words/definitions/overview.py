"""Overview: the headline measures, and what "data as at" means (shown on every page)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Measure:
    column: str  # the column of the query result that holds it
    label: str
    definition: str


HEADLINE = (
    Measure(
        "referrals_received", "Referrals received", "Referrals received in the period, whatever was decided about them."
    ),
    Measure(
        "families_active",
        "Families active",
        "Enrolled families in the programme on at least one day of the period: enrolled on or "
        "before its last day and not exited before its first day.",
    ),
    Measure("new_enrolments", "New enrolments", "Families whose enrolment date falls in the period."),
    Measure(
        "exits",
        "Exits",
        "Families who left the programme in the period for any reason, including completing "
        "the programme at the baby's second birthday.",
    ),
    Measure(
        "open_escalations",
        "Open escalations",
        "Safeguarding escalations (to the Designated Safeguarding Lead or beyond) raised on or "
        "before the last day of the period and not yet resolved on that day.",
    ),
)

DATA_AS_AT = (
    "The latest date on which anything was recorded in the case database: a referral, "
    "a session or a safeguarding escalation."
)
