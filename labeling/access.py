"""Who may see which task: small helpers every view calls before touching a task.

Everything not allowed is a 404 (never reveal that a task exists to someone
who may not see it), except the review portal's role check, which is a 403
for a signed-in user (they know the portal exists; they may not use it)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse

from labeling import roles
from labeling.models import Batch, Project, Task


def _task(task_id: str, *, assigned_to: Any = None) -> Task | None:
    """The task with its project and batch; with `assigned_to`, also whether
    that user is assigned to the task's project (`task.user_assigned`), in the
    same statement rather than a second query on every labeling request."""
    tasks = Task.objects.select_related("project", "batch").filter(task_id=task_id)
    if assigned_to is not None:
        tasks = tasks.annotate(
            user_assigned=Exists(
                Project.workers.through.objects.filter(
                    project_id=OuterRef("project_id"), user_id=assigned_to.pk
                )
            )
        )
    return tasks.first()


def get_task_for_labeling(user: Any, task_id: str, *, for_submit: bool = False) -> Task:
    """The task, if `user` may open its labeling page; otherwise 404.

    Reviewers and admins may open any task (read-only unless they hold its
    lease). A worker may open a pending task leased to them (a lease that
    expired while nobody else took the task is still theirs to renew); tasks
    reach them only through the queue. With `for_submit`, a worker may also
    POST to any task of a project they are assigned to, so that a submission
    arriving after their lease moved on is answered and kept, not dropped."""
    if not roles.has_role(user, roles.WORKER):
        raise Http404("No such task")
    reviewer = roles.has_role(user, roles.REVIEWER)
    task = _task(task_id, assigned_to=None if reviewer else user)
    if task is None:
        raise Http404("No such task")
    if reviewer:
        return task
    if not task.user_assigned:
        raise Http404("No such task")
    if for_submit:
        return task
    if task.status == Task.Status.PENDING and task.leased_to_id == user.pk:
        return task
    raise Http404("No such task")


def get_task_for_review(user: Any, task_id: str) -> Task:
    if not roles.has_role(user, roles.REVIEWER):
        raise PermissionDenied("The review portal is for reviewers")
    task = _task(task_id)
    if task is None:
        raise Http404("No such task")
    return task


def get_batch_for_user(user: Any, name: str) -> Batch:
    """A batch by name: reviewers and admins see any; workers see the batches of
    projects they are assigned to."""
    batches = Batch.objects.select_related("project").filter(name=name).order_by("id")
    if not roles.has_role(user, roles.REVIEWER):
        batches = batches.filter(project__workers=user)
    batch = batches.first() if roles.has_role(user, roles.WORKER) else None
    if batch is None:
        raise Http404("No such batch")
    return batch


def role_required(
    role: str,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """login_required, then 403 unless the user has `role` (or a higher one)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not roles.has_role(request.user, role):
                raise PermissionDenied(f"This page is for the {role} role")
            return view(request, *args, **kwargs)

        return login_required(wrapped)

    return decorator
