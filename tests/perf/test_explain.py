"""The task list's filters are answered from indexes on PostgreSQL (issue 7).

Fills the task table with enough rows (several accounts, projects, batches,
statuses) for the planner to care, VACUUM ANALYZEs it, then runs EXPLAIN on every
query a real GET /v1/tasks sends and checks that none scans the whole table.

PostgreSQL only: run with
DATABASE_URL=postgres://postgres@127.0.0.1:5432/labelform_perf .venv/bin/pytest tests/perf
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from labeling.accounts import get_or_create_account
from labeling.models import Batch, Project, Task

pytestmark = [
    # Not wrapped in a transaction: VACUUM (what autovacuum does on a live
    # database) cannot run inside one, and without it the planner cannot count
    # from an index alone.
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="EXPLAIN plans are PostgreSQL's; SQLite has no comparable planner output",
    ),
]

ROWS = 30_000
PROJECTS = 30
BATCHES = 60
TABLE = Task._meta.db_table


@pytest.fixture
def filled(account):
    other = get_or_create_account("someone-else")
    now = timezone.now()
    projects, batches = [], []
    for acc in (account, other):
        for p in range(PROJECTS // 2):
            project = Project.objects.create(account=acc, name=f"p{p}", type="textcollection")
            projects.append(project)
            for b in range(BATCHES // PROJECTS):
                batches.append(
                    Batch.objects.create(account=acc, project=project, name=f"p{p}-b{b}")
                )
    statuses = list(Task.Status.values)
    rows = []
    for i in range(ROWS):
        batch = batches[i % len(batches)]
        created = now - timedelta(minutes=i)
        status = statuses[i % len(statuses)]
        rows.append(
            Task(
                account=batch.account,
                project=batch.project,
                batch=batch,
                type="textcollection",
                status=status,
                params={"fields": []},
                tags=["even"] if i % 2 == 0 else ["odd", f"t{i % 50}"],
                metadata={"i": i},
                unique_id=f"u{i}",
                created_at=created,
                updated_at=created,
                completed_at=created if status == "completed" else None,
            )
        )
    Task.objects.bulk_create(rows, batch_size=2000)
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {TABLE}")
    return account


# Each filter, and the index that must answer its COUNT (the page query may
# instead walk the primary key in id order and stop at `limit`, which the
# planner prefers when many rows match). `tags` is left out: no index matches
# JSON containment yet (a GIN index on tags would; docs/performance.md).
QUERIES = [
    ({"project": "p3"}, "task_project_idx"),
    ({"batch": "p3-b1"}, "task_batch_idx"),
    ({"status": "pending"}, "task_status_idx"),
    ({"project": "p3", "status": "completed"}, "task_queue_idx"),
    ({"unique_id": "u40"}, "task_unique_id_per_account"),
    ({"created_after": "2000-01-01T00:00:00Z", "limit": "10"}, "task_created_idx"),
    (
        {"completed_after": "2000-01-01T00:00:00Z", "completed_before": "2100-01-01T00:00:00Z"},
        "task_completed_idx",
    ),
    ({"updated_before": "2000-01-01T00:00:00Z"}, "task_updated_idx"),
]


def test_task_list_uses_indexes(api, filled):
    # One test for every filter: filling and vacuuming the table is the slow part.
    problems = []
    for query, index in QUERIES:
        with CaptureQueriesContext(connection) as ctx:
            response = api.get("tasks", **query)
        assert response.status_code == 200, response.json()
        task_queries = [q["sql"] for q in ctx.captured_queries if f'FROM "{TABLE}"' in q["sql"]]
        assert task_queries, f"{query}: the list ran no query on the task table"
        for sql in task_queries:
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN " + sql)
                plan = "\n".join(row[0] for row in cursor.fetchall())
            if f"Seq Scan on {TABLE}" in plan:
                problems.append(f"{query}: scans the whole table\n{sql}\n{plan}")
            if "COUNT(*)" in sql and index not in plan:
                problems.append(f"{query}: count does not use {index}\n{sql}\n{plan}")
    assert not problems, "\n\n".join(problems)
