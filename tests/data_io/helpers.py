"""Projects and completed tasks shared by the data-in-and-out tests."""

from __future__ import annotations

from typing import Any

from labeling import registry
from labeling.models import Task
from labeling.queue import submit_response
from tests.conftest import make_project

NER_PARAMS = {
    "labels": [
        {"name": "person", "display_name": "Person"},
        {"name": "event", "display_name": "Event"},
        {"name": "org", "display_name": "Organization"},
    ],
    "relationships": [
        {
            "name": "speaker_at",
            "display_name": "speaks at",
            "is_directed": True,
            "source_label": "person",
            "target_label": "event",
        }
    ],
}

TC_PARAMS = {
    "attachments": [{"type": "text", "content": "A review."}],
    "fields": [
        {
            "type": "category",
            "field_id": "sentiment",
            "title": "Sentiment",
            "choices": [
                {"label": "Positive", "value": "positive"},
                {"label": "Negative", "value": "negative"},
                {"label": "Neutral", "value": "neutral"},
            ],
        },
        {
            "type": "category",
            "field_id": "topics",
            "title": "Topics",
            "max_choices": 3,
            "choices": [
                {"label": "Food", "value": "food"},
                {"label": "Service | staff", "value": "service|staff"},
                {"label": "Price", "value": "price"},
            ],
        },
        {"type": "text", "field_id": "summary", "title": "Summary"},
        {
            "type": "text",
            "field_id": "quotes",
            "title": "Quotes",
            "min_responses_required": 0,
            "max_responses_required": 3,
        },
        {"type": "boolean", "field_id": "spicy", "title": "Spicy?"},
        {
            "type": "fieldset",
            "field_id": "dish",
            "title": "Dish",
            "fields": [
                {"type": "text", "field_id": "name", "title": "Name"},
                {"type": "number", "field_id": "price", "title": "Price"},
            ],
        },
    ],
}


def ner_project(account, name: str = "ner"):
    return make_project(account, name=name, type="namedentityrecognition", params=NER_PARAMS)


def tc_project(account, name: str = "tc"):
    return make_project(account, name=name, type="textcollection", params=TC_PARAMS)


def complete(task: Task, response: dict[str, Any], user=None) -> Task:
    """Complete a task with a response the task type has validated, as a
    review fix or an import would (the same check the labeling form's output meets)."""
    task_type = registry.get(task.type)
    checked = task_type.validate_response(task.params, response)
    return submit_response(task=task, response=checked, user=user)


def ner_response(text: str, spans: list[tuple[str, str]], relationships=()) -> dict[str, Any]:
    """spans: (substring, label), each the first occurrence after the previous."""
    annotations, pos = [], 0
    for i, (sub, label) in enumerate(spans):
        start = text.index(sub, pos if i and sub != spans[i - 1][0] else 0)
        annotations.append(
            {"id": f"e{i}", "start": start, "end": start + len(sub), "text": sub, "label": label}
        )
    rels = [
        {"id": f"r{i}", "source_ref": s, "target_ref": t, "name": name}
        for i, (s, t, name) in enumerate(relationships)
    ]
    return {"annotations": annotations, "relationships": rels}
