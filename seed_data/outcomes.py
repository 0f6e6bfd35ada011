"""Outcome measures at the programme's time points: social-care involvement and assessments.

Time points and the date each is anchored to (also used by the data-quality window check):
    baseline / entry   the family's enrolled_on
    birth              the baby's birth_on
    m12                the baby's first birthday
    m24                the baby's second birthday (the end of the programme)
A time point is recorded only if the family (for assessments of a parent: that parent) is
still in the programme on its anchor date and the date is not after as_at.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from queries.schema import ASQ3_DOMAINS, SOCIAL_CARE_LEVELS
from seed_data.dates import earliest, plus_days
from seed_data.journeys import Families, Parents

# Social care: a family's latent need, eased over time by the work, cut at thresholds that
# give about 30% none / 17% early help / 25% child in need / 28% child protection at
# baseline (the evaluation: 70% had social-care input at baseline, about a third at 24 months).
LEVEL_THRESHOLDS = (-0.524, -0.075, 0.583)  # standard-normal quantiles 0.30, 0.47, 0.72
NEED_EASING = {"baseline": 0.0, "birth": 0.25, "m12": 0.6, "m24": 0.95}
NEED_NOISE = 0.45

# ASQ-3 cut-offs (score at or below = refer for further assessment) and ASQ:SE-2 cut-offs
# (score above = refer). Illustrative values close to the published ones.
ASQ3_CUTOFFS = {
    "m12": (15.64, 21.49, 34.50, 27.32, 21.73),
    "m24": (25.17, 38.07, 35.16, 29.78, 31.54),
}
ASQ_SE2_CUTOFF = {"m12": 48, "m24": 50}
ASQ3_SD, ASQ3_MARGIN = 12.0, 16.0  # mean sits this far above the cut-off: ~90% above it
ASQ_SE2_MEAN, ASQ_SE2_SD = 25.0, 18.0

CORE10_ENTRY_MEAN, CORE10_ENTRY_SD = 17.0, 6.5
CORE10_CLINICAL_CUTOFF = 11  # below this is within the normal (non-clinical) range
CORE10_IMPROVEMENT_MEAN, CORE10_IMPROVEMENT_SD = 6.5, 5.0
CORE10_IMPROVEMENT_SO_FAR = {"entry": 0.0, "birth": 0.35, "m12": 0.75, "m24": 0.95}

MISSING_VISIT_SHARE = 0.04  # a whole time point's assessments not done
MISSING_MEASURE_SHARE = 0.03  # one measure not done or not recorded


def make_social_care_status(rng: np.random.Generator, families: Families, family_id: np.ndarray) -> pd.DataFrame:
    n = len(families)
    until = families.in_programme_until
    anchors = {
        "baseline": families.enrolled_on,
        "birth": families.born_on,
        "m12": families.first_birthday,
        "m24": families.second_birthday,
    }
    frames = []
    for time_point, anchor in anchors.items():
        reached = anchor <= until
        noise = 0.0 if time_point == "baseline" else rng.normal(0, NEED_NOISE, n)
        level_index = np.searchsorted(LEVEL_THRESHOLDS, families.need - NEED_EASING[time_point] + noise)
        level = np.asarray(SOCIAL_CARE_LEVELS[:4], dtype=object)[level_index]
        level[families.removed_on <= anchor] = "looked_after"
        delay = 0 if time_point in ("baseline", "m24") else rng.integers(0, 15, n)
        recorded_on = earliest(plus_days(anchor, delay), until)
        frames.append(
            pd.DataFrame(
                {
                    "family_id": family_id[reached],
                    "time_point": time_point,
                    "level": level[reached],
                    "recorded_on": recorded_on[reached],
                }
            )
        )
    table = pd.concat(frames, ignore_index=True)
    return table.sort_values(["family_id", "time_point"], key=_time_point_order, kind="stable", ignore_index=True)


def _time_point_order(column: pd.Series) -> pd.Series:
    order = {"baseline": 0, "entry": 0, "birth": 1, "m12": 2, "m24": 3}
    return column.map(order) if column.name == "time_point" else column


def _measures(
    family: np.ndarray,
    parent: np.ndarray | None,
    subject: str,
    instrument: str,
    time_point: str,
    assessed_on: np.ndarray,
    score: np.ndarray,
    normal: np.ndarray,
) -> pd.DataFrame:
    """Rows of one instrument at one time point (parent is None for babies)."""
    return pd.DataFrame(
        {
            "family": family,
            "parent": np.full(len(family), -1) if parent is None else parent,
            "subject": subject,
            "instrument": instrument,
            "time_point": time_point,
            "assessed_on": assessed_on,
            "score": score.astype(float),
            "within_normal_range": normal,
        }
    )


def _baby_assessments(rng: np.random.Generator, families: Families) -> list[pd.DataFrame]:
    n = len(families)
    development = rng.standard_normal(n) - 0.15 * families.need
    until = families.in_programme_until
    measures = []
    for time_point, anchor in (("m12", families.first_birthday), ("m24", families.second_birthday)):
        if time_point == "m12":
            assessed_on = plus_days(anchor, rng.integers(-14, 29, n))
        else:  # done in the last weeks before the programme ends
            assessed_on = plus_days(anchor, -rng.integers(0, 29, n))
        assessed_on = earliest(assessed_on, until)
        here = np.flatnonzero(anchor <= until)
        scores = {}
        for domain, cutoff in zip(ASQ3_DOMAINS, ASQ3_CUTOFFS[time_point], strict=True):
            raw = cutoff + ASQ3_MARGIN + ASQ3_SD * (0.6 * development + 0.8 * rng.standard_normal(n))
            score = np.clip(np.rint(raw / 5) * 5, 0, 60)  # ASQ-3 domain scores go in fives
            scores[domain] = (score, score > cutoff)
        raw = ASQ_SE2_MEAN + ASQ_SE2_SD * (-0.6 * development + 0.8 * rng.standard_normal(n))
        score = np.clip(np.rint(raw / 5) * 5, 0, None)
        scores["asq_se2"] = (score, score <= ASQ_SE2_CUTOFF[time_point])
        for instrument, (score, normal) in scores.items():
            measures.append(
                _measures(here, None, "baby", instrument, time_point, assessed_on[here], score[here], normal[here])
            )
    return measures


def _parent_assessments(rng: np.random.Generator, families: Families, parents: Parents) -> list[pd.DataFrame]:
    m = len(parents)
    entry_score = rng.normal(CORE10_ENTRY_MEAN, CORE10_ENTRY_SD, m)
    improvement = rng.normal(CORE10_IMPROVEMENT_MEAN, CORE10_IMPROVEMENT_SD, m)
    engaged_until = parents.attends_until
    anchors = {
        "entry": parents.first_session_on,
        "birth": families.born_on[parents.family],
        "m12": families.first_birthday[parents.family],
        "m24": families.second_birthday[parents.family],
    }
    measures = []
    for time_point, anchor in anchors.items():
        if time_point == "m24":
            assessed_on = plus_days(anchor, -rng.integers(0, 22, m))
        else:
            assessed_on = earliest(plus_days(anchor, rng.integers(0, 22, m)), engaged_until)
        noise = 0.0 if time_point == "entry" else rng.normal(0, 3, m)
        raw = entry_score - improvement * CORE10_IMPROVEMENT_SO_FAR[time_point] + noise
        score = np.clip(np.rint(raw), 0, 40)
        here = np.flatnonzero(anchor <= engaged_until)  # NaT (never attended) compares False
        measures.append(
            _measures(
                parents.family[here],
                here,
                "parent",
                "core10",
                time_point,
                assessed_on[here],
                score[here],
                score[here] < CORE10_CLINICAL_CUTOFF,
            )
        )
    return measures


def make_assessments(
    rng: np.random.Generator, families: Families, parents: Parents, family_id: np.ndarray, parent_id: np.ndarray
) -> pd.DataFrame:
    rows = pd.concat(_baby_assessments(rng, families) + _parent_assessments(rng, families, parents))

    # Some visits do not happen and some measures are not recorded. A visit is one baby or
    # one parent at one time point.
    visit = rows.groupby(["family", "parent", "time_point"], sort=False).ngroup().to_numpy()
    visit_missed = rng.random(visit.max() + 1 if len(visit) else 0) < MISSING_VISIT_SHARE
    rows = rows[~visit_missed[visit] & (rng.random(len(rows)) >= MISSING_MEASURE_SHARE)]

    parent = rows["parent"].to_numpy()
    table = pd.DataFrame(
        {
            "family_id": family_id[rows["family"].to_numpy()],
            "subject": rows["subject"].to_numpy(),
            "parent_id": pd.array(np.where(parent >= 0, parent_id[np.maximum(parent, 0)], 0), dtype="Int64"),
            "instrument": rows["instrument"].to_numpy(),
            "time_point": rows["time_point"].to_numpy(),
            "assessed_on": rows["assessed_on"].to_numpy(),
            "score": rows["score"].to_numpy(),
            "within_normal_range": rows["within_normal_range"].to_numpy(),
        }
    )
    table.loc[parent < 0, "parent_id"] = pd.NA  # babies
    table = table.sort_values(
        ["assessed_on", "family_id", "subject", "parent_id", "instrument"], kind="stable", ignore_index=True
    )
    table.insert(0, "assessment_id", np.arange(1, len(table) + 1))
    return table
