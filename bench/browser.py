"""Real-browser timings: a `streamlit run` server on 127.0.0.1 and Debian's Chromium (Playwright).

- `single_user`: for each role, a fresh server, and one browser context that signs in through the
  form (TYPING_SECONDS on it), then opens every page its role gets by URL (a full page load: new
  session, the sign-in cookie checked, the page's own queries run with a cold cache), then opens
  it again (warm cache). Time to content: from `page.goto` until the page's title is shown, the
  app reports its run finished (`data-test-script-state='notRunning'`) and no element is still a
  grey placeholder waiting for its code; separately, until every Plotly chart has been drawn. The
  server's and Chromium's CPU time for each load are read from /proc.
- `load`: a fresh server; N contexts of one browser start together (a barrier), each signs in as a
  demo account (roles in turn) and opens every page of its role once. Bounded by a total time;
  reports p50/p95 time to content, sign-in times, errors and the server's peak memory.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import time
from contextlib import contextmanager, suppress
from pathlib import Path

from bench import COOKIE_KEY, DEMO_PASSWORD, USER_OF_ROLE, USERS_FILE
from dashboard.shell.navigation import views_for
from tests.serving import APP_FINISHED, CHART, CHROMIUM, CHROMIUM_ARGS, CONTENT_READY_JS, StreamlitServer
from tests.streamlit_messages import received_message, sent_message

START_SECONDS = 120
NAVIGATION_TIMEOUT_MS = 180_000
CHARTS_TIMEOUT_MS = 20_000
VIEWPORT = {"width": 1400, "height": 1000}
# A person takes a few seconds to type a username and password; the form has the browser load the
# charting code meanwhile (dashboard.shell.sign_in). Typing in no time would put that on the sign-in.
TYPING_SECONDS = 3

# Every Plotly chart on the page has drawn its SVG (charts in a tab not shown count once drawn too).
CHARTS_DRAWN_JS = f"""() => [...document.querySelectorAll("{CHART}")].every(c => c.querySelector(".main-svg"))"""
ERRORS_JS = """() => document.querySelectorAll("[data-testid='stException']").length"""
# The sign-in form is drawn and the app's first run has finished, as when a person starts typing.
SIGN_IN_FORM_JS = f"""() => document.querySelector("{APP_FINISHED}") !== null
  && [...document.querySelectorAll("button")].some(b => b.textContent.trim() === "Sign in")"""


def _proc_cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return float("nan")


def _proc_memory_mb(pid: int, field: str) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def _children() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(entry.name))
    return children


def browser_cpu_seconds(exclude: int) -> float:
    """CPU seconds of this process's descendants other than the server (`exclude`) and its own:
    the Playwright driver and Chromium. Processes that have already exited are not counted."""
    children, total, stack = _children(), 0.0, list(_children().get(os.getpid(), []))
    while stack:
        pid = stack.pop()
        if pid == exclude:
            continue
        seconds = _proc_cpu_seconds(pid)
        total += 0.0 if seconds != seconds else seconds
        stack.extend(children.get(pid, []))
    return total


class Server(StreamlitServer):
    """The dashboard (tests.serving.StreamlitServer) reading `database`, with the harness's own
    users file and cookie key, and its process's CPU time and memory."""

    def __init__(self, database: str, audit_database: str, log_path: Path):
        env = dict(os.environ)
        env.update(
            {
                "DATABASE_URL": f"sqlite:///{Path(database).resolve()}",
                "USERS_FILE": str(USERS_FILE),
                "AUTH_COOKIE_KEY": COOKIE_KEY,
                "AUDIT_DATABASE_URL": f"sqlite:///{Path(audit_database).resolve()}",
            }
        )
        super().__init__(env, log_path, START_SECONDS)

    def cpu_seconds(self) -> float:
        return _proc_cpu_seconds(self.process.pid)

    def memory(self) -> dict:
        return {
            "rss_mb": round(_proc_memory_mb(self.process.pid, "VmRSS"), 1),
            "peak_rss_mb": round(_proc_memory_mb(self.process.pid, "VmHWM"), 1),
        }


@contextmanager
def running_server(database: str, audit_database: str, log_path: Path):
    server = Server(database, audit_database, log_path)
    try:
        yield server
    finally:
        server.stop()


async def _wait_for_content(page, title: str, timeout_ms: int = NAVIGATION_TIMEOUT_MS) -> None:
    await page.wait_for_function(CONTENT_READY_JS, arg=title, timeout=timeout_ms, polling=50)


async def _charts_drawn(page, started: float) -> float | None:
    try:
        await page.wait_for_function(CHARTS_DRAWN_JS, timeout=CHARTS_TIMEOUT_MS, polling=100)
        return time.perf_counter() - started
    except Exception:
        return None


async def sign_in(
    page, base_url: str, role: str, timeout_ms: int = NAVIGATION_TIMEOUT_MS, moments: dict | None = None
) -> float:
    """Open the app, sign in through the form as the role's demo account (taking TYPING_SECONDS
    over it, as a person does), wait for the role's landing page (its first view, whichever pages a
    run measures): seconds from the click (`moments["clicked"]`: when it was made)."""
    await page.goto(base_url, timeout=timeout_ms)
    await page.wait_for_function(SIGN_IN_FORM_JS, timeout=timeout_ms, polling=100)
    await asyncio.sleep(TYPING_SECONDS)
    await page.get_by_role("textbox", name="Username").fill(USER_OF_ROLE[role])
    await page.get_by_role("textbox", name="Password").fill(DEMO_PASSWORD)
    started = time.perf_counter()
    if moments is not None:
        moments["clicked"] = started
    await page.get_by_role("button", name="Sign in").click()
    await page.get_by_role("button", name="Sign in").wait_for(state="detached", timeout=timeout_ms)
    await _wait_for_content(page, views_for(role)[0].title, timeout_ms)
    return time.perf_counter() - started


async def open_page(
    page,
    url: str,
    title: str,
    server: Server | None = None,
    timeout_ms: int = NAVIGATION_TIMEOUT_MS,
    charts: bool = True,
    sockets: SocketLog | None = None,
) -> dict:
    """Load `url` and time it to content (and to every chart drawn). With the `server` (and the
    page's `sockets`), also how the time divides: the server's and Chromium's CPU seconds, and
    when the server's message that the run had finished arrived. The browser and the server share
    this machine's cores, so a page that keeps Chromium busy also slows the server's run."""
    cpu = server.cpu_seconds() if server else None
    browser_cpu = browser_cpu_seconds(exclude=server.process.pid) if server else None
    started = time.perf_counter()
    await page.goto(url, timeout=timeout_ms)
    await _wait_for_content(page, title, timeout_ms)
    to_content = time.perf_counter() - started
    result = {"to_content_s": round(to_content, 3)}
    if server:
        result["server_cpu_s"] = round(server.cpu_seconds() - cpu, 3)
        result["browser_cpu_s"] = round(browser_cpu_seconds(exclude=server.process.pid) - browser_cpu, 3)
    if sockets:
        finished = sockets.last(started, "↓finished")
        result["run_finished_s"] = None if finished is None else round(finished - started, 3)
    if charts:
        drawn = await _charts_drawn(page, started)
        result["charts_drawn_s"] = round(drawn, 3) if drawn is not None else None
        result["charts"] = await page.locator(CHART).count()
    result["exceptions"] = await page.evaluate(ERRORS_JS)
    return result


def _page_url(base_url: str, view, params: dict[str, str]) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"{base_url}/{view.url_path}" + (f"?{query}" if query else "")


async def _single_user(
    base_url: str, server: Server, roles: list[str], views_by_role: dict, params_by_page: dict, log
) -> list[dict]:
    from playwright.async_api import async_playwright

    results = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for role in roles:
                views = views_by_role[role]
                context = await browser.new_context(viewport=VIEWPORT)
                page = await context.new_page()
                sockets = SocketLog(page)
                try:
                    signed = await sign_in(page, base_url, role)
                    log(f"    {role:<12} signed in in {signed:.2f} s")
                    for view in views:
                        url = _page_url(base_url, view, params_by_page.get(view.url_path, {}))
                        entry = {
                            "role": role,
                            "page": view.url_path,
                            "title": view.title,
                            "sign_in_s": round(signed, 3),
                        }
                        try:
                            entry["cold"] = await open_page(page, url, view.title, server, sockets=sockets)
                            entry["warm"] = await open_page(page, url, view.title, server, sockets=sockets)
                        except Exception as problem:
                            entry["error"] = f"{type(problem).__name__}: {str(problem).splitlines()[0][:200]}"
                        results.append(entry)
                        cold, warm = entry.get("cold", {}), entry.get("warm", {})
                        nan = float("nan")
                        log(
                            f"    {role:<12} {view.title:<28} to content cold {cold.get('to_content_s', nan):6.2f} s"
                            f" (server CPU {cold.get('server_cpu_s', nan):5.2f} s, charts "
                            f"{_fmt(cold.get('charts_drawn_s'))}), warm {warm.get('to_content_s', nan):6.2f} s"
                            + (f"  ERROR {entry['error']}" if "error" in entry else "")
                        )
                finally:
                    await context.close()
        finally:
            await browser.close()
    return results


def _fmt(value) -> str:
    return "   n/a" if value is None else f"{value:5.2f} s"


def single_user(
    database: str,
    audit_database: str,
    log_dir: Path,
    roles: list[str],
    views_by_role: dict,
    params_by_page: dict,
    log=print,
    repeats: int = 1,
) -> dict:
    """`repeats` passes, each page's figures the median over them (see `_median_of_passes`)."""
    # A new server for each role: cached frames are shared between roles (they are keyed on the
    # sites asked for, not the role), so on one server a later role would find its pages' queries
    # already run by an earlier one, and its "cold" loads would not be.
    started, passes, peaks = time.perf_counter(), [], []
    for number in range(1, repeats + 1):
        if repeats > 1:
            log(f"    pass {number} of {repeats}")
        pages = []
        for role in roles:
            log_name = f"server-single-user-{role}" + (f"-pass-{number}" if repeats > 1 else "") + ".log"
            with running_server(database, audit_database, log_dir / log_name) as server:
                pages += asyncio.run(_single_user(server.url, server, [role], views_by_role, params_by_page, log))
                peaks.append(server.memory()["peak_rss_mb"])
        passes.append(pages)
    return {
        "pages": _median_of_passes(passes),
        "passes": repeats,
        "server_memory": {"peak_rss_mb": max(peaks, default=None)},
        "seconds": round(time.perf_counter() - started, 1),
    }


def _median_of_passes(passes: list[list[dict]]) -> list[dict]:
    """One entry per role and page: each load's figures the median over the passes (a single load
    on two shared cores moves by a few tenths of a second), its times to content all kept
    (`to_content_samples_s`), the fewest charts and the most exceptions any pass saw, and any
    pass's error."""
    by_page: dict[tuple[str, str], list[dict]] = {}
    for pages in passes:
        for entry in pages:
            by_page.setdefault((entry["role"], entry["page"]), []).append(entry)
    combined = []
    for entries in by_page.values():
        entry = {key: entries[0][key] for key in ("role", "page", "title")}
        entry["sign_in_s"] = _median([e.get("sign_in_s") for e in entries])
        errors = [e["error"] for e in entries if "error" in e]
        if errors:
            entry["error"] = errors[0]
        for load in ("cold", "warm"):
            loads = [e[load] for e in entries if load in e]
            if loads:
                entry[load] = {key: _median([one.get(key) for one in loads]) for key in loads[0]}
                # The fewest charts any pass saw on screen (a pass with one missing is the telling
                # one), and the most exceptions.
                entry[load]["charts"] = min(one.get("charts") or 0 for one in loads)
                entry[load]["exceptions"] = max(one.get("exceptions") or 0 for one in loads)
                entry[load]["to_content_samples_s"] = [one.get("to_content_s") for one in loads]
        combined.append(entry)
    return combined


def _median(values: list) -> float | None:
    known = [value for value in values if value is not None]
    return round(statistics.median(known), 3) if known else None


def percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    index = share * (len(ordered) - 1)
    low, high = int(index), min(int(index) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (index - low)


# Streamlit loads Plotly as a chunk of its own, only when a page has a chart.
PLOTLY_CHUNK = "**/static/js/PlotlyChart*.js"


async def _what_it_shows(page, log_dir: Path | None, name: str) -> str:
    """After a failure: the app's script state and the start of its main text (and a screenshot
    in the logs folder), to tell a slow server from a stuck page."""
    try:
        state = await page.evaluate(
            "() => document.querySelector(\"[data-testid='stApp']\")?.getAttribute('data-test-script-state')"
        )
        text = await page.evaluate("() => document.querySelector(\"[data-testid='stMain']\")?.innerText || ''")
        if log_dir is not None:
            await page.screenshot(path=str(log_dir / f"{name}.png"), timeout=30_000)
        return f" (script state {state}; page shows: {' '.join(text.split())[:160]!r})"
    except Exception as problem:
        return f" (page not readable: {type(problem).__name__})"


class SocketLog:
    """What a page's websocket carried (Streamlit's messages by kind, never a widget's value):
    after a lost sign-in it tells a click never sent from one sent and not answered, a run cut
    short by another, or a dropped connection."""

    def __init__(self, page):
        self.events: list[tuple[float, str]] = []
        page.on("websocket", self._opened)

    def _opened(self, socket) -> None:
        self._note("opened")
        socket.on("close", lambda _socket: self._note("closed"))
        socket.on("framesent", lambda payload: self._note("↑" + sent_message(payload)))
        socket.on("framereceived", lambda payload: self._note("↓" + received_message(payload)))

    def _note(self, event: str) -> None:
        self.events.append((time.perf_counter(), event))

    def last(self, started: float, prefix: str) -> float | None:
        """When the last message from `started` on beginning with `prefix` was seen."""
        return max((at for at, event in self.events if at >= started and event.startswith(prefix)), default=None)

    def since(self, started: float, most: int = 40) -> str:
        """The messages from `started` on, in order, repeats run together ("delta×12")."""
        runs: list[list] = []
        for at, event in self.events:
            if at < started:
                continue
            if runs and runs[-1][0] == event:
                runs[-1][1] += 1
            else:
                runs.append([event, 1])
        shown = [event if count == 1 else f"{event}×{count}" for event, count in runs[-most:]]
        return (" ".join(shown) or "nothing") + (f" (last {most} of {len(runs)})" if len(runs) > most else "")


async def _load(
    base_url: str,
    server: Server,
    users: int,
    roles: list[str],
    views_by_role: dict,
    params_by_page: dict,
    budget_seconds: float,
    log,
    charts: bool = True,
    log_dir: Path | None = None,
) -> dict:
    from playwright.async_api import async_playwright

    navigations: list[dict] = []
    sign_ins: list[dict] = []
    errors: list[str] = []
    memory_samples: list[float] = []

    async def sample_memory():
        while True:
            memory_samples.append(server.memory()["rss_mb"])
            await asyncio.sleep(0.5)

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        contexts = []
        try:
            barrier = asyncio.Barrier(users)
            pages, sockets = [], []
            for _ in range(users):
                context = await browser.new_context(viewport=VIEWPORT)
                contexts.append(context)
                if not charts:
                    # Server-bound variant: the browsers do not draw charts (Chromium shares the
                    # server's 2 cores here), so the time is the server's and the network's.
                    await context.route(PLOTLY_CHUNK, lambda route: route.abort())
                page = await context.new_page()
                sockets.append(SocketLog(page))
                if charts:
                    page.on("pageerror", lambda error: errors.append(f"page error: {str(error)[:200]}"))
                pages.append(page)

            async def one_user(index: int, page):
                role = roles[index % len(roles)]
                views = views_by_role[role]
                await barrier.wait()
                began, moments = time.perf_counter(), {}
                try:
                    seconds = await sign_in(page, base_url, role, moments=moments)
                    sign_ins.append({"user": index, "role": role, "seconds": round(seconds, 3)})
                except Exception as problem:
                    shows = await _what_it_shows(page, log_dir, f"load-user-{index}-sign-in")
                    errors.append(
                        f"user {index} ({role}) sign-in: {type(problem).__name__}: "
                        f"{str(problem).splitlines()[0][:200]}{shows}; websocket from the "
                        f"start: {sockets[index].since(began)}; after the click: "
                        f"{sockets[index].since(moments['clicked']) if 'clicked' in moments else 'no click'}"
                    )
                    return
                for view in views:
                    url = _page_url(base_url, view, params_by_page.get(view.url_path, {}))
                    try:
                        entry = await open_page(page, url, view.title, charts=False)
                        navigations.append({"user": index, "role": role, "page": view.url_path, **entry})
                        if entry["exceptions"]:
                            errors.append(
                                f"user {index} ({role}) {view.url_path}: {entry['exceptions']} exception(s) shown"
                            )
                    except Exception as problem:
                        shows = await _what_it_shows(page, log_dir, f"load-user-{index}-{view.url_path}")
                        errors.append(
                            f"user {index} ({role}) {view.url_path}: {type(problem).__name__}: "
                            f"{str(problem).splitlines()[0][:200]}{shows}"
                        )

            sampler = asyncio.create_task(sample_memory())
            cpu = server.cpu_seconds()
            browser_cpu = browser_cpu_seconds(server.process.pid)
            started = time.perf_counter()
            tasks = [asyncio.create_task(one_user(i, p)) for i, p in enumerate(pages)]
            _done, pending = await asyncio.wait(tasks, timeout=budget_seconds)
            elapsed = time.perf_counter() - started
            for task in pending:
                task.cancel()
            if pending:
                errors.append(
                    f"{len(pending)} of {users} users had not finished within the {budget_seconds:.0f} s budget"
                )
            sampler.cancel()
            server_cpu = server.cpu_seconds() - cpu
            browser_cpu = browser_cpu_seconds(server.process.pid) - browser_cpu
        finally:
            for context in contexts:
                with suppress(Exception):
                    await context.close()
            await browser.close()

    times = [n["to_content_s"] for n in navigations]
    expected = sum(len(views_by_role[roles[i % len(roles)]]) for i in range(users))
    return {
        "users": users,
        "charts_drawn": charts,
        "roles": roles,
        "navigations_expected": expected,
        "navigations_done": len(navigations),
        "to_content_p50_s": _round(percentile(times, 0.5)),
        "to_content_p95_s": _round(percentile(times, 0.95)),
        "to_content_max_s": _round(max(times) if times else None),
        "sign_in_p50_s": _round(percentile([s["seconds"] for s in sign_ins], 0.5)),
        "sign_in_p95_s": _round(percentile([s["seconds"] for s in sign_ins], 0.95)),
        "by_page": {
            page: {"n": len(ts), "p50_s": _round(percentile(ts, 0.5)), "p95_s": _round(percentile(ts, 0.95))}
            for page in sorted({n["page"] for n in navigations})
            for ts in [[n["to_content_s"] for n in navigations if n["page"] == page]]
        },
        "errors": errors,
        "wall_seconds": round(elapsed, 1),
        "server_cpu_s": round(server_cpu, 1),
        "browser_cpu_s": round(browser_cpu, 1),
        "cpus": os.cpu_count(),
        "server_rss_max_sampled_mb": round(max(memory_samples), 1) if memory_samples else None,
        "navigations": navigations,
        "sign_ins": sign_ins,
    }


def _round(value):
    return None if value is None else round(value, 3)


def load(
    database: str,
    audit_database: str,
    log_dir: Path,
    users: int,
    roles: list[str],
    views_by_role: dict,
    params_by_page: dict,
    budget_seconds: float,
    log=print,
    charts: bool = True,
) -> dict:
    """A fresh server (cold caches), then `users` simultaneous sessions (`charts=False`: the
    browsers skip Plotly, so what is left is mostly the server's time)."""
    name = f"server-load-{users}{'' if charts else '-no-charts'}.log"
    with running_server(database, audit_database, log_dir / name) as server:
        result = asyncio.run(
            _load(server.url, server, users, roles, views_by_role, params_by_page, budget_seconds, log, charts, log_dir)
        )
        result["server_memory"] = server.memory()
    log(
        f"    {users} users{'' if charts else ' (charts not drawn)'}: "
        f"{result['navigations_done']}/{result['navigations_expected']} pages opened in {result['wall_seconds']} s; "
        f"to content p50 {result['to_content_p50_s']} s, p95 {result['to_content_p95_s']} s; "
        f"sign-in p50 {result['sign_in_p50_s']} s; errors {len(result['errors'])}; "
        f"server peak RSS {result['server_memory']['peak_rss_mb']} MB; CPU: server {result['server_cpu_s']} s, "
        f"Chromium {result['browser_cpu_s']} s"
    )
    return result


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None
