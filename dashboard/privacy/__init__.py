"""Disclosure control for trustees and commissioners (DESIGN.md section 5): the rule, the
grouping, and the check of what a reader could work out. Never imports Streamlit."""
