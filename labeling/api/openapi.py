"""The OpenAPI 3.1 document of the /v1 API, served at GET /v1/openapi.json.

Built from the definitions the API itself uses, so it cannot quietly disagree
with them: the bodies and objects (labeling/api/openapi_schemas.py) come from
the pydantic request models and mirror the serializers, enums come from the
models and the task-type registry, the task list's date bounds are
task_list.DATE_RANGES. tests/api/test_openapi.py validates the document, checks
every documented path and method against the URL conf and the list endpoints'
parameters against the names their views accept, and validates real responses
against the documented schemas.

The document is public (no API key): it describes the API, not anyone's data."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from labeling import registry
from labeling.api import task_list
from labeling.api.openapi_schemas import (
    ERROR_STATUSES,
    NAME,
    OBJECT,
    STRING,
    Schema,
    component_schemas,
    ref,
)
from labeling.models import Batch, Task

# ----------------------------------------------------------- parameters


def _query(name: str, schema: Schema, description: str, **kw: Any) -> Schema:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
        **kw,
    }


def _several(name: str, values: list[str] | None, description: str) -> Schema:
    item = {"type": "string", "enum": values} if values else STRING
    return _query(name, {"type": "array", "items": item}, description, explode=True)


def _bool(name: str, description: str) -> Schema:
    return _query(name, {"type": "boolean", "default": False}, description)


def _limit() -> Schema:
    return _query(
        "limit", {"type": "integer", "minimum": 1, "maximum": 100, "default": 100}, "Page size."
    )


DATE_HELP = (
    "ISO 8601 date-time (`2024-05-24 13:45:00.123456`, `2024-05-24T13:45:00Z`, with an "
    "offset) or a date; without a zone it is UTC. Inclusive."
)


def _task_list_parameters() -> list[Schema]:
    review = [v for v in Task.ReviewStatus.values if v]
    moment = {**STRING, "examples": ["2024-05-24T13:45:00Z"]}
    params = [
        _query("project", STRING, "Project name (404 if unknown)."),
        _query("batch", STRING, "Batch name (404 if unknown)."),
        _query("type", {"type": "string", "enum": registry.names()}, "Task type."),
        _several("status", list(Task.Status.values), "Repeated or comma-separated."),
        _several("customer_review_status", review, "Repeated or comma-separated."),
        _several("unique_id", None, "Tasks with any of these unique_ids."),
        _several("tags", None, "Tasks having all of these tags."),
    ]
    for field, (lows, highs) in task_list.DATE_RANGES.items():
        for name in (*lows, *highs):
            bound = "Lower" if name in lows else "Upper"
            params.append(_query(name, moment, f"{bound} bound on `{field}`. {DATE_HELP}"))
    params += [
        _limit(),
        _query("next_token", STRING, "The previous page's `next_token` (opaque)."),
        _bool("include_attachment_url", "Accepted and ignored."),
        _bool("limited_response", "Each doc is only `{task_id, status, metadata, project}`."),
    ]
    return params


def _batch_list_parameters() -> list[Schema]:
    moment = {**STRING, "examples": ["2024-05-24T13:45:00Z"]}
    return [
        _query("project", STRING, "Project name (404 if unknown)."),
        _several("status", list(Batch.Status.values), "Repeated or comma-separated."),
        _query("start_time", moment, f"Lower bound on `created_at`. {DATE_HELP}"),
        _query("end_time", moment, f"Upper bound on `created_at`. {DATE_HELP}"),
        _bool("exclude_archived", "Accepted and ignored (batches are never archived)."),
        _limit(),
        _query("offset", {"type": "integer", "minimum": 0, "default": 0}, "Rows to skip."),
    ]


def _path_param(name: str, description: str, schema: Schema) -> Schema:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "schema": schema,
        "description": description,
    }


TASK_ID = _path_param("task_id", "The task's id.", STRING)
PROJECT_NAME = _path_param("name", "Project name, percent-encoded (`/` as `%2F`).", NAME)
BATCH_NAME = _path_param("name", "Batch name, percent-encoded (`/` as `%2F`).", NAME)


# ----------------------------------------------------------- operations


def _op(
    operation_id: str,
    summary: str,
    tag: str,
    ok: Schema,
    errors: tuple[int, ...],
    *,
    body: Schema | None = None,
    parameters: list[Schema] | None = None,
) -> Schema:
    operation: Schema = {
        "operationId": operation_id,
        "summary": summary,
        "tags": [tag],
        "responses": {
            "200": {"description": "OK", "content": {"application/json": {"schema": ok}}},
            **{str(s): {"$ref": f"#/components/responses/Error{s}"} for s in errors},
        },
    }
    if parameters:
        operation["parameters"] = parameters
    if body is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": body}},
        }
    return operation


# (path, method, operationId, summary, 200 schema, error statuses, request body)
T, P, B = "/task/{task_id}", "/projects/{name}", "/batches/{name}"
TAGS = {"task": "tasks", "tasks": "tasks", "projects": "projects", "batches": "batches",
        "openapi.json": "meta"}  # fmt: skip
ALL_BODY = (400, 401, 404, 409, 413)
BODY = (400, 401, 404, 413)
OPERATIONS: list[tuple[str, str, str, str, Schema, tuple[int, ...], str | None]] = [
    (T, "get", "getTask", "Retrieve a task", ref("Task"), (401, 404), None),
    (f"{T}/cancel", "post", "cancelTask", "Cancel a pending task", ref("Task"), (400, 401, 404), None),
    (f"{T}/unique_id", "post", "setTaskUniqueId", "Set the unique_id", ref("Task"), ALL_BODY, "UniqueIdBody"),
    (f"{T}/unique_id", "delete", "clearTaskUniqueId", "Clear the unique_id", ref("Task"), (401, 404), None),
    (f"{T}/setMetadata", "post", "setTaskMetadata", "Replace the metadata", ref("Task"), BODY, "Metadata"),
    (f"{T}/tags", "post", "setTaskTags", "Set the tags", ref("Task"), BODY, "Tags"),
    (f"{T}/tags", "put", "addTaskTags", "Add tags", ref("Task"), BODY, "Tags"),
    (f"{T}/tags", "delete", "removeTaskTags", "Remove tags", ref("Task"), BODY, "Tags"),
    (f"{T}/audit", "post", "auditTask", "Audit a completed task", ref("Task"), BODY, "AuditBody"),
    (f"{T}/callbacks", "get", "getTaskCallbacks", "Callback deliveries", ref("TaskCallbacks"), (401, 404), None),
    ("/tasks", "get", "listTasks", "Tasks, oldest first, cursor-paged", ref("TaskList"), (400, 401, 404), None),
    ("/projects", "get", "listProjects", "Every project, oldest first", {"type": "array", "items": ref("Project")}, (401,), None),
    ("/projects", "post", "createProject", "Create a project", ref("Project"), (400, 401, 409, 413), "ProjectCreate"),
    (P, "get", "getProject", "Retrieve a project", ref("Project"), (401, 404), None),
    (f"{P}/setParams", "post", "setProjectParams", "Params for new tasks", ref("Project"), BODY, "SetParamsBody"),
    ("/batches", "get", "listBatches", "Batches, oldest first, offset-paged", ref("BatchList"), (400, 401, 404), None),
    ("/batches", "post", "createBatch", "Create a batch (staging)", ref("Batch"), ALL_BODY, "BatchCreate"),
    (B, "get", "getBatch", "Retrieve a batch", ref("Batch"), (401, 404), None),
    (f"{B}/finalize", "post", "finalizeBatch", "Open a staging batch (idempotent)", ref("Batch"), (401, 404), None),
    (f"{B}/status", "get", "getBatchStatus", "Task counts by status", ref("BatchStatus"), (401, 404), None),
    (f"{B}/setMetadata", "post", "setBatchMetadata", "Replace the metadata", ref("Batch"), BODY, "Metadata"),
    ("/openapi.json", "get", "getOpenApi", "This document (no API key needed)", OBJECT, (), None),
]  # fmt: skip


def _paths() -> dict[str, Schema]:
    query = {
        "cancelTask": [_bool("clear_unique_id", "Also clear the unique_id.")],
        "listTasks": _task_list_parameters(),
        "listBatches": _batch_list_parameters(),
    }
    paths: dict[str, Schema] = {}
    for type_name in registry.names():
        paths[f"/task/{type_name}"] = {
            "post": _op(
                f"createTask_{type_name}",
                f"Create a {type_name} task",
                "tasks",
                ref("Task"),
                ALL_BODY,
                body=ref(f"CreateTask_{type_name}"),
            )
        }
    for path, method, op_id, summary, ok, errors, body in OPERATIONS:
        item = paths.setdefault(path, {})
        if "{" in path:
            item["parameters"] = [{T: TASK_ID, P: PROJECT_NAME, B: BATCH_NAME}[_base(path)]]
        tag = TAGS[path.split("/")[1]]
        item[method] = _op(
            op_id,
            summary,
            tag,
            ok,
            errors,
            body=ref(body) if body else None,
            parameters=query.get(op_id),
        )
    # The document itself is public.
    paths["/openapi.json"]["get"]["security"] = []
    return paths


def _base(path: str) -> str:
    return "/".join(path.split("/")[:3])


def document() -> Schema:
    """The whole OpenAPI document (cheap to build: a few milliseconds)."""
    components = component_schemas()
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "labelform /v1 API (Scale-compatible)",
            "version": "1",
            "description": "Scale AI's v1 task API for TextCollection and Named Entity "
            "Recognition tasks; see docs/api.md. Success is always 200 with JSON; errors "
            'are `{"error": "<place>: <message>", "status_code": n}`. A wrong method for a '
            f"path is a 405 with an `Allow` header. Bodies are at most "
            f"{settings.API_MAX_BODY_BYTES} bytes.",
        },
        "servers": [{"url": "/v1"}],
        "security": [{"apiKey": []}],
        "tags": [{"name": n} for n in ("tasks", "projects", "batches", "meta")],
        "paths": _paths(),
        "components": {
            "schemas": components,
            "securitySchemes": {
                "apiKey": {
                    "type": "http",
                    "scheme": "basic",
                    "description": "HTTP Basic with the API key as the user name and an "
                    "empty password (what the scaleapi client sends).",
                }
            },
            "responses": {
                f"Error{status}": {
                    "description": text,
                    "content": {"application/json": {"schema": ref("Error")}},
                    **(
                        {"headers": {"WWW-Authenticate": {"schema": STRING}}}
                        if status == 401
                        else {}
                    ),
                }
                for status, text in ERROR_STATUSES.items()
            },
        },
    }


@require_GET
def openapi_json(request: HttpRequest) -> JsonResponse:
    return JsonResponse(document(), json_dumps_params={"ensure_ascii": False})


# Same marker as api_view's views, for the route test.
openapi_json.api_methods = ("GET",)  # type: ignore[attr-defined]
