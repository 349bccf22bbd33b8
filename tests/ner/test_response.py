"""Validating and building the spec's NamedEntityRecognitionResponse."""

from __future__ import annotations

import uuid

import pytest

from labeling.errors import ValidationProblem
from ner.response import check_response
from ner.schema import Taxonomy

TEXT = "Alex Wang spoke at Transform in San Francisco."


def ann(id_, start, end, label, **extra):
    return {"id": id_, "start": start, "end": end, "text": TEXT[start:end], "label": label, **extra}


@pytest.fixture
def tax(params):
    return Taxonomy(params)


def problems(tax, response, **kw) -> dict[str, str]:
    with pytest.raises(ValidationProblem) as info:
        check_response(tax, response, **kw)
    return dict(info.value.problems)


def test_valid_response_is_built_exactly(tax):
    response = {
        "annotations": [
            ann("a", 0, 9, "person", attributes={"role": "speaker"}),
            ann("b", 19, 28, "conference"),
            ann("c", 32, 45, "city"),
        ],
        "relationships": [
            {"id": "r1", "source_ref": "a", "target_ref": "b", "name": "speaker_at"},
            # "near" is undirected: a place may be the source.
            {"id": "r2", "source_ref": "c", "target_ref": "b", "name": "near"},
        ],
    }
    out = check_response(tax, response)
    assert out == response
    assert out["annotations"][0]["text"] == "Alex Wang"
    assert list(out["annotations"][0]) == ["id", "start", "end", "text", "label", "attributes"]


def test_relationships_default_to_empty(tax):
    assert check_response(tax, {"annotations": []}) == {"annotations": [], "relationships": []}


def test_offsets_and_text_are_checked(tax):
    found = problems(
        tax,
        {
            "annotations": [
                {**ann("a", 0, 9, "person"), "text": "Alex Wan"},
                ann("b", 5, 5, "person"),
                {"id": "c", "start": 40, "end": 99, "text": "x", "label": "city"},
                {"id": "d", "start": True, "end": 2.0, "text": "x", "label": "city"},
            ]
        },
    )
    assert found == {
        "annotations[0].text": "is 'Alex Wan' but text[0:9] is 'Alex Wang'",
        "annotations[1].end": "must be greater than start (5); got 5",
        "annotations[2].end": f"99 is outside the text (0..{len(TEXT)} code points)",
        "annotations[3].start": "must be an integer (a code point offset)",
        "annotations[3].end": "must be an integer (a code point offset)",
    }


def test_label_must_be_a_known_leaf(tax):
    found = problems(tax, {"annotations": [ann("a", 0, 9, "nobody"), ann("b", 32, 45, "place")]})
    assert found == {
        "annotations[0].label": "'nobody' is not a label of this task",
        "annotations[1].label": "'place' is a group, not a label; choose one of 'city', 'country'",
    }


def test_attributes_must_be_known_options(tax):
    found = problems(
        tax,
        {
            "annotations": [
                ann("a", 0, 9, "person", attributes={"role": "host", "mood": "x"}),
                ann("b", 19, 28, "conference", attributes={"role": "guest"}),
            ]
        },
    )
    assert found == {
        "annotations[0].attributes.role": "'host' is not an option; choose one of 'speaker', 'guest'",
        "annotations[0].attributes.mood": "is not an attribute of label 'person' (its attributes: 'role')",
        "annotations[1].attributes.role": "is not an attribute of label 'conference' (its attributes: none)",
    }


def test_duplicate_ids_and_spans(tax):
    found = problems(
        tax,
        {
            "annotations": [
                ann("a", 0, 9, "person"),
                ann("a", 19, 28, "conference"),
                ann("c", 0, 9, "person"),
            ],
        },
    )
    assert found == {
        "annotations[1].id": "'a' is already the id of annotations[0]",
        "annotations[2]": "is the same span and label as annotations[0]",
    }


def test_relationship_rules(tax):
    anns = [ann("a", 0, 9, "person"), ann("b", 19, 28, "conference"), ann("c", 32, 45, "city")]
    found = problems(
        tax,
        {
            "annotations": anns,
            "relationships": [
                {"id": "r1", "source_ref": "b", "target_ref": "a", "name": "speaker_at"},
                {"id": "r2", "source_ref": "a", "target_ref": "zz", "name": "speaker_at"},
                {"id": "r3", "source_ref": "a", "target_ref": "b"},
                {"id": "r4", "source_ref": "a", "target_ref": "b", "name": "likes"},
                {"id": "r5", "source_ref": "b", "target_ref": "c", "name": "near"},
                {"id": "r6", "source_ref": "c", "target_ref": "b", "name": "near"},
                {"id": "r5", "source_ref": "a", "target_ref": "a", "name": "near"},
            ],
        },
    )
    assert found == {
        "relationships[0]": "relationship 'speaker_at' may not link a 'conference' span to a 'person' span",
        "relationships[1].target_ref": "'zz' is not the id of an annotation",
        "relationships[2].name": "is required: choose one of 'speaker_at', 'near'",
        "relationships[3].name": "'likes' is not a relationship of this task; choose one of 'speaker_at', 'near'",
        "relationships[5]": "links the same spans as relationships[4]",
        "relationships[6].id": "'r5' is already the id of relationships[4]",
        "relationships[6].target_ref": "must differ from source_ref (a span cannot relate to itself)",
    }


def test_unnamed_relationships_have_blank_names(params):
    params["relationships"] = [{"source_label": "person", "target_label": "thing"}]
    tax = Taxonomy(params)
    anns = [ann("a", 0, 9, "person"), ann("b", 19, 28, "conference")]
    out = check_response(
        tax,
        {"annotations": anns, "relationships": [{"id": "r", "source_ref": "b", "target_ref": "a"}]},
    )
    # Unnamed relationships are undirected: order is not significant.
    assert out["relationships"] == [{"id": "r", "source_ref": "b", "target_ref": "a", "name": ""}]
    found = problems(
        tax,
        {
            "annotations": anns,
            "relationships": [{"id": "r", "source_ref": "a", "target_ref": "b", "name": "x"}],
        },
    )
    assert found == {
        "relationships[0].name": "must be blank: this task's relationships are unnamed"
    }


def test_no_relationship_definitions_means_no_relationships(params):
    del params["relationships"]
    tax = Taxonomy(params)
    found = problems(
        tax,
        {
            "annotations": [ann("a", 0, 9, "person"), ann("b", 19, 28, "conference")],
            "relationships": [{"id": "r", "source_ref": "a", "target_ref": "b"}],
        },
    )
    assert found == {"relationships": "this task defines no relationships; leave the list empty"}


def test_hypothesis_gets_ids_and_text(tax):
    out = check_response(
        tax,
        {
            "annotations": [
                {"start": 0, "end": 9, "label": "person"},
                {"id": "b", "start": 19, "end": 28, "label": "conference"},
            ],
        },
        fill_ids=True,
    )
    first = out["annotations"][0]
    assert uuid.UUID(first["id"]).version == 4
    assert first["text"] == "Alex Wang"
    # A worker's response must carry ids and text.
    found = problems(tax, {"annotations": [{"start": 0, "end": 9, "label": "person"}]})
    assert found == {"annotations[0].id": "is required", "annotations[0].text": "is required"}


def test_code_point_offsets_with_astral_text(params):
    params["text"] = "😀 Zoë\r\n👨\u200d👩\u200d👧 in 東京"
    tax = Taxonomy(params)
    text = params["text"]
    start = text.index("東京")
    out = check_response(
        tax,
        {
            "annotations": [
                {"id": "x", "start": start, "end": start + 2, "text": "東京", "label": "city"}
            ]
        },
    )
    # 😀 is one code point (two UTF-16 units), \r\n two, the ZWJ family five.
    assert out["annotations"][0]["start"] == 16


def test_not_an_object(tax):
    assert problems(tax, []) == {"": "must be an object with annotations and relationships"}
    assert problems(tax, {"annotations": {}, "extra": 1}) == {
        "extra": "is not a known field",
        "annotations": "must be a list",
    }


def test_nul_in_an_id_is_refused_with_its_place():
    from labeling.errors import ValidationProblem
    from ner.task_type import NerType

    ner = NerType()
    params = ner.validate_params({"text": "Ada Lovelace", "labels": [{"name": "p"}]})
    bad = {"annotations": [{"id": "a\x00", "start": 0, "end": 3, "text": "Ada", "label": "p"}]}
    with pytest.raises(ValidationProblem, match=r"annotations\[0\]\.id: must not contain the NUL"):
        ner.validate_response(params, {**bad, "relationships": []})
