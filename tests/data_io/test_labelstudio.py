"""manage.py import_labelstudio: Label Studio exports become tasks with their
annotations as hypothesis; UTF-16 and code point offsets both land right."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from labeling.labelstudio import ConversionError, span_offsets, utf16_to_codepoints
from labeling.models import Task
from tests.conftest import make_project
from tests.data_io.helpers import TC_PARAMS, ner_project

DATA = Path(__file__).resolve().parent.parent / "data"


def run(path, project):
    out, err = io.StringIO(), io.StringIO()
    failure = None
    try:
        call_command("import_labelstudio", str(path), "--project", project, stdout=out, stderr=err)
    except CommandError as exc:
        failure = str(exc)
    return out.getvalue(), err.getvalue(), failure


def test_ner_export_becomes_tasks_with_hypothesis(account):
    ner_project(account)
    out, err, failure = run(DATA / "labelstudio_ner.json", "ner")
    assert failure is None, err
    assert "4 tasks read, 4 tasks created" in out
    tasks = {t.unique_id: t for t in Task.objects.all()}
    assert set(tasks) == {
        "labelstudio:7:101",
        "labelstudio:7:102",
        "labelstudio:7:103",
        "labelstudio:7:104",
    }

    # Task 101: offsets were UTF-16 code units (emoji before the spans).
    t101 = tasks["labelstudio:7:101"]
    text = t101.params["text"]
    anns = {a["id"]: a for a in t101.hypothesis["annotations"]}
    for ann in anns.values():
        assert text[ann["start"] : ann["end"]] == ann["text"]
    assert anns["r1"]["text"] == "Ada Lovelace" and anns["r1"]["start"] == 9
    assert anns["r2"]["text"] == "Analytical 🚂 Engine Day"
    (rel,) = t101.hypothesis["relationships"]
    assert (rel["source_ref"], rel["target_ref"], rel["name"]) == ("r1", "r2", "speaker_at")

    # Task 102: code point offsets; a "left" relation is turned around.
    t102 = tasks["labelstudio:7:102"]
    anns = {a["id"]: a for a in t102.hypothesis["annotations"]}
    assert anns["a"]["start"] == 2 and anns["a"]["text"] == "Alex Wang"
    (rel,) = t102.hypothesis["relationships"]
    assert (rel["source_ref"], rel["target_ref"]) == ("a", "b")

    # Task 103: no annotation, so the prediction is the hypothesis.
    t103 = tasks["labelstudio:7:103"]
    assert [a["text"] for a in t103.hypothesis["annotations"]] == ["Charles Babbage"]
    assert t103.metadata["labelstudio"] == {
        "id": 103,
        "project": 7,
        "hypothesis_from": "prediction",
    }

    # Task 104: the ground-truth annotation wins over a later one and a cancelled one.
    t104 = tasks["labelstudio:7:104"]
    assert [a["text"] for a in t104.hypothesis["annotations"]] == ["Grace Hopper"]

    # Importing the same export again creates nothing.
    out, _, failure = run(DATA / "labelstudio_ner.json", "ner")
    assert failure is None and "0 tasks created, 4 already present" in out
    assert Task.objects.count() == 4


def test_choices_and_textarea_become_textcollection_hypothesis(account):
    params = {
        "fields": [
            {
                "type": "category",
                "field_id": "sentiment",
                "title": "Sentiment",
                "choices": [
                    {"label": "Positive", "value": "positive"},
                    {"label": "Negative", "value": "negative"},
                ],
            },
            {"type": "text", "field_id": "summary", "title": "Summary"},
        ]
    }
    make_project(account, name="tc", type="textcollection", params=params)
    _out, err, failure = run(DATA / "labelstudio_textcollection.json", "tc")
    assert failure is None, err
    t1 = Task.objects.get(unique_id="labelstudio:8:201")
    assert t1.params["attachments"] == [{"type": "text", "content": "Great soup, a bit too spicy."}]
    entries = t1.hypothesis["annotations"]
    assert entries["sentiment"]["response"] == [["positive"]]
    assert entries["summary"]["response"] == ["Likes the soup | finds it spicy"]
    t2 = Task.objects.get(unique_id="labelstudio:8:202")
    assert t2.params["attachments"][1] == {
        "type": "image",
        "content": "https://example.org/photo.jpg",
    }
    # A rating has no TextCollection field: the task is created, the result reported.
    assert "result[1]: a 'rating' result has no TextCollection field; left out" in err
    assert TC_PARAMS  # the shared schema is unchanged by imports


def test_a_span_that_matches_no_reading_rejects_that_task_only(account, tmp_path):
    ner_project(account)
    tasks = json.loads((DATA / "labelstudio_ner.json").read_text(encoding="utf-8"))
    tasks[1]["annotations"][0]["result"][0]["value"]["start"] += 1
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(tasks), encoding="utf-8")
    _out, err, failure = run(path, "ner")
    assert "task #2 (Label Studio id 102): result[0].value: 'Alex Wang' is not at 3..11" in err
    assert failure and "1 tasks were not imported" in failure
    assert Task.objects.count() == 3


def test_labels_unknown_to_the_project_are_reported_by_the_task_type(account, tmp_path):
    ner_project(account)
    tasks = json.loads((DATA / "labelstudio_ner.json").read_text(encoding="utf-8"))[:1]
    tasks[0]["annotations"][0]["result"][0]["value"]["labels"] = ["PER"]
    path = tmp_path / "x.json"
    path.write_text(json.dumps(tasks), encoding="utf-8")
    _, err, failure = run(path, "ner")
    assert err.startswith("task #1 (Label Studio id 101): hypothesis.annotations[0].label")
    assert failure and not Task.objects.exists()


def test_utf16_conversion():
    text = "a😀b👩🏽‍💻c"
    assert utf16_to_codepoints(text, 0) == 0
    assert utf16_to_codepoints(text, 3) == 2  # after a, 😀 (2 units)
    assert utf16_to_codepoints(text, 2) is None  # inside the surrogate pair
    assert utf16_to_codepoints(text, len(text.encode("utf-16-le")) // 2) == len(text)
    value = {"start": 3, "end": 4, "text": "b"}
    assert span_offsets(text, value, "auto", "r") == (2, 3)
    assert span_offsets(text, value, "utf16", "r") == (2, 3)
    with pytest.raises(ConversionError):
        span_offsets(text, value, "codepoints", "r")
