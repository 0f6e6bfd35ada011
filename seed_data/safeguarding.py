"""Safeguarding concerns raised while a family is in the programme, and their escalation."""

from __future__ import annotations

import numpy as np
import pandas as pd
from faker import Faker

from queries.schema import CONCERN_TYPES, ESCALATION_LEVELS, ESCALATION_OUTCOMES
from seed_data.dates import NO_DATE, days_from, plus_days, working_days_after
from seed_data.journeys import Families

EVENTS_PER_FAMILY = 2.0  # on average, over a family's time in the programme
CONCERN_SHARES = (0.35, 0.18, 0.17, 0.10, 0.12, 0.08)
LEVEL_SHARES = (0.45, 0.12, 0.13, 0.12, 0.08, 0.06, 0.04)
REVIEWED_WITHIN_ONE_WORKING_DAY = 0.85
MEDIAN_DAYS_TO_RESOLVE = 30
# What a resolved concern led to, by escalation level: (no_further_action,
# safety_plan_updated, referred_on, statutory_plan, baby_removed). Removal is recorded only
# on the care-proceedings concern behind a "baby_removed" exit.
OUTCOME_SHARES = {
    "dsl_internal": (0.55, 0.45, 0.0, 0.0, 0.0),
    "early_help": (0.20, 0.30, 0.50, 0.0, 0.0),
    "child_in_need": (0.15, 0.30, 0.0, 0.55, 0.0),
    "child_protection": (0.10, 0.30, 0.0, 0.60, 0.0),
    "police": (0.15, 0.60, 0.25, 0.0, 0.0),
    "marac": (0.10, 0.65, 0.25, 0.0, 0.0),
    "care_proceedings": (0.0, 0.25, 0.0, 0.75, 0.0),
}

assert tuple(OUTCOME_SHARES) == ESCALATION_LEVELS
assert ESCALATION_OUTCOMES[-1] == "baby_removed"


# Free text as a practitioner might write it, names included: the reason it is never shown.
SUMMARY_TEMPLATES = {
    "domestic_abuse_incident": (
        "{name} disclosed an argument at home that became physical; safety plan reviewed with {other}.",
        "Police attended an incident at {name}'s address; no arrests, DSL informed the same day.",
        "{name} described controlling behaviour around money and phone use; discussed with {other}.",
    ),
    "baby_welfare": (
        "Health visitor raised concerns about the baby's weight; {name} agreed to a GP appointment.",
        "{name} missed two antenatal appointments; midwife {other} informed.",
        "Home conditions poor on visit; {name} accepted help with a cot and bedding.",
    ),
    "parental_mental_health": (
        "{name} reported low mood and poor sleep; perinatal mental health referral discussed.",
        "{name} disclosed thoughts of self-harm; crisis line details given and GP contacted.",
    ),
    "substance_use": (
        "{name} disclosed increased alcohol use at weekends; drug and alcohol service details shared.",
        "Concern from {other} about cannabis use in the home; discussed with {name}.",
    ),
    "housing_or_financial": (
        "{name} received an eviction notice; housing options appointment arranged.",
        "{name} has no money for gas and electricity; food bank voucher and grant application made.",
    ),
    "other": (
        "{name} asked for advice after contact from a former partner; safety plan updated.",
        "Information shared by {other} at the team around the baby meeting; no new risk identified.",
    ),
}

assert set(SUMMARY_TEMPLATES) == set(CONCERN_TYPES)


def _summaries(rng: np.random.Generator, fake: Faker, concern: np.ndarray) -> list[str]:
    picks = rng.random(len(concern))
    texts = []
    for kind, pick in zip(concern, picks, strict=True):
        templates = SUMMARY_TEMPLATES[kind]
        template = templates[int(pick * len(templates))]
        texts.append(template.format(name=fake.first_name(), other=fake.name()))
    return texts


def make_safeguarding_events(
    rng: np.random.Generator, fake: Faker, families: Families, family_id: np.ndarray, as_at: np.datetime64
) -> pd.DataFrame:
    n_families = len(families)
    days_in = days_from(families.enrolled_on, families.in_programme_until) + 1
    # Families with more need see more concerns; the rate is scaled so the mean is as stated.
    weight = days_in * np.exp(0.35 * families.need)
    counts = rng.poisson(EVENTS_PER_FAMILY * n_families * weight / weight.sum())
    family = np.repeat(np.arange(n_families), counts)
    raised_on = plus_days(families.enrolled_on[family], np.floor(rng.random(len(family)) * days_in[family]).astype(int))
    level = rng.choice(ESCALATION_LEVELS, size=len(family), p=LEVEL_SHARES).astype(object)
    concern = rng.choice(CONCERN_TYPES, size=len(family), p=CONCERN_SHARES).astype(object)

    # Each removal follows care proceedings, which are raised weeks before it.
    removed = np.flatnonzero(~np.isnat(families.removed_on))
    removal_raised = np.maximum(
        plus_days(families.removed_on[removed], -rng.integers(14, 61, len(removed))),
        families.enrolled_on[removed],
    )
    family = np.concatenate([family, removed])
    raised_on = np.concatenate([raised_on, removal_raised])
    level = np.concatenate([level, np.full(len(removed), "care_proceedings", dtype=object)])
    concern = np.concatenate([concern, np.full(len(removed), "baby_welfare", dtype=object)])
    is_removal = np.concatenate([np.zeros(len(raised_on) - len(removed), bool), np.ones(len(removed), bool)])
    n = len(family)

    prompt = rng.random(n) < REVIEWED_WITHIN_ONE_WORKING_DAY
    working_days = np.where(prompt, rng.choice([0, 1], n, p=[0.65, 0.35]), rng.integers(2, 11, n))
    dsl_reviewed_on = working_days_after(raised_on, working_days)
    dsl_reviewed_on[dsl_reviewed_on > as_at] = NO_DATE

    referred_on = plus_days(dsl_reviewed_on, rng.integers(0, 6, n))
    referred_on[(level == "dsl_internal") | (referred_on > as_at)] = NO_DATE

    days_to_resolve = np.rint(rng.lognormal(np.log(MEDIAN_DAYS_TO_RESOLVE), 0.7, n)).astype(int)
    resolved_on = np.fmax(np.fmax(plus_days(raised_on, days_to_resolve), dsl_reviewed_on), referred_on)
    # The removal concern closes on the day of removal, reviewed and referred before it.
    removal_day = families.removed_on[family[is_removal]]
    resolved_on[is_removal] = removal_day
    dsl_reviewed_on[is_removal] = np.fmin(dsl_reviewed_on[is_removal], removal_day)
    referred_on[is_removal] = np.fmin(referred_on[is_removal], removal_day)
    resolved_on[np.isnat(dsl_reviewed_on) | (resolved_on > as_at)] = NO_DATE

    outcome = np.full(n, None, dtype=object)
    for lvl, shares in OUTCOME_SHARES.items():
        rows = np.flatnonzero(level == lvl)
        outcome[rows] = rng.choice(ESCALATION_OUTCOMES, size=len(rows), p=shares)
    outcome[is_removal] = "baby_removed"
    outcome[np.isnat(resolved_on)] = None

    order = np.lexsort((family, raised_on))
    summaries = _summaries(rng, fake, concern)
    return pd.DataFrame(
        {
            "event_id": np.arange(1, n + 1),
            "family_id": family_id[family][order],
            "raised_on": raised_on[order],
            "concern_type": concern[order],
            "level": level[order],
            "dsl_reviewed_on": dsl_reviewed_on[order],
            "referred_on": referred_on[order],
            "resolved_on": resolved_on[order],
            "outcome": outcome[order],
            "summary": [summaries[i] for i in order],
        }
    )
