"""Helpers for the /v1 API tests: realistic params for both task types."""

from __future__ import annotations

from typing import Any

import pytest

TC_FIELDS = [{"type": "text", "field_id": "summary", "title": "Summary"}]
NER_LABELS = [{"name": "person"}, {"name": "place"}]


def tc_task(**extra: Any) -> dict[str, Any]:
    return {"fields": TC_FIELDS, **extra}


def ner_task(text: str = "Ada Lovelace lived in London.", **extra: Any) -> dict[str, Any]:
    return {"text": text, "labels": NER_LABELS, **extra}


@pytest.fixture
def tc_project(api):
    response = api.post("projects", {"type": "textcollection", "name": "summaries"})
    assert response.status_code == 200, response.json()
    return response.json()


@pytest.fixture
def ner_project(api):
    response = api.post(
        "projects",
        {"type": "namedentityrecognition", "name": "people", "params": {"labels": NER_LABELS}},
    )
    assert response.status_code == 200, response.json()
    return response.json()


@pytest.fixture
def create_task(api, tc_project):
    """create_task(**body) -> task dict; a TextCollection task in `summaries` by default."""

    def _create(type_name: str = "textcollection", **body: Any) -> dict[str, Any]:
        if type_name == "textcollection":
            body = {"project": "summaries", **tc_task(), **body}
        response = api.post(f"task/{type_name}", body)
        assert response.status_code == 200, response.json()
        return response.json()

    return _create
