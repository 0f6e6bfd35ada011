"""A document's charts as PNG images, all drawn by one browser session: kaleido starts Chromium
once per document (the slow part), then draws each chart quickly."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import kaleido
import plotly.graph_objects as go
from choreographer.errors import ChromeNotFoundError

from dashboard.reports.exports.common import ExportProblem
from dashboard.reports.report_document import ReportDocument, Section
from dashboard.viz.charts import TEMPLATE

PRINT_WIDTH = 1000  # pixels: the house font (17 px) prints at about 9 pt across an A4 text width
DEFAULT_HEIGHT = 460
SCALE = 2  # pixels per pixel, so the image stays sharp in print and on a projector
SECONDS_PER_CHART = 60


@dataclass(frozen=True)
class ChartImage:
    png: bytes
    width: int  # the chart's size as laid out, before SCALE: its proportions
    height: int


def chart_images(document: ReportDocument) -> tuple[ChartImage | None, ...]:
    """One image per section (None where a section has no chart), in the document's order."""
    figures = [_for_print(section.chart) if section.chart is not None else None for section in document.sections]
    drawn = iter(_draw([figure for figure in figures if figure is not None]))
    return tuple(
        None if figure is None else ChartImage(next(drawn), figure.layout.width, figure.layout.height)
        for figure in figures
    )


def with_images(
    document: ReportDocument, images: tuple[ChartImage | None, ...] | None = None
) -> Iterator[tuple[Section, ChartImage | None]]:
    """Each section with its chart's image: `images` if already drawn, else drawn now."""
    return zip(document.sections, images if images is not None else chart_images(document))


def _for_print(figure: go.Figure) -> go.Figure:
    """A copy on white paper in the house style, at the print width and the chart's own height."""
    printed = go.Figure(figure)
    printed.update_layout(
        template=TEMPLATE,
        paper_bgcolor="white",
        plot_bgcolor="white",
        width=PRINT_WIDTH,
        height=figure.layout.height or DEFAULT_HEIGHT,
    )
    return printed


def _draw(figures: list[go.Figure]) -> list[bytes]:
    if not figures:
        return []

    async def draw_all() -> list[bytes]:
        # mathjax=False: kaleido would otherwise fetch MathJax from a CDN; the charts use no LaTeX.
        async with kaleido.Kaleido(n=1, mathjax=False, timeout=SECONDS_PER_CHART) as browser:
            return [await browser.calc_fig(figure, opts={"format": "png", "scale": SCALE}) for figure in figures]

    try:
        # A thread of its own: the caller (a Streamlit script) may already be running an event loop.
        with ThreadPoolExecutor(max_workers=1) as thread:
            return thread.submit(lambda: asyncio.run(draw_all())).result()
    except ChromeNotFoundError:
        raise ExportProblem(
            "The charts cannot be drawn for the download: this server has no Chromium browser.",
            details=("Charts in the PDF and slides are drawn by Chromium (through kaleido).",),
            advice="Install Debian's chromium package (./bin/serve does this when run as root). "
            "Meanwhile, the browser's Print gives a paper copy of this page.",
        ) from None
    except Exception as error:
        raise ExportProblem(
            "The charts could not be drawn for the download.",
            details=(f"{type(error).__name__}: {error}",),
            advice="Try again in a minute; the browser's Print gives a paper copy of this page.",
        ) from None
