"""Plain-English definitions of every figure, shown beside it: one module per view, and here what
by-site charts show past dashboard.charts.MAX_PANELS sites."""

SITES_AS_ONE_BAR = ("With more than {most} sites the chart shows them as one bar (leaving out any count a site "
                    "hides); the table gives each site.")
SITES_TOGETHER = ("With more than {most} sites the chart shows all of them together (a figure any site "
                  "hides is left out); the table gives each site.")
