"""/v1 projects: create, list, retrieve, setParams (param_history), errors."""

from __future__ import annotations

import pytest

from labeling.models import Project, Task
from tests.api.conftest import NER_LABELS, TC_FIELDS


@pytest.mark.django_db
def test_create_and_retrieve_project(api):
    response = api.post(
        "projects",
        {
            "type": "textcollection",
            "name": "reviews",
            "params": {"fields": TC_FIELDS, "instruction": "Summarize the review."},
            "rapid": False,
            "studio": False,
            "datasetId": None,
        },
    )
    assert response.status_code == 200, response.json()
    project = response.json()
    assert project["name"] == "reviews"
    assert project["type"] == "textcollection"
    # Scale's documented example puts the instruction inside params.
    assert project["instruction"] == "Summarize the review."
    assert project["params"] == {"fields": TC_FIELDS}
    [entry] = project["param_history"]
    assert entry["version"] == 1
    assert entry["instruction"] == "Summarize the review."
    assert entry["fields"] == TC_FIELDS
    assert api.get("projects/reviews").json() == project


@pytest.mark.django_db
def test_list_projects_oldest_first(api, tc_project, ner_project):
    response = api.get("projects")
    assert response.status_code == 200
    assert [p["name"] for p in response.json()] == ["summaries", "people"]


@pytest.mark.django_db
def test_names_with_slashes_and_spaces_round_trip(api):
    response = api.post("projects", {"type": "textcollection", "name": "team a/2024 q1"})
    assert response.status_code == 200
    assert api.get("projects/team%20a%2F2024%20q1").json()["name"] == "team a/2024 q1"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "place"),
    [
        ({"name": "p"}, "type"),
        ({"type": "imageannotation", "name": "p"}, "type"),
        ({"type": "textcollection"}, "name"),
        ({"type": "textcollection", "name": ""}, "name"),
        ({"type": "textcollection", "name": 5}, "name"),
        ({"type": "textcollection", "name": "p/status"}, "name"),
        ({"type": "textcollection", "name": "p", "params": []}, "params"),
        ({"type": "textcollection", "name": "p", "params": {"fields": "x"}}, "params.fields"),
        (
            {"type": "namedentityrecognition", "name": "p", "params": {"labels": [{"nam": "x"}]}},
            "params.labels[0]",
        ),
        (
            {"type": "textcollection", "name": "p", "params": {"instruction": 3}},
            "params.instruction",
        ),
        ({"type": "textcollection", "name": "p", "rapid": "no"}, "rapid"),
        ({"type": "textcollection", "name": "p", "colour": "red"}, "colour"),
    ],
)
def test_create_project_errors(api, body, place):
    response = api.post("projects", body)
    assert response.status_code == 400, response.json()
    assert response.json()["error"].startswith(place)
    assert not Project.objects.exists()


@pytest.mark.django_db
def test_partial_params_are_accepted(api):
    # A project may give only part of the params: each task supplies the text.
    response = api.post(
        "projects",
        {"type": "namedentityrecognition", "name": "p", "params": {"labels": NER_LABELS}},
    )
    assert response.status_code == 200, response.json()


@pytest.mark.django_db
def test_duplicate_project_is_409_and_unknown_is_404(api, tc_project):
    response = api.post("projects", {"type": "textcollection", "name": "summaries"})
    assert response.status_code == 409
    assert response.json()["error"].startswith("name:")
    assert api.get("projects/nope").status_code == 404
    assert api.post("projects/nope/setParams", {"instruction": "x"}).status_code == 404


@pytest.mark.django_db
def test_set_params_appends_history_and_leaves_tasks_alone(api, tc_project):
    created = api.post("task/textcollection", {"project": "summaries", "fields": TC_FIELDS}).json()
    new_fields = [{"type": "text", "field_id": "title", "title": "Title"}]
    response = api.post("projects/summaries/setParams", {"fields": new_fields})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["params"] == {"fields": new_fields}
    assert [e["version"] for e in body["param_history"]] == [1, 2]
    assert body["param_history"][-1]["fields"] == new_fields

    instructed = api.post("projects/summaries/setParams", {"instruction": "Be brief."}).json()
    assert instructed["instruction"] == "Be brief."
    assert instructed["params"] == {"fields": new_fields}  # unchanged
    assert instructed["param_history"][-1]["instruction"] == "Be brief."

    nested = api.post(
        "projects/summaries/setParams",
        {"params": {"attachments": []}, "patch": True},
    ).json()
    assert nested["params"] == {"fields": new_fields, "attachments": []}
    replaced = api.post("projects/summaries/setParams", {"params": {"fields": TC_FIELDS}}).json()
    assert replaced["params"] == {"fields": TC_FIELDS}
    assert len(replaced["param_history"]) == 5

    # The existing task keeps the params it was created with; a new task gets the new ones.
    assert Task.objects.get(task_id=created["task_id"]).params["fields"] == TC_FIELDS
    later = api.post("task/textcollection", {"project": "summaries"}).json()
    assert later["params"]["fields"] == TC_FIELDS
    assert later["instruction"] == "Be brief."


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "place"),
    [
        ({}, "params"),
        ({"instruction": 5}, "instruction"),
        ({"params": "x"}, "params"),
        ({"patch": "yes", "fields": TC_FIELDS}, "patch"),
        ({"fields": [{"type": "text"}]}, "params.fields[0]"),
    ],
)
def test_set_params_errors(api, tc_project, body, place):
    response = api.post("projects/summaries/setParams", body)
    assert response.status_code == 400, response.json()
    assert response.json()["error"].startswith(place)
    assert len(Project.objects.get().param_history) == 1
