"""Every page and API call runs a bounded number of SQL queries, whatever the
number of tasks, fields or spans (issue 7).

Each test makes the same request against a small and a large case and checks
two things: the count stays under a fixed ceiling (django_assert_max_num_queries),
and the large case runs no more queries than the small one (so an N+1 shows up
even when it is still under the ceiling)."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from labeling import queue
from labeling.models import Task
from labeling.services import create_task
from tests.conftest import make_project

pytestmark = pytest.mark.django_db

NER_PARAMS = {"labels": [{"name": "person"}, {"name": "place"}]}
# Ceilings: what the views need today plus a little room; a new N+1 blows
# through the "same as the small case" check long before these.
PAGE_MAX = 10
API_MAX = 6
# A submit ("after": "stop"): session, user, task, lock, sampling aggregate,
# update, revision (and the transaction statements where they are logged).
SUBMIT_MAX = 9
# Submit-and-next by a worker (roles, callback delivery + job, next claim).
SUBMIT_AND_NEXT_MAX = 17


def tc_fields(n: int) -> list[dict]:
    kinds = ["category", "text", "number", "boolean"]
    fields = []
    for i in range(n):
        f = {"type": kinds[i % 4], "field_id": f"f{i}", "title": f"Field {i}"}
        if f["type"] == "category":
            f["choices"] = [{"label": "A", "value": "a"}, {"label": "B", "value": "b"}]
        if i % 4 == 1:
            f["conditions"] = [{f"f{i - 1}": ["a"]}]
        fields.append(f)
    return fields


def ner_document(spans: int) -> tuple[str, dict]:
    words = [f"word{i}" for i in range(max(spans, 1) * 2)]
    text = " ".join(words)
    annotations, pos = [], 0
    for i, word in enumerate(words):
        if i % 2 == 0 and len(annotations) < spans:
            annotations.append(
                {"id": f"s{i}", "start": pos, "end": pos + len(word), "label": "person"}
            )
        pos += len(word) + 1
    return text, {"annotations": annotations}


def count(fn) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as ctx:
        result = fn()
    return len(ctx.captured_queries), result


def bounded(django_assert_max_num_queries, ceiling: int, small, large) -> tuple[int, int]:
    """Run small() and large() under the ceiling; return both query counts."""
    with django_assert_max_num_queries(ceiling):
        n_small, _ = count(small)
    with django_assert_max_num_queries(ceiling):
        n_large, _ = count(large)
    assert n_large <= n_small, f"{n_large} queries for the large case, {n_small} for the small"
    return n_small, n_large


@pytest.fixture
def tc_tasks(account):
    make_project(account, name="tc", type="textcollection")
    return {
        n: create_task(
            account=account,
            type_name="textcollection",
            payload={
                "project": "tc",
                "instruction": "Read **this**",
                "attachments": [{"type": "text", "content": "# Title\n\nSome text."}],
                "fields": tc_fields(n),
            },
        )
        for n in (2, 300)
    }


@pytest.fixture
def ner_tasks(account):
    make_project(account, name="ner", type="namedentityrecognition", params=NER_PARAMS)
    tasks = {}
    for n in (1, 2000):
        text, hypothesis = ner_document(n)
        tasks[n] = create_task(
            account=account,
            type_name="namedentityrecognition",
            payload={"project": "ner", "text": text, "hypothesis": hypothesis},
        )
    return tasks


def leased_client(client, user, *tasks):
    client.force_login(user)
    for task in tasks:
        assert queue.take_lease(task=task, user=user)
    return client


def test_textcollection_label_page(client, admin_user, tc_tasks, django_assert_max_num_queries):
    leased_client(client, admin_user, *tc_tasks.values())

    def page(n):
        response = client.get(f"/label/{tc_tasks[n].task_id}/")
        assert response.status_code == 200 and b"data-field-id" in response.content

    bounded(django_assert_max_num_queries, PAGE_MAX, lambda: page(2), lambda: page(300))


def test_textcollection_round_trip(client, admin_user, tc_tasks, django_assert_max_num_queries):
    leased_client(client, admin_user, *tc_tasks.values())

    def refresh(n):
        url = f"/t/textcollection/{tc_tasks[n].task_id}/refresh/"
        response = client.post(url, {"tc-0-0": "a"}, HTTP_HX_REQUEST="true")
        assert response.status_code == 200

    bounded(django_assert_max_num_queries, PAGE_MAX, lambda: refresh(2), lambda: refresh(300))


def test_textcollection_submit(client, admin_user, tc_tasks, django_assert_max_num_queries):
    """A good submit: save, revision, callback enqueue, and claim of the next task."""
    leased_client(client, admin_user, *tc_tasks.values())

    def submit(n):
        # Every field answered where asked; conditions hide the rest.
        data = {}
        for i, f in enumerate(tc_fields(n)):
            if f["type"] == "category" and i % 8 == 0:
                data[f"tc-{i}-0"] = "a"
        response = client.post(f"/label/{tc_tasks[n].task_id}/", {**data, "after": "stop"})
        assert response.status_code == 302, response.content[:500]

    bounded(django_assert_max_num_queries, SUBMIT_MAX, lambda: submit(2), lambda: submit(300))
    assert Task.objects.filter(status=Task.Status.COMPLETED).count() == 2


def test_ner_label_page(client, admin_user, ner_tasks, django_assert_max_num_queries):
    leased_client(client, admin_user, *ner_tasks.values())

    def page(n):
        response = client.get(f"/label/{ner_tasks[n].task_id}/")
        assert response.status_code == 200 and b"data-ner-text" in response.content

    bounded(django_assert_max_num_queries, PAGE_MAX, lambda: page(1), lambda: page(2000))


def test_ner_submit(client, admin_user, ner_tasks, django_assert_max_num_queries):
    leased_client(client, admin_user, *ner_tasks.values())

    def submit(n):
        task = ner_tasks[n]
        body = {"annotations": task.hypothesis["annotations"], "relationships": []}
        response = client.post(
            f"/label/{task.task_id}/", {"ner_response": json.dumps(body), "after": "stop"}
        )
        assert response.status_code == 302, response.content[:500]

    bounded(django_assert_max_num_queries, SUBMIT_MAX, lambda: submit(1), lambda: submit(2000))


def test_queue_home(client, worker, account, django_assert_max_num_queries):
    """The worker's home lists the tasks they hold: 1 or 20, same queries."""
    project = make_project(account, name="q", type="textcollection")
    project.workers.add(worker)
    client.force_login(worker)

    def lease(n):
        for _ in range(n):
            task = create_task(
                account=account,
                type_name="textcollection",
                payload={"project": "q", "fields": tc_fields(2)},
            )
            assert queue.take_lease(task=task, user=worker)

    def home():
        assert client.get("/queue/").status_code == 200

    lease(1)
    with django_assert_max_num_queries(PAGE_MAX):
        n_one, _ = count(home)
    lease(19)
    with django_assert_max_num_queries(PAGE_MAX):
        n_twenty, _ = count(home)
    assert n_twenty <= n_one


def make_api_tasks(account, n: int) -> None:
    for i in range(n):
        create_task(
            account=account,
            type_name="textcollection",
            payload={
                "project": "listing",
                "batch": "b1",
                "fields": tc_fields(2),
                "tags": ["x"],
                "metadata": {"i": i},
            },
        )


@pytest.fixture
def listing(account):
    from labeling.services import create_batch

    make_project(account, name="listing", type="textcollection")
    create_batch(account=account, payload={"project": "listing", "name": "b1"})
    return account


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"project": "listing", "status": "pending"},
        {"batch": "b1", "tags": "x", "limited_response": "true"},
        {"type": "textcollection", "created_after": "2000-01-01T00:00:00Z"},
    ],
)
def test_task_list(api, listing, django_assert_max_num_queries, query):
    make_api_tasks(listing, 1)

    def one():
        response = api.get("tasks", **query)
        assert response.status_code == 200 and len(response.json()["docs"]) == 1

    def fifty():
        response = api.get("tasks", **query)
        assert response.status_code == 200 and len(response.json()["docs"]) == 50

    with django_assert_max_num_queries(API_MAX):
        n_one, _ = count(one)
    make_api_tasks(listing, 49)
    with django_assert_max_num_queries(API_MAX):
        n_fifty, _ = count(fifty)
    assert n_fifty <= n_one


def test_task_create_and_get(api, listing, django_assert_max_num_queries):
    def create(n):
        body = {"project": "listing", "batch": "b1", "fields": tc_fields(n), "tags": ["a", "b"]}
        response = api.post("task/textcollection", body)
        assert response.status_code == 200, response.json()
        return response.json()["task_id"]

    with django_assert_max_num_queries(API_MAX + 2):
        n_small, task_id = count(lambda: create(2))
    with django_assert_max_num_queries(API_MAX + 2):
        n_large, _ = count(lambda: create(300))
    assert n_large <= n_small
    with django_assert_max_num_queries(API_MAX):
        assert api.get(f"task/{task_id}").status_code == 200


def test_worker_submit_and_next(client, worker, account, django_assert_max_num_queries):
    """A worker's submit-and-next (what bench_load.py times): access check,
    save, revision, callback delivery and its job, and the claim of the next
    task, for a task with a callback_url. 1 or 20 tasks done, same queries."""
    project = make_project(account, name="w", type="textcollection")
    project.workers.add(worker)
    for _ in range(25):
        create_task(
            account=account,
            type_name="textcollection",
            payload={
                "project": "w",
                "fields": tc_fields(2),
                "callback_url": "http://127.0.0.1:9/callback",
            },
        )
    client.force_login(worker)
    current = [queue.claim_next(user=worker).task_id]

    def submit():
        response = client.post(f"/label/{current[0]}/", {"tc-0-0": "a"})
        assert response.status_code == 302, response.content[:500]
        current[0] = response["Location"].split("/")[2]

    submit()
    with django_assert_max_num_queries(SUBMIT_AND_NEXT_MAX):
        n_first, _ = count(submit)
    for _ in range(18):
        submit()
    with django_assert_max_num_queries(SUBMIT_AND_NEXT_MAX):
        n_later, _ = count(submit)
    assert n_later <= n_first
