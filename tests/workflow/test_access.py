"""Every view enforces roles and leases on the server."""

from __future__ import annotations

import pytest

from labeling import queue
from labeling.models import Task

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_worker(make_user, project):
    other = make_user("otto", "worker")
    project.workers.add(other)
    return other


def test_worker_cannot_open_another_workers_leased_task(client, other_worker, leased_task):
    client.force_login(other_worker)
    assert client.get(f"/label/{leased_task.task_id}/").status_code == 404
    assert client.post(f"/label/{leased_task.task_id}/lease/").status_code == 409
    client.post(f"/label/{leased_task.task_id}/release/")
    assert Task.objects.get(pk=leased_task.pk).leased_to_id != other_worker.pk


def test_other_workers_post_does_not_complete_the_task(client, other_worker, leased_task):
    client.force_login(other_worker)
    answer = client.post(f"/label/{leased_task.task_id}/", {"answer": "sneaky"})
    html = answer.content.decode()
    assert answer.status_code == 409
    assert "not leased to you" in html and "kept in the task" in html
    assert "What is it?" not in html and 'name="answer"' not in html  # no task content
    task = Task.objects.get(pk=leased_task.pk)
    assert task.status == "pending" and task.response is None
    assert task.revisions.get(kind="late").response == {"annotations": {"answer": "sneaky"}}
    incomplete = client.post(f"/label/{leased_task.task_id}/", {"answer": ""})
    assert incomplete.status_code == 409 and "What is it?" not in incomplete.content.decode()


def test_worker_cannot_open_unleased_task_by_url(client, worker, project, make_task):
    task = make_task(project)
    client.force_login(worker)
    assert client.get(f"/label/{task.task_id}/").status_code == 404


def test_unassigned_worker_gets_404_even_for_posts(client, make_user, leased_task):
    stranger = make_user("stranger", "worker")
    client.force_login(stranger)
    assert client.get(f"/label/{leased_task.task_id}/").status_code == 404
    assert client.post(f"/label/{leased_task.task_id}/", {"answer": "x"}).status_code == 404


def test_worker_cannot_open_any_review_page(client, worker, leased_task):
    queue.submit_response(
        task=leased_task, response={"annotations": {"answer": "a"}}, user=worker, require_lease=True
    )
    client.force_login(worker)
    tid = leased_task.task_id
    assert client.get("/review/").status_code == 403
    assert client.get(f"/review/{tid}/").status_code == 403
    assert client.get(f"/review/{tid}/fix/").status_code == 403
    assert client.post(f"/review/{tid}/accept/").status_code == 403
    assert client.post(f"/review/{tid}/reject/", {"comment": "no"}).status_code == 403
    assert Task.objects.get(pk=leased_task.pk).customer_review_status == ""


def test_anonymous_is_sent_to_login(client, leased_task):
    for url in ["/queue/", f"/label/{leased_task.task_id}/", "/review/"]:
        answer = client.get(url)
        assert answer.status_code == 302 and answer.url.startswith("/accounts/login/")


def test_worker_cannot_use_admin(client, worker):
    client.force_login(worker)
    answer = client.get("/admin/labeling/project/")
    assert answer.status_code == 302 and "/admin/login/" in answer.url
    assert client.post("/admin/labeling/project/preview/", {"type": "faketext"}).status_code == 302


def test_batch_page_only_for_assigned_workers(client, account, project, make_user):
    from labeling.models import Batch

    Batch.objects.create(account=account, project=project, name="b1")
    stranger = make_user("stranger", "worker")
    client.force_login(stranger)
    assert client.get("/batches/b1/").status_code == 404
