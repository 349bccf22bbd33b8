"""The /v1 task API (Scale's endpoints). Views are thin: parse, call services, serialize."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from labeling import services
from labeling.api.base import api_view, read_json
from labeling.api.serializers import task_to_dict
from labeling.models import Account, Task


def _get_task(account: Account, task_id: str) -> Task:
    task = (
        Task.objects.for_account(account)
        .select_related("project", "batch")
        .filter(task_id=task_id)
        .first()
    )
    if task is None:
        raise services.NotFound(f"task_id: no task {task_id!r}")
    return task


def _create_task(request: HttpRequest, account: Account, name: str) -> dict[str, Any]:
    # POST task/<type> creates; GET task/<task_id> retrieves (same path shape).
    type_name = name
    payload = read_json(request, allow_empty=False)
    task = services.create_task(account=account, type_name=type_name, payload=payload)
    return task_to_dict(task)


def _retrieve_task(request: HttpRequest, account: Account, name: str) -> dict[str, Any]:
    return task_to_dict(_get_task(account, name))


task = api_view({"GET": _retrieve_task, "POST": _create_task})
