"""The work queue: leasing tasks to workers and completing them with a response."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from labeling.models import ResponseRevision, Task
from labeling.services import Conflict


def submit_response(*, task: Task, response: dict[str, Any], user: Any) -> Task:
    """Complete a task with a worker's response, in one transaction.

    The revision row keeps every response ever saved, so later review actions
    never lose a worker's work."""
    with transaction.atomic():
        locked = Task.objects.select_for_update().get(pk=task.pk)
        if locked.status != Task.Status.PENDING:
            raise Conflict(f"task {task.task_id} is already {locked.status}")
        locked.status = Task.Status.COMPLETED
        locked.response = response
        locked.completed_at = timezone.now()
        locked.completed_by = user if getattr(user, "is_authenticated", False) else None
        locked.leased_to = None
        locked.lease_expires_at = None
        locked.save()
        ResponseRevision.objects.create(
            task=locked,
            kind=ResponseRevision.Kind.SUBMITTED,
            response=response,
            user=locked.completed_by,
        )
    return locked
