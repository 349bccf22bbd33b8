"""Task writes: creation (with the project's params merged in), cancel, unique_id,
metadata, tags and the customer's audit."""

from __future__ import annotations

from typing import Any, Literal

from django.db import IntegrityError, transaction
from django.utils import timezone
from pydantic import ValidationError

from labeling import registry
from labeling.api.serializers import iso
from labeling.errors import ValidationProblem
from labeling.markdown import render_markdown
from labeling.models import Account, Batch, Project, ResponseRevision, Task
from labeling.schemas import (
    COMMON_TASK_FIELDS,
    MAX_TAGS,
    AuditBody,
    TaskCommon,
    UniqueIdBody,
    check_metadata,
    check_storable,
    check_tags,
    problem_from_pydantic,
)
from labeling.services.base import Conflict, NotFound, check_value, get_task_type, validated
from labeling.services.batches import refresh_batch_status


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
    check_storable(payload)
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


def _locked_task(task: Task) -> Task:
    """Re-read the task under a row lock (call inside transaction.atomic; `of`
    because PostgreSQL cannot lock the nullable side of the batch join), so
    read-modify-write changes (tags, status) never lose a concurrent update."""
    return (
        Task.objects.select_for_update(of=("self",))
        .select_related("project", "batch")
        .get(pk=task.pk)
    )


def cancel_task(*, task: Task, clear_unique_id: bool = False) -> Task:
    """Cancel a pending task (it leaves the queue; a worker holding it can no
    longer submit). Anything else is a ValidationProblem: 400, not 409, because
    the scaleapi client cannot read a 409 from a task endpoint without a body."""
    with transaction.atomic():
        locked = _locked_task(task)
        if locked.status != Task.Status.PENDING:
            raise ValidationProblem(
                "status",
                f"task {locked.task_id} is {locked.status}; only pending tasks can be canceled",
            )
        locked.status = Task.Status.CANCELED
        locked.leased_to = None
        locked.lease_expires_at = None
        if clear_unique_id:
            locked.unique_id = None
        locked.save()
        if locked.batch is not None:
            refresh_batch_status(batch=locked.batch)
    return locked


def set_task_unique_id(*, task: Task, payload: Any) -> Task:
    """Give the task a new unique_id; Conflict when another task of the account has it."""
    unique_id = validated(UniqueIdBody, payload).unique_id
    if (
        Task.objects.filter(account_id=task.account_id, unique_id=unique_id)
        .exclude(pk=task.pk)
        .exists()
    ):
        raise Conflict(f"unique_id: a task with unique_id {unique_id!r} already exists")
    try:
        with transaction.atomic():
            locked = _locked_task(task)
            locked.unique_id = unique_id
            locked.save(update_fields=["unique_id"])
    except IntegrityError as exc:
        # Another request took the same unique_id between the check and the save.
        raise Conflict(f"unique_id: a task with unique_id {unique_id!r} already exists") from exc
    return locked


def clear_task_unique_id(*, task: Task) -> Task:
    with transaction.atomic():
        locked = _locked_task(task)
        locked.unique_id = None
        locked.save(update_fields=["unique_id"])
    return locked


def set_task_metadata(*, task: Task, metadata: Any) -> Task:
    """Replace the task's metadata (an object of at most 10 KB as JSON)."""
    metadata = check_value(check_metadata, "metadata", metadata)
    with transaction.atomic():
        locked = _locked_task(task)
        locked.metadata = metadata
        locked.save(update_fields=["metadata"])
    return locked


TagMode = Literal["set", "add", "remove"]


def change_task_tags(*, task: Task, tags: Any, mode: TagMode) -> Task:
    """Set, add or remove tags. Duplicates collapse, order of first appearance
    is kept, and at most 5 tags may remain after the change."""
    if not isinstance(tags, list):
        raise ValidationProblem("tags", "must be a list of strings")
    for i, tag in enumerate(tags):
        if not isinstance(tag, str):
            raise ValidationProblem(f"tags[{i}]", "must be a string")
    with transaction.atomic():
        locked = _locked_task(task)
        if mode == "set":
            result = tags
        elif mode == "add":
            result = [*locked.tags, *tags]
        else:
            result = [t for t in locked.tags if t not in set(tags)]
        deduped = list(dict.fromkeys(result))
        if len(deduped) > MAX_TAGS:
            raise ValidationProblem(
                "tags",
                f"at most {MAX_TAGS} tags are allowed (the task would have {len(deduped)})",
            )
        locked.tags = check_value(check_tags, "tags", deduped)
        locked.save(update_fields=["tags"])
    return locked


def audit_task(*, task: Task, payload: Any) -> Task:
    """The customer's audit of a completed task (Scale's `audit`): sets
    customer_review_status to accepted or rejected and records the audit and
    its comment. It does not send the task back to the workers (the review
    portal's reject does that); the response is kept unchanged."""
    body = validated(AuditBody, payload)
    result = Task.ReviewStatus.ACCEPTED if body.accepted else Task.ReviewStatus.REJECTED
    comment = body.comments or ""
    with transaction.atomic():
        locked = _locked_task(task)
        if locked.status != Task.Status.COMPLETED:
            raise ValidationProblem(
                "status",
                f"task {locked.task_id} is {locked.status}; only completed tasks can be audited",
            )
        now = timezone.now()
        locked.customer_review_status = result
        if comment:
            locked.customer_review_comments = [*locked.customer_review_comments, comment]
        # Same entry shape as the review portal's audits (labeling/review/services.py).
        locked.audits = [
            *locked.audits,
            {
                "audited_by": "customer",
                "audited_at": iso(now),
                "audit_result": result,
                "audit_source": "api",
                "comment": comment,
            },
        ]
        locked.save()
        ResponseRevision.objects.create(
            task=locked,
            kind=ResponseRevision.Kind.ACCEPTED
            if body.accepted
            else ResponseRevision.Kind.REJECTED,
            response=locked.response,
            comment=comment,
            created_at=now,
        )
    return locked
