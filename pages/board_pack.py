"""Board pack: the quarter for the trustees, on a few screens that read on a projector, with the
same pack as a PDF and as slides."""

import streamlit as st

from dashboard.reports import board_pack
from dashboard.shell import context
from dashboard.shell.report_view import draw_report
from dashboard.words.definitions.board_pack import OTHER_QUARTER

view = context.current()
quarter = board_pack.board_quarter(view.filters.period, view.data_as_at)
if quarter != view.filters.period:
    st.info(OTHER_QUARTER.format(quarter=quarter.label), icon=":material/date_range:")

with st.spinner("Putting the board pack together…"):
    document = board_pack.build(view)
draw_report(document, key="board-pack")
