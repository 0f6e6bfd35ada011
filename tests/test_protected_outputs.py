"""What trustees and commissioners actually receive, on the demo data: every table, tile, chart,
CSV download and report document they are shown, scanned for a count that is not 0, a multiple
of 5 or the marker ("1–7").

While a page runs, `DisclosureRule.protect` is wrapped (in this process only) to keep every table
it publishes with its Counts, and the CSV downloads and report documents the page makes are kept
as they are handed to Streamlit. Then, for one role, page and period:

(a) every st.dataframe (and every CSV) equals, cell for cell, a table that passed the rule (by
    column position: the page renames columns, a report writes shares as percentages and codes
    in words); and every published table's count columns hold only 0, multiples of 5 or the
    marker, its rates are worked out from those rounded counts, and its statistics are withheld
    where they rest on a hidden count;
(b) every metric tile holds "0", the marker, a multiple of 5, a percentage, "–" or (for a label
    with "Median" or "days") a statistic, and its delta, if any, is a multiple of 5; captions that
    give a count beside a tile ("of 205 referrals…", "+5 on the quarter before") likewise;
(c) every chart's numbers (customdata, text, hovertext, and the value axis: y, or x of horizontal
    bars and of an axis titled "Number of …") that are whole and at least 1 are multiples of 5,
    unless the axis is a share (every value at most 1) or a rate ("per 100"), the trace is a
    derived line (an SPC average or limit), or the number is one of the published tables'
    non-count values (rates, statistics, references such as target caseloads, dimensions);
    numbers in text followed by "%", "days", "points", "months" or "weeks" are not counts;
(d) the Board pack (trustee) and Site report (commissioner) documents: every section's table
    matches a published table and its count columns are 0, marker or multiples of 5; every
    headline and its changes; every chart; the "what changed" sentences; and the legend is there.

Each check is a small function returning a list of problems (where, what, value), so a failing
test says exactly what leaked. Two tests feed the scan doctored figures to show it can fail, and a
leadership control shows the demo data has exact counts that are not multiples of 5.
"""

from __future__ import annotations

import base64
import datetime
import json
import math
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pytest
import streamlit as st
import yaml

from dashboard.privacy.disclosure import NO_VALUE, ROUND_TO, Counts, DisclosureRule
from dashboard.reports.report_document import ReportDocument
from dashboard.shell import navigation, panels, report_view
from dashboard.words.formats import NO_CHANGE
from tests.apptest import open_app

AS_AT = datetime.date(2026, 11, 1)
PERIODS = {
    "FY 2025/26": {"period": "Financial year", "fy": "2025/26"},
    "2025/26 Q3": {"period": "Quarter", "quarter": "2025/26 Q3"},
}
USER_OF_ROLE = {"leadership": "leader", "trustee": "trustee", "commissioner": "commissioner"}
COMMISSIONED_SITES = ["Suffolk"]  # a site of the demo data
LEADERSHIP_ONLY = {"cases", "case_timeline", "audit_log", "data_quality"}
PROTECTED_ROLES = ("trustee", "commissioner")

# Each page once as it opens, and again with each choice that draws other figures: (label, query
# parameters, (widget key, value) set after the first run).
VARIANTS = {
    "safeguarding": [("", {}, None), (" [per 100 families]", {}, ("escalation_measure", "Per 100 active families"))],
    "outcomes": [
        ("", {}, None),
        (" [by site]", dict.fromkeys(("social_care_by", "babies_by", "wellbeing_by"), "By site"), None),
        (" [by cohort]", dict.fromkeys(("social_care_by", "babies_by", "wellbeing_by"), "By enrolment cohort"), None),
    ],
    "board_pack": [
        ("", {}, None),
        (" [Trends]", {"board-pack-part": "Trends"}, None),
        (" [Sites compared]", {"board-pack-part": "Sites compared"}, None),
    ],
}
REPORTS = {"trustee": "board_pack", "commissioner": "site_report"}


# --- Fixtures ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_database(tmp_path_factory) -> str:
    from seed_data import build_sqlite

    path = build_sqlite(tmp_path_factory.mktemp("protected") / "demo.sqlite", scale=1, seed=42, as_at=AS_AT)
    return f"sqlite:///{path}"


@pytest.fixture
def demo(demo_database, tmp_path, monkeypatch) -> str:
    """The dashboard on the demo database, with the commissioner commissioning a demo site."""
    from dashboard.access.auth import DEMO_USERS_FILE

    config = yaml.safe_load(DEMO_USERS_FILE.read_text())
    config["credentials"]["usernames"]["commissioner"]["sites"] = COMMISSIONED_SITES
    users = tmp_path / "users.yaml"
    users.write_text(yaml.safe_dump(config))
    monkeypatch.setenv("USERS_FILE", str(users))
    monkeypatch.setenv("DATABASE_URL", demo_database)
    return demo_database


# --- Recording what the rule publishes ----------------------------------------------------------------


@dataclass
class Published:
    """One table as DisclosureRule.protect published it to a protected viewer."""

    rule: DisclosureRule
    counts: Counts
    table: pd.DataFrame

    def kind(self, column: str) -> str:
        if column in self.counts.count_columns:
            return "count"
        if column in self.counts.rates:
            return "rate"
        if column in self.counts.statistics:
            return "statistic"
        if column in self.counts.references:
            return "reference"
        return "dimension"


@dataclass
class Recorder:
    published: list[Published] = field(default_factory=list)
    csvs: list[tuple[str, pd.DataFrame]] = field(default_factory=list)
    documents: list[ReportDocument] = field(default_factory=list)

    def clear(self) -> None:
        self.published.clear()
        self.csvs.clear()
        self.documents.clear()


def install_recorder(monkeypatch) -> Recorder:
    """Wrap DisclosureRule.protect (whatever it is now), panels.csv_download and
    report_view.draw_report for this test, keeping what each publishes to a protected viewer."""
    recorder = Recorder()
    protect, csv_download, draw_report = DisclosureRule.protect, panels.csv_download, report_view.draw_report

    def recording_protect(rule, frame, counts):
        protected = protect(rule, frame, counts)
        if rule.active:
            recorder.published.append(Published(rule, counts, protected.table.copy()))
        return protected

    def recording_csv_download(label, table, file_name, key):
        recorder.csvs.append((file_name, table.copy()))
        return csv_download(label, table, file_name, key)

    def recording_draw_report(document, **options):
        recorder.documents.append(document)
        return draw_report(document, **options)

    monkeypatch.setattr(DisclosureRule, "protect", recording_protect)
    monkeypatch.setattr(panels, "csv_download", recording_csv_download)
    monkeypatch.setattr(report_view, "draw_report", recording_draw_report)
    return recorder


def run_page(
    role: str,
    page: str,
    params: dict[str, str],
    widget: tuple[str, str] | None = None,
    recorder: Recorder | None = None,
):
    app = open_app(USER_OF_ROLE[role], params, page)
    assert not app.exception, [e.message for e in app.exception]
    if widget is not None:
        key, value = widget
        if recorder is not None:
            recorder.clear()  # what the rerun publishes, not the first run
            st.cache_data.clear()  # published tables are cached: have the rerun publish them again
        app.button_group(key=key).set_value(value)
        app.run()
        assert not app.exception, [e.message for e in app.exception]
    assert app.radio(key="period").value == params["period"], "the period asked for was not chosen"
    return app


# --- Cells and numbers ------------------------------------------------------------------------------


def cell(value):
    """A table cell as comparable text or number: missing (NaN, NA, "") as None, numbers (and
    numbers written as text, as the Arrow round trip and CSV do) as float, dates as ISO text."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, float, np.integer, np.floating)):
        return None if math.isnan(float(value)) else float(value)
    if isinstance(value, (pd.Timestamp, datetime.date, np.datetime64)):
        stamp = pd.Timestamp(value)
        return f"{stamp:%Y-%m-%d}" if stamp == stamp.normalize() else stamp.isoformat()
    text = str(value).strip()
    if not text:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}(T00:00:00(\.0+)?)?", text):
        return text[:10]
    try:
        return float(text.replace(",", "")) if re.fullmatch(r"[-+]?[\d,]*\.?\d+(e[-+]?\d+)?", text) else text
    except ValueError:
        return text


def same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b) < 1e-6
    return a == b


def is_whole(value: float) -> bool:
    return abs(value - round(value)) < 1e-9


def published_count(value, marker: str) -> str | None:
    """None if `value` is a count a protected viewer may receive (0, a multiple of 5, the
    marker); otherwise what is wrong with it."""
    value = cell(value)
    if value == marker:
        return None
    if value is None:
        return "a missing (NaN) count"
    if isinstance(value, float) and is_whole(value) and value >= 0 and round(value) % ROUND_TO == 0:
        return None
    return f"the count {value!r}"


COUNT_TEXT = re.compile(r"\d{1,3}(,\d{3})*")
PERCENT_TEXT = re.compile(r"\d+%")
STATISTIC_TEXT = re.compile(r"-?\d+(\.\d+)?")
CHANGE_TEXT = re.compile(r"([+\-−]?\d[\d,]*(?:\.\d+)?)")


def is_statistic_label(label: str) -> bool:
    return "median" in label.lower() or "days" in label


def tile_problem(label: str, value: str, marker: str) -> str | None:
    """None if a tile's (or headline's) value may be shown to a protected viewer."""
    value = value.strip()
    if value in ("0", marker, NO_VALUE) or PERCENT_TEXT.fullmatch(value):
        return None
    if is_statistic_label(label):
        return None if STATISTIC_TEXT.fullmatch(value) else f"the statistic {value!r}"
    if COUNT_TEXT.fullmatch(value) and int(value.replace(",", "")) % ROUND_TO == 0:
        return None
    return f"the count {value!r}"


def change_problem(text: str) -> str | None:
    """A change in a count ("+5", "-10 on the quarter before") must be a multiple of 5 ("no change"
    is 0)."""
    if text.strip().startswith(NO_CHANGE):
        return None
    found = CHANGE_TEXT.match(text.strip())
    if not found:
        return f"an unreadable change {text!r}"
    number = float(found.group(1).replace(",", "").replace("−", "-"))
    if not is_whole(number) or round(number) % ROUND_TO:
        return f"the change {text!r}"
    return None


# --- (a) Tables ---------------------------------------------------------------------------------


def cells_match(kind: str, shown, published) -> bool:
    if same(shown, published):
        return True
    if kind == "rate":
        # A report writes a share as a whole percentage, and a withheld or missing one as "–".
        if published in (None, NO_VALUE) and shown in (None, NO_VALUE):
            return True
        if isinstance(published, float) and isinstance(shown, str) and PERCENT_TEXT.fullmatch(shown):
            return abs(float(shown[:-1]) / 100 - published) < 0.006
    if kind == "dimension":
        # Codes put into words after the rule (a report's labels.in_words): text for text only.
        return not isinstance(shown, float) and not isinstance(published, float)
    return False


def matches(shown: pd.DataFrame, published: Published) -> bool:
    """`shown` is `published.table`, cell for cell, column by column in order (names aside), with
    any further columns holding words only."""
    table = published.table
    if len(shown) != len(table) or shown.shape[1] < table.shape[1]:
        return False
    for position, column in enumerate(table.columns):
        kind = published.kind(column)
        pairs = zip(shown.iloc[:, position], table[column])
        if not all(cells_match(kind, cell(s), cell(p)) for s, p in pairs):
            return False
    extra = shown.iloc[:, table.shape[1] :]
    return not any(isinstance(cell(v), float) for v in extra.to_numpy().ravel())


def first_match(shown: pd.DataFrame, published: list[Published]) -> Published | None:
    return next((p for p in published if matches(shown, p)), None)


def describe(frame: pd.DataFrame) -> str:
    return f"[{', '.join(map(str, frame.columns))}] ({len(frame)} rows)"


def unmatched_tables(where: str, shown: list[tuple[str, pd.DataFrame]], published: list[Published]) -> list[str]:
    """Every table shown (or offered as a file) must be one that passed the rule."""
    return [
        f"{where}: {name} {describe(frame)} is not a table that passed DisclosureRule.protect; "
        f"first row {frame.head(1).to_dict('records')}"
        for name, frame in shown
        if first_match(frame, published) is None
    ]


def published_table_problems(where: str, published: list[Published]) -> list[str]:
    """In every published table: counts 0, multiples of 5 or the marker; rates from those rounded
    counts, over 10 or more; statistics withheld where their cases are hidden."""
    problems = []
    for number, entry in enumerate(published):
        rule, counts, table = entry.rule, entry.counts, entry.table
        name = f"{where}: published table {number} ({counts.value} by {', '.join(counts.dims)})"
        for column in counts.count_columns:
            for row, value in table[column].items():
                wrong = published_count(value, rule.marker)
                if wrong:
                    problems.append(f"{name}, column {column!r}, row {row}: {wrong}")
        for rate, denominator in counts.rates.items():
            per = counts.per.get(rate, 1)
            for row in table.index:
                top, bottom, shown = (cell(table.at[row, c]) for c in (counts.value, denominator, rate))
                hidden = (
                    rule.marker in (top, bottom)
                    or not isinstance(bottom, float)
                    or not isinstance(top, float)
                    or bottom < rule.min_denominator
                )
                if hidden:
                    if shown not in (None, NO_VALUE):
                        problems.append(
                            f"{name}, rate {rate!r}, row {row}: {shown!r} shown over "
                            f"{bottom!r} (withheld under {rule.min_denominator} or a hidden count)"
                        )
                    continue
                expected = float(np.round(per * top / bottom, 2 if per == 1 else 0))
                if shown is not None and not same(shown, expected):
                    problems.append(
                        f"{name}, rate {rate!r}, row {row}: {shown!r}, not {expected!r} from the "
                        f"rounded counts {top:g} / {bottom:g}"
                    )
        for statistic, cases in counts.statistics.items():
            for row in table.index:
                base, shown = cell(table.at[row, cases]), cell(table.at[row, statistic])
                if base in (rule.marker, 0.0, None) and shown not in (None, NO_VALUE):
                    problems.append(f"{name}, statistic {statistic!r}, row {row}: {shown!r} shown over {base!r} cases")
    return problems


def csv_tables(recorder: Recorder) -> list[tuple[str, pd.DataFrame]]:
    """Each CSV download as the file a viewer gets, read back as text."""
    from io import StringIO

    return [
        (f"CSV {name}", pd.read_csv(StringIO(table.to_csv(index=False)), dtype=str, keep_default_na=False))
        for name, table in recorder.csvs
    ]


# --- (b) Tiles and captions -------------------------------------------------------------------------


def metric_problems(where: str, metrics: list[tuple[str, str, str]], marker: str) -> list[str]:
    problems = []
    for label, value, delta in metrics:
        wrong = tile_problem(label, value, marker)
        if wrong:
            problems.append(f"{where}: tile {label!r} shows {wrong}")
        if delta:
            wrong = change_problem(delta)
            if wrong:
                problems.append(f"{where}: tile {label!r} has the delta {wrong}")
    return problems


# A count beside a tile: "205 referrals decided", "of 205 …", "over 40 …"; a change in a count:
# "+5 on the quarter before".
CAPTION_COUNT = re.compile(r"(?:of |over )?(\d[\d,]*|1–\d+) (?:referrals|escalations)\b")
CAPTION_CHANGE = re.compile(r"[+\-−]\d[\d,]*(?:\.\d+)? on ")


def caption_problems(where: str, captions: list[str], marker: str) -> list[str]:
    problems = []
    for caption in captions:
        found = CAPTION_COUNT.match(caption)
        if found and published_count(found.group(1), marker):
            problems.append(f"{where}: caption {caption!r} gives the count {found.group(1)!r}")
        if CAPTION_CHANGE.match(caption):
            wrong = change_problem(caption)
            if wrong:
                problems.append(f"{where}: caption gives {wrong}")
    return problems


# --- (c) Charts ---------------------------------------------------------------------------------

DERIVED_LINES = {"Average", "Process limits"}  # an SPC chart's average and limits of the published counts
RATE_AXIS_WORDS = ("per 100",)
NOT_A_COUNT_AFTER = re.compile(r"\s*(?:of the \d+ )?(%|day|point|month|week|year)")  # "11 of the 13 months"
A_YEAR_AFTER = re.compile(r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* $")  # "Apr 2024"
NUMBER_IN_TEXT = re.compile(r"(?<![\w.,/\-–:])[+\-−]?\d[\d,]*(?:\.\d+)?(?![\w/\-–:])")


def decoded(value):
    """Plotly's JSON writes arrays as {"dtype", "bdata"} (base64): as a list."""
    if isinstance(value, dict) and "bdata" in value:
        array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
        if "shape" in value:
            shape = value["shape"]
            array = array.reshape([int(n) for n in shape.split(",")] if isinstance(shape, str) else shape)
        return array.tolist()
    return value


def flat(value) -> list:
    value = decoded(value)
    if isinstance(value, (list, tuple)):
        return [item for part in value for item in flat(part)]
    return [value]


def numbers_in_text(text: str, marker: str, labels: set[str]) -> list[float]:
    """The numbers a text in a chart gives as counts: not the marker, not a published label
    (a site, a stage, "6 months"), not a percentage, a number of days, points, months or weeks,
    nor part of a date, range or cohort ("2025/26", "13-16", "Apr 2024")."""
    if text in labels:
        return []
    text = text.replace(marker, " ")
    numbers = []
    for found in NUMBER_IN_TEXT.finditer(text):
        if NOT_A_COUNT_AFTER.match(text, found.end()) or A_YEAR_AFTER.search(text[: found.start()]):
            continue
        numbers.append(float(found.group().replace(",", "").replace("−", "-")))
    return numbers


def non_count_values(published: list[Published]) -> tuple[set[float], set[str]]:
    """Every number and label of the published tables that is not a count (rates, statistics,
    references, dimensions): a chart may draw them as they are."""
    numbers, labels = set(), set()
    for entry in published:
        for column in entry.table.columns:
            if entry.kind(column) == "count":
                continue
            for value in entry.table[column]:
                value = cell(value)
                if isinstance(value, float):
                    numbers.add(round(value, 6))
                elif isinstance(value, str):
                    labels.add(value)
    return numbers, labels


def axis_title(layout: dict, axis: str) -> str:
    """The title of the trace's axis ('x', 'y2', …) in the layout."""
    settings = layout.get(f"{axis[0]}axis{axis[1:]}", {})
    title = settings.get("title")
    return (title.get("text") if isinstance(title, dict) else title) or ""


def chart_problems(where: str, specs: list[dict], published: list[Published], marker: str) -> list[str]:
    numbers_allowed, labels = non_count_values(published)
    problems = []

    def count(chart: str, trace: str, prop: str, value) -> None:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
            return
        if value >= 1 and is_whole(value) and round(value) % ROUND_TO and round(value, 6) not in numbers_allowed:
            problems.append(f"{where}: {chart}, trace {trace!r}, {prop}: {value:g}")

    for number, spec in enumerate(specs):
        layout = spec.get("layout", {})
        for trace in spec.get("data", []):
            name = trace.get("name") or trace.get("type", "trace")
            horizontal = trace.get("orientation") == "h"
            value_axis = trace.get("xaxis", "x") if horizontal else trace.get("yaxis", "y")
            chart = f"chart {number} ({axis_title(layout, value_axis) or axis_title(layout, 'y')!r})"
            axes = [("x", trace.get("xaxis", "x"))] if horizontal else [("y", trace.get("yaxis", "y"))]
            if (
                not horizontal
                and "markers" in trace.get("mode", "")
                and axis_title(layout, trace.get("xaxis", "x")).startswith("Number of")
            ):  # a funnel plot's sites
                axes.append(("x", trace.get("xaxis", "x")))
            for prop, axis in axes:
                values = [v for v in flat(trace.get(prop)) if isinstance(v, (int, float)) and v == v]
                share = all(v <= 1 for v in values)
                rate = any(words in axis_title(layout, axis).lower() for words in RATE_AXIS_WORDS)
                if share or rate or name in DERIVED_LINES:
                    continue
                for value in values:
                    count(chart, name, prop, value)
            for prop in ("customdata", "text", "hovertext"):
                for value in flat(trace.get(prop)):
                    if isinstance(value, str):
                        for found in numbers_in_text(value, marker, labels):
                            count(chart, name, f"{prop} {value!r}", found)
                    else:
                        count(chart, name, prop, value)
    return problems


def chart_specs(app) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in app.get("plotly_chart")]


# --- (d) Report documents -------------------------------------------------------------------------

SENTENCE_COUNTS = (
    re.compile(r"from ([\d,]+) to ([\d,]+)"),
    re.compile(r"held at ([\d,]+)"),
    re.compile(r"\(([+\-−][\d,]+)\)"),
)


def document_problems(
    where: str, document: ReportDocument, published: list[Published], rule: DisclosureRule
) -> list[str]:
    marker = rule.marker
    problems = []
    if not document.suppression_legend or marker not in document.suppression_legend:
        problems.append(f"{where}: the document has no suppression legend ({document.suppression_legend!r})")
    for section in document.sections:
        place = f"{where}: section {section.title!r}"
        for headline in section.headlines:
            wrong = tile_problem(headline.label, headline.value, marker)
            if wrong:
                problems.append(f"{place}: headline {headline.label!r} shows {wrong}")
            for change in headline.changes:
                if "not shown" in change or " points on " in change:
                    continue
                wrong = change_problem(change)
                if wrong:
                    problems.append(f"{place}: headline {headline.label!r} gives {wrong}")
        if section.table is not None and not section.table.empty:
            source = first_match(section.table, published)
            if source is None:
                problems.append(
                    f"{place}: table {describe(section.table)} is not a table that passed DisclosureRule.protect"
                )
            else:
                for position, column in enumerate(source.table.columns):
                    if source.kind(column) != "count":
                        continue
                    for row, value in section.table.iloc[:, position].items():
                        wrong = published_count(value, marker)
                        if wrong:
                            problems.append(
                                f"{place}: table column {section.table.columns[position]!r}, row {row}: {wrong}"
                            )
        if section.chart is not None:
            problems += chart_problems(place, [json.loads(section.chart.to_json())], published, marker)
        for sentence in section.sentences:
            for pattern in SENTENCE_COUNTS:
                for found in pattern.finditer(sentence):
                    for number in found.groups():
                        wrong = (
                            change_problem(number)
                            if number[0] in "+-−"
                            else published_count(number.replace(",", ""), marker)
                        )
                        if wrong:
                            problems.append(f"{place}: the sentence {sentence!r} gives {wrong}")
    return problems


# --- The scan of one page ---------------------------------------------------------------------------


def page_problems(where: str, app, recorder: Recorder, marker: str) -> list[str]:
    shown = [(f"table {i}", frame.value) for i, frame in enumerate(app.dataframe)]
    metrics = [(m.label, m.value, m.delta) for m in app.metric]
    captions = [str(c.value) for c in app.caption]
    return (
        unmatched_tables(where, shown + csv_tables(recorder), recorder.published)
        + published_table_problems(where, recorder.published)
        + metric_problems(where, metrics, marker)
        + caption_problems(where, captions, marker)
        + chart_problems(where, chart_specs(app), recorder.published, marker)
    )


def page_cases():
    for role in PROTECTED_ROLES:
        for view in navigation.views_for(role):
            if view.url_path in LEADERSHIP_ONLY:
                continue
            for label, params, widget in VARIANTS.get(view.url_path, [("", {}, None)]):
                for period in PERIODS:
                    yield pytest.param(
                        role,
                        view.url_path,
                        params,
                        widget,
                        period,
                        id=f"{role}-{view.url_path}{label.strip().replace(' ', '_')}-{period}",
                    )


@pytest.mark.slow  # every page, role and period: the full suite
@pytest.mark.parametrize(("role", "page", "params", "widget", "period"), list(page_cases()))
def test_a_protected_viewer_receives_only_protected_counts(demo, monkeypatch, role, page, params, widget, period):
    recorder = install_recorder(monkeypatch)
    app = run_page(role, page, {**PERIODS[period], **params}, widget, recorder)
    rule = DisclosureRule.for_role(role)
    where = f"{role} · {page}{' ' + str(params or widget) if params or widget else ''} · {period}"
    assert app.dataframe or app.metric or app.get("plotly_chart"), f"{where}: the page drew no figure"
    if app.dataframe:
        assert recorder.published, f"{where}: tables were shown but nothing passed DisclosureRule.protect"
    assert page_problems(where, app, recorder, rule.marker) == []


@pytest.mark.slow  # every page, role and period: the full suite
@pytest.mark.parametrize("period", list(PERIODS))
@pytest.mark.parametrize("role", PROTECTED_ROLES)
def test_a_protected_viewers_report_document_is_protected(demo, monkeypatch, role, period):
    page = REPORTS[role]
    recorder = install_recorder(monkeypatch)
    app = run_page(role, page, PERIODS[period])
    (document,) = recorder.documents
    rule = DisclosureRule.for_role(role)
    where = f"{role} · {page} document · {period}"
    assert document.sections and any(s.headlines for s in document.sections)
    if role == "commissioner":
        assert app.selectbox(key="report_site").options == COMMISSIONED_SITES
    assert document_problems(where, document, recorder.published, rule) == []


# --- The scan can fail ------------------------------------------------------------------------------


def test_the_scan_reports_a_count_of_3_in_a_doctored_table_chart_and_tile(demo, monkeypatch):
    recorder = install_recorder(monkeypatch)
    app = run_page("trustee", "referrals", PERIODS["FY 2025/26"])
    marker = DisclosureRule().marker
    assert page_problems("honest", app, recorder, marker) == []

    # A table on screen with one count made exact: it matches nothing published.
    shown = app.dataframe[0].value.astype(object)
    source = first_match(shown, recorder.published)
    count_position = list(source.table.columns).index(source.counts.value)
    shown.iloc[0, count_position] = 3
    assert unmatched_tables("doctored", [("table 0", shown)], recorder.published)

    # A published table with an exact count, an exact rate and a statistic over hidden cases.
    doctored = Published(source.rule, source.counts, source.table.astype(object))
    doctored.table.iloc[0, count_position] = 3
    assert any("the count 3.0" in p for p in published_table_problems("doctored", [doctored]))
    funnel = next(p for p in recorder.published if p.counts.rates)
    ((rate, _denominator),) = funnel.counts.rates.items()
    bad_rate = Published(funnel.rule, funnel.counts, funnel.table.astype(object))
    bad_rate.table.loc[bad_rate.table.index[-1], rate] = 0.123
    assert any(f"rate {rate!r}" in p for p in published_table_problems("doctored", [bad_rate]))

    # A chart with a bar of 3, and with "3 engaged of 35 reached" in its hover.
    specs = chart_specs(app)
    specs[0]["data"][0]["y"] = [3]
    specs[1]["data"][0]["customdata"] = [["Bristol", "3 engaged of 35 reached"]]
    problems = chart_problems("doctored", specs, recorder.published, marker)
    assert any("y: 3" in p for p in problems) and any("customdata" in p for p in problems)

    # Tiles and captions: an exact count, an exact delta.
    assert metric_problems("doctored", [("Referrals received", "203", None), ("Exits", "10", "+3")], marker) == [
        "doctored: tile 'Referrals received' shows the count '203'",
        "doctored: tile 'Exits' has the delta the change '+3'",
    ]
    assert caption_problems("doctored", ["203 referrals decided", "of 3 escalations raised"], marker)


def test_the_scan_reports_exact_figures_when_the_rule_lets_them_through(demo, monkeypatch):
    # The rule's tile text and its tables both passing leadership's exact figures to a trustee.
    exact = DisclosureRule.exact()
    protect = DisclosureRule.protect
    monkeypatch.setattr(DisclosureRule, "count_text", lambda rule, value: f"{int(value):,}")
    monkeypatch.setattr(DisclosureRule, "protect", lambda rule, frame, counts: protect(exact, frame, counts))
    recorder = install_recorder(monkeypatch)
    marker = DisclosureRule().marker
    overview = run_page("trustee", "overview", PERIODS["FY 2025/26"], recorder=recorder)
    assert metric_problems("leaky overview", [(m.label, m.value, m.delta) for m in overview.metric], marker)
    recorder.clear()
    referrals = run_page("trustee", "referrals", PERIODS["2025/26 Q3"], recorder=recorder)
    assert published_table_problems("leaky referrals", recorder.published)
    assert chart_problems("leaky referrals", chart_specs(referrals), recorder.published, marker)


def test_the_scan_reports_a_doctored_report_document(demo, monkeypatch):
    import dataclasses

    recorder = install_recorder(monkeypatch)
    run_page("commissioner", "site_report", PERIODS["FY 2025/26"])
    (document,) = recorder.documents
    rule = DisclosureRule()
    first = document.sections[0]
    table = first.table.astype(object)
    table.iloc[0, 1] = 3
    headline = dataclasses.replace(first.headlines[0], value="3")
    doctored = dataclasses.replace(
        document,
        suppression_legend=None,
        sections=(
            dataclasses.replace(first, table=table, headlines=(headline, *first.headlines[1:])),
            *document.sections[1:],
        ),
    )
    problems = document_problems("doctored", doctored, recorder.published, rule)
    assert any("no suppression legend" in p for p in problems)
    assert any("headline 'Referrals received' shows the count '3'" in p for p in problems)
    assert any("is not a table that passed" in p for p in problems)


# --- Leadership control -----------------------------------------------------------------------------


def test_leadership_sees_exact_counts_that_are_not_multiples_of_5(demo, monkeypatch):
    """So the demo data is a real test: the same pages give leadership counts the scan would report."""
    recorder = install_recorder(monkeypatch)  # records nothing for leadership: its rule is exact
    marker = DisclosureRule().marker
    overview = run_page("leadership", "overview", PERIODS["2025/26 Q3"])
    tiles = [(m.label, m.value, m.delta) for m in overview.metric]
    assert metric_problems("leadership overview", tiles, marker), tiles
    referrals = run_page("leadership", "referrals", PERIODS["2025/26 Q3"])
    exact = [
        value
        for frame in referrals.dataframe
        for column in ("Referrals",)
        if column in frame.value
        for value in frame.value[column]
        if published_count(value, marker)
    ]
    assert exact, "leadership's referral tables hold only multiples of 5"
    assert not recorder.published
