"""Case list, case timeline and audit log: what each shows."""

CASE_LIST = (
    "Families open at the end of the period (or the data-as-at date if earlier) at the sites "
    "chosen, one row each, by pseudonym: a code that stands for the case without revealing "
    "it. Engaged: the parent attended a session in the 60 days up to that date. Sessions: "
    "attended sessions of either parent in the 90 days up to it. Social care: the latest "
    "level recorded. The filters above narrow the list; a chart's bar or a table's row "
    "sets them to the cases behind it. Referred in the period by: the referral that "
    "enrolled the family came from that source and was received in the period. Choose a "
    "row to open the case's timeline."
)
ENGAGED_NOW_BY_SITE = (
    "Families open at the end of the period (or the data-as-at date if earlier), by site and which of "
    "their parents is engaged then: attended a session in the 60 days up to that date. Both parents: "
    "the mother and the father or other co-parent. Mother only: the mother, and no father or co-parent "
    "is engaged (or the family has none). Father or co-parent only: the other way round."
)
CHECK_CASES = (
    "A data quality problem is chosen: the list holds every family at these sites with a "
    "record failing that check, open or closed, whatever the period, described as at the "
    "data-as-at date. A family with several faulty records is listed once; a faulty referral "
    "that never enrolled a family has no case to list."
)
TIMELINE = (
    "One case's history, every date given as a month only: referral, enrolment, birth, "
    "sessions each month for each parent (by type and whether they took place), safeguarding "
    "escalations, social-care status at each time point, assessments, and exit."
)
AUDIT = (
    "Every opening of a case list or a case timeline, newest first: when, who, their role, "
    "and the filters or the case code. Records cannot be changed from the dashboard."
)
PRIVACY = (
    "Leadership only. No names, dates of birth, postcodes, NHS numbers, practitioners or "
    "notes are shown, and every opening is recorded in the audit log."
)
