"""Many workers at once: nobody ever holds the same task, nothing submitted is lost.

Runs on SQLite by default and on PostgreSQL with
DATABASE_URL=postgres://postgres@127.0.0.1:5432/labelform_flow."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from labeling import queue
from labeling.models import ResponseRevision, Task
from tests.sqlite_file import memory_sqlite, rerun_on_sqlite_file

# SQLite's in-memory test database cannot take concurrent writers (it answers
# "table is locked" instead of waiting), so on SQLite these tests run in a
# subprocess against a file database, like a real deployment.
concurrent = pytest.mark.skipif(memory_sqlite(), reason="run by test_on_sqlite_file")

WORKERS = 8
TASKS = 40


def run_threads(target, count: int) -> list[BaseException]:
    barrier = threading.Barrier(count)
    errors: list[BaseException] = []

    def wrapped(i: int) -> None:
        try:
            barrier.wait()
            target(i)
        except BaseException as exc:  # reported by the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=wrapped, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


@concurrent
@pytest.mark.django_db(transaction=True)
def test_workers_never_get_the_same_task_and_all_submissions_land(project, make_task, make_user):
    users = [make_user(f"w{i}", "worker") for i in range(WORKERS)]
    project.workers.add(*users)
    for i in range(TASKS):
        make_task(project, priority=(10, 20, 30)[i % 3])
    claimed: dict[int, list[int]] = {i: [] for i in range(WORKERS)}

    def work(i: int) -> None:
        while True:
            task = queue.claim_next(user=users[i])
            if task is None:
                return
            claimed[i].append(task.pk)
            queue.submit_response(
                task=task,
                response={"annotations": {"answer": f"w{i}"}},
                user=users[i],
                require_lease=True,
            )

    assert run_threads(work, WORKERS) == []
    everything = [pk for pks in claimed.values() for pk in pks]
    assert len(everything) == TASKS
    assert Counter(everything).most_common(1)[0][1] == 1  # no task handed out twice
    assert Task.objects.filter(status="completed").count() == TASKS
    for i, pks in claimed.items():
        for task in Task.objects.filter(pk__in=pks):
            assert task.completed_by_id == users[i].pk
            assert task.response == {"annotations": {"answer": f"w{i}"}}
    assert ResponseRevision.objects.filter(kind="submitted").count() == TASKS
    assert not ResponseRevision.objects.filter(kind="late").exists()


@concurrent
@pytest.mark.django_db(transaction=True)
def test_concurrent_claims_hold_distinct_leases(project, make_task, make_user):
    users = [make_user(f"w{i}", "worker") for i in range(WORKERS)]
    project.workers.add(*users)
    for _ in range(WORKERS // 2):
        make_task(project)
    got: dict[int, int | None] = {}

    def claim(i: int) -> None:
        task = queue.claim_next(user=users[i])
        got[i] = task.pk if task else None

    assert run_threads(claim, WORKERS) == []
    held = [pk for pk in got.values() if pk is not None]
    assert len(held) == WORKERS // 2 and len(set(held)) == len(held)
    leases = Task.objects.filter(leased_to__isnull=False).values_list("pk", "leased_to")
    assert {pk: user for pk, user in leases} == {
        pk: users[i].pk for i, pk in got.items() if pk is not None
    }


@concurrent
@pytest.mark.django_db(transaction=True)
def test_racing_submissions_one_applies_the_rest_are_kept(project, make_task, make_user):
    """The same task submitted at once from many tabs/workers (e.g. after a lease
    expired): exactly one completes it; every other answer is kept as "late"."""
    users = [make_user(f"w{i}", "worker") for i in range(WORKERS)]
    project.workers.add(*users)
    task = make_task(project)
    # Nobody holds a live lease, so without require_lease anyone may complete it.
    Task.objects.filter(pk=task.pk).update(
        leased_to=users[0], lease_expires_at=timezone.now() - timedelta(minutes=1)
    )
    outcomes: dict[int, str] = {}

    def submit(i: int) -> None:
        try:
            queue.submit_response(
                task=task, response={"annotations": {"answer": f"w{i}"}}, user=users[i]
            )
            outcomes[i] = "applied"
        except queue.SubmitRejected:
            outcomes[i] = "late"

    assert run_threads(submit, WORKERS) == []
    assert Counter(outcomes.values()) == {"applied": 1, "late": WORKERS - 1}
    winner = next(i for i, outcome in outcomes.items() if outcome == "applied")
    task.refresh_from_db()
    assert task.response == {"annotations": {"answer": f"w{winner}"}}
    kept = {r.response["annotations"]["answer"] for r in task.revisions.all()}
    assert kept == {f"w{i}" for i in range(WORKERS)}


@pytest.mark.skipif(not memory_sqlite(), reason="already on a file or server database")
def test_on_sqlite_file():
    assert "3 passed" in rerun_on_sqlite_file(__file__)
