"""GET /v1/task/<task_id>/callbacks: every callback delivery of a task and its attempts."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from labeling.api.base import api_view
from labeling.api.serializers import iso
from labeling.models import Account, CallbackDelivery, Task
from labeling.services import NotFound


def delivery_to_dict(delivery: CallbackDelivery) -> dict[str, Any]:
    return {
        "id": delivery.pk,
        "event": delivery.event,
        "url": delivery.url,
        "status": delivery.status,
        "created_at": iso(delivery.created_at),
        "delivered_at": iso(delivery.delivered_at),
        "next_attempt_at": iso(delivery.next_attempt_at),
        "attempts": [
            {
                "at": iso(attempt.at),
                "ok": attempt.ok,
                "status_code": attempt.status_code,
                "error": attempt.error,
                "duration_ms": attempt.duration_ms,
            }
            for attempt in delivery.attempts.all()
        ],
    }


def _task_callbacks(request: HttpRequest, account: Account, task_id: str) -> dict[str, Any]:
    task = Task.objects.for_account(account).filter(task_id=task_id).first()
    if task is None:
        raise NotFound(f"task_id: no task {task_id!r}")
    deliveries = task.callbacks.prefetch_related("attempts").order_by("created_at", "id")
    return {"task_id": task.task_id, "callbacks": [delivery_to_dict(d) for d in deliveries]}


task_callbacks = api_view({"GET": _task_callbacks})
