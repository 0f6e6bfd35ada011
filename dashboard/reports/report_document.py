"""A printable report (the board pack, a site report) as plain data, built once and drawn three
ways: on screen, as a PDF and as slides. Because every rendering reads the same document, a
download can never show more than the screen did: small numbers are hidden before it is built.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
import plotly.graph_objects as go


@dataclass(frozen=True)
class Headline:
    """One headline figure, already formatted (the suppression marker when hidden)."""

    label: str
    value: str
    definition: str
    changes: tuple[str, ...] = ()  # e.g. "+12 on the previous quarter"


@dataclass(frozen=True)
class Section:
    """A part of the report: a heading, what it measures, and any of sentences, headline
    figures, one chart and one table (cells already protected)."""

    title: str
    definition: str = ""
    sentences: tuple[str, ...] = ()
    headlines: tuple[Headline, ...] = ()
    chart: go.Figure | None = None
    chart_alt: str = ""  # what the chart shows, for a reader who cannot see it
    table: pd.DataFrame | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Part:
    """A run of the report's sections that the browser shows as one page (a tab), so a projector
    shows the report a page at a time and the browser draws one page's charts, not all of them.
    The PDF and slides hold every section, whatever the parts."""

    label: str
    length: int  # how many sections, following the part before


@dataclass(frozen=True)
class ReportDocument:
    title: str
    subtitle: str  # the period and the sites covered
    data_as_at: date
    synthetic: bool
    suppression_legend: str | None  # None when the viewer sees exact figures
    sections: tuple[Section, ...] = field(default_factory=tuple)
    parts: tuple[Part, ...] = ()  # none: the browser shows every section on one page
    # The legend's gist, repeated at the foot of every printed page and slide, where a reader of
    # one page alone sees it.
    suppression_footnote: str | None = None

    def __post_init__(self) -> None:
        if self.parts and sum(part.length for part in self.parts) != len(self.sections):
            raise ValueError("A report's parts must hold each of its sections once.")

    def part_positions(self) -> tuple[range, ...]:
        """For each part, the positions of its sections."""
        positions, first = [], 0
        for part in self.parts:
            positions.append(range(first, first + part.length))
            first += part.length
        return tuple(positions)

    @property
    def file_stem(self) -> str:
        """A file name without extension, from the title and subtitle."""
        return re.sub(r"[^a-z0-9]+", "-", f"{self.title} {self.subtitle}".lower()).strip("-")[:120]


def with_percentages(table: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """A copy of a protected table with the shares in `columns` written as percentages, so print
    and screen read "73%", not 0.7255. A share already written as text (a column with one withheld
    is all text) is read back; other text (the mark of a withheld share) is kept as it is."""
    out = table.copy()
    for column in columns:
        if column in out:
            out[column] = [_percentage(value) for value in out[column]]
    return out


def _percentage(value: str | float | None) -> str:
    if isinstance(value, str):
        try:
            share = float(value)
        except ValueError:
            return value
        value = share
    return "–" if pd.isna(value) else f"{value:.0%}"
