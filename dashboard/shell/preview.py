"""Leadership's preview: the dashboard as a trustee, or the commissioner of a chosen site, would
see it (their scope, their disclosure rule, their pages), so whoever prepares a board meeting or
a commissioner's report checks what will be on the projector or on paper.

The preview is a real scope and rule, not a view over leadership's figures: every query is asked
with the previewed scope, and every figure passes the previewed rule, exactly as for that reader.
"""

from __future__ import annotations

import streamlit as st

from queries.scope import Scope

PREVIEW_KEY = "preview"
EXACT = "Leadership (exact figures)"
TRUSTEE = "A trustee"
COMMISSIONER_OF = "The commissioner of "


def _forget_chosen_sites() -> None:
    # The sites filter holds leadership's choice, which another scope may not offer.
    st.session_state.pop("sites", None)


def choose_preview(site_names: dict[int, str]) -> Scope | None:
    """The scope leadership previews (None: their own), chosen in the sidebar and kept in the URL,
    so a previewed page can be shared as a link between colleagues."""
    ids_by_option = {
        TRUSTEE: None,
        **{
            f"{COMMISSIONER_OF}{name}": site_id
            for site_id, name in sorted(site_names.items(), key=lambda item: item[1])
        },
    }
    chosen = st.sidebar.selectbox(
        "See the dashboard as",
        [EXACT, *ids_by_option],
        key=PREVIEW_KEY,
        bind="query-params",
        on_change=_forget_chosen_sites,
        help="Check what a trustee, or a site's commissioner, will see: their pages, their sites, and "
        "their figures rounded and grouped as the privacy rules require.",
    )
    if chosen == TRUSTEE:
        return Scope("trustee")
    site_id = ids_by_option.get(chosen) if chosen is not None else None
    if site_id is not None:
        return Scope("commissioner", frozenset({site_id}))
    return None


def show_preview_banner(scope: Scope, site_names: dict[int, str]) -> None:
    who = (
        "a trustee"
        if scope.role == "trustee"
        else f"the commissioner of {', '.join(site_names[s] for s in sorted(scope.site_ids or ()))}"
    )
    st.warning(
        f"**Preview: you are seeing this page as {who} would.** Their pages, sites and figures, rounded "
        f"and grouped as they receive them. Choose “{EXACT}” under “See the dashboard as” in the sidebar "
        "to return to exact figures.",
        icon=":material/preview:",
    )
