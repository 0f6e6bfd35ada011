"""Safeguarding escalations: what each figure means."""

_ACTIVE = (
    "families active in the month: enrolled by the month's end and not exited before its start, as on Site caseloads"
)
_WORKING_DAY = (
    "reviewed on the day it was raised or by the next working day, Monday to Friday (a concern "
    "raised on a Friday, Saturday or Sunday and reviewed on the Monday counts; reviewed on the "
    "Tuesday does not). Bank holidays are not recorded in the case database, so they count as "
    "working days. A concern not yet reviewed counts as not within one working day"
)

RAISED = "Safeguarding concerns raised in the period, at every level of escalation."
REVIEWED_WITHIN = f"Of the concerns raised in the period, the share the Designated Safeguarding Lead {_WORKING_DAY}."
MEDIAN_DAYS_TO_RESOLUTION = (
    "Of the concerns resolved (closed) in the period, the median number of days "
    "from being raised to being resolved: half took fewer days, half more."
)
OPEN_NOW = (
    "Concerns raised but not yet resolved at the end of the period, or at the data-as-at date if that is earlier."
)

ESCALATIONS_BY_LEVEL = (
    "Safeguarding concerns raised in each month of the period, by the highest level each "
    "was escalated to: handled within the service by the Designated Safeguarding Lead, "
    "or referred on to early help, child in need, child protection, police, MARAC or "
    f"care proceedings. The rate is escalations per 100 {_ACTIVE}; the rates of the "
    "levels add up to the month's rate. Months are shown to the data-as-at date."
)
ESCALATIONS_BY_CONCERN = (
    "Safeguarding concerns raised in each month of the period, by the kind of concern. "
    f"The rate is escalations per 100 {_ACTIVE}; the rates of the kinds add up to the "
    "month's rate. Months are shown to the data-as-at date."
)
OPEN_BY_AGE = (
    "Concerns still open (raised but not yet resolved) at the end of the period, or at the "
    "data-as-at date if that is earlier, by how many days before that date they were raised "
    "(0–7, 8–30, 31–90, over 90) and by level."
)
DSL_REVIEW = (
    f"Concerns raised in the period at each site, by whether the Designated Safeguarding Lead "
    f"{_WORKING_DAY}. A review dated before the concern was raised counts as within. The share is "
    "of all the site's concerns raised in the period."
)
RESOLUTION = (
    "Concerns resolved (closed) in the period, by level: how many, and the median days from being "
    "raised to being resolved (half took fewer days, half more), wherever in time they were "
    "raised. Open concerns are not included. A concern recorded as resolved before it was "
    "raised is a recording error (see Data quality) and is left out."
)
SOCIAL_CARE_STEPS = (
    "How each family's children's social care involvement changed between successive time "
    "points: baseline (enrolment) to birth, birth to 12 months, 12 to 24 months. Involvement "
    "is ordered none, early help, child in need, child protection plan, looked after; a move "
    "to a later one is a step up. A change is counted in the period in which the later "
    "status was recorded. A family is compared only across two successive time points that "
    "are both recorded (a missing one is not bridged), and a status with no recorded date is "
    "not counted. The share is of the families compared across that change."
)
