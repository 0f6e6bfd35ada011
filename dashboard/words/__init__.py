"""The words beside every figure: its definition, and the words for the stored codes (labels).
Below every other part of the dashboard: it imports none of them."""
