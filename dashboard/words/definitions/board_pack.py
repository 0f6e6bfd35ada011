"""Board pack and site report: what each figure, chart and comparison means."""

from dashboard.words.definitions.overview import HEADLINE

_OVERVIEW = {measure.column: measure.definition for measure in HEADLINE}

QUARTER = (
    "The board pack covers one quarter of the financial year (April–June, July–September, "
    "October–December, January–March): the quarter chosen in the Period filter, or, when another kind "
    "of period is chosen, the last quarter that had ended by then."
)
OTHER_QUARTER = (
    "Showing {quarter}, the last quarter that had ended: choose Quarter in the Period filter to pick another."
)
CHANGES = (
    "Each headline figure is compared with the quarter before and with the same quarter a year "
    "earlier. A change is not shown when either figure it comes from is hidden."
)

REFERRALS = _OVERVIEW["referrals_received"]
ENROLMENTS = _OVERVIEW["new_enrolments"]
FAMILIES_ACTIVE = _OVERVIEW["families_active"]
ATTENDANCE = (
    "Sessions attended as a share of the sessions offered to parents: attended, did not attend, or "
    "cancelled by the parent. Sessions the service cancelled are left out."
)
CO_PARENTS_ENGAGED = (
    "Of the families active in the period with a father or other co-parent on the programme, "
    "the share whose father or co-parent attended at least one session in the period. Keeping "
    "fathers engaged is a distinctive aim of the programme."
)
ESCALATIONS = "Safeguarding escalations (to the Designated Safeguarding Lead or beyond) raised in the period."
ESCALATIONS_PER_100 = (
    "Safeguarding escalations raised in the month for every 100 families active in the month "
    "(in the programme on at least one day of it)."
)
FAMILIES_ESCALATED = (
    "Of the families active in the period, the share with at least one safeguarding escalation raised in the period."
)

SPC = (
    "A statistical process control chart (XmR, or individuals chart) of the last 24 months. The solid line is "
    "the mean; the dashed lines are the process limits, the mean ± 2.66 times the average change from one "
    "month to the next, within which the figure would usually vary by chance. Marked points follow NHS "
    "England's Making Data Count rules for variation worth looking into: a point beyond a limit; 7 months "
    "in a row on one side of the mean (a shift); 7 months in a row each rising or each falling (a trend); "
    "2 of 3 months in a row close to the same limit (beyond two thirds of the way from the mean to it). "
    "Months that had not ended by the data-as-at date are left out, so a part month does not look like a "
    "fall."
)
FUNNEL = (
    "A funnel plot compares each site's rate with the rate across all the sites shown (the line), allowing "
    "for its size: a small site's rate varies more by chance, so its limits are wider. A site between the "
    "95% limits differs by no more than chance would explain; beyond the 95% limits is worth a look; "
    "beyond the 99.8% limits stands out. Limits use the normal approximation to the binomial."
)
WHAT_CHANGED = (
    "Sentences written from the figures by fixed rules, not by a person or a language model: the "
    "change in referrals and the source that drove it, any month of this quarter flagged on a "
    "trend chart, and any site beyond the funnel limits."
)
