"""A report document (dashboard/report_document.py) as files to download: a PDF and slides.
Both read one batch of chart images, drawn by a single browser session.

The PDF and slide libraries (fpdf2, python-pptx) take about 0.4 s to import, so the two functions
that use them load on first use: the first page that offers the files after a server starts
does not wait for them, only the first request for files does."""

import importlib

from dashboard.exports.chart_images import ChartImage, chart_images
from dashboard.exports.common import SYNTHETIC_NOTICE, ExportProblem

_MODULE_OF = {"pdf_bytes": "pdf", "pptx_bytes": "slides"}

__all__ = ["SYNTHETIC_NOTICE", "ChartImage", "ExportProblem", "chart_images", *_MODULE_OF]


def __getattr__(name: str):
    if name not in _MODULE_OF:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_MODULE_OF[name]}"), name)
