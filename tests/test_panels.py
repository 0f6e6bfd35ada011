"""The figure panel's parts that are not drawing: the CSV download."""

from __future__ import annotations

import pandas as pd

from dashboard.privacy.disclosure import MARKER
from dashboard.shell import panels


def test_a_table_is_written_as_csv_only_when_its_button_is_clicked(monkeypatch):
    buttons = []
    monkeypatch.setattr(panels.st, "download_button", lambda label, data, **options: buttons.append((data, options)))
    written = []

    class Table(pd.DataFrame):  # notes each time the table is written out
        def to_csv(self, *args, **kwargs):
            written.append(True)
            return super().to_csv(*args, **kwargs)

    panels.csv_download(
        "Download",
        Table({"Site": ["Northby", "Southby"], "Families": [MARKER, "15"]}),
        "families.csv",
        key="csv-families",
    )
    ((data, options),) = buttons
    assert not written and options["on_click"] == "ignore" and options["file_name"] == "families.csv"
    assert data() == "Site,Families\nNorthby,1–7\nSouthby,15\n".encode() and written == [True]
