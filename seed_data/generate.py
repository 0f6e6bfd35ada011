"""Deterministic synthetic case data for the dashboard, one DataFrame per table.

Everything random comes from one numpy Generator (PCG64, seeded) plus one Faker("en_GB")
instance seeded the same way for the identifying fields, drawn in a fixed order; so the
same (scale, seed, as_at, faults) always gives the same tables. Rows are built as whole
numpy arrays (no Python loop per session). Nothing is dated after as_at except families'
due dates. See docs/case-database.md for what each column means.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from faker import Faker

from queries.schema import SCHEMA_VERSION, metadata
from seed_data.dates import day
from seed_data.faults import add_faults
from seed_data.journeys import Families, make_families, make_parents
from seed_data.organisation import PROGRAMME_START, make_practitioners, make_sites
from seed_data.outcomes import make_assessments, make_social_care_status
from seed_data.parents import allocate_practitioners, make_parents_table
from seed_data.referrals import make_referrals
from seed_data.safeguarding import make_safeguarding_events
from seed_data.sessions import make_sessions

# Foreign keys allow this order of inserts.
TABLE_ORDER = (
    "schema_info",
    "sites",
    "practitioners",
    "families",
    "referrals",
    "parents",
    "sessions",
    "safeguarding_events",
    "social_care_status",
    "assessments",
)


def generate(
    scale: int = 1, seed: int = 42, as_at: dt.date | None = None, faults: bool = False
) -> dict[str, pd.DataFrame]:
    """Tables keyed by name, in TABLE_ORDER, with exactly the schema's columns.

    scale multiplies the number of sites (6 per unit) and so the families; as_at is the
    last day of recorded activity (default today); faults adds the deliberate data-quality
    faults listed in seed_data.faults.FAULTS.
    """
    if scale < 1:
        raise ValueError("scale must be at least 1")
    as_at = as_at or dt.date.today()
    if isinstance(as_at, dt.datetime):
        as_at = as_at.date()
    as_at_day = day(as_at)
    if as_at_day < PROGRAMME_START:
        raise ValueError(f"as_at must be on or after {PROGRAMME_START}")

    rng = np.random.Generator(np.random.PCG64(seed))
    fake = Faker("en_GB")
    fake.seed_instance(seed)

    sites = make_sites(rng, scale, as_at_day)
    practitioners = make_practitioners(rng, fake, sites, as_at_day)
    referrals = make_referrals(rng, sites, as_at_day)

    # family_id follows enrolment order.
    enrolled = np.flatnonzero(~np.isnat(referrals.enrolled_on))
    enrolled = enrolled[np.argsort(referrals.enrolled_on[enrolled], kind="stable")]
    family_id = np.arange(1, len(enrolled) + 1)
    family_of_referral = np.full(len(referrals.site_id), pd.NA, dtype=object)
    family_of_referral[enrolled] = family_id

    families, mother_stopped_on = make_families(
        rng,
        referrals.site_id[enrolled],
        referrals.enrolled_on[enrolled],
        referrals.due_on[enrolled],
        referrals.birth_on[enrolled],
        as_at_day,
    )
    parents = make_parents(rng, families, mother_stopped_on)
    parent_id = np.arange(1, len(parents) + 1)
    practitioner_of_parent = allocate_practitioners(rng, families, parents, practitioners)

    tables = {
        "schema_info": _schema_info(scale, seed, as_at, faults),
        "sites": sites,
        "practitioners": practitioners,
        "families": _families_table(families, family_id, as_at_day),
        "referrals": referrals.table(family_of_referral),
        "parents": make_parents_table(rng, fake, families, parents, family_id, practitioner_of_parent),
        "sessions": make_sessions(rng, families, parents, parent_id, practitioner_of_parent),
        "safeguarding_events": make_safeguarding_events(rng, fake, families, family_id, as_at_day),
        "social_care_status": make_social_care_status(rng, families, family_id),
        "assessments": make_assessments(rng, families, parents, family_id, parent_id),
    }
    if faults:
        add_faults(rng, tables, scale, pd.Timestamp(as_at))
    for name in TABLE_ORDER:  # exactly the schema's columns, in its order
        tables[name] = tables[name][[c.name for c in metadata.tables[name].columns]]
    return tables


def generator_label(scale: int, seed: int, as_at: dt.date, faults: bool) -> str:
    return f"seed_data scale={scale} seed={seed} as_at={as_at.isoformat()} faults={str(faults).lower()}"


def _schema_info(scale: int, seed: int, as_at: dt.date, faults: bool) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "key": ["schema_version", "synthetic", "generator", "data_as_at"],
            "value": [SCHEMA_VERSION, "true", generator_label(scale, seed, as_at, faults), as_at.isoformat()],
        }
    )


def _families_table(families: Families, family_id: np.ndarray, as_at: np.datetime64) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "family_id": family_id,
            "site_id": families.site_id,
            "enrolled_on": families.enrolled_on,
            "due_on": families.due_on,
            "birth_on": families.birth_on(as_at),
            "exit_on": families.exit_on,
            "exit_reason": families.exit_reason,
        }
    )
