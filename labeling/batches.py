"""Batch progress: task counts by status, for the admin list and /batches/<name>/.

The batch-completed rule itself is services.refresh_batch_status."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

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
