"""What a worker's browser downloads and waits for: a typical TextCollection
task and a typical NER task in Chromium (Playwright, Debian's /usr/bin/chromium).

    .venv/bin/python bench/bench_pages.py

The server runs as `make serve` runs it (gunicorn, DEBUG off, WhiteNoise with
compressed hashed files, gzip for HTML) on a throwaway PostgreSQL database.
Each round opens a task in a fresh browser context, nothing cached (as in the
Label Studio figures of issue 7), then the next task in the same context, as a
worker's next page (static files have hashed names and are served immutable,
so they come from the cache). Prints medians of RUNS rounds:
- bytes transferred (encoded body + headers, as on the wire) for HTML, JS, CSS
  and the rest, and the request count;
- time until interactive, from navigation start: for TextCollection the end of
  DOMContentLoaded (deferred scripts, htmx and textcollection.js have run and
  bound their handlers); for NER the moment ner.js marks the page ready
  (data-ner-ready-at), falling back to DOMContentLoaded.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import clients, servers

DB = "labelform_bench_pages"
RUNS = 7
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TARGET_TOTAL_KB = 120
TARGET_JS_KB = 60
TARGET_INTERACTIVE_MS = 200
NER_PARAMS = {
    "labels": [
        {"name": "person", "display_name": "Person"},
        {"name": "org", "display_name": "Organisation", "children": [{"name": "company"}]},
        {"name": "place", "display_name": "Place"},
    ],
    "relationships": [
        {
            "name": "works_at",
            "display_name": "works at",
            "source_label": "person",
            "target_label": "org",
        }
    ],
}
INSTRUCTION = "Read the text and **label** every person, organisation and place."


def ner_document() -> tuple[str, dict]:
    """About 2,000 characters with 30 pre-labelled spans: a typical news item."""
    sentence = "Ada Lovelace met Charles Babbage in London to discuss the Analytical Engine. "
    text = sentence * 26
    annotations = []
    pos = 0
    for i in range(30):
        start = text.index("Ada Lovelace", pos) if i % 2 == 0 else text.index("London", pos)
        end = start + (12 if i % 2 == 0 else 6)
        label = "person" if i % 2 == 0 else "place"
        annotations.append({"id": f"s{i}", "start": start, "end": end, "label": label})
        pos = end
    return text, {"annotations": annotations}


def make_tasks(fx: dict) -> dict[str, object]:
    from labeling import queue
    from labeling.models import Project
    from labeling.services import create_task

    news = Project.objects.create(
        account=fx["account"], name="news", type="namedentityrecognition", params=NER_PARAMS
    )
    news.workers.add(fx["sessions"][0][0])
    text, hypothesis = ner_document()
    tasks = {}
    for _ in range(RUNS + 1):
        tc = create_task(
            account=fx["account"],
            type_name="textcollection",
            payload={"project": fx["project"], "instruction": INSTRUCTION, **clients.TC_PARAMS},
        )
        ner = create_task(
            account=fx["account"],
            type_name="namedentityrecognition",
            payload={"project": "news", "instruction": INSTRUCTION, "text": text,
                     "hypothesis": hypothesis},
        )  # fmt: skip
        tasks.setdefault("textcollection", []).append(tc)
        tasks.setdefault("ner", []).append(ner)
    return tasks, queue


def new_context(browser, base: str, cookie: str):
    context = browser.new_context(base_url=base)
    context.add_cookies([{"name": "sessionid", "value": cookie, "url": base}])
    return context


def load(context, path: str, ready_selector: str | None) -> dict:
    """Open `path` in a new tab of `context`; sizes, request count and timings."""
    page = context.new_page()
    sizes: dict[str, int] = defaultdict(int)
    count = [0]
    errors: list[str] = []

    def finished(request) -> None:
        count[0] += 1
        size = request.sizes()
        kind = {"document": "html", "script": "js", "stylesheet": "css"}.get(
            request.resource_type, "other"
        )
        sizes[kind] += size["responseBodySize"] + size["responseHeadersSize"]

    page.on("requestfinished", finished)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    console: list[str] = []
    page.on("console", lambda msg: console.append(msg.text))
    page.on("response", lambda r: r.status >= 400 and console.append(f"{r.status} {r.url}"))
    page.goto(path, wait_until="load")
    ready = None
    if ready_selector:
        try:
            root = page.wait_for_selector(ready_selector, state="attached", timeout=30_000)
        except Exception:
            raise SystemExit(
                f"{path}: never ready; page errors: {errors}; console: {console}"
            ) from None
        at = root.get_attribute("data-ner-ready-at")
        ready = float(at) if at else None
    timing = json.loads(
        page.evaluate("() => JSON.stringify(performance.getEntriesByType('navigation')[0])")
    )
    if os.environ.get("BENCH_VERBOSE"):
        entries = page.evaluate(
            "() => performance.getEntriesByType('resource').map(e => "
            "[e.name.split('/').pop(), e.startTime.toFixed(1), e.responseEnd.toFixed(1)])"
        )
        print(f"    {path}: navigation {timing['responseEnd']:.1f}", entries)
    page.close()
    if errors:
        raise SystemExit(f"page errors on {path}: {errors}")
    return {
        "sizes": dict(sizes),
        "requests": count[0],
        "interactive": ready if ready is not None else timing["domContentLoadedEventEnd"],
        "dcl": timing["domContentLoadedEventEnd"],
        "load": timing["loadEventEnd"],
        "ttfb": timing["responseStart"],
    }


def warm_up(port: int, cookie: str, path: str) -> None:
    """Every gunicorn worker loads code and compiles templates on its first
    requests: send enough requests that each worker has served a few."""
    http = clients.Http(port, {"Cookie": f"sessionid={cookie}"})
    for _ in range(8 * ((os.cpu_count() or 1) * 2 + 1)):
        status, _h, _body, _t = http.request("GET", path)
        assert status == 200, status
        http.close()  # a new connection each time, so the requests spread over the workers
        http = clients.Http(port, {"Cookie": f"sessionid={cookie}"})


def main() -> int:
    if not servers.postgres_available():
        print(f"skipped: no PostgreSQL at {servers.PG_SERVER} (set BENCH_PG_SERVER)")
        return 0
    if not os.path.exists(CHROMIUM):
        print(f"skipped: {CHROMIUM} is missing (`make chromium` installs it)")
        return 0
    from playwright.sync_api import sync_playwright

    with servers.bench_database(DB) as url:
        servers.setup_django(url)
        servers.prepare(url)
        fx = clients.setup_fixtures(workers=1)
        tasks, queue = make_tasks(fx)
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.get(pk=fx["sessions"][0][0])
        for group in tasks.values():
            for task in group:
                assert queue.take_lease(task=task, user=user)
        cookie = fx["sessions"][0][1]
        port = servers.free_port()
        base = f"http://127.0.0.1:{port}"
        results: dict[str, list[dict]] = defaultdict(list)
        with servers.Processes() as procs:
            procs.gunicorn(url, port, workers=2 * (os.cpu_count() or 1) + 1)
            with sync_playwright() as pw:
                browser = pw.chromium.launch(
                    executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
                )
                for name, group in tasks.items():
                    selector = "[data-ner][data-ner-ready]" if name == "ner" else None
                    warm_up(port, cookie, f"/label/{group[0].task_id}/")
                    for i in range(RUNS + 1):
                        # A fresh context: nothing cached (the first page of the
                        # day); then the next task in the same context, where
                        # the hashed, immutable static files come from the cache.
                        context = new_context(browser, base, cookie)
                        cold = load(context, f"/label/{group[i].task_id}/", selector)
                        nxt = group[(i + 1) % len(group)]
                        warm = load(context, f"/label/{nxt.task_id}/", selector)
                        context.close()
                        if i:  # the first round is a warm-up
                            results[name].append(cold)
                            results[name + " (cached)"].append(warm)
                browser.close()
    print(
        f"pages in Chromium: median of {RUNS} loads; cold = fresh context, nothing cached; "
        "cached = the next task in the same context"
    )
    for name, runs in results.items():
        kb = {
            kind: statistics.median(r["sizes"].get(kind, 0) for r in runs) / 1024
            for kind in ("html", "js", "css", "other")
        }
        total = sum(kb.values())
        requests = statistics.median(r["requests"] for r in runs)
        interactive = statistics.median(r["interactive"] for r in runs)
        print(
            f"  {name:<15} {total:6.1f} KB total (HTML {kb['html']:.1f}, JS {kb['js']:.1f}, "
            f"CSS {kb['css']:.1f}, other {kb['other']:.1f}) in {requests:.0f} requests"
        )
        print(
            f"  {'':<15} interactive {interactive:6.1f} ms  (first byte "
            f"{statistics.median(r['ttfb'] for r in runs):.1f}, DOMContentLoaded "
            f"{statistics.median(r['dcl'] for r in runs):.1f}, load "
            f"{statistics.median(r['load'] for r in runs):.1f} ms)"
        )
        ok_bytes = total <= TARGET_TOTAL_KB and kb["js"] <= TARGET_JS_KB
        ok_time = interactive <= TARGET_INTERACTIVE_MS
        print(
            f"  {'':<15} targets: <= {TARGET_TOTAL_KB} KB total, <= {TARGET_JS_KB} KB JS: "
            f"{'ok' if ok_bytes else 'missed'}; interactive <= {TARGET_INTERACTIVE_MS} ms: "
            f"{'ok' if ok_time else 'missed'}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
