"""Page readiness (issue 14): the overview and Annex 2 pages, ready in the browser, against the JSON API
calls that fetch the same data, on one server, interleaved sample by sample. Usage (from the repository
root, PostgreSQL with trust auth on 127.0.0.1:5432, Debian's Chromium at /usr/bin/chromium):

    python -m bench.pages --events 1000000 [--samples 20 --warm-up 3 --as-of 2023-12-22] [--keep]
    python -m bench.pages --reuse                 # the district kept by an earlier --keep run

* The district: bench/district.py's synthetic one (``populate``), ``VACUUM ANALYZE``, every read model
  caught up (``services.catch_up``) before the server starts; an office account (区安委办, the district
  roll-up) is added through the authenticator, as ``hazard-ledger users add`` does.
* The server: ``uvicorn --factory api.app:app_from_env``, one process, ``HAZARD_IN_PROCESS_WORKERS=0`` (the
  read side is caught up and runs elsewhere, as in compose), on a free port.
* Contender A, the page: Playwright driving headless Chromium, logged in once through /ui/login. Each
  sample navigates to the page and times, in the browser, from navigation start (``performance.now()``'s
  origin) to ready: the overview when every chart container has ``data-ready="true"`` (a
  MutationObserver installed before the page's scripts notes the instant), Annex 2 at its load event's
  end (navigation timing). The navigation timing's response start and end and DOMContentLoaded are
  kept to split the server's part from the browser's.
* Contender B, the API: the JSON calls that read the same data (``OVERVIEW_API``, ``ANNEX2_API``), one
  after another on one keep-alive httpx client with a bearer token; a sample is their summed time.
* Contender C (``--html``, diagnosis only): the page's HTML fetched by httpx with the browser's session cookie.
* Contender S, Annex 2 only: the page's own in-place change (htmx): on the page just loaded, the cut-off form
  is submitted and times, in the browser, from the submit to the new form swapped in and laid out (the
  ``htmx:afterSwap`` event, then a forced layout of the table) — what a reader waits for when choosing
  another unit or cut-off, with no new page (stylesheet and scripts stay).
* Contender F: the same API calls made by ``fetch`` inside the browser (bearer token, each response's JSON
  decoded): what a page built in the browser from the API would wait for before drawing anything.
* Contender N: a navigation to a page of a hundred bytes (``/api/v1/health``) in the same browser: the
  browser's own fixed cost of any new page, which no server-side change can remove.

The server's tokens last 600 minutes (``HAZARD_TOKEN_MINUTES``) so that no sample pays a refresh.

``--parts`` (diagnosis): where the browser's time goes on Annex 2 — the page's own HTML, then the same HTML
with its table's body emptied, then a blank document, each handed to the browser from memory (Playwright's
route fulfilment: no server time) and timed from the response's end to the load event and to the first paint.

Contenders alternate sample by sample (A B [C] A B [C] …) after ``--warm-up`` rounds; medians and p90.
Prints Markdown rows for bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import psycopg

from app.settings import Settings
from app.wiring import Services, build
from bench.district import populate
from bench.pipelines import SERVER, Server, create_db, drop_db, machine
from bench.run import percentile

CHROMIUM = Path(os.environ.get("HAZARD_CHROMIUM", "/usr/bin/chromium"))
USER, PASSWORD = "bench-office", "bench-office-pages-2026"
DEFAULT_AS_OF = "2023-12-22"  # the campaign's last Annex 2 cut-off (the 5th, 12th, 22nd); the district spans May–Dec 2023

# The API calls that fetch what each page shows (bench/RESULTS.md, session 6, explains the mapping).
OVERVIEW_API = [
    "/api/v1/kpis?as_of={as_of}",  # the three KPI cards and their monthly trends (the charts)
    "/api/v1/hazards?limit=1",  # the hazard figures: the list's count over the same scope (the page's tally)
    # the units under warning: one page; every warning is computed for it, as for the page's one read of all
    # (the other pages of a list longer than 1,000 would compute them again: not counted, see RESULTS.md)
    "/api/v1/warnings?as_of={as_of}&limit=1000",
]
ANNEX2_API = ["/api/v1/reports/annex2?as_of={as_of}"]

# Installed before any of the page's scripts: notes when every chart container is drawn.
READY_OBSERVER = """
(() => {
  const check = () => {
    if (window.__chartsReadyAt !== undefined) return;
    const charts = document.querySelectorAll("[data-kpi]");
    if (charts.length && [...charts].every((c) => c.dataset.ready === "true")) {
      window.__chartsReadyAt = performance.now();
    }
  };
  new MutationObserver(check).observe(document, {subtree: true, attributes: true, attributeFilter: ["data-ready"]});
})();
"""
# The in-place change of Annex 2's cut-off form (web/templates/annexes/form.html): submit → swapped → laid out.
SWAP = """async () => {
  const form = document.querySelector("form.filters");
  const swapped = new Promise((resolve) => form.addEventListener("htmx:afterSwap", resolve, {once: true}));
  const started = performance.now();
  htmx.trigger(form, "submit");
  await swapped;
  document.querySelector("#annex table.form").getBoundingClientRect();  // forces style and layout
  return performance.now() - started;
}"""
FETCH = """async ([calls, token]) => {
  const each = [];
  for (const call of calls) {
    const started = performance.now();
    const r = await fetch(call, {headers: {Authorization: "Bearer " + token}});
    if (!r.ok) throw new Error(call + ": " + r.status);
    await r.json();
    each.push(performance.now() - started);
  }
  return each;
}"""
BLANK = "/api/v1/health"
NAVIGATION = """() => {
  const n = performance.getEntriesByType("navigation")[0];
  return {responseStart: n.responseStart, responseEnd: n.responseEnd, dcl: n.domContentLoadedEventEnd,
          load: n.loadEventEnd, charts: window.__chartsReadyAt ?? null};
}"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def loadavg() -> float:
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


# ------------------------------------------------------------------------------------------ district


def prepare(url: str, events: int, reuse: bool) -> dict[str, float]:
    """Fills (unless ``reuse``) and catches up the district; adds the office account. Returns timings."""
    timings: dict[str, float] = {}
    services = build(Settings(db_url=url))
    try:
        if not reuse:
            started = time.perf_counter()
            timings["events"] = populate(services.ledger, events)
            timings["populate_s"] = time.perf_counter() - started
        started = time.perf_counter()
        timings["caught_up"] = services.catch_up()
        timings["catch_up_s"] = time.perf_counter() - started
        if not reuse:
            started = time.perf_counter()
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute("VACUUM ANALYZE")  # a ledger in service has long been vacuumed and analysed
            timings["vacuum_s"] = time.perf_counter() - started
        if services.auth.store.user(USER) is None:
            services.auth.add_user(USER, "基准主任", "committee_office", "ajb", "committee_office", "区安委办", PASSWORD, "bench")
        describe(services)
    finally:
        services.close()
    return timings


def describe(services: Services) -> None:
    records = services.read_models.records.tables()
    with services.engine.connect() as conn:
        events = conn.exec_driver_sql("SELECT max(notification_id) FROM hazardledger_events").scalar()
        hazards = conn.exec_driver_sql(f'SELECT count(*) FROM "{records["hazards"].name}"').scalar()
    print(f"district: {events:,} events, {hazards:,} hazard rows (read models caught up)")


# ---------------------------------------------------------------------------------------- contenders


def api_token(base: str) -> str:
    r = httpx.post(base + "/api/v1/auth/token", data={"username": USER, "password": PASSWORD}, timeout=30)
    r.raise_for_status()
    return str(r.json()["access_token"])


def api_sample(client: httpx.Client, calls: list[str], as_of: str) -> tuple[float, list[float]]:
    """The calls one after another; their summed time (ms) and each one's."""
    each = []
    for call in calls:
        started = time.perf_counter()
        r = client.get(call.format(as_of=as_of))
        r.raise_for_status()
        r.json()
        each.append((time.perf_counter() - started) * 1000)
    return sum(each), each


def page_sample(page: Any, url: str, charts: bool) -> dict[str, float]:
    """One navigation; the browser's own timings (ms from navigation start)."""
    page.goto(url, wait_until="load")
    if "/ui/login" in page.url:
        raise RuntimeError(f"{url}: sent to the log-in page")
    if charts:
        page.wait_for_function("() => window.__chartsReadyAt !== undefined", timeout=60_000)
    t = page.evaluate(NAVIGATION)
    t["ready"] = t["charts"] if charts else t["load"]
    return t


def html_sample(client: httpx.Client, url: str) -> float:
    started = time.perf_counter()
    r = client.get(url)
    r.raise_for_status()
    return (time.perf_counter() - started) * 1000


def summary(xs: list[float]) -> str:
    return f"{statistics.median(xs):.1f} | {percentile(xs, 90):.1f}"


def blank_sample(page: Any) -> float:
    page.goto(BLANK, wait_until="load")
    return float(page.evaluate(NAVIGATION)["load"])


def measure(
    name: str, page: Any, api: httpx.Client, html: httpx.Client | None, page_url: str, calls: list[str], as_of: str,
    charts: bool, samples: int, warm_up: int, token: str, swap: bool,
) -> dict[str, Any]:  # fmt: skip
    urls = [call.format(as_of=as_of) for call in calls]
    contenders: dict[str, Callable[[], Any]] = {"page": lambda: page_sample(page, page_url, charts)}
    if swap:  # on the page the sample above has just loaded
        contenders["swap"] = lambda: float(page.evaluate(SWAP))
    contenders["api"] = lambda: api_sample(api, calls, as_of)
    contenders["fetch"] = lambda: sum(page.evaluate(FETCH, [urls, token]))
    contenders["blank"] = lambda: blank_sample(page)
    if html is not None:
        contenders["html"] = lambda: html_sample(html, page_url)
    got: dict[str, list[Any]] = {n: [] for n in contenders}
    loads = []
    for i in range(warm_up + samples):
        for n, fn in contenders.items():  # A B C A B C …
            result = fn()
            if i >= warm_up:
                got[n].append(result)
        loads.append(loadavg())
        if i >= warm_up:
            p, (a, each) = got["page"][-1], got["api"][-1]
            calls_ms = " + ".join(f"{x:.1f}" for x in each)
            h = f" | html {got['html'][-1]:6.1f} ms" if html is not None else ""
            w = f" | swap {got['swap'][-1]:6.1f} ms" if swap else ""
            print(f"  {name} {i - warm_up + 1:2d}: page ready {p['ready']:7.1f} ms "
                  f"(response start {p['responseStart']:6.1f}){w} | "
                  f"api {a:6.1f} ms ({calls_ms}) | fetch {got['fetch'][-1]:6.1f} | blank page {got['blank'][-1]:5.1f}{h} | "
                  f"load {loads[-1]:.2f}")  # fmt: skip
    ready = [p["ready"] for p in got["page"]]
    api_sum = [a for a, _ in got["api"]]
    result = {
        "ready": ready, "api": api_sum, "html": got.get("html", []), "loads": loads, "swap": got.get("swap", []),
        "fetch": got["fetch"], "blank": got["blank"],
        "responseStart": [p["responseStart"] for p in got["page"]], "responseEnd": [p["responseEnd"] for p in got["page"]],
        "dcl": [p["dcl"] for p in got["page"]], "load": [p["load"] for p in got["page"]],
        "calls": [[each[k] for _, each in got["api"]] for k in range(len(calls))],
    }  # fmt: skip
    result["ratio"] = statistics.median(ready) / statistics.median(api_sum)
    result["fetch_ratio"] = statistics.median(ready) / statistics.median(got["fetch"])
    if swap:
        result["swap_ratio"] = statistics.median(got["swap"]) / statistics.median(api_sum)
    # each page sample over the API sample next to it: steadier than the ratio of medians when the load drifts
    result["pair_ratio"] = statistics.median(p / a for p, a in zip(ready, api_sum, strict=True))
    return result


def report(name: str, r: dict[str, Any], calls: list[str], samples: int) -> None:
    print(f"\n### {name}: {samples} interleaved samples each, load average {min(r['loads']):.2f}–{max(r['loads']):.2f}")
    print("| what | median (ms) | p90 (ms) |")
    print("|---|---|---|")
    print(f"| **A: page ready in the browser** (navigation start → ready) | {summary(r['ready'])} |")
    print(f"| of which: response start (server's HTML, first byte) | {summary(r['responseStart'])} |")
    print(f"| of which: response end | {summary(r['responseEnd'])} |")
    print(f"| of which: DOMContentLoaded end | {summary(r['dcl'])} |")
    print(f"| of which: load event end | {summary(r['load'])} |")
    print(f"| **B: the API calls, summed** | {summary(r['api'])} |")
    for call, xs in zip(calls, r["calls"], strict=True):
        print(f"| of which: `GET {call}` | {summary(xs)} |")
    print(f"| F: the same calls by `fetch` in the browser, summed | {summary(r['fetch'])} |")
    print(f"| N: a new page of 100 bytes (`{BLANK}`), navigation start → load | {summary(r['blank'])} |")
    if r["html"]:
        print(f"| C: the page's HTML alone (httpx, session cookie) | {summary(r['html'])} |")
    if r["swap"]:
        print(f"| **S: the form changed in place (htmx), submit → swapped and laid out** | {summary(r['swap'])} |")

    def verdict(x: float) -> str:
        return "met" if x <= 1.5 else "**not met**"

    print(f"| **ratio A / B (medians)** | **{r['ratio']:.2f}×** (goal ≤ 1.5×: {verdict(r['ratio'])}) | |")
    print(f"| ratio of each A to its B (median of the {samples} pairs) | {r['pair_ratio']:.2f}× | |")
    print(f"| ratio A / F | {r['fetch_ratio']:.2f}× ({verdict(r['fetch_ratio'])}) | |")
    if r["swap"]:
        print(f"| **ratio S / B** | **{r['swap_ratio']:.2f}×** ({verdict(r['swap_ratio'])}) | |")


PARTS = """() => {
  const n = performance.getEntriesByType("navigation")[0];
  const paint = performance.getEntriesByName("first-contentful-paint")[0];
  return {parse: n.domContentLoadedEventStart - n.responseEnd, load: n.loadEventEnd - n.responseEnd,
          paint: paint ? paint.startTime - n.responseEnd : null};
}"""


def parts(page: Any, page_url: str, samples: int) -> None:
    """The browser's part of Annex 2, taken apart: the page, the page without its table's rows, that without
    its stylesheet and script, a blank page."""
    html = page.request.get(page_url).text()
    table_body = html[html.index("<tbody>") : html.index("</tbody>")]
    emptied = html.replace(table_body, "<tbody>")
    head_links = [line for line in emptied.splitlines() if 'rel="stylesheet"' in line or "htmx.min.js" in line]
    documents = {
        "the page (Annex 2's HTML)": html,
        "the same page, its table's body emptied": emptied,
        "… and without its stylesheet and htmx": "\n".join(x for x in emptied.splitlines() if x not in head_links),
        "a blank document": "<!doctype html><html><head><title>x</title></head><body>x</body></html>",
    }
    served: dict[str, str] = {}
    page.route("**/ui/bench-part*", lambda route: route.fulfill(status=200, content_type="text/html; charset=utf-8",
                                                                 body=served["html"]))  # fmt: skip
    got: dict[str, list[dict[str, float]]] = {name: [] for name in documents}
    for i in range(samples):
        for name, document in documents.items():  # interleaved
            served["html"] = document
            page.goto(f"/ui/bench-part?{i}", wait_until="load")
            page.wait_for_function("() => performance.getEntriesByName('first-contentful-paint').length > 0")
            got[name].append(page.evaluate(PARTS))
    page.unroute("**/ui/bench-part*")
    print(f"\n### The browser's part of Annex 2 ({samples} interleaved samples, from the response's end, ms)")
    print("| document | bytes | parsed (DOMContentLoaded start) | load event end | first paint |")
    print("|---|---|---|---|---|")
    for name, document in documents.items():
        m = {k: statistics.median(x[k] for x in got[name]) for k in ("parse", "load", "paint")}
        print(f"| {name} | {len(document.encode()):,} | {m['parse']:.1f} | {m['load']:.1f} | {m['paint']:.1f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--db-name", default="hazard_bench_pages", help="scratch database (recreated unless --reuse)")
    parser.add_argument("--reuse", action="store_true", help="reuse a kept --db-name instead of refilling it")
    parser.add_argument("--keep", action="store_true", help="do not drop the database at the end")
    parser.add_argument("--samples", type=int, default=20)
    parser.add_argument("--warm-up", type=int, default=3)
    parser.add_argument("--as-of", default=DEFAULT_AS_OF, help="the cut-off the pages and calls ask for")
    parser.add_argument("--html", action="store_true", help="also time the page's HTML alone (contender C)")
    parser.add_argument("--only", choices=["overview", "annex2"], action="append", help="measure only these pages")
    parser.add_argument("--parts", action="store_true", help="also take the browser's part of Annex 2 apart")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr] — progress when piped to a file
    wanted = args.only or ["overview", "annex2"]
    print(machine(), time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()))
    url = f"{SERVER}/{args.db_name}" if args.reuse else create_db(args.db_name)
    server = None
    try:
        timings = prepare(url, args.events, args.reuse)
        print("prepared: " + ", ".join(f"{k} {v:,.1f}" for k, v in timings.items()))
        work = Path(tempfile.mkdtemp(prefix="bench-pages-"))
        # HAZARD_TOKEN_MINUTES: no token expires during the run (a refresh would land in one sample)
        env = {"HAZARD_DB_URL": url, "HAZARD_IN_PROCESS_WORKERS": "0", "HAZARD_ENV": "development",
               "HAZARD_TOKEN_KEY_FILE": str(work / "token-key"), "HAZARD_LOG_KEY_FILE": str(work / "log-key.pem"),
               "HAZARD_CHECKPOINT_DIR": str(work / "checkpoints"),
               "HAZARD_TOKEN_MINUTES": "600"}  # fmt: skip
        server = Server("pages", "api.app:app_from_env", free_port(), env)
        from playwright.sync_api import sync_playwright  # noqa: PLC0415 — a bench-only dependency (test extras)

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"])
            context = browser.new_context(base_url=server.base, viewport={"width": 1366, "height": 768}, locale="zh-CN")
            context.set_default_timeout(60_000)
            context.add_init_script(READY_OBSERVER)
            page = context.new_page()
            page.goto("/ui/login")
            page.get_by_label("用户名").fill(USER)
            page.get_by_label("密码").fill(PASSWORD)
            page.get_by_role("button", name="登录").click()
            page.wait_for_url("**/ui/")
            cookies = {c["name"]: c["value"] for c in context.cookies()}
            token = api_token(server.base)
            bearer = {"Authorization": f"Bearer {token}"}
            with (
                httpx.Client(base_url=server.base, headers=bearer, timeout=120) as api,
                httpx.Client(base_url=server.base, cookies=cookies, timeout=120) as html_client,
            ):
                html = html_client if args.html else None
                pages = {
                    "overview": ("Overview (/ui/overview)", f"/ui/overview?as_of={args.as_of}", OVERVIEW_API, True),
                    "annex2": ("Annex 2 (/ui/annexes/2)", f"/ui/annexes/2?unit=&as_of={args.as_of}", ANNEX2_API, False),
                }
                results = {}
                for key in wanted:
                    name, page_url, calls, charts = pages[key]
                    results[key] = measure(
                        name, page, api, html, page_url, calls, args.as_of, charts, args.samples, args.warm_up, token,
                        swap=key == "annex2",
                    )  # fmt: skip
                for key in wanted:
                    name, page_url, calls, _ = pages[key]
                    report(f"{name}, as_of {args.as_of}", results[key], calls, args.samples)
                if args.parts:
                    parts(page, pages["annex2"][1], args.samples)
            browser.close()
        print(f"\n{machine()}")
    finally:
        if server is not None:
            server.stop()
        if not args.keep:
            drop_db(args.db_name)


if __name__ == "__main__":
    main()
