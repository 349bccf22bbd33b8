"""The official `scaleapi` client, unchanged, against a live labelform server:
every call it makes for the endpoints labelform implements, and its errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import timezone
from scaleapi import ScaleClient
from scaleapi.batches import BatchStatus
from scaleapi.exceptions import (
    ScaleDuplicateResource,
    ScaleInvalidRequest,
    ScaleResourceNotFound,
    ScaleUnauthorized,
)
from scaleapi.tasks import TaskReviewStatus, TaskStatus, TaskType

from labeling.models import Task

pytestmark = pytest.mark.django_db(transaction=True)

FIELDS = [{"type": "text", "field_id": "summary", "title": "Summary"}]
LABELS = [{"name": "person"}, {"name": "place"}]


@pytest.fixture
def client(live_server, api_key) -> ScaleClient:
    return ScaleClient(api_key, api_instance_url=f"{live_server.url}/v1")


def complete(task_id: str) -> None:
    Task.objects.filter(task_id=task_id).update(
        status="completed", response={"annotations": {"summary": "ok"}}, completed_at=timezone.now()
    )


def test_projects(client):
    project = client.create_project(
        "reviews/2024", TaskType.TextCollection, params={"fields": FIELDS, "instruction": "Sum up."}
    )
    assert project.name == "reviews/2024"
    assert project.type == "textcollection"
    assert project.version == 1
    assert project.instruction == "Sum up."
    assert project.params["fields"] == FIELDS

    fetched = client.get_project("reviews/2024")
    assert fetched.as_dict() == project.as_dict()
    client.create_project("people", TaskType.NamedEntityRecognition, params={"labels": LABELS})
    assert [p.name for p in client.get_projects()] == ["reviews/2024", "people"]

    updated = client.update_project("reviews/2024", instruction="Be brief.")
    assert (updated.version, updated.instruction) == (2, "Be brief.")
    assert updated.params["fields"] == FIELDS

    with pytest.raises(ScaleDuplicateResource):
        client.create_project("people", TaskType.TextCollection)
    with pytest.raises(ScaleInvalidRequest, match="type"):
        client.create_project("images", TaskType.ImageAnnotation)
    with pytest.raises(ScaleResourceNotFound):
        client.get_project("nope")


def test_tasks_of_both_types_and_retrieval(client):
    client.create_project("summaries", TaskType.TextCollection)
    client.create_project("people", TaskType.NamedEntityRecognition, params={"labels": LABELS})
    tc = client.create_task(
        TaskType.TextCollection,
        project="summaries",
        instruction="Summarize.",
        fields=FIELDS,
        metadata={"doc": 1},
        unique_id="doc-1",
        tags=["first"],
        priority=30,
    )
    assert tc.type == "textcollection"
    assert tc.status == "pending"
    assert tc.params["fields"] == FIELDS
    ner = client.create_task(
        TaskType.NamedEntityRecognition, project="people", text="Ada Lovelace lived in London."
    )
    assert ner.params["labels"] == LABELS

    fetched = client.get_task(tc.id)
    assert fetched.as_dict() == tc.as_dict()
    fetched.refresh()
    assert fetched.metadata == {"doc": 1}

    with pytest.raises(ScaleInvalidRequest, match="priority"):
        client.create_task(TaskType.TextCollection, project="summaries", fields=FIELDS, priority=5)
    with pytest.raises(ScaleInvalidRequest, match="tags"):
        client.create_task(
            TaskType.TextCollection, project="summaries", fields=FIELDS, tags=list("abcdef")
        )
    with pytest.raises(ScaleInvalidRequest, match="metadata"):
        client.create_task(
            TaskType.TextCollection, project="summaries", fields=FIELDS, metadata={"x": "y" * 11000}
        )
    with pytest.raises(ScaleInvalidRequest, match="fields"):
        client.create_task(TaskType.TextCollection, project="summaries", fields=[])
    with pytest.raises(ScaleInvalidRequest, match="supported"):
        client.create_task(TaskType.ImageAnnotation, project="summaries")
    with pytest.raises(ScaleResourceNotFound):
        client.create_task(TaskType.TextCollection, project="nope", fields=FIELDS)
    with pytest.raises(ScaleResourceNotFound):
        client.get_task("ffffffffffffffffffffffff")


def test_unauthorized(live_server, api_key):
    bad = ScaleClient("live_wrong", api_instance_url=f"{live_server.url}/v1")
    with pytest.raises(ScaleUnauthorized):
        bad.get_projects()
    with pytest.raises(ScaleUnauthorized):
        bad.create_task(TaskType.TextCollection, project="x", fields=FIELDS)


def test_pagination_and_filters(client):
    client.create_project("summaries", TaskType.TextCollection, params={"fields": FIELDS})
    client.create_batch("summaries", "b1")
    created = [
        client.create_task(
            TaskType.TextCollection,
            project="summaries",
            unique_id=f"u{i}",
            tags=["even"] if i % 2 == 0 else ["odd"],
            batch="b1" if i < 3 else None,
        ).id
        for i in range(7)
    ]
    # get_tasks follows next_token over pages of 3.
    assert [t.id for t in client.get_tasks(project_name="summaries", limit=3)] == created
    page = client.tasks(project="summaries", limit=3)
    assert (len(page.docs), page.total, page.limit, page.has_more) == (3, 7, 3, True)
    second = client.tasks(project="summaries", limit=3, next_token=page.next_token)
    assert [t.id for t in second.docs] == created[3:6]
    assert client.get_tasks_count(project_name="summaries") == 7

    assert [t.id for t in client.get_tasks(batch_name="b1")] == created[:3]
    assert [t.id for t in client.get_tasks(project_name="summaries", tags="odd")] == created[1::2]
    assert [t.id for t in client.get_tasks(project_name="summaries", tags=["odd", "even"])] == []
    by_uid = client.get_tasks(project_name="summaries", unique_id=["u0", "u6"])
    assert [t.id for t in by_uid] == [created[0], created[6]]
    complete(created[2])
    done = client.get_tasks(project_name="summaries", status=TaskStatus.Completed)
    assert [t.id for t in done] == [created[2]]
    assert (
        len(list(client.get_tasks(project_name="summaries", task_type=TaskType.TextCollection)))
        == 7
    )
    client.audit_task(created[2], True, "good")
    accepted = client.get_tasks(
        project_name="summaries",
        review_status=[TaskReviewStatus.Accepted, TaskReviewStatus.Fixed],
    )
    assert [t.id for t in accepted] == [created[2]]
    now = timezone.now().strftime("%Y-%m-%d %H:%M:%S.%f")
    assert list(client.get_tasks(project_name="summaries", created_after=now)) == []
    assert len(list(client.get_tasks(project_name="summaries", created_before=now))) == 7
    assert len(list(client.get_tasks(project_name="summaries", updated_before=now))) == 7
    assert [t.id for t in client.get_tasks(project_name="summaries", completed_before=now)] == [
        created[2]
    ]
    assert list(client.get_tasks(project_name="summaries", completed_after=now)) == []
    limited = client.tasks(project="summaries", limit=1, limited_response=True).docs[0]
    assert set(limited.as_dict()) == {"task_id", "status", "metadata", "project"}

    with pytest.raises(ScaleInvalidRequest, match="limit"):
        client.tasks(project="summaries", limit=1000)
    with pytest.raises(ScaleInvalidRequest, match="next_token"):
        client.tasks(project="summaries", next_token="nonsense")
    with pytest.raises(ScaleResourceNotFound):
        list(client.get_tasks(project_name="nope"))


def test_tags_metadata_unique_id_cancel_audit(client):
    client.create_project("summaries", TaskType.TextCollection, params={"fields": FIELDS})
    task = client.create_task(TaskType.TextCollection, project="summaries", unique_id="doc-1")

    assert client.set_task_tags(task.id, ["a", "b"]).tags == ["a", "b"]
    assert client.add_task_tags(task.id, ["c", "a"]).tags == ["a", "b", "c"]
    assert client.delete_task_tags(task.id, ["b", "zzz"]).tags == ["a", "c"]
    with pytest.raises(ScaleInvalidRequest, match="tags"):
        client.add_task_tags(task.id, ["d", "e", "f", "g"])
    task.add_tags(["d"])
    task.delete_tags(["a"])
    task.set_tags(["x"])
    assert client.get_task(task.id).tags == ["x"]

    assert client.set_task_metadata(task.id, {"k": "v"}).metadata == {"k": "v"}
    task.set_metadata({"k": 2})
    assert client.get_task(task.id).metadata == {"k": 2}
    with pytest.raises(ScaleInvalidRequest, match="metadata"):
        client.set_task_metadata(task.id, {"big": "x" * 11000})

    with pytest.raises(ScaleDuplicateResource):
        client.create_task(TaskType.TextCollection, project="summaries", unique_id="doc-1")
    other = client.create_task(TaskType.TextCollection, project="summaries")
    with pytest.raises(ScaleDuplicateResource):
        client.update_task_unique_id(other.id, "doc-1")
    assert client.update_task_unique_id(other.id, "doc-2").unique_id == "doc-2"
    assert client.clear_task_unique_id(other.id).unique_id is None
    other.update_unique_id("doc-3")
    other.clear_unique_id()
    assert client.get_task(other.id).unique_id is None

    with pytest.raises(ScaleInvalidRequest, match="only completed"):
        client.audit_task(task.id, True)

    canceled = client.cancel_task(task.id, clear_unique_id=True)
    assert (canceled.status, canceled.unique_id) == ("canceled", None)
    with pytest.raises(ScaleInvalidRequest, match="only pending"):
        client.cancel_task(task.id)
    # The unique_id is free again.
    again = client.create_task(TaskType.TextCollection, project="summaries", unique_id="doc-1")
    again.cancel()
    assert client.get_task(again.id).status == "canceled"
    with pytest.raises(ScaleDuplicateResource):
        client.create_task(TaskType.TextCollection, project="summaries", unique_id="doc-1")

    complete(other.id)
    other.audit(False, "wrong summary")
    audited = client.get_task(other.id)
    assert audited.customer_review_status == "rejected"
    assert audited.customer_review_comments == ["wrong summary"]


def test_batches_finalize_and_status(client):
    client.create_project("summaries", TaskType.TextCollection, params={"fields": FIELDS})
    batch = client.create_batch(
        "summaries", "week 1/a", callback="https://example.com/hook", metadata={"w": 1}
    )
    assert (batch.name, batch.project, batch.status, batch.metadata) == (
        "week 1/a",
        "summaries",
        "staging",
        {"w": 1},
    )
    with pytest.raises(ScaleDuplicateResource):
        client.create_batch("summaries", "week 1/a")
    with pytest.raises(ScaleResourceNotFound):
        client.create_batch("nope", "b2")
    with pytest.raises(ScaleInvalidRequest, match="calibration_batch"):
        client.create_batch("summaries", "b3", calibration_batch=True)

    tasks = [
        client.create_task(TaskType.TextCollection, project="summaries", batch="week 1/a")
        for _ in range(2)
    ]
    status = batch.get_status()
    assert status["status"] == "staging"
    assert (batch.tasks_pending, batch.tasks_completed) == (2, 0)
    finalized = batch.finalize()
    assert finalized.status == "in_progress"
    assert client.get_batch("week 1/a").status == "in_progress"

    complete(tasks[0].id)
    client.cancel_task(tasks[1].id)
    assert client.batch_status("week 1/a") == {
        "status": "completed",
        "pending": 0,
        "completed": 1,
        "error": 0,
        "canceled": 1,
    }
    assert client.set_batch_metadata("week 1/a", {"w": 2}).metadata == {"w": 2}

    for i in range(3):
        client.create_batch("summaries", f"extra{i}")
    names = [b.name for b in client.get_batches(project_name="summaries")]
    assert names == ["week 1/a", "extra0", "extra1", "extra2"]
    page = client.batches(project="summaries", limit=2, offset=1)
    assert ([b.name for b in page.docs], page.total, page.has_more) == (
        ["extra0", "extra1"],
        4,
        True,
    )
    done = client.get_batches(project_name="summaries", batch_status=BatchStatus.Completed)
    assert [b.name for b in done] == ["week 1/a"]
    assert list(client.get_batches(project_name="summaries", created_after="2999-01-01")) == []
    with pytest.raises(ScaleResourceNotFound):
        client.get_batch("nope")
    with pytest.raises(ScaleResourceNotFound):
        client.finalize_batch("nope")
    with pytest.raises(ScaleInvalidRequest, match="limit"):
        client.batches(limit=0)


def test_docs_example(live_server, api_key, capsys):
    """docs/api.md's example, as written, with this server's URL and key."""
    docs = (Path(__file__).resolve().parents[2] / "docs" / "api.md").read_text()
    example = re.search(
        r"```python\n(from scaleapi import ScaleClient\nfrom scaleapi.tasks .*?)```", docs, re.S
    )
    assert example is not None, "docs/api.md lost its example"
    code = example.group(1).replace('"live_..."', repr(api_key))
    code = code.replace("http://127.0.0.1:8000/v1", f"{live_server.url}/v1")
    exec(compile(code, "docs/api.md", "exec"), {})
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].endswith(" pending")
    assert len(printed) == 2
    task = Task.objects.get(unique_id="review-0001")
    assert task.params["attachments"][0]["type"] == "text"
