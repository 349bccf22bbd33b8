"""Strings no database can store (U+0000, lone surrogates) are refused with the
place named, on every write path, before anything is saved."""

import pytest

from labeling.errors import ValidationProblem
from labeling.models import Task
from labeling.services import create_task
from tests.conftest import make_project

pytestmark = pytest.mark.django_db

FIELDS = [{"type": "text", "field_id": "a", "title": "A"}]


def test_api_refuses_nul_in_metadata_and_names_it(api, account):
    make_project(account, name="p")
    response = api.post(
        "task/textcollection", {"project": "p", "fields": FIELDS, "metadata": {"note": "a\u0000b"}}
    )
    assert response.status_code == 400
    assert "metadata.note: must not contain the NUL character" in response.json()["error"]
    assert not Task.objects.exists()


def test_api_refuses_nul_in_a_key(api, account):
    make_project(account, name="p")
    response = api.post("task/textcollection", {"project": "p", "fields": FIELDS, "a\u0000": 1})
    assert response.status_code == 400
    assert "must not contain the NUL character" in response.json()["error"]


def test_service_refuses_nul_in_instruction(account):
    make_project(account, name="p")
    with pytest.raises(ValidationProblem, match=r"^instruction: must not contain the NUL"):
        create_task(
            account=account,
            type_name="textcollection",
            payload={"project": "p", "fields": FIELDS, "instruction": "x\x00"},
        )
    assert not Task.objects.exists()


def test_service_refuses_lone_surrogate(account):
    make_project(account, name="p")
    with pytest.raises(ValidationProblem, match=r"fields\[0\]\.title: contains an unpaired"):
        create_task(
            account=account,
            type_name="textcollection",
            payload={"project": "p", "fields": [{**FIELDS[0], "title": "\ud800"}]},
        )
