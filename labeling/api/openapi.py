"""The OpenAPI 3.1 document of the /v1 API, served at GET /v1/openapi.json.

Built from the definitions the API itself uses, so it cannot quietly disagree
with them: request bodies are the pydantic models of labeling/schemas.py
(model_json_schema), enums come from the models and the task-type registry,
the task list's date bounds are task_list.DATE_RANGES, and the response objects are JSON
Schema for what labeling/api/serializers.py produces. tests/api/test_openapi.py
validates the document, checks every documented path and method against the
URL conf and the list endpoints' parameters against the names their views
accept, and validates real responses against the documented schemas.

The document is public (no API key): it describes the API, not anyone's data."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET
from pydantic import BaseModel

from labeling import registry, schemas
from labeling.api import task_list
from labeling.models import Batch, CallbackDelivery, Task

Schema = dict[str, Any]

STRING: Schema = {"type": "string"}
NULLABLE_STRING: Schema = {"type": ["string", "null"]}
OBJECT: Schema = {"type": "object"}
MOMENT: Schema = {"type": "string", "format": "date-time"}
NULLABLE_MOMENT: Schema = {"type": ["string", "null"], "format": "date-time"}
COUNT: Schema = {"type": "integer", "minimum": 0}
NAME: Schema = {"type": "string", "minLength": 1, "maxLength": schemas.MAX_NAME_LENGTH}
ERROR_STATUSES = {
    400: "Bad request: malformed JSON, a missing or wrong field, an unknown query parameter, "
    "or an action not allowed in the object's state. The message names the place.",
    401: "No API key, an unknown key or a revoked key.",
    404: "No such task, project or batch in this account (also when named in a body or filter).",
    409: "A duplicate: project name, batch name or task unique_id.",
    413: "The request body is larger than API_MAX_BODY_BYTES.",
}


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def obj(
    required: dict[str, Schema], optional: dict[str, Schema] | None = None, **kw: Any
) -> Schema:
    """A closed object: exactly these keys, so a serializer change shows up in the tests."""
    return {
        "type": "object",
        "properties": {**required, **(optional or {})},
        "required": list(required),
        "additionalProperties": False,
        **kw,
    }


# ----------------------------------------------------------- request bodies


def _model_schema(model: type[BaseModel], components: dict[str, Schema]) -> Schema:
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update(schema.pop("$defs", {}))
    return schema


def _refine(schema: Schema, prop: str, description: str = "", **keywords: Any) -> None:
    """Add the rules a pydantic validator checks in code to a property's schema
    (on the non-null branch of an `X | None`)."""
    target = schema["properties"][prop]
    branches = [b for b in target.get("anyOf", []) if b.get("type") != "null"]
    (branches[0] if branches else target).update(keywords)
    if description:
        target["description"] = description


def _request_schemas() -> dict[str, Schema]:
    out: dict[str, Schema] = {}
    common = _model_schema(schemas.TaskCommon, out)
    _refine(common, "project", "Project name; required unless `batch` is given.")
    _refine(common, "batch", "Batch name; the batch must not be completed.")
    _refine(common, "instruction", "Markdown; default: the project's instruction.")
    _refine(common, "callback_url", "An http(s) URL or an email address (docs/callbacks.md).")
    _refine(common, "metadata", "At most 10 KB as compact JSON.")
    _refine(common, "unique_id", "Unique per account (409).", minLength=1, maxLength=500)
    _refine(
        common,
        "tags",
        f"At most {schemas.MAX_TAGS} after duplicates collapse.",
        items={"type": "string", "minLength": 1, "maxLength": 200},
    )
    _refine(common, "priority", "Default 20.", enum=list(schemas.PRIORITIES))
    _refine(common, "hypothesis", "A pre-filled response, checked against the params.")
    out["TaskCommon"] = common

    project = _model_schema(schemas.ProjectCreate, out)
    _refine(project, "name", "Unique per account (409); see docs/api.md *Names*.", **NAME)
    _refine(project, "type", enum=registry.names())
    _refine(project, "params", "Default (possibly partial) params for the project's tasks.")
    for flag in ("rapid", "studio", "datasetId"):
        _refine(project, flag, "Accepted and ignored.")
    out["ProjectCreate"] = project

    batch = _model_schema(schemas.BatchCreate, out)
    _refine(batch, "name", "Unique per account (409).", **NAME)
    _refine(batch, "callback", "An http(s) URL, an email address or empty.")
    _refine(batch, "metadata", "At most 10 KB as compact JSON.")
    for flag in ("calibration_batch", "self_label_batch"):
        _refine(batch, flag, "labelform has no such batches: true is a 400.", enum=[False])
    out["BatchCreate"] = batch

    unique_id = _model_schema(schemas.UniqueIdBody, out)
    _refine(unique_id, "unique_id", minLength=1, maxLength=500)
    out["UniqueIdBody"] = unique_id
    out["AuditBody"] = _model_schema(schemas.AuditBody, out)
    set_params = _model_schema(schemas.SetParamsBody, out)
    set_params["description"] = (
        "New params (nested under `params`, or as top-level keys, or both: top-level keys "
        "win) and/or a new instruction. `patch: true` merges key by key; otherwise the "
        "params are replaced. An empty body is a 400."
    )
    out["SetParamsBody"] = set_params
    out["Metadata"] = {**OBJECT, "description": "At most 10 KB as compact JSON."}
    out["Tags"] = {
        "type": "array",
        "items": {"type": "string", "minLength": 1, "maxLength": 200},
        "description": f"At most {schemas.MAX_TAGS} tags may remain after the change.",
    }
    return out


# The task types' own params keys (docs/textcollection.md, docs/ner.md); a
# type registered later without an entry here gets an open object.
TYPE_PARAMS: dict[str, Schema] = {
    "textcollection": {
        "properties": {
            "fields": {"type": "array", "items": OBJECT},
            "attachments": {"type": "array", "items": OBJECT},
        },
    },
    "namedentityrecognition": {
        "properties": {
            "text": STRING,
            "labels": {"type": "array", "items": OBJECT},
            "relationships": {"type": "array", "items": OBJECT},
        },
        # NER params with any other key are a 400.
        "unevaluatedProperties": False,
    },
}


def _create_task_schema(type_name: str) -> Schema:
    own = TYPE_PARAMS.get(type_name, {})
    return {
        "allOf": [ref("TaskCommon"), {"type": "object", "properties": own.get("properties", {})}],
        **{k: v for k, v in own.items() if k != "properties"},
        "description": "The fields every task type shares plus this type's params; the "
        "project's params fill in the keys the task does not give (docs/api.md).",
    }


# ----------------------------------------------------------- response objects


def _response_schemas() -> dict[str, Schema]:
    review_statuses = [v for v in Task.ReviewStatus.values if v]
    return {
        "Error": obj(
            {"error": {"type": "string", "minLength": 1}, "status_code": {"type": "integer"}},
            description='`"<place>: <message>"` and the HTTP status.',
        ),
        "Task": obj(
            {
                "task_id": STRING,
                "type": {"type": "string", "enum": registry.names()},
                "status": {"type": "string", "enum": list(Task.Status.values)},
                "project": STRING,
                "batch": NULLABLE_STRING,
                "instruction": STRING,
                "params": {**OBJECT, "description": "The effective params, frozen."},
                "callback_url": STRING,
                "metadata": OBJECT,
                "unique_id": NULLABLE_STRING,
                "clear_unique_id_on_error": {"type": "boolean"},
                "tags": {"type": "array", "items": STRING},
                "priority": {"type": "integer"},
                "created_at": MOMENT,
                "updated_at": MOMENT,
                "completed_at": NULLABLE_MOMENT,
                "audits": {"type": "array", "items": OBJECT},
            },
            {
                "hypothesis": {"description": "Only when given at creation."},
                "response": {**OBJECT, "description": "Only once completed."},
                "customer_review_status": {"type": "string", "enum": review_statuses},
                "customer_review_comments": {"type": "array", "items": STRING},
            },
        ),
        "LimitedTask": obj(
            {
                "task_id": STRING,
                "status": {"type": "string", "enum": list(Task.Status.values)},
                "metadata": OBJECT,
                "project": STRING,
            },
            description="A task with `limited_response=true`.",
        ),
        "TaskList": obj(
            {
                "docs": {"type": "array", "items": {"anyOf": [ref("Task"), ref("LimitedTask")]}},
                "total": COUNT,
                "limit": COUNT,
                "offset": COUNT,
                "has_more": {"type": "boolean"},
                "next_token": {
                    "type": ["string", "null"],
                    "description": "Pass it back (with the same filters) for the next page.",
                },
            }
        ),
        "Project": obj(
            {
                "name": STRING,
                "type": {"type": "string", "enum": registry.names()},
                "params": OBJECT,
                "instruction": STRING,
                "param_history": {"type": "array", "items": ref("ParamVersion")},
                "created_at": MOMENT,
            }
        ),
        "ParamVersion": {
            "type": "object",
            "properties": {"version": {"type": "integer", "minimum": 1}, "instruction": STRING},
            "required": ["version", "instruction"],
            "description": "That version's params spread out, plus `version`, `instruction` "
            "and `created_at`.",
        },
        "Batch": obj(
            {
                "name": STRING,
                "project": STRING,
                "status": {"type": "string", "enum": list(Batch.Status.values)},
                "callback": STRING,
                "metadata": OBJECT,
                "created_at": MOMENT,
                "completed_at": NULLABLE_MOMENT,
            }
        ),
        "BatchList": obj(
            {
                "docs": {"type": "array", "items": ref("Batch")},
                "total": COUNT,
                "totalDocs": {**COUNT, "description": "Same as `total` (the client reads it)."},
                "limit": COUNT,
                "offset": COUNT,
                "has_more": {"type": "boolean"},
            }
        ),
        "BatchStatus": obj(
            {
                "status": {"type": "string", "enum": list(Batch.Status.values)},
                **{name: COUNT for name in ("pending", "completed", "error", "canceled")},
            }
        ),
        "TaskCallbacks": obj(
            {"task_id": STRING, "callbacks": {"type": "array", "items": ref("CallbackDelivery")}}
        ),
        "CallbackDelivery": obj(
            {
                "id": {"type": "integer"},
                "event": STRING,
                "url": STRING,
                "status": {"type": "string", "enum": list(CallbackDelivery.Status.values)},
                "created_at": MOMENT,
                "delivered_at": NULLABLE_MOMENT,
                "next_attempt_at": NULLABLE_MOMENT,
                "attempts": {"type": "array", "items": ref("CallbackAttempt")},
            }
        ),
        "CallbackAttempt": obj(
            {
                "at": MOMENT,
                "ok": {"type": "boolean"},
                "status_code": {"type": ["integer", "null"]},
                "error": STRING,
                "duration_ms": {"type": ["integer", "null"]},
            }
        ),
    }


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
    components = _request_schemas()
    for type_name in registry.names():
        components[f"CreateTask_{type_name}"] = _create_task_schema(type_name)
    components |= _response_schemas()
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
