"""The NER task type through the platform: creation, rendering, parsing a submission."""

from __future__ import annotations

import html
import json
import re
import uuid

import pytest
from django.http import QueryDict
from django.test import RequestFactory

from labeling import registry
from labeling.errors import ValidationProblem
from labeling.services import create_task
from tests.conftest import make_project
from tests.ner.conftest import PARAMS

NER = "namedentityrecognition"


@pytest.fixture
def ner():
    return registry.get(NER)


def config_of(body: str) -> dict:
    raw = re.search(r"<div hidden data-ner-config>(.*?)</div>", body, re.S).group(1)
    return json.loads(html.unescape(raw))


def test_create_task_normalizes_hypothesis_and_names_paths(account):
    make_project(account, name="ner", type=NER)
    hypothesis = {"annotations": [{"start": 0, "end": 9, "label": "person"}]}
    task = create_task(
        account=account,
        type_name=NER,
        payload={"project": "ner", **PARAMS, "hypothesis": hypothesis},
    )
    (ann,) = task.hypothesis["annotations"]
    assert uuid.UUID(ann["id"]) and ann["text"] == "Alex Wang"

    bad = {
        "project": "ner",
        **PARAMS,
        "hypothesis": {"annotations": [{"start": 0, "end": 9, "label": "thing"}]},
    }
    with pytest.raises(ValidationProblem) as info:
        create_task(account=account, type_name=NER, payload=bad)
    assert info.value.problems[0][0] == "hypothesis.annotations[0].label"

    with pytest.raises(ValidationProblem) as info:
        create_task(
            account=account,
            type_name=NER,
            payload={"project": "ner", "text": "x", "labels": [{"name": ""}]},
        )
    assert info.value.problems == [("labels[0].name", "must be a non-empty string")]


def test_render_carries_text_exactly_and_escapes_markup(ner, rf: RequestFactory):
    params = {**PARAMS, "text": "a\r\nb\rc </div><script>alert(1)</script> & 😀"}
    body = ner.render(rf.get("/"), params=params, rendered={})
    assert "<script>alert" not in body
    config = config_of(body)
    assert config["text"] == params["text"]
    assert config["source"] == "empty" and config["readonly"] is False
    assert 'name="ner_response"' in body


def test_render_readonly_has_no_editing_controls(ner, rf):
    response = {"annotations": [], "relationships": []}
    body = ner.render(rf.get("/"), params=PARAMS, rendered={}, response=response, readonly=True)
    assert "data-readonly" in body
    assert "data-label-choice" not in body and 'name="ner_response"' not in body
    assert config_of(body)["source"] == "response"


def test_parse_submission_valid_and_invalid(ner, rf):
    good = {
        "annotations": [{"id": "a", "start": 0, "end": 9, "text": "Alex Wang", "label": "person"}],
        "relationships": [],
    }
    data = QueryDict(mutable=True)
    data["ner_response"] = json.dumps(good)
    submission = ner.parse_submission(rf.post("/"), data=data, params=PARAMS, rendered={})
    assert submission.ok and submission.response == good

    bad = {
        "annotations": [{"id": "a", "start": 0, "end": 8, "text": "Alex Wang", "label": "person"}]
    }
    data["ner_response"] = json.dumps(bad)
    submission = ner.parse_submission(rf.post("/"), data=data, params=PARAMS, rendered={})
    assert not submission.ok
    assert submission.errors == {
        "annotations[0].text": ["is 'Alex Wang' but text[0:8] is 'Alex Wan'"]
    }
    # The re-rendered page carries what was posted, and the error.
    config = config_of(submission.html)
    assert config["source"] == "posted" and config["initial"] == bad
    assert "annotations[0].text" in submission.html

    data["ner_response"] = "{not json"
    submission = ner.parse_submission(rf.post("/"), data=data, params=PARAMS, rendered={})
    assert list(submission.errors) == ["ner_response"]
    assert config_of(submission.html)["initial"] is None


def test_api_create_names_the_nested_path_and_stores_hypothesis(api, account):
    make_project(account, name="ner", type=NER)
    params = json.loads(json.dumps(PARAMS))
    params["labels"][1]["children"][0]["name"] = "person"
    answer = api.post(f"task/{NER}", {"project": "ner", **params})
    assert answer.status_code == 400
    assert (
        "labels[1].children[0].name: 'person' is already used by labels[0].name"
        in answer.content.decode()
    )

    hypothesis = {
        "annotations": [
            {"id": "p", "start": 0, "end": 9, "label": "person"},
            {"id": "c", "start": 19, "end": 28, "label": "conference"},
        ],
        "relationships": [{"source_ref": "p", "target_ref": "c", "name": "speaker_at"}],
    }
    answer = api.post(f"task/{NER}", {"project": "ner", **PARAMS, "hypothesis": hypothesis})
    assert answer.status_code == 200, answer.content
    body = answer.json()
    stored = body.get("hypothesis") or body["params"].get("hypothesis")
    (rel,) = stored["relationships"]
    assert uuid.UUID(rel["id"]) and rel["name"] == "speaker_at"
    assert stored["annotations"][0]["text"] == "Alex Wang"
