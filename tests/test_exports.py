"""The report document as a PDF and as slides: every copy carries the period, the data-as-at date,
the synthetic-data notice (on every page), the definitions and exactly the document's figures."""

from __future__ import annotations

import io
import re
from datetime import date

import pandas as pd
import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pypdf import PdfReader

from dashboard.privacy.disclosure import MARKER
from dashboard.reports.exports import (
    SYNTHETIC_NOTICE,
    ExportProblem,
    chart_images,
    pdf_bytes,
    pptx_bytes,
)
from dashboard.reports.exports import pdf as pdf_module
from dashboard.reports.exports.common import cell_text, measure_definitions, numeric_columns
from dashboard.reports.report_document import Headline, ReportDocument, Section
from tests import report_documents as sample

CHARTS = 2


@pytest.fixture(scope="module")
def images():
    """The sample's charts, drawn once for the module (each drawing starts Chromium)."""
    return chart_images(sample.sample_document())


def pdf_pages(document: ReportDocument, images) -> list[str]:
    reader = PdfReader(io.BytesIO(pdf_bytes(document, images)))
    return [page.extract_text() for page in reader.pages]


def slide_texts(data: bytes) -> tuple[list[str], list[str]]:
    """Each slide's text (text boxes and table cells) and each slide's notes."""
    deck = Presentation(io.BytesIO(data))
    texts, notes = [], []
    for slide in deck.slides:
        parts = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts += [cell.text for row in shape.table.rows for cell in row.cells]
        texts.append("\n".join(parts))
        notes.append(slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else "")
    return texts, notes


def test_images_one_per_chart_in_section_order(images):
    assert len(images) == 2 and all(image is not None for image in images)
    assert all(image.png.startswith(b"\x89PNG") for image in images)
    assert images[0].png != images[1].png
    assert (images[0].width, images[0].height) == (1000, 460)


def test_a_section_without_chart_has_no_image():
    document = ReportDocument("T", "S", date(2026, 1, 5), False, None, (Section("Words only", sentences=("a",)),))
    assert chart_images(document) == (None,)


def test_pdf_holds_the_document(images):
    pages = pdf_pages(sample.sample_document(), images)
    text = "\n".join(pages)
    assert len(pages) >= 2  # the caseload table runs onto a second page
    for expected in (
        sample.TITLE,
        sample.SUBTITLE,
        sample.DATA_AS_AT_TEXT,
        sample.REFERRALS_DEFINITION,
        sample.CASELOAD_DEFINITION,
        sample.REFERRED.definition,
        sample.IN_PROGRAMME.definition,
        "1,234",
        *sample.REFERRED.changes,
        sample.SENTENCE,
        sample.REFERRALS_ALT,
        sample.CASELOAD_ALT,
        sample.NOTE,
        sample.LEGEND,
    ):
        assert expected in text, expected
    # The table's rows, hidden cells included, exactly as the document holds them.
    for site, month, cases in sample.CASELOAD.itertuples(index=False):
        assert f"{site} {month} {cases}" in text
    assert re.search(r"^Families in the programme\n1–7$", text, re.MULTILINE)


def test_pdf_notice_and_footer_on_every_page(images):
    pages = pdf_pages(sample.sample_document(), images)
    for number, page in enumerate(pages, start=1):
        assert SYNTHETIC_NOTICE in page
        assert f"Page {number} of {len(pages)}" in page
        assert sample.FOOTNOTE in page  # the rounding, on the page a reader holds
        assert f"Board pack · {sample.SUBTITLE} · {sample.DATA_AS_AT_TEXT}" in page


def test_pdf_of_real_data_has_no_notice(images):
    text = "\n".join(pdf_pages(sample.sample_document(synthetic=False), images))
    assert "Synthetic" not in text and "not real families" not in text
    assert sample.DATA_AS_AT_TEXT in text


def test_pdf_embeds_one_image_per_chart(images):
    reader = PdfReader(io.BytesIO(pdf_bytes(sample.sample_document(), images)))
    assert sum(len(page.images) for page in reader.pages) == CHARTS


def test_pdf_draws_its_own_charts_when_not_given():
    document = ReportDocument(
        "Words and a chart",
        "S",
        date(2026, 1, 5),
        True,
        None,
        (Section("One chart", chart=sample.sample_document().sections[0].chart),),
    )
    reader = PdfReader(io.BytesIO(pdf_bytes(document)))
    assert sum(len(page.images) for page in reader.pages) == 1


def test_slides_hold_the_document(images):
    data = pptx_bytes(sample.sample_document(), images)
    deck = Presentation(io.BytesIO(data))
    assert (deck.slide_width, deck.slide_height) == (12192000, 6858000)  # 13.333 × 7.5 inches: 16:9
    texts, notes = slide_texts(data)
    title_slide, everything = texts[0], "\n".join(texts)
    for expected in (sample.TITLE, sample.SUBTITLE, sample.DATA_AS_AT_TEXT, SYNTHETIC_NOTICE):
        assert expected in title_slide
    for expected in (
        sample.REFERRALS_DEFINITION,
        sample.CASELOAD_DEFINITION,
        sample.REFERRED.definition,
        "1,234",
        *sample.REFERRED.changes,
        sample.SENTENCE,
        sample.IN_PROGRAMME.label,
        sample.LEGEND,
    ):
        assert expected in everything, expected
    assert sample.REFERRALS_DEFINITION in notes[1]  # the presenter's notes of the Referrals slide
    cells = [text.split("\n") for text in texts]
    table_cells = [cell for slide in cells for cell in slide]
    for site, month, cases in sample.CASELOAD.itertuples(index=False):
        assert {site, month, cases} <= set(table_cells)
    assert all(SYNTHETIC_NOTICE in text for text in texts)
    assert all(sample.FOOTNOTE in text for text in texts[1:])  # every titled slide
    assert texts[-1].startswith("Measure definitions")


def test_slides_of_real_data_have_no_notice(images):
    texts, _ = slide_texts(pptx_bytes(sample.sample_document(synthetic=False), images))
    assert not any("Synthetic" in text or "not real families" in text for text in texts)


def test_slides_picture_per_chart_with_its_description(images):
    deck = Presentation(io.BytesIO(pptx_bytes(sample.sample_document(), images)))
    pictures = [shape for slide in deck.slides for shape in slide.shapes if shape.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(pictures) == CHARTS
    assert [picture._element.nvPicPr.cNvPr.get("descr") for picture in pictures] == [
        sample.REFERRALS_ALT,
        sample.CASELOAD_ALT,
    ]
    for picture in pictures:  # inside the slide
        assert picture.left + picture.width <= deck.slide_width
        assert picture.top + picture.height <= deck.slide_height


def test_long_table_continues_over_slides(images):
    document = sample.sample_document()
    texts, _ = slide_texts(pptx_bytes(document, images))
    table_slides = [text for text in texts if text.startswith("Caseload: table")]
    assert [text.split("\n")[0] for text in table_slides] == [
        "Caseload: table (1 of 3)",
        "Caseload: table (2 of 3)",
        "Caseload: table (3 of 3)",
    ]


def test_missing_font_is_a_problem_named_before_any_chart_is_drawn(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf_module, "FONT_DIR", tmp_path)
    monkeypatch.setattr(pdf_module, "with_images", lambda *_: pytest.fail("charts drawn before the font check"))
    with pytest.raises(ExportProblem) as caught:
        pdf_bytes(sample.sample_document())
    assert "DejaVu Sans" in caught.value.title
    assert "fonts-dejavu-core" in caught.value.advice
    assert "DejaVuSans.ttf" in caught.value.details[0]


def test_missing_browser_is_a_problem_saying_so(monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    with pytest.raises(ExportProblem) as caught:
        chart_images(sample.sample_document())
    assert "no Chromium browser" in caught.value.title
    assert "chromium package" in caught.value.advice


def test_cells_are_written_as_text():
    assert [
        cell_text(v)
        for v in (MARKER, 1234, 1234.0, 12.5, 0.3333, float("nan"), None, pd.Timestamp("2025-07-01"), date(2025, 7, 1))
    ] == [MARKER, "1,234", "1,234", "12.5", "0.33", "–", "–", "01 Jul 2025", "01 Jul 2025"]


def test_figure_columns_are_those_holding_a_number():
    names = ("Site", "Open cases", "Rate")
    assert numeric_columns(names, [("Northby", MARKER, "–"), ("Southby", "1,234", "12.5%")]) == (False, True, True)
    assert numeric_columns(names, [("Northby", MARKER, "–")]) == (False, False, False)


def test_each_definition_listed_once_in_reading_order():
    shared = Headline("Families referred", "1", "Referred in the quarter.")
    document = ReportDocument(
        "T",
        "S",
        date(2026, 1, 5),
        False,
        None,
        (
            Section("Referrals", "All referrals.", headlines=(shared, Headline("Undefined", "2", ""))),
            Section("Again", "", headlines=(shared,)),
        ),
    )
    assert measure_definitions(document) == [
        ("Referrals", "All referrals."),
        ("Families referred", "Referred in the quarter."),
    ]
