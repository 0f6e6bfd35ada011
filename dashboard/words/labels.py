"""Words for the codes stored in the case database, in the programme's own language."""

from __future__ import annotations

import pandas as pd

SOURCE = {
    "childrens_social_care": "Children's social care",
    "midwifery": "Midwifery",
    "health_visiting": "Health visiting",
    "domestic_abuse_service": "Domestic abuse service",
    "police": "Police",
    "perinatal_mental_health": "Perinatal mental health",
    "early_help": "Early help",
    "gp": "GP",
    "self_referral": "Self-referral",
    "other": "Other",
}
DECISION = {
    "accepted": "Accepted",
    "not_eligible": "Not eligible",
    "declined_by_family": "Declined by family",
    "risk_too_high": "Risk too high",
    "unable_to_contact": "Unable to contact",
    "pending": "Pending (no decision yet)",
}
FUNNEL_STAGE = {
    "received": "Received",
    "decided": "Decided",
    "accepted": "Accepted",
    "enrolled": "Enrolled",
    "first_session": "First session attended",
}
MOVEMENT = {
    "enrolled": "Enrolled",
    "completed": "Exit: completed at two years",
    "disengaged": "Exit: disengaged",
    "moved_away": "Exit: moved away",
    "baby_removed": "Exit: baby removed from care",
    "risk": "Exit: risk",
    "other": "Exit: other reason",
}
STAGE = {"pregnancy": "Pregnancy", "0-12 months": "Baby 0–12 months", "12-24 months": "Baby 12–24 months"}
PARENT_ROLE = {
    "mother": "Mothers",
    "father": "Fathers",
    "co_parent": "Other co-parents",
    "both": "Both parents",
    "partner": "Fathers and other co-parents",
}
ALL_PARENTS = "All parents"  # every role together, where the roles apart leave too many small counts
# How an outcome figure can be broken down (the page's choice, held in its URL).
OUTCOME_BREAKDOWNS = ("All", "By site", "By enrolment cohort")
SESSION_TYPE = {
    "individual": "Individual therapeutic",
    "vig": "Video Interaction Guidance",
    "joint": "Joint (both parents)",
    "safety_planning": "Safety planning",
    "group": "Group",
}
SESSION_STATUS = {
    "attended": "Attended",
    "did_not_attend": "Did not attend",
    "cancelled_by_parent": "Cancelled by parent",
    "cancelled_by_service": "Cancelled by service",
}
ESCALATION_LEVEL = {
    "dsl_internal": "Designated Safeguarding Lead",
    "early_help": "Early help",
    "child_in_need": "Child in need",
    "child_protection": "Child protection",
    "police": "Police",
    "marac": "MARAC",
    "care_proceedings": "Care proceedings",
}
CONCERN_TYPE = {
    "domestic_abuse_incident": "Domestic abuse incident",
    "baby_welfare": "Baby's welfare",
    "parental_mental_health": "Parent's mental health",
    "substance_use": "Substance use",
    "housing_or_financial": "Housing or money",
    "other": "Other concern",
}
SOCIAL_CARE_LEVEL = {
    "none": "No social care involvement",
    "early_help": "Early help",
    "child_in_need": "Child in need",
    "child_protection": "Child protection plan",
    "looked_after": "Looked after (in care)",
}
TIME_POINT = {
    "entry": "Entry",
    "baseline": "Baseline (enrolment)",
    "birth": "Birth",
    "m12": "12 months",
    "m24": "24 months",
}
INSTRUMENT = {
    "asq3_communication": "ASQ-3 communication",
    "asq3_gross_motor": "ASQ-3 gross motor",
    "asq3_fine_motor": "ASQ-3 fine motor",
    "asq3_problem_solving": "ASQ-3 problem solving",
    "asq3_personal_social": "ASQ-3 personal-social",
    "asq_se2": "ASQ:SE-2 social-emotional",
    "core10": "CORE-10 wellbeing",
}
# The outcome queries' own split columns (not stored codes): their words live here too, so the
# Outcome trends page and the site report read alike.
INVOLVEMENT = {"involved": "Social care involved", "not_involved": "No social care involvement"}
NORMAL_RANGE = {"within": "Within the normal range", "outside": "Outside the normal range"}
IMPROVEMENT = {"reliable_improvement": "Reliable improvement", "no_reliable_improvement": "No reliable improvement"}
# The safeguarding queries' own categories.
REVIEW = {"within": "Within one working day", "later": "Later than one working day", "not_reviewed": "Not yet reviewed"}
TRANSITION = {"baseline_birth": "Baseline → birth", "birth_m12": "Birth → 12 months", "m12_m24": "12 → 24 months"}
STEP = {"up": "Stepped up", "same": "Stayed the same", "down": "Stepped down"}
ENGAGEMENT = {"engaged": "Engaged", "not engaged": "Not engaged", "none": "No such parent"}
CHECK = {
    "birth_before_referral": "Birth before referral",
    "session_after_exit": "Session after exit",
    "resolved_before_raised": "Escalation resolved before raised",
    "assessment_outside_window": "Assessment outside its window",
    "parent_without_practitioner": "Parent with no practitioner",
    "missing_gestation": "Gestation not recorded",
    "exit_without_reason": "Exit and reason not both recorded",
}

# Every code column a query may return, and the words that replace its codes on screen. A query
# names its columns so that one name never carries two sets of codes (escalation_level and
# social_care_level, not level).
BY_COLUMN = {
    "source": SOURCE,
    "decision": DECISION,
    "stage": STAGE,
    "movement": MOVEMENT,
    "parent_role": PARENT_ROLE,
    "session_type": SESSION_TYPE,
    "status": SESSION_STATUS,
    "escalation_level": ESCALATION_LEVEL,
    "concern_type": CONCERN_TYPE,
    "social_care_level": SOCIAL_CARE_LEVEL,
    "time_point": TIME_POINT,
    "instrument": INSTRUMENT,
    "check": CHECK,
    "mother_engagement": ENGAGEMENT,
    "father_engagement": ENGAGEMENT,
    "involvement": INVOLVEMENT,
    "normal_range": NORMAL_RANGE,
    "improvement": IMPROVEMENT,
    "review": REVIEW,
    "transition": TRANSITION,
    "step": STEP,
}


def code_for(column: str, words: str) -> str:
    """The stored code that `words` stand for in `column` (the words themselves if none)."""
    return {w: c for c, w in BY_COLUMN.get(column, {}).items()}.get(words, words)


def in_words(frame: pd.DataFrame, extra: dict[str, dict[str, str]] | None = None) -> pd.DataFrame:
    """A copy of `frame` with coded columns turned into words (unknown codes kept as they are)."""
    words = {**BY_COLUMN, **(extra or {})}
    out = frame.copy()
    for column, mapping in words.items():
        if column in out.columns:
            out[column] = out[column].map(lambda code, m=mapping: m.get(code, code))
    return out


# Who of a family's parents is engaged now (queries.cases.ENGAGED).
ENGAGED = {
    "both": "Both parents",
    "mother": "Mother only",
    "father_or_co_parent": "Father or co-parent only",
    "neither": "Neither parent",
}
