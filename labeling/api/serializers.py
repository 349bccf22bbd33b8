"""Objects as the /v1 API shows them (Scale's field names and shapes)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from labeling.models import Batch, Project, Task


def iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def task_to_dict(task: Task) -> dict[str, Any]:
    """Scale's task object. Uses task.project/batch, so select_related them in lists."""
    data: dict[str, Any] = {
        "task_id": task.task_id,
        "type": task.type,
        "status": task.status,
        "project": task.project.name,
        "batch": task.batch.name if task.batch_id else None,
        "instruction": task.instruction,
        "params": task.params,
        "callback_url": task.callback_url,
        "metadata": task.metadata,
        "unique_id": task.unique_id,
        "clear_unique_id_on_error": task.clear_unique_id_on_error,
        "tags": task.tags,
        "priority": task.priority,
        "created_at": iso(task.created_at),
        "updated_at": iso(task.updated_at),
        "completed_at": iso(task.completed_at),
        "audits": task.audits,
    }
    if task.hypothesis is not None:
        data["hypothesis"] = task.hypothesis
    if task.response is not None:
        data["response"] = task.response
    if task.customer_review_status:
        data["customer_review_status"] = task.customer_review_status
        data["customer_review_comments"] = task.customer_review_comments
    return data


def project_to_dict(project: Project) -> dict[str, Any]:
    return {
        "name": project.name,
        "type": project.type,
        "params": project.params,
        "instruction": project.instruction,
        "param_history": param_history(project),
        "created_at": iso(project.created_at),
    }


def batch_to_dict(batch: Batch) -> dict[str, Any]:
    return {
        "name": batch.name,
        "project": batch.project.name,
        "status": batch.status,
        "callback": batch.callback,
        "metadata": batch.metadata,
        "created_at": iso(batch.created_at),
        "completed_at": iso(batch.completed_at),
    }


def param_history(project: Project) -> list[dict[str, Any]]:
    """Scale's `param_history`: each entry is that version's params spread out
    plus `version` and `instruction`. The scaleapi client reads
    `param_history[-1]["version"]`, so entries written without one (by older
    code or by hand) get their 1-based position, and a project with no history
    shows its current params as version 1."""
    entries = project.param_history or [
        {
            **project.params,
            "instruction": project.instruction,
            "created_at": iso(project.created_at),
        }
    ]
    shown = []
    for position, entry in enumerate(entries, start=1):
        entry = dict(entry) if isinstance(entry, dict) else {"params": entry}
        entry.setdefault("version", position)
        entry.setdefault("instruction", project.instruction if position == len(entries) else "")
        shown.append(entry)
    return shown
