"""Project writes: creation and setParams, each kept in `param_history`."""

from __future__ import annotations

import copy
import re
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from labeling import registry
from labeling.api.serializers import iso
from labeling.errors import ValidationProblem
from labeling.models import Account, Project
from labeling.schemas import ProjectCreate, SetParamsBody
from labeling.services.base import Conflict, get_task_type, validated


def _param_root(path: str) -> str:
    match = re.match(r"[^.\[]*", path)
    return match.group(0) if match else path


def validate_project_params(task_type: registry.TaskType, params: dict[str, Any]) -> dict[str, Any]:
    """Project params may be partial: each task supplies the rest (e.g. a
    project gives NER `labels`, each task its `text`). So the task type checks
    them in full, and only the problems about keys the project gives count;
    "text: is required" for a project without `text` does not. Tasks are
    checked in full at creation, with the merged params."""
    try:
        task_type.validate_params(copy.deepcopy(params))
    except ValidationProblem as exc:
        relevant = [(p, m) for p, m in exc.problems if p == "" or _param_root(p) in params]
        if relevant:
            raise ValidationProblem(relevant).prefixed("params") from exc
    return params


def _history_entry(*, version: int, params: dict[str, Any], instruction: str) -> dict[str, Any]:
    """One `param_history` entry as Scale shows it: the params spread out, plus
    version, created_at and instruction (the scaleapi client reads
    `param_history[-1]` as the project's params, version and instruction)."""
    return {
        **params,
        "version": version,
        "created_at": iso(timezone.now()),
        "instruction": instruction,
    }


def create_project(*, account: Account, payload: Any) -> Project:
    body = validated(ProjectCreate, payload)
    task_type = get_task_type(body.type)
    params = dict(body.params or {})
    # Scale's documented example puts the instruction inside params.
    instruction = params.pop("instruction", None)
    if instruction is not None and not isinstance(instruction, str):
        raise ValidationProblem("params.instruction", "must be a string")
    if body.instruction is not None:
        instruction = body.instruction
    instruction = instruction or ""
    validate_project_params(task_type, params)
    if Project.objects.filter(account=account, name=body.name).exists():
        raise Conflict(f"name: a project named {body.name!r} already exists")
    project = Project(
        account=account,
        name=body.name,
        type=task_type.name,
        params=params,
        instruction=instruction,
        param_history=[_history_entry(version=1, params=params, instruction=instruction)],
    )
    try:
        with transaction.atomic():
            project.save(force_insert=True)
    except IntegrityError as exc:
        raise Conflict(f"name: a project named {body.name!r} already exists") from exc
    return project


def set_project_params(*, project: Project, payload: Any) -> Project:
    """Scale's setParams: new params and/or instruction for tasks created from
    now on (existing tasks keep the params they were created with).

    Params come from `params` and/or top-level keys (the client's
    `update_project(name, **kwargs)` sends them top-level). With `patch: true`
    they are merged into the current params key by key; otherwise they replace
    them. A body with only `instruction` leaves the params as they are."""
    body = validated(SetParamsBody, payload)
    given = {**(body.params or {}), **(body.model_extra or {})}
    if body.params is None and not body.model_extra and body.instruction is None:
        raise ValidationProblem("params", "give params and/or instruction")
    params = dict(project.params)
    if body.params is not None or body.model_extra:
        params = {**project.params, **given} if body.patch else given
    instruction = project.instruction if body.instruction is None else body.instruction
    validate_project_params(get_task_type(project.type), params)
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        locked.params = params
        locked.instruction = instruction
        locked.param_history = [
            *locked.param_history,
            _history_entry(
                version=len(locked.param_history) + 1, params=params, instruction=instruction
            ),
        ]
        locked.save(update_fields=["params", "instruction", "param_history"])
    return locked
