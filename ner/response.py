"""Validate a NER response (a worker's submission, a hypothesis, a review fix)
and build exactly the spec's NamedEntityRecognitionResponse:

    {"annotations": [{id, start, end, text, label, attributes?}],
     "relationships": [{id, source_ref, target_ref, name}]}

Offsets are code points, `end` exclusive, and `text == task_text[start:end]`.
Every problem names its path (`annotations[3].label`). No request, no database."""

from __future__ import annotations

import uuid
from typing import Any

from labeling.errors import Key, Problems, join_path
from labeling.schemas import check_storable
from ner.schema import Label, Taxonomy

RESPONSE_KEYS = {"annotations", "relationships"}
ANNOTATION_KEYS = {"id", "start", "end", "text", "label", "attributes"}
RELATIONSHIP_KEYS = {"id", "source_ref", "target_ref", "name"}
MAX_ID_LENGTH = 200


def _short(text: str, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "…")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_id(problems: Problems, path: str, obj: dict[str, Any], fill_ids: bool) -> str | None:
    if "id" not in obj:
        if fill_ids:
            return str(uuid.uuid4())
        problems.add(f"{path}.id", "is required")
        return None
    value = obj["id"]
    if not isinstance(value, str) or not value.strip():
        problems.add(f"{path}.id", "must be a non-empty string")
        return None
    if len(value) > MAX_ID_LENGTH:
        problems.add(f"{path}.id", f"must be at most {MAX_ID_LENGTH} characters")
        return None
    return value


def _check_item(
    problems: Problems,
    here: str,
    obj: dict[str, Any],
    known: Any,
    first_path: dict[str, str],
    fill_ids: bool,
) -> str | None:
    """What annotations and relationships share: no unknown keys, and an id
    that is valid and not already used by an earlier item (first_path)."""
    for key in obj:
        if key not in known:
            problems.add(join_path(here, Key(key)), "is not a known field")
    item_id = _check_id(problems, here, obj, fill_ids)
    if item_id is not None:
        if item_id in first_path:
            problems.add(f"{here}.id", f"{item_id!r} is already the id of {first_path[item_id]}")
        else:
            first_path[item_id] = here
    return item_id


def check_response(taxonomy: Taxonomy, response: Any, *, fill_ids: bool = False) -> dict[str, Any]:
    """Return the normalized response or raise ValidationProblem.

    `fill_ids` (hypotheses) gives a fresh UUID to an annotation or relationship
    without an id, and fills a missing annotation `text` from the offsets."""
    problems = Problems()
    if not isinstance(response, dict):
        problems.add("", "must be an object with annotations and relationships")
        problems.raise_if_any()
    # Ids and names are free strings: refuse what no database can store (U+0000).
    check_storable(response)
    for key in response:
        if key not in RESPONSE_KEYS:
            problems.add(join_path(Key(key)), "is not a known field")
    raw_annotations = response.get("annotations")
    if "annotations" not in response:
        problems.add("annotations", "is required")
        raw_annotations = []
    elif not isinstance(raw_annotations, list):
        problems.add("annotations", "must be a list")
        raw_annotations = []
    raw_relationships = response.get("relationships", [])
    if raw_relationships is None:
        raw_relationships = []
    if not isinstance(raw_relationships, list):
        problems.add("relationships", "must be a list")
        raw_relationships = []

    annotations, labels_by_id = _check_annotations(problems, taxonomy, raw_annotations, fill_ids)
    relationships = _check_relationships(
        problems, taxonomy, raw_relationships, labels_by_id, fill_ids
    )
    problems.raise_if_any()
    return {"annotations": annotations, "relationships": relationships}


def _check_annotations(
    problems: Problems, taxonomy: Taxonomy, raw: list[Any], fill_ids: bool
) -> tuple[list[dict[str, Any]], dict[str, str | None]]:
    text = taxonomy.text
    out: list[dict[str, Any]] = []
    labels_by_id: dict[str, str | None] = {}  # id -> label (None when the label is bad)
    first_path: dict[str, str] = {}
    seen_spans: dict[tuple[int, int, str], str] = {}
    for i, ann in enumerate(raw):
        here = f"annotations[{i}]"
        if not isinstance(ann, dict):
            problems.add(here, "must be an object")
            continue
        ann_id = _check_item(problems, here, ann, ANNOTATION_KEYS, first_path, fill_ids)

        start, end = ann.get("start"), ann.get("end")
        span_ok = True
        for key, value in (("start", start), ("end", end)):
            if key not in ann:
                problems.add(f"{here}.{key}", "is required")
                span_ok = False
            elif not _is_int(value):
                problems.add(f"{here}.{key}", "must be an integer (a code point offset)")
                span_ok = False
            elif not 0 <= value <= len(text):
                problems.add(
                    f"{here}.{key}", f"{value} is outside the text (0..{len(text)} code points)"
                )
                span_ok = False
        if span_ok and start >= end:
            problems.add(f"{here}.end", f"must be greater than start ({start}); got {end}")
            span_ok = False

        span_text = text[start:end] if span_ok else None
        if "text" in ann:
            if not isinstance(ann["text"], str):
                problems.add(f"{here}.text", "must be a string")
            elif span_text is not None and ann["text"] != span_text:
                problems.add(
                    f"{here}.text",
                    f"is {_short(ann['text'])} but text[{start}:{end}] is {_short(span_text)}",
                )
        elif not fill_ids:
            problems.add(f"{here}.text", "is required")

        label_name = ann.get("label")
        label = None
        if "label" not in ann:
            problems.add(f"{here}.label", "is required")
        elif not isinstance(label_name, str):
            problems.add(f"{here}.label", "must be a string")
        elif label_name not in taxonomy.by_name:
            problems.add(f"{here}.label", f"{label_name!r} is not a label of this task")
        else:
            label = taxonomy.by_name[label_name]
            if not label.is_leaf:
                choices = ", ".join(repr(leaf.name) for leaf in taxonomy.leaves_under(label))
                problems.add(
                    f"{here}.label",
                    f"{label_name!r} is a group, not a label; choose one of {choices}",
                )
                label = None
        if ann_id is not None and ann_id not in labels_by_id:
            labels_by_id[ann_id] = label.name if label else None

        attributes = _check_attributes(problems, here, ann, label)
        if span_ok and label is not None:
            key = (start, end, label.name)
            if key in seen_spans:
                problems.add(here, f"is the same span and label as {seen_spans[key]}")
            else:
                seen_spans[key] = here
        if span_text is None or label is None or ann_id is None:
            continue
        item: dict[str, Any] = {
            "id": ann_id,
            "start": start,
            "end": end,
            "text": span_text,
            "label": label.name,
        }
        if attributes:
            item["attributes"] = attributes
        out.append(item)
    return out, labels_by_id


def _check_attributes(
    problems: Problems, here: str, ann: dict[str, Any], label: Label | None
) -> dict[str, str]:
    if "attributes" not in ann or ann["attributes"] is None:
        return {}
    attributes = ann["attributes"]
    path = f"{here}.attributes"
    if not isinstance(attributes, dict):
        problems.add(path, "must be an object")
        return {}
    if label is None:
        return {}
    out = {}
    for key, value in attributes.items():
        definition = label.attributes.get(key)
        if definition is None:
            known = ", ".join(repr(k) for k in label.attributes) or "none"
            problems.add(
                join_path(path, key),
                f"is not an attribute of label {label.name!r} (its attributes: {known})",
            )
            continue
        values = [o["value"] for o in definition["options"]]
        if value not in values or not isinstance(value, str):
            problems.add(
                join_path(path, key),
                f"{value!r} is not an option; choose one of " + ", ".join(map(repr, values)),
            )
            continue
        out[key] = value
    return out


def _check_relationships(
    problems: Problems,
    taxonomy: Taxonomy,
    raw: list[Any],
    labels_by_id: dict[str, str | None],
    fill_ids: bool,
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    if raw and not taxonomy.relations:
        problems.add("relationships", "this task defines no relationships; leave the list empty")
        return out
    first_path: dict[str, str] = {}
    seen: dict[tuple[str, str, str], str] = {}
    for i, rel in enumerate(raw):
        here = f"relationships[{i}]"
        if not isinstance(rel, dict):
            problems.add(here, "must be an object")
            continue
        rel_id = _check_item(problems, here, rel, RELATIONSHIP_KEYS, first_path, fill_ids)

        refs_ok = True
        for key in ("source_ref", "target_ref"):
            value = rel.get(key)
            if key not in rel:
                problems.add(f"{here}.{key}", "is required")
                refs_ok = False
            elif not isinstance(value, str):
                problems.add(f"{here}.{key}", "must be a string (an annotation id)")
                refs_ok = False
            elif value not in labels_by_id:
                problems.add(f"{here}.{key}", f"{value!r} is not the id of an annotation")
                refs_ok = False
        source, target = rel.get("source_ref"), rel.get("target_ref")
        if refs_ok and source == target:
            problems.add(
                f"{here}.target_ref", "must differ from source_ref (a span cannot relate to itself)"
            )
            refs_ok = False

        name = rel.get("name", "")
        if name is None:
            name = ""
        if not isinstance(name, str):
            problems.add(f"{here}.name", "must be a string")
            continue
        if taxonomy.named_relations:
            known = {r.name: r for r in taxonomy.relations}
            if name == "":
                problems.add(
                    f"{here}.name", "is required: choose one of " + ", ".join(map(repr, known))
                )
                continue
            if name not in known:
                problems.add(
                    f"{here}.name",
                    f"{name!r} is not a relationship of this task; choose one of "
                    + ", ".join(map(repr, known)),
                )
                continue
        elif name != "":
            problems.add(f"{here}.name", "must be blank: this task's relationships are unnamed")
            continue

        if not refs_ok:
            continue
        source_label, target_label = labels_by_id[source], labels_by_id[target]
        if source_label is None or target_label is None:
            continue  # the annotation's own error says why
        allowed = [r for r in taxonomy.allowed(source_label, target_label) if r.name == name]
        if not allowed:
            what = f"relationship {name!r}" if name else "a relationship"
            problems.add(
                here,
                f"{what} may not link a {source_label!r} span to a {target_label!r} span",
            )
            continue
        directed = any(r.is_directed for r in allowed)
        pair = (source, target) if directed else tuple(sorted((source, target)))
        key = (name, pair[0], pair[1])
        if key in seen:
            problems.add(here, f"links the same spans as {seen[key]}")
            continue
        seen[key] = here
        if rel_id is None:
            continue
        out.append({"id": rel_id, "source_ref": source, "target_ref": target, "name": name})
    return out
