"""Disclosure control for trustees and commissioners: the one module every figure they receive
passes through on its way out (tables, charts, tiles, captions, downloads, PDFs and slides).

The method is the one NHS England's secondary-care statistics (Hospital Episode Statistics, ECDS)
adopted in September 2018, in place of "suppress 1-5, then secondary suppression", which was
manual, error-prone and inconsistent between outputs (docs/privacy.md):

- 0 stays 0; a count from 1 to the threshold (7, or higher by configuration) is shown as a
  marker; every other count is rounded to the nearest 5.
- A total is worked out from the exact figures, then rounded like any count: parts need not add
  up to their total.
- A share or rate is worked out from the rounded numerator and denominator, and shown only when
  the rounded denominator is at least 10, as a whole percentage (or a whole number per 100).
- A median or other statistic (a survival estimate) is shown only when it rests on more cases
  than the threshold.

Because each figure is rounded on its own, a published 10 says "8 to 12" and a marker "1 to 7"
wherever it appears: no table, period or site choice needs to know what else is shown.

Leadership sees exact figures: `DisclosureRule.exact()` changes nothing. A table whose numbers
are not all declared (counts, rates, statistics or the dimensions that make a cell) is refused,
for every role, so a figure cannot reach a protected reader without this module knowing what its
numbers are.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from dashboard.problems import SetupProblem

POLICY_THRESHOLD = 7  # the floor: configuration may raise it, never lower it
ROUND_TO = 5
MIN_DENOMINATOR = 10
NO_VALUE = "–"  # a share with nothing to divide by, or a statistic withheld
THRESHOLD_SETTING = "SUPPRESSION_THRESHOLD"
# A survival estimate moves by an event's share of those at risk: to the nearest 5 points over 50
# or more at risk, one step covers several events, so no count of a few can be read from two.
SURVIVAL_STEP = 0.05
SURVIVAL_MIN_AT_RISK = 50


def marker(threshold: int) -> str:
    """The text a hidden count is shown as: it says what it stands for, on screen, on paper and
    read aloud ("1 to 7"), and no spreadsheet takes it for a date or a number."""
    return f"1–{threshold}"


MARKER = marker(POLICY_THRESHOLD)


def min_denominator(threshold: int) -> int:
    return max(MIN_DENOMINATOR, threshold + 1)


def legend(threshold: int) -> str:
    return (
        f"To protect families' privacy, counts are rounded to the nearest {ROUND_TO} and a count from 1 to "
        f"{threshold} is shown as “{marker(threshold)}” (0 is shown as 0). Totals are rounded from the exact "
        f"figures, so parts may not add up to their total. Shares and rates are worked out from the "
        f"rounded figures and shown only over {min_denominator(threshold)} or more; medians and other "
        f"statistics only when they rest on more than {threshold} cases; otherwise “{NO_VALUE}”."
    )


def footnote(threshold: int) -> str:
    return (
        f"Counts rounded to the nearest {ROUND_TO}; “{marker(threshold)}” is a count from 1 to {threshold}; "
        "parts may not add up to totals."
    )


def threshold_from(setting: object) -> int:
    """The configured threshold (text from the environment, or any value from secrets.toml): a
    whole number no lower than the policy's floor, or refused."""
    text = "" if setting is None else str(setting).strip()
    if not text:
        return POLICY_THRESHOLD
    if not (text.isascii() and text.isdigit()) or int(text) < POLICY_THRESHOLD:
        raise SetupProblem(
            f"{THRESHOLD_SETTING} is set to “{setting}”, which the Trust's privacy policy does not allow.",
            details=(
                f"It must be a whole number of at least {POLICY_THRESHOLD}: counts from 1 to it are hidden "
                "from trustees and commissioners, and it may be raised but never lowered.",
            ),
            advice=f"Set {THRESHOLD_SETTING} to {POLICY_THRESHOLD} or more, or leave it unset for "
            f"{POLICY_THRESHOLD}, then restart the dashboard.",
        )
    return int(text)


@dataclass(frozen=True)
class Counts:
    """What each number column of a table is, so the rule knows how to publish it.

    value: the table's count. dims: the columns that make a cell (their values are labels, never
    protected). rates: each rate column and its denominator column; the numerator is `value`,
    and `per` gives a rate's multiplier (100 for "per 100 families"; 1, a share, by default).
    statistics: each statistic column (a median, a survival estimate) and the count column of
    the cases it rests on; means: those of them that are means over their cases (so a grouping
    can work them out again, dashboard.privacy.grouping); survival: those of them that are survival
    estimates, which step down by each event's share of those at risk, so that a fine estimate
    over few people gives its events away: for a protected viewer they are published to the
    nearest SURVIVAL_STEP, and only over SURVIVAL_MIN_AT_RISK or more; decimals: the places a
    statistic is published to, for every viewer (2 by default, for a protected one). counts: any
    further count columns (each is rounded like `value`).
    references: numbers that describe no cases (a site's target caseload, its practitioners in
    post), published as they are. overlapping: the dimensions along which the same cases are
    counted again (time points, funnel stages, the months of a count of families active, groups
    such as "both parents"), so the value does not add up along them. totals: each count column
    that is the value's total over a dimension (a site's escalations, over the review results),
    the same on each of that dimension's rows."""

    value: str
    dims: tuple[str, ...]
    rates: Mapping[str, str] = field(default_factory=dict)
    per: Mapping[str, int] = field(default_factory=dict)
    statistics: Mapping[str, str] = field(default_factory=dict)
    means: tuple[str, ...] = ()
    survival: tuple[str, ...] = ()
    decimals: Mapping[str, int] = field(default_factory=dict)
    counts: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    overlapping: tuple[str, ...] = ()
    totals: Mapping[str, str] = field(default_factory=dict)

    @property
    def count_columns(self) -> tuple[str, ...]:
        declared = (self.value, *self.rates.values(), *self.statistics.values(), *self.counts)
        return tuple(dict.fromkeys(declared))

    def check(self, frame: pd.DataFrame) -> None:
        """Refuse a table with a number column this declaration does not name: it would be
        published without the rule knowing what it is."""
        named = {*self.dims, *self.count_columns, *self.rates, *self.statistics, *self.references}
        # A dimension may be absent (summed over, as grouped for a protected viewer); a number may not.
        missing = [c for c in named - set(self.dims) if c not in frame.columns]
        undeclared = [
            c
            for c in frame.columns
            if c not in named and (pd.api.types.is_numeric_dtype(frame[c]) or pd.api.types.is_bool_dtype(frame[c]))
        ]
        if missing or undeclared:
            raise ValueError(
                f"A table's numbers must all be declared to be published: missing {missing}, undeclared {undeclared}."
            )


@dataclass(frozen=True)
class Protected:
    plot: pd.DataFrame  # counts rounded, hidden ones missing (not drawn); rates from the rounded counts
    table: pd.DataFrame  # the same, with hidden counts as the marker and withheld rates as NO_VALUE
    any_hidden: bool  # some count is shown as the marker
    all_hidden: bool  # nothing non-zero is left to draw


@dataclass(frozen=True)
class DisclosureRule:
    threshold: int = POLICY_THRESHOLD
    active: bool = True

    def __post_init__(self) -> None:
        if self.active and self.threshold < POLICY_THRESHOLD:
            raise ValueError(f"The threshold may not be lowered below {POLICY_THRESHOLD}.")

    @classmethod
    def exact(cls) -> DisclosureRule:
        return cls(active=False)

    @classmethod
    def for_role(cls, role: str, threshold: int = POLICY_THRESHOLD) -> DisclosureRule:
        return cls.exact() if role == "leadership" else cls(threshold=threshold)

    @property
    def marker(self) -> str:
        return marker(self.threshold)

    @property
    def legend(self) -> str:
        return legend(self.threshold)

    @property
    def footnote(self) -> str | None:
        """The legend's gist for the foot of a printed page (None for exact figures)."""
        return footnote(self.threshold) if self.active else None

    @property
    def min_denominator(self) -> int:
        return min_denominator(self.threshold)

    # --- one figure at a time (tiles, captions, sentences) ----------------------------------------

    def count(self, value: float) -> float | None:
        """A count as published: exact for leadership; otherwise 0, None (the marker) or the
        nearest multiple of 5."""
        if not self.active or value != value:
            return value
        published = float(self._rounded(np.float64(value)))
        return None if published != published else published

    def count_text(self, value: float) -> str:
        published = self.count(value)
        if published is None:
            return self.marker
        return NO_VALUE if published != published else f"{int(published):,}"

    def rate(self, numerator: float, denominator: float, per: int = 1) -> float | None:
        """numerator / denominator × per as published, or None when it is withheld. For a
        protected reader it is worked out from the rounded counts, to a whole percentage (or a
        whole number per 100)."""
        if not self.active:
            return per * numerator / denominator if denominator else None
        published = float(
            self._rate_of_rounded(self._rounded(np.float64(numerator)), self._rounded(np.float64(denominator)), per)
        )
        return None if published != published else published

    def share_text(self, numerator: float, denominator: float) -> str:
        share = self.rate(numerator, denominator)
        return NO_VALUE if share is None else f"{share:.0%}"

    def statistic(self, value: float, cases: float) -> float | None:
        """A median or other statistic over `cases`, or None when it rests on too few."""
        if value != value or not cases or (self.active and cases <= self.threshold):
            return None
        return value

    def statistic_text(self, value: float, cases: float, style: str = "{:g}") -> str:
        shown = self.statistic(value, cases)
        return NO_VALUE if shown is None else style.format(shown)

    def change(self, now: float, before: float) -> float | None:
        """The change between two counts as a reader can work it out from what is published:
        None when either is hidden."""
        now_shown, before_shown = self.count(now), self.count(before)
        if now_shown is None or before_shown is None:
            return None
        return now_shown - before_shown

    # --- a table ------------------------------------------------------------------------------

    def protect(self, frame: pd.DataFrame, counts: Counts) -> Protected:
        """Apply the rule to a table: what may be plotted and what may be printed."""
        counts.check(frame)
        if counts.decimals:
            frame = frame.assign(**{column: frame[column].round(places) for column, places in counts.decimals.items()})
        if not self.active:
            return Protected(frame, frame, False, False)
        plot = frame.copy()
        exact = {column: frame[column].to_numpy(dtype=float) for column in counts.count_columns}
        for column, values in exact.items():
            plot[column] = self._rounded(values)
        for column, denominator in counts.rates.items():
            plot[column] = self._rate_of_rounded(
                plot[counts.value].to_numpy(), plot[denominator].to_numpy(), counts.per.get(column, 1)
            )
        for column, cases in counts.statistics.items():
            # To two decimal places (a whole percentage for a survival estimate): no finer than it can bear.
            plot[column] = frame[column].round(counts.decimals.get(column, 2)).where(exact[cases] > self.threshold)
        for column in counts.survival:
            coarse = (frame[column] / SURVIVAL_STEP).round() * SURVIVAL_STEP
            plot[column] = coarse.round(2).where(exact[counts.statistics[column]] >= SURVIVAL_MIN_AT_RISK)
        table = plot.copy()
        hidden = {column: (values > 0) & (values <= self.threshold) for column, values in exact.items()}
        for column, is_hidden in hidden.items():
            # A column with a marker is all text, so no table mixes numbers and text in a column.
            table[column] = (
                plot[column].astype("Int64")
                if not is_hidden.any()
                else pd.Series(
                    [self.marker if h else _plain(v) for h, v in zip(is_hidden, plot[column])],
                    index=plot.index,
                    dtype=object,
                )
            )
        for column in (*counts.rates, *counts.statistics):
            withheld = plot[column].isna() & frame[column].notna()
            if withheld.any():  # all text, as a count column with a marker is
                table[column] = [NO_VALUE if w else _plain(v) for w, v in zip(withheld, plot[column])]
        any_hidden = any(h.any() for h in hidden.values())
        all_hidden = any_hidden and not (plot[counts.value].fillna(0) > 0).any()
        return Protected(plot, table, any_hidden, all_hidden)

    def _rounded(self, values: np.ndarray | np.float64) -> np.ndarray:
        """Counts as published: 0, missing (the marker) or the nearest multiple of 5."""
        return np.where(values == 0, 0.0, np.where(values <= self.threshold, np.nan, _nearest(values)))

    def _rate_of_rounded(self, top: np.ndarray, bottom: np.ndarray, per: int) -> np.ndarray:
        """A rate from rounded counts: missing where either is hidden or the denominator too small;
        to a whole percentage (a share) or a whole number (per 100)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            rate = np.round(per * top / bottom, 2 if per == 1 else 0)
        return np.where(bottom >= self.min_denominator, rate, np.nan)

    def interval(self, exact: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The least and greatest values a reader can give counts from their published form: 0
        is 0; the marker 1 to the threshold; a rounded R from R − 2 to R + 2, above the threshold."""
        exact = np.asarray(exact, dtype=float)
        small = (exact > 0) & (exact <= self.threshold)
        rounded = _nearest(exact)
        low = np.where(exact == 0, 0.0, np.where(small, 1.0, np.maximum(rounded - 2, self.threshold + 1)))
        high = np.where(exact == 0, 0.0, np.where(small, float(self.threshold), rounded + 2))
        return low, high


def _nearest(values: np.ndarray | np.float64) -> np.ndarray:
    """To the nearest multiple of ROUND_TO (counts are whole, so no half falls between two)."""
    return ROUND_TO * np.floor(np.asarray(values, dtype=float) / ROUND_TO + 0.5)


def _plain(number: float) -> str:
    """A number written into a text column: whole numbers without a point, others to 4 figures."""
    if number != number:
        return ""
    return f"{int(number)}" if float(number).is_integer() else f"{number:.4g}"
