"""Plain-English definitions of every figure, shown beside it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Measure:
    column: str  # the column of the query result that holds it
    label: str
    definition: str


HEADLINE = (
    Measure("referrals_received", "Referrals received",
            "Referrals received in the period, whatever was decided about them."),
    Measure("families_active", "Families active",
            "Enrolled families in the programme on at least one day of the period: enrolled on or "
            "before its last day and not exited before its first day."),
    Measure("new_enrolments", "New enrolments",
            "Families whose enrolment date falls in the period."),
    Measure("exits", "Exits",
            "Families who left the programme in the period for any reason, including completing "
            "the programme at the baby's second birthday."),
    Measure("open_escalations", "Open escalations",
            "Safeguarding escalations (to the Designated Safeguarding Lead or beyond) raised on or "
            "before the last day of the period and not yet resolved on that day."),
)

DATA_AS_AT = ("The latest date on which anything was recorded in the case database: a referral, "
              "a session or a safeguarding escalation.")

# --- Referral sources ---
REFERRALS_BY_SOURCE = ("Referrals received in the period, by the agency that made them (or self-referral), "
                       "counted in the month or quarter they were received.")
REFERRALS_BY_SITE = "Referrals received in the period at each site, by source. Sites with none are not listed."
FUNNEL = ("What became of the referrals received in the period: decided (any decision made), accepted, "
          "enrolled (a family record opened) and first session (either parent attended a session, at any "
          "date up to the data-as-at date). Each rate is the share of the stage before.")
DECISIONS = ("Referrals received in the period by the decision made about them. 'Pending' means no "
             "decision has been recorded yet.")
GESTATION = ("Weeks of pregnancy at the date of referral, for referrals received in the period where it "
             "was recorded. The programme aims to start work by 28 weeks.")
DAYS_TO_DECISION = ("Median days from receiving a referral to recording a decision, for referrals "
                    "received in the period that have a decision.")
DAYS_TO_FIRST_SESSION = ("Median days from receiving a referral to the family's first attended "
                         "session (either parent), for referrals received in the period that reached one.")
REFERRED_BY_28_WEEKS = ("Share of referrals received in the period, with gestation recorded, that "
                        "came at 28 weeks of pregnancy or earlier.")

# --- Site caseloads ---
ACTIVE_FAMILIES = ("Enrolled families in the programme on at least one day of the month (enrolled by the "
                   "month's end and not exited before its start), against the site's target caseload (dashed).")
ACTIVE_PARENTS = "Parents who attended at least one session in the month, by site."
PRACTITIONER_CASELOADS = ("Parents in open families held by each therapeutic practitioner in post at the end "
                          "of the period (or the data-as-at date if earlier), by site. Each point is one "
                          "practitioner; no practitioner is named.")
ENROLMENTS_AND_EXITS = ("Families enrolling in each month of the period, and families leaving, by reason. "
                        "Completing means staying to the baby's second birthday.")
OPEN_BY_STAGE = ("Families open at the end of the period (or the data-as-at date if earlier), by stage: "
                 "pregnancy (baby not yet born), or the baby's age on that date.")
PRACTITIONER_CASELOADS_BY_SITE = ("Therapeutic practitioners in post at the end of the period (or the "
                                  "data-as-at date if earlier) at each site, and the parents in open "
                                  "families they hold between them.")

# --- Data quality ---
DATA_QUALITY = ("Records with missing or impossible values, which would distort the dashboard's figures, "
                "by check and site. Every record of the sites shown is checked, whatever its date: the "
                "period does not apply, because a fault in any year distorts the trends.")
# Each check's short name (for the chart and table) and what exactly it counts.
DATA_QUALITY_CHECK_NAMES = {
    "birth_before_referral": "Birth before referral",
    "session_after_exit": "Session after exit",
    "resolved_before_raised": "Escalation resolved before raised",
    "assessment_outside_window": "Assessment outside its window",
    "parent_without_practitioner": "Parent without a practitioner",
    "missing_gestation": "Gestation not recorded",
    "exit_without_reason": "Exit without a reason",
}
DATA_QUALITY_CHECKS = {
    "birth_before_referral": ("Families whose baby's recorded birth date is before the date the referral "
                              "that enrolled them was received."),
    "session_after_exit": ("Sessions (attended or not) dated after the date their family left the "
                           "programme. Counts sessions."),
    "resolved_before_raised": "Safeguarding escalations recorded as resolved before the date they were raised.",
    "assessment_outside_window": ("Assessments dated more than 90 days either side of their time point: "
                                  "entry is the enrolment date, birth the baby's birth date, 12 and 24 "
                                  "months 365 and 730 days after the birth. Counts each measure."),
    "parent_without_practitioner": "Parents (in open or closed families) with no practitioner recorded.",
    "missing_gestation": "Referrals (whatever was decided) with no weeks of pregnancy recorded.",
    "exit_without_reason": ("Families with an exit date but no exit reason, or an exit reason but "
                            "no exit date."),
}
