"""GET /v1/openapi.json: a valid OpenAPI 3.1 document that matches the routes,
the list endpoints' parameters, and the JSON the API really answers."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import resolve
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_spec

from labeling.api import batches, task_list
from labeling.api import urls as api_urls
from tests.api.conftest import NER_LABELS, tc_task

METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
SAMPLES = {"task_id": "0123456789abcdef01234567", "name": "no-such-name"}


@pytest.fixture
def doc(db) -> dict[str, Any]:
    response = Client().get("/v1/openapi.json")  # no API key: the document is public
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def operations(doc: dict[str, Any]):
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield path, method, operation


def operation(doc: dict[str, Any], operation_id: str) -> tuple[str, str, dict[str, Any]]:
    for path, method, op in operations(doc):
        if op["operationId"] == operation_id:
            return path, method, op
    raise AssertionError(f"no operation {operation_id}")


def fill(path: str, values: dict[str, str] = SAMPLES) -> str:
    return "/v1" + re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], path)


def check(doc: dict[str, Any], schema: dict[str, Any], instance: Any) -> None:
    """Validate against a schema of the document ($refs resolve inside it)."""
    validator = Draft202012Validator(
        {**schema, "components": doc["components"]},
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(instance)]
    assert not errors, errors


def is_valid(doc: dict[str, Any], schema: dict[str, Any], instance: Any) -> bool:
    return Draft202012Validator({**schema, "components": doc["components"]}).is_valid(instance)


def response_schema(doc: dict[str, Any], operation_id: str, status: int = 200) -> dict[str, Any]:
    _path, _method, op = operation(doc, operation_id)
    answer = op["responses"][str(status)]
    if "$ref" in answer:
        answer = doc["components"]["responses"][answer["$ref"].rsplit("/", 1)[1]]
    return answer["content"]["application/json"]["schema"]


def body_schema(doc: dict[str, Any], operation_id: str) -> dict[str, Any]:
    return operation(doc, operation_id)[2]["requestBody"]["content"]["application/json"]["schema"]


def checked(doc, operation_id: str, response) -> Any:
    assert response.status_code == 200, response.content
    check(doc, response_schema(doc, operation_id), response.json())
    return response.json()


# ----------------------------------------------------------- the document


def test_document_is_valid_openapi_31(doc):
    assert doc["openapi"].startswith("3.1")
    validate_spec(doc)  # raises OpenAPIValidationError with the place
    scheme = doc["components"]["securitySchemes"]["apiKey"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "basic")
    assert doc["security"] == [{"apiKey": []}]
    assert doc["paths"]["/openapi.json"]["get"]["security"] == []


def test_operation_ids_are_unique_and_every_operation_has_200_and_401(doc):
    ids = [op["operationId"] for _p, _m, op in operations(doc)]
    assert len(ids) == len(set(ids))
    for path, method, op in operations(doc):
        assert "200" in op["responses"], (path, method)
        if path != "/openapi.json":
            assert "401" in op["responses"], (path, method)


def test_documented_operations_are_exactly_the_routes(doc):
    """Both ways: every documented path+method reaches a view that accepts the
    method, and every route's methods are documented."""
    documented = set()
    for path, method, _op in operations(doc):
        match = resolve(fill(path))
        assert method.upper() in match.func.api_methods, (path, method, match.url_name)
        documented.add((match.url_name, method.upper()))
    routed = {
        (pattern.name, method)
        for pattern in api_urls.urlpatterns
        for method in pattern.callback.api_methods
    }
    assert documented == routed


def test_every_task_type_has_a_create_operation(doc):
    from labeling import registry

    for name in registry.names():
        op = doc["paths"][f"/task/{name}"]["post"]
        assert resolve(f"/v1/task/{name}").url_name == "api-task"
        assert op["requestBody"]["required"] is True


def test_closed_ner_body_lists_the_keys_ner_accepts(doc):
    """The NER create body refuses other keys (unevaluatedProperties: false), so
    its keys must be exactly the shared fields plus ner.schema.PARAM_KEYS."""
    from labeling.schemas import COMMON_TASK_FIELDS
    from ner.schema import PARAM_KEYS

    schemas = doc["components"]["schemas"]
    create = schemas["CreateTask_namedentityrecognition"]
    assert create["unevaluatedProperties"] is False
    own = set(create["allOf"][1]["properties"])
    assert own == PARAM_KEYS
    assert set(schemas["TaskCommon"]["properties"]) == COMMON_TASK_FIELDS


def test_list_parameters_are_the_ones_the_views_accept(doc):
    def names(operation_id: str) -> set[str]:
        return {p["name"] for p in operation(doc, operation_id)[2].get("parameters", [])}

    assert names("listTasks") == task_list.PARAMS
    assert names("listBatches") == batches.LIST_PARAMS
    assert names("cancelTask") == {"clear_unique_id"}


# ----------------------------------------------------------- real responses


def test_real_responses_match_the_documented_schemas(
    doc, api, worker, django_capture_on_commit_callbacks
):
    from labeling.models import Task
    from labeling.queue import submit_response

    project_body = {"type": "textcollection", "name": "summaries/week 1", "params": tc_task()}
    check(doc, body_schema(doc, "createProject"), project_body)
    checked(doc, "createProject", api.post("projects", project_body))
    ner_body = {
        "type": "namedentityrecognition",
        "name": "people",
        "params": {"labels": NER_LABELS},
    }
    checked(doc, "createProject", api.post("projects", ner_body))
    checked(doc, "getProject", api.get("projects/summaries%2Fweek%201"))
    checked(doc, "listProjects", api.get("projects"))
    params = {"instruction": "Be brief.", "patch": True, "relationships": []}
    check(doc, body_schema(doc, "setProjectParams"), params)
    project = checked(doc, "setProjectParams", api.post("projects/people/setParams", params))
    assert project["param_history"][-1]["version"] == 2

    batch_body = {"project": "people", "name": "b1", "metadata": {"k": 1}}
    check(doc, body_schema(doc, "createBatch"), batch_body)
    checked(doc, "createBatch", api.post("batches", batch_body))

    task_body = {**tc_task(), "project": "summaries/week 1", "unique_id": "u-1",
                 "tags": ["a", "b"], "priority": 30, "metadata": {"x": [1]}}  # fmt: skip
    check(doc, body_schema(doc, "createTask_textcollection"), task_body)
    task = checked(doc, "createTask_textcollection", api.post("task/textcollection", task_body))
    checked(doc, "getTask", api.get(f"task/{task['task_id']}"))

    ner = {"project": "people", "batch": "b1", "text": "Ada met Babbage.",
           "callback_url": "http://127.0.0.1:9/closed"}  # fmt: skip
    check(doc, body_schema(doc, "createTask_namedentityrecognition"), ner)
    ner_task = checked(
        doc, "createTask_namedentityrecognition", api.post("task/namedentityrecognition", ner)
    )
    checked(doc, "finalizeBatch", api.post("batches/b1/finalize"))
    checked(doc, "getBatchStatus", api.get("batches/b1/status"))
    answer = {"annotations": [{"start": 0, "end": 3, "text": "Ada", "label": "person"}],
              "relationships": []}  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        submit_response(
            task=Task.objects.get(task_id=ner_task["task_id"]), response=answer, user=worker
        )
    audit = {"accepted": False, "comments": "Babbage is a person too."}
    check(doc, body_schema(doc, "auditTask"), audit)
    audited = checked(doc, "auditTask", api.post(f"task/{ner_task['task_id']}/audit", audit))
    assert {"response", "customer_review_status", "customer_review_comments"} <= set(audited)
    assert audited["audits"]
    callbacks = checked(doc, "getTaskCallbacks", api.get(f"task/{ner_task['task_id']}/callbacks"))
    assert callbacks["callbacks"], "a completed task with a callback_url has a delivery"
    status = checked(doc, "getBatchStatus", api.get("batches/b1/status"))
    assert status["status"] == "completed"

    tid = task["task_id"]
    check(doc, body_schema(doc, "addTaskTags"), ["c"])
    checked(doc, "addTaskTags", api.put(f"task/{tid}/tags", ["c"]))
    checked(doc, "removeTaskTags", api.delete(f"task/{tid}/tags", ["a"]))
    checked(doc, "setTaskTags", api.post(f"task/{tid}/tags", ["z"]))
    checked(doc, "setTaskMetadata", api.post(f"task/{tid}/setMetadata", {"m": True}))
    checked(doc, "setTaskUniqueId", api.post(f"task/{tid}/unique_id", {"unique_id": "u-2"}))
    checked(doc, "clearTaskUniqueId", api.delete(f"task/{tid}/unique_id"))

    first = checked(doc, "listTasks", api.get("tasks", limit=1))
    assert first["has_more"] and first["next_token"]
    rest = checked(doc, "listTasks", api.get("tasks", limit=1, next_token=first["next_token"]))
    assert rest["next_token"] is None
    limited = checked(doc, "listTasks", api.get("tasks", limited_response="true"))
    assert set(limited["docs"][0]) == {"task_id", "status", "metadata", "project"}
    checked(doc, "listTasks", api.get("tasks", status="completed", project="people"))
    checked(doc, "cancelTask", api.post(f"task/{tid}/cancel?clear_unique_id=true"))
    checked(doc, "listBatches", api.get("batches", project="people", status="completed"))
    checked(doc, "getBatch", api.get("batches/b1"))
    checked(doc, "setBatchMetadata", api.post("batches/b1/setMetadata", {"n": 2}))


def test_schemas_refuse_what_the_server_refuses(doc, api):
    """A few rules the documented request schemas state, checked against the server."""
    api.post("projects", {"type": "namedentityrecognition", "name": "people",
                          "params": {"labels": NER_LABELS}})  # fmt: skip
    cases = [
        ("createTask_namedentityrecognition", "task/namedentityrecognition",
         {"project": "people", "text": "Ada", "colour": "red"}),
        ("createTask_namedentityrecognition", "task/namedentityrecognition",
         {"project": "people", "text": "Ada", "priority": 15}),
        ("createBatch", "batches", {"project": "people", "name": "b", "self_label_batch": True}),
        ("createProject", "projects", {"type": "image", "name": "x"}),
        ("createProject", "projects", {"type": "textcollection", "name": "x" * 201}),
        ("createTask_namedentityrecognition", "task/namedentityrecognition",
         {"project": "people", "text": "Ada", "tags": ["x" * 201]}),
        ("createTask_namedentityrecognition", "task/namedentityrecognition",
         {"project": "people", "text": "Ada", "unique_id": ""}),
    ]  # fmt: skip
    for operation_id, path, body in cases:
        assert not is_valid(doc, body_schema(doc, operation_id), body), body
        response = api.post(path, body)
        assert response.status_code == 400, (body, response.json())
        check(doc, response_schema(doc, operation_id, 400), response.json())


# ----------------------------------------------------------- error responses


def _call(client, method, path, headers, body=None, values=SAMPLES):
    kwargs: dict[str, Any] = dict(headers)
    if body is not None:
        kwargs |= {"data": body, "content_type": "application/json"}
    return getattr(client, method)(fill(path, values), **kwargs)


def test_errors_are_documented_for_every_operation(doc, api, create_task):
    """Without a key every operation is a documented 401; with a key and names
    that do not exist the status is one the operation documents; a body over
    the limit is a documented 413. Each error body matches the Error schema."""
    client = Client()
    for path, method, op in operations(doc):
        if path == "/openapi.json":
            continue
        documented = op["responses"]
        response = _call(client, method, path, {})
        assert response.status_code == 401 and "401" in documented, (path, method)
        assert response["WWW-Authenticate"].startswith("Basic")
        check(doc, response_schema(doc, op["operationId"], 401), response.json())

        response = _call(client, method, path, api.headers, "{}" if "requestBody" in op else None)
        assert str(response.status_code) in documented, (path, method, response.json())
        check(doc, response_schema(doc, op["operationId"], response.status_code), response.json())

    # Objects that exist, so the size check is what answers.
    task = create_task()
    api.post("batches", {"project": "summaries", "name": "summaries"})
    real = {"task_id": task["task_id"], "name": "summaries"}
    with override_settings(API_MAX_BODY_BYTES=64):
        for path, method, op in operations(doc):
            if "requestBody" in op:
                big = json.dumps({"x": "y" * 100})
                response = _call(client, method, path, api.headers, big, real)
                assert response.status_code == 413 and "413" in op["responses"], (path, method)
                check(doc, response_schema(doc, op["operationId"], 413), response.json())
