"""Sessions offered to each parent while they engage, built as whole arrays.

A parent who engages is offered about 3-4 sessions a month from their first session to the
day they stop (or the family leaves, or as_at). A parent who stops engaging is still offered
a few sessions over the following weeks, which they miss: that is how disengagement shows in
a real diary.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from queries.schema import SESSION_STATUSES, SESSION_TYPES
from seed_data.dates import AVERAGE_MONTH_DAYS, days_from, plus_days, to_weekday
from seed_data.journeys import Families, Parents

SESSIONS_PER_MONTH = 4.8  # offered while engaged (attended, missed or cancelled); varies by parent
STATUS_SHARES = {  # attended, did_not_attend, cancelled_by_parent, cancelled_by_service
    "mother": (0.81, 0.08, 0.06, 0.05),
    "partner": (0.77, 0.11, 0.07, 0.05),
    "after_stopping": (0.0, 0.7, 0.3, 0.0),
}
TYPE_SHARES = {  # individual, vig, joint, safety_planning, group
    # Video Interaction Guidance films the parent with the baby, so only after birth.
    "before_birth": (0.72, 0.0, 0.10, 0.13, 0.05),
    "after_birth": (0.55, 0.20, 0.10, 0.10, 0.05),
}
MINUTES = np.array([45, 50, 60, 60, 60, 75, 90])
GROUP_MINUTES = 90

assert SESSION_STATUSES == ("attended", "did_not_attend", "cancelled_by_parent", "cancelled_by_service")
assert SESSION_TYPES == ("individual", "vig", "joint", "safety_planning", "group")


def _dates_in_windows(rng: np.random.Generator, start: np.ndarray, end: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """counts[i] dates uniform in [start[i], end[i]] for each window, concatenated."""
    span = np.repeat(days_from(start, end) + 1, counts)
    return plus_days(np.repeat(start, counts), np.floor(rng.random(counts.sum()) * span).astype(int))


def _draw(rng: np.random.Generator, labels: tuple[str, ...], shares_by_row: np.ndarray) -> np.ndarray:
    """One label per row, each row with its own probabilities (rows of shares_by_row)."""
    cumulative = np.cumsum(shares_by_row, axis=1)
    pick = (rng.random((len(shares_by_row), 1)) > cumulative).sum(axis=1)
    return np.asarray(labels, dtype=object)[np.minimum(pick, len(labels) - 1)]


def make_sessions(
    rng: np.random.Generator, families: Families, parents: Parents, parent_id: np.ndarray, practitioner_id: np.ndarray
) -> pd.DataFrame:
    m = len(parents)
    # Regular sessions: the first on the first-session date, the rest spread to attends_until.
    attends = ~np.isnat(parents.attends_until)
    regular_until = np.where(attends, parents.attends_until, parents.first_session_on)
    rate = rng.gamma(8.0, SESSIONS_PER_MONTH / 8.0, m)
    span = days_from(parents.first_session_on, regular_until)
    regular = np.where(attends, 1 + rng.poisson(rate * span / AVERAGE_MONTH_DAYS), 0)
    first_of_parent = np.cumsum(regular) - regular
    regular_on = _dates_in_windows(rng, parents.first_session_on, regular_until, regular)
    regular_on[first_of_parent[regular > 0]] = parents.first_session_on[regular > 0]

    # Missed sessions after a parent stops, until the service closes their work.
    stopped = ~np.isnat(parents.stopped_on)
    missed = np.where(stopped, rng.integers(1, 4, m), 0)
    tail_start = plus_days(np.where(stopped, parents.stopped_on, parents.first_session_on), 1)
    tail_end = np.where(stopped, parents.offered_until, tail_start)
    missed_on = _dates_in_windows(rng, tail_start, tail_end, missed)

    who = np.concatenate([np.repeat(np.arange(m), regular), np.repeat(np.arange(m), missed)])
    after_stopping = np.concatenate([np.zeros(regular.sum(), bool), np.ones(missed.sum(), bool)])
    latest = np.concatenate([np.repeat(parents.attends_until, regular), np.repeat(tail_end, missed)])
    session_on = to_weekday(np.concatenate([regular_on, missed_on]), latest)
    n = len(who)

    is_mother = parents.role[who] == "mother"
    status_shares = np.where(is_mother[:, None], STATUS_SHARES["mother"], STATUS_SHARES["partner"])
    status_shares[after_stopping] = STATUS_SHARES["after_stopping"]
    status = _draw(rng, SESSION_STATUSES, status_shares)

    born = session_on >= families.born_on[parents.family[who]]
    session_type = _draw(
        rng, SESSION_TYPES, np.where(born[:, None], TYPE_SHARES["after_birth"], TYPE_SHARES["before_birth"])
    )
    # Joint work needs a second parent in the programme.
    family_size = np.bincount(parents.family, minlength=len(families))
    session_type[(session_type == "joint") & (family_size[parents.family[who]] == 1)] = "individual"

    # Only sessions that took place have a length.
    minutes = np.where(session_type == "group", GROUP_MINUTES, rng.choice(MINUTES, n)).astype(float)
    minutes[status != "attended"] = np.nan

    order = np.lexsort((parent_id[who], session_on))
    return pd.DataFrame(
        {
            "session_id": np.arange(1, n + 1),
            "parent_id": parent_id[who][order],
            "practitioner_id": pd.array(practitioner_id[who][order], dtype="Int64"),
            "session_on": session_on[order],
            "session_type": session_type[order],
            "status": status[order],
            "minutes": pd.array(minutes[order], dtype="Int64"),
        }
    )
