"""Exports of a project's tasks (manage.py export), one module per format.

Each format module has `NAME`, `BINARY` (bytes or text output), `TASK_TYPES`
(the task types it can represent, or None for all) and
`write(tasks, out, *, report, advance, options)`. Exporters read tasks with
`QuerySet.iterator(chunk_size=...)`, so memory stays flat however many tasks
there are (see docs/data.md for the one exception, a single .spacy file).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from django.db.models import QuerySet

from labeling.models import Batch, Project, Task

CHUNK_SIZE = 1000
STATUSES = [*Task.Status.values, "all"]


@dataclass
class ExportReport:
    """What an export wrote and what it could not represent."""

    exported: int = 0
    skipped: int = 0
    notes: list[str] = field(default_factory=list)
    note_count: int = 0
    on_note: Callable[[str], None] | None = None
    # Notes kept in memory for the summary; the rest only go to on_note.
    MAX_KEPT = 100

    def note(self, message: str) -> None:
        self.note_count += 1
        if len(self.notes) < self.MAX_KEPT:
            self.notes.append(message)
        if self.on_note:
            self.on_note(message)


def formats() -> dict[str, ModuleType]:
    from labeling.exports import conll, csv_answers, jsonl, spacy_docbin

    return {m.NAME: m for m in (jsonl, csv_answers, spacy_docbin, conll)}


def select_tasks(*, project: Project, batch: Batch | None, status: str) -> QuerySet[Task]:
    """The tasks to export, oldest first (a stable order: re-exports diff cleanly)."""
    tasks = Task.objects.filter(project=project)
    if batch is not None:
        tasks = tasks.filter(batch=batch)
    if status != "all":
        tasks = tasks.filter(status=status)
    return tasks.select_related("project", "batch").order_by("id")


def stream(tasks: QuerySet[Task]) -> Any:
    return tasks.iterator(chunk_size=CHUNK_SIZE)
