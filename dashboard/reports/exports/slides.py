"""The report as 16:9 slides (python-pptx): a title slide, a slide per section (a continuation
slide for its table), and the measure definitions with the suppression legend at the end."""

from __future__ import annotations

from io import BytesIO

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_AUTO_SIZE, PP_ALIGN
from pptx.presentation import Presentation as Deck
from pptx.shapes.autoshape import Shape
from pptx.slide import Slide
from pptx.text.text import TextFrame, _Paragraph
from pptx.util import Emu, Inches, Pt

from dashboard.reports.exports import common
from dashboard.reports.exports.chart_images import ChartImage, with_images
from dashboard.reports.exports.common import (
    DEFINITIONS_TITLE,
    SYNTHETIC_NOTICE,
    data_as_at_text,
    footer_text,
    measure_definitions,
    numeric_columns,
    table_cells,
)
from dashboard.reports.report_document import Headline, ReportDocument, Section

WIDTH, HEIGHT = Emu(12_192_000), Emu(6_858_000)  # 13⅓ × 7½ inches: PowerPoint's 16:9
MARGIN = Inches(0.5)
CONTENT_TOP, CONTENT_BOTTOM = Inches(1.35), Inches(6.2)
LEFT_WIDTH = Inches(5.2)  # figures and sentences; the chart takes the rest of the width
HEADLINES_WIDTH = Inches(7.5)  # a label stays near its value on a slide without a chart
TITLE_SLIDE, TITLE_AND_CONTENT, TITLE_ONLY = 0, 1, 5  # layouts of python-pptx's default template

INK, MUTED, NOTICE_FILL, NOTICE_INK, TILE_FILL, HEADING_FILL = (
    RGBColor(*rgb)
    for rgb in (common.INK, common.MUTED, common.NOTICE_FILL, common.NOTICE_INK, common.TILE_FILL, common.HEADING_FILL)
)

TABLE_ROWS_PER_SLIDE = 12
DEFINITION_CHARACTERS_PER_SLIDE = 2400


def pptx_bytes(document: ReportDocument, images: tuple[ChartImage | None, ...] | None = None) -> bytes:
    """The document as slides. `images`: its charts already drawn (chart_images), so slides and
    a PDF made together share one browser session."""
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDTH, HEIGHT
    _title_slide(deck, document)
    for section, image in with_images(document, images):
        _section_slide(deck, document, section, image)
        if section.table is not None and not section.table.empty:
            _table_slides(deck, document, section)
    _definition_slides(deck, document)
    out = BytesIO()
    deck.save(out)
    return out.getvalue()


def _title_slide(deck: Deck, document: ReportDocument) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[TITLE_SLIDE])
    title, subtitle = slide.placeholders[0], slide.placeholders[1]
    _place(title, Inches(0.8), Inches(1.6), WIDTH - Inches(1.6), Inches(1.6))
    _write(title.text_frame, [(document.title, 40, True, INK)], align=PP_ALIGN.LEFT)
    _place(subtitle, Inches(0.8), Inches(3.3), WIDTH - Inches(1.6), Inches(1.5))
    _write(
        subtitle.text_frame,
        [(document.subtitle, 22, False, INK), (data_as_at_text(document), 16, False, MUTED)],
        align=PP_ALIGN.LEFT,
    )
    if document.synthetic:
        box = slide.shapes.add_textbox(Inches(0.8), Inches(5.1), Emu(WIDTH - Inches(1.6)), Inches(0.7))
        _fill(box, NOTICE_FILL)
        _write(box.text_frame, [(SYNTHETIC_NOTICE, 20, True, NOTICE_INK)], align=PP_ALIGN.CENTER)


def _section_slide(deck: Deck, document: ReportDocument, section: Section, image: ChartImage | None) -> None:
    slide = _titled_slide(deck, document, section.title, TITLE_AND_CONTENT)
    left_width = LEFT_WIDTH if image is not None else WIDTH - 2 * MARGIN
    top: int = CONTENT_TOP
    if section.headlines:
        top = _headline_table(slide, section.headlines, top, min(left_width, HEADLINES_WIDTH))
    body = slide.placeholders[1]
    if section.sentences:
        _place(body, MARGIN, top, left_width, max(CONTENT_BOTTOM - top, Inches(0.8)))
        size = _fitting_size(section.sentences, left_width, CONTENT_BOTTOM - top)
        _write(body.text_frame, [(sentence, size, False, INK) for sentence in section.sentences])
        body.text_frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE  # for an estimate that fell short
    else:
        body.element.getparent().remove(body.element)
    if image is not None:
        # Beside the figures and sentences, or across the slide when there are none.
        _picture(
            slide,
            image,
            section.chart_alt,
            left=MARGIN + LEFT_WIDTH + Inches(0.3) if section.headlines or section.sentences else MARGIN,
        )
    if section.definition:
        box = slide.shapes.add_textbox(MARGIN, Emu(CONTENT_BOTTOM + Inches(0.05)), Emu(WIDTH - 2 * MARGIN), Inches(0.6))
        _write(box.text_frame, [(section.definition, 11, False, MUTED)])
    notes = [part for part in (section.definition, section.chart_alt, *section.notes) if part]
    notes_frame = slide.notes_slide.notes_text_frame
    assert notes_frame is not None  # the default template's notes slides have a notes placeholder
    notes_frame.text = "\n\n".join(notes)


def _fitting_size(paragraphs: tuple[str, ...], width: int, height: int) -> int:
    """The largest of a few type sizes at which the paragraphs should fit the box (python-pptx
    cannot measure text: about half an em a character, lines 1.2 em apart, room for bullets)."""
    for size in (18, 16, 14, 12):
        per_line = max(1, int((Emu(width).inches - 0.5) * 72 / (size * 0.5)))
        lines = sum(-(-len(text) // per_line) for text in paragraphs)
        if lines * size * 1.2 / 72 + 0.1 * len(paragraphs) <= Emu(height).inches:
            return size
    return 12


def _headline_table(slide: Slide, headlines: tuple[Headline, ...], top: int, width: int) -> int:
    """The figures as a two-column table, label (and changes) beside the value in large type;
    returns where the space below it starts."""
    row_height = min(Inches(0.8), Inches(3.0) // len(headlines))
    value_size = 28 if row_height >= Inches(0.7) else 20
    shape = slide.shapes.add_table(len(headlines), 2, MARGIN, Emu(top), Emu(width), Emu(row_height * len(headlines)))
    table = shape.table
    table.first_row = table.horz_banding = False
    table.columns[0].width = int(width * 0.6)
    table.columns[1].width = width - table.columns[0].width
    for row, headline in zip(table.rows, headlines):
        row.height = row_height
        label, value = row.cells
        for cell in (label, value):
            cell.fill.solid()
            cell.fill.fore_color.rgb = TILE_FILL
        _write(
            label.text_frame,
            [(headline.label, 14, False, INK), *((change, 11, False, MUTED) for change in headline.changes)],
        )
        _write(value.text_frame, [(headline.value, value_size, True, INK)], align=PP_ALIGN.RIGHT)
    return top + row_height * len(headlines) + Inches(0.2)


def _picture(slide: Slide, image: ChartImage, alt: str, *, left: int) -> None:
    """The chart between `left` and the right margin, as large as fits and centred, with its
    description as alternative text."""
    box_width, box_height = WIDTH - MARGIN - left, CONTENT_BOTTOM - CONTENT_TOP
    scale = min(box_width / image.width, box_height / image.height)
    width, height = int(image.width * scale), int(image.height * scale)
    picture = slide.shapes.add_picture(
        BytesIO(image.png), Emu(left + (box_width - width) // 2), CONTENT_TOP, Emu(width), Emu(height)
    )
    if alt:
        # python-pptx has no setter for alt text, and types the XML's child elements as their descriptors.
        picture._element.nvPicPr.cNvPr.set("descr", alt)  # type: ignore[union-attr]


def _table_slides(deck: Deck, document: ReportDocument, section: Section) -> None:
    assert section.table is not None  # pptx_bytes makes table slides only where the section has one
    names, rows = table_cells(section.table)
    right = numeric_columns(names, rows)
    chunks = [rows[i : i + TABLE_ROWS_PER_SLIDE] for i in range(0, len(rows), TABLE_ROWS_PER_SLIDE)]
    for number, chunk in enumerate(chunks, start=1):
        heading = f"{section.title}: table" + (f" ({number} of {len(chunks)})" if len(chunks) > 1 else "")
        slide = _titled_slide(deck, document, heading, TITLE_ONLY)
        height = Inches(0.4) * (len(chunk) + 1)
        table = slide.shapes.add_table(
            len(chunk) + 1, len(names), MARGIN, CONTENT_TOP, Emu(WIDTH - 2 * MARGIN), Emu(height)
        ).table
        for r, cells in enumerate((names, *chunk)):
            for c, text in enumerate(cells):
                cell = table.cell(r, c)
                if r == 0:
                    cell.fill.solid()
                    cell.fill.fore_color.rgb = HEADING_FILL
                _write(cell.text_frame, [(text, 12, r == 0, INK)], align=PP_ALIGN.RIGHT if right[c] else PP_ALIGN.LEFT)


def _definition_slides(deck: Deck, document: ReportDocument) -> None:
    entries = [(name, f" — {text}") for name, text in measure_definitions(document)]
    if document.suppression_legend:
        entries.append(("", document.suppression_legend))
    pages: list[list[tuple[str, str]]] = [[]]
    for entry in entries:
        on_this_slide = sum(len(a) + len(b) for a, b in pages[-1])
        if pages[-1] and on_this_slide + len(entry[0] + entry[1]) > DEFINITION_CHARACTERS_PER_SLIDE:
            pages.append([])
        pages[-1].append(entry)
    for number, page in enumerate(pages if entries else [], start=1):
        heading = DEFINITIONS_TITLE + (f" ({number} of {len(pages)})" if len(pages) > 1 else "")
        slide = _titled_slide(deck, document, heading, TITLE_ONLY)
        box = slide.shapes.add_textbox(MARGIN, CONTENT_TOP, Emu(WIDTH - 2 * MARGIN), Emu(CONTENT_BOTTOM - CONTENT_TOP))
        frame = box.text_frame
        frame.word_wrap = True
        for i, (name, text) in enumerate(page):
            paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            paragraph.space_after = Pt(6)
            if name:
                _run(paragraph, name, 12, True, INK)
            _run(paragraph, text, 12, False, MUTED)


def _titled_slide(deck: Deck, document: ReportDocument, title: str, layout: int) -> Slide:
    """A slide with its title across the top and the report's footer (and the synthetic-data
    notice, so a slide shown on its own still says it)."""
    slide = deck.slides.add_slide(deck.slide_layouts[layout])
    _place(slide.shapes.title, MARGIN, Inches(0.3), WIDTH - 2 * MARGIN, Inches(0.95))
    _write(slide.shapes.title.text_frame, [(title, 30, True, INK)], align=PP_ALIGN.LEFT)
    footer = slide.shapes.add_textbox(MARGIN, Inches(6.95), Inches(8.2), Inches(0.35))
    _write(
        footer.text_frame,
        [
            (footer_text(document), 10, False, MUTED),
            *([(document.suppression_footnote, 9, False, MUTED)] if document.suppression_footnote else []),
        ],
    )
    if document.synthetic:
        notice = slide.shapes.add_textbox(Emu(WIDTH - MARGIN - Inches(4.1)), Inches(6.92), Inches(4.1), Inches(0.4))
        _fill(notice, NOTICE_FILL)
        _write(notice.text_frame, [(SYNTHETIC_NOTICE, 11, True, NOTICE_INK)], align=PP_ALIGN.CENTER)
    return slide


def _place(shape: Shape, left: int, top: int, width: int, height: int) -> None:
    shape.left, shape.top, shape.width, shape.height = Emu(left), Emu(top), Emu(width), Emu(height)


def _fill(shape: Shape, colour: RGBColor) -> None:
    shape.fill.solid()
    shape.fill.fore_color.rgb = colour


def _write(
    frame: TextFrame, paragraphs: list[tuple[str, int, bool, RGBColor]], *, align: PP_ALIGN | None = None
) -> None:
    """Replace the frame's text with these paragraphs: (text, size in points, bold, colour)."""
    frame.clear()
    frame.word_wrap = True
    for i, (text, size, bold, colour) in enumerate(paragraphs):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        if align is not None:
            paragraph.alignment = align
        _run(paragraph, text, size, bold, colour)


def _run(paragraph: _Paragraph, text: str, size: int, bold: bool, colour: RGBColor) -> None:
    # On the run itself: PowerPoint does not always apply a paragraph's default run properties.
    run = paragraph.add_run()
    run.text = text
    run.font.size, run.font.bold, run.font.color.rgb = Pt(size), bold, colour
