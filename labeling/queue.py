"""The work queue: leasing tasks to workers and completing them with a response.

Rules (docs/workflow.md):
- "next task" is the highest-priority, then oldest, pending task of the worker's
  projects that is in no batch or a finalized one, and that nobody holds;
- a lease lasts settings.LEASE_MINUTES and is renewed while the worker works;
  an expired lease puts the task back in the queue;
- a claim is an atomic conditional UPDATE ("set leased_to where still free"),
  so two workers can never hold the same task on any database. On PostgreSQL
  the candidate is picked with SELECT ... FOR UPDATE SKIP LOCKED so concurrent
  workers do not wait on each other; on SQLite the IMMEDIATE transaction mode
  in settings serializes write transactions;
- a submission that arrives after the task was completed, or while someone else
  holds a live lease on it, is refused (`SubmitRejected`) and kept as a "late"
  ResponseRevision, so nothing a worker submitted is lost.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone

from labeling import callbacks, services
from labeling.models import Project, ResponseRevision, Task
from labeling.services import Conflict

# How many candidates a claim tries before giving up; only reached when other
# workers keep winning the same rows, which SKIP LOCKED makes rare.
CLAIM_ATTEMPTS = 10


class SubmitRejected(Conflict):
    """A submission the task can no longer take. `revision` is where it was kept."""

    def __init__(self, message: str, revision: ResponseRevision | None = None):
        super().__init__(message)
        self.revision = revision


def lease_duration() -> timedelta:
    return timedelta(minutes=settings.LEASE_MINUTES)


def _is_user(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def claim_next(*, user: Any, now: datetime | None = None) -> Task | None:
    """Lease the next task to `user` and return it, or None when the queue is empty.

    A worker who already holds a live lease gets that task back (renewed), so
    pressing "Next" twice never piles up leases."""
    claimed = _claim(user=user, now=now or timezone.now())
    if claimed is None:
        return None
    return Task.objects.select_related("project", "batch").get(pk=claimed[0])


def claim_next_task_id(*, user: Any, now: datetime | None = None) -> str | None:
    """claim_next for callers that only need where to send the worker (the
    "next task" redirect): the same claim, without reading the task back."""
    claimed = _claim(user=user, now=now or timezone.now())
    return None if claimed is None else claimed[1]


def _claim(*, user: Any, now: datetime) -> tuple[int, str] | None:
    """The claim: (pk, task_id) of the task now leased to `user`, or None."""
    held = Task.objects.leased_to_user(user, now).queue_order().values_list("pk", "task_id").first()
    if held is not None:
        _renew(pk=held[0], user=user, now=now)
        return held
    # The user's projects as literal ids, not a join: for the usual worker with
    # one project PostgreSQL then walks task_queue_idx in queue order and stops
    # at the first free task, instead of sorting every pending task
    # (docs/performance.md).
    project_ids = list(
        Project.workers.through.objects.filter(user_id=user.pk).values_list("project_id", flat=True)
    )
    if not project_ids:
        return None
    for _ in range(CLAIM_ATTEMPTS):
        with transaction.atomic():
            candidates = (
                Task.objects.available(now).filter(project_id__in=project_ids).queue_order()
            )
            if connection.features.has_select_for_update_skip_locked:
                candidates = candidates.select_for_update(skip_locked=True, of=("self",))
            candidate = candidates.values_list("pk", "task_id").first()
            if candidate is None:
                return None
            # The conditional UPDATE is the claim: it matches only while the
            # task is still pending and free, whatever another worker did
            # since the SELECT.
            claimed = (
                Task.objects.filter(pk=candidate[0])
                .pending()
                .unleased(now)
                .update(leased_to=user, lease_expires_at=now + lease_duration(), updated_at=now)
            )
        if claimed:
            return candidate
    return None


def take_lease(*, task: Task, user: Any, now: datetime | None = None) -> bool:
    """Lease `task` to `user` if it is pending and free or already theirs (renewing it).

    Returns False when someone else holds a live lease or the task is not pending."""
    now = now or timezone.now()
    updated = (
        Task.objects.filter(pk=task.pk)
        .pending()
        .filter(Q(leased_to=user) | Q(leased_to__isnull=True) | Q(lease_expires_at__lte=now))
        .update(leased_to=user, lease_expires_at=now + lease_duration())
    )
    if updated:
        task.leased_to = user
        task.lease_expires_at = now + lease_duration()
    return bool(updated)


def renew_lease(*, task: Task, user: Any, now: datetime | None = None) -> datetime | None:
    """Extend a lease the user still holds; the new expiry, or None if it was lost."""
    now = now or timezone.now()
    expires = _renew(pk=task.pk, user=user, now=now)
    if expires is not None:
        task.lease_expires_at = expires
    return expires


def _renew(*, pk: int, user: Any, now: datetime) -> datetime | None:
    expires = now + lease_duration()
    updated = (
        Task.objects.filter(pk=pk, leased_to=user, lease_expires_at__gt=now)
        .pending()
        .update(lease_expires_at=expires)
    )
    return expires if updated else None


def release(*, task: Task, user: Any) -> bool:
    """Give a leased task back to the queue (only the holder can)."""
    return bool(
        Task.objects.filter(pk=task.pk, leased_to=user)
        .pending()
        .update(leased_to=None, lease_expires_at=None)
    )


def queue_counts(*, user: Any, now: datetime | None = None) -> dict[str, int]:
    """What the worker's home page shows."""
    now = now or timezone.now()
    mine = Task.objects.for_worker(user)
    return {
        "available": mine.available(now).count(),
        "leased": Task.objects.leased_to_user(user, now).count(),
        "completed": Task.objects.filter(completed_by=user).count(),
        "completed_today": Task.objects.filter(
            completed_by=user, completed_at__date=timezone.localdate(now)
        ).count(),
    }


def should_sample(*, user: Any) -> bool:
    """Pick tasks for review so each worker has exactly REVIEW_SAMPLE_RATE of
    their completed tasks sampled (rounded up): the first task is always picked,
    then whenever the sampled share would fall below the rate."""
    rate = float(settings.REVIEW_SAMPLE_RATE)
    if rate <= 0 or not _is_user(user):
        return False
    if rate >= 1:
        return True
    # One aggregate, not two counts: a statement less on every submit.
    counts = Task.objects.filter(completed_by=user).aggregate(
        completed=Count("pk"), sampled=Count("pk", filter=Q(review_sampled=True))
    )
    return counts["sampled"] < math.ceil(rate * (counts["completed"] + 1))


def submit_response(
    *,
    task: Task,
    response: dict[str, Any],
    user: Any,
    require_lease: bool = False,
    now: datetime | None = None,
) -> Task:
    """Complete a task with a worker's response, in one transaction.

    The revision row keeps every response ever saved, so later review actions
    never lose a worker's work. Raises SubmitRejected (after keeping the
    submission as a "late" revision) when the task is no longer pending, when
    someone else holds a live lease on it, or (`require_lease`, the labeling
    page) when `user` is not the one the task is leased to."""
    now = now or timezone.now()
    actor = user if _is_user(user) else None
    rejection = ""
    with transaction.atomic():
        locked = Task.objects.select_for_update().get(pk=task.pk)
        # The caller's task came with its project and batch (select_related);
        # the callback body needs them, so reuse them rather than fetch the
        # project again inside the transaction. The batch is re-read locked
        # by refresh_batch_status anyway.
        for relation in ("project", "batch"):
            if Task._meta.get_field(relation).is_cached(task) and getattr(
                task, f"{relation}_id"
            ) == getattr(locked, f"{relation}_id"):
                setattr(locked, relation, getattr(task, relation))
        if locked.status != Task.Status.PENDING:
            rejection = f"task {locked.task_id} is already {locked.status}"
        elif require_lease and (actor is None or locked.leased_to_id != actor.pk):
            # leased_to is only replaced when someone else claims the task, so
            # "still mine" includes a lease that expired while nobody took it.
            rejection = (
                f"task {locked.task_id} is not leased to you any more "
                "(your lease expired and the task went back to the queue)"
            )
        elif (
            locked.leased_to_id is not None
            and locked.leased_to_id != getattr(actor, "pk", None)
            and locked.lease_expires_at is not None
            and locked.lease_expires_at > now
        ):
            rejection = f"task {locked.task_id} is leased to another worker"
        if rejection:
            revision = ResponseRevision.objects.create(
                task=locked,
                kind=ResponseRevision.Kind.LATE,
                response=response,
                user=actor,
                comment=rejection,
                created_at=now,
            )
        else:
            locked.status = Task.Status.COMPLETED
            locked.response = response
            locked.completed_at = now
            locked.completed_by = actor
            locked.leased_to = None
            locked.lease_expires_at = None
            # A resubmission after a rejection is a new, unreviewed response.
            if locked.customer_review_status == Task.ReviewStatus.REJECTED:
                locked.customer_review_status = Task.ReviewStatus.NONE
            locked.review_sampled = locked.review_sampled or should_sample(user=actor)
            # Only what changed: rewriting params/rendered (large JSON) on every
            # submit was a measurable share of the submit's time.
            locked.save(
                update_fields=[
                    "status",
                    "response",
                    "completed_at",
                    "completed_by",
                    "leased_to",
                    "lease_expires_at",
                    "customer_review_status",
                    "review_sampled",
                ]
            )
            ResponseRevision.objects.create(
                task=locked,
                kind=ResponseRevision.Kind.SUBMITTED,
                response=response,
                user=actor,
                created_at=now,
            )
            callbacks.send_task_callback(task=locked, event="task.completed")
            if locked.batch_id is not None:
                services.refresh_batch_status(batch=locked.batch)
    if rejection:
        raise SubmitRejected(
            f"{rejection}. Your answer was not applied; it is kept in the task's history.",
            revision,
        )
    return locked
