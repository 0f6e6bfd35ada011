"""Case list, case timeline and audit log: what each shows."""

CASE_LIST = ("Families open at the end of the period (or the data-as-at date if earlier) at the sites "
             "chosen, one row each, by pseudonym: a code that stands for the case without revealing "
             "it. Engaged: the parent attended a session in the 60 days up to that date. Sessions: "
             "attended sessions of either parent in the 90 days up to it. Social care: the latest "
             "level recorded. Choose a row to open the case's timeline.")
TIMELINE = ("One case's history, every date given as a month only: referral, enrolment, birth, "
            "sessions each month for each parent (by type and whether they took place), safeguarding "
            "escalations, social-care status at each time point, assessments, and exit.")
AUDIT = ("Every opening of a case list or a case timeline, newest first: when, who, their role, "
         "and the filters or the case code. Records cannot be changed from the dashboard.")
PRIVACY = ("Leadership only. No names, dates of birth, postcodes, NHS numbers, practitioners or "
           "notes are shown, and every opening is recorded in the audit log.")
