"""A report document (dashboard/report_document.py) as files to download: a PDF and slides.
Both read one batch of chart images, drawn by a single browser session."""

from dashboard.exports.chart_images import ChartImage, chart_images
from dashboard.exports.common import SYNTHETIC_NOTICE, ExportProblem
from dashboard.exports.pdf import pdf_bytes
from dashboard.exports.slides import pptx_bytes

__all__ = ["SYNTHETIC_NOTICE", "ChartImage", "ExportProblem", "chart_images", "pdf_bytes", "pptx_bytes"]
