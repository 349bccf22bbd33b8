"""JSONL: one Scale callback body per line, `{"task_id", "response", "task"}`.

This is exactly what a callback would have POSTed, so code written against
Scale's callbacks can read an export unchanged. `response` is null for a task
that has none yet (when exporting with --status pending or all)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TextIO

from django.db.models import QuerySet

from labeling.api.serializers import task_to_dict
from labeling.exports import ExportReport, stream
from labeling.models import Task

NAME = "jsonl"
BINARY = False
TASK_TYPES = None


def callback_body(task: Task) -> dict[str, Any]:
    return {"task_id": task.task_id, "response": task.response, "task": task_to_dict(task)}


def write(
    tasks: QuerySet[Task],
    out: TextIO,
    *,
    report: ExportReport,
    advance: Callable[[int], None],
    options: dict[str, Any],
) -> None:
    for task in stream(tasks):
        out.write(json.dumps(callback_body(task), ensure_ascii=False, separators=(",", ":")))
        out.write("\n")
        report.exported += 1
        advance(1)
