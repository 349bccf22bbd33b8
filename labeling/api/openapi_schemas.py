"""JSON Schema (2020-12, as OpenAPI 3.1 uses it) of what the /v1 API reads and
writes, for labeling/api/openapi.py.

Request bodies come from the pydantic models the API validates with
(labeling/schemas.py, model_json_schema), plus the rules their validators check
in code; response objects mirror labeling/api/serializers.py, closed
(additionalProperties: false) so a serializer change fails
tests/api/test_openapi.py until the document follows."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from labeling import registry, schemas
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


def component_schemas() -> dict[str, Schema]:
    """Every named schema of the document: request bodies (one create body per
    registered task type) and response objects."""
    components = _request_schemas()
    for type_name in registry.names():
        components[f"CreateTask_{type_name}"] = _create_task_schema(type_name)
    return components | _response_schemas()
