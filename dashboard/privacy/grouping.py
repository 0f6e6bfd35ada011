"""How trustees' and commissioners' figures are grouped before disclosure control, the way a
statistician prepares published tables: at the Trust's size a month by ten sources by six sites
is mostly counts under 8, whatever the rule, so for them months become financial-year quarters,
the smaller categories are merged into broader groups, a breakdown by site and category becomes
each site's total beside the organisation-wide split, and enrolment cohorts are financial years.
Coarser, never dropped: every figure leadership sees, they see in some grouping.

Leadership's figures are never regrouped: `regroup` returns them as they are.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from dashboard.privacy.disclosure import Counts, DisclosureRule
from dashboard.privacy.intervals import pinned
from dashboard.words import labels
from queries.periods import financial_year_of, fy_label, quarter_label

# A time series is shown by the finest of these that leaves at most this share of its counts hidden.
MAX_HIDDEN_SHARE = 0.15
TIME_GRAINS = {
    "month": lambda month: month,
    "quarter": lambda month: quarter_label(pd.Timestamp(month).date()),
    "financial year": lambda month: fy_label(financial_year_of(pd.Timestamp(month).date())),
}
PERIOD = "Period"  # the axis and column title of a time series grouped so (months, quarters or years)


@dataclass(frozen=True)
class Categories:
    """Categories of one column merged into broader groups (a category not listed stays itself),
    keyed by the stored codes and by their words, so it applies before or after labels.in_words.
    The groups are fixed, not the largest of the moment, so a figure means the same in every period."""

    words: str  # how a page describes the grouping to its reader
    groups: Mapping[str, str]

    @classmethod
    def of(cls, words: str, groups: Mapping[str, str], labels_of_codes: Mapping[str, str]) -> Categories:
        return cls(words, {**groups, **{labels_of_codes[code]: group for code, group in groups.items()}})

    def group_of(self, category: str) -> str:
        return self.groups.get(category, category)


SOURCE_GROUPS = Categories.of(
    "referral sources as four groups (children's social care, midwifery, other health services, other "
    "agencies and self-referral)",
    {
        **dict.fromkeys(("health_visiting", "perinatal_mental_health", "gp"), "Other health services"),
        **dict.fromkeys(
            ("domestic_abuse_service", "police", "early_help", "self_referral", "other"),
            "Other agencies and self-referral",
        ),
    },
    labels.SOURCE,
)
ESCALATION_LEVEL_GROUPS = Categories.of(
    "escalation levels as four groups (the Designated Safeguarding Lead; early help or child in need; child "
    "protection or care proceedings; police or MARAC)",
    {
        **dict.fromkeys(("early_help", "child_in_need"), "Early help or child in need"),
        **dict.fromkeys(("child_protection", "care_proceedings"), "Child protection or care proceedings"),
        **dict.fromkeys(("police", "marac"), "Police or MARAC"),
    },
    labels.ESCALATION_LEVEL,
)
PARENT_ROLE_GROUPS = Categories.of(
    "fathers and other co-parents together",
    dict.fromkeys(("father", "co_parent"), labels.PARENT_ROLE["partner"]),
    labels.PARENT_ROLE,
)
ALL_PARENTS = Categories.of(
    "all parents together",
    {
        **dict.fromkeys(("mother", "father", "co_parent"), labels.ALL_PARENTS),
        PARENT_ROLE_GROUPS.group_of("father"): labels.ALL_PARENTS,
    },
    {**labels.PARENT_ROLE, PARENT_ROLE_GROUPS.group_of("father"): PARENT_ROLE_GROUPS.group_of("father")},
)
PARTNERS_ESTIMATED_TOGETHER = Categories(  # the survival query's own grouping (no regrouping of a table)
    "the time to disengagement of fathers and other co-parents together", PARENT_ROLE_GROUPS.groups
)
REVIEW_GROUPS = Categories.of(
    "escalations reviewed later than one working day and those not yet reviewed together",
    dict.fromkeys(("later", "not_reviewed"), "Later, or not yet reviewed"),
    labels.REVIEW,
)
EXIT_REASON_GROUPS = Categories.of(
    "exit reasons other than completion and disengagement as one group",
    dict.fromkeys(("moved_away", "baby_removed", "risk", "other"), "Exit: moved away, baby removed, risk or other"),
    labels.MOVEMENT,
)


@dataclass(frozen=True)
class Grouping:
    """How one figure is grouped for a protected viewer. time: a month column, shown by month,
    quarter or financial year: the finest that leaves few counts hidden (TIME_GRAINS).
    categories: columns whose categories are merged into broader groups (Categories).
    over: columns summed over (a breakdown by site given as the organisation's split).
    stocks: counts of what is active at a time (families active), which are the same on every
    category's row of a month, summed over sites and averaged over a quarter's months, never
    summed over months. cohort: a cohort column of quarters ('2024/25 Q3') put into years.
    coarser: a further grouping, applied on top when this one leaves more than MAX_HIDDEN_SHARE
    of the counts small."""

    time: str | None = None
    categories: Mapping[str, Categories] = field(default_factory=dict)
    over: tuple[str, ...] = ()
    stocks: tuple[str, ...] = ()
    cohort: str | None = None
    over_words: str = "each site's total rather than each site's split"  # what summing over says
    coarser: Grouping | None = None  # applied on top where this grouping still leaves many counts small

    def described(self) -> list[str]:
        parts = []
        if self.time:
            parts.append("time by month, quarter or financial year, the finest at which few counts are small")
        parts += [categories.words for categories in self.categories.values()]
        if self.cohort:
            parts.append("enrolment cohorts by financial year rather than quarter")
        if self.over:
            parts.append(self.over_words)
        if self.coarser is not None:
            parts += [f"{part} where there are still many small counts" for part in self.coarser.described()]
        return parts


BY_TIME = Grouping(time="month")


def regroup(rule: DisclosureRule, frame: pd.DataFrame, counts: Counts, grouping: Grouping) -> pd.DataFrame:
    """`frame` grouped as `grouping` says for a protected viewer (leadership's as it is), its
    counts summed from the exact figures and its rates worked out again from those sums (the
    disclosure rule then rounds them). A mean is worked out again from its cases; a median or
    other statistic cannot be regrouped (a median of medians is not a median): its table is only
    merged where a hidden count could be worked out, its statistic withheld for what is merged.
    A table that still lets a hidden count be worked out, however merged, is withheld (empty)."""
    if not rule.active or frame.empty:
        return frame
    if set(counts.statistics) - set(counts.means):
        if grouping != Grouping():
            raise ValueError("A figure with a median or other statistic cannot be regrouped from its table.")
        return _merged_until_unpinned(rule, frame, counts, set(), [])
    frame = _as_sums(frame, counts)
    stocks = [column for column in grouping.stocks if column in frame]
    if stocks and grouping.over:
        raise ValueError("A stock is the same on each category's row of a site, not summed over sites here.")
    out = frame.copy()
    for column, categories in grouping.categories.items():
        out[column] = out[column].map(categories.group_of)
    out = _summed(out, counts, stocks, "max", along=set(grouping.categories))  # a month's stock is on each row
    if grouping.over:
        out = _summed(out.drop(columns=list(grouping.over)), counts, stocks, "sum", along=set(grouping.over))
    if grouping.time:
        out = _finest_time(rule, out, counts, grouping.time, stocks)
    if grouping.cohort:
        out[grouping.cohort] = out[grouping.cohort].str.slice(0, 7)  # '2024/25 Q3' → '2024/25'
        out = _summed(out, counts, stocks, "sum", along={grouping.cohort})
    out = _with_rates_and_means(out, counts)
    if grouping.coarser is not None and not _acceptable(rule, out, counts, stocks):
        return regroup(rule, out, counts, grouping.coarser)
    return _merged_until_unpinned(rule, out, counts, {grouping.time, grouping.cohort}, stocks)


def _acceptable(rule: DisclosureRule, frame: pd.DataFrame, counts: Counts, stocks: Sequence[str] = ()) -> bool:
    return _hidden_share(rule, frame, counts, stocks) <= MAX_HIDDEN_SHARE and not pinned(rule, frame, counts)


OTHER = "Other (small numbers together)"
WITHHELD = (
    "The numbers behind this figure are too few to show, however grouped, without one of them being "
    "worked out. Choose a longer period or more sites."
)
# Dimensions whose categories are in an order the figure reads along: never merged into OTHER.
ORDERED = ("month", "cohort", "band", "age_band", "day", "time_point")


def _merged_until_unpinned(
    rule: DisclosureRule, frame: pd.DataFrame, counts: Counts, times: set[str | None], stocks: list[str]
) -> pd.DataFrame:
    """Where a hidden count could still be worked out from the table (dashboard.privacy.intervals), the
    categories holding hidden counts, along the first dimension that partitions cases, are shown
    together as OTHER (with that dimension's smallest other category, where fewer than two would
    be), and so on until none can be (bounded: each step merges at least one more category).
    Periods, cohorts and bands are never merged so (their order is the figure; for periods and
    cohorts, their grain is what makes them coarser). Sites are merged after other categories, and
    a dimension a share is taken over (within or outside the normal range) only when nothing else
    is left: the share of what it merges means nothing, and is withheld."""
    never = {*counts.overlapping, *times, *ORDERED}
    shares_over = {d for d in counts.totals.values() if d not in never}
    first = sorted((d for d in counts.dims if d in frame and d not in never | shares_over), key=lambda d: d == "site")
    merged: dict[str, set[str]] = {}
    value = frame[counts.value]
    for dims in (first, sorted(shares_over)):
        for _ in range(len(frame) + 1):
            if not pinned(rule, frame, counts, merged, OTHER):
                break
            for dim in dims:
                step = _to_merge(frame[dim], value, rule, merged.get(dim, set()))
                if step:
                    merged[dim] = merged.get(dim, set()) | step
                    break
            else:
                break  # these dimensions are merged as far as they go
    if pinned(rule, frame, counts, merged, OTHER):
        return frame.iloc[0:0]  # nothing coarser would keep every hidden count hidden: withheld
    if not merged:
        return frame
    shown = frame.assign(**{d: frame[d].where(~frame[d].isin(categories), OTHER) for d, categories in merged.items()})
    out = _with_rates_and_means(_summed(_as_sums(shown, counts), counts, stocks, "max", along=set(merged)), counts)
    for rate, denominator in counts.rates.items():  # a share of categories merged together means nothing
        if counts.totals.get(denominator) in merged:
            out[rate] = out[rate].where(out[counts.totals[denominator]] != OTHER)
    medians = [c for c in counts.statistics if c not in counts.means]
    if medians:  # a median cannot be added up: kept for what is not merged, withheld for what is
        dims = [d for d in counts.dims if d in out]
        out = out.merge(frame[[*dims, *medians]], on=dims, how="left")[
            [c for c in frame.columns if c in out or c in medians]
        ]
    return out


def _to_merge(categories: pd.Series, value: pd.Series, rule: DisclosureRule, merged: set[str]) -> set[str]:
    """The further categories of one dimension to show together: those holding a hidden count,
    and the smallest other where that would leave fewer than two together (none: all are)."""
    rest = value[~categories.isin(merged)].groupby(categories[~categories.isin(merged)], sort=False).sum()
    if rest.empty or (not merged and len(rest) < 2):
        return set()
    small = value[(value > 0) & (value <= rule.threshold) & ~categories.isin(merged)]
    step = set(categories[small.index])
    if len(merged | step) < 2 or not step:
        step |= set(rest.drop(index=list(step), errors="ignore").sort_values(kind="stable").index[:1])
    return step


def _as_sums(frame: pd.DataFrame, counts: Counts) -> pd.DataFrame:
    """Each mean as its sum over its cases, so rows can be added up (_with_rates_and_means undoes it)."""
    return frame.assign(**{mean: frame[mean] * frame[counts.statistics[mean]] for mean in counts.means})


def _with_rates_and_means(frame: pd.DataFrame, counts: Counts) -> pd.DataFrame:
    """The rates worked out again from the summed counts, and the means from their sums."""
    out = frame.copy()
    for rate, denominator in counts.rates.items():
        out[rate] = counts.per.get(rate, 1) * out[counts.value] / out[denominator].where(out[denominator] > 0)
    for mean in counts.means:
        cases = out[counts.statistics[mean]]
        out[mean] = out[mean] / cases.where(cases > 0)
    return out


def _hidden_share(rule: DisclosureRule, frame: pd.DataFrame, counts: Counts, stocks: Sequence[str] = ()) -> float:
    values = frame[[c for c in counts.count_columns if c not in stocks]].to_numpy(dtype=float)
    return float(((values > 0) & (values <= rule.threshold)).mean()) if values.size else 0.0


def _finest_time(
    rule: DisclosureRule, frame: pd.DataFrame, counts: Counts, time: str, stocks: list[str]
) -> pd.DataFrame:
    """The table by month, quarter or financial year: the finest with at most MAX_HIDDEN_SHARE of
    its counts from 1 to the threshold (the financial year when none has so few)."""
    for grain in TIME_GRAINS.values():
        periods = frame[time].map(grain)
        # A longer period's stock is the average of its months (each month once), not their sum.
        stock = frame[stocks].groupby(frame[time]).max().groupby(grain).mean()
        grouped = _summed(frame.assign(**{time: periods}).drop(columns=stocks), counts, [], "sum", along={time})
        grouped = grouped.join(stock, on=time) if stocks else grouped
        if _acceptable(rule, grouped, counts, stocks):
            break
    return grouped


def _summed(frame: pd.DataFrame, counts: Counts, stocks: list[str], stock: str, *, along: set[str]) -> pd.DataFrame:
    """The rows alike in every column but the numbers as one, their categories of the dimensions
    `along` having been merged: counts summed, stocks by `stock`, and a total over one of those
    dimensions (the same on each of its rows) kept as it is."""
    numbers = [c for c in (*counts.count_columns, *counts.references, *counts.means) if c in frame and c not in stocks]
    keys = [c for c in frame.columns if c not in (*numbers, *stocks, *counts.rates, *counts.statistics)]
    aggregations = {
        **{c: (c, "max" if counts.totals.get(c) in along else "sum") for c in numbers},
        **{c: (c, stock) for c in stocks},
    }
    if not keys:  # summed over every dimension: the one total
        summed = pd.DataFrame({column: [frame[source].agg(how)] for column, (source, how) in aggregations.items()})
    else:
        summed = frame.groupby(keys, as_index=False, sort=False, dropna=False).agg(**aggregations)
    return summed[[c for c in frame.columns if c in summed]]  # the columns in the table's own order
