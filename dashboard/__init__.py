"""The dashboard: the entry script (app.py) and its parts, a package each (README, Layout)."""
