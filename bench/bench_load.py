"""Throughput under load: task creations/s and submissions/s with p50/p99
latency at 1, 8 and 32 concurrent clients, against gunicorn + PostgreSQL
started the way `make serve` starts them; beside it, the same task rows
written straight through psycopg in one process.

    .venv/bin/python bench/bench_load.py

The load generator is this process (threads, one keep-alive http.client
connection each); the server is gunicorn with 2 x CPU + 1 sync workers plus
one db_worker delivering callbacks to a local receiver, on a throwaway
database (labelform_bench_load, dropped afterwards).

What is measured:
- creation: POST /v1/task/textcollection with an API key (a typical task: one
  markdown attachment, five fields, a callback_url), as the scaleapi client does.
- submission: a logged-in worker POSTs the labeling form (/label/<id>/, what
  the browser sends, CSRF included); the server validates it, saves the
  response and a revision, enqueues the callback and claims the worker's next
  task, answering with a redirect to it. Workers have no submission API, so
  this is the real path; the GET of the page in between is measured by
  bench_textcollection.py and bench_pages.py, not here.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import clients, servers

DB = "labelform_bench_load"
LEVELS = (1, 8, 32)
# Requests per level (after a short warm-up): enough for a stable p99 while
# keeping the whole bench well under three minutes on two cores.
CREATIONS = {1: 200, 8: 800, 32: 1000}
SUBMISSIONS = {1: 200, 8: 800, 32: 900}
# ... or this many seconds per level, whichever comes first (a loaded machine).
LEVEL_SECONDS = 12
RAW_ROWS = 1000
TARGET_RATE = 300  # per second at 8 clients (issue 7)
TARGET_P99_MS = 150


def run_level(clients_n: int, total: int, make_worker) -> tuple[float, list[float]]:
    """Run `total` operations over `clients_n` threads; (ops/s, latencies in s)."""
    lock = threading.Lock()
    remaining = [total]
    latencies: list[float] = []
    errors: list[BaseException] = []
    ready = threading.Barrier(clients_n + 1)

    deadline = [float("inf")]

    def take() -> bool:
        with lock:
            if remaining[0] <= 0 or time.perf_counter() > deadline[0]:
                return False
            remaining[0] -= 1
            return True

    def thread(index: int) -> None:
        try:
            op = make_worker(index)
            ready.wait()
            mine = []
            while take():
                seconds = op()
                if seconds is None:  # nothing left to do (queue empty)
                    break
                mine.append(seconds)
            with lock:
                latencies.extend(mine)
        except BaseException as exc:  # reported after the run
            errors.append(exc)
            ready.abort()

    threads = [threading.Thread(target=thread, args=(i,)) for i in range(clients_n)]
    for t in threads:
        t.start()
    ready.wait()
    start = time.perf_counter()
    deadline[0] = start + LEVEL_SECONDS
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    if errors:
        raise errors[0]
    return len(latencies) / wall, latencies


def creations(port: int, fx: dict, receiver_url: str) -> dict[int, tuple[float, list[float]]]:
    body = clients.create_task_body(fx["project"], receiver_url)
    results = {}
    for n in LEVELS:

        def make_worker(index: int):
            http = clients.api_http(port, fx["api_key"])
            for _ in range(3):  # warm-up: connection, worker process caches
                status, _h, data, _t = http.request("POST", "/v1/task/textcollection", body)
                assert status == 200, data[:300]

            def op() -> float:
                status, _h, data, seconds = http.request("POST", "/v1/task/textcollection", body)
                if status != 200:
                    raise RuntimeError(f"create: HTTP {status}: {data[:300]!r}")
                return seconds

            return op

        results[n] = run_level(n, CREATIONS[n], make_worker)
    return results


def submissions(port: int, fx: dict) -> dict[int, tuple[float, list[float]]]:
    results = {}
    for n in LEVELS:

        def make_worker(index: int):
            session = clients.WorkerSession(port, fx["sessions"][index][1])
            current = [session.claim()]

            def op() -> float | None:
                if current[0] is None:
                    return None
                current[0], seconds = session.submit(current[0])
                return seconds

            return op

        results[n] = run_level(n, SUBMISSIONS[n], make_worker)
    return results


def raw_psycopg(database_url: str) -> tuple[float, float]:
    """Insert copies of a created task row: one transaction per row (as the API
    commits each task), then all rows in one transaction; rows/s for each."""
    import secrets

    import psycopg
    from psycopg.rows import dict_row
    from psycopg.types.json import Jsonb

    with psycopg.connect(database_url, row_factory=dict_row) as conn:
        row = conn.execute("SELECT * FROM labeling_task ORDER BY id LIMIT 1").fetchone()
        conn.commit()
    columns = [c for c in row if c != "id"]
    sql = (
        f"INSERT INTO labeling_task ({', '.join(columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )

    def values() -> list:
        out = []
        for c in columns:
            v = row[c]
            if c == "task_id":
                v = secrets.token_hex(12)
            elif c == "unique_id":
                v = None
            elif isinstance(v, (dict, list)):
                v = Jsonb(v)
            out.append(v)
        return out

    rates = []
    with psycopg.connect(database_url, autocommit=True) as conn:
        start = time.perf_counter()
        for _ in range(RAW_ROWS):
            conn.execute(sql, values())  # autocommit: one transaction per row
        rates.append(RAW_ROWS / (time.perf_counter() - start))
    with psycopg.connect(database_url) as conn:
        start = time.perf_counter()
        with conn.cursor() as cur:
            cur.executemany(sql, [values() for _ in range(RAW_ROWS)])
        conn.commit()
        rates.append(RAW_ROWS / (time.perf_counter() - start))
    return rates[0], rates[1]


def report(name: str, results: dict[int, tuple[float, list[float]]]) -> None:
    for n, (rate, lat) in results.items():
        p50 = servers.median(lat) * 1000
        p99 = servers.percentile(lat, 99) * 1000
        note = ""
        if n == 8:
            ok = rate >= TARGET_RATE and p99 <= TARGET_P99_MS
            note = f"   target >= {TARGET_RATE}/s, p99 <= {TARGET_P99_MS} ms: {'ok' if ok else 'missed'}"
        print(
            f"  {name:<12} {n:>3} clients {rate:8.1f}/s   p50 {p50:7.1f} ms   p99 {p99:7.1f} ms{note}"
        )


def main() -> int:
    if not servers.postgres_available():
        print(f"skipped: no PostgreSQL at {servers.PG_SERVER} (set BENCH_PG_SERVER)")
        return 0
    workers = 2 * (os.cpu_count() or 1) + 1
    with servers.bench_database(DB) as url:
        servers.setup_django(url)
        servers.prepare(url)
        fx = clients.setup_fixtures(workers=max(LEVELS))
        port = servers.free_port()
        with servers.CallbackReceiver() as receiver, servers.Processes() as procs:
            procs.gunicorn(url, port, workers)
            procs.db_worker(url)
            print(
                f"load: gunicorn {workers} sync workers + 1 db_worker, PostgreSQL, "
                f"load generator in another process (threads, keep-alive)"
            )
            created = creations(port, fx, receiver.url)
            report("creations", created)
            submitted = submissions(port, fx)
            report("submissions", submitted)
            callbacks = len(set(receiver.received))
        per_row, batched = raw_psycopg(url)
        print(f"  raw psycopg, one process: {per_row:8.1f} tasks/s one transaction per row, "
              f"{batched:8.1f} tasks/s in one transaction")  # fmt: skip
        rate8 = created[8][0]
        print(
            f"  creations at 8 clients = {rate8 / per_row:.2f} of the raw per-row rate "
            f"(target >= 0.33), {rate8 / batched:.2f} of the batched rate"
        )
        print(f"  callbacks received during the run: {callbacks} distinct tasks")
    return 0


if __name__ == "__main__":
    sys.exit(main())
