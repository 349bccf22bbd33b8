"""Shared NER params for the unit and browser tests."""

from __future__ import annotations

import copy

import pytest

PARAMS = {
    "text": "Alex Wang spoke at Transform in San Francisco.",
    "labels": [
        {
            "name": "person",
            "display_name": "Person",
            "attributes": {
                "role": {
                    "type": "select",
                    "options": [
                        {"value": "speaker", "display_name": "Speaker"},
                        {"value": "guest"},
                    ],
                }
            },
        },
        {
            "name": "thing",
            "display_name": "Thing",
            "children": [
                {"name": "conference", "display_name": "Conference"},
                {
                    "name": "place",
                    "display_name": "Place",
                    "children": [{"name": "city", "display_name": "City"}, {"name": "country"}],
                },
            ],
        },
    ],
    "relationships": [
        {
            "name": "speaker_at",
            "display_name": "speaks at",
            "is_directed": True,
            "source_label": "person",
            "target_label": "conference",
        },
        {
            "name": "near",
            "display_name": "is near",
            "source_label": "thing",
            "target_label": "place",
        },
    ],
}


@pytest.fixture
def params():
    return copy.deepcopy(PARAMS)
