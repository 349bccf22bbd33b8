"""NER task params: the label tree, attributes and relationship definitions.

`check_params(params)` validates the raw params (every problem names its path,
e.g. `labels[1].children[0].name`); `Taxonomy` answers the questions the
response validator and the page ask of validated params (is this label a
leaf, which attributes does it have, which relations may link two labels).
No request, no database."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from labeling.errors import Key, Problems, join_path

# Large enough for any document a person labels by hand; small enough that a
# page (text + offsets table) stays a few MB.
MAX_TEXT_LENGTH = 1_000_000
PARAM_KEYS = {"text", "labels", "relationships"}
LABEL_KEYS = {"name", "display_name", "description", "children", "attributes"}
ATTRIBUTE_KEYS = {"type", "options", "display_name", "description"}
OPTION_KEYS = {"value", "display_name"}
RELATIONSHIP_KEYS = {"name", "display_name", "is_directed", "source_label", "target_label"}


def _non_empty_str(value: Any) -> bool:
    return isinstance(value, str) and value.strip() != ""


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _unknown_keys(problems: Problems, path: str, obj: dict[str, Any], known: set[str]) -> None:
    for key in obj:
        if key not in known:
            problems.add(join_path(path, Key(key)), "is not a known field")


def check_params(params: Any) -> dict[str, Any]:
    """Validate NER params; return them unchanged (a task's params are stored as given).

    Raises ValidationProblem listing every problem found."""
    problems = Problems()
    if not isinstance(params, dict):
        problems.add("", "params must be an object")
        problems.raise_if_any()
    _unknown_keys(problems, "", params, PARAM_KEYS)

    text = params.get("text")
    if "text" not in params:
        problems.add("text", "is required")
    elif not isinstance(text, str):
        problems.add("text", "must be a string")
    elif text == "":
        problems.add("text", "must not be empty")
    elif not _encodable(text):
        problems.add("text", "contains an unpaired surrogate (not valid Unicode)")
    elif len(text) > MAX_TEXT_LENGTH:
        problems.add("text", f"must be at most {MAX_TEXT_LENGTH} characters (got {len(text)})")

    names: dict[str, str] = {}  # label name -> path where first defined
    labels = params.get("labels")
    if "labels" not in params:
        problems.add("labels", "is required")
    elif not isinstance(labels, list) or not labels:
        problems.add("labels", "must be a non-empty list of labels")
    else:
        _check_labels(problems, "labels", labels, names)

    relationships = params.get("relationships", [])
    if relationships is None:
        relationships = []
    if not isinstance(relationships, list):
        problems.add("relationships", "must be a list")
    else:
        _check_relationships(problems, relationships, names)
    problems.raise_if_any()
    return params


def _check_labels(problems: Problems, path: str, labels: list[Any], names: dict[str, str]) -> None:
    for i, label in enumerate(labels):
        here = f"{path}[{i}]"
        if not isinstance(label, dict):
            problems.add(here, "must be an object with a name")
            continue
        _unknown_keys(problems, here, label, LABEL_KEYS)
        name = label.get("name")
        if "name" not in label:
            problems.add(f"{here}.name", "is required")
        elif not _non_empty_str(name):
            problems.add(f"{here}.name", "must be a non-empty string")
        elif name in names:
            problems.add(f"{here}.name", f"{name!r} is already used by {names[name]}")
        else:
            names[name] = f"{here}.name"
        for key in ("display_name", "description"):
            if key in label and not isinstance(label[key], str):
                problems.add(f"{here}.{key}", "must be a string")
        children = label.get("children")
        if "children" in label:
            if not isinstance(children, list) or not children:
                problems.add(
                    f"{here}.children",
                    "must be a non-empty list of labels (leave it out for a selectable label)",
                )
            else:
                _check_labels(problems, f"{here}.children", children, names)
        if "attributes" in label:
            if children:
                problems.add(
                    f"{here}.attributes",
                    "a label with children is a group that cannot be chosen for a span; "
                    "put attributes on its leaf labels",
                )
            else:
                _check_attributes(problems, f"{here}.attributes", label["attributes"])


def _check_attributes(problems: Problems, path: str, attributes: Any) -> None:
    if not isinstance(attributes, dict):
        problems.add(path, "must be an object mapping attribute keys to attribute definitions")
        return
    for key, attribute in attributes.items():
        here = join_path(path, key)
        if not _non_empty_str(key):
            problems.add(path, "attribute keys must be non-empty strings")
            continue
        if not isinstance(attribute, dict):
            problems.add(here, "must be an object with type and options")
            continue
        _unknown_keys(problems, here, attribute, ATTRIBUTE_KEYS)
        if attribute.get("type", "select") != "select":
            problems.add(f"{here}.type", "must be 'select' (the only attribute type)")
        for key_ in ("display_name", "description"):
            if key_ in attribute and not isinstance(attribute[key_], str):
                problems.add(f"{here}.{key_}", "must be a string")
        options = attribute.get("options")
        if "options" not in attribute:
            problems.add(f"{here}.options", "is required")
            continue
        if not isinstance(options, list) or not options:
            problems.add(f"{here}.options", "must be a non-empty list of options")
            continue
        seen: set[str] = set()
        for j, option in enumerate(options):
            opath = f"{here}.options[{j}]"
            if not isinstance(option, dict):
                problems.add(opath, "must be an object with a value")
                continue
            _unknown_keys(problems, opath, option, OPTION_KEYS)
            value = option.get("value")
            if "value" not in option:
                problems.add(f"{opath}.value", "is required")
            elif not _non_empty_str(value):
                problems.add(f"{opath}.value", "must be a non-empty string")
            elif value in seen:
                problems.add(f"{opath}.value", f"{value!r} is already an option")
            else:
                seen.add(value)
            if "display_name" in option and not isinstance(option["display_name"], str):
                problems.add(f"{opath}.display_name", "must be a string")


def _check_relationships(problems: Problems, relationships: list[Any], names: dict) -> None:
    named = [isinstance(r, dict) and "name" in r for r in relationships]
    all_named = all(named)
    if any(named) and not all_named:
        problems.add(
            "relationships",
            "must be all named or all unnamed: relationships["
            + str(named.index(False))
            + "] has no name while relationships["
            + str(named.index(True))
            + "] has one",
        )
    seen: set[str] = set()
    for i, rel in enumerate(relationships):
        here = f"relationships[{i}]"
        if not isinstance(rel, dict):
            problems.add(here, "must be an object")
            continue
        _unknown_keys(problems, here, rel, RELATIONSHIP_KEYS)
        if "name" in rel:
            name = rel["name"]
            if not _non_empty_str(name):
                problems.add(f"{here}.name", "must be a non-empty string")
            elif name in seen:
                problems.add(f"{here}.name", f"{name!r} is already a relationship")
            else:
                seen.add(name)
            if "display_name" not in rel:
                problems.add(f"{here}.display_name", "is required for a named relationship")
            elif not _non_empty_str(rel["display_name"]):
                problems.add(f"{here}.display_name", "must be a non-empty string")
            if "is_directed" in rel and not isinstance(rel["is_directed"], bool):
                problems.add(f"{here}.is_directed", "must be true or false")
        elif all_named or not any(named):
            for key in ("display_name", "is_directed"):
                if key in rel:
                    problems.add(f"{here}.{key}", "is not allowed on an unnamed relationship")
        for key in ("source_label", "target_label"):
            if key not in rel:
                continue
            value = rel[key]
            if not isinstance(value, str):
                problems.add(f"{here}.{key}", "must be a string naming a label")
            elif names and value not in names:
                problems.add(f"{here}.{key}", f"{value!r} is not a label name")


@dataclass
class Label:
    name: str
    display_name: str
    description: str
    path: tuple[str, ...]  # names from the root to this label, itself included
    children: list[Label] = field(default_factory=list)
    attributes: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def is_leaf(self) -> bool:
        return not self.children


@dataclass
class RelationDef:
    name: str  # "" for unnamed relationships
    display_name: str
    is_directed: bool
    source_label: str | None
    target_label: str | None


class Taxonomy:
    """Validated params, indexed for the questions responses and pages ask."""

    def __init__(self, params: dict[str, Any]):
        self.text: str = params["text"]
        self.labels: list[Label] = [self._build(raw, ()) for raw in params["labels"]]
        self.by_name: dict[str, Label] = {}
        for label in self.walk():
            self.by_name[label.name] = label
        self.relations: list[RelationDef] = [
            RelationDef(
                name=raw.get("name", ""),
                display_name=raw.get("display_name", ""),
                # Unnamed relationships may not say is_directed: they are undirected.
                is_directed=bool(raw.get("is_directed", False)),
                source_label=raw.get("source_label"),
                target_label=raw.get("target_label"),
            )
            for raw in params.get("relationships") or []
        ]
        self.named_relations = any(r.name for r in self.relations)

    def _build(self, raw: dict[str, Any], parents: tuple[str, ...]) -> Label:
        path = (*parents, raw["name"])
        return Label(
            name=raw["name"],
            display_name=raw.get("display_name") or raw["name"],
            description=raw.get("description", ""),
            path=path,
            children=[self._build(child, path) for child in raw.get("children") or []],
            attributes=raw.get("attributes") or {},
        )

    def walk(self, labels: list[Label] | None = None) -> Iterator[Label]:
        for label in self.labels if labels is None else labels:
            yield label
            yield from self.walk(label.children)

    def leaves(self) -> list[Label]:
        return [label for label in self.walk() if label.is_leaf]

    def leaves_under(self, group: Label) -> list[Label]:
        return [label for label in self.walk(group.children) if label.is_leaf]

    def admits(self, constraint: str | None, label: str) -> bool:
        """A relationship end constrained to `constraint` accepts `label` if it is
        that label or one of its descendants (a group admits its whole subtree)."""
        if constraint is None:
            return True
        found = self.by_name.get(label)
        return found is not None and constraint in found.path

    def allowed(self, source_label: str, target_label: str) -> list[RelationDef]:
        """Relationship definitions that may link a span labelled `source_label`
        to one labelled `target_label`. Undirected ones match either order."""
        out = []
        for rel in self.relations:
            forward = self.admits(rel.source_label, source_label) and self.admits(
                rel.target_label, target_label
            )
            backward = (
                not rel.is_directed
                and self.admits(rel.source_label, target_label)
                and self.admits(rel.target_label, source_label)
            )
            if forward or backward:
                out.append(rel)
        return out

    def page_config(self) -> dict[str, Any]:
        """What the page's script needs: the label tree and relationship definitions."""

        def label_json(label: Label) -> dict[str, Any]:
            out: dict[str, Any] = {
                "name": label.name,
                "display_name": label.display_name,
                "description": label.description,
                "path": list(label.path),
            }
            if label.children:
                out["children"] = [label_json(child) for child in label.children]
            if label.attributes:
                out["attributes"] = [
                    {
                        "key": key,
                        "display_name": attr.get("display_name") or key,
                        "description": attr.get("description", ""),
                        "options": [
                            {
                                "value": o["value"],
                                "display_name": o.get("display_name") or o["value"],
                            }
                            for o in attr["options"]
                        ],
                    }
                    for key, attr in label.attributes.items()
                ]
            return out

        return {
            "labels": [label_json(label) for label in self.labels],
            "relationships": [
                {
                    "name": rel.name,
                    "display_name": rel.display_name or "related to",
                    "is_directed": rel.is_directed,
                    "source_label": rel.source_label,
                    "target_label": rel.target_label,
                }
                for rel in self.relations
            ],
        }
