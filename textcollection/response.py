"""Responses and hypotheses in the spec's JSON formats (no request, no database).

Response (callback) format: {"annotations": {field_id: answer}} where an answer
is one value (values.py) or, when max_responses_required > 1, a list of them;
FieldSet and FormField answers are dicts of their children's answers (a list
of dicts for a repeatable FieldSet). Unanswered and hidden fields are absent.

Hypothesis format: {"annotations": {key: {"type", "field_id", "response": [...]}}}
where `response` lists the responses: category → [["B"]], text → ["a string"]
(the spec's "text exception"), and a group's responses are dicts of child
entries in the same format.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from labeling.errors import Problems, ValidationProblem
from textcollection import values
from textcollection.conditions import EMPTY, visibility
from textcollection.schema import Field, Spec, token

SCALAR_TYPES = ("boolean", "number", "select", "text")


def _selections(spec: Spec, annotations: Mapping[str, Any]) -> dict[str, frozenset[str]]:
    out: dict[str, frozenset[str]] = {}
    for fid in spec.dependencies:
        f = spec.by_id.get(fid)
        answer = answer_of(f, annotations) if f else None
        if answer is None:
            out[fid] = EMPTY
            continue
        items = answer if f.repeatable else [answer]
        picked: set[str] = set()
        for item in items:
            if f.type == "category" and isinstance(item, list):
                picked.update(token(v) for v in item if isinstance(v, (str, int, float, bool)))
            elif isinstance(item, (str, int, float, bool)):
                picked.add(token(item))
        out[fid] = frozenset(picked)
    return out


def answer_of(f: Field, annotations: Mapping[str, Any]) -> Any:
    """The answer of a single-scope field, found through its enclosing groups."""
    chain = []
    node: Field | None = f
    while node is not None:
        chain.append(node)
        node = node.parent
    current: Any = annotations
    for g in reversed(chain):
        if not isinstance(current, Mapping):
            return None
        current = current.get(g.field_id)
    return current


def _options(spec: Spec, f: Field, annotations: Mapping[str, Any]) -> Any:
    if f.type == "ranking_order":
        return len(spec.attachments)
    if not f.choices_from_field:
        return None
    source = spec.by_id[f.choices_from_field]
    answer = answer_of(source, annotations)
    items = (answer if source.repeatable else [answer]) if answer is not None else []
    opts: list[tuple[str, Any]] = []
    for item in items:
        if source.type == "text" and isinstance(item, str):
            opts.append((item.strip(), item.strip()))
        elif source.type == "category" and isinstance(item, list):
            opts.extend((str(v), v) for v in item)
    return opts


def validate_response(spec: Spec, response: Any) -> dict[str, Any]:
    """Check a complete response given as JSON; return it normalized."""
    if not isinstance(response, dict) or not isinstance(response.get("annotations"), dict):
        raise ValidationProblem("annotations", "is required and must be an object")
    extra = set(response) - {"annotations"}
    if extra:
        raise ValidationProblem(sorted(extra)[0], "is not part of a TextCollection response")
    annotations = response["annotations"]
    visible = visibility(spec.fields, _selections(spec, annotations))
    problems = Problems()
    out = _check_level(
        spec, spec.fields, annotations, "annotations", visible, annotations, problems
    )
    problems.raise_if_any()
    return {"annotations": out}


def _check_level(
    spec: Spec,
    fields: list[Field],
    given: Any,
    path: str,
    visible: dict[str, bool],
    root: Mapping[str, Any],
    problems: Problems,
) -> dict[str, Any]:
    if not isinstance(given, dict):
        problems.add(path, "must be an object keyed by field_id")
        return {}
    by_id = {f.field_id: f for f in fields}
    for key in given:
        if key not in by_id:
            problems.add(f"{path}.{key}", "is not a field_id here")
    out: dict[str, Any] = {}
    for f in fields:
        fpath = f"{path}.{f.field_id}"
        value = given.get(f.field_id)
        if value is None:
            if visible[f.field_id] and f.required and f.type != "form":
                problems.add(fpath, "is required")
            continue
        if not visible[f.field_id]:
            problems.add(fpath, "is hidden by its conditions, so it must be left out")
            continue
        if f.repeatable:
            if not isinstance(value, list) or not value:
                problems.add(fpath, f"must be a list of 1 to {f.max_responses} answers")
                continue
            if len(value) > f.max_responses:
                problems.add(
                    fpath, f"has {len(value)} answers; at most {f.max_responses} are allowed"
                )
                continue
            if len(value) < f.min_responses:
                problems.add(
                    fpath, f"has {len(value)} answers; at least {f.min_responses} are needed"
                )
            items = [(v, f"{fpath}[{i}]") for i, v in enumerate(value)]
        else:
            items = [(value, fpath)]
        checked = []
        for item, ipath in items:
            if f.is_group:
                checked.append(_check_level(spec, f.children, item, ipath, visible, root, problems))
                continue
            try:
                checked.append(values.check(f, item, _options(spec, f, root)))
            except values.Invalid as exc:
                problems.add(ipath, str(exc))
        out[f.field_id] = checked if f.repeatable else (checked[0] if checked else None)
    return out


# ---------------------------------------------------------------- hypothesis


def hypothesis_annotations(spec: Spec, hypothesis: Any) -> dict[str, Any]:
    """The hypothesis as response-format annotations (for pre-filling the form).

    Raises ValidationProblem with paths relative to the hypothesis."""
    if not isinstance(hypothesis, dict) or not isinstance(hypothesis.get("annotations"), dict):
        raise ValidationProblem("annotations", "is required and must be an object")
    problems = Problems()
    out = _entries(spec, spec.fields, hypothesis["annotations"], "annotations", problems)
    problems.raise_if_any()
    return out


def _entries(
    spec: Spec, fields: list[Field], given: Any, path: str, problems: Problems
) -> dict[str, Any]:
    if not isinstance(given, dict):
        problems.add(path, "must be an object of field entries")
        return {}
    by_id = {f.field_id: f for f in fields}
    out: dict[str, Any] = {}
    for key, entry in given.items():
        epath = f"{path}.{key}"
        if isinstance(entry, dict) and "response" in entry:
            # The entry's own field_id names the field (the spec's text example
            # keys the entry by something else); the key is used when it has none.
            fid = entry.get("field_id", key)
            f = by_id.get(fid) if isinstance(fid, str) else None
            if f is None:
                problems.add(f"{epath}.field_id", f"{fid!r} is not a field_id here")
                continue
            kind = entry.get("type", f.type)
            if kind != f.type:
                problems.add(f"{epath}.type", f"field {fid!r} is a {f.type} field, not {kind!r}")
                continue
            responses = entry["response"]
            rpath = f"{epath}.response"
            if not isinstance(responses, list) or not responses:
                problems.add(rpath, "must be a non-empty list of responses")
                continue
        else:
            # A plain answer in the response format is accepted too.
            f = by_id.get(key)
            if f is None:
                problems.add(epath, f"{key!r} is not a field_id here")
                continue
            responses = entry if (f.repeatable and isinstance(entry, list)) else [entry]
            rpath = epath
        if len(responses) > f.max_responses:
            problems.add(
                rpath, f"has {len(responses)} responses; at most {f.max_responses} are allowed"
            )
            continue
        items = []
        for i, item in enumerate(responses):
            ipath = f"{rpath}[{i}]" if rpath.endswith(".response") or f.repeatable else rpath
            if f.is_group:
                items.append(_entries(spec, f.children, item, ipath, problems))
                continue
            if f.type in SCALAR_TYPES and isinstance(item, list) and len(item) == 1:
                item = item[0]  # [[value]]: the "array of arrays" reading of the spec
            if f.choices_from_field:
                ok = isinstance(item, (str, int, float, bool))
                if not ok:
                    problems.add(ipath, "must be a string, number or boolean")
                items.append(item)
                continue
            try:
                options = len(spec.attachments) if f.type == "ranking_order" else None
                items.append(values.check(f, item, options))
            except values.Invalid as exc:
                problems.add(ipath, str(exc))
        out[f.field_id] = items if f.repeatable else (items[0] if items else None)
    return out
