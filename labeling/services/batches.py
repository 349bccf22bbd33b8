"""Batch writes: creation, finalize, metadata, and the batch-completed rule."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from labeling import callbacks
from labeling.models import Account, Batch, Project, Task
from labeling.schemas import BatchCreate, check_metadata
from labeling.services.base import Conflict, NotFound, check_value, validated


def create_batch(*, account: Account, payload: Any) -> Batch:
    body = validated(BatchCreate, payload)
    project = Project.objects.filter(account=account, name=body.project).first()
    if project is None:
        raise NotFound(f"project: no project named {body.project!r}")
    if Batch.objects.filter(account=account, name=body.name).exists():
        raise Conflict(f"name: a batch named {body.name!r} already exists")
    batch = Batch(
        account=account,
        project=project,
        name=body.name,
        callback=body.callback,
        metadata=body.metadata,
    )
    try:
        with transaction.atomic():
            batch.save(force_insert=True)
    except IntegrityError as exc:
        raise Conflict(f"name: a batch named {body.name!r} already exists") from exc
    return batch


def finalize_batch(*, batch: Batch) -> Batch:
    """staging → in_progress: its tasks go to the workers. A batch with no
    pending task (e.g. empty) completes at once. Finalizing a batch that is
    already in progress or completed changes nothing (idempotent)."""
    with transaction.atomic():
        locked = (
            Batch.objects.select_for_update(of=("self",)).select_related("project").get(pk=batch.pk)
        )
        if locked.status == Batch.Status.STAGING:
            locked.status = Batch.Status.IN_PROGRESS
            locked.save(update_fields=["status"])
            locked = refresh_batch_status(batch=locked)
    return locked


def set_batch_metadata(*, batch: Batch, metadata: Any) -> Batch:
    metadata = check_value(check_metadata, "metadata", metadata)
    with transaction.atomic():
        locked = (
            Batch.objects.select_for_update(of=("self",)).select_related("project").get(pk=batch.pk)
        )
        locked.metadata = metadata
        locked.save(update_fields=["metadata"])
    return locked


def refresh_batch_status(*, batch: Batch) -> Batch:
    """The batch-completed rule: a finalized (in_progress) batch becomes
    completed when none of its tasks is pending; its callback is then recorded.

    Call it after a task of the batch leaves `pending` (completed, canceled,
    error), inside that change's transaction or after it commits. The batch
    row is locked first, so of two last tasks finishing at once the second
    sees the first's commit and completes the batch. Returns the fresh batch."""
    with transaction.atomic():
        locked = (
            Batch.objects.select_for_update(of=("self",)).select_related("project").get(pk=batch.pk)
        )
        if (
            locked.status == Batch.Status.IN_PROGRESS
            and not Task.objects.filter(batch=locked, status=Task.Status.PENDING).exists()
        ):
            locked.status = Batch.Status.COMPLETED
            locked.completed_at = timezone.now()
            locked.save(update_fields=["status", "completed_at"])
            callbacks.send_batch_callback(batch=locked)
    return locked
