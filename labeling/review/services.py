"""Review actions. Each runs in one transaction, keeps the response history in
ResponseRevision, sets customer_review_status and appends to `audits` the way
the audit API does, and sends a callback when the task has a callback_url."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from labeling import callbacks
from labeling.api.serializers import iso
from labeling.models import ResponseRevision, Task
from labeling.services import Conflict


def _locked_completed(task: Task) -> Task:
    # No select_related: PostgreSQL cannot lock the nullable side of the batch join.
    locked = Task.objects.select_for_update().get(pk=task.pk)
    if locked.status != Task.Status.COMPLETED:
        raise Conflict(
            f"task {locked.task_id} is {locked.status}; only completed tasks are reviewed"
        )
    return locked


def _record(task: Task, *, user: Any, result: str, comment: str) -> None:
    now = timezone.now()
    task.customer_review_status = result
    if comment:
        task.customer_review_comments = [*task.customer_review_comments, comment]
    task.audits = [
        *task.audits,
        {
            "audited_by": user.get_username(),
            "audited_at": iso(now),
            "audit_result": result,
            "audit_source": "internal_review",
            "comment": comment,
        },
    ]
    task.reviewed_by = user
    task.reviewed_at = now


def accept(*, task: Task, user: Any, comment: str = "") -> Task:
    with transaction.atomic():
        locked = _locked_completed(task)
        _record(locked, user=user, result=Task.ReviewStatus.ACCEPTED, comment=comment)
        locked.save()
        ResponseRevision.objects.create(
            task=locked,
            kind=ResponseRevision.Kind.ACCEPTED,
            response=locked.response,
            user=user,
            comment=comment,
        )
        callbacks.send_task_callback(task=locked, event="task.reviewed")
    return locked


def reject(*, task: Task, user: Any, comment: str) -> Task:
    """Send the task back to the queue: pending, response cleared. The rejected
    response stays in the history (its SUBMITTED revision, plus this REJECTED one
    carrying the comment)."""
    if not comment.strip():
        raise ValueError("comment: a rejection needs a comment for the worker")
    with transaction.atomic():
        locked = _locked_completed(task)
        rejected_response = locked.response
        _record(locked, user=user, result=Task.ReviewStatus.REJECTED, comment=comment)
        locked.status = Task.Status.PENDING
        locked.response = None
        locked.completed_at = None
        locked.completed_by = None
        locked.leased_to = None
        locked.lease_expires_at = None
        locked.save()
        ResponseRevision.objects.create(
            task=locked,
            kind=ResponseRevision.Kind.REJECTED,
            response=rejected_response,
            user=user,
            comment=comment,
        )
        callbacks.send_task_callback(task=locked, event="task.rejected")
    return locked


def fix(*, task: Task, user: Any, response: dict[str, Any], comment: str = "") -> Task:
    """Replace the response with the reviewer's corrected one (history kept)."""
    with transaction.atomic():
        locked = _locked_completed(task)
        _record(locked, user=user, result=Task.ReviewStatus.FIXED, comment=comment)
        locked.response = response
        locked.save()
        ResponseRevision.objects.create(
            task=locked,
            kind=ResponseRevision.Kind.FIXED,
            response=response,
            user=user,
            comment=comment,
        )
        callbacks.send_task_callback(task=locked, event="task.fixed")
    return locked
