"""python -m bench.disclosure_coverage [--scale 1] [--year 2025] [--commissioner-site Suffolk]

How much a trustee and a commissioner are shown: for each page they may open, over one
financial year on the demo data, the count cells they receive (tables, charts' tables, tiles,
captions and the report documents' figures), and the share of them hidden as the marker. Also
each page's figures with nothing drawn ("every number is small enough to hide"). Prints a table
and exits 0; it measures and changes nothing.

Targets (issue 21): a trustee at all sites, for a year, at most 10% hidden on every page and no
empty chart; a commissioner's Site report for their site, at most 25% hidden; every headline tile
shown to both.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import defaultdict
from dataclasses import dataclass, field

os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")  # before anything imports streamlit

from bench import DEFAULT_AS_AT, DEFAULT_BENCH_DIR, DEFAULT_SEED, USER_OF_ROLE
from bench.databases import ensure_database

TARGETS = {("trustee", None): 0.10, ("commissioner", "site_report"): 0.25}


@dataclass
class Tally:
    cells: int = 0
    hidden: int = 0
    tiles: int = 0
    hidden_tiles: int = 0
    empty_charts: list[str] = field(default_factory=list)
    figures: list[str] = field(default_factory=list)  # each table: its layout and cells hidden
    exception: str = ""
    pinned: int = 0  # tables from which a hidden count could be worked out (dashboard.privacy.intervals)

    @property
    def share(self) -> float:
        return self.hidden / self.cells if self.cells else 0.0


def _record_into(tally: Tally):
    """Wrap the rule's two ways out (tables, and single counts) so each publication is counted."""
    from dashboard.privacy import disclosure
    from dashboard.privacy.intervals import pinned as can_be_worked_out

    original_protect, original_count_text = disclosure.DisclosureRule.protect, disclosure.DisclosureRule.count_text

    def protect(rule, frame, counts):
        protected = original_protect(rule, frame, counts)
        if rule.active:
            cells = hidden = 0
            for column in counts.count_columns:
                values = protected.table[column]
                cells += len(values)
                hidden += int((values.astype(str) == rule.marker).sum())
            tally.cells, tally.hidden = tally.cells + cells, tally.hidden + hidden
            # The table as published (protect's input): could a hidden count be worked out from it?
            pinned = can_be_worked_out(rule, frame, counts)
            tally.pinned += pinned
            tally.figures.append(
                f"{counts.value} by {', '.join(counts.dims)}: {hidden} of {cells} hidden"
                + (", a hidden count could be worked out" if pinned else "")
            )
        return protected

    def count_text(rule, value):
        text = original_count_text(rule, value)
        if rule.active:
            tally.tiles += 1
            tally.hidden_tiles += text == rule.marker
        return text

    disclosure.DisclosureRule.protect, disclosure.DisclosureRule.count_text = protect, count_text
    return lambda: (
        setattr(disclosure.DisclosureRule, "protect", original_protect),
        setattr(disclosure.DisclosureRule, "count_text", original_count_text),
    )


def measure(url: str, year: int, commissioner_site: str, users_file: str) -> dict[tuple[str, str], Tally]:
    os.environ.update(
        DATABASE_URL=url, USERS_FILE=users_file, AUTH_COOKIE_KEY="coverage-script-cookie-key-0123456789-abcdef"
    )
    import streamlit as st

    from bench.server_side import new_app
    from dashboard.shell.navigation import VIEWS

    results: dict[tuple[str, str], Tally] = {}
    for role in ("trustee", "commissioner"):
        for view in VIEWS:
            if role not in view.roles or view.url_path in {"cases", "case_timeline", "audit_log"}:
                continue
            st.cache_data.clear()
            tally = Tally()
            restore = _record_into(tally)
            try:
                params = {"period": "Financial year", "fy": f"{year}/{str(year + 1)[2:]}"}
                app = new_app(USER_OF_ROLE[role], f"{view.url_path}.py", params).run()
            finally:
                restore()
            if app.exception:
                tally.exception = app.exception[0].message
            for info in app.info:
                if "nothing to draw" in str(info.value):
                    tally.empty_charts.append(str(info.value)[:60])
            results[(role, view.url_path)] = tally
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.disclosure_coverage")
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--year", type=int, default=2025, help="the financial year starting in April of this year")
    parser.add_argument("--commissioner-site", default="Suffolk")
    parser.add_argument("--figures", action="store_true", help="also list each table and its cells hidden")
    args = parser.parse_args(argv)

    import tempfile

    import yaml

    from bench import USERS_FILE

    database = ensure_database(DEFAULT_BENCH_DIR, args.scale, DEFAULT_SEED, DEFAULT_AS_AT)
    config = yaml.safe_load(USERS_FILE.read_text())
    config["credentials"]["usernames"]["commissioner"]["sites"] = [args.commissioner_site]
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as users:
        yaml.safe_dump(config, users)
    results = measure(database.url, args.year, args.commissioner_site, users.name)

    print(
        f"\nCount cells hidden, financial year {args.year}/{str(args.year + 1)[2:]}, scale {args.scale} "
        f"(commissioner: {args.commissioner_site})"
    )
    print(
        f"{'role':<13} {'page':<14} {'cells':>6} {'hidden':>7} {'share':>6} {'tiles':>6} {'tiles hidden':>12}"
        f" {'empty charts':>12} {'pinned':>6}  target"
    )
    by_role = defaultdict(list)
    for (role, page), tally in results.items():
        target = TARGETS.get((role, page), TARGETS.get((role, None)))
        verdict = (
            ""
            if target is None
            else (
                "PASS"
                if tally.share <= target
                and not tally.empty_charts
                and not tally.hidden_tiles
                and not tally.exception
                and not tally.pinned
                else "MISS"
            )
            + f" ≤{target:.0%}"
        )
        if tally.exception:
            verdict += f" (the page failed: {tally.exception[:80]})"
        print(
            f"{role:<13} {page:<14} {tally.cells:>6} {tally.hidden:>7} {tally.share:>6.1%} {tally.tiles:>6} "
            f"{tally.hidden_tiles:>12} {len(tally.empty_charts):>12} {tally.pinned:>6}  {verdict}"
        )
        by_role[role].append(tally)
        if args.figures:
            for figure in tally.figures:
                print(f"    {figure}")
    for role, tallies in by_role.items():
        cells, hidden = sum(t.cells for t in tallies), sum(t.hidden for t in tallies)
        print(f"{role}: {hidden} of {cells} count cells hidden ({hidden / cells if cells else 0:.1%})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
