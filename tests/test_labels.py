"""Every code the database may hold has words on screen, in the programme's language."""

from __future__ import annotations

import re

import pandas as pd

from dashboard import charts, labels
from queries import schema


def test_every_code_has_words():
    assert set(labels.SOURCE) == set(schema.REFERRAL_SOURCES)
    assert set(labels.DECISION) == set(schema.REFERRAL_DECISIONS)
    assert set(labels.MOVEMENT) == {"enrolled", *schema.EXIT_REASONS}


def test_every_category_has_its_own_colour():
    for colours in (charts.SOURCE_COLOURS, charts.DECISION_COLOURS, charts.MOVEMENT_COLOURS):
        assert len(set(colours.values())) == len(colours)


def test_up_to_eight_sites_each_get_a_different_colour():
    names = [f"Site {i}" for i in range(8)]
    assert len(set(charts.site_colours(names).values())) == 8


def test_in_words_replaces_codes_and_keeps_unknown_ones():
    frame = pd.DataFrame({"source": ["midwifery", "carrier_pigeon"], "referrals": [3, 1]})
    assert labels.in_words(frame)["source"].tolist() == ["Midwifery", "carrier_pigeon"]
    assert frame["source"].tolist() == ["midwifery", "carrier_pigeon"]  # the original is untouched


def test_no_label_calls_people_victims_or_perpetrators():
    words = [w for mapping in labels.BY_COLUMN.values() for w in mapping.values()]
    assert not [w for w in words if re.search(r"victim|perpetrator", w, re.I)]
