"""NER params: the label tree, attributes and relationship definitions."""

from __future__ import annotations

import pytest

from labeling.errors import ValidationProblem
from ner.schema import Taxonomy, check_params


def problems(params) -> dict[str, str]:
    with pytest.raises(ValidationProblem) as info:
        check_params(params)
    return dict(info.value.problems)


def test_valid_params_are_returned_unchanged(params):
    assert check_params(params) == params


def test_text_and_labels_are_required():
    assert problems({}) == {"text": "is required", "labels": "is required"}
    found = problems({"text": "", "labels": []})
    assert found == {"text": "must not be empty", "labels": "must be a non-empty list of labels"}


def test_unknown_keys_are_named(params):
    params["colour"] = 1
    params["labels"][1]["children"][0]["colour"] = 1
    assert problems(params) == {
        "colour": "is not a known field",
        "labels[1].children[0].colour": "is not a known field",
    }


def test_label_names_are_unique_across_the_tree(params):
    params["labels"][1]["children"][1]["children"][1]["name"] = "person"
    found = problems(params)
    assert found == {
        "labels[1].children[1].children[1].name": "'person' is already used by labels[0].name"
    }


def test_nested_label_errors_name_their_path(params):
    params["labels"][1]["children"][0]["name"] = ""
    params["labels"][1]["children"][1]["children"] = []
    found = problems(params)
    assert found["labels[1].children[0].name"] == "must be a non-empty string"
    assert found["labels[1].children[1].children"].startswith("must be a non-empty list")


def test_attributes_must_be_selects_with_unique_options(params):
    params["labels"][0]["attributes"]["role"]["type"] = "text"
    params["labels"][0]["attributes"]["role"]["options"].append({"value": "guest"})
    params["labels"][0]["attributes"]["mood"] = {"options": []}
    found = problems(params)
    assert found == {
        "labels[0].attributes.role.type": "must be 'select' (the only attribute type)",
        "labels[0].attributes.role.options[2].value": "'guest' is already an option",
        "labels[0].attributes.mood.options": "must be a non-empty list of options",
    }


def test_a_group_cannot_have_attributes(params):
    params["labels"][1]["attributes"] = params["labels"][0]["attributes"]
    assert "labels[1].attributes" in problems(params)


def test_relationships_are_all_named_or_all_unnamed(params):
    params["relationships"].append({"source_label": "person"})
    found = problems(params)
    assert found["relationships"] == (
        "must be all named or all unnamed: relationships[2] has no name while relationships[0] has one"
    )


def test_named_relationship_needs_display_name_and_known_labels(params):
    params["relationships"][0] = {"name": "x", "is_directed": "yes", "source_label": "nobody"}
    params["relationships"][1]["name"] = "x"
    found = problems(params)
    assert found == {
        "relationships[0].display_name": "is required for a named relationship",
        "relationships[0].is_directed": "must be true or false",
        "relationships[0].source_label": "'nobody' is not a label name",
        "relationships[1].name": "'x' is already a relationship",
    }


def test_unnamed_relationships_may_not_have_display_name_or_direction(params):
    params["relationships"] = [
        {"source_label": "person", "display_name": "x", "is_directed": True},
        {},
    ]
    found = problems(params)
    assert found == {
        "relationships[0].display_name": "is not allowed on an unnamed relationship",
        "relationships[0].is_directed": "is not allowed on an unnamed relationship",
    }


def test_group_constraint_admits_descendants(params):
    tax = Taxonomy(check_params(params))
    assert tax.admits("thing", "city")
    assert tax.admits("place", "place")
    assert not tax.admits("place", "conference")
    assert not tax.admits("thing", "person")
    assert [r.name for r in tax.allowed("person", "conference")] == ["speaker_at"]
    assert tax.allowed("conference", "person") == []  # directed
    # "near" is undirected: thing -> place either way round.
    assert [r.name for r in tax.allowed("city", "conference")] == ["near"]
    assert [r.name for r in tax.allowed("conference", "country")] == ["near"]
    assert tax.allowed("person", "city") == []


def test_page_config_has_defaults(params):
    config = Taxonomy(params).page_config()
    country = config["labels"][1]["children"][1]["children"][1]
    assert country == {
        "name": "country",
        "display_name": "country",
        "description": "",
        "path": ["thing", "place", "country"],
    }
    role = config["labels"][0]["attributes"][0]
    assert role["options"][1] == {"value": "guest", "display_name": "guest"}


def test_text_must_be_valid_unicode(params):
    params["text"] = "bad \ud800 surrogate"
    assert problems(params) == {"text": "contains an unpaired surrogate (not valid Unicode)"}
