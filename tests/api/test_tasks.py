"""The per-task /v1 endpoints: create, retrieve, cancel, unique_id, metadata,
tags, audit — and their errors."""

from __future__ import annotations

import base64

import pytest
from django.utils import timezone

from labeling.models import ApiKey, Batch, ResponseRevision, Task
from tests.api.conftest import NER_LABELS, tc_task
from tests.conftest import ApiClient


def complete(task_id: str) -> None:
    Task.objects.filter(task_id=task_id).update(
        status=Task.Status.COMPLETED,
        response={"annotations": {"summary": "short"}},
        completed_at=timezone.now(),
    )


# ---------------------------------------------------------------- auth


@pytest.mark.django_db
def test_missing_wrong_and_revoked_keys_are_401(api, account, tc_project):
    from django.test import Client

    assert Client().get("/v1/projects").status_code == 401
    assert ApiClient("live_not-a-key").get("projects").status_code == 401
    token = base64.b64encode(b"").decode()
    assert Client().get("/v1/projects", HTTP_AUTHORIZATION=f"Basic {token}").status_code == 401
    key, plain = ApiKey.issue(account=account, name="old")
    assert ApiClient(plain).get("projects").status_code == 200
    ApiKey.objects.filter(pk=key.pk).update(revoked_at=timezone.now())
    response = ApiClient(plain).get("projects")
    assert response.status_code == 401
    assert "API key" in response.json()["error"]


@pytest.mark.django_db
def test_another_accounts_objects_are_404(api, create_task):
    from labeling.accounts import get_or_create_account

    task = create_task()
    _key, other_plain = ApiKey.issue(account=get_or_create_account("other"), name="k")
    other = ApiClient(other_plain)
    assert other.get(f"task/{task['task_id']}").status_code == 404
    assert other.get("projects/summaries").status_code == 404
    assert other.post(f"task/{task['task_id']}/cancel").status_code == 404


# ---------------------------------------------------------------- create / retrieve


@pytest.mark.django_db
def test_create_and_retrieve_textcollection(api, create_task):
    task = create_task(metadata={"doc": 7}, tags=["a", "b"], priority=30, unique_id="doc-7")
    assert len(task["task_id"]) == 24
    assert task["type"] == "textcollection"
    assert task["status"] == "pending"
    assert task["project"] == "summaries"
    assert task["params"]["fields"][0]["field_id"] == "summary"
    assert (task["metadata"], task["tags"], task["priority"], task["unique_id"]) == (
        {"doc": 7},
        ["a", "b"],
        30,
        "doc-7",
    )
    got = api.get(f"task/{task['task_id']}")
    assert got.status_code == 200
    assert got.json() == task


@pytest.mark.django_db
def test_create_ner_with_project_labels_merged(api, ner_project):
    response = api.post("task/namedentityrecognition", {"project": "people", "text": "Ada"})
    assert response.status_code == 200, response.json()
    assert response.json()["params"]["labels"] == NER_LABELS
    assert response.json()["params"]["text"] == "Ada"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "status", "place"),
    [
        ({"project": "summaries", **tc_task(priority=15)}, 400, "priority"),
        ({"project": "summaries", **tc_task(priority="high")}, 400, "priority"),
        ({"project": "summaries", **tc_task(tags=list("abcdef"))}, 400, "tags"),
        ({"project": "summaries", **tc_task(metadata={"x": "y" * 11_000})}, 400, "metadata"),
        ({"project": "summaries", **tc_task(metadata=[1])}, 400, "metadata"),
        ({"project": "summaries", **tc_task(unique_id=5)}, 400, "unique_id"),
        ({"project": "summaries", "fields": []}, 400, "fields"),
        ({**tc_task()}, 400, "project"),
        ({"project": "nope", **tc_task()}, 404, "project"),
        ({"project": "summaries", "batch": "nope", **tc_task()}, 404, "batch"),
    ],
)
def test_create_errors_name_the_field(api, tc_project, body, status, place):
    response = api.post("task/textcollection", body)
    assert response.status_code == status, response.json()
    assert response.json()["error"].startswith(place)
    assert Task.objects.count() == 0


@pytest.mark.django_db
def test_create_malformed_json_and_unknown_type(api, tc_project):
    response = api.post("task/textcollection", "{not json")
    assert response.status_code == 400
    assert "malformed JSON" in response.json()["error"]
    response = api.post("task/imageannotation", {"project": "summaries"})
    assert response.status_code == 400
    assert "textcollection" in response.json()["error"]
    assert "namedentityrecognition" in response.json()["error"]


@pytest.mark.django_db
def test_project_type_must_match(api, ner_project):
    response = api.post("task/textcollection", {"project": "people", **tc_task()})
    assert response.status_code == 400
    assert response.json()["error"].startswith("project:")


@pytest.mark.django_db
def test_duplicate_unique_id_is_409(api, create_task):
    create_task(unique_id="same")
    response = api.post(
        "task/textcollection", {"project": "summaries", **tc_task(unique_id="same")}
    )
    assert response.status_code == 409
    assert "unique_id" in response.json()["error"]
    assert Task.objects.count() == 1


@pytest.mark.django_db
def test_unknown_task_is_404_and_wrong_method_405(api):
    assert api.get("task/0123456789abcdef01234567").status_code == 404
    assert api.put("task/textcollection", {}).status_code == 405
    assert api.get("task/0123456789abcdef01234567/cancel").status_code == 405


# ---------------------------------------------------------------- cancel


@pytest.mark.django_db
def test_cancel_pending_task(api, create_task):
    task = create_task(unique_id="u1")
    response = api.post(f"task/{task['task_id']}/cancel")
    assert response.status_code == 200
    assert response.json()["status"] == "canceled"
    assert response.json()["unique_id"] == "u1"
    again = api.post(f"task/{task['task_id']}/cancel")
    assert again.status_code == 400
    assert "only pending tasks" in again.json()["error"]


@pytest.mark.django_db
def test_cancel_with_clear_unique_id_frees_it(api, create_task):
    task = create_task(unique_id="u1")
    response = api.post(f"task/{task['task_id']}/cancel?clear_unique_id=true")
    assert response.status_code == 200
    assert response.json()["unique_id"] is None
    assert create_task(unique_id="u1")["unique_id"] == "u1"


@pytest.mark.django_db
def test_cancel_errors(api, create_task):
    task = create_task()
    complete(task["task_id"])
    response = api.post(f"task/{task['task_id']}/cancel")
    assert response.status_code == 400
    assert "completed" in response.json()["error"]
    assert Task.objects.get().status == Task.Status.COMPLETED
    bad = api.post(f"task/{task['task_id']}/cancel?clear_unique_id=maybe")
    assert bad.status_code == 400
    assert bad.json()["error"].startswith("clear_unique_id")
    assert api.post("task/ffffffffffffffffffffffff/cancel").status_code == 404


@pytest.mark.django_db
def test_cancel_last_pending_task_completes_finalized_batch(api, create_task):
    api.post("batches", {"project": "summaries", "name": "b1"})
    task = create_task(batch="b1")
    assert api.post("batches/b1/finalize").json()["status"] == "in_progress"
    api.post(f"task/{task['task_id']}/cancel")
    assert Batch.objects.get(name="b1").status == Batch.Status.COMPLETED
    assert api.get("batches/b1/status").json() == {
        "status": "completed",
        "pending": 0,
        "completed": 0,
        "error": 0,
        "canceled": 1,
    }


# ---------------------------------------------------------------- unique_id


@pytest.mark.django_db
def test_set_and_clear_unique_id(api, create_task):
    first = create_task(unique_id="taken")
    task = create_task()
    path = f"task/{task['task_id']}/unique_id"
    response = api.post(path, {"unique_id": "mine"})
    assert response.status_code == 200
    assert response.json()["unique_id"] == "mine"
    # Setting a task's own unique_id again is fine.
    assert api.post(path, {"unique_id": "mine"}).status_code == 200
    conflict = api.post(path, {"unique_id": "taken"})
    assert conflict.status_code == 409
    assert "taken" in conflict.json()["error"]
    assert Task.objects.get(task_id=task["task_id"]).unique_id == "mine"
    cleared = api.delete(path)
    assert cleared.status_code == 200
    assert cleared.json()["unique_id"] is None
    assert api.post(f"task/{first['task_id']}/unique_id", {"unique_id": "mine"}).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("body", [{}, {"unique_id": ""}, {"unique_id": 3}, {"uid": "x"}, [1]])
def test_bad_unique_id_is_400(api, create_task, body):
    task = create_task()
    response = api.post(f"task/{task['task_id']}/unique_id", body)
    assert response.status_code == 400
    assert Task.objects.get().unique_id is None


# ---------------------------------------------------------------- metadata


@pytest.mark.django_db
def test_set_metadata(api, create_task):
    task = create_task(metadata={"old": True})
    response = api.post(f"task/{task['task_id']}/setMetadata", {"new": [1, 2]})
    assert response.status_code == 200
    assert response.json()["metadata"] == {"new": [1, 2]}
    assert response.json()["updated_at"] >= task["updated_at"]


@pytest.mark.django_db
@pytest.mark.parametrize("body", [[1, 2], "text", {"big": "x" * (10 * 1024)}, "{bad"])
def test_bad_metadata_is_400_and_changes_nothing(api, create_task, body):
    task = create_task(metadata={"old": True})
    response = api.post(f"task/{task['task_id']}/setMetadata", body)
    assert response.status_code == 400
    assert "metadata" in response.json()["error"] or "JSON" in response.json()["error"]
    assert Task.objects.get().metadata == {"old": True}


# ---------------------------------------------------------------- tags


@pytest.mark.django_db
def test_set_add_remove_tags(api, create_task):
    task = create_task(tags=["a"])
    path = f"task/{task['task_id']}/tags"
    assert api.post(path, ["x", "y", "x"]).json()["tags"] == ["x", "y"]
    assert api.put(path, ["y", "z"]).json()["tags"] == ["x", "y", "z"]
    assert api.delete(path, ["x", "missing"]).json()["tags"] == ["y", "z"]
    assert api.put(path, ["1", "2", "3"]).json()["tags"] == ["y", "z", "1", "2", "3"]
    too_many = api.put(path, ["4"])
    assert too_many.status_code == 400
    assert too_many.json()["error"] == "tags: at most 5 tags are allowed (the task would have 6)"
    assert Task.objects.get().tags == ["y", "z", "1", "2", "3"]
    assert api.post(path, []).json()["tags"] == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "place"),
    [
        ({"tags": ["a"]}, "tags"),
        (["a", 2], "tags[1]"),
        (["a", ""], "tags"),
        (list("abcdef"), "tags"),
    ],
)
def test_bad_tags_are_400(api, create_task, body, place):
    task = create_task(tags=["keep"])
    response = api.post(f"task/{task['task_id']}/tags", body)
    assert response.status_code == 400
    assert response.json()["error"].startswith(f"{place}:")
    assert Task.objects.get().tags == ["keep"]


# ---------------------------------------------------------------- audit


@pytest.mark.django_db
def test_audit_accept_and_reject(api, create_task):
    task = create_task()
    complete(task["task_id"])
    path = f"task/{task['task_id']}/audit"
    accepted = api.post(path, {"accepted": True, "comments": None})
    assert accepted.status_code == 200
    assert accepted.json()["customer_review_status"] == "accepted"
    rejected = api.post(path, {"accepted": False, "comments": "summary misses the point"})
    body = rejected.json()
    assert body["customer_review_status"] == "rejected"
    assert body["customer_review_comments"] == ["summary misses the point"]
    assert [a["audit_result"] for a in body["audits"]] == ["accepted", "rejected"]
    assert body["audits"][1]["comment"] == "summary misses the point"
    # The response stays; the history records both audits.
    assert body["response"] == {"annotations": {"summary": "short"}}
    assert body["status"] == "completed"
    kinds = list(ResponseRevision.objects.values_list("kind", flat=True))
    assert kinds == ["accepted", "rejected"]


@pytest.mark.django_db
def test_audit_errors(api, create_task):
    task = create_task()
    path = f"task/{task['task_id']}/audit"
    pending = api.post(path, {"accepted": True})
    assert pending.status_code == 400
    assert "only completed tasks" in pending.json()["error"]
    complete(task["task_id"])
    for body, place in [
        ({}, "accepted"),
        ({"accepted": "yes"}, "accepted"),
        ({"accepted": True, "comments": 5}, "comments"),
    ]:
        response = api.post(path, body)
        assert response.status_code == 400
        assert response.json()["error"].startswith(place)
    assert Task.objects.get().customer_review_status == ""
