"""The case database contract: the tables the dashboard reads.

A Trust analyst maps the real case system onto these tables (docs/case-database.md
describes every column). The dashboard only reads them. Columns marked IDENTIFYING
exist because a real case system holds them; no query in `queries/` selects them.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    text,
)

# Bump when a table or column the dashboard relies on changes; the app refuses a
# database that reports a different version rather than showing wrong figures.
SCHEMA_VERSION = "1"

# Constraint names carry their table, so they are unique across the schema on every database.
metadata = MetaData(
    naming_convention={
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    }
)


def _one_of(column: str, values: tuple[str, ...]) -> CheckConstraint:
    allowed = ", ".join(f"'{v}'" for v in values)
    return CheckConstraint(f"{column} IN ({allowed})", name=f"{column}_allowed")


# --- Allowed values (codes stored in the database; labels live in the dashboard) ---

PRACTITIONER_ROLES = ("therapeutic_practitioner", "team_manager")
REFERRAL_SOURCES = (
    "childrens_social_care",
    "midwifery",
    "health_visiting",
    "domestic_abuse_service",
    "police",
    "perinatal_mental_health",
    "early_help",
    "gp",
    "self_referral",
    "other",
)
REFERRAL_DECISIONS = (
    "accepted",
    "not_eligible",
    "declined_by_family",
    "risk_too_high",
    "unable_to_contact",
    "pending",
)
EXIT_REASONS = ("completed", "disengaged", "moved_away", "baby_removed", "risk", "other")
PARENT_ROLES = ("mother", "father", "co_parent")
PARTNER_ROLES = ("father", "co_parent")  # the mother's partner on the programme
AGE_BANDS = ("16-19", "20-24", "25-29", "30-34", "35-39", "40+")
ETHNICITY_GROUPS = ("white", "mixed", "asian", "black", "other", "not_stated")
SESSION_TYPES = ("individual", "vig", "joint", "safety_planning", "group")
SESSION_STATUSES = ("attended", "did_not_attend", "cancelled_by_parent", "cancelled_by_service")
CONCERN_TYPES = (
    "domestic_abuse_incident",
    "baby_welfare",
    "parental_mental_health",
    "substance_use",
    "housing_or_financial",
    "other",
)
ESCALATION_LEVELS = (
    "dsl_internal",
    "early_help",
    "child_in_need",
    "child_protection",
    "police",
    "marac",
    "care_proceedings",
)
ESCALATION_OUTCOMES = (
    "no_further_action",
    "safety_plan_updated",
    "referred_on",
    "statutory_plan",
    "baby_removed",
)
SOCIAL_CARE_TIME_POINTS = ("baseline", "birth", "m12", "m24")
SOCIAL_CARE_LEVELS = ("none", "early_help", "child_in_need", "child_protection", "looked_after")
ASSESSMENT_SUBJECTS = ("baby", "parent")
ASSESSMENT_TIME_POINTS = ("entry", "birth", "m12", "m24")
ASQ3_DOMAINS = (
    "asq3_communication",
    "asq3_gross_motor",
    "asq3_fine_motor",
    "asq3_problem_solving",
    "asq3_personal_social",
)
INSTRUMENTS = ASQ3_DOMAINS + ("asq_se2", "core10")

# Columns that identify a person or hold free text. They are listed so tests can
# prove no query ever selects them.
IDENTIFYING_COLUMNS = {
    "practitioners": ("full_name",),
    "parents": ("full_name", "date_of_birth", "postcode", "nhs_number"),
    "safeguarding_events": ("summary",),
}


schema_info = Table(
    "schema_info",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", String(255), nullable=False),
)

sites = Table(
    "sites",
    metadata,
    Column("site_id", Integer, primary_key=True),
    Column("name", String(120), nullable=False, unique=True),
    Column("local_authority", String(120), nullable=False),
    Column("opened_on", Date, nullable=False),
    Column("closed_on", Date),
    Column("target_caseload", Integer, nullable=False),
)

practitioners = Table(
    "practitioners",
    metadata,
    Column("practitioner_id", Integer, primary_key=True),
    Column("site_id", ForeignKey("sites.site_id"), nullable=False, index=True),
    Column("full_name", String(120), nullable=False),  # IDENTIFYING
    Column("role", String(32), nullable=False),
    Column("started_on", Date, nullable=False),
    Column("left_on", Date),
    _one_of("role", PRACTITIONER_ROLES),
)

families = Table(
    "families",
    metadata,
    Column("family_id", Integer, primary_key=True),
    Column("site_id", ForeignKey("sites.site_id"), nullable=False),
    Column("enrolled_on", Date, nullable=False),
    Column("due_on", Date, nullable=False),
    Column("birth_on", Date),
    Column("exit_on", Date),
    Column("exit_reason", String(32)),
    _one_of("exit_reason", EXIT_REASONS),
    # With exit_on it covers "open in this month at this site", so counting reads no table rows.
    Index("ix_families_site_enrolled_exit", "site_id", "enrolled_on", "exit_on"),
    Index("ix_families_exit", "exit_on"),
)

referrals = Table(
    "referrals",
    metadata,
    Column("referral_id", Integer, primary_key=True),
    Column("site_id", ForeignKey("sites.site_id"), nullable=False),
    Column("received_on", Date, nullable=False),
    Column("source", String(40), nullable=False),
    Column("gestation_weeks", Integer),
    Column("decision", String(32), nullable=False),
    Column("decided_on", Date),
    Column("family_id", ForeignKey("families.family_id"), unique=True),
    _one_of("source", REFERRAL_SOURCES),
    _one_of("decision", REFERRAL_DECISIONS),
    CheckConstraint("gestation_weeks BETWEEN 0 AND 45", name="gestation_weeks_range"),
    Index("ix_referrals_site_received", "site_id", "received_on"),
    Index("ix_referrals_received_source", "received_on", "source"),
)

parents = Table(
    "parents",
    metadata,
    Column("parent_id", Integer, primary_key=True),
    Column("family_id", ForeignKey("families.family_id"), nullable=False, index=True),
    Column("role", String(16), nullable=False),
    Column("practitioner_id", ForeignKey("practitioners.practitioner_id"), index=True),
    Column("full_name", String(120), nullable=False),  # IDENTIFYING
    Column("date_of_birth", Date),  # IDENTIFYING
    Column("postcode", String(10)),  # IDENTIFYING
    Column("nhs_number", String(10)),  # IDENTIFYING
    Column("age_band", String(8)),
    Column("ethnicity_group", String(16)),
    Column("ace_count", Integer),
    Column("experienced_abuse", Boolean),
    Column("used_abusive_behaviours", Boolean),
    Column("abuse_in_childhood", Boolean),
    _one_of("role", PARENT_ROLES),
    _one_of("age_band", AGE_BANDS),
    _one_of("ethnicity_group", ETHNICITY_GROUPS),
    CheckConstraint("ace_count BETWEEN 0 AND 10", name="ace_count_range"),
)

sessions = Table(
    "sessions",
    metadata,
    Column("session_id", Integer, primary_key=True),
    Column("parent_id", ForeignKey("parents.parent_id"), nullable=False),
    Column("practitioner_id", ForeignKey("practitioners.practitioner_id")),
    Column("session_on", Date, nullable=False),
    Column("session_type", String(20), nullable=False),
    Column("status", String(24), nullable=False),
    Column("minutes", Integer),
    _one_of("session_type", SESSION_TYPES),
    _one_of("status", SESSION_STATUSES),
    # Both cover every column the dashboard counts by, so counting sessions never reads the table
    # itself (docs/case-database.md, "Indexes the dashboard expects for speed"). A parent's sessions
    # by date: first and last attended, attended in a window, per site through their family.
    Index("ix_sessions_parent_on_status_type", "parent_id", "session_on", "status", "session_type"),
    # Sessions in a period, counted by month, status and type.
    Index("ix_sessions_on_status_type_parent", "session_on", "status", "session_type", "parent_id"),
)

safeguarding_events = Table(
    "safeguarding_events",
    metadata,
    Column("event_id", Integer, primary_key=True),
    Column("family_id", ForeignKey("families.family_id"), nullable=False, index=True),
    Column("raised_on", Date, nullable=False),
    Column("concern_type", String(32), nullable=False),
    Column("level", String(24), nullable=False),
    Column("dsl_reviewed_on", Date),
    Column("referred_on", Date),
    Column("resolved_on", Date),
    Column("outcome", String(24)),
    Column("summary", Text),  # FREE TEXT: never selected
    _one_of("concern_type", CONCERN_TYPES),
    _one_of("level", ESCALATION_LEVELS),
    _one_of("outcome", ESCALATION_OUTCOMES),
    Index("ix_safeguarding_raised", "raised_on", "level"),
)

social_care_status = Table(
    "social_care_status",
    metadata,
    Column("family_id", ForeignKey("families.family_id"), primary_key=True),
    Column("time_point", String(12), primary_key=True),
    Column("level", String(24), nullable=False),
    Column("recorded_on", Date),
    _one_of("time_point", SOCIAL_CARE_TIME_POINTS),
    _one_of("level", SOCIAL_CARE_LEVELS),
    Index("ix_social_care_time_point", "time_point", "level"),
    # Statuses recorded in a period (outcomes, social-care steps).
    Index("ix_social_care_recorded", "recorded_on"),
)

assessments = Table(
    "assessments",
    metadata,
    Column("assessment_id", Integer, primary_key=True),
    Column("family_id", ForeignKey("families.family_id"), nullable=False),
    Column("subject", String(8), nullable=False),
    Column("parent_id", ForeignKey("parents.parent_id")),
    Column("instrument", String(24), nullable=False),
    Column("time_point", String(8), nullable=False),
    Column("assessed_on", Date),
    Column("score", Float),
    Column("within_normal_range", Boolean),
    _one_of("subject", ASSESSMENT_SUBJECTS),
    _one_of("instrument", INSTRUMENTS),
    _one_of("time_point", ASSESSMENT_TIME_POINTS),
    CheckConstraint(
        "(subject = 'baby' AND parent_id IS NULL) OR (subject = 'parent' AND parent_id IS NOT NULL)",
        name="subject_parent",
    ),
    Index("ix_assessments_family_time", "family_id", "time_point", "instrument"),
    # Assessments made in a period (outcomes).
    Index("ix_assessments_assessed", "assessed_on"),
    # One score per instrument and time point for each baby and each parent.
    Index(
        "ux_assessments_baby",
        "family_id",
        "instrument",
        "time_point",
        unique=True,
        sqlite_where=text("parent_id IS NULL"),
        postgresql_where=text("parent_id IS NULL"),
    ),
    Index(
        "ux_assessments_parent",
        "parent_id",
        "instrument",
        "time_point",
        unique=True,
        sqlite_where=text("parent_id IS NOT NULL"),
        postgresql_where=text("parent_id IS NOT NULL"),
    ),
)
