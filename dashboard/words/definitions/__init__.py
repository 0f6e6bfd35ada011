"""Plain-English definitions of every figure, shown beside it: one module per view, and here what
by-site charts show past dashboard.viz.charts.MAX_PANELS sites."""

SITES_AS_ONE_BAR = (
    "With more than {most} sites the chart shows them as one bar, leaving out any count hidden "
    "to protect privacy, so a bar may be short of the whole; the table gives each site."
)
SITES_TOGETHER = (
    "With more than {most} sites the chart shows all of them together, with no figure where "
    "any site's is hidden to protect privacy; the table gives each site."
)
