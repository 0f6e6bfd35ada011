"""Every code the database may hold has words on screen, in the programme's language."""

from __future__ import annotations

import re

import pandas as pd

from dashboard.viz import charts
from dashboard.words import formats, labels
from queries import schema


def test_every_code_has_words():
    assert set(labels.SOURCE) == set(schema.REFERRAL_SOURCES)
    assert set(labels.DECISION) == set(schema.REFERRAL_DECISIONS)
    assert set(labels.MOVEMENT) == {"enrolled", *schema.EXIT_REASONS}
    assert set(labels.SESSION_TYPE) == set(schema.SESSION_TYPES)
    assert set(labels.SESSION_STATUS) == set(schema.SESSION_STATUSES)
    assert set(labels.ESCALATION_LEVEL) == set(schema.ESCALATION_LEVELS)
    assert set(labels.CONCERN_TYPE) == set(schema.CONCERN_TYPES)
    assert set(labels.SOCIAL_CARE_LEVEL) == set(schema.SOCIAL_CARE_LEVELS)
    assert set(labels.TIME_POINT) == {*schema.SOCIAL_CARE_TIME_POINTS, *schema.ASSESSMENT_TIME_POINTS}
    assert set(labels.INSTRUMENT) == set(schema.INSTRUMENTS)
    assert set(labels.PARENT_ROLE) == {*schema.PARENT_ROLES, "both", "partner"}


def test_every_category_has_its_own_colour():
    for colours in (
        charts.SOURCE_COLOURS,
        charts.DECISION_COLOURS,
        charts.MOVEMENT_COLOURS,
        charts.PARENT_ROLE_COLOURS,
        charts.SESSION_TYPE_COLOURS,
        charts.SESSION_STATUS_COLOURS,
        charts.ESCALATION_LEVEL_COLOURS,
        charts.CONCERN_TYPE_COLOURS,
        charts.SOCIAL_CARE_LEVEL_COLOURS,
        charts.TIME_POINT_COLOURS,
        charts.INSTRUMENT_COLOURS,
    ):
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


def test_a_change_reads_as_a_rise_a_fall_or_no_change():
    assert [formats.change(n) for n in (5, -3, 0, 0.4, 1234)] == ["+5", "-3", "no change", "no change", "+1,234"]
    assert formats.change(-20, decimals=1, unit=" points") == "-20.0 points"
    assert formats.change(0.04, decimals=1, unit=" points") == "no change"
