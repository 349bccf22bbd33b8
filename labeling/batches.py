"""Batch progress (counts by status) and the batch-completed transition."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone

from labeling import callbacks, services
from labeling.models import Batch, Task


@dataclass(frozen=True)
class Progress:
    total: int
    pending: int
    completed: int
    canceled: int
    error: int

    @property
    def done(self) -> int:
        """Tasks that need no more work (canceled ones count as done)."""
        return self.completed + self.canceled + self.error

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    def percent_of(self, count: int) -> int:
        return round(100 * count / self.total) if self.total else 0

    @property
    def segments(self) -> list[tuple[str, int, int]]:
        """(status, count, percent) for each non-empty status, for the progress bar."""
        return [
            (status, count, self.percent_of(count))
            for status, count in (
                ("completed", self.completed),
                ("canceled", self.canceled),
                ("error", self.error),
                ("pending", self.pending),
            )
            if count
        ]


def progress(batch: Batch) -> Progress:
    counts = dict(
        Task.objects.filter(batch=batch)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    return Progress(
        total=sum(counts.values()),
        pending=counts.get(Task.Status.PENDING, 0),
        completed=counts.get(Task.Status.COMPLETED, 0),
        canceled=counts.get(Task.Status.CANCELED, 0),
        error=counts.get(Task.Status.ERROR, 0),
    )


def progress_by_batch(batch_ids: list[int]) -> dict[int, Progress]:
    """Progress of many batches in one query (admin list)."""
    rows = (
        Task.objects.filter(batch_id__in=batch_ids)
        .values_list("batch_id", "status")
        .annotate(n=Count("id"))
    )
    counts: dict[int, dict[str, int]] = {pk: {} for pk in batch_ids}
    for batch_id, status, n in rows:
        counts[batch_id][status] = n
    return {
        pk: Progress(
            total=sum(c.values()),
            pending=c.get(Task.Status.PENDING, 0),
            completed=c.get(Task.Status.COMPLETED, 0),
            canceled=c.get(Task.Status.CANCELED, 0),
            error=c.get(Task.Status.ERROR, 0),
        )
        for pk, c in counts.items()
    }


def refresh_batch_status(*, batch: Batch) -> Batch:
    """Mark a finalized batch completed once none of its tasks is pending, and
    send its callback once.

    The API's services.refresh_batch_status owns the status rule when it exists;
    this module only adds the batch callback (idempotent: one delivery per batch)."""
    api_refresh = getattr(services, "refresh_batch_status", None)
    if api_refresh is not None:
        result = api_refresh(batch=batch)
        if isinstance(result, Batch):
            batch = result
        else:
            batch.refresh_from_db()
    elif batch.status == Batch.Status.IN_PROGRESS:
        still_pending = Task.objects.filter(batch=batch, status=Task.Status.PENDING).exists()
        if not still_pending:
            updated = Batch.objects.filter(pk=batch.pk, status=Batch.Status.IN_PROGRESS).update(
                status=Batch.Status.COMPLETED, completed_at=timezone.now()
            )
            if updated:
                batch.refresh_from_db()
    if batch.status == Batch.Status.COMPLETED:
        callbacks.send_batch_callback(batch=batch)
    return batch
