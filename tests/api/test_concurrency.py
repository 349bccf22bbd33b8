"""Two clients creating a task with the same unique_id at the same moment get
exactly one task and one 409, whatever the database (on PostgreSQL the second
insert waits on the unique index and fails with IntegrityError → 409).

On PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/labelform_api."""

from __future__ import annotations

import threading

import pytest
from scaleapi import ScaleClient
from scaleapi.exceptions import ScaleDuplicateResource
from scaleapi.tasks import TaskType

from labeling.models import Task
from tests.sqlite_file import memory_sqlite, rerun_on_sqlite_file

FIELDS = [{"type": "text", "field_id": "summary", "title": "Summary"}]
ROUNDS = 5


# The in-memory SQLite test database is one connection shared by the live
# server's threads, which answers "table is locked" instead of waiting; so on
# SQLite the race runs in a subprocess against a file database, as deployed.
concurrent = pytest.mark.skipif(memory_sqlite(), reason="run by test_on_sqlite_file")


def race(client: ScaleClient, unique_id: str) -> list[str]:
    """Two threads create the same task, released together; their outcomes."""
    barrier = threading.Barrier(2)
    outcomes: list[str] = []
    lock = threading.Lock()

    def create() -> None:
        barrier.wait()
        try:
            client.create_task(TaskType.TextCollection, project="summaries", unique_id=unique_id)
            outcome = "created"
        except ScaleDuplicateResource:
            outcome = "409"
        except Exception as exc:  # anything else fails the test, with its message
            outcome = f"error {exc!r}"
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=create) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(outcomes)


@concurrent
@pytest.mark.django_db(transaction=True)
def test_same_unique_id_at_once_gives_one_task_and_one_409(live_server, api_key):
    client = ScaleClient(api_key, api_instance_url=f"{live_server.url}/v1")
    client.create_project("summaries", TaskType.TextCollection, params={"fields": FIELDS})
    for round_number in range(ROUNDS):
        unique_id = f"doc-{round_number}"
        assert race(client, unique_id) == ["409", "created"]
        assert Task.objects.filter(unique_id=unique_id).count() == 1
    assert Task.objects.count() == ROUNDS


@pytest.mark.skipif(not memory_sqlite(), reason="the race above runs directly")
def test_on_sqlite_file():
    assert "1 passed, 1 skipped" in rerun_on_sqlite_file(__file__)
