"""Render once (issue 7): what depends only on params is computed at creation
and cached per params fingerprint, never redone per request."""

from __future__ import annotations

from unittest import mock

import pytest

from labeling import queue
from labeling.services import create_task
from tests.conftest import make_project
from textcollection import schema

pytestmark = pytest.mark.django_db

PARAMS = {
    "attachments": [{"type": "text", "content": "# Menu\n\n*Soup*"}],
    "fields": [
        {"type": "category", "field_id": "a", "title": "A",
         "choices": [{"label": "X", "value": "x"}, {"label": "Y", "value": "y"}]},
        {"type": "text", "field_id": "b", "title": "B", "conditions": [{"a": ["x"]}]},
    ],
}  # fmt: skip


@pytest.fixture
def task(account):
    make_project(account, name="p", type="textcollection")
    return create_task(
        account=account,
        type_name="textcollection",
        payload={"project": "p", "instruction": "Read *this*", **PARAMS},
    )


def test_creation_stores_html_and_params_key(task):
    assert task.rendered["instruction_html"] == "<p>Read <em>this</em></p>"
    assert "<h1>Menu</h1>" in task.rendered["attachments_html"][0]
    assert task.rendered["params_key"] == schema.params_key(task.params)


def test_pages_run_neither_markdown_nor_spec_parsing(client, admin_user, task):
    client.force_login(admin_user)
    assert queue.take_lease(task=task, user=admin_user)
    client.get(f"/label/{task.task_id}/")  # the first view may parse the params once
    with (
        mock.patch("labeling.markdown.md.markdown") as markdown,
        mock.patch.object(schema, "parse_spec", wraps=schema.parse_spec) as parse,
        mock.patch.object(schema, "_cached_spec", wraps=schema._cached_spec) as by_json,
    ):
        page = client.get(f"/label/{task.task_id}/")
        refresh = client.post(
            f"/t/textcollection/{task.task_id}/refresh/", {"tc-0-0": "x"}, HTTP_HX_REQUEST="true"
        )
    assert page.status_code == 200 and refresh.status_code == 200
    assert b"<h1>Menu</h1>" in page.content
    assert markdown.call_count == 0
    assert parse.call_count == 0
    assert by_json.call_count == 0  # keyed by the stored fingerprint, not re-serialized


def test_same_key_same_spec_and_other_key_other_spec():
    other = {**PARAMS, "fields": PARAMS["fields"][:1]}
    a = schema.spec_for(PARAMS, key=schema.params_key(PARAMS))
    assert schema.spec_for(PARAMS, key=schema.params_key(PARAMS)) is a
    b = schema.spec_for(other, key=schema.params_key(other))
    assert [f.field_id for f in b.fields] == ["a"]
    assert [f.field_id for f in a.fields] == ["a", "b"]
