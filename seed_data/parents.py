"""The parents table: practitioner allocation, non-identifying attributes and the
identifying fields a real case system holds (names, dates of birth, postcodes, NHS numbers)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from faker import Faker

from queries.schema import AGE_BANDS, ETHNICITY_GROUPS
from seed_data.dates import add_years, plus_days
from seed_data.journeys import Families, Parents

AGE_BAND_YEARS = {
    "16-19": (16, 19),
    "20-24": (20, 24),
    "25-29": (25, 29),
    "30-34": (30, 34),
    "35-39": (35, 39),
    "40+": (40, 49),
}
AGE_BAND_SHARES = {  # age at enrolment
    "mother": (0.10, 0.28, 0.30, 0.20, 0.09, 0.03),
    "partner": (0.04, 0.22, 0.30, 0.24, 0.13, 0.07),
}
ETHNICITY_SHARES = (0.70, 0.06, 0.09, 0.08, 0.03, 0.04)
EXPERIENCED_ABUSE_SHARE = {"mother": 0.88, "father": 0.40, "co_parent": 0.60}
USED_ABUSIVE_BEHAVIOURS_SHARE = {"mother": 0.12, "father": 0.78, "co_parent": 0.35}
MISSING_NHS_NUMBER_SHARE = 0.02  # partners not registered locally
TEST_NHS_PREFIX = 999  # NHS numbers starting 999 are never issued to patients

assert tuple(AGE_BAND_YEARS) == AGE_BANDS


def nhs_check_digit(first_nine: np.ndarray) -> np.ndarray:
    """Modulus-11 check digit for rows of nine digits; 10 means the number is not valid."""
    weights = np.arange(10, 1, -1)
    remainder = (first_nine * weights).sum(axis=1) % 11
    return np.where(remainder == 0, 0, 11 - remainder)


def make_nhs_numbers(rng: np.random.Generator, n: int) -> np.ndarray:
    """n distinct valid NHS numbers in the 999 test range, as 10-character strings."""
    suffixes = rng.choice(1_000_000, size=min(1_000_000, int(n * 1.15) + 100), replace=False)
    digits = np.column_stack(
        [np.full((len(suffixes), 3), [9, 9, 9])] + [(suffixes // 10**p) % 10 for p in range(5, -1, -1)]
    )
    check = nhs_check_digit(digits)
    valid = check != 10
    if valid.sum() < n:
        raise ValueError(f"cannot make {n} distinct test-range NHS numbers")
    numbers = TEST_NHS_PREFIX * 10**7 + suffixes[valid][:n] * 10 + check[valid][:n]
    return np.array([f"{x:010d}" for x in numbers], dtype=object)


def allocate_practitioners(
    rng: np.random.Generator, families: Families, parents: Parents, practitioners: pd.DataFrame
) -> np.ndarray:
    """Each parent gets a therapeutic practitioner of their site who is in post for the whole
    of the family's time in the programme; the two parents of a family never share one."""
    staff = practitioners[practitioners["role"] == "therapeutic_practitioner"]
    by_site = {
        site: (
            group["practitioner_id"].to_numpy(),
            group["started_on"].to_numpy().astype("datetime64[D]"),
            group["left_on"].to_numpy().astype("datetime64[D]"),
        )
        for site, group in staff.groupby("site_id")
    }
    allocated = np.zeros(len(parents), dtype=np.int64)
    first_parent = np.searchsorted(parents.family, np.arange(len(families)))
    parent_count = np.bincount(parents.family, minlength=len(families))
    for f in range(len(families)):
        ids, started, left = by_site[families.site_id[f]]
        in_post = (started <= families.enrolled_on[f]) & (np.isnat(left) | (left >= families.in_programme_until[f]))
        chosen = rng.choice(ids[in_post], size=parent_count[f], replace=False)
        allocated[first_parent[f] : first_parent[f] + parent_count[f]] = chosen
    return allocated


def _dates_of_birth(fake: Faker, age_band: np.ndarray, enrolled_on: np.ndarray) -> list[dt.date]:
    """A date of birth that puts the parent in their age band on the day they enrolled."""
    youngest = np.array([AGE_BAND_YEARS[b][0] for b in age_band])
    oldest = np.array([AGE_BAND_YEARS[b][1] for b in age_band])
    latest = _years_before(enrolled_on, youngest)
    earliest = plus_days(_years_before(enrolled_on, oldest + 1), 1)
    return [
        fake.date_between_dates(date_start=first.astype(dt.date), date_end=last.astype(dt.date))
        for first, last in zip(earliest, latest, strict=True)
    ]


def _years_before(dates: np.ndarray, years: np.ndarray) -> np.ndarray:
    out = np.empty_like(dates)
    for y in np.unique(years):
        mask = years == y
        out[mask] = add_years(dates[mask], -int(y))
    return out


def _share_by_role(role: np.ndarray, shares: dict[str, float]) -> np.ndarray:
    return np.select([role == r for r in shares], list(shares.values()))


def make_parents_table(
    rng: np.random.Generator,
    fake: Faker,
    families: Families,
    parents: Parents,
    family_id: np.ndarray,
    practitioner_id: np.ndarray,
) -> pd.DataFrame:
    m = len(parents)
    role = parents.role
    is_mother = role == "mother"

    age_band = np.where(
        is_mother,
        rng.choice(AGE_BANDS, size=m, p=AGE_BAND_SHARES["mother"]),
        rng.choice(AGE_BANDS, size=m, p=AGE_BAND_SHARES["partner"]),
    )
    ace_count = np.minimum(rng.poisson(4.3, m), 10)
    experienced_abuse = rng.random(m) < _share_by_role(role, EXPERIENCED_ABUSE_SHARE)
    used_abusive_behaviours = rng.random(m) < _share_by_role(role, USED_ABUSIVE_BEHAVIOURS_SHARE)
    # Adverse childhood experiences cluster: more ACEs, likelier abuse in childhood.
    abuse_in_childhood = rng.random(m) < np.clip(0.25 + 0.07 * ace_count, 0, 0.9)

    nhs_number = make_nhs_numbers(rng, m)
    nhs_number[~is_mother & (rng.random(m) < MISSING_NHS_NUMBER_SHARE)] = None

    names = [fake.name_female() if r == "mother" else fake.name_male() if r == "father" else fake.name() for r in role]
    dates_of_birth = _dates_of_birth(fake, age_band, families.enrolled_on[parents.family])
    postcodes = [fake.postcode() for _ in range(m)]

    return pd.DataFrame(
        {
            "parent_id": np.arange(1, m + 1),
            "family_id": family_id[parents.family],
            "role": role,
            "practitioner_id": pd.array(practitioner_id, dtype="Int64"),
            "full_name": names,
            "date_of_birth": np.array(dates_of_birth, dtype="datetime64[D]"),
            "postcode": postcodes,
            "nhs_number": nhs_number,
            "age_band": age_band,
            "ethnicity_group": rng.choice(ETHNICITY_GROUPS, size=m, p=ETHNICITY_SHARES),
            "ace_count": ace_count,
            "experienced_abuse": experienced_abuse,
            "used_abusive_behaviours": used_abusive_behaviours,
            "abuse_in_childhood": abuse_in_childhood,
        }
    )
