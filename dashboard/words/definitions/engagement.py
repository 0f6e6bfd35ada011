"""Engagement and retention: what each figure means."""

ENGAGED = (
    "**Engaged** at a time point: the parent attended a session on that day or in the 60 days "
    "before it, and their family had not left the programme before it. A family is engaged if at "
    "least one of its parents is; **both parents** are engaged if the mother and the father (or "
    "other co-parent) both are."
)
RETENTION = (
    "Families enrolled in the period, in cohorts by the financial-year quarter they enrolled in: "
    "the share engaged (as defined above) at the baby's birth and 6, 12, 18 and 24 months later "
    "(183, 365, 548 and 730 days after the birth; the due date stands in for a birth not yet "
    "recorded). Each share is of the cohort's families, mothers, fathers or other co-parents whose "
    "time point had come by the data-as-at date (reached); one who left earlier counts as not "
    "engaged. Both parents: of families with a mother and a father or other co-parent. A time "
    "point that none of a cohort has reached yet is not yet known, so it has no share."
)
TIME_TO_DISENGAGEMENT = (
    "Parents in families enrolled in the period: the share not yet disengaged, by days since their "
    "family enrolled (a Kaplan–Meier estimate). A parent has disengaged when more than 60 days pass after "
    "their last attended session while the family is still in the programme, or when the family leaves "
    "as 'disengaged'; it is dated at that last session (at enrolment if they never attended). A parent who "
    "pauses for more than 60 days and comes back has not disengaged. Parents still engaged are counted "
    "until the data-as-at date, and those whose family completed or left for another reason until it "
    "left (censored). The table reads the estimate every 182 days (about six months): at risk are the "
    "parents still followed on that day, and disengaged those disengaging since the day shown before. "
    "Where small numbers are hidden the chart is drawn from the table; otherwise it steps at every day a "
    "parent's follow-up ends."
)
ATTENDANCE = (
    "Sessions attended as a share of the sessions offered to parents of each site's families in "
    "the month: attended, did not attend, or cancelled by the parent. Sessions the service "
    "cancelled are left out. A month with none of these has no rate."
)
SESSION_MIX = (
    "Sessions attended in each month of the period, by type. A joint session counts once for each "
    "parent who attended it."
)
