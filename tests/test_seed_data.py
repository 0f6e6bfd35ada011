"""The synthetic data generator: deterministic, internally consistent, calibrated to the
programme's published figures, and with data-quality faults only when asked for.

Expectations are worked out from the built database with independent SQL (or plain Python
over fetched rows), never copied from the generator's output.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Date, create_engine, select, text

from queries import schema
from seed_data import build_sqlite, generate, load
from seed_data.faults import FAULT_ROWS_PER_SCALE, FAULTS
from seed_data.parents import nhs_check_digit

AS_AT = dt.date(2026, 11, 1)
PROGRAMME_START = dt.date(2020, 4, 1)


def _engine(path):
    return create_engine(f"sqlite:///{path}")


@pytest.fixture(scope="module")
def db_path(tmp_path_factory):
    return build_sqlite(tmp_path_factory.mktemp("seed") / "demo.sqlite", scale=1, seed=42, as_at=AS_AT)


@pytest.fixture(scope="module")
def faulty_db_path(tmp_path_factory):
    folder = tmp_path_factory.mktemp("faulty")
    return build_sqlite(folder / "faulty.sqlite", scale=1, seed=42, as_at=AS_AT, faults=True)


@pytest.fixture(scope="module")
def conn(db_path):
    engine = _engine(db_path)
    with engine.connect() as connection:
        yield connection
    engine.dispose()


def one(conn, sql: str, **params):
    """The single value a query returns (`:as_at` is always bound)."""
    return conn.execute(text(sql), {"as_at": AS_AT.isoformat(), **params}).scalar_one()


def rows(conn, sql: str, **params) -> list[tuple]:
    return [tuple(r) for r in conn.execute(text(sql), {"as_at": AS_AT.isoformat(), **params})]


def shares(conn, table: str, column: str) -> dict:
    """Each value's share of the table's rows."""
    return dict(rows(conn, f"SELECT {column}, count(*) * 1.0 / (SELECT count(*) FROM {table}) FROM {table} GROUP BY 1"))


def table_rows(path) -> dict[str, list[tuple]]:
    """Every table's rows, ordered by primary key."""
    engine = _engine(path)
    with engine.connect() as connection:
        out = {
            table.name: [tuple(r) for r in connection.execute(select(table).order_by(*table.primary_key))]
            for table in schema.metadata.sorted_tables
        }
    engine.dispose()
    return out


def table_hashes(path) -> dict[str, str]:
    return {name: hashlib.sha256(repr(content).encode()).hexdigest() for name, content in table_rows(path).items()}


# --- determinism -----------------------------------------------------------------------------


def test_same_arguments_build_identical_databases(db_path, tmp_path):
    again = build_sqlite(tmp_path / "again.sqlite", scale=1, seed=42, as_at=AS_AT)
    assert table_hashes(again) == table_hashes(db_path)


def test_a_different_seed_builds_different_data(db_path, tmp_path):
    other = table_hashes(build_sqlite(tmp_path / "other.sqlite", scale=1, seed=43, as_at=AS_AT))
    ours = table_hashes(db_path)
    for name in ("referrals", "families", "parents", "sessions", "safeguarding_events", "assessments"):
        assert other[name] != ours[name], name


def test_build_replaces_an_existing_file_and_leaves_no_temporary_files(tmp_path):
    target = tmp_path / "demo.sqlite"
    target.write_text("not a database")
    build_sqlite(target, scale=1, seed=1, as_at=dt.date(2021, 6, 30))
    assert [p.name for p in tmp_path.iterdir()] == ["demo.sqlite"]
    engine = _engine(target)
    with engine.connect() as connection:
        assert one(connection, "SELECT count(*) FROM sites") > 0
    engine.dispose()


def test_load_writes_the_version_rows_even_without_schema_info():
    tables = generate(scale=1, seed=2, as_at=dt.date(2021, 1, 31))
    del tables["schema_info"]
    engine = create_engine("sqlite://")
    load(tables, engine)
    with engine.connect() as connection:
        info = dict(rows(connection, "SELECT key, value FROM schema_info"))
        assert one(connection, "SELECT count(*) FROM referrals") == len(tables["referrals"]) > 0
    assert info["schema_version"] == schema.SCHEMA_VERSION and info["synthetic"] == "true"


def test_load_refuses_tables_for_another_schema_version():
    tables = generate(scale=1, seed=2, as_at=dt.date(2020, 6, 30))
    tables["schema_info"].loc[tables["schema_info"]["key"] == "schema_version", "value"] = "0"
    with pytest.raises(ValueError, match="schema version"):
        load(tables, create_engine("sqlite://"))


# --- shape and volume --------------------------------------------------------------------------


def test_schema_info_marks_the_data_synthetic_and_versioned(conn):
    info = dict(rows(conn, "SELECT key, value FROM schema_info"))
    assert info["schema_version"] == schema.SCHEMA_VERSION
    assert info["synthetic"] == "true"
    assert "seed=42" in info["generator"] and "scale=1" in info["generator"]


def test_volumes_at_scale_one(conn):
    assert one(conn, "SELECT count(*) FROM sites") == 6
    assert 800 <= one(conn, "SELECT count(*) FROM referrals") <= 1300
    assert 500 <= one(conn, "SELECT count(*) FROM families") <= 800
    assert 80_000 <= one(conn, "SELECT count(*) FROM sessions") <= 130_000


def test_sites_open_between_april_2020_and_2022_with_plausible_targets(conn):
    for opened, target in rows(conn, "SELECT opened_on, target_caseload FROM sites"):
        assert "2020-04-01" <= opened <= "2022-04-01"
        assert 25 <= target <= 40
    assert one(conn, "SELECT count(DISTINCT opened_on) FROM sites") == 6


def test_each_site_has_one_team_manager_and_six_to_ten_practitioners(conn):
    for site_id, managers, therapists in rows(
        conn,
        """SELECT s.site_id, sum(p.role = 'team_manager'), sum(p.role = 'therapeutic_practitioner')
           FROM sites s JOIN practitioners p USING (site_id) GROUP BY s.site_id""",
    ):
        assert managers == 1, site_id
        assert 6 <= therapists <= 10, site_id


# --- referrals ------------------------------------------------------------------------------


def test_most_referrals_come_from_social_care_and_midwifery(conn):
    share = one(conn, "SELECT avg(source IN ('childrens_social_care', 'midwifery')) FROM referrals")
    assert share >= 0.55
    assert len(shares(conn, "referrals", "source")) >= 8


def test_referral_decisions(conn):
    decisions = shares(conn, "referrals", "decision")
    assert set(decisions) == set(schema.REFERRAL_DECISIONS)
    assert 0.55 <= decisions["accepted"] <= 0.70
    assert one(conn, "SELECT count(*) FROM referrals WHERE (decision = 'pending') != (decided_on IS NULL)") == 0
    assert one(conn, "SELECT count(*) FROM referrals WHERE decided_on < received_on") == 0
    # Referrals from the last three weeks are mostly still waiting for a decision; old ones never.
    recent = "SELECT avg(decision = 'pending') FROM referrals WHERE received_on > date(:as_at, '-21 days')"
    assert one(conn, recent) > 0.5
    old = "SELECT count(*) FROM referrals WHERE decision = 'pending' AND received_on < date(:as_at, '-90 days')"
    assert one(conn, old) == 0


def test_gestation_at_referral(conn):
    low, high, by_28 = rows(
        conn, "SELECT min(gestation_weeks), max(gestation_weeks), avg(gestation_weeks <= 28) FROM referrals"
    )[0]
    assert low >= 6 and high <= 38
    assert by_28 >= 0.85


def test_referrals_come_after_their_site_opened(conn):
    early = """SELECT count(*) FROM referrals r JOIN sites s USING (site_id)
               WHERE r.received_on < s.opened_on"""
    assert one(conn, early) == 0


def test_most_accepted_referrals_enrol_and_only_accepted_ones(conn):
    assert one(conn, "SELECT count(*) FROM referrals WHERE family_id IS NOT NULL AND decision != 'accepted'") == 0
    enrolled = one(
        conn,
        """SELECT avg(family_id IS NOT NULL) FROM referrals
           WHERE decision = 'accepted' AND decided_on < date(:as_at, '-30 days')""",
    )
    assert 0.90 <= enrolled <= 0.99
    not_from_one_referral = """
        SELECT count(*) FROM families f
        WHERE (SELECT count(*) FROM referrals r WHERE r.family_id = f.family_id) != 1"""
    assert one(conn, not_from_one_referral) == 0


# --- families -------------------------------------------------------------------------------


def test_families_enrol_in_pregnancy_soon_after_acceptance(conn):
    for gap_days, in_pregnancy, same_site in rows(
        conn,
        """SELECT julianday(f.enrolled_on) - julianday(r.decided_on),
                  f.birth_on IS NULL OR f.enrolled_on < f.birth_on,
                  f.site_id = r.site_id
           FROM families f JOIN referrals r USING (family_id)""",
    ):
        assert 1 <= gap_days <= 28
        assert in_pregnancy and same_site
    # A baby not yet born by as_at has no birth date; one long overdue would be an error.
    overdue = "SELECT count(*) FROM families WHERE birth_on IS NULL AND due_on < date(:as_at, '-30 days')"
    assert one(conn, overdue) == 0


def test_birth_dates_are_near_due_dates(conn):
    assert one(conn, "SELECT max(abs(julianday(birth_on) - julianday(due_on))) FROM families") <= 60


def test_every_exit_reason_occurs_and_open_families_exist(conn):
    reasons = shares(conn, "families", "exit_reason")
    assert set(reasons) == set(schema.EXIT_REASONS) | {None}
    assert one(conn, "SELECT count(*) FROM families WHERE exit_on IS NULL") > 50
    assert one(conn, "SELECT count(*) FROM families WHERE (exit_on IS NULL) != (exit_reason IS NULL)") == 0
    early = {reason: share for reason, share in reasons.items() if reason not in ("completed", None)}
    assert max(early, key=early.get) == "disengaged"


def test_completed_families_leave_on_the_second_birthday(conn):
    # SQLite moves 29 February + 2 years to 1 March; the generator uses 28 February.
    off = """SELECT count(*) FROM families WHERE exit_reason = 'completed'
             AND abs(julianday(exit_on) - julianday(date(birth_on, '+2 years'))) > 1"""
    assert one(conn, off) == 0
    overstayed = "SELECT count(*) FROM families WHERE exit_on IS NULL AND date(birth_on, '+2 years') < :as_at"
    assert one(conn, overstayed) == 0
    assert one(conn, "SELECT count(*) FROM families WHERE exit_on < enrolled_on") == 0


# --- parents and practitioners --------------------------------------------------------------


def test_every_family_has_one_mother_and_most_a_father(conn):
    not_one_mother = """
        SELECT count(*) FROM families f
        WHERE (SELECT count(*) FROM parents p WHERE p.family_id = f.family_id AND p.role = 'mother') != 1"""
    assert one(conn, not_one_mother) == 0
    assert one(conn, "SELECT max(n) FROM (SELECT count(*) AS n FROM parents GROUP BY family_id)") <= 2
    with_father = """
        SELECT avg(EXISTS (SELECT 1 FROM parents p WHERE p.family_id = f.family_id AND p.role = 'father'))
        FROM families f"""
    assert 0.85 <= one(conn, with_father) <= 0.95
    assert one(conn, "SELECT count(*) FROM parents WHERE role = 'co_parent'") > 0


def test_parents_see_a_therapeutic_practitioner_of_their_own_site(conn):
    mismatched = """
        SELECT count(*) FROM parents p JOIN families f USING (family_id)
        LEFT JOIN practitioners pr ON pr.practitioner_id = p.practitioner_id
        WHERE pr.site_id IS NOT f.site_id OR pr.role != 'therapeutic_practitioner'"""
    assert one(conn, mismatched) == 0


def test_the_two_parents_of_a_family_never_share_a_practitioner(conn):
    pairs = """SELECT count(*), sum(a.practitioner_id = b.practitioner_id) FROM parents a JOIN parents b
               ON a.family_id = b.family_id AND a.parent_id < b.parent_id"""
    pair_count, shared = rows(conn, pairs)[0]
    assert pair_count > 400
    assert shared == 0


def test_practitioners_are_in_post_for_their_parents_sessions(conn):
    outside = """
        SELECT count(*) FROM sessions s JOIN practitioners pr USING (practitioner_id)
        WHERE s.session_on < pr.started_on OR s.session_on > coalesce(pr.left_on, :as_at)"""
    assert one(conn, outside) == 0


def test_parent_attributes(conn):
    ace_4_plus, childhood_abuse = rows(conn, "SELECT avg(ace_count >= 4), avg(abuse_in_childhood) FROM parents")[0]
    assert ace_4_plus >= 0.4
    assert childhood_abuse > 0.5
    by_role = dict(rows(conn, "SELECT role, avg(used_abusive_behaviours) FROM parents GROUP BY role"))
    assert by_role["father"] > 0.5 > by_role["mother"] > 0


AGE_BAND_YEARS = {
    "16-19": (16, 19),
    "20-24": (20, 24),
    "25-29": (25, 29),
    "30-34": (30, 34),
    "35-39": (35, 39),
    "40+": (40, 120),
}


def test_identifying_fields_look_real_and_fit_the_age_band(conn):
    numbers = [n for (n,) in rows(conn, "SELECT nhs_number FROM parents WHERE nhs_number IS NOT NULL")]
    assert len(numbers) == len(set(numbers)) > 1000
    for number in numbers:
        assert len(number) == 10 and number.isdigit()
        assert _nhs_number_is_valid(number), number
    for born, enrolled, band, name, postcode in rows(
        conn,
        """SELECT p.date_of_birth, f.enrolled_on, p.age_band, p.full_name, p.postcode
           FROM parents p JOIN families f USING (family_id)""",
    ):
        born, enrolled = dt.date.fromisoformat(born), dt.date.fromisoformat(enrolled)
        age = enrolled.year - born.year - ((enrolled.month, enrolled.day) < (born.month, born.day))
        low, high = AGE_BAND_YEARS[band]
        assert low <= age <= high, (born, enrolled, band)
        assert name and postcode


def _nhs_number_is_valid(number: str) -> bool:
    total = sum(int(digit) * weight for digit, weight in zip(number[:9], range(10, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    return check != 10 and check == int(number[9])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 9), min_size=9, max_size=9), st.integers(0, 8), st.integers(1, 9))
def test_nhs_check_digit_matches_modulus_11_and_catches_a_changed_digit(digits, position, change):
    check = int(nhs_check_digit(np.array([digits]))[0])
    number = "".join(map(str, digits)) + str(check)
    if check == 10:  # no valid number starts with these nine digits
        assert not any(_nhs_number_is_valid(number[:9] + str(d)) for d in range(10))
        return
    assert _nhs_number_is_valid(number)
    altered = list(number)
    altered[position] = str((int(altered[position]) + change) % 10)
    assert not _nhs_number_is_valid("".join(altered))


# --- sessions --------------------------------------------------------------------------------


def test_sessions_fall_within_the_familys_time_in_the_programme(conn):
    outside = """
        SELECT count(*) FROM sessions s JOIN parents p USING (parent_id) JOIN families f USING (family_id)
        WHERE s.session_on < f.enrolled_on OR s.session_on > coalesce(f.exit_on, :as_at)"""
    assert one(conn, outside) == 0
    other_practitioner = """
        SELECT count(*) FROM sessions s JOIN parents p USING (parent_id)
        WHERE s.practitioner_id IS NOT p.practitioner_id"""
    assert one(conn, other_practitioner) == 0


def test_session_status_type_and_length(conn):
    status = shares(conn, "sessions", "status")
    assert 0.70 <= status["attended"] <= 0.85
    assert 0.06 <= status["did_not_attend"] <= 0.15
    kind = shares(conn, "sessions", "session_type")
    assert set(kind) == set(schema.SESSION_TYPES)
    assert 0.50 <= kind["individual"] <= 0.70 and 0.10 <= kind["vig"] <= 0.20
    bad_length = """SELECT count(*) FROM sessions WHERE status = 'attended'
                    AND (minutes < 45 OR minutes > 90 OR minutes IS NULL)"""
    assert one(conn, bad_length) == 0
    assert one(conn, "SELECT count(*) FROM sessions WHERE status != 'attended' AND minutes IS NOT NULL") == 0
    dna = dict(
        rows(
            conn,
            """SELECT p.role, avg(s.status = 'did_not_attend')
               FROM sessions s JOIN parents p USING (parent_id) GROUP BY p.role""",
        )
    )
    assert dna["father"] > dna["mother"]


def test_vig_only_after_birth_and_joint_only_with_two_parents(conn):
    vig_before_birth = """
        SELECT count(*) FROM sessions s JOIN parents p USING (parent_id) JOIN families f USING (family_id)
        WHERE s.session_type = 'vig' AND (f.birth_on IS NULL OR s.session_on < f.birth_on)"""
    assert one(conn, vig_before_birth) == 0
    joint_alone = """
        SELECT count(*) FROM sessions s JOIN parents p USING (parent_id)
        WHERE s.session_type = 'joint'
        AND (SELECT count(*) FROM parents q WHERE q.family_id = p.family_id) = 1"""
    assert one(conn, joint_alone) == 0


def test_about_three_to_four_sessions_a_month_while_engaged(conn):
    per_month = one(
        conn,
        """SELECT sum(n) / sum(months) FROM (
             SELECT count(*) AS n, (julianday(max(session_on)) - julianday(min(session_on))) / 30.44 AS months
             FROM sessions GROUP BY parent_id HAVING months >= 3)""",
    )
    assert 3.0 <= per_month <= 5.0


# Disengaged: the family left as "disengaged", or the parent's last attended session (their
# enrolment if none) was more than 90 days before the family's exit or as_at.
DISENGAGED_SHARE_BY_ROLE = """
    SELECT role, avg(disengaged) FROM (
      SELECT p.role,
             f.exit_reason = 'disengaged'
             OR julianday(CASE WHEN f.exit_on IS NULL OR f.exit_on > :as_at THEN :as_at ELSE f.exit_on END)
                - julianday(coalesce((SELECT max(s.session_on) FROM sessions s
                                      WHERE s.parent_id = p.parent_id AND s.status = 'attended'),
                                     f.enrolled_on)) > 90 AS disengaged
      FROM parents p JOIN families f USING (family_id)
      WHERE julianday(coalesce(f.exit_on, :as_at)) - julianday(f.enrolled_on) > 120)
    GROUP BY role
"""


def test_fathers_disengage_more_often_than_mothers(conn):
    share = dict(rows(conn, DISENGAGED_SHARE_BY_ROLE))
    # Fathers join every "disengaged" family exit and start later, so a small gap would
    # arise even if they never stopped on their own: demand a clear one.
    assert share["father"] > share["mother"] + 0.15
    assert 0.05 < share["mother"] < 0.35


# --- safeguarding ---------------------------------------------------------------------------


def test_safeguarding_volume_and_mix(conn):
    per_family = one(conn, "SELECT count(*) * 1.0 / (SELECT count(*) FROM families) FROM safeguarding_events")
    assert 1.5 <= per_family <= 2.5
    levels = shares(conn, "safeguarding_events", "level")
    assert set(levels) == set(schema.ESCALATION_LEVELS)
    assert 0.35 <= levels["dsl_internal"] <= 0.55
    concerns = shares(conn, "safeguarding_events", "concern_type")
    assert set(concerns) == set(schema.CONCERN_TYPES)
    assert max(concerns, key=concerns.get) == "domestic_abuse_incident"


def test_safeguarding_dates_and_outcomes_are_consistent(conn):
    outside = """
        SELECT count(*) FROM safeguarding_events e JOIN families f USING (family_id)
        WHERE e.raised_on < f.enrolled_on OR e.raised_on > coalesce(f.exit_on, :as_at)"""
    assert one(conn, outside) == 0
    early = """SELECT count(*) FROM safeguarding_events
               WHERE dsl_reviewed_on < raised_on OR resolved_on < raised_on"""
    assert one(conn, early) == 0
    internal_referred = (
        "SELECT count(*) FROM safeguarding_events WHERE level = 'dsl_internal' AND referred_on IS NOT NULL"
    )
    assert one(conn, internal_referred) == 0
    referred = """SELECT avg(referred_on IS NOT NULL) FROM safeguarding_events
                  WHERE level != 'dsl_internal' AND raised_on < date(:as_at, '-30 days')"""
    assert one(conn, referred) > 0.95
    assert one(conn, "SELECT count(*) FROM safeguarding_events WHERE (resolved_on IS NULL) != (outcome IS NULL)") == 0
    assert one(conn, "SELECT count(*) FROM safeguarding_events WHERE resolved_on IS NULL") > 0
    assert one(conn, "SELECT count(*) FROM safeguarding_events WHERE summary IS NULL OR length(summary) < 10") == 0
    removal_families = "SELECT count(DISTINCT family_id) FROM safeguarding_events WHERE outcome = 'baby_removed'"
    assert one(conn, removal_families) == one(conn, "SELECT count(*) FROM families WHERE exit_reason = 'baby_removed'")


def test_most_concerns_reviewed_by_the_dsl_within_one_working_day(conn):
    reviewed = rows(
        conn, "SELECT raised_on, dsl_reviewed_on FROM safeguarding_events WHERE dsl_reviewed_on IS NOT NULL"
    )
    raised = np.array([r for r, _ in reviewed], dtype="datetime64[D]")
    review = np.array([v for _, v in reviewed], dtype="datetime64[D]")
    # Working days after the day raised, up to and including the review day.
    working_days_taken = np.busday_count(raised + 1, review + 1)
    assert 0.75 <= np.mean(working_days_taken <= 1) <= 0.95


def test_time_to_resolution(conn):
    days = sorted(
        d
        for (d,) in rows(
            conn,
            """SELECT julianday(resolved_on) - julianday(raised_on) FROM safeguarding_events
               WHERE resolved_on IS NOT NULL""",
        )
    )
    assert 20 <= days[len(days) // 2] <= 45


# --- social care and assessments -----------------------------------------------------------

SOCIAL_CARE_SHARE = "SELECT avg(level != 'none') FROM social_care_status WHERE time_point = :time_point"


def test_social_care_involvement_falls_from_about_70_percent_to_about_a_third(conn):
    baseline = one(conn, SOCIAL_CARE_SHARE, time_point="baseline")
    assert 0.60 <= baseline <= 0.80
    assert 0.25 <= one(conn, SOCIAL_CARE_SHARE, time_point="m24") <= 0.40
    assert one(conn, SOCIAL_CARE_SHARE, time_point="m12") < baseline


def test_social_care_rows_follow_the_familys_time_points(conn):
    no_baseline = """
        SELECT count(*) FROM families f WHERE NOT EXISTS (
          SELECT 1 FROM social_care_status s WHERE s.family_id = f.family_id AND s.time_point = 'baseline')"""
    assert one(conn, no_baseline) == 0
    m24_not_completed = """
        SELECT count(*) FROM social_care_status s JOIN families f USING (family_id)
        WHERE s.time_point = 'm24' AND f.exit_reason IS NOT 'completed'"""
    assert one(conn, m24_not_completed) == 0
    completed = one(conn, "SELECT count(*) FROM families WHERE exit_reason = 'completed'")
    assert completed == one(conn, "SELECT count(*) FROM social_care_status WHERE time_point = 'm24'")
    birth_row_before_birth = """
        SELECT count(*) FROM social_care_status s JOIN families f USING (family_id)
        WHERE s.time_point = 'birth' AND (f.birth_on IS NULL OR s.recorded_on < f.birth_on)"""
    assert one(conn, birth_row_before_birth) == 0
    looked_after = dict(
        rows(
            conn,
            """SELECT f.exit_reason = 'baby_removed', count(*)
               FROM social_care_status s JOIN families f USING (family_id)
               WHERE s.level = 'looked_after' GROUP BY 1""",
        )
    )
    assert looked_after.get(1, 0) > 0 and looked_after.get(0, 0) == 0


def test_babies_development_mostly_within_the_normal_range(conn):
    share = one(conn, "SELECT avg(within_normal_range) FROM assessments WHERE subject = 'baby'")
    assert 0.75 <= share <= 0.97
    misfiled = """SELECT count(*) FROM assessments WHERE subject = 'baby'
                  AND (parent_id IS NOT NULL OR time_point NOT IN ('m12', 'm24') OR instrument = 'core10')"""
    assert one(conn, misfiled) == 0
    # A baby assessed at 24 months belongs to a family that completed the programme.
    m24_not_completed = """
        SELECT count(*) FROM assessments a JOIN families f USING (family_id)
        WHERE a.time_point = 'm24' AND f.exit_reason IS NOT 'completed'"""
    assert one(conn, m24_not_completed) == 0


def test_some_expected_assessments_are_missing(conn):
    # Families that reached 12 or 24 months (a social-care row says so) expect six baby measures.
    expected = 6 * one(conn, "SELECT count(*) FROM social_care_status WHERE time_point IN ('m12', 'm24')")
    present = one(conn, "SELECT count(*) FROM assessments WHERE subject = 'baby'")
    assert 0.03 <= 1 - present / expected <= 0.15


def test_parents_wellbeing_improves_from_entry(conn):
    not_core10 = """SELECT count(*) FROM assessments
                    WHERE subject = 'parent' AND (instrument != 'core10' OR parent_id IS NULL)"""
    assert one(conn, not_core10) == 0
    bad_score = """SELECT count(*) FROM assessments WHERE instrument = 'core10'
                   AND (score < 0 OR score > 40 OR score != round(score)
                        OR within_normal_range != (score < 11))"""
    assert one(conn, bad_score) == 0
    entry_mean = one(conn, "SELECT avg(score) FROM assessments WHERE instrument = 'core10' AND time_point = 'entry'")
    assert 15 <= entry_mean <= 19
    # Change from entry to the parent's latest of 12 and 24 months.
    changes = np.array(
        [
            change
            for (change,) in rows(
                conn,
                """SELECT e.score - l.score
                   FROM assessments e JOIN assessments l
                     ON l.parent_id = e.parent_id AND l.instrument = 'core10'
                    AND l.time_point = (SELECT max(x.time_point) FROM assessments x
                                        WHERE x.parent_id = e.parent_id AND x.time_point IN ('m12', 'm24'))
                   WHERE e.instrument = 'core10' AND e.time_point = 'entry'""",
            )
        ]
    )
    assert len(changes) > 200
    assert 0.3 <= np.mean(changes >= 6) <= 0.85


def test_assessments_fall_within_their_time_points_window(conn):
    assert one(conn, FAULT_QUERIES["assessment_outside_window"]) == 0


# --- dates ----------------------------------------------------------------------------------


def test_nothing_is_dated_after_as_at_except_due_dates(conn):
    for table in schema.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, Date) and (table.name, column.name) != ("families", "due_on"):
                latest = one(conn, f"SELECT max({column.name}) FROM {table.name}")
                assert latest is None or latest <= AS_AT.isoformat(), (table.name, column.name, latest)
    assert one(conn, "SELECT max(due_on) FROM families") > AS_AT.isoformat()


def test_activity_starts_with_the_programme(conn):
    assert one(conn, "SELECT min(received_on) FROM referrals") >= PROGRAMME_START.isoformat()
    assert one(conn, "SELECT min(session_on) FROM sessions") >= PROGRAMME_START.isoformat()


@pytest.mark.parametrize("as_at", [dt.date(2020, 4, 1), dt.date(2021, 3, 15)])
def test_an_early_as_at_still_generates_consistent_data(as_at):
    tables = generate(scale=1, seed=5, as_at=as_at)
    limit = np.datetime64(as_at)
    for name, frame in tables.items():
        for column in frame.columns:
            if column != "due_on" and frame[column].dtype.kind == "M":
                assert not (frame[column].to_numpy() > limit).any(), (name, column)
    assert len(tables["sites"]) == 6


def test_scale_multiplies_sites_with_distinct_names():
    sites = generate(scale=5, seed=3, as_at=dt.date(2022, 6, 1))["sites"]
    assert len(sites) == 30 and sites["name"].is_unique


# --- deliberate faults -----------------------------------------------------------------------

FAULT_QUERIES = {
    "birth_before_referral": """
        SELECT count(*) FROM families f JOIN referrals r USING (family_id)
        WHERE f.birth_on < r.received_on""",
    "session_after_exit": """
        SELECT count(*) FROM sessions s JOIN parents p USING (parent_id) JOIN families f USING (family_id)
        WHERE s.session_on > f.exit_on""",
    "resolved_before_raised": "SELECT count(*) FROM safeguarding_events WHERE resolved_on < raised_on",
    "assessment_outside_window": """
        SELECT count(*) FROM assessments a JOIN families f USING (family_id)
        WHERE abs(julianday(a.assessed_on) - CASE a.time_point
                WHEN 'entry' THEN julianday(f.enrolled_on)
                WHEN 'birth' THEN julianday(f.birth_on)
                WHEN 'm12' THEN julianday(f.birth_on) + 365
                WHEN 'm24' THEN julianday(f.birth_on) + 730 END) > 90""",
    "parent_without_practitioner": "SELECT count(*) FROM parents WHERE practitioner_id IS NULL",
}


def test_the_fault_list_is_the_one_documented():
    assert set(FAULT_QUERIES) == set(FAULTS)


@pytest.mark.parametrize("fault", sorted(FAULT_QUERIES))
def test_no_faults_unless_asked_for(conn, fault):
    assert one(conn, FAULT_QUERIES[fault]) == 0


@pytest.mark.parametrize("fault", sorted(FAULT_QUERIES))
def test_faults_when_asked_for(faulty_db_path, fault):
    engine = _engine(faulty_db_path)
    with engine.connect() as connection:
        count = one(connection, FAULT_QUERIES[fault])
    engine.dispose()
    assert count == FAULT_ROWS_PER_SCALE


def test_faults_change_only_a_few_rows(db_path, faulty_db_path):
    clean, faulty = table_rows(db_path), table_rows(faulty_db_path)
    changed = 0
    for name in clean:
        if name == "schema_info":  # its generator label says faults=true
            continue
        assert len(clean[name]) == len(faulty[name]), name
        changed += len(set(clean[name]) - set(faulty[name]))
    assert changed == FAULT_ROWS_PER_SCALE * len(FAULTS)
