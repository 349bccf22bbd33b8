"""Scale-out: two app servers and two callback workers on one PostgreSQL.

    .venv/bin/python bench/bench_scaleout.py

Starts two gunicorn processes (two sync workers each, separate ports, as two
machines behind a load balancer would be) and two db_worker processes on one
throwaway database (labelform_bench_scaleout), then:

1. creates TASKS tasks through the API, spread over both servers, each with a
   callback_url pointing at a receiver in this process;
2. lets WORKERS labelers work the queue at once, every request going to the
   other server than the last (round robin): claim, submit, and the server's
   redirect to the next claimed task, until the queue is empty;
3. waits for the callbacks.

It checks that no task was ever handed to two labelers, that every task was
submitted exactly once by the labeler who held it, and that every task's
callback arrived. Prints the figures; exits 1 if a check fails (a correctness
failure, not a slow machine).
"""

from __future__ import annotations

import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import clients, servers

DB = "labelform_bench_scaleout"
TASKS = 600
WORKERS = 12
CREATORS = 8
CALLBACK_WAIT_SECONDS = 120


def create_tasks(ports: list[int], api_key: str, project: str, callback_url: str) -> list[str]:
    body = clients.create_task_body(project, callback_url)
    ids: list[str] = []
    lock = threading.Lock()
    counter = iter(range(TASKS))

    def creator(index: int) -> None:
        conns = [clients.api_http(port, api_key) for port in ports]
        turn = index
        while True:
            with lock:
                if next(counter, None) is None:
                    return
            http = conns[turn % len(conns)]
            turn += 1
            status, _h, data, _t = http.request("POST", "/v1/task/textcollection", body)
            if status != 200:
                raise RuntimeError(f"create: HTTP {status}: {data[:300]!r}")
            task_id = data.split(b'"task_id": "', 1)[1].split(b'"', 1)[0].decode()
            with lock:
                ids.append(task_id)

    run_threads(creator, CREATORS)
    return ids


def label_all(ports: list[int], sessions: list[tuple[int, str]]) -> dict[int, list[str]]:
    """Every labeler works until the queue is empty; returns labeler -> tasks claimed."""
    claimed: dict[int, list[str]] = defaultdict(list)

    def labeler(index: int) -> None:
        conns = [clients.WorkerSession(port, sessions[index][1]) for port in ports]
        turn = index
        task_id = conns[turn % 2].claim()
        while task_id is not None:
            claimed[index].append(task_id)
            turn += 1
            task_id, _seconds = conns[turn % 2].submit(task_id)

    run_threads(labeler, len(sessions))
    return claimed


def run_threads(target, n: int) -> None:
    errors: list[BaseException] = []

    def wrapped(i: int) -> None:
        try:
            target(i)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=wrapped, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]


def main() -> int:
    if not servers.postgres_available():
        print(f"skipped: no PostgreSQL at {servers.PG_SERVER} (set BENCH_PG_SERVER)")
        return 0
    with servers.bench_database(DB) as url:
        servers.setup_django(url)
        servers.prepare(url)
        fx = clients.setup_fixtures(workers=WORKERS)
        ports = [servers.free_port(), servers.free_port()]
        with servers.CallbackReceiver() as receiver, servers.Processes() as procs:
            for port in ports:
                procs.gunicorn(url, port, workers=2)
            procs.db_worker(url)
            procs.db_worker(url)
            print(
                f"scale-out: 2 gunicorn x 2 workers + 2 db_workers on one PostgreSQL; "
                f"{TASKS} tasks, {WORKERS} labelers, round robin over both servers"
            )
            start = time.perf_counter()
            created = create_tasks(ports, fx["api_key"], fx["project"], receiver.url)
            create_s = time.perf_counter() - start
            start = time.perf_counter()
            claimed = label_all(ports, fx["sessions"])
            label_s = time.perf_counter() - start
            start = time.perf_counter()
            expected = set(created)
            while time.perf_counter() - start < CALLBACK_WAIT_SECONDS:
                with receiver.lock:
                    if expected <= set(receiver.received):
                        break
                time.sleep(0.2)
            callback_s = time.perf_counter() - start
            with receiver.lock:
                received = list(receiver.received)
        return check(fx, created, claimed, received, create_s, label_s, callback_s)


def check(fx, created, claimed, received, create_s, label_s, callback_s) -> int:
    from labeling.models import CallbackDelivery, ResponseRevision, Task

    problems = []
    holders: dict[str, set[int]] = defaultdict(set)
    for index, tasks in claimed.items():
        for task_id in tasks:
            holders[task_id].add(index)
    twice = [t for t, who in holders.items() if len(who) > 1]
    if twice:
        problems.append(f"{len(twice)} tasks handed to two labelers, e.g. {twice[:3]}")
    submitted = sum(len(t) for t in claimed.values())
    if set(holders) != set(created):
        problems.append(f"{len(set(created) - set(holders))} created tasks never labeled")

    tasks = {t.task_id: t for t in Task.objects.filter(task_id__in=created)}
    pk_of = {t.pk: t.task_id for t in tasks.values()}
    not_done = [t for t in tasks.values() if t.status != Task.Status.COMPLETED]
    if not_done:
        problems.append(f"{len(not_done)} tasks not completed")
    user_of = {index: pk for index, (pk, _session) in enumerate(fx["sessions"])}
    wrong_owner = [
        t
        for t, who in holders.items()
        if len(who) == 1 and tasks[t].completed_by_id != user_of[next(iter(who))]
    ]
    if wrong_owner:
        problems.append(f"{len(wrong_owner)} tasks completed by someone other than the holder")
    revisions = Counter(
        pk_of[pk]
        for pk in ResponseRevision.objects.filter(task_id__in=pk_of).values_list(
            "task_id", flat=True
        )
    )
    not_once = {t: n for t, n in revisions.items() if n != 1}
    missing_rev = set(created) - set(revisions)
    if not_once or missing_rev:
        problems.append(
            f"submissions stored not exactly once: {len(not_once)} with several, "
            f"{len(missing_rev)} with none"
        )
    got = Counter(received)
    lost = set(created) - set(got)
    duplicates = sum(n - 1 for n in got.values() if n > 1)
    if lost:
        problems.append(f"{len(lost)} callbacks never arrived")
    undelivered = CallbackDelivery.objects.filter(
        task__task_id__in=created, delivered_at__isnull=True
    ).count()

    per_labeler = sorted(len(t) for t in claimed.values())
    print(f"  created   {len(created):5d} tasks in {create_s:5.1f} s ({len(created) / create_s:6.1f}/s, {CREATORS} clients)")  # fmt: skip
    print(f"  submitted {submitted:5d} tasks in {label_s:5.1f} s ({submitted / label_s:6.1f}/s, {WORKERS} labelers; per labeler {per_labeler[0]}..{per_labeler[-1]})")  # fmt: skip
    print(f"  callbacks {len(got):5d} tasks received within {callback_s:5.1f} s after the last submit; {duplicates} duplicate deliveries; {undelivered} undelivered rows")  # fmt: skip
    print(f"  leased twice: {len(twice)}   submissions lost: {len(missing_rev)}   callbacks lost: {len(lost)}")  # fmt: skip
    if problems:
        print("FAILED: " + "; ".join(problems))
        return 1
    print("  all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
