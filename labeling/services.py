"""Writes to tasks and projects: keyword-only functions called explicitly by views,
the API, management commands and imports (one code path for each write)."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from pydantic import ValidationError

from labeling import registry
from labeling.errors import ValidationProblem
from labeling.markdown import render_markdown
from labeling.models import Account, Batch, Project, Task
from labeling.schemas import COMMON_TASK_FIELDS, TaskCommon, problem_from_pydantic


class Conflict(Exception):
    """A duplicate that the caller asked us not to create (409)."""


class NotFound(Exception):
    """A named project, batch or task that does not exist for this account (404)."""


def get_task_type(name: str) -> registry.TaskType:
    task_type = registry.get(name)
    if task_type is None:
        supported = ", ".join(registry.names())
        raise ValidationProblem("type", f"unsupported task type {name!r}; supported: {supported}")
    return task_type


def merge_params(project_params: dict[str, Any], task_params: dict[str, Any]) -> dict[str, Any]:
    """The merge rule (docs/api.md): the project's params are the defaults, and
    each top-level key the task gives replaces the project's key whole (no deep
    merge: a task's `fields` list replaces the project's `fields` list)."""
    merged = dict(project_params)
    merged.update(task_params)
    return merged


def create_task(*, account: Account, type_name: str, payload: Any) -> Task:
    """Validate a task creation payload (Scale's shape) and create the task.

    Raises ValidationProblem (400), NotFound (404) or Conflict (409)."""
    task_type = get_task_type(type_name)
    if not isinstance(payload, dict):
        raise ValidationProblem("", "request body must be a JSON object")
    try:
        common = TaskCommon.model_validate(payload, strict=True)
    except ValidationError as exc:
        raise problem_from_pydantic(exc) from exc

    project, batch = _resolve_project_and_batch(account, common.project, common.batch)
    if project.type != task_type.name:
        raise ValidationProblem(
            "project",
            f"project {project.name!r} is of type {project.type!r}, not {task_type.name!r}",
        )

    own_params = {k: v for k, v in payload.items() if k not in COMMON_TASK_FIELDS}
    params = task_type.validate_params(merge_params(project.params, own_params))
    hypothesis = None
    if common.hypothesis is not None:
        try:
            hypothesis = task_type.validate_hypothesis(params, common.hypothesis)
        except ValidationProblem as exc:
            raise exc.prefixed("hypothesis") from exc
    instruction = common.instruction if common.instruction is not None else project.instruction

    task = Task(
        account=account,
        type=task_type.name,
        project=project,
        batch=batch,
        instruction=instruction,
        params=params,
        rendered=prepare_rendered(task_type, params, instruction),
        callback_url=common.callback_url or "",
        metadata=common.metadata,
        unique_id=common.unique_id,
        clear_unique_id_on_error=common.clear_unique_id_on_error,
        tags=common.tags,
        priority=common.priority or Task.DEFAULT_PRIORITY,
        hypothesis=hypothesis,
    )
    try:
        with transaction.atomic():
            task.save(force_insert=True)
    except IntegrityError as exc:
        if (
            common.unique_id is not None
            and Task.objects.filter(account=account, unique_id=common.unique_id).exists()
        ):
            raise Conflict(
                f"unique_id: a task with unique_id {common.unique_id!r} already exists"
            ) from exc
        raise
    return task


def prepare_rendered(
    task_type: registry.TaskType, params: dict[str, Any], instruction: str
) -> dict[str, Any]:
    """Everything a page needs that depends only on params, computed once (render once)."""
    return {
        "instruction_html": render_markdown(instruction),
        **task_type.prepare(params, instruction),
    }


def _resolve_project_and_batch(
    account: Account, project_name: str | None, batch_name: str | None
) -> tuple[Project, Batch | None]:
    batch = None
    if batch_name is not None:
        batch = (
            Batch.objects.select_related("project").filter(account=account, name=batch_name).first()
        )
        if batch is None:
            raise NotFound(f"batch: no batch named {batch_name!r}")
        if batch.status == Batch.Status.COMPLETED:
            raise ValidationProblem("batch", f"batch {batch_name!r} is completed")
        if project_name is not None and batch.project.name != project_name:
            raise ValidationProblem(
                "batch", f"batch {batch_name!r} belongs to project {batch.project.name!r}"
            )
        return batch.project, batch
    if project_name is None:
        raise ValidationProblem("project", "is required (or give a batch)")
    project = Project.objects.filter(account=account, name=project_name).first()
    if project is None:
        raise NotFound(f"project: no project named {project_name!r}")
    return project, None
