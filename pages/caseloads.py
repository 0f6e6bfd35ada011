"""Site caseloads: families and parents in the programme, practitioners' caseloads, and movement."""

from dashboard.figures import caseloads as figures
from dashboard.shell import context
from dashboard.shell.grain import MONTH, apply_grain, choose_grain
from dashboard.shell.panels import declared_panel, grouping_note, page_header

view = context.current()
page_header(view, "Site caseloads", "How many families and parents each site is working with, and who holds them.")
grouping_note(view, figures.MOVEMENT_GROUPED)
# Active parents reads every attended session, the longest wait: it starts first, and the families
# beside it are drawn while it runs.
view.prefetch(
    *(
        figure.query
        for figure in (
            figures.PARENTS_ACTIVE,
            figures.FAMILIES_ACTIVE,
            figures.PARENTS_HELD_BY_SITE,
            figures.enrolments_and_exits(MONTH),
            figures.OPEN_BY_STAGE,
        )
    )
)

for figure in (figures.FAMILIES_ACTIVE, figures.PARENTS_ACTIVE):
    declared_panel(view, figure)

held = view.query(figures.PARENTS_HELD_BY_SITE.query)
# Aggregates only for a protected viewer: the parents each site's practitioners hold, not each
# practitioner's count.
held_figure = figures.PARENTS_HELD_BY_SITE if view.disclosure.active else figures.parents_held_spread(held)
declared_panel(view, held_figure, held_figure.prepare(held))

grain = choose_grain(view, "movement_grain")
movement = figures.enrolments_and_exits(grain)
declared_panel(view, movement, movement.prepare(apply_grain(view.query(movement.query), grain)))
declared_panel(view, figures.OPEN_BY_STAGE)
