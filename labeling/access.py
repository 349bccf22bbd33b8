"""Who may see which task: small helpers every view calls before touching a task."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils import timezone

from labeling import roles
from labeling.models import Task


def get_task_for_labeling(user: Any, task_id: str) -> Task:
    """The task, if `user` may label it now; otherwise 404 (never reveal that
    a task exists to someone who may not see it).

    Reviewers and admins may open any task. A worker may open a task leased to
    them, or a pending, unleased task of a project they are assigned to (which
    is then leased to them by the view)."""
    task = Task.objects.select_related("project", "batch").filter(task_id=task_id).first()
    if task is None or not roles.has_role(user, roles.WORKER):
        raise Http404("No such task")
    if roles.has_role(user, roles.REVIEWER):
        return task
    if (
        task.leased_to_id == user.pk
        and task.lease_expires_at
        and task.lease_expires_at > timezone.now()
    ):
        return task
    if not task.project.workers.filter(pk=user.pk).exists():
        raise Http404("No such task")
    lease_free = task.leased_to_id is None or (
        task.lease_expires_at is not None and task.lease_expires_at <= timezone.now()
    )
    if task.status == Task.Status.PENDING and lease_free:
        return task
    if task.completed_by_id == user.pk:
        return task
    raise Http404("No such task")
