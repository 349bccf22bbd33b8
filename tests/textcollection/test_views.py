"""The labeling page, the HTMX round trip and submission, through Django's test client."""

from __future__ import annotations

import re

import pytest

from labeling import queue
from labeling.models import Task
from labeling.services import create_task
from tests.conftest import make_project
from tests.textcollection.kitchen import PARAMS
from tests.textcollection.test_response import EXPECTED, GOOD

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def task(account):
    make_project(account, name="menu", type="textcollection")
    return create_task(
        account=account,
        type_name="textcollection",
        payload={"project": "menu", "instruction": "Read *carefully*", **PARAMS},
    )


def open_as(client, user, task):
    """Log in and hold the task's lease (the labeling page is editable only then)."""
    client.force_login(user)
    assert queue.take_lease(task=task, user=user)


def wrapper(html: str, field_id: str) -> str:
    match = re.search(rf'<div class="tc-field[^"]*"[^>]*data-field-id="{field_id}"[^>]*>', html)
    assert match, f"no wrapper for {field_id}"
    return match.group(0)


def test_prepare_renders_text_attachments_once(task):
    assert "<h1>Menu</h1>" in task.rendered["attachments_html"][0]
    assert task.rendered["attachments_html"][1] == ""


def test_page_renders_every_field_with_conditions(client, admin_user, task):
    open_as(client, admin_user, task)
    html = client.get(f"/label/{task.task_id}/").content.decode()
    for f in PARAMS["fields"]:
        assert f'data-field-id="{f["field_id"]}"' in html
    assert " hidden" in wrapper(html, "detail")
    assert "hidden" not in wrapper(html, "occlusion")
    assert 'hx-post="/t/textcollection/' in wrapper(html, "occlusion")
    assert '<div class="markdown" hx-disable><h1>Menu</h1>' in html
    assert 'data-action="submit"' in html
    assert "textcollection/textcollection.js" in html


def test_round_trip_shows_dependent_field(client, admin_user, task):
    open_as(client, admin_user, task)
    url = f"/t/textcollection/{task.task_id}/refresh/"
    html = client.post(url, {"tc-0-0": "1", "tc-2-0": "typed"}, **HX).content.decode()
    assert html.lstrip().startswith('<div id="tc-body"')
    assert "hidden" not in wrapper(html, "detail")
    assert ">typed</textarea>" in html  # nothing typed is lost
    html = client.post(url, {"tc-0-0": "0"}, **HX).content.decode()
    assert " hidden" in wrapper(html, "detail")


def test_round_trip_ops_without_js_return_the_whole_page(client, admin_user, task):
    open_as(client, admin_user, task)
    url = f"/t/textcollection/{task.task_id}/refresh/"
    response = client.post(url, {"tc-2-n": "1", "tc-2-0": "a", "_tc_op": "add:tc-2"})
    html = response.content.decode()
    assert "<html" in html and 'id="task-form"' in html
    assert 'name="tc-2-1"' in html and 'name="tc-2-n" value="2"' in html


def test_op_submitted_through_the_form_returns_the_form(client, admin_user, task):
    """An op button pressed before htmx processed it submits the whole form, whose
    hx-post targets #task-form: the form must come back, not a bare body."""
    open_as(client, admin_user, task)
    url = f"/t/textcollection/{task.task_id}/refresh/"
    data = {"tc-11-0": "0", "_tc_op": "rank:tc-11-0:add:2"}
    html = client.post(url, data, **HX, HTTP_HX_TARGET="task-form").content.decode()
    assert html.lstrip().startswith('<form id="task-form"')
    assert 'data-action="submit"' in html and "<html" not in html
    assert re.findall(r'name="tc-11-0" value="(\d)"', html) == ["0", "2"]


def test_round_trip_needs_access(client, worker, make_user, task):
    client.force_login(worker)
    assert client.post(f"/t/textcollection/{task.task_id}/refresh/", {}, **HX).status_code == 404
    # A reviewer without the lease may look, but gets a read-only body.
    reviewer = make_user("rex", "reviewer")
    client.force_login(reviewer)
    html = client.post(f"/t/textcollection/{task.task_id}/refresh/", {}, **HX).content.decode()
    assert "disabled" in html and "_tc_op" not in html


def test_failed_submit_keeps_input_and_shows_errors(client, admin_user, task):
    open_as(client, admin_user, task)
    bad = {**GOOD, "tc-4-0": "1000", "tc-2-0": "kept text"}
    response = client.post(f"/label/{task.task_id}/", bad)
    html = response.content.decode()
    assert response.status_code == 400
    assert "must be at most 100" in html
    assert 'value="1000"' in html and ">kept text</textarea>" in html
    assert "hidden" not in wrapper(html, "detail")  # visibility right after a failed submit
    task.refresh_from_db()
    assert task.status == Task.Status.PENDING and task.response is None
    # With HTMX the form partial comes back.
    html = client.post(f"/label/{task.task_id}/", bad, **HX).content.decode()
    assert html.lstrip().startswith("<form") and "must be at most 100" in html


def test_good_submit_stores_the_callback_response(client, worker, task):
    task.project.workers.add(worker)
    open_as(client, worker, task)
    assert client.get(f"/label/{task.task_id}/").status_code == 200
    response = client.post(f"/label/{task.task_id}/", GOOD, **HX)
    assert response.status_code == 200 and response["HX-Redirect"]
    task.refresh_from_db()
    assert task.status == Task.Status.COMPLETED
    assert task.response == EXPECTED


def test_hypothesis_prefills_the_page(client, admin_user, account):
    make_project(account, name="hyp", type="textcollection")
    task = create_task(
        account=account,
        type_name="textcollection",
        payload={
            "project": "hyp",
            **PARAMS,
            "hypothesis": {
                "annotations": {
                    "occlusion": {"type": "category", "field_id": "occlusion", "response": [["1"]]},
                    "summary": {"type": "text", "field_id": "summary", "response": ["pre"]},
                }
            },
        },
    )
    open_as(client, admin_user, task)
    html = client.get(f"/label/{task.task_id}/").content.decode()
    assert 'value="1" checked' in html
    assert ">pre</textarea>" in html
    assert "hidden" not in wrapper(html, "detail")


def test_bad_hypothesis_is_rejected_with_its_path(account):
    from labeling.errors import ValidationProblem

    make_project(account, name="hyp2", type="textcollection")
    with pytest.raises(ValidationProblem) as exc:
        create_task(
            account=account,
            type_name="textcollection",
            payload={
                "project": "hyp2",
                **PARAMS,
                "hypothesis": {"annotations": {"genre": {"type": "category", "response": [["x"]]}}},
            },
        )
    assert "hypothesis.annotations.genre.response[0]" in str(exc.value)


def test_nul_character_in_an_answer_is_refused_not_a_server_error(client, admin_user, task):
    """PostgreSQL cannot store U+0000; the worker is told, and their input kept."""
    open_as(client, admin_user, task)
    bad = {**GOOD, "tc-2-0": "kept\x00text"}
    response = client.post(f"/label/{task.task_id}/", bad)
    assert response.status_code == 400
    assert "Remove the NUL character" in response.content.decode()
    task.refresh_from_db()
    assert task.status == Task.Status.PENDING and task.response is None
