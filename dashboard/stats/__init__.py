"""Statistics the figures rest on: statistical process control and the referral funnel."""
