"""The Streamlit shell: navigation, the sidebar, the page context, panels, sign-in form and
messages. The only part of dashboard/ (beside the entry script) that draws."""
