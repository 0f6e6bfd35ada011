"""How figures look: chart builders, the chart style, and the words for stored codes."""
