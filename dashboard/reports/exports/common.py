"""What the PDF and the slides share: the words every copy carries, table cells as text, and the
problem they raise when this server cannot make them."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import TYPE_CHECKING, SupportsFloat, cast

import pandas as pd

from dashboard.problems import Problem
from dashboard.reports.report_document import ReportDocument

if TYPE_CHECKING:
    from pandas._typing import ScalarOrNA

SYNTHETIC_NOTICE = "Synthetic demonstration data — not real families"
DEFINITIONS_TITLE = "Measure definitions"

# The colours of both downloads (RGB): text, muted text, the synthetic-data notice, figure tiles
# and table headings.
INK, MUTED = (31, 31, 31), (85, 85, 85)
NOTICE_FILL, NOTICE_INK = (255, 236, 179), (94, 60, 0)
TILE_FILL, HEADING_FILL = (244, 246, 248), (226, 232, 240)


class ExportProblem(Problem):
    """A download cannot be made on this server (a font or the chart browser is missing)."""


def data_as_at_text(document: ReportDocument) -> str:
    return f"Data as at {document.data_as_at:%d %B %Y}"


def footer_text(document: ReportDocument) -> str:
    return f"{document.title} · {document.subtitle} · {data_as_at_text(document)}"


def cell_text(value: ScalarOrNA) -> str:
    """A table cell as printed: text as it is, whole numbers with thousands separators, others
    to at most two decimals, dates as days."""
    if isinstance(value, str):
        return value
    if value is None or (not isinstance(value, (datetime, date)) and pd.isna(value)):
        return "–"
    if isinstance(value, (datetime, date)):
        return f"{value:%d %b %Y}"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)) or pd.api.types.is_number(value):
        # A table's numbers are real: is_number would pass a complex too, which float() refuses.
        number = float(cast(SupportsFloat, value))
        return f"{int(number):,}" if number.is_integer() else f"{number:,.2f}".rstrip("0").rstrip(".")
    return str(value)


def table_cells(table: pd.DataFrame) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """The column names and each row's cells, as text."""
    names = tuple(str(name) for name in table.columns)
    rows = [tuple(cell_text(value) for value in row) for row in table.itertuples(index=False)]
    return names, rows


_NUMBER = re.compile(r"^[+\-−]?[\d,]+(\.\d+)?%?$")


def numeric_columns(names: tuple[str, ...], rows: list[tuple[str, ...]]) -> tuple[bool, ...]:
    """Which columns hold figures (aligned right so digits line up): any cell reads as a number."""
    return tuple(any(_NUMBER.match(row[i]) for row in rows) for i in range(len(names)))


def measure_definitions(document: ReportDocument) -> list[tuple[str, str]]:
    """Every defined measure in the document, once each, in reading order: sections, then their
    headline figures."""
    found: dict[tuple[str, str], None] = {}
    for section in document.sections:
        if section.definition:
            found[(section.title, section.definition)] = None
        for headline in section.headlines:
            if headline.definition:
                found[(headline.label, headline.definition)] = None
    return list(found)
