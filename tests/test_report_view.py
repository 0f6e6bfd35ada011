"""The report document on screen: figures as metrics with their definitions, charts, tables, a
print stylesheet, and the PDF and slides made only when asked for."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.privacy.disclosure import MARKER
from dashboard.reports.report_document import Part
from tests import report_documents as sample

ROOT = Path(__file__).resolve().parents[1]
IN_TWO_PARTS = (Part("Referrals", 1), Part("Caseload", 1))


def report_script():
    import dataclasses

    import streamlit as st

    from dashboard.shell.report_view import draw_report
    from tests.report_documents import sample_document

    subtitle = st.session_state.get("subtitle", "October to December 2025 · Northby and Southby")
    document = dataclasses.replace(sample_document(subtitle=subtitle), parts=st.session_state.get("parts", ()))
    draw_report(document, key="board", slides=st.session_state.get("slides", True))


def open_report(**state) -> AppTest:
    app = AppTest.from_function(report_script, default_timeout=120)
    for name, value in state.items():
        app.session_state[name] = value
    return app.run()


def shown_text(app: AppTest) -> str:
    kinds = ("title", "subheader", "markdown", "caption", "info", "error")
    return "\n".join(str(element.value) for kind in kinds for element in getattr(app, kind))


def test_the_document_is_drawn():
    app = open_report()
    assert not app.exception
    assert app.title[0].value == sample.TITLE
    assert [s.value for s in app.subheader] == ["Referrals", "Caseload"]
    text = shown_text(app)
    for expected in (
        sample.SUBTITLE,
        sample.DATA_AS_AT_TEXT,
        sample.REFERRALS_DEFINITION,
        sample.CASELOAD_DEFINITION,
        sample.REFERRALS_ALT,
        sample.CASELOAD_ALT,
        sample.NOTE,
        *sample.REFERRED.changes,
        sample.LEGEND,
    ):
        assert expected in text.replace("\\", ""), expected
    assert [(m.label, m.value) for m in app.metric] == [
        (sample.REFERRED.label, "1,234"),
        (sample.IN_PROGRAMME.label, MARKER),
    ]
    # Each label is drawn above its figure (a metric's own label is cut short on one line),
    # with the figure's definition as its help.
    labels = {m.value: m.help for m in app.markdown if m.help}
    assert labels == {
        f"**{sample.REFERRED.label}**": sample.REFERRED.definition,
        f"**{sample.IN_PROGRAMME.label}**": sample.IN_PROGRAMME.definition,
    }
    assert len(app.get("plotly_chart")) == 2
    assert app.dataframe[0].value.equals(sample.CASELOAD)


def test_a_report_in_parts_draws_only_the_open_part():
    app = open_report(parts=IN_TWO_PARTS)
    assert not app.exception
    assert [tab.label for tab in app.tabs] == ["Referrals", "Caseload"]
    # The first part alone: its figures and chart, not the second part's chart and table.
    assert [s.value for s in app.subheader] == ["Referrals"]
    assert len(app.metric) == 2 and len(app.get("plotly_chart")) == 1 and not app.dataframe
    app.query_params["board-part"] = "Caseload"  # as a link to that page, or a click on its tab
    app.run()
    assert not app.exception
    assert [s.value for s in app.subheader] == ["Caseload"]
    assert not app.metric and len(app.get("plotly_chart")) == 1
    assert app.dataframe[0].value.equals(sample.CASELOAD)
    # The report's heading and downloads stand above the parts, on every one.
    assert app.title[0].value == sample.TITLE and [b.label for b in app.button] == ["Prepare PDF and slides"]


def test_an_unknown_part_in_the_address_opens_the_first():
    app = AppTest.from_function(report_script, default_timeout=120)
    app.session_state["parts"] = IN_TWO_PARTS
    app.query_params["board-part"] = "Everything"
    app.run()
    assert not app.exception
    assert [s.value for s in app.subheader] == ["Referrals"]


def test_a_report_refuses_parts_that_do_not_hold_each_section_once():
    with pytest.raises(ValueError, match="each of its sections once"):
        dataclasses.replace(sample.sample_document(), parts=(Part("Referrals", 1),))


def test_markdown_characters_in_text_are_shown_as_written():
    app = open_report(subtitle="Q3 * $5 [all] sites")
    assert app.markdown[0].value == r"**Q3 \* \$5 \[all\] sites**"


def test_print_stylesheet_hides_the_controls():
    style = AppTest.from_function(report_script).run().get("html")[0].proto.body
    assert "@media print" in style
    for hidden in ("stSidebar", "stHeader", "stToolbar", "stButton", "stDownloadButton"):
        assert f'[data-testid="{hidden}"]' in style


def test_files_are_made_only_when_asked_for():
    app = open_report()
    assert [b.label for b in app.button] == ["Prepare PDF and slides"]
    assert not app.get("download_button")
    app.button[0].click().run()
    assert not app.exception and not app.error
    downloads = app.get("download_button")
    assert [d.label for d in downloads] == ["Download PDF", "Download slides"]
    assert not app.button  # prepared: the downloads replace the button
    app.run()  # the files stay on a later run of the same document
    assert len(app.get("download_button")) == 2


def test_files_for_another_document_are_not_offered():
    app = open_report()
    app.button[0].click().run()
    assert len(app.get("download_button")) == 2
    app.session_state["subtitle"] = "January to March 2026 · Northby"
    app.run()
    assert not app.get("download_button")
    assert [b.label for b in app.button] == ["Prepare PDF and slides"]


def test_a_report_without_slides_offers_only_the_pdf():
    app = open_report(slides=False)
    assert [b.label for b in app.button] == ["Prepare PDF"]
    app.button[0].click().run()
    assert [d.label for d in app.get("download_button")] == ["Download PDF"]


def test_the_pdf_and_slide_libraries_load_only_when_files_are_made():
    # About 0.4 s of imports the first page offering the files would otherwise wait for.
    script = (
        "import sys, dashboard.shell.report_view; loaded = {'fpdf', 'pptx'} & set(sys.modules); "
        "from dashboard.reports.exports import pdf_bytes, pptx_bytes; "
        "print(sorted(loaded), callable(pdf_bytes) and callable(pptx_bytes), 'fpdf' in sys.modules)"
    )
    shown = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert shown.stdout.split() == ["[]", "True", "True"], shown.stderr[-2000:]


def test_a_missing_browser_is_explained_not_a_traceback(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    app = open_report()
    app.button[0].click().run()
    assert not app.exception
    assert "no Chromium browser" in app.error[0].value
    assert any("chromium package" in caption.value for caption in app.caption)
    assert not app.get("download_button")
    assert [b.label for b in app.button] == ["Prepare PDF and slides"]  # to try again once installed
