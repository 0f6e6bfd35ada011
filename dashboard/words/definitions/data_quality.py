"""Data quality: what each figure means."""

DATA_QUALITY = (
    "Records with missing or impossible values, which would distort the dashboard's figures, "
    "by check and site. Every record of the sites shown is checked, whatever its date: the "
    "period does not apply, because a fault in any year distorts the trends."
)
# What exactly each check counts (its short name is in dashboard/words/labels.py).
DATA_QUALITY_CHECKS = {
    "birth_before_referral": (
        "Families whose baby's recorded birth date is before the date the referral that enrolled them was received."
    ),
    "session_after_exit": (
        "Sessions (attended or not) dated after the date their family left the programme. Counts sessions."
    ),
    "resolved_before_raised": "Safeguarding escalations recorded as resolved before the date they were raised.",
    "assessment_outside_window": (
        "Assessments dated more than 90 days either side of their time point: "
        "entry is the enrolment date, birth the baby's birth date, 12 and 24 "
        "months 365 and 730 days after the birth. Counts each measure."
    ),
    "parent_without_practitioner": "Parents (in open or closed families) with no practitioner recorded.",
    "missing_gestation": "Referrals (whatever was decided) with no weeks of pregnancy recorded.",
    "exit_without_reason": ("Families with an exit date but no exit reason, or an exit reason but no exit date."),
}
