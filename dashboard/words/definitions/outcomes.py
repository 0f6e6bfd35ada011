"""Outcome trends: what each figure means."""

PERIOD_RULE = (
    "Which families a period selects: a time point's record counts in the period in which it "
    "was recorded (social care: the date the status was recorded; assessments: the date of the "
    "assessment). So a quarter's 24-month figures are about the families who reached 24 months "
    "that quarter, and its baseline figures about the families who enrolled. A record with no "
    "date is not counted."
)

EVALUATION = (
    "Dashed markers: the programme's independent evaluation (King's College London, 2020) found "
    "children's social care involved with about 70% of families at baseline, falling to about a "
    "third (33%) at the two-year stage."
)

SOCIAL_CARE = (
    "Of the families whose social-care status at a time point (baseline, birth, 12 or 24 months) "
    "was recorded in the period, the share with any involvement: early help, child in need, a "
    "child protection plan or looked after. A family with no record at a time point (for "
    "example one that left before 24 months) is not in that time point's count. " + EVALUATION
)
BABIES = (
    "Of the babies assessed in the period at 12 or 24 months, the share within the normal range: on "
    "each ASQ-3 domain, a score above the cut-off for the baby's age; on ASQ:SE-2 (social-emotional), "
    "a score at or below its cut-off. Babies with no assessment, or no result recorded, on a measure "
    "are not in its count."
)
WELLBEING_CHANGE = (
    "Parents' wellbeing on CORE-10 (0 to 40; higher means more distress; below 11 is the "
    "non-clinical range). For parents with a score at entry and at a later time point (birth, "
    "12 or 24 months) assessed in the period: the mean score at entry and at the later time "
    "point, and the mean change (below 0 means less distress). A parent with no later score, "
    "or no entry score, is not counted."
)
RELIABLE_IMPROVEMENT = (
    "Of the same parents, the share whose CORE-10 score fell by 6 points or more from "
    "entry: a reliable improvement, using the commonly used reliable change threshold "
    "for CORE-10 (a fall of 5 points is not enough)."
)

# What a breakdown adds to a figure's definition.
BY_SITE = (
    "Shown for each site with a record in the period. A share or mean over fewer than 10 cases moves "
    "a lot from one period to the next."
)
BY_COHORT = (
    "Shown by enrolment cohort: the financial year (April to March) in which the family enrolled. "
    "A period holds each cohort at the time points it reached then, so choose a custom range of "
    "several years to follow a cohort from enrolment to 24 months."
)
