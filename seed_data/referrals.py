"""Referrals received by each site, the decision on each, and who goes on to enrol."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from queries.schema import REFERRAL_DECISIONS, REFERRAL_SOURCES
from seed_data.dates import NO_DATE, plus_days

SOURCE_SHARES = {
    "childrens_social_care": 0.45,
    "midwifery": 0.25,
    "health_visiting": 0.06,
    "domestic_abuse_service": 0.06,
    "police": 0.04,
    "perinatal_mental_health": 0.04,
    "early_help": 0.04,
    "gp": 0.03,
    "self_referral": 0.02,
    "other": 0.01,
}
DECISION_SHARES = {  # of decided referrals; "pending" comes only from recent ones
    "accepted": 0.66,
    "not_eligible": 0.09,
    "declined_by_family": 0.09,
    "risk_too_high": 0.07,
    "unable_to_contact": 0.09,
}
ENROL_SHARE = 0.95  # accepted referrals whose family goes on to start
# Referrals a month per site at full running, per place of target caseload: a family stays
# about 20 months and ~60% of referrals enrol, so this keeps caseloads near target.
REFERRALS_PER_CASELOAD_PLACE = 1 / 13.5
RAMP_UP_MONTHS = 9  # a new site takes months to build referral routes
SITE_DEMAND_RANGE = (0.8, 1.2)  # some sites run under their target caseload, some over
LATE_GESTATION_WEEKS = 34  # referrals this late are mostly too late to start in pregnancy

assert set(SOURCE_SHARES) == set(REFERRAL_SOURCES)
assert set(DECISION_SHARES) | {"pending"} == set(REFERRAL_DECISIONS)


@dataclass
class Referrals:
    """One entry per referral, sorted by received_on (the referral id order)."""

    site_id: np.ndarray
    received_on: np.ndarray
    source: np.ndarray
    gestation_weeks: np.ndarray
    decision: np.ndarray
    decided_on: np.ndarray
    due_on: np.ndarray
    birth_on: np.ndarray  # when the baby is (or will be) born; may lie after as_at
    enrolled_on: np.ndarray  # NaT unless the family starts by as_at

    def table(self, family_id: np.ndarray) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "referral_id": np.arange(1, len(self.site_id) + 1),
                "site_id": self.site_id,
                "received_on": self.received_on,
                "source": self.source,
                "gestation_weeks": self.gestation_weeks,
                "decision": self.decision,
                "decided_on": self.decided_on,
                "family_id": pd.array(family_id, dtype="Int64"),
            }
        )


def _received_dates(
    rng: np.random.Generator, sites: pd.DataFrame, as_at: np.datetime64
) -> tuple[np.ndarray, np.ndarray]:
    """Poisson referrals per site per calendar month from opening to as_at."""
    first_month = sites["opened_on"].to_numpy().astype("datetime64[M]")
    last_month = as_at.astype("datetime64[M]")
    n_months = (last_month - first_month).astype(int) + 1
    site_index = np.repeat(np.arange(len(sites)), n_months)
    months_open = np.arange(len(site_index)) - np.repeat(np.cumsum(n_months) - n_months, n_months)
    month = first_month[site_index] + months_open.astype("timedelta64[M]")

    month_start = month.astype("datetime64[D]")
    days_in_month = ((month + 1).astype("datetime64[D]") - month_start).astype(int)
    days_open = np.where(month == last_month, (as_at - month_start).astype(int) + 1, days_in_month)
    ramp = np.minimum(1.0, 0.4 + 0.6 * months_open / RAMP_UP_MONTHS)
    demand = rng.uniform(*SITE_DEMAND_RANGE, len(sites))
    rate = (sites["target_caseload"].to_numpy() * demand)[site_index] * REFERRALS_PER_CASELOAD_PLACE
    counts = rng.poisson(rate * ramp * days_open / days_in_month)

    site_of_referral = np.repeat(site_index, counts)
    offset = np.floor(rng.random(counts.sum()) * np.repeat(days_open, counts)).astype(int)
    received_on = plus_days(np.repeat(month_start, counts), offset)
    order = np.lexsort((site_of_referral, received_on))
    return sites["site_id"].to_numpy()[site_of_referral[order]], received_on[order]


def make_referrals(rng: np.random.Generator, sites: pd.DataFrame, as_at: np.datetime64) -> Referrals:
    site_id, received_on = _received_dates(rng, sites, as_at)
    n = len(site_id)

    source = rng.choice(list(SOURCE_SHARES), size=n, p=list(SOURCE_SHARES.values()))
    gestation = np.clip(np.rint(rng.normal(20, 6, n)), 6, 38).astype(int)
    # Gestation is counted in completed weeks, so the referral falls 0-6 days into that week.
    due_on = plus_days(received_on, (40 - gestation) * 7 - rng.integers(0, 7, n))
    birth_on = plus_days(due_on, np.clip(np.rint(rng.normal(-4, 9, n)), -56, 14))

    decision = rng.choice(list(DECISION_SHARES), size=n, p=list(DECISION_SHARES.values()))
    late = (gestation >= LATE_GESTATION_WEEKS) & (rng.random(n) < 0.7)
    decision[late] = "not_eligible"
    # Deciding takes a risk assessment and a first meeting: about three weeks, rarely over two months.
    decided_on = plus_days(received_on, np.minimum(3 + np.rint(rng.gamma(2.5, 7.0, n)), 75))
    # Work has to start in pregnancy: an acceptance in the last weeks before birth cannot be.
    too_close_to_birth = (decision == "accepted") & (decided_on >= plus_days(birth_on, -28))
    decision[too_close_to_birth] = "not_eligible"
    undecided = decided_on > as_at
    decision[undecided] = "pending"
    decided_on[undecided] = NO_DATE

    enrolled_on = plus_days(decided_on, rng.integers(3, 22, n))
    enrols = (decision == "accepted") & (rng.random(n) < ENROL_SHARE) & (enrolled_on <= as_at)
    enrolled_on[~enrols] = NO_DATE

    return Referrals(
        site_id=site_id,
        received_on=received_on,
        source=source,
        gestation_weeks=gestation,
        decision=decision.astype(object),
        decided_on=decided_on,
        due_on=due_on,
        birth_on=birth_on,
        enrolled_on=enrolled_on,
    )
