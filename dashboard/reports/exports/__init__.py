"""A report document (dashboard/reports/report_document.py) as files to download: a PDF and slides.
Both read one batch of chart images, drawn by a single browser session.

The PDF and slide libraries (fpdf2, python-pptx) are slow to import, so the two functions
that use them load on first use: the first page that offers the files after a server starts
does not wait for them, only the first request for files does."""

import importlib
from collections.abc import Callable

from dashboard.reports.exports.chart_images import ChartImage, chart_images
from dashboard.reports.exports.common import SYNTHETIC_NOTICE, ExportProblem

_MODULE_OF = {"pdf_bytes": "pdf", "pptx_bytes": "slides"}

__all__ = ["SYNTHETIC_NOTICE", "ChartImage", "ExportProblem", "chart_images", *_MODULE_OF]


def __getattr__(name: str) -> Callable[..., bytes]:  # pdf_bytes or pptx_bytes, loaded on first use
    if name not in _MODULE_OF:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_MODULE_OF[name]}"), name)
