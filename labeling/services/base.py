"""What every service shares: the errors that map to 404 and 409, the task-type
lookup, and request-body validation that reports problems by place."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError

from labeling import registry
from labeling.errors import ValidationProblem
from labeling.schemas import check_storable, problem_from_pydantic


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


def validated(model: type[BaseModel], payload: Any, *, what: str = "request body") -> Any:
    if not isinstance(payload, dict):
        raise ValidationProblem("", f"{what} must be a JSON object")
    check_storable(payload)
    try:
        return model.model_validate(payload, strict=True)
    except ValidationError as exc:
        raise problem_from_pydantic(exc) from exc


def check_value(check: Any, path: str, value: Any) -> Any:
    try:
        return check(value)
    except ValueError as exc:
        raise ValidationProblem(path, str(exc)) from exc
