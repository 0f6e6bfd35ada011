"""Deliberate data-quality faults, added only when generate(faults=True).

With faults off the generated data contain none of these. With faults on, each fault below
affects exactly FAULT_ROWS_PER_SCALE x scale rows (fewer only if a tiny as_at leaves too few
candidates), chosen so that no two faults touch the same rows or compound each other. A
data-quality view should find exactly these, using the rules given for each.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

FAULT_ROWS_PER_SCALE = 3
ASSESSMENT_WINDOW_DAYS = 90  # clean assessments are dated within a few weeks of the anchor

FAULTS = {
    "birth_before_referral": (
        "families.birth_on is before the received_on of the referral that enrolled the family "
        "(referrals.family_id = families.family_id); so also before enrolled_on."
    ),
    "session_after_exit": "sessions.session_on is after the parent's family's exit_on.",
    "resolved_before_raised": "safeguarding_events.resolved_on is before raised_on.",
    "assessment_outside_window": (
        f"assessments.assessed_on is more than {ASSESSMENT_WINDOW_DAYS} days from its time point's "
        "anchor date: entry = "
        "families.enrolled_on, birth = birth_on, m12 = birth_on + 365 days, m24 = birth_on + 730 days."
    ),
    "parent_without_practitioner": "parents.practitioner_id is null.",
}


def add_faults(rng: np.random.Generator, tables: dict[str, pd.DataFrame], scale: int, as_at: pd.Timestamp) -> None:
    """Corrupt a few rows of each kind, in place. Draws come after every other draw, so the
    rest of the data are identical with faults on or off."""
    n = FAULT_ROWS_PER_SCALE * scale
    families, referrals = tables["families"], tables["referrals"]
    sessions, events = tables["sessions"], tables["safeguarding_events"]
    assessments, parents = tables["assessments"], tables["parents"]
    practitioners = tables["practitioners"]

    # A birth before the referral: only in families with no assessment anchored on the
    # birth, so the corrupted birth date does not also push assessments out of their window.
    anchored_on_birth = assessments.loc[assessments["time_point"].isin(["birth", "m12", "m24"]), "family_id"]
    candidates = families.index[families["birth_on"].notna() & ~families["family_id"].isin(anchored_on_birth)]
    chosen = _pick(rng, candidates, n)
    received_on = referrals.set_index("family_id")["received_on"].loc[families.loc[chosen, "family_id"]]
    days_before = pd.to_timedelta(rng.integers(1, 60, len(chosen)), unit="D")
    families.loc[chosen, "birth_on"] = received_on.to_numpy() - days_before
    birth_faulted = families.loc[chosen, "family_id"]

    # A session after exit: the first session of each of n families that left at least a
    # month before as_at, moved to 1-4 weeks after the exit; only sessions whose practitioner
    # is still in post, so the moved session breaks no other rule.
    session_family = parents.set_index("parent_id")["family_id"].loc[sessions["parent_id"]].to_numpy()
    exit_on = families.set_index("family_id")["exit_on"]
    left_early_enough = exit_on[exit_on <= as_at - pd.Timedelta(days=30)].index
    staying = practitioners.loc[practitioners["left_on"].isna(), "practitioner_id"]
    eligible = sessions.index[
        np.isin(session_family, left_early_enough) & sessions["practitioner_id"].isin(staying).to_numpy()
    ]
    first_per_family = pd.Series(eligible, index=session_family[eligible]).groupby(level=0).first()
    chosen = _pick(rng, first_per_family.to_numpy(), n)
    moved_by = pd.to_timedelta(rng.integers(7, 29, len(chosen)), unit="D")
    sessions.loc[chosen, "session_on"] = exit_on.loc[session_family[chosen]].to_numpy() + moved_by

    chosen = _pick(rng, events.index[events["resolved_on"].notna()], n)
    days_before = pd.to_timedelta(rng.integers(1, 15, len(chosen)), unit="D")
    events.loc[chosen, "resolved_on"] = events.loc[chosen, "raised_on"] - days_before

    # An assessment dated 5-8 months early (never after as_at), outside the families above.
    chosen = _pick(rng, assessments.index[~assessments["family_id"].isin(birth_faulted)], n)
    days_early = pd.to_timedelta(rng.integers(150, 241, len(chosen)), unit="D")
    assessments.loc[chosen, "assessed_on"] = assessments.loc[chosen, "assessed_on"] - days_early

    chosen = _pick(rng, parents.index, n)
    parents.loc[chosen, "practitioner_id"] = pd.NA


def _pick(rng: np.random.Generator, candidates: pd.Index | np.ndarray, n: int) -> np.ndarray:
    candidates = np.asarray(candidates)
    return np.sort(rng.choice(candidates, size=min(n, len(candidates)), replace=False))
