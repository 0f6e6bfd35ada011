"""Funnel plots: sites compared on a proportion (for example families retained out of families
enrolled) against the number of families behind it, so a small site's chance wobble is not
mistaken for a difference. The limits narrow as the number grows (Spiegelhalter, 2005):

    target ± z × sqrt(target × (1 − target) / n), clipped to [0, 1],

where the target is the pooled proportion of all sites, and z gives 95% and 99.8% limits.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

Z_95 = 1.959964
Z_998 = 3.090232
LIMITS = ("lower_998", "lower_95", "upper_95", "upper_998")
POSITIONS = ("above 99.8%", "above 95%", "within", "below 95%", "below 99.8%")


@dataclass(frozen=True)
class Funnel:
    """The pooled target and, per site (index), `n`, `proportion`, the four limits at that n
    (`lower_998`, `lower_95`, `upper_95`, `upper_998`) and `position`, one of POSITIONS."""

    target: float
    sites: pd.DataFrame

    def curve(self, n_max: float | None = None, points: int = 200) -> pd.DataFrame:
        """The limit lines for drawing: `n` from 1 to n_max (default the largest site), spaced
        closer where the lines bend most (small n), with the four limits at each."""
        top = float(self.sites["n"].max()) if n_max is None else float(n_max)
        n = np.geomspace(1, max(top, 1), points)
        return limits(self.target, pd.Series(n)).assign(n=n)[["n", *LIMITS]]


def funnel(numerators: pd.Series, denominators: pd.Series) -> Funnel:
    """Sites (the shared index) compared on numerators / denominators. Sites with a denominator of
    0 are left out. Raises ValueError when a value is missing or impossible, the two series name
    different sites, or no site has a denominator above 0."""
    frame = pd.concat({"numerator": numerators, "n": denominators}, axis=1)
    if len(frame) != len(numerators) or len(frame) != len(denominators):
        raise ValueError("A funnel plot needs a numerator and a denominator for the same sites.")
    if frame.isna().any().any():
        raise ValueError("A funnel plot needs every site's numerator and denominator; some are missing.")
    if ((frame["numerator"] < 0) | (frame["numerator"] > frame["n"])).any():
        raise ValueError("A funnel plot's numerator must be between 0 and its denominator.")
    frame = frame[frame["n"] > 0].astype(float)
    if frame.empty:
        raise ValueError("A funnel plot needs at least one site with a denominator above 0.")
    target = float(frame["numerator"].sum() / frame["n"].sum())
    sites = pd.concat(
        [frame[["n"]].assign(proportion=frame["numerator"] / frame["n"]), limits(target, frame["n"])], axis=1
    )
    return Funnel(target, sites.assign(position=[_position(row) for row in sites.itertuples()]))


def limits(target: float, n: pd.Series) -> pd.DataFrame:
    """The 95% and 99.8% limits around `target` for each number `n`, clipped to [0, 1]."""
    spread = np.sqrt(target * (1 - target) / n)
    return pd.DataFrame(
        {
            "lower_998": target - Z_998 * spread,
            "lower_95": target - Z_95 * spread,
            "upper_95": target + Z_95 * spread,
            "upper_998": target + Z_998 * spread,
        },
        index=n.index,
    ).clip(0, 1)


def _position(site) -> str:
    # A proportion exactly on a limit is within it: only beyond a limit is unusual.
    if site.proportion > site.upper_998:
        return "above 99.8%"
    if site.proportion > site.upper_95:
        return "above 95%"
    if site.proportion < site.lower_998:
        return "below 99.8%"
    if site.proportion < site.lower_95:
        return "below 95%"
    return "within"
