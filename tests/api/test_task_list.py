"""GET /v1/tasks: every filter, cursor pagination, and bad parameters."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from labeling.models import Task


def ids(response) -> list[str]:
    assert response.status_code == 200, response.json()
    return [doc["task_id"] for doc in response.json()["docs"]]


@pytest.mark.django_db
def test_pages_follow_next_token_oldest_first(api, create_task):
    created = [create_task()["task_id"] for _ in range(7)]
    first = api.get("tasks", project="summaries", limit=3)
    body = first.json()
    assert (body["total"], body["limit"], body["offset"], body["has_more"]) == (7, 3, 0, True)
    assert ids(first) == created[:3]
    second = api.get("tasks", project="summaries", limit=3, next_token=body["next_token"])
    assert ids(second) == created[3:6]
    assert second.json()["offset"] == 3
    third = api.get("tasks", project="summaries", limit=3, next_token=second.json()["next_token"])
    assert ids(third) == created[6:]
    assert third.json()["has_more"] is False
    assert third.json()["next_token"] is None


@pytest.mark.django_db
def test_pages_are_stable_when_tasks_are_created_meanwhile(api, create_task):
    created = [create_task()["task_id"] for _ in range(4)]
    first = api.get("tasks", limit=2).json()
    # A task created between pages appears at the end, nothing is repeated or skipped.
    created.append(create_task()["task_id"])
    seen = [d["task_id"] for d in first["docs"]]
    token = first["next_token"]
    while token:
        page = api.get("tasks", limit=2, next_token=token).json()
        seen += [d["task_id"] for d in page["docs"]]
        token = page["next_token"]
    assert seen == created


@pytest.mark.django_db
def test_default_limit_is_100_and_exact_page_has_no_more(api, create_task):
    for _ in range(2):
        create_task()
    body = api.get("tasks").json()
    assert body["limit"] == 100
    exact = api.get("tasks", limit=2).json()
    assert exact["has_more"] is False
    assert exact["next_token"] is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "place"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"next_token": "garbage!"}, "next_token"),
        ({"next_token": "dDE6eDox"}, "next_token"),  # base64 of "t1:x:1"
        ({"status": "done"}, "status"),
        ({"customer_review_status": "accepted,maybe"}, "customer_review_status"),
        ({"type": "imageannotation"}, "type"),
        ({"created_after": "yesterday"}, "created_after"),
        ({"start_time": "2024-13-01"}, "start_time"),
        ({"stauts": "pending"}, "stauts"),
        ({"limited_response": "perhaps"}, "limited_response"),
        ({"project": ["a", "b"]}, "project"),
    ],
)
def test_bad_parameters_are_400(api, create_task, params, place):
    create_task()
    response = api.get("tasks", **params)
    assert response.status_code == 400
    assert response.json()["error"].startswith(f"{place}:")


@pytest.mark.django_db
def test_unknown_project_or_batch_filter_is_404(api, tc_project):
    assert api.get("tasks", project="nope").status_code == 404
    assert api.get("tasks", batch="nope").status_code == 404


@pytest.mark.django_db
def test_filters(api, create_task, ner_project):
    api.post("batches", {"project": "summaries", "name": "b1"})
    a = create_task(tags=["red", "big"], unique_id="a")["task_id"]
    b = create_task(tags=["red"], batch="b1", unique_id="b")["task_id"]
    c = create_task(tags=["big"], unique_id="c")["task_id"]
    n = api.post("task/namedentityrecognition", {"project": "people", "text": "Ada"}).json()[
        "task_id"
    ]
    Task.objects.filter(task_id=c).update(
        status="completed", completed_at=timezone.now(), customer_review_status="accepted"
    )
    Task.objects.filter(task_id=a).update(status="canceled")

    assert ids(api.get("tasks")) == [a, b, c, n]
    assert ids(api.get("tasks", project="people")) == [n]
    assert ids(api.get("tasks", batch="b1")) == [b]
    assert ids(api.get("tasks", type="namedentityrecognition")) == [n]
    assert ids(api.get("tasks", status="pending")) == [b, n]
    assert ids(api.get("tasks", customer_review_status="accepted")) == [c]
    assert ids(api.get("tasks", customer_review_status="rejected,accepted")) == [c]
    assert ids(api.get("tasks", unique_id="b")) == [b]
    assert ids(api.get("tasks", unique_id=["a", "c"])) == [a, c]
    assert ids(api.get("tasks", tags="red")) == [a, b]
    # Several tags: a task must have all of them.
    assert ids(api.get("tasks", tags=["red", "big"])) == [a]
    assert ids(api.get("tasks", tags="green")) == []
    # include_attachment_url is accepted (attachments are never pre-signed).
    assert ids(api.get("tasks", project="people", include_attachment_url="true")) == [n]
    limited = api.get("tasks", project="people", limited_response="true").json()["docs"][0]
    assert set(limited) == {"task_id", "status", "metadata", "project"}


@pytest.mark.django_db
def test_tag_filter_with_json_special_characters(api, create_task):
    odd = create_task(tags=['say "hi"', "back\\slash", "ünï"])["task_id"]
    create_task(tags=["say"])
    assert ids(api.get("tasks", tags='say "hi"')) == [odd]
    assert ids(api.get("tasks", tags="back\\slash")) == [odd]
    assert ids(api.get("tasks", tags="ünï")) == [odd]


@pytest.mark.django_db
def test_date_filters(api, create_task):
    now = timezone.now()
    old = create_task()["task_id"]
    new = create_task()["task_id"]
    Task.objects.filter(task_id=old).update(
        created_at=now - timedelta(days=10),
        updated_at=now - timedelta(days=9),
        completed_at=now - timedelta(days=8),
        status="completed",
    )
    Task.objects.filter(task_id=new).update(
        created_at=now, updated_at=now, completed_at=now, status="completed"
    )
    day_ago = (now - timedelta(days=1)).strftime("%Y-%m-%d %H:%M:%S.%f")
    assert ids(api.get("tasks", created_after=day_ago)) == [new]
    assert ids(api.get("tasks", start_time=day_ago)) == [new]
    assert ids(api.get("tasks", created_before=day_ago)) == [old]
    assert ids(api.get("tasks", end_time=day_ago)) == [old]
    assert ids(api.get("tasks", updated_after=day_ago)) == [new]
    assert ids(api.get("tasks", updated_before=day_ago)) == [old]
    assert ids(api.get("tasks", completed_after=day_ago)) == [new]
    assert ids(api.get("tasks", completed_before=day_ago)) == [old]
    # ISO with T and Z, a date alone, and an offset are all understood.
    iso_z = (now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert ids(api.get("tasks", created_after=iso_z)) == [new]
    date_only = (now - timedelta(days=5)).date().isoformat()
    assert ids(api.get("tasks", created_after=date_only)) == [new]
    offset = (now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S+00:00")
    assert ids(api.get("tasks", created_before=offset)) == [old]
