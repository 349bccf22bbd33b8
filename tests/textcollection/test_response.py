"""Form data → the exact callback response, for every field type; errors; hypothesis."""

from __future__ import annotations

import pytest
from django.http import QueryDict

from labeling.errors import ValidationProblem
from tests.textcollection.kitchen import FORM_PARAMS, PARAMS
from textcollection.forms import TextCollectionForm
from textcollection.layout import apply_op, build_layout, initial_data
from textcollection.response import hypothesis_annotations, validate_response
from textcollection.schema import parse_spec

SPEC = parse_spec(PARAMS)

# Input names by position: tc-<field index>-<response>[-<child>-<response>][-part]
GOOD = {
    "tc-0-0": ["2"],
    "tc-1-0": ["shadow"],
    "tc-2-n": ["2"], "tc-2-0": ["Soup"], "tc-2-1": ["Tom yum\r\nhot"],
    "tc-3-0": ["true"],
    "tc-4-0": ["11.79"],
    "tc-5-0": ["7"],
    "tc-6-0-year": ["2021"], "tc-6-0-month": ["4"], "tc-6-0-day": ["13"],
    "tc-7-0": ["rap", "disco"],
    "tc-8-0": ["sad"],
    "tc-9-0": ["Soup"],
    "tc-10-n": ["2"], "tc-10-0-from": ["08:00"], "tc-10-0-to": ["20:00"],
    "tc-10-1-from": ["09:05"], "tc-10-1-to": ["12:00"],
    "tc-11-0": ["2", "0"],
    "tc-12-n": ["2"], "tc-12-0-0-0": ["Tom Yum Chicken Soup"], "tc-12-0-1-0": ["11.79"],
    "tc-12-1-0-0": ["Tom Yum Beef Soup"], "tc-12-1-1-0": ["11.79"],
    "tc-13-0-0-0": ["true"], "tc-13-0-1-n": ["2"], "tc-13-0-1-0": ["Free Range"], "tc-13-0-1-1": ["All Natural"],
}  # fmt: skip

EXPECTED = {
    "annotations": {
        "occlusion": ["2"],
        "detail": ["shadow"],
        "summary": ["Soup", "Tom yum\nhot"],
        "available": True,
        "price": "11.79",
        "rating": "7",
        "released": {"year": 2021, "month": 4, "day": 13},
        "genre": ["rap", "disco"],
        "mood": "sad",
        "best_summary": "Soup",
        "hours": [[28800, 72000], [32700, 43200]],
        "ranking": [2, 0],
        "category_items": [
            {"item_name": "Tom Yum Chicken Soup", "item_price": "11.79"},
            {"item_name": "Tom Yum Beef Soup", "item_price": "11.79"},
        ],
        "category_metadata": {"gluten_friendly": True, "labels": ["Free Range", "All Natural"]},
    }
}


def qd(values: dict[str, list[str]]) -> QueryDict:
    q = QueryDict(mutable=True)
    for k, v in values.items():
        q.setlist(k, v)
    return q


def submit(values, spec=SPEC, n=3):
    form = TextCollectionForm(spec, qd(values), n_attachments=n)
    return form.is_valid(), form


def test_every_field_type_builds_the_callback_format():
    ok, form = submit(GOOD)
    assert ok, form.errors
    assert form.response == EXPECTED
    # The built response passes the JSON validator unchanged (review fixes, imports).
    assert validate_response(SPEC, form.response) == EXPECTED


def test_hidden_field_is_not_required_not_validated_and_left_out():
    values = {**GOOD, "tc-0-0": ["0"], "tc-1-0": ["not-a-choice"]}
    ok, form = submit(values)
    assert ok, form.errors
    assert "detail" not in form.response["annotations"]
    values = {**GOOD, "tc-0-0": ["1"]}
    del values["tc-1-0"]
    ok, form = submit(values)
    assert not ok and form.errors["tc-1"] == ["This field is required."]


def test_unanswered_optional_fields_are_absent():
    minimal = {"tc-2-0": ["x"], "tc-11-0": ["0", "1"], "tc-12-0-0-0": ["a"]}
    ok, form = submit(minimal)
    assert ok, form.errors
    assert form.response == {
        "annotations": {"summary": ["x"], "ranking": [0, 1], "category_items": [{"item_name": "a"}]}
    }


@pytest.mark.parametrize(
    ("change", "key", "fragment"),
    [
        ({"tc-2-0": ["x" * 201]}, "tc-2-0", "at most 200 characters"),
        ({"tc-2-0": [""], "tc-2-1": ["  "]}, "tc-2", "required"),
        ({"tc-4-0": ["abc"]}, "tc-4-0", "must be a number"),
        ({"tc-4-0": ["101"]}, "tc-4-0", "at most 100"),
        ({"tc-4-0": ["1.234"]}, "tc-4-0", "multiple of 0.01"),
        ({"tc-5-0": ["-1"]}, "tc-5-0", "at least 0"),
        ({"tc-6-0-day": [""]}, "tc-6-0", "fill in the day"),
        ({"tc-6-0-month": ["2"], "tc-6-0-day": ["30"]}, "tc-6-0", "not a real date"),
        ({"tc-6-0-month": ["13"]}, "tc-6-0", "month must be between 1 and 12"),
        ({"tc-7-0": ["rap", "disco", "funk", "dirty-south"]}, "tc-7-0", "at most 3"),
        ({"tc-7-0": ["hip-hop-rap"]}, "tc-7-0", "not a selectable choice"),
        ({"tc-8-0": ["angry"]}, "tc-8-0", "not one of the options"),
        ({"tc-9-0": ["Not a summary"]}, "tc-9-0", "not one of the options"),
        ({"tc-10-0-from": ["08:01"]}, "tc-10-0", "steps of 5 minutes"),
        ({"tc-10-0-from": ["21:00"]}, "tc-10-0", "start must not be after the end"),
        ({"tc-10-0-to": [""]}, "tc-10-0", "both the start and the end"),
        ({"tc-11-0": ["1"]}, "tc-11-0", "rank 2 items"),
        ({"tc-11-0": []}, "tc-11", "Rank 2 items"),
        ({"tc-11-0": ["1", "1"]}, "tc-11-0", "twice"),
        ({"tc-12-1-0-0": [""]}, "tc-12-1-0", "required"),
        ({"tc-3-0": ["maybe"]}, "tc-3-0", "yes or no"),
    ],
)
def test_server_validation_mirrors_the_schema(change, key, fragment):
    ok, form = submit({**GOOD, **change})
    assert not ok
    assert any(fragment in m for m in form.errors.get(key, [])), form.errors


def test_min_responses_when_answered():
    spec = parse_spec(
        {
            "fields": [
                {
                    "type": "text",
                    "field_id": "t",
                    "title": "T",
                    "min_responses_required": 2,
                    "max_responses_required": 3,
                }
            ]
        }
    )
    ok, form = submit({"tc-0-n": ["2"], "tc-0-0": ["a"]}, spec)
    assert not ok and "at least 2" in form.errors["tc-0"][0]
    ok, form = submit({"tc-0-n": ["2"]}, spec)
    assert ok and form.response == {"annotations": {}}


def test_forms_answer_as_dicts():
    spec = parse_spec(FORM_PARAMS)
    ok, form = submit(
        {"tc-0-0-0-0": ["buy shoes"], "tc-1-0-0-0": ["false"], "tc-1-0-1-0-0-0": ["meh"]}, spec
    )
    assert ok, form.errors
    assert form.response == {
        "annotations": {
            "form_query": {"query_intention": "buy shoes"},
            "form_result": {"relevant": False, "notes": {"note": "meh"}},
        }
    }
    ok, form = submit({"tc-0-0-0-0": ["buy shoes"]}, spec)
    assert not ok and "tc-1-0-0" in form.errors


def test_ops_add_remove_and_rank():
    data = qd(
        {"tc-2-n": ["3"], "tc-2-0": ["a"], "tc-2-1": ["b"], "tc-2-2": ["c"], "tc-11-0": ["0"]}
    )
    layout = build_layout(SPEC, data)
    removed = apply_op(layout, data, "remove:tc-2-1")
    assert (removed["tc-2-n"], removed["tc-2-0"], removed["tc-2-1"]) == ("2", "a", "c")
    assert "tc-2-2" not in removed
    added = apply_op(build_layout(SPEC, removed), removed, "add:tc-2")
    assert added["tc-2-n"] == "3"
    full = apply_op(build_layout(SPEC, added), added, "add:tc-2")
    assert full["tc-2-n"] == "3"  # never beyond max_responses_required
    ranked = apply_op(layout, data, "rank:tc-11-0:add:2")
    assert ranked.getlist("tc-11-0") == ["0", "2"]
    ranked = apply_op(layout, ranked, "rank:tc-11-0:up:2")
    assert ranked.getlist("tc-11-0") == ["2", "0"]
    ranked = apply_op(layout, ranked, "rank:tc-11-0:remove:0")
    assert ranked.getlist("tc-11-0") == ["2"]


def test_validate_response_reports_paths():
    with pytest.raises(ValidationProblem) as exc:
        validate_response(
            SPEC,
            {
                "annotations": {
                    "summary": "not a list",
                    "occlusion": ["0"],
                    "detail": ["rain"],
                    "price": "x",
                    "nope": 1,
                    "category_items": [{"item_price": "1"}],
                }
            },
        )
    problems = dict(exc.value.problems)
    assert "must be a list" in problems["annotations.summary"]
    assert "hidden by its conditions" in problems["annotations.detail"]
    assert "must be a number" in problems["annotations.price"]
    assert "not a field_id" in problems["annotations.nope"]
    assert "is required" in problems["annotations.category_items[0].item_name"]
    assert "is required" in problems["annotations.ranking"]


# ---------------------------------------------------------------- hypothesis


def test_spec_hypothesis_examples():
    spec = parse_spec(
        {
            "fields": [
                {
                    "type": "category",
                    "field_id": "(EXAMPLE) Multiple Choice Question",
                    "title": "Which?",
                    "choices": [
                        {"label": "A", "value": "A"},
                        {"label": "B", "value": "B"},
                        {"label": "C", "value": "C"},
                    ],
                    "min_choices": 1,
                    "max_choices": 1,
                },
                {"type": "text", "field_id": "(EXAMPLE) Text Input Field", "title": "Text"},
            ]
        }
    )
    annotations = hypothesis_annotations(
        spec,
        {
            "annotations": {
                "(EXAMPLE) Multiple Choice Question": {
                    "type": "category",
                    "field_id": "(EXAMPLE) Multiple Choice Question",
                    "response": [["B"]],
                },
                # The spec's text example keys the entry by another name: field_id wins.
                "Product Description": {
                    "type": "text",
                    "field_id": "(EXAMPLE) Text Input Field",
                    "response": ["Dolore in dolor occaecat deserunt ex in qui non amet est."],
                },
            }
        },
    )
    assert annotations == {
        "(EXAMPLE) Multiple Choice Question": ["B"],
        "(EXAMPLE) Text Input Field": "Dolore in dolor occaecat deserunt ex in qui non amet est.",
    }
    data = initial_data(spec, annotations)
    assert data.getlist("tc-0-0") == ["B"]
    assert data["tc-1-0"].startswith("Dolore")


def test_hypothesis_prefills_every_type_and_round_trips():
    hypothesis = {"annotations": {}}
    for fid, value in EXPECTED["annotations"].items():
        f = SPEC.by_id[fid]
        responses = value if f.repeatable else [value]
        if fid == "available":
            responses = [[True]]  # the "array of arrays" reading is accepted too
        hypothesis["annotations"][fid] = {"type": f.type, "field_id": fid, "response": responses}
    annotations = hypothesis_annotations(SPEC, hypothesis)
    assert annotations == EXPECTED["annotations"]
    ok, form = submit(dict(initial_data(SPEC, annotations).lists()))
    assert ok, form.errors
    assert form.response == EXPECTED


@pytest.mark.parametrize(
    ("hypothesis", "path", "fragment"),
    [
        ({}, "annotations", "is required"),
        ({"annotations": {"x": {"type": "text", "field_id": "zz", "response": ["a"]}}},
         "annotations.x.field_id", "not a field_id"),
        ({"annotations": {"summary": {"type": "category", "field_id": "summary", "response": ["a"]}}},
         "annotations.summary.type", "is a text field"),
        ({"annotations": {"summary": {"type": "text", "field_id": "summary", "response": ["a" * 300]}}},
         "annotations.summary.response[0]", "at most 200"),
        ({"annotations": {"genre": {"type": "category", "field_id": "genre", "response": [["jazz"]]}}},
         "annotations.genre.response[0]", "not a selectable choice"),
        ({"annotations": {"price": {"type": "number", "field_id": "price", "response": ["1", "2"]}}},
         "annotations.price.response", "at most 1"),
    ],
)  # fmt: skip
def test_hypothesis_errors(hypothesis, path, fragment):
    with pytest.raises(ValidationProblem) as exc:
        hypothesis_annotations(SPEC, hypothesis)
    assert any(p == path and fragment in m for p, m in exc.value.problems), exc.value.problems


def test_defaults_prefill_when_nothing_else_does():
    data = initial_data(SPEC, {})
    assert (data["tc-6-0-year"], data["tc-6-0-month"], data["tc-6-0-day"]) == ("2021", "4", "13")
    assert (data["tc-10-0-from"], data["tc-10-0-to"]) == ("08:00", "20:00")
