"""The query layer: every question the dashboard asks of the case database.

Pure SQLAlchemy Core. Each query takes a connection, the caller's Scope and the
page's Filters and returns a pandas DataFrame. Nothing here imports Streamlit.
"""
