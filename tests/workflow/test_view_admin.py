"""Django admin: params editor with validation at the path, live preview, batch
progress, callback attempts on the task page; taxonomy edits leave tasks alone."""

from __future__ import annotations

import json

import pytest

from labeling import callbacks, queue
from labeling.models import Batch, CallbackAttempt, Project, Task

pytestmark = pytest.mark.django_db


def change_data(project, params_text: str) -> dict:
    return {
        "account": project.account_id,
        "name": project.name,
        "instruction": project.instruction,
        "params": params_text,
        "workers": [w.pk for w in project.workers.all()],
    }


def test_project_page_has_editor_and_preview(client, admin_user, project):
    client.force_login(admin_user)
    html = client.get(f"/admin/labeling/project/{project.pk}/change/").content.decode()
    assert "data-params-json" in html and 'hx-post="/admin/labeling/project/preview/"' in html
    assert 'hx-trigger="keyup changed delay:500ms, load"' in html
    assert "labeling/admin-params.js" in html and "django_htmx/htmx-2.min.js" in html
    assert "&quot;question&quot;: &quot;What is it?&quot;" in html


def test_invalid_params_show_error_at_path_and_change_nothing(client, admin_user, project):
    client.force_login(admin_user)
    bad = json.dumps({"question": "Q", "choices": ["a", 3]})
    answer = client.post(f"/admin/labeling/project/{project.pk}/change/", change_data(project, bad))
    html = answer.content.decode()
    assert answer.status_code == 200
    assert "params.choices[1]: must be a string" in html
    assert "&quot;choices&quot;: [&quot;a&quot;, 3]" in html  # what was typed is kept
    assert Project.objects.get(pk=project.pk).params == {"question": "What is it?"}
    syntax = client.post(
        f"/admin/labeling/project/{project.pk}/change/", change_data(project, '{"question": "Q",}')
    )
    assert "invalid JSON at line 1, column" in syntax.content.decode()


def test_params_change_keeps_existing_tasks_and_versions_history(
    client, admin_user, project, make_task
):
    task = make_task(project)
    client.force_login(admin_user)
    answer = client.post(
        f"/admin/labeling/project/{project.pk}/change/",
        change_data(project, json.dumps({"question": "New?"})),
    )
    assert answer.status_code == 302
    project.refresh_from_db()
    assert project.params == {"question": "New?"}
    assert project.param_history[-1]["question"] == "New?"
    assert Task.objects.get(pk=task.pk).params["question"] == "What is it?"
    assert make_task(project).params["question"] == "New?"


def test_preview_renders_or_shows_problems(client, admin_user):
    client.force_login(admin_user)
    ok = client.post(
        "/admin/labeling/project/preview/",
        {"project_type": "faketext", "params": '{"question": "Colour?"}'},
    )
    assert "Colour?" in ok.content.decode() and 'name="answer"' in ok.content.decode()
    bad = client.post(
        "/admin/labeling/project/preview/", {"type": "faketext", "params": '{"question": ""}'}
    )
    assert 'data-problem-path="params.question"' in bad.content.decode()
    assert "must be a non-empty string" in bad.content.decode()


def test_preview_is_staff_only(client, reviewer):
    client.force_login(reviewer)
    answer = client.post("/admin/labeling/project/preview/", {"type": "faketext"})
    assert answer.status_code == 302 and "/admin/login/" in answer.url


def test_batch_list_shows_progress_bar(client, admin_user, account, project, make_task, worker):
    Batch.objects.create(account=account, project=project, name="b1", status="in_progress")
    for _ in range(4):
        make_task(project, batch="b1")
    task = queue.claim_next(user=worker)
    queue.submit_response(
        task=task, response={"annotations": {"answer": "a"}}, user=worker, require_lease=True
    )
    client.force_login(admin_user)
    html = client.get("/admin/labeling/batch/").content.decode()
    assert 'role="progressbar"' in html and "1 / 4 completed" in html
    assert "bar-completed w-25" in html and "bar-pending w-75" in html


def test_task_admin_lists_callback_attempts(client, admin_user, project, make_task, worker):
    make_task(project, callback_url="https://example.invalid/hook")
    task = queue.claim_next(user=worker)
    queue.submit_response(
        task=task, response={"annotations": {"answer": "a"}}, user=worker, require_lease=True
    )
    delivery = task.callbacks.get()
    CallbackAttempt.objects.create(delivery=delivery, status_code=503, error="HTTP 503 busy")
    assert callbacks.SIGNATURE_HEADER == "X-Labelform-Signature"
    client.force_login(admin_user)
    html = client.get(f"/admin/labeling/task/{task.pk}/change/").content.decode()
    assert "task.completed" in html and "503" in html and "HTTP 503 busy" in html
