"""Pydantic models for the JSON the /v1 API accepts (the fields every task type shares).

Task-type params are not modelled here: each task type validates its own."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from labeling.errors import ValidationProblem, join_path

COMMON_TASK_FIELDS = {
    "project",
    "batch",
    "instruction",
    "callback_url",
    "metadata",
    "unique_id",
    "clear_unique_id_on_error",
    "tags",
    "priority",
    "hypothesis",
}
MAX_TAGS = 5
MAX_METADATA_BYTES = 10 * 1024
PRIORITIES = (10, 20, 30)


def problem_from_pydantic(exc: ValidationError, prefix: str = "") -> ValidationProblem:
    """Turn pydantic's errors into our "path: message" form."""
    problems = []
    for err in exc.errors():
        loc = [p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-"))]
        path = join_path(prefix, *loc) if prefix else join_path(*loc)
        msg = err["msg"]
        if err["type"] == "missing":
            msg = "is required"
        elif err["type"] == "extra_forbidden":
            msg = "is not a known field"
        elif msg.startswith("Value error, "):
            msg = msg.removeprefix("Value error, ")
        else:
            msg = msg[0].lower() + msg[1:] if msg else msg
        problems.append((path, msg))
    return ValidationProblem(problems)


def check_metadata(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError("must be an object")
    size = len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode())
    if size > MAX_METADATA_BYTES:
        raise ValueError(f"must be at most 10 KB as JSON (got {size} bytes)")
    return value


def check_tags(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
        raise ValueError("must be a list of strings")
    if any(not t.strip() for t in value):
        raise ValueError("tags must not be empty strings")
    if any(len(t) > 200 for t in value):
        raise ValueError("tags must be at most 200 characters")
    deduped = list(dict.fromkeys(value))
    if len(deduped) > MAX_TAGS:
        raise ValueError(f"at most {MAX_TAGS} tags are allowed (got {len(deduped)})")
    return deduped


def check_callback_url(value: str) -> str:
    from labeling.callback_targets import check_callback_target

    return check_callback_target(value)


class TaskCommon(BaseModel):
    """The task fields every task type shares (Scale's names)."""

    model_config = ConfigDict(strict=True, extra="ignore")

    project: str | None = None
    batch: str | None = None
    instruction: str | None = None
    callback_url: str | None = None
    metadata: dict[str, Any] = {}
    unique_id: str | None = None
    clear_unique_id_on_error: bool = False
    tags: list[str] = []
    priority: int | None = None
    hypothesis: Any = None

    @field_validator("metadata", mode="before")
    @classmethod
    def _metadata(cls, v: Any) -> Any:
        return check_metadata(v)

    @field_validator("tags", mode="before")
    @classmethod
    def _tags(cls, v: Any) -> Any:
        return check_tags(v)

    @field_validator("priority")
    @classmethod
    def _priority(cls, v: int | None) -> int | None:
        if v is not None and v not in PRIORITIES:
            raise ValueError("must be 10, 20 or 30")
        return v

    @field_validator("unique_id")
    @classmethod
    def _unique_id(cls, v: str | None) -> str | None:
        if v is not None and (not v.strip() or len(v) > 500):
            raise ValueError("must be a non-empty string of at most 500 characters")
        return v

    @field_validator("callback_url")
    @classmethod
    def _callback_url(cls, v: str | None) -> str | None:
        if v is None or v == "":
            return v
        return check_callback_url(v)
