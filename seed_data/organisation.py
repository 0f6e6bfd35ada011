"""Sites (one per commissioning local authority) and their practitioners."""

from __future__ import annotations

import numpy as np
import pandas as pd
from faker import Faker

from seed_data.dates import days_from, plus_days

PROGRAMME_START = np.datetime64("2020-04-01", "D")
LAST_SITE_OPENS = np.datetime64("2022-04-01", "D")
SITES_PER_SCALE = 6

# (site name, local authority). Plausible English authorities; the data are synthetic and
# the app says so on every page.
SITE_NAMES = (
    ("Hertfordshire", "Hertfordshire County Council"),
    ("Stockport", "Stockport Metropolitan Borough Council"),
    ("Lewisham", "London Borough of Lewisham"),
    ("Blackpool", "Blackpool Council"),
    ("Norfolk", "Norfolk County Council"),
    ("Sandwell", "Sandwell Metropolitan Borough Council"),
    ("Derbyshire", "Derbyshire County Council"),
    ("Plymouth", "Plymouth City Council"),
    ("Leeds", "Leeds City Council"),
    ("Bristol", "Bristol City Council"),
    ("Kent", "Kent County Council"),
    ("Sunderland", "Sunderland City Council"),
    ("Croydon", "London Borough of Croydon"),
    ("Nottingham", "Nottingham City Council"),
    ("Cornwall", "Cornwall Council"),
    ("Wigan", "Wigan Council"),
    ("Suffolk", "Suffolk County Council"),
    ("Walsall", "Walsall Council"),
    ("Southampton", "Southampton City Council"),
    ("Cumberland", "Cumberland Council"),
    ("Hackney", "London Borough of Hackney"),
    ("Luton", "Luton Borough Council"),
    ("Wakefield", "Wakefield Council"),
    ("Medway", "Medway Council"),
)

# Each site starts with a core team that stays; more practitioners join as the caseload
# builds up over the first 18 months, and some of those later leave.
CORE_PRACTITIONERS = 3
PRACTITIONERS_PER_SITE = (6, 10)
LEAVER_SHARE = 0.25


def make_sites(rng: np.random.Generator, scale: int, as_at: np.datetime64) -> pd.DataFrame:
    """Sites open one after another between April 2020 and April 2022 (first of a month)."""
    n = SITES_PER_SCALE * scale
    last_opening = min(LAST_SITE_OPENS, as_at)
    spread = np.linspace(0, days_from(PROGRAMME_START, last_opening), n).round().astype(int)
    opened_on = plus_days(np.full(n, PROGRAMME_START), spread)
    opened_on = opened_on.astype("datetime64[M]").astype("datetime64[D]")

    order = rng.permutation(len(SITE_NAMES))
    names, authorities = [], []
    for i in range(n):
        name, authority = SITE_NAMES[order[i % len(SITE_NAMES)]]
        round_number = i // len(SITE_NAMES)
        names.append(name if round_number == 0 else f"{name} {round_number + 1}")
        authorities.append(authority)

    return pd.DataFrame(
        {
            "site_id": np.arange(1, n + 1),
            "name": names,
            "local_authority": authorities,
            "opened_on": opened_on,
            "closed_on": np.full(n, np.datetime64("NaT", "D")),
            "target_caseload": rng.integers(30, 41, n),
        }
    )


def make_practitioners(
    rng: np.random.Generator, fake: Faker, sites: pd.DataFrame, as_at: np.datetime64
) -> pd.DataFrame:
    """One team manager and 6-10 therapeutic practitioners per site."""
    n_sites = len(sites)
    opened = sites["opened_on"].to_numpy().astype("datetime64[D]")
    per_site = rng.integers(PRACTITIONERS_PER_SITE[0], PRACTITIONERS_PER_SITE[1] + 1, n_sites)

    site_index = np.repeat(np.arange(n_sites), per_site)
    rank_in_site = np.arange(len(site_index)) - np.repeat(np.cumsum(per_site) - per_site, per_site)
    is_core = rank_in_site < CORE_PRACTITIONERS
    join_delay = np.where(is_core, 0, rng.integers(30, 540, len(site_index)))
    started_on = plus_days(opened[site_index], join_delay)

    leaves = ~is_core & (rng.random(len(site_index)) < LEAVER_SHARE)
    left_on = plus_days(started_on, rng.integers(300, 1200, len(site_index)))
    # A leaving date still to come is not known yet.
    left_on = np.where(leaves & (left_on <= as_at), left_on, np.datetime64("NaT", "D"))

    therapeutic = pd.DataFrame(
        {
            "site_id": sites["site_id"].to_numpy()[site_index],
            "role": "therapeutic_practitioner",
            "started_on": started_on,
            "left_on": left_on,
        }
    )
    managers = pd.DataFrame(
        {
            "site_id": sites["site_id"].to_numpy(),
            "role": "team_manager",
            "started_on": opened,
            "left_on": np.full(n_sites, np.datetime64("NaT", "D")),
        }
    )
    staff = pd.concat([managers, therapeutic], ignore_index=True)
    # Nobody is recorded before they start.
    staff = staff[staff["started_on"] <= as_at]
    staff = staff.sort_values(["site_id", "started_on", "role"], kind="stable", ignore_index=True)
    staff.insert(0, "practitioner_id", np.arange(1, len(staff) + 1))
    staff.insert(2, "full_name", [fake.name() for _ in range(len(staff))])
    return staff[["practitioner_id", "site_id", "full_name", "role", "started_on", "left_on"]]
