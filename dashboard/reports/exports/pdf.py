"""The report as an A4 PDF (fpdf2), in DejaVu Sans so en dashes, "≤" and curly quotes print."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import TypedDict, cast

from fpdf import FPDF, FontFace
from fpdf.enums import MethodReturnValue, XPos, YPos

from dashboard.reports.exports.chart_images import ChartImage, with_images
from dashboard.reports.exports.common import (
    DEFINITIONS_TITLE,
    HEADING_FILL,
    INK,
    MUTED,
    NOTICE_FILL,
    NOTICE_INK,
    SYNTHETIC_NOTICE,
    TILE_FILL,
    ExportProblem,
    data_as_at_text,
    footer_text,
    measure_definitions,
    numeric_columns,
    table_cells,
)
from dashboard.reports.report_document import Headline, ReportDocument, Section

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf"}
FONT = "DejaVu"

LEGEND_FILL, STRIPE_FILL = (232, 241, 250), (247, 248, 250)

TILES_PER_ROW = 3
BULLET_INDENT = 5  # mm
KEEP_WITH_HEADING = 45  # mm: the definitions' heading starts a new page rather than sit alone at the bottom


def pdf_bytes(document: ReportDocument, images: tuple[ChartImage | None, ...] | None = None) -> bytes:
    """The document as a PDF. `images`: its charts already drawn (chart_images), so a PDF and
    slides made together share one browser session."""
    fonts = _font_paths()  # before the charts: a missing font is found in no time
    pdf = _ReportPDF(document, fonts)
    _cover(pdf, document)
    for section, image in with_images(document, images):
        _section(pdf, section, image)
    _definitions(pdf, document)
    return bytes(pdf.output())


def _font_paths() -> dict[str, Path]:
    paths = {style: FONT_DIR / name for style, name in FONT_FILES.items()}
    missing = [path.name for path in paths.values() if not path.is_file()]
    if missing:
        raise ExportProblem(
            "The PDF cannot be made: this server lacks the DejaVu Sans font.",
            details=(f"Not found in {FONT_DIR}: {', '.join(missing)}.",),
            advice="Install Debian's fonts-dejavu-core package (./bin/serve does this when run as root). "
            "Meanwhile, the browser's Print gives a paper copy of this page.",
        )
    return paths


class _ReportPDF(FPDF):
    """A4 pages with the synthetic-data notice on top of each (when on demo data) and a footer
    naming the report, its data-as-at date and the page."""

    def __init__(self, document: ReportDocument, fonts: dict[str, Path]) -> None:
        super().__init__(format="A4")
        self.document = document
        for style, path in fonts.items():
            self.add_font(FONT, style, str(path))
        self.set_margins(15, 22 if document.synthetic else 15, 15)
        self.set_auto_page_break(True, margin=22 if document.suppression_footnote else 18)
        self.set_title(f"{document.title} · {document.subtitle}")
        self.set_creator("For Baby's Sake dashboard")
        self.set_lang("en-GB")
        self.add_page()

    def header(self) -> None:
        if not self.document.synthetic:
            return
        self.set_xy(self.l_margin, 7)
        self.set_fill_color(*NOTICE_FILL)
        self.set_text_color(*NOTICE_INK)
        self.set_font(FONT, "B", 9.5)
        self.cell(self.epw, 8, SYNTHETIC_NOTICE, align="C", fill=True)
        self.set_text_color(*INK)
        self.set_y(self.t_margin)

    def footer(self) -> None:
        if self.document.suppression_footnote:
            self.set_y(-18)
            self.set_font(FONT, "", 7.5)
            self.set_text_color(*MUTED)
            self.cell(self.epw, 5, _fit(self, self.document.suppression_footnote, self.epw))
        self.set_y(-13)
        self.set_draw_color(200, 200, 200)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.set_font(FONT, "", 7.5)
        self.set_text_color(*MUTED)
        page = f"Page {self.page_no()} of {{nb}}"
        page_width = self.get_string_width(page.replace("{nb}", "999")) + 2
        self.cell(self.epw - page_width, 6, _fit(self, footer_text(self.document), self.epw - page_width - 2))
        self.cell(page_width, 6, page, align="R")
        self.set_text_color(*INK)


def _fit(pdf: FPDF, text: str, width: float) -> str:
    """`text`, shortened with an ellipsis to fit on one line of `width`."""
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


class _CellOptions(TypedDict):
    """The arguments of multi_cell that measuring a paragraph and writing it share."""

    w: float
    h: float
    text: str
    align: str
    padding: int


def _paragraph(
    pdf: FPDF,
    text: str,
    size: float,
    *,
    style: str = "",
    colour: tuple[int, int, int] = INK,
    height: float | None = None,
    fill: tuple[int, int, int] | None = None,
    indent: float = 0,
    dry_run: bool = False,
) -> float:
    """Write a paragraph across the text width (or only measure it); returns its height in mm."""
    pdf.set_font(FONT, style, size)
    options: _CellOptions = {
        "w": pdf.epw - indent,
        "h": height or size * 0.5,
        "text": text,
        "align": "L",
        "padding": 2 if fill else 0,
    }
    if dry_run:
        # fpdf2 types multi_cell's result as that of any `output`; HEIGHT's is the height.
        return cast(float, pdf.multi_cell(**options, dry_run=True, output=MethodReturnValue.HEIGHT))
    top = pdf.get_y()
    pdf.set_text_color(*colour)
    if fill:
        pdf.set_fill_color(*fill)
    pdf.set_x(pdf.l_margin + indent)
    pdf.multi_cell(**options, fill=bool(fill), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(*INK)
    return pdf.get_y() - top


def _space(pdf: FPDF, height: float, *, dry_run: bool = False) -> float:
    if not dry_run:
        pdf.ln(height)
    return height


def _cover(pdf: _ReportPDF, document: ReportDocument) -> None:
    _paragraph(pdf, document.title, 22, style="B", height=10)
    _paragraph(pdf, document.subtitle, 13, height=7)
    _paragraph(pdf, data_as_at_text(document), 10.5, colour=MUTED, height=6)
    pdf.ln(3)
    if document.suppression_legend:
        _paragraph(pdf, document.suppression_legend, 9, fill=LEGEND_FILL, height=4.6)
        pdf.ln(3)


def _section(pdf: FPDF, section: Section, image: ChartImage | None) -> None:
    # The heading, definition, figures, sentences and chart start a new page together rather
    # than split, unless they are longer than a page anyway.
    if pdf.will_page_break(_opening(pdf, section, image, dry_run=True)) and pdf.get_y() > pdf.t_margin + 1:
        pdf.add_page()
    _opening(pdf, section, image)
    if section.table is not None and not section.table.empty:
        _table(pdf, section)
    for note in section.notes:
        _paragraph(pdf, note, 8.5, colour=MUTED, height=4.3)


def _opening(pdf: FPDF, section: Section, image: ChartImage | None, *, dry_run: bool = False) -> float:
    """Write the section's heading, definition, figures, sentences and chart (or only measure
    them); returns their height in mm."""
    height = _space(pdf, 3, dry_run=dry_run)
    height += _paragraph(pdf, section.title, 15, style="B", height=7.5, dry_run=dry_run)
    if section.definition:
        height += _paragraph(pdf, section.definition, 8.5, style="I", colour=MUTED, height=4.3, dry_run=dry_run)
    height += _space(pdf, 2, dry_run=dry_run)
    height += _headlines(pdf, section.headlines, dry_run=dry_run)
    for sentence in section.sentences:
        if not dry_run:
            pdf.set_font(FONT, "", 10.5)
            pdf.cell(BULLET_INDENT, 5.5, "•")
            pdf.set_x(pdf.l_margin)
        height += _paragraph(pdf, sentence, 10.5, height=5.5, indent=BULLET_INDENT, dry_run=dry_run)
    if section.sentences:
        height += _space(pdf, 2, dry_run=dry_run)
    if image is not None:
        height += _chart(pdf, image, section.chart_alt, dry_run=dry_run)
    return height


def _headlines(pdf: FPDF, headlines: tuple[Headline, ...], *, dry_run: bool = False) -> float:
    """The figures as tiles, up to three a row: label, value in large type, then its changes.
    Returns their height in mm (and only measures them when `dry_run`)."""
    gap = 4
    width = (pdf.epw - gap * (TILES_PER_ROW - 1)) / TILES_PER_ROW
    total = 0.0
    for start in range(0, len(headlines), TILES_PER_ROW):
        row = headlines[start : start + TILES_PER_ROW]
        height = max(_tile(pdf, headline, 0, 0, width, dry_run=True) for headline in row)
        total += height + gap
        if dry_run:
            continue
        if pdf.will_page_break(height):
            pdf.add_page()
        top = pdf.get_y()
        for i, headline in enumerate(row):
            x = pdf.l_margin + i * (width + gap)
            pdf.set_fill_color(*TILE_FILL)
            pdf.rect(x, top, width, height, style="F")
            _tile(pdf, headline, x, top, width)
        pdf.set_xy(pdf.l_margin, top + height + gap)
    return total


def _tile(pdf: FPDF, headline: Headline, x: float, y: float, width: float, *, dry_run: bool = False) -> float:
    """Write one tile's text (or only measure it); returns its height in mm."""
    pad = 3
    parts = [(headline.label, "", 9, 4.4, MUTED), (headline.value, "B", 20, 9.5, INK)]
    parts += [(change, "", 8, 3.9, MUTED) for change in headline.changes]
    height: float = pad
    for text, style, size, line, colour in parts:
        pdf.set_font(FONT, style, size)
        pdf.set_text_color(*colour)
        if dry_run:
            # fpdf2 types multi_cell's result as that of any `output`; HEIGHT's is the height.
            height += cast(
                float,
                pdf.multi_cell(width - 2 * pad, line, text, align="L", dry_run=True, output=MethodReturnValue.HEIGHT),
            )
        else:
            pdf.set_xy(x + pad, y + height)
            pdf.multi_cell(width - 2 * pad, line, text, align="L")
            height = pdf.get_y() - y
    pdf.set_text_color(*INK)
    return height + pad


def _chart(pdf: FPDF, image: ChartImage, alt: str, *, dry_run: bool = False) -> float:
    """The chart across the text width with its description beneath; returns the height in mm."""
    height = pdf.epw * image.height / image.width
    caption = _paragraph(pdf, alt, 8.5, style="I", height=4.3, dry_run=True) if alt else 0
    if dry_run:
        return height + caption + 3
    if pdf.will_page_break(height + min(caption, 10)):
        pdf.add_page()
    pdf.image(BytesIO(image.png), x=pdf.l_margin, w=pdf.epw, h=height, alt_text=alt or None)
    if alt:
        _paragraph(pdf, alt, 8.5, style="I", colour=MUTED, height=4.3)
    pdf.ln(3)
    return height + caption + 3


def _table(pdf: FPDF, section: Section) -> None:
    assert section.table is not None  # _section draws a table only where the section has one
    names, rows = table_cells(section.table)
    aligns = tuple("R" if numeric else "L" for numeric in numeric_columns(names, rows))
    pdf.set_font(FONT, "", 8.5)
    if pdf.will_page_break(20):
        pdf.add_page()
    with pdf.table(
        text_align=aligns,
        line_height=5,
        padding=(1, 2),
        width=pdf.epw,
        headings_style=FontFace(emphasis="BOLD", fill_color=HEADING_FILL),
        cell_fill_color=STRIPE_FILL,
        cell_fill_mode="ROWS",
        borders_layout="NONE",
        repeat_headings=1,
    ) as table:
        for cells in (names, *rows):
            table.row(cells)
    pdf.ln(3)


def _definitions(pdf: FPDF, document: ReportDocument) -> None:
    definitions = measure_definitions(document)
    if not definitions:
        return
    if pdf.will_page_break(KEEP_WITH_HEADING):
        pdf.add_page()
    pdf.ln(4)
    _paragraph(pdf, DEFINITIONS_TITLE, 15, style="B", height=7.5)
    for name, definition in definitions:
        if pdf.will_page_break(12):
            pdf.add_page()
        _paragraph(pdf, name, 9.5, style="B", height=5)
        _paragraph(pdf, definition, 9, height=4.5)
        pdf.ln(1.5)
