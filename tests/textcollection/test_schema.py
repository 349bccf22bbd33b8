"""Params validation: every error names its path; good params come back normalized."""

from __future__ import annotations

import pytest

from labeling.errors import ValidationProblem
from textcollection.schema import parse_spec
from textcollection.task_type import TextCollectionType


def problems_of(params) -> list[tuple[str, str]]:
    with pytest.raises(ValidationProblem) as exc:
        parse_spec(params)
    return exc.value.problems


def has(problems, path, fragment):
    return any(p == path and fragment in m for p, m in problems)


CAT = {"type": "category", "field_id": "c", "title": "C", "choices": [{"label": "A", "value": "a"}]}


@pytest.mark.parametrize(
    ("params", "path", "fragment"),
    [
        ({}, "fields", "non-empty list"),
        ({"fields": [{"type": "nope", "field_id": "x", "title": "X"}]}, "fields[0].type", "must be one of"),
        ({"fields": [{"type": "text", "field_id": "x", "title": ""}]}, "fields[0].title", "non-empty"),
        ({"fields": [{"type": "text", "title": "X"}]}, "fields[0].field_id", "is required"),
        ({"fields": [{"type": "text", "field_id": "x", "title": "X", "colour": 1}]}, "fields[0].colour", "not a parameter"),
        ({"fields": [{"type": "text", "field_id": "x", "title": "X", "max_responses_required": 101}]},
         "fields[0].max_responses_required", "between 1 and 100"),
        ({"fields": [{"type": "text", "field_id": "x", "title": "X", "min_responses_required": 3, "max_responses_required": 2}]},
         "fields[0].max_responses_required", "at least min_responses_required"),
        ({"fields": [{**CAT, "choices": [{"label": "A", "value": "a"}, {"label": "B", "value": None}]}]},
         "fields[0].choices[1].value", "must be a string, number or boolean"),
        ({"fields": [{**CAT, "choices": [{"label": "A", "value": "a"}, {"label": "B", "value": "a"}]}]},
         "fields[0].choices[1].value", "repeats the value of fields[0].choices[0]"),
        ({"fields": [{**CAT, "choices": [{"label": "A", "value": "p", "subchoices": [{"label": "B", "value": "p"}]}]}]},
         "fields[0].choices[0].subchoices[0].value", "repeats"),
        ({"fields": [{**CAT, "min_choices": 2, "max_choices": 3}]}, "fields[0].min_choices", "more than the 1 selectable"),
        ({"fields": [CAT, {**CAT, "title": "Again"}]}, "fields[1].field_id", "already used by fields[0]"),
        ({"fields": [{"type": "fieldset", "field_id": "fs", "title": "FS", "fields": [CAT]}, CAT]},
         "fields[1].field_id", "already used by fields[0].fields[0]"),
        ({"fields": [{"type": "number", "field_id": "n", "title": "N", "min": 5, "max": 1}]}, "fields[0].max", "at least min"),
        ({"fields": [{"type": "number", "field_id": "n", "title": "N", "use_slider": True}]}, "fields[0].use_slider", "needs both min and max"),
        ({"fields": [{"type": "number", "field_id": "n", "title": "N", "step": 0}]}, "fields[0].step", "greater than 0"),
        ({"fields": [{"type": "datetime", "field_id": "d", "title": "D", "include": []}]}, "fields[0].include", "non-empty list"),
        ({"fields": [{"type": "datetime", "field_id": "d", "title": "D", "include": ["year"], "defaults": {"month": 2}}]},
         "fields[0].defaults.month", "not one of the included"),
        ({"fields": [{"type": "time_range", "field_id": "t", "title": "T", "default_seconds": [0, 90000]}]},
         "fields[0].default_seconds", "[0, 86400]"),
        ({"fields": [{"type": "time_range", "field_id": "t", "title": "T", "increment_seconds": 0}]},
         "fields[0].increment_seconds", "between 1 and 3600"),
        ({"fields": [{"type": "time_range", "field_id": "t", "title": "T", "default_from_field": "zz"}]},
         "fields[0].default_from_field", "not a field_id"),
        ({"fields": [{"type": "select", "field_id": "s", "title": "S"}]}, "fields[0].choices", "is required"),
        ({"fields": [{"type": "select", "field_id": "s", "title": "S", "choices_from_field": "b"},
                     {"type": "boolean", "field_id": "b", "title": "B"}]},
         "fields[0].choices_from_field", "must be a text or category field"),
        ({"fields": [{"type": "ranking_order", "field_id": "r", "title": "R"}]}, "fields[0]", "at least one attachment"),
        ({"attachments": [{"type": "text", "content": "a"}],
          "fields": [{"type": "ranking_order", "field_id": "r", "title": "R", "num_items_to_rank": 2}]},
         "fields[0].num_items_to_rank", "between 1 and 1"),
        ({"fields": [{"type": "form", "field_id": "f", "title": "F", "fields": [CAT]}, {**CAT, "field_id": "z"}]},
         "fields[1].type", "all top-level fields must be forms"),
        ({"fields": [{"type": "fieldset", "field_id": "fs", "title": "FS",
                      "fields": [{"type": "form", "field_id": "f", "title": "F", "fields": [CAT]}]}]},
         "fields[0].fields[0].type", "only appear at the top level"),
        ({"attachments": [{"type": "text", "content": "x", "forms": ["nope"]}], "fields": [CAT]},
         "attachments[0].forms[0]", "not the field_id of a top-level form"),
        ({"attachments": [{"type": "website", "content": "javascript:alert(1)"}], "fields": [CAT]},
         "attachments[0].content", "https://"),
        ({"attachments": [{"type": "movie", "content": "https://x"}], "fields": [CAT]}, "attachments[0].type", "must be one of"),
        ({"fields": [{"type": "fieldset", "field_id": "fs", "title": "FS", "max_responses_required": 2, "fields": [CAT]},
                     {"type": "text", "field_id": "t", "title": "T", "conditions": [{"c": "a"}]}]},
         "fields[1].conditions[0].c", "inside a repeatable fieldset"),
    ],
)  # fmt: skip
def test_errors_name_their_path(params, path, fragment):
    problems = problems_of(params)
    assert has(problems, path, fragment), problems


def test_all_problems_are_reported_at_once():
    problems = problems_of(
        {"fields": [{"type": "text", "field_id": "", "title": ""}, {"type": "boolean"}]}
    )
    paths = {p for p, _ in problems}
    assert {
        "fields[0].field_id",
        "fields[0].title",
        "fields[1].field_id",
        "fields[1].title",
    } <= paths


def test_min_responses_zero_is_accepted_like_the_spec_example():
    spec = parse_spec(
        {
            "fields": [
                {
                    "type": "time_range",
                    "field_id": "hours",
                    "title": "Store Hours",
                    "defaults_seconds": [28800, 72000],
                    "increment_seconds": 300,
                    "max_responses_required": 2,
                    "min_responses_required": 0,
                }
            ]
        }
    )
    f = spec.by_id["hours"]
    assert (f.min_responses, f.max_responses, f.default_seconds) == (0, 2, (28800, 72000))


def test_validate_params_renames_the_spec_alias_and_keeps_the_rest():
    params = {
        "fields": [
            {"type": "time_range", "field_id": "h", "title": "H", "defaults_seconds": [0, 60]}
        ]
    }
    out = TextCollectionType().validate_params(params)
    assert out["fields"][0]["default_seconds"] == [0, 60]
    assert "defaults_seconds" not in out["fields"][0]
    assert "defaults_seconds" in params["fields"][0]  # the caller's dict is untouched


def test_spec_examples_are_valid():
    parse_spec(
        {
            "attachments": [
                {"type": "text", "content": "a"},
                {"type": "image", "content": "https://e/x.png"},
                {"type": "text", "content": "c"},
            ],
            "fields": [
                {
                    "type": "text",
                    "field_id": "summary",
                    "title": "Summary",
                    "min_responses_required": 1,
                    "max_responses_required": 3,
                    "max_characters": 500,
                    "required": True,
                },
                {
                    "type": "boolean",
                    "field_id": "availability",
                    "title": "Item Availability",
                    "description": "Choose true if available.",
                },
                {
                    "type": "number",
                    "field_id": "item_price",
                    "title": "Item Price",
                    "required": False,
                    "use_slider": True,
                    "min": 0,
                    "max": 100,
                },
                {
                    "type": "datetime",
                    "field_id": "release_date",
                    "title": "Date of Product Release",
                    "include": ["year", "month", "day"],
                    "defaults": {"year": 2021, "month": 4, "day": 13},
                },
                {
                    "type": "category",
                    "field_id": "genre",
                    "title": "Select all genres that apply.",
                    "choices": [
                        {
                            "label": "Hip-Hop/Rap",
                            "value": "hip-hop-rap",
                            "hint": "It consists of...",
                            "subchoices": [
                                {"label": "Dirty South", "value": "dirty-south"},
                                {"label": "Rap", "value": "rap"},
                            ],
                        },
                        {
                            "label": "R&B/Soul",
                            "value": "rb-soul",
                            "subchoices": [{"label": "Disco", "value": "disco"}],
                        },
                    ],
                    "min_choices": 1,
                    "max_choices": 5,
                },
                {
                    "type": "text",
                    "field_id": "Options",
                    "title": "Options",
                    "max_responses_required": 5,
                },
                {
                    "type": "select",
                    "field_id": "sentiment",
                    "title": "Sentiment",
                    "required": True,
                    "choices_from_field": "Options",
                },
                {
                    "type": "ranking_order",
                    "field_id": "relevance_ranking",
                    "title": "Rank titles",
                    "hint": "From the most relevant to the least one",
                    "first_label": "Best",
                    "last_label": "Worst",
                    "num_items_to_rank": 3,
                },
            ],
        }
    )


def test_framed_attachments_follow_the_iframe_host_allow_list(settings):
    from labeling.errors import ValidationProblem
    from textcollection.task_type import TextCollectionType

    fields = [{"type": "text", "field_id": "a", "title": "A"}]
    tc = TextCollectionType()
    settings.IFRAME_ALLOWED_HOSTS = [".example.org"]
    ok = {"type": "pdf", "content": "https://docs.example.org/paper.pdf"}
    tc.validate_params({"attachments": [ok], "fields": fields})
    bad = {"type": "website", "content": "https://evil.test/page"}
    with pytest.raises(ValidationProblem, match=r"attachments\[1\]\.content: a website attachment"):
        tc.validate_params({"attachments": [ok, bad], "fields": fields})
    tricky = {"type": "pdf", "content": "https://user:pw@docs.example.org/x.pdf"}
    with pytest.raises(ValidationProblem, match=r"attachments\[0\]\.content"):
        tc.validate_params({"attachments": [tricky], "fields": fields})
