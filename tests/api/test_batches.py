"""/v1 batches: create, list (offset paging), retrieve, finalize, status, setMetadata."""

from __future__ import annotations

import pytest
from django.utils import timezone

from labeling import services
from labeling.models import Batch, CallbackDelivery, Task


@pytest.fixture
def batch(api, tc_project):
    response = api.post(
        "batches",
        {
            "project": "summaries",
            "name": "week 1/a",
            "callback": "https://example.com/hook",
            "metadata": {"week": 1},
            "calibration_batch": False,
            "self_label_batch": False,
        },
    )
    assert response.status_code == 200, response.json()
    return response.json()


QUOTED = "week%201%2Fa"


@pytest.mark.django_db
def test_create_and_retrieve_batch(api, batch):
    assert batch["name"] == "week 1/a"
    assert batch["project"] == "summaries"
    assert batch["status"] == "staging"
    assert batch["metadata"] == {"week": 1}
    assert batch["callback"] == "https://example.com/hook"
    assert api.get(f"batches/{QUOTED}").json() == batch


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "status", "place"),
    [
        ({"name": "b"}, 400, "project"),
        ({"project": "summaries"}, 400, "name"),
        ({"project": "summaries", "name": "b/finalize"}, 400, "name"),
        ({"project": "summaries", "name": "b", "metadata": {"x": "y" * 11_000}}, 400, "metadata"),
        ({"project": "summaries", "name": "b", "callback": "ftp://x"}, 400, "callback"),
        (
            {"project": "summaries", "name": "b", "calibration_batch": True},
            400,
            "calibration_batch",
        ),
        ({"project": "summaries", "name": "b", "self_label_batch": 1}, 400, "self_label_batch"),
        ({"project": "nope", "name": "b"}, 404, "project"),
    ],
)
def test_create_batch_errors(api, tc_project, body, status, place):
    response = api.post("batches", body)
    assert response.status_code == status, response.json()
    assert response.json()["error"].startswith(place)
    assert not Batch.objects.exists()


@pytest.mark.django_db
def test_duplicate_batch_is_409_unknown_is_404(api, batch):
    response = api.post("batches", {"project": "summaries", "name": "week 1/a"})
    assert response.status_code == 409
    for path in ["batches/nope", "batches/nope/status"]:
        assert api.get(path).status_code == 404
    assert api.post("batches/nope/finalize").status_code == 404
    assert api.post("batches/nope/setMetadata", {}).status_code == 404


@pytest.mark.django_db
def test_finalize_status_and_completion(api, batch, create_task):
    tasks = [create_task(batch="week 1/a")["task_id"] for _ in range(3)]
    assert api.get(f"batches/{QUOTED}/status").json() == {
        "status": "staging",
        "pending": 3,
        "completed": 0,
        "error": 0,
        "canceled": 0,
    }
    finalized = api.post(f"batches/{QUOTED}/finalize")
    assert finalized.status_code == 200
    assert finalized.json()["status"] == "in_progress"
    # Finalizing again changes nothing.
    assert api.post(f"batches/{QUOTED}/finalize").json()["status"] == "in_progress"

    Task.objects.filter(task_id=tasks[0]).update(status="completed", completed_at=timezone.now())
    Task.objects.filter(task_id=tasks[1]).update(status="error")
    services.refresh_batch_status(batch=Batch.objects.get())
    assert Batch.objects.get().status == Batch.Status.IN_PROGRESS
    api.post(f"task/{tasks[2]}/cancel")
    status = api.get(f"batches/{QUOTED}/status").json()
    assert status == {
        "status": "completed",
        "pending": 0,
        "completed": 1,
        "error": 1,
        "canceled": 1,
    }
    done = api.get(f"batches/{QUOTED}").json()
    assert done["completed_at"] is not None
    # The batch callback is recorded once.
    assert CallbackDelivery.objects.filter(event="batch.completed").count() == 1
    services.refresh_batch_status(batch=Batch.objects.get())
    assert CallbackDelivery.objects.filter(event="batch.completed").count() == 1
    # A completed batch takes no more tasks.
    more = api.post(
        "task/textcollection",
        {
            "project": "summaries",
            "batch": "week 1/a",
            "fields": [{"type": "text", "field_id": "s", "title": "S"}],
        },
    )
    assert more.status_code == 400
    assert more.json()["error"].startswith("batch")


@pytest.mark.django_db
def test_finalizing_an_empty_batch_completes_it(api, batch):
    assert api.post(f"batches/{QUOTED}/finalize").json()["status"] == "completed"


@pytest.mark.django_db
def test_staging_batch_is_not_completed_by_refresh(api, batch, create_task):
    create_task(batch="week 1/a", unique_id="x")
    Task.objects.update(status="completed")
    services.refresh_batch_status(batch=Batch.objects.get())
    assert Batch.objects.get().status == Batch.Status.STAGING


@pytest.mark.django_db
def test_set_batch_metadata(api, batch):
    response = api.post(f"batches/{QUOTED}/setMetadata", {"week": 2, "owner": "ml"})
    assert response.status_code == 200
    assert response.json()["metadata"] == {"week": 2, "owner": "ml"}
    bad = api.post(f"batches/{QUOTED}/setMetadata", ["no"])
    assert bad.status_code == 400
    assert bad.json()["error"].startswith("metadata")
    big = api.post(f"batches/{QUOTED}/setMetadata", {"x": "y" * 11_000})
    assert big.status_code == 400
    assert Batch.objects.get().metadata == {"week": 2, "owner": "ml"}


@pytest.mark.django_db
def test_list_batches_paged_and_filtered(api, tc_project, ner_project):
    for i in range(5):
        api.post("batches", {"project": "summaries", "name": f"s{i}"})
    api.post("batches", {"project": "people", "name": "p0"})
    api.post("batches/s1/finalize")

    page = api.get("batches", limit=2, offset=2).json()
    assert [b["name"] for b in page["docs"]] == ["s2", "s3"]
    assert (page["total"], page["totalDocs"], page["limit"], page["offset"], page["has_more"]) == (
        6,
        6,
        2,
        2,
        True,
    )
    last = api.get("batches", limit=2, offset=4).json()
    assert [b["name"] for b in last["docs"]] == ["s4", "p0"]
    assert last["has_more"] is False
    assert [b["name"] for b in api.get("batches", project="people").json()["docs"]] == ["p0"]
    completed = api.get("batches", status="completed").json()["docs"]
    assert [b["name"] for b in completed] == ["s1"]
    later = api.get("batches", start_time="2999-01-01").json()
    assert later["docs"] == []
    assert (
        len(api.get("batches", end_time="2999-01-01", exclude_archived="true").json()["docs"]) == 6
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "status", "place"),
    [
        ({"limit": 0}, 400, "limit"),
        ({"limit": 500}, 400, "limit"),
        ({"offset": -1}, 400, "offset"),
        ({"status": "archived"}, 400, "status"),
        ({"start_time": "soon"}, 400, "start_time"),
        ({"colour": "red"}, 400, "colour"),
        ({"project": "nope"}, 404, "project"),
    ],
)
def test_list_batches_errors(api, tc_project, params, status, place):
    response = api.get("batches", **params)
    assert response.status_code == status
    assert response.json()["error"].startswith(place)
