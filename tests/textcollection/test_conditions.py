"""The condition grammar: every example of the spec against every possible selection."""

from __future__ import annotations

from itertools import chain, combinations

import pytest

from labeling.errors import Problems, ValidationProblem
from textcollection.conditions import parse_conditions, visibility
from textcollection.schema import parse_spec

VALUES = ("0", "1", "2")
ALL_SELECTIONS = [
    frozenset(c) for c in chain.from_iterable(combinations(VALUES, n) for n in range(4))
]
SINGLE_SELECTIONS = [s for s in ALL_SELECTIONS if len(s) <= 1]


def holds(expr, selection) -> bool:
    problems = Problems()
    conds = parse_conditions([{"occlusion": expr}], "c", problems)
    assert not problems, problems.items
    return conds.holds({"occlusion": selection})


def one_or_two(s):
    return bool(s & {"1", "2"})


# The spec's four "equivalent" ways to say "occlusion is 1 or 2".
FORM_1 = ["1", "2"]
FORM_2 = {"not": [[], ["0"]]}
FORM_3 = [{"not": []}, {"not": ["0"]}]
FORM_4 = [["1"], ["2"]]


@pytest.mark.parametrize("selection", ALL_SELECTIONS, ids=lambda s: "{" + ",".join(sorted(s)) + "}")
def test_form_1_and_4_mean_one_or_two_for_every_selection(selection):
    assert holds(FORM_1, selection) is one_or_two(selection)
    assert holds(FORM_4, selection) is one_or_two(selection)


@pytest.mark.parametrize("selection", ALL_SELECTIONS, ids=lambda s: "{" + ",".join(sorted(s)) + "}")
def test_form_2_is_answered_and_not_zero(selection):
    # [] is "nothing selected", so {not: [[], ['0']]} = answered and 0 not chosen.
    assert holds(FORM_2, selection) is (bool(selection) and "0" not in selection)


@pytest.mark.parametrize(
    "selection", SINGLE_SELECTIONS, ids=lambda s: "{" + ",".join(sorted(s)) + "}"
)
def test_forms_1_2_4_agree_on_single_choice_fields(selection):
    expected = one_or_two(selection)
    assert holds(FORM_1, selection) is expected
    assert holds(FORM_2, selection) is expected
    assert holds(FORM_4, selection) is expected


def test_forms_differ_on_multi_choice_selections():
    both = frozenset({"0", "1"})
    assert holds(FORM_1, both) is True
    assert holds(FORM_2, both) is False  # documented: 0 is among the choices


@pytest.mark.parametrize("selection", ALL_SELECTIONS, ids=lambda s: "{" + ",".join(sorted(s)) + "}")
def test_form_3_contradicts_the_or_rule_and_always_holds(selection):
    # [ ] is OR, so [{not: []}, {not: ['0']}] = "answered OR not 0": a tautology.
    # We follow the operator rules (docs/textcollection.md) rather than the comment.
    assert holds(FORM_3, selection) is True
    # What the author meant, written by the rules: both NOTs inside one AND.
    assert holds({"not": [[], ["0"]]}, selection) is (bool(selection) and "0" not in selection)


@pytest.mark.parametrize("selection", ALL_SELECTIONS, ids=lambda s: "{" + ",".join(sorted(s)) + "}")
def test_operators(selection):
    assert holds([], selection) is (not selection)
    assert holds({}, selection) is True
    assert holds({"not": {}}, selection) is False
    assert holds({"not": "0"}, selection) is ("0" not in selection)
    assert holds("1", selection) is ("1" in selection)


SPEC_FIELDS = [
    {"type": "category", "field_id": "occlusion", "title": "Is there occlusion in the image?",
     "choices": [{"label": "None", "value": "0"}, {"label": "A little", "value": "1"},
                 {"label": "A lot", "value": "2"}], "conditions": [{}]},
    {"type": "category", "field_id": "occlusion_detail", "title": "What is the cause of the occlusion?",
     "choices": [{"label": "Rain", "value": "rain"}, {"label": "Shadow", "value": "shadow"}],
     "conditions": [{"occlusion": ["1", "2"]}]},
    {"type": "text", "field_id": "a_lot_of_shadow", "title": "Please describe why there is so much shadow.",
     "conditions": [{"occlusion": ["2"], "occlusion_detail": ["shadow"]}]},
]  # fmt: skip


@pytest.mark.parametrize("occ", [None, "0", "1", "2"])
@pytest.mark.parametrize("detail", [None, "rain", "shadow"])
def test_spec_example_fields_exhaustively(occ, detail):
    spec = parse_spec({"fields": SPEC_FIELDS})
    sel = {
        "occlusion": frozenset([occ] if occ else []),
        "occlusion_detail": frozenset([detail] if detail else []),
    }
    shown = visibility(spec.fields, sel)
    assert shown["occlusion"] is True
    assert shown["occlusion_detail"] is (occ in ("1", "2"))
    # A hidden field counts as unanswered: detail=shadow with occlusion 0 hides both.
    assert shown["a_lot_of_shadow"] is (occ == "2" and detail == "shadow")


def test_any_set_may_hold():
    problems = Problems()
    conds = parse_conditions([{"a": "x"}, {"b": True}], "c", problems)
    assert conds.holds({"a": frozenset({"x"})})
    assert conds.holds({"b": frozenset({"true"})})
    assert not conds.holds({"a": frozenset({"y"}), "b": frozenset({"false"})})


@pytest.mark.parametrize(
    ("conditions", "path", "message"),
    [
        ([], "fields[1].conditions", "non-empty list"),
        ([["a"]], "fields[1].conditions[0]", "must be an object"),
        ([{"a": {"and": []}}], "fields[1].conditions[0].a.and", 'only "not"'),
        ([{"a": [None]}], "fields[1].conditions[0].a[0]", "must be a choice value"),
        ([{"zzz": "x"}], "fields[1].conditions[0].zzz", "not a field_id"),
        ([{"a": ["x", "nope"]}], "fields[1].conditions[0].a[1]", "not a selectable value"),
        ([{"t": "x"}], "fields[1].conditions[0].t", "is a text field"),
    ],
)
def test_condition_errors_name_their_path(conditions, path, message):
    params = {
        "fields": [
            {"type": "category", "field_id": "a", "title": "A",
             "choices": [{"label": "X", "value": "x"}, {"label": "Y", "value": "y"}]},
            {"type": "text", "field_id": "b", "title": "B", "conditions": conditions},
            {"type": "text", "field_id": "t", "title": "T"},
        ]
    }  # fmt: skip
    with pytest.raises(ValidationProblem) as exc:
        parse_spec(params)
    assert any(p == path and message in m for p, m in exc.value.problems), exc.value.problems


def test_boolean_and_select_dependencies():
    spec = parse_spec(
        {
            "fields": [
                {"type": "boolean", "field_id": "ok", "title": "OK"},
                {"type": "select", "field_id": "s", "title": "S", "choices": ["a", "b"]},
                {"type": "text", "field_id": "why", "title": "Why", "conditions": [{"ok": False}]},
                {
                    "type": "text",
                    "field_id": "more",
                    "title": "More",
                    "conditions": [{"s": "b", "ok": True}],
                },
            ]
        }
    )
    shown = visibility(spec.fields, {"ok": frozenset({"false"}), "s": frozenset({"b"})})
    assert shown["why"] and not shown["more"]
    shown = visibility(spec.fields, {"ok": frozenset({"true"}), "s": frozenset({"b"})})
    assert not shown["why"] and shown["more"]


def test_cycles_are_rejected():
    choices = [{"label": "X", "value": "x"}]
    with pytest.raises(ValidationProblem) as exc:
        parse_spec(
            {
                "fields": [
                    {
                        "type": "category",
                        "field_id": "a",
                        "title": "A",
                        "choices": choices,
                        "conditions": [{"b": "x"}],
                    },
                    {
                        "type": "category",
                        "field_id": "b",
                        "title": "B",
                        "choices": choices,
                        "conditions": [{"a": "x"}],
                    },
                ]
            }
        )
    assert "cycle" in str(exc.value)
    assert "a → b → a" in str(exc.value) or "b → a → b" in str(exc.value)
