"""One worker's submit-and-next, in process: milliseconds and SQL statements
per submit on PostgreSQL, without HTTP or other clients in the way.

    .venv/bin/python bench/bench_submit.py            # figures
    .venv/bin/python bench/bench_submit.py --sql      # also the SQL of one submit
    .venv/bin/python bench/bench_submit.py --profile  # also a cProfile of 50 submits

The request is the one bench_load.py times under load: a logged-in worker
POSTs the labeling form of a typical TextCollection task (five fields, a
callback_url, CSRF cookie + header) and the server saves the response, a
revision and a callback delivery, enqueues the delivery job and claims the
worker's next task (302 to it). Django's test Client drives the real
middleware stack; the database is a throwaway (labelform_bench_submit)."""

from __future__ import annotations

import cProfile
import pstats
import secrets
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import clients, servers

DB = "labelform_bench_submit"
SUBMITS = 200
WARM_UP = 10
PROFILED = 50


def main() -> int:
    if not servers.postgres_available():
        print(f"skipped: no PostgreSQL at {servers.PG_SERVER} (set BENCH_PG_SERVER)")
        return 0
    with servers.bench_database(DB) as url:
        servers.setup_django(url)
        servers.prepare(url)
        run(show_sql="--sql" in sys.argv, profile="--profile" in sys.argv)
    return 0


def run(*, show_sql: bool, profile: bool) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from labeling.services import create_task

    fx = clients.setup_fixtures(workers=1)
    body = clients.create_task_body(fx["project"], "http://127.0.0.1:9/callback")
    import json

    payload = json.loads(body)
    total = WARM_UP + SUBMITS + (PROFILED if profile else 0) + 2
    for _ in range(total):
        create_task(account=fx["account"], type_name="textcollection", payload=payload)

    csrf = secrets.token_hex(16)
    client = Client(enforce_csrf_checks=True)
    client.cookies["sessionid"] = fx["sessions"][0][1]
    client.cookies["csrftoken"] = csrf
    response = client.post("/queue/next/", HTTP_X_CSRFTOKEN=csrf)
    current = clients.task_from_location(response.status_code, response.headers)

    def submit() -> None:
        nonlocal current
        assert current is not None, "the queue ran dry"
        response = client.post(f"/label/{current}/", clients.TC_ANSWERS, HTTP_X_CSRFTOKEN=csrf)
        assert response.status_code == 302, response.content[:300]
        current = clients.task_from_location(response.status_code, response.headers)

    for _ in range(WARM_UP):
        submit()
    times, queries = [], []
    for _ in range(SUBMITS):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            submit()
            times.append(time.perf_counter() - start)
        queries.append(len(ctx.captured_queries))
    print(
        f"submit-and-next in process (PostgreSQL, test Client): "
        f"median {servers.median(times) * 1000:.2f} ms, "
        f"p90 {servers.percentile(times, 90) * 1000:.2f} ms over {SUBMITS} submits; "
        f"{servers.median(queries):.0f} SQL statements per submit"
    )
    if show_sql:
        with CaptureQueriesContext(connection) as ctx:
            submit()
        for i, q in enumerate(ctx.captured_queries, 1):
            print(f"  {i:2}. {q['sql'][:300]}")
    if profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(PROFILED):
            submit()
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)


if __name__ == "__main__":
    sys.exit(main())
