"""Site caseloads: what each figure means."""

ACTIVE_FAMILIES = (
    "Enrolled families in the programme on at least one day of the month (enrolled by the "
    "month's end and not exited before its start), against the site's target caseload (dashed)."
)
ACTIVE_PARENTS = "Parents who attended at least one session in the month, by site."
PRACTITIONER_CASELOADS = (
    "Parents in open families held by each therapeutic practitioner in post at the end "
    "of the period (or the data-as-at date if earlier), by site. Each point is one "
    "practitioner; no practitioner is named."
)
ENROLMENTS_AND_EXITS = (
    "Families enrolling in each month of the period, and families leaving, by reason. "
    "Completing means staying to the baby's second birthday."
)
OPEN_BY_STAGE = (
    "Families open at the end of the period (or the data-as-at date if earlier), by stage: "
    "pregnancy (baby not yet born), or the baby's age on that date."
)
PRACTITIONERS_COUNTED = (
    "With more than {most} sites the chart counts the practitioners holding each number "
    "of parents, across every site; the table gives each site."
)
PRACTITIONER_CASELOADS_BY_SITE = (
    "Therapeutic practitioners in post at the end of the period (or the "
    "data-as-at date if earlier) at each site, and the parents in open "
    "families they hold between them."
)
