"""The figure panel's parts that are not drawing: the CSV download."""

from __future__ import annotations

import pandas as pd

from dashboard import panels


def test_a_table_is_written_as_csv_only_when_its_button_is_clicked(monkeypatch):
    buttons = []
    monkeypatch.setattr(panels.st, "download_button", lambda label, data, **options: buttons.append((data, options)))
    written = []

    class Table(pd.DataFrame):  # notes each time the table is written out
        def to_csv(self, *args, **kwargs):
            written.append(True)
            return super().to_csv(*args, **kwargs)

    panels.csv_download("Download", Table({"Site": ["Northby", "Southby"], "Families": ["c", "12"]}),
                        "families.csv", key="csv-families")
    ((data, options),) = buttons
    assert not written and options["on_click"] == "ignore" and options["file_name"] == "families.csv"
    assert data() == b"Site,Families\nNorthby,c\nSouthby,12\n" and written == [True]
