"""Referral sources: what each figure means."""

REFERRALS_BY_SOURCE = (
    "Referrals received in the period, by the agency that made them (or self-referral), "
    "counted in the month or quarter they were received."
)
REFERRALS_BY_SITE = "Referrals received in the period at each site, by source. Sites with none are not listed."
FUNNEL = (
    "What became of the referrals received in the period: decided (any decision made), accepted, "
    "enrolled (a family record opened) and first session (either parent attended a session, at any "
    "date up to the data-as-at date). Each rate is the share of the stage before."
)
DECISIONS = (
    "Referrals received in the period by the decision made about them. 'Pending' means no "
    "decision has been recorded yet."
)
GESTATION = (
    "Weeks of pregnancy at the date of referral, for referrals received in the period where it "
    "was recorded. The programme aims to start work by 28 weeks."
)
DAYS_TO_DECISION = (
    "Median days from receiving a referral to recording a decision, for referrals "
    "received in the period that have a decision."
)
DAYS_TO_FIRST_SESSION = (
    "Median days from receiving a referral to the family's first attended "
    "session (either parent), for referrals received in the period that reached one."
)
REFERRED_BY_28_WEEKS = (
    "Share of referrals received in the period, with gestation recorded, that came at 28 weeks of pregnancy or earlier."
)
