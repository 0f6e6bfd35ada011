"""Words for the codes stored in the case database, in the programme's own language."""

from __future__ import annotations

import pandas as pd

SOURCE = {
    "childrens_social_care": "Children's social care",
    "midwifery": "Midwifery",
    "health_visiting": "Health visiting",
    "domestic_abuse_service": "Domestic abuse service",
    "police": "Police",
    "perinatal_mental_health": "Perinatal mental health",
    "early_help": "Early help",
    "gp": "GP",
    "self_referral": "Self-referral",
    "other": "Other",
}
DECISION = {
    "accepted": "Accepted",
    "not_eligible": "Not eligible",
    "declined_by_family": "Declined by family",
    "risk_too_high": "Risk too high",
    "unable_to_contact": "Unable to contact",
    "pending": "Pending (no decision yet)",
}
FUNNEL_STAGE = {
    "received": "Received",
    "decided": "Decided",
    "accepted": "Accepted",
    "enrolled": "Enrolled",
    "first_session": "First session attended",
}
MOVEMENT = {
    "enrolled": "Enrolled",
    "completed": "Exit: completed at two years",
    "disengaged": "Exit: disengaged",
    "moved_away": "Exit: moved away",
    "baby_removed": "Exit: baby removed from care",
    "risk": "Exit: risk",
    "other": "Exit: other reason",
}
STAGE = {"pregnancy": "Pregnancy", "0-12 months": "Baby 0–12 months", "12-24 months": "Baby 12–24 months"}

# Every code column a query may return, and the words that replace its codes on screen.
BY_COLUMN = {"source": SOURCE, "decision": DECISION, "stage": STAGE, "movement": MOVEMENT}


def in_words(frame: pd.DataFrame, extra: dict[str, dict[str, str]] | None = None) -> pd.DataFrame:
    """A copy of `frame` with coded columns turned into words (unknown codes kept as they are)."""
    words = {**BY_COLUMN, **(extra or {})}
    out = frame.copy()
    for column, mapping in words.items():
        if column in out.columns:
            out[column] = out[column].map(lambda code, m=mapping: m.get(code, code))
    return out
