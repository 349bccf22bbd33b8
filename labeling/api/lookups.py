"""Fetch one object named in a /v1 URL or parameter, scoped to the caller's
account; NotFound (404) names what was missing."""

from __future__ import annotations

from labeling.models import Account, Batch, Project, Task
from labeling.services import NotFound


def get_task(account: Account, task_id: str) -> Task:
    task = (
        Task.objects.for_account(account)
        .select_related("project", "batch")
        .filter(task_id=task_id)
        .first()
    )
    if task is None:
        raise NotFound(f"task_id: no task {task_id!r}")
    return task


def get_project(account: Account, name: str, *, field: str = "project") -> Project:
    project = Project.objects.filter(account=account, name=name).first()
    if project is None:
        raise NotFound(f"{field}: no project named {name!r}")
    return project


def get_batch(account: Account, name: str, *, field: str = "batch") -> Batch:
    batch = Batch.objects.select_related("project").filter(account=account, name=name).first()
    if batch is None:
        raise NotFound(f"{field}: no batch named {name!r}")
    return batch
