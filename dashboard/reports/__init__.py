"""The board pack and site report as documents, and their PDF, slide and CSV exports. Never
imports Streamlit."""
