"""How figures look: chart builders and the chart style."""
