"""A report document (dashboard/reports/report_document.py) drawn on screen, laid out for the browser's
Print, with its PDF and slides made only when asked for."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import streamlit as st

from dashboard.reports import exports
from dashboard.reports.exports.common import ExportProblem, data_as_at_text
from dashboard.reports.report_document import ReportDocument, Section

PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
# The browser's Print gives the report alone: no sidebar, toolbar or buttons, charts kept whole.
PRINT_STYLE = """<style>
@media print {
  [data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"],
  [data-testid="stExpandSidebarButton"], [data-testid="stStatusWidget"],
  [data-testid="stElementToolbar"], [data-testid="stButton"],
  [data-testid="stDownloadButton"] { display: none !important; }
  [data-testid="stPlotlyChart"], [data-testid="stMetric"], [data-testid="stDataFrame"] { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
}
</style>"""


HEADLINES_PER_ROW = 4


@dataclass(frozen=True)
class _Prepared:
    fingerprint: str
    pdf: bytes
    slides: bytes | None


def draw_report(document: ReportDocument, *, key: str, slides: bool = True) -> None:
    """Draw the document: header, downloads, then each section. `key` names this report's
    widgets; `slides`: offer the report as slides as well as a PDF."""
    st.html(PRINT_STYLE)
    st.title(document.title)
    st.markdown(f"**{_plain(document.subtitle)}**")
    st.caption(data_as_at_text(document))
    if document.suppression_legend:
        st.info(document.suppression_legend, icon=":material/visibility_off:")
    _downloads(document, key=key, slides=slides)
    if not document.parts:
        _sections(document, range(len(document.sections)), key=key)
        return
    # A tab per part, bound to the address so a link opens the same page. Only the open tab's
    # sections are run and sent, so the browser draws that page's charts alone.
    tabs = st.tabs([part.label for part in document.parts], key=f"{key}-part", bind="query-params")
    for tab, positions in zip(tabs, document.part_positions()):
        if tab.open:
            with tab:
                _sections(document, positions, key=key)


def _sections(document: ReportDocument, positions: range, *, key: str) -> None:
    for number in positions:
        _section(document.sections[number], key=f"{key}-{number}")


def _section(section: Section, *, key: str) -> None:
    st.subheader(section.title)
    if section.definition:
        st.caption(_plain(section.definition))
    # Rows of at most four figures, so every figure is drawn however many there are.
    for first in range(0, len(section.headlines), HEADLINES_PER_ROW):
        row = section.headlines[first : first + HEADLINES_PER_ROW]
        for column, headline in zip(st.columns(min(len(section.headlines), HEADLINES_PER_ROW)), row):
            with column.container(border=True):
                # The label above, not in the metric, which cuts a long one short on one line.
                st.markdown(f"**{_plain(headline.label)}**", help=headline.definition or None)
                st.metric(headline.label, headline.value, label_visibility="collapsed")
                for change in headline.changes:
                    st.caption(_plain(change))
    if section.sentences:
        st.markdown("\n".join(f"- {_plain(sentence)}" for sentence in section.sentences))
    if section.chart is not None:
        # theme=None: the house template (dashboard/viz/charts.py), not Streamlit's, styles the chart.
        st.plotly_chart(section.chart, theme=None, width="stretch", config={"displaylogo": False}, key=f"{key}-chart")
        if section.chart_alt:
            st.caption(_plain(section.chart_alt))
    if section.table is not None and not section.table.empty:
        # Every row on the page (not a scrolling box of ten), so the browser prints them all.
        st.dataframe(section.table, hide_index=True, width="stretch", height="content")
    for note in section.notes:
        st.caption(_plain(note))


def _downloads(document: ReportDocument, *, key: str, slides: bool) -> None:
    """A button that makes the files (a few seconds: the charts are drawn by a browser), then
    their download buttons. Files made for another document (other filters, another viewer) are
    never offered for this one."""
    # Hashing every chart takes a moment: only when there are files to match, or to make.
    prepared = st.session_state.get(f"{key}-files")
    if prepared is not None and prepared.fingerprint != _fingerprint(document):
        prepared = None
    controls = st.container(horizontal=True)
    if prepared is None and controls.button(
        "Prepare PDF" + (" and slides" if slides else ""), key=f"{key}-prepare", icon=":material/picture_as_pdf:"
    ):
        prepared = _prepare(document, _fingerprint(document), slides=slides)
        if prepared is not None:
            st.session_state[f"{key}-files"] = prepared
            st.rerun()  # so the download buttons stand where the button was
    if prepared is not None:
        controls.download_button(
            "Download PDF",
            prepared.pdf,
            file_name=f"{document.file_stem}.pdf",
            mime="application/pdf",
            on_click="ignore",
            key=f"{key}-pdf",
            icon=":material/download:",
        )
        if prepared.slides is not None:
            controls.download_button(
                "Download slides",
                prepared.slides,
                file_name=f"{document.file_stem}.pptx",
                mime=PPTX_MIME,
                on_click="ignore",
                key=f"{key}-slides",
                icon=":material/slideshow:",
            )


def _prepare(document: ReportDocument, fingerprint: str, *, slides: bool) -> _Prepared | None:
    try:
        with st.spinner("Drawing the charts and laying out the files (a few seconds)…"):
            images = exports.chart_images(document)
            return _Prepared(
                fingerprint,
                exports.pdf_bytes(document, images),
                exports.pptx_bytes(document, images) if slides else None,
            )
    except ExportProblem as problem:
        st.error(f"{problem.title} {' '.join(problem.details)}", icon=":material/print_disabled:")
        if problem.advice:
            st.caption(problem.advice)
        return None


def _fingerprint(document: ReportDocument) -> str:
    """What the document holds, hashed: every field, each chart's JSON and each table's cells."""
    digest = hashlib.sha256(
        repr(
            (document.title, document.subtitle, document.data_as_at, document.synthetic, document.suppression_legend)
        ).encode()
    )
    for section in document.sections:
        digest.update(
            repr(
                (
                    section.title,
                    section.definition,
                    section.sentences,
                    section.headlines,
                    section.chart_alt,
                    section.notes,
                )
            ).encode()
        )
        digest.update(section.chart.to_json().encode() if section.chart is not None else b"-")
        digest.update(section.table.to_csv().encode() if section.table is not None else b"-")
    return digest.hexdigest()


_MARKDOWN = re.compile(r"([\\`*_{}\[\]<>#+!|~$])")


def _plain(text: str) -> str:
    """Text shown as written: Markdown's special characters (and "$", which starts LaTeX) escaped."""
    return _MARKDOWN.sub(r"\\\1", text)
