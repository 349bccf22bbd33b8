"""/label/<id>/: the page a worker labels on, submit-and-next, errors, late submits."""

from __future__ import annotations

import pytest

from labeling.models import ResponseRevision, Task

pytestmark = pytest.mark.django_db


def test_label_page_renders_form_with_submit_and_next(client, worker, leased_task):
    client.force_login(worker)
    page = client.get(f"/label/{leased_task.task_id}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "What is it?" in html and 'name="answer"' in html
    assert 'data-action="submit"' in html and 'value="next"' in html
    assert f'data-lease-url="/label/{leased_task.task_id}/lease/"' in html
    assert "labeling/label.js" in html


def test_submit_and_next_goes_to_the_next_task(client, worker, project, make_task, leased_task):
    following = make_task(project)
    client.force_login(worker)
    answer = client.post(f"/label/{leased_task.task_id}/", {"answer": "a cat", "after": "next"})
    assert answer.status_code == 302 and answer.url == f"/label/{following.task_id}/"
    done = Task.objects.get(pk=leased_task.pk)
    assert done.status == "completed" and done.response == {"annotations": {"answer": "a cat"}}
    assert Task.objects.get(pk=following.pk).leased_to == worker


def test_submit_with_htmx_redirects_with_header(client, worker, leased_task):
    client.force_login(worker)
    answer = client.post(
        f"/label/{leased_task.task_id}/", {"answer": "x", "after": "stop"}, HTTP_HX_REQUEST="true"
    )
    assert answer.status_code == 200
    assert answer["HX-Redirect"] == f"/label/{leased_task.task_id}/done/"


def test_invalid_submission_rerenders_with_error_and_saves_nothing(client, worker, leased_task):
    client.force_login(worker)
    answer = client.post(f"/label/{leased_task.task_id}/", {"answer": ""})
    assert answer.status_code == 400
    assert "This field is required." in answer.content.decode()
    assert Task.objects.get(pk=leased_task.pk).status == "pending"


def test_double_submit_is_answered_409_and_keeps_both(client, worker, leased_task):
    client.force_login(worker)
    client.post(f"/label/{leased_task.task_id}/", {"answer": "first", "after": "stop"})
    again = client.post(f"/label/{leased_task.task_id}/", {"answer": "second"})
    html = again.content.decode()
    assert again.status_code == 409
    assert "already completed" in html and "kept in the task" in html
    assert 'value="second"' in html  # shown back to the worker, read-only
    task = Task.objects.get(pk=leased_task.pk)
    assert task.response == {"annotations": {"answer": "first"}}
    late = task.revisions.get(kind=ResponseRevision.Kind.LATE)
    assert late.response == {"annotations": {"answer": "second"}}


def test_heartbeat_renews_and_reports_lost_lease(client, worker, leased_task, make_user):
    client.force_login(worker)
    beat = client.post(f"/label/{leased_task.task_id}/lease/")
    assert beat.status_code == 200 and beat.json()["leased"] is True
    other = make_user("otto", "worker")
    Task.objects.filter(pk=leased_task.pk).update(leased_to=other)
    lost = client.post(f"/label/{leased_task.task_id}/lease/")
    assert lost.status_code == 409 and lost.json()["leased"] is False


def test_reviewer_sees_someone_elses_task_read_only(client, reviewer, leased_task):
    client.force_login(reviewer)
    html = client.get(f"/label/{leased_task.task_id}/").content.decode()
    assert "read-only" in html and 'data-action="submit"' not in html
    assert Task.objects.get(pk=leased_task.pk).leased_to_id != reviewer.pk
