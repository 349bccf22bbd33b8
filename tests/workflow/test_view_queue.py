"""/queue/ and /queue/next/: what a worker sees and where "Next task" leads."""

from __future__ import annotations

import pytest

from labeling.models import Task

pytestmark = pytest.mark.django_db


def test_queue_page_shows_counts_and_next_button(client, worker, project, make_task):
    make_task(project)
    make_task(project)
    client.force_login(worker)
    page = client.get("/queue/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-count="available">2<' in html
    assert 'data-count="leased">0<' in html
    assert 'action="/queue/next/"' in html and 'data-action="next-task"' in html
    assert "fake-proj" in html


def test_home_redirects_workers_to_queue(client, worker):
    client.force_login(worker)
    assert client.get("/").url == "/queue/"


def test_next_leases_and_redirects_to_label_page(client, worker, project, make_task):
    task = make_task(project)
    client.force_login(worker)
    answer = client.post("/queue/next/")
    assert answer.status_code == 302 and answer.url == f"/label/{task.task_id}/"
    task.refresh_from_db()
    assert task.leased_to == worker
    page = client.get("/queue/").content.decode()
    assert f'data-leased-task="{task.task_id}"' in page
    assert f'action="/label/{task.task_id}/release/"' in page


def test_next_on_empty_queue_says_so(client, worker, project):
    client.force_login(worker)
    answer = client.post("/queue/next/", follow=True)
    assert answer.redirect_chain[-1][0] == "/queue/?empty=1"
    assert "No task is waiting for you" in answer.content.decode()


def test_next_requires_post(client, worker):
    client.force_login(worker)
    assert client.get("/queue/next/").status_code == 405


def test_release_from_queue_page(client, worker, project, make_task):
    task = make_task(project)
    client.force_login(worker)
    client.post("/queue/next/")
    answer = client.post(f"/label/{task.task_id}/release/", follow=True)
    assert "back in the queue" in answer.content.decode()
    assert Task.objects.get(pk=task.pk).leased_to is None


def test_unassigned_worker_is_told(client, make_user):
    lonely = make_user("lonely", "worker")
    client.force_login(lonely)
    assert "not assigned to any project" in client.get("/queue/").content.decode()
