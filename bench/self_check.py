"""python -m bench.self_check: the harness's own arithmetic, on made-up figures (a few seconds).

Prints one line per check, `ok   NAME` or `FAIL NAME: why`, and exits 1 if any failed. The test
suite runs it as a program (tests/test_perf_smoke.py): no test imports the harness.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable

os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")  # before anything imports streamlit

CHECKS: list[Callable[[], None]] = []


def check(function: Callable[[], None]) -> Callable[[], None]:
    CHECKS.append(function)
    return function


def _equal(seen, expected, what: str) -> None:
    if seen != expected:
        raise AssertionError(f"{what}: {seen!r}, expected {expected!r}")


@check
def browser_passes_are_combined_as_each_figures_median() -> None:
    from bench.browser import _median_of_passes

    def load(to_content, exceptions=0, charts_drawn=None, charts=5):
        return {
            "to_content_s": to_content,
            "server_cpu_s": 0.5,
            "charts_drawn_s": charts_drawn,
            "exceptions": exceptions,
            "charts": charts,
        }

    def entry(cold, warm=None, **extra):
        return {
            "role": "trustee",
            "page": "caseloads",
            "title": "Site caseloads",
            "sign_in_s": 1.0,
            "cold": cold,
            **({"warm": warm} if warm else {}),
            **extra,
        }

    passes = [
        [entry(load(2.9, charts_drawn=3.0), load(1.2))],
        [entry(load(2.1, exceptions=1, charts=3), load(1.4))],
        [entry(load(2.3, charts_drawn=2.5), error="TimeoutError: page never finished")],
    ]
    (combined,) = _median_of_passes(passes)
    _equal(combined["cold"]["to_content_s"], 2.3, "cold to content (median of three)")
    _equal(combined["cold"]["to_content_samples_s"], [2.9, 2.1, 2.3], "cold samples, in pass order")
    _equal(combined["cold"]["charts_drawn_s"], 2.75, "charts drawn (median of the two passes that saw them)")
    _equal(combined["cold"]["exceptions"], 1, "exceptions (the most any pass saw)")
    _equal((combined["cold"]["charts"], combined["warm"]["charts"]), (3, 5), "charts (the fewest any pass saw)")
    _equal(combined["warm"]["to_content_s"], 1.3, "warm to content (two loads: their mean)")
    _equal(combined.get("error", "").startswith("TimeoutError"), True, "any pass's error is kept")


@check
def browser_passes_are_combined_page_by_page_whatever_their_order() -> None:
    from bench.browser import _median_of_passes

    def entry(page, to_content):
        return {
            "role": "leadership",
            "page": page,
            "title": page.title(),
            "sign_in_s": 0.9,
            "cold": {"to_content_s": to_content, "charts": 2, "exceptions": 0},
        }

    passes = [
        [entry("overview", 0.5), entry("outcomes", 1.4)],
        [entry("outcomes", 1.2), entry("overview", 0.7)],
        [entry("outcomes", 1.0)],
    ]  # overview missing from the last pass
    combined = {e["page"]: e["cold"] for e in _median_of_passes(passes)}
    _equal(combined["outcomes"]["to_content_s"], 1.2, "outcomes to content")
    _equal(combined["outcomes"]["to_content_samples_s"], [1.4, 1.2, 1.0], "outcomes samples")
    _equal(combined["overview"]["to_content_s"], 0.6, "overview to content (two passes)")
    _equal(combined["overview"]["to_content_samples_s"], [0.5, 0.7], "overview samples")


@check
def the_ratio_target_allows_the_larger_of_its_two_allowances() -> None:
    from bench.report import ratio_allowed_s, targets

    _equal(ratio_allowed_s(0.0), 0.3, "no SQL: the overhead alone")
    _equal(ratio_allowed_s(0.1), 0.4, "0.1 s of SQL: SQL + 0.3 s")
    _equal(ratio_allowed_s(0.6), 0.9, "0.6 s of SQL: both allowances meet")
    _equal(ratio_allowed_s(2.0), 3.0, "2 s of SQL: 1.5 × SQL")

    def verdict(*pages: tuple[float, float]) -> dict:
        results = {
            "scales": [
                {
                    "scale": 50,
                    "server_side": {
                        "pages": [
                            {"role": "trustee", "title": f"page {n}", "first_render_s": first, "raw_sql_s": sql}
                            for n, (first, sql) in enumerate(pages)
                        ]
                    },
                }
            ]
        }
        (ratio,) = [v for v in targets(results) if v["target"] == "ratio"]
        return ratio

    # 2.9 s on 2 s of SQL is under 1.5 ×; 0.35 s on 0.02 s of SQL is within SQL + 0.3 s.
    passing = verdict((2.9, 2.0), (0.31, 0.02))
    _equal(passing["status"], "PASS", "pages within their allowances")
    # 0.5 s on 0.05 s of SQL (10 ×) is over SQL + 0.3 s = 0.35 s, and it is the worst page.
    missing = verdict((2.9, 2.0), (0.5, 0.05))
    _equal(missing["status"], "MISS", "a page with little SQL over its own overhead")
    _equal((missing["value"], missing["limit"]), (0.5, 0.35), "the worst page's render and allowance")
    _equal("page 1" in missing["where"] and "1 of 2 pages over" in missing["where"], True, missing["where"])
    # 3.1 s on 2 s of SQL is over 1.5 × (3.0 s).
    _equal(verdict((3.1, 2.0), (0.31, 0.02))["status"], "MISS", "a page over 1.5 × its SQL")


@check
def the_harness_looks_for_installed_components_once_as_a_server_does() -> None:
    # AppTest would look again for each new app, inside the first render it times.
    from bench.server_side import new_app

    first, second = new_app("leader", "overview.py"), new_app("trustee", "engagement.py")
    _equal(first._bidi_component_manager is not None, True, "the first app has the components")
    _equal(first._bidi_component_manager is second._bidi_component_manager, True, "both apps share one lookup")


def main() -> int:
    import streamlit.logger

    streamlit.logger.set_log_level("error")  # no "missing ScriptRunContext" warnings outside a server
    failed = 0
    for function in CHECKS:
        try:
            function()
        except Exception as problem:
            failed += 1
            frames = [f for f in traceback.extract_tb(problem.__traceback__) if f.name == function.__name__]
            line = f" (line {frames[-1].lineno})" if frames else ""
            print(f"FAIL {function.__name__}: {type(problem).__name__}: {problem}{line}", flush=True)
        else:
            print(f"ok   {function.__name__}", flush=True)
    print(f"{len(CHECKS) - failed} of {len(CHECKS)} checks passed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
