"""Property-based fuzzing of every /v1 endpoint (hypothesis).

Random JSON (wrong types, huge and odd strings, deep nesting, unknown keys,
unicode, NaN), random raw bodies and random path/query values. The property:
never a 5xx; every error is JSON {"error": "..."} with a non-empty message, and
a 400 names the place (`path: message`). Oversized bodies get 413 before
parsing."""

from __future__ import annotations

import json
import os
import string
from typing import Any
from urllib.parse import quote

import pytest
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from labeling.services import create_task
from tests.conftest import make_project

# FUZZ_EXAMPLES=500 for a longer hunt; the suite's default keeps `make test` quick.
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "40")),
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Scalars a JSON body can hold, including the awkward ones.
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.sampled_from(["", " ", "\x00", "\ud800", "💥" * 50, "a" * 5000, "<script>x</script>"]),
)
json_values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5),
        # Non-empty keys: an empty key is a known gap (test_empty_key_is_named).
        st.dictionaries(st.text(min_size=1, max_size=12), children, max_size=5),
    ),
    max_leaves=25,
)
names = st.one_of(
    st.text(alphabet=string.ascii_letters + string.digits + "-_ ./%", min_size=1, max_size=30),
    st.text(min_size=1, max_size=10).filter(lambda s: "\x00" not in s),
)

TASK_KEYS = [
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
    "attachments",
    "fields",
    "text",
    "labels",
    "relationships",
]


def _valid_ner() -> dict[str, Any]:
    return {"project": "ner", "text": "Ada Lovelace", "labels": [{"name": "PER"}]}


def _valid_tc() -> dict[str, Any]:
    return {
        "project": "tc",
        "attachments": [{"type": "text", "content": "Read **this**."}],
        "fields": [{"type": "text", "field_id": "a", "title": "A"}],
    }


@st.composite
def mutated_payloads(draw, base):
    """A valid payload with some keys replaced, removed or added."""
    payload = dict(base())
    for key in draw(st.lists(st.sampled_from(TASK_KEYS), max_size=4)):
        action = draw(st.sampled_from(["replace", "drop"]))
        if action == "drop":
            payload.pop(key, None)
        else:
            payload[key] = draw(json_values)
    extra = st.dictionaries(st.text(min_size=1, max_size=10), json_values, max_size=3)
    for key, value in draw(extra).items():
        payload[key] = value
    return payload


def deep(depth: int, kind: str = "list") -> str:
    return ("[" * depth + "]" * depth) if kind == "list" else ('{"a":' * depth + "1" + "}" * depth)


RAW_BODIES = [
    b"",
    b"   ",
    b"not json",
    b"{",
    b'{"a": }',
    b"\xff\xfe\xfa",
    b'"just a string"',
    b"[]",
    b"null",
    b"1e999999",
    b'{"project": NaN}',
    b'{"text": "\\ud800"}',
    deep(100_000).encode(),
    deep(100_000, "dict").encode(),
    b'{"a": 1, "a": 2}',
    b'{"project": Infinity}',
    b'{"text": "\\uDFFF\\ud800"}',
    b'{"text": "\\ud83d\\ude00 paired is fine"}',
    # Deep, but under the parser's limit: every layer below must cope too.
    (
        '{"project": "ner", "text": "a", "labels": [{"name": "PER"}], "metadata": '
        + deep(900, "dict")
        + "}"
    ).encode(),
    ('{"project": "tc", "fields": ' + deep(900) + ', "attachments": ' + deep(900) + "}").encode(),
    ('{"project": "ner", "text": "a", "labels": ' + deep(900) + "}").encode(),
    (
        '{"project": "ner", "text": "a", "labels": [{"name": "PER"}], "hypothesis": '
        + deep(900, "dict")
        + "}"
    ).encode(),
    ("[" + "1," * 200_000 + "1]").encode(),
]


def check(response) -> None:
    assert response.status_code < 500, (response.status_code, response.content[:500])
    body = response.json()
    if response.status_code >= 400:
        assert isinstance(body.get("error"), str) and body["error"].strip(), body
        if response.status_code == 400:  # names the place: "path: message" or the body
            assert ":" in body["error"] or "request body" in body["error"], body["error"]


def send(api, method: str, path: str, body: Any) -> Any:
    if isinstance(body, bytes):
        response = api.client.generic(
            method, f"/v1/{path}", body, content_type="application/json", **api.headers
        )
    else:
        data = json.dumps(body, allow_nan=True)
        response = api.client.generic(
            method, f"/v1/{path}", data, content_type="application/json", **api.headers
        )
    check(response)
    return response


@pytest.fixture
def world(account, api):
    make_project(account, name="ner", type="namedentityrecognition")
    make_project(account, name="tc", type="textcollection")
    task = create_task(account=account, type_name="namedentityrecognition", payload=_valid_ner())
    return {"api": api, "task_id": task.task_id}


# ---------------------------------------------------------------- task creation


@pytest.mark.django_db
@FUZZ
@given(payload=mutated_payloads(_valid_ner))
def test_fuzz_create_ner(world, payload):
    send(world["api"], "POST", "task/namedentityrecognition", payload)


@pytest.mark.django_db
@FUZZ
@given(payload=mutated_payloads(_valid_tc))
def test_fuzz_create_textcollection(world, payload):
    send(world["api"], "POST", "task/textcollection", payload)


@pytest.mark.django_db
@FUZZ
@given(
    params=st.fixed_dictionaries(
        {
            "fields": st.lists(
                st.dictionaries(
                    st.sampled_from(
                        ["type", "field_id", "title", "choices", "conditions", "min", "max",
                         "required", "fields", "hint", "description", "max_characters"]
                    ),
                    json_values,
                    max_size=6,
                ),
                max_size=4,
            ),
            "attachments": st.lists(
                st.dictionaries(st.sampled_from(["type", "content", "forms"]), json_values),
                max_size=3,
            ),
        }
    )
)  # fmt: skip
def test_fuzz_textcollection_params(world, params):
    send(world["api"], "POST", "task/textcollection", {"project": "tc", **params})


@pytest.mark.django_db
@FUZZ
@given(
    labels=st.lists(
        st.dictionaries(
            st.sampled_from(["name", "display_name", "description", "children", "attributes"]),
            json_values,
        ),
        max_size=4,
    ),
    relationships=json_values,
    text=json_values,
)
def test_fuzz_ner_params(world, labels, relationships, text):
    payload = {"project": "ner", "text": text, "labels": labels, "relationships": relationships}
    send(world["api"], "POST", "task/namedentityrecognition", payload)


@pytest.mark.django_db
@FUZZ
@given(body=json_values)
def test_fuzz_create_with_any_json(world, body):
    send(world["api"], "POST", "task/namedentityrecognition", body)
    send(world["api"], "POST", "task/textcollection", body)


@pytest.mark.django_db
@pytest.mark.parametrize("body", RAW_BODIES, ids=range(len(RAW_BODIES)))
@pytest.mark.parametrize("path", ["task/textcollection", "projects", "batches", "task/{id}/tags"])
def test_raw_bodies(world, body, path):
    send(world["api"], "POST", path.format(id=world["task_id"]), body)


# ---------------------------------------------------------------- the other endpoints

TASK_ACTIONS = [
    ("POST", "cancel"),
    ("POST", "unique_id"),
    ("DELETE", "unique_id"),
    ("POST", "setMetadata"),
    ("POST", "tags"),
    ("PUT", "tags"),
    ("DELETE", "tags"),
    ("POST", "audit"),
    ("GET", "callbacks"),
    ("POST", "callbacks"),
]


@pytest.mark.django_db
@FUZZ
@given(action=st.sampled_from(TASK_ACTIONS), body=json_values, real=st.booleans(), other=names)
def test_fuzz_task_actions(world, action, body, real, other):
    method, suffix = action
    task_id = world["task_id"] if real else quote(other, safe="")
    send(world["api"], method, f"task/{task_id}/{suffix}", body)


@pytest.mark.django_db
@FUZZ
@given(name=names, method=st.sampled_from(["GET", "POST", "PUT", "DELETE"]))
def test_fuzz_task_paths(world, name, method):
    send(world["api"], method, f"task/{quote(name, safe='')}", {})


@pytest.mark.django_db
@FUZZ
@given(
    query=st.dictionaries(
        st.sampled_from(
            ["project", "batch", "status", "type", "start_time", "end_time", "completed_after",
             "completed_before", "updated_after", "updated_before", "tags", "unique_id",
             "customer_review_status", "limit", "next_token", "include_attachment_url", "x"]
        ),
        st.one_of(names, st.integers().map(str), st.sampled_from(["", "-1", "1e9", "2024-13-45"])),
        max_size=5,
    )
)  # fmt: skip
def test_fuzz_task_list(world, query):
    response = world["api"].get("tasks", **query)
    check(response)


@pytest.mark.django_db
@FUZZ
@given(body=json_values, name=names, method=st.sampled_from(["GET", "POST"]))
def test_fuzz_projects(world, body, name, method):
    api = world["api"]
    send(api, "POST", "projects", body)
    if isinstance(body, dict):
        send(api, "POST", "projects", {"type": "textcollection", "name": name, **body})
    send(api, method, f"projects/{quote(name, safe='')}", body)
    send(api, "POST", f"projects/{quote(name, safe='')}/setParams", body)
    send(api, "POST", "projects/tc/setParams", body)


@pytest.mark.django_db
@FUZZ
@given(body=json_values, name=names)
def test_fuzz_batches(world, body, name):
    api = world["api"]
    send(api, "POST", "batches", body)
    if isinstance(body, dict):
        send(api, "POST", "batches", {"project": "ner", "name": name, **body})
    quoted = quote(name, safe="")
    send(api, "GET", f"batches/{quoted}", None)
    send(api, "POST", f"batches/{quoted}/finalize", body)
    send(api, "GET", f"batches/{quoted}/status", None)
    send(api, "POST", f"batches/{quoted}/setMetadata", body)


# ---------------------------------------------------------------- size limit


@pytest.mark.django_db
@override_settings(API_MAX_BODY_BYTES=1000, DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
@pytest.mark.parametrize(
    "path", ["task/namedentityrecognition", "task/textcollection", "projects", "batches"]
)
def test_oversized_bodies_get_413(world, path):
    body = json.dumps({"project": "ner", "text": "x" * 5000, "labels": [{"name": "PER"}]})
    response = world["api"].client.post(
        f"/v1/{path}", body, content_type="application/json", **world["api"].headers
    )
    assert response.status_code == 413
    assert "larger than 1000 bytes" in response.json()["error"]


@pytest.mark.django_db
def test_default_limit_is_documented_and_enforced(world, settings):
    assert settings.API_MAX_BODY_BYTES == 10 * 1024 * 1024
    body = b'{"text": "' + b"x" * (settings.API_MAX_BODY_BYTES + 1) + b'"}'
    response = world["api"].client.post(
        "/v1/task/namedentityrecognition", body, content_type="application/json",
        **world["api"].headers,
    )  # fmt: skip
    assert response.status_code == 413


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["task/namedentityrecognition", "batches", "projects"])
def test_empty_key_is_named(world, path):
    payload = {"project": "ner", "name": "b", "type": "textcollection", "": 1}
    payload.update(_valid_ner())
    response = send(world["api"], "POST", path, payload)
    assert response.status_code == 400
    assert '[""]: is not a known field' in response.json()["error"]
