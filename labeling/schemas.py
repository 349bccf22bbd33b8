"""Pydantic models for the JSON the /v1 API accepts (the fields every task type shares).

Task-type params are not modelled here: each task type validates its own."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from labeling.errors import Key, ValidationProblem, join_path

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
        keys = [Key(p) if isinstance(p, str) else p for p in loc]
        path = join_path(prefix, *keys)
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
        return v if v is None else check_unique_id(v)

    @field_validator("callback_url")
    @classmethod
    def _callback_url(cls, v: str | None) -> str | None:
        if v is None or v == "":
            return v
        return check_callback_url(v)


# Project and batch names appear in URLs (the scaleapi client percent-encodes
# them, and the server decodes `%2F` to `/`), so a name may contain `/` but must
# not end with one of the action suffixes, or `GET batches/<name>` would be
# ambiguous with `GET batches/<name>/status`.
RESERVED_NAME_SUFFIXES = ("/finalize", "/status", "/setMetadata", "/setParams")
MAX_NAME_LENGTH = 200


def check_name(value: str) -> str:
    if not value.strip():
        raise ValueError("must be a non-empty string")
    if len(value) > MAX_NAME_LENGTH:
        raise ValueError(f"must be at most {MAX_NAME_LENGTH} characters")
    if value != value.strip():
        raise ValueError("must not start or end with whitespace")
    for suffix in RESERVED_NAME_SUFFIXES:
        if value.endswith(suffix):
            raise ValueError(f"must not end with {suffix!r} (it would clash with an API path)")
    return value


def check_unique_id(value: str) -> str:
    if not value.strip() or len(value) > 500:
        raise ValueError("must be a non-empty string of at most 500 characters")
    return value


class ProjectCreate(BaseModel):
    """POST /v1/projects, as the scaleapi client sends it."""

    model_config = ConfigDict(strict=True, extra="forbid")

    type: str
    name: str
    params: dict[str, Any] | None = None
    instruction: str | None = None
    # Scale product flags: labelform has one kind of project, so they are accepted
    # (the client always sends them) and have no effect.
    rapid: bool = False
    studio: bool = False
    datasetId: str | None = None  # Scale's spelling

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        return check_name(v)


class BatchCreate(BaseModel):
    """POST /v1/batches, as the scaleapi client sends it."""

    model_config = ConfigDict(strict=True, extra="forbid")

    project: str
    name: str
    callback: str = ""
    metadata: dict[str, Any] = {}
    calibration_batch: bool = False
    self_label_batch: bool = False

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        return check_name(v)

    @field_validator("metadata", mode="before")
    @classmethod
    def _metadata(cls, v: Any) -> Any:
        return check_metadata(v)

    @field_validator("callback")
    @classmethod
    def _callback(cls, v: str) -> str:
        return check_callback_url(v) if v else v

    @field_validator("calibration_batch", "self_label_batch")
    @classmethod
    def _unsupported(cls, v: bool) -> bool:
        if v:
            raise ValueError("is not supported by labelform (send false or leave it out)")
        return v


class UniqueIdBody(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")

    unique_id: str

    @field_validator("unique_id")
    @classmethod
    def _unique_id(cls, v: str) -> str:
        return check_unique_id(v)


class AuditBody(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")

    accepted: bool
    comments: str | None = None


class SetParamsBody(BaseModel):
    """POST /v1/projects/<name>/setParams. Task params may come nested under
    `params` or, as Scale's client sends `update_project(name, **kwargs)`, as
    top-level keys; both are collected by the service."""

    model_config = ConfigDict(strict=True, extra="allow")

    params: dict[str, Any] | None = None
    instruction: str | None = None
    patch: bool = False


def check_storable(value: Any, path: str = "") -> None:
    """Refuse strings no database column can hold: PostgreSQL's text and jsonb
    reject U+0000, and a lone surrogate cannot be encoded as UTF-8. Found by
    the API fuzzer on PostgreSQL (SQLite stored them silently)."""
    from labeling.errors import Key, ValidationProblem, join_path

    stack: list[tuple[str, Any]] = [(path, value)]
    while stack:
        here, item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                raise ValidationProblem(here, "must not contain the NUL character (U+0000)")
            try:
                item.encode("utf-8")
            except UnicodeEncodeError as exc:
                raise ValidationProblem(
                    here, "contains an unpaired surrogate (not valid Unicode)"
                ) from exc
        elif isinstance(item, dict):
            for key, child in item.items():
                child_path = join_path(here, Key(str(key)))
                stack.append((child_path, key))
                stack.append((child_path, child))
        elif isinstance(item, list):
            stack.extend((join_path(here, i), child) for i, child in enumerate(item))
