"""Plain-English definitions of every figure, shown beside it: one module per view."""

SITES_AS_ONE_BAR = ("With more than {most} sites the chart shows them as one bar (leaving out any count a site "
                    "hides); the table gives each site.")
