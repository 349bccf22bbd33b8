"""/batches/<name>/: progress for users."""

from __future__ import annotations

import pytest

from labeling import queue
from labeling.models import Batch

pytestmark = pytest.mark.django_db


def test_batch_page_shows_progress_and_completes(client, account, project, make_task, worker):
    batch = Batch.objects.create(
        account=account, project=project, name="menus", status=Batch.Status.IN_PROGRESS
    )
    make_task(project, batch="menus")
    make_task(project, batch="menus")
    task = queue.claim_next(user=worker)
    queue.submit_response(
        task=task, response={"annotations": {"answer": "a"}}, user=worker, require_lease=True
    )
    client.force_login(worker)
    html = client.get("/batches/menus/").content.decode()
    assert "1 / 2 completed" in html and 'data-count="pending">1<' in html
    assert 'role="progressbar"' in html and "w-50" in html
    task = queue.claim_next(user=worker)
    queue.submit_response(
        task=task, response={"annotations": {"answer": "b"}}, user=worker, require_lease=True
    )
    batch.refresh_from_db()
    assert batch.status == Batch.Status.COMPLETED and batch.completed_at is not None
    assert "2 / 2 completed" in client.get("/batches/menus/").content.decode()
