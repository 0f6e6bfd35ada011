"""The board pack and site report downloads built from the hand-computed board-pack fixture: the
PDF parses and holds the expected figures, never a figure the viewer may not see, and, for a
commissioner, no other site's name."""

from __future__ import annotations

import io

import pytest
from pptx import Presentation
from pypdf import PdfReader

from dashboard.reports import board_pack, site_report
from dashboard.reports.exports import SYNTHETIC_NOTICE, pdf_bytes, pptx_bytes
from tests import case_db
from tests.test_board_pack import TABLES, context_for


@pytest.fixture(scope="module")
def url(tmp_path_factory) -> str:
    return case_db.build(tmp_path_factory.mktemp("downloads") / "d.sqlite", TABLES, synthetic=True)


def pdf_text(document) -> str:
    reader = PdfReader(io.BytesIO(pdf_bytes(document)))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def test_leadership_board_pack_pdf_holds_the_figures_and_their_definitions(url):
    text = pdf_text(board_pack.build(context_for(url, "leadership")))
    assert "2024/25 Q3 (Oct–Dec 2024)" in text and "Data as at 31 December 2024" in text
    assert SYNTHETIC_NOTICE in text
    # Worked by hand in tests/test_board_pack.py: 8 referrals, 3 more than the quarter before.
    assert "+3 on the quarter before" in text and "-20.0 points on the quarter before" in text
    assert "Making Data Count" in text  # the trend charts' definition travels with them
    assert "Police (+2)" in text


def test_a_trustees_board_pack_pdf_shows_no_change_worked_from_a_hidden_count(url):
    text = pdf_text(board_pack.build(context_for(url, "trustee")))
    # The quarter before had 5 referrals, hidden: "+3" would give it away.
    assert "+3 on the quarter before" not in text
    assert "change on the quarter before not shown" in text
    assert "a count from 1 to 7 is shown as “1–7”" in text
    # Families active (3), attendance (4 of 5) and the 1 escalation are hidden in the headlines.
    assert "80%" not in text and "Police (+2)" not in text


def test_a_commissioners_site_report_pdf_names_only_their_site(url):
    text = pdf_text(site_report.build(context_for(url, "commissioner"), 2))
    assert "Site report" in text and "Southby · 2024/25 Q3" in text
    assert "Northby" not in text
    assert "a count from 1 to 7 is shown as “1–7”" in text


def test_the_board_pack_slides_hold_the_same_headlines(url):
    document = board_pack.build(context_for(url, "leadership"))
    deck = Presentation(io.BytesIO(pptx_bytes(document)))
    text = " ".join(shape.text_frame.text for slide in deck.slides for shape in slide.shapes if shape.has_text_frame)
    text += " ".join(
        cell.text
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_table
        for row in shape.table.rows
        for cell in row.cells
    )
    assert "Referrals received" in text and "+3 on the quarter before" in text
