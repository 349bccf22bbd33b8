"""The platform answers: login page, API auth, task creation and retrieval."""

import pytest

from tests.conftest import make_project

pytestmark = pytest.mark.django_db


def test_login_page_answers(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert b'name="username"' in response.content
    assert b'name="password"' in response.content


def test_api_requires_key(client):
    response = client.get("/v1/task/0123456789abcdef01234567")
    assert response.status_code == 401
    assert "error" in response.json()


def test_create_and_get_textcollection_task(api, account):
    make_project(account, name="menu", type="textcollection")
    created = api.post(
        "task/textcollection",
        {"project": "menu", "fields": [{"type": "text", "field_id": "a", "title": "A"}]},
    )
    assert created.status_code == 200, created.content
    task = created.json()
    assert len(task["task_id"]) == 24
    int(task["task_id"], 16)
    fetched = api.get(f"task/{task['task_id']}").json()
    assert fetched["params"]["fields"][0]["field_id"] == "a"
    assert fetched["status"] == "pending"


def test_unknown_task_type_names_supported_types(api, account):
    response = api.post("task/imageannotation", {"project": "x"})
    assert response.status_code == 400
    assert "namedentityrecognition" in response.json()["error"]
    assert "textcollection" in response.json()["error"]
