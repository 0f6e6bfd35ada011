"""Each enrolled family's path through the programme, and each parent's engagement.

A family is worked with from enrolment (in pregnancy) to the baby's second birthday. It may
leave earlier: when the mother stops engaging (exit "disengaged"), the family moves away,
the baby is removed from the parents' care, risk becomes unmanageable, or for other reasons.
Fathers and co-parents stop engaging more often than mothers; the family carries on without
them. A latent "need" score per family links social-care involvement, safeguarding activity
and the chance of removal or a risk exit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from seed_data.dates import NO_DATE, add_years, earliest, plus_days, to_weekday

# Chance that a parent stops engaging before the family's work ends, by role.
DISENGAGE_SHARE = {"mother": 0.13, "father": 0.30, "co_parent": 0.25}
NEVER_ENGAGE_SHARE = 0.05  # partners who are offered the work but never attend
PARTNER_SHARE = {"father": 0.90, "co_parent": 0.03}  # the rest: the mother only
# Early family exits other than disengagement: (chance over the programme, need sensitivity)
EXIT_CHANCE = {
    "moved_away": (0.06, 0.0),
    "baby_removed": (0.035, 0.8),
    "risk": (0.035, 0.5),
    "other": (0.04, 0.0),
}
REMOVAL_AT_BIRTH_SHARE = 0.5  # care proceedings in pregnancy often end in removal at birth
DNA_TAIL_DAYS = 49  # sessions still offered after a parent stops coming


@dataclass
class Families:
    """One entry per enrolled family, in family_id order."""

    site_id: np.ndarray
    enrolled_on: np.ndarray
    due_on: np.ndarray
    born_on: np.ndarray  # true birth date, possibly after as_at
    first_birthday: np.ndarray
    second_birthday: np.ndarray
    need: np.ndarray  # latent, standard normal; higher = more social-care involvement
    exit_on: np.ndarray  # NaT while open
    exit_reason: np.ndarray  # None while open
    removed_on: np.ndarray  # date the baby was removed (baby_removed exits only)
    in_programme_until: np.ndarray  # exit_on, or as_at for open families

    def __len__(self) -> int:
        return len(self.site_id)

    def birth_on(self, as_at: np.datetime64) -> np.ndarray:
        return np.where(self.born_on <= as_at, self.born_on, NO_DATE)


@dataclass
class Parents:
    """One entry per parent, grouped by family (mother first)."""

    family: np.ndarray  # index into Families
    role: np.ndarray
    first_session_on: np.ndarray
    attends_until: np.ndarray  # last day of regular sessions (NaT: never attends)
    stopped_on: np.ndarray  # when the parent stopped engaging early (NaT if they did not)
    offered_until: np.ndarray  # sessions still offered (and missed) up to this date

    def __len__(self) -> int:
        return len(self.family)


def _time_of_stopping(rng: np.random.Generator, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Dates between start and end, weighted to the earlier part of the work."""
    span = (end - start).astype(int)
    return plus_days(start, np.floor(span * rng.beta(1.3, 2.2, len(start))).astype(int))


def make_families(
    rng: np.random.Generator,
    site_id: np.ndarray,
    enrolled_on: np.ndarray,
    due_on: np.ndarray,
    born_on: np.ndarray,
    as_at: np.datetime64,
) -> tuple[Families, np.ndarray]:
    """Family journeys plus the date each mother stopped engaging (NaT if she did not)."""
    n = len(site_id)
    need = rng.standard_normal(n)
    first_birthday, second_birthday = add_years(born_on, 1), add_years(born_on, 2)

    mother_stops = rng.random(n) < DISENGAGE_SHARE["mother"]
    mother_stopped_on = _time_of_stopping(rng, enrolled_on, second_birthday)
    closed_after_stopping = plus_days(mother_stopped_on, rng.integers(28, 71, n))

    removal_delay = np.where(rng.random(n) < REMOVAL_AT_BIRTH_SHARE, 0, rng.integers(30, 600, n))
    removed_on = plus_days(born_on, removal_delay)
    any_time = _uniform_between(rng, plus_days(enrolled_on, 14), second_birthday)

    candidates = {"disengaged": np.where(mother_stops, closed_after_stopping, NO_DATE)}
    for reason, (chance, need_weight) in EXIT_CHANCE.items():
        # exp(w*need) has mean exp(w²/2); dividing keeps the overall chance as stated.
        p = np.clip(chance * np.exp(need_weight * need - need_weight**2 / 2), 0, 0.6)
        when = plus_days(removed_on, rng.integers(14, 57, n)) if reason == "baby_removed" else any_time()
        candidates[reason] = np.where(rng.random(n) < p, when, NO_DATE)

    reasons = np.array(list(candidates) + ["completed"], dtype=object)
    stacked = np.stack(list(candidates.values()) + [second_birthday], axis=1)
    stacked = np.where(np.isnat(stacked), np.datetime64("9999-12-31", "D"), stacked)
    first_event = stacked.argmin(axis=1)
    exit_on = stacked[np.arange(n), first_event]
    # The mother's stopping matters only if it comes before any other exit; it can already
    # have happened in a family that is not closed yet.
    mother_stopped_on = np.where(first_event == 0, mother_stopped_on, NO_DATE)
    exit_reason = reasons[first_event]

    still_open = exit_on > as_at
    exit_on = np.where(still_open, NO_DATE, exit_on)
    exit_reason[still_open] = None
    removed = exit_reason == "baby_removed"
    families = Families(
        site_id=site_id,
        enrolled_on=enrolled_on,
        due_on=due_on,
        born_on=born_on,
        first_birthday=first_birthday,
        second_birthday=second_birthday,
        need=need,
        exit_on=exit_on,
        exit_reason=exit_reason,
        removed_on=np.where(removed, removed_on, NO_DATE),
        in_programme_until=earliest(exit_on, np.full(n, as_at)),
    )
    return families, mother_stopped_on


def _uniform_between(rng: np.random.Generator, start: np.ndarray, end: np.ndarray) -> Callable[[], np.ndarray]:
    span = np.maximum((end - start).astype(int), 1)
    return lambda: plus_days(start, np.floor(rng.random(len(start)) * span).astype(int))


def make_parents(rng: np.random.Generator, families: Families, mother_stopped_on: np.ndarray) -> Parents:
    n = len(families)
    partner_draw = rng.random(n)
    partner_role = np.where(
        partner_draw < PARTNER_SHARE["father"],
        "father",
        np.where(partner_draw < PARTNER_SHARE["father"] + PARTNER_SHARE["co_parent"], "co_parent", ""),
    )
    has_partner = partner_role != ""
    family = np.repeat(np.arange(n), 1 + has_partner)
    is_mother = np.ones(len(family), dtype=bool)
    is_mother[1:] = family[1:] != family[:-1]
    role = np.where(is_mother, "mother", partner_role[family]).astype(object)
    m = len(family)

    enrolled_on = families.enrolled_on[family]
    until = families.in_programme_until[family]
    first_delay = np.where(is_mother, rng.integers(2, 15, m), rng.integers(2, 29, m))
    first_session_on = to_weekday(plus_days(enrolled_on, first_delay), until)

    # Partners stop engaging on their own; mothers only as part of a "disengaged" exit.
    stop_share = np.select(
        [role == "father", role == "co_parent"],
        [DISENGAGE_SHARE["father"], DISENGAGE_SHARE["co_parent"]],
        0.0,
    )
    partner_stops = rng.random(m) < stop_share
    partner_stopped_on = _time_of_stopping(rng, enrolled_on, families.second_birthday[family])
    never_engages = partner_stops & (rng.random(m) * stop_share < NEVER_ENGAGE_SHARE)
    partner_stopped_on = np.where(never_engages, enrolled_on, partner_stopped_on)
    stopped_on = np.where(is_mother, mother_stopped_on[family], np.where(partner_stops, partner_stopped_on, NO_DATE))
    stopped_on = np.where(stopped_on < until, stopped_on, NO_DATE)

    attends_until = earliest(stopped_on, until)
    attends_until = np.where(attends_until >= first_session_on, attends_until, NO_DATE)
    offered_until = np.where(np.isnat(stopped_on), NO_DATE, earliest(plus_days(stopped_on, DNA_TAIL_DAYS), until))
    return Parents(
        family=family,
        role=role,
        first_session_on=first_session_on,
        attends_until=attends_until,
        stopped_on=stopped_on,
        offered_until=offered_until,
    )
