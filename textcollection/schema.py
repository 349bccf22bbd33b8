"""TextCollection params → a typed, checked `Spec` (no request, no database).

`parse_spec(params)` walks `attachments` and `fields`, collects every problem
with its path (`fields[3].choices[1].value: ...`) and raises them together as a
ValidationProblem. Per-type keys are checked in `fields.py`; the condition
grammar lives in `conditions.py`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from labeling.errors import Problems, ValidationProblem
from labeling.markdown import iframe_src_allowed
from textcollection import conditions as cond

ATTACHMENT_TYPES = ("pdf", "image", "text", "video", "audio", "website")
UNIT_TYPES = (
    "text",
    "boolean",
    "number",
    "datetime",
    "category",
    "select",
    "time_range",
    "ranking_order",
)
FIELD_TYPES = (*UNIT_TYPES, "fieldset", "form")
# Field types whose answer is a set of choices, so conditions can test it.
DEPENDABLE_TYPES = ("category", "select", "boolean")
MAX_RESPONSES = 100


def token(value: Any) -> str:
    """The text form of a choice value, used as the HTML value and to compare
    values: strings as they are, numbers and booleans as JSON (1, 2.5, true)."""
    return value if isinstance(value, str) else json.dumps(value)


@dataclass(eq=False)
class Choice:
    label: str
    value: Any
    token: str
    hint: str = ""
    subchoices: list[Choice] = field(default_factory=list)

    @property
    def is_leaf(self) -> bool:
        return not self.subchoices


@dataclass(eq=False)
class Attachment:
    index: int
    type: str
    content: str
    forms: list[str] = field(default_factory=list)


@dataclass(eq=False)
class Field:
    """One field of any type. Type-specific attributes keep their defaults
    on the types that do not use them."""

    type: str
    field_id: str
    title: str
    path: str
    index: int  # position among its siblings: names the HTML inputs
    description: str = ""
    hint: str = ""
    required: bool = False
    min_responses: int = 1
    max_responses: int = 1
    conditions: cond.Conditions | None = None
    parent: Field | None = None
    # text
    max_characters: int | None = None
    # number
    use_slider: bool = False
    min: float | None = None
    max: float | None = None
    step: float | None = None
    # datetime
    include: tuple[str, ...] = ()
    defaults: dict[str, int] = field(default_factory=dict)
    # category / select
    choices: list[Choice] = field(default_factory=list)
    min_choices: int = 1
    max_choices: int = 1
    choices_from_field: str | None = None
    # time_range
    default_seconds: tuple[int, int] | None = None
    increment_seconds: int = 60
    default_from_field: str | None = None
    # ranking_order
    first_label: str = ""
    last_label: str = ""
    num_items_to_rank: int = 3
    # fieldset / form
    children: list[Field] = field(default_factory=list)

    @property
    def repeatable(self) -> bool:
        return self.max_responses > 1

    @property
    def is_group(self) -> bool:
        return self.type in ("fieldset", "form")

    def leaves(self) -> Iterator[Choice]:
        """Selectable choices (those without subchoices), depth first."""
        stack = list(reversed(self.choices))
        while stack:
            choice = stack.pop()
            if choice.is_leaf:
                yield choice
            else:
                stack.extend(reversed(choice.subchoices))

    def leaf_by_token(self) -> dict[str, Choice]:
        return {c.token: c for c in self.leaves()}

    def in_repeated_scope(self) -> bool:
        """True if some enclosing FieldSet repeats: the field then has one
        answer per repetition, so other fields cannot depend on it."""
        node = self.parent
        while node is not None:
            if node.repeatable:
                return True
            node = node.parent
        return False


@dataclass(eq=False)
class Spec:
    fields: list[Field]
    attachments: list[Attachment]
    by_id: dict[str, Field]
    uses_forms: bool

    def walk(self) -> Iterator[Field]:
        stack = list(reversed(self.fields))
        while stack:
            f = stack.pop()
            yield f
            stack.extend(reversed(f.children))

    @property
    def dependencies(self) -> set[str]:
        """field_ids whose answers change what other fields show or offer."""
        deps: set[str] = set()
        for f in self.walk():
            if f.conditions is not None:
                deps |= f.conditions.field_ids()
            if f.choices_from_field:
                deps.add(f.choices_from_field)
        return deps


def parse_spec(params: Any) -> Spec:
    """Check params and build the Spec; raise ValidationProblem listing every problem."""
    from textcollection import fields as field_parsers

    problems = Problems()
    if not isinstance(params, dict):
        raise ValidationProblem("", "params must be an object")
    attachments = _parse_attachments(params.get("attachments", []), problems)
    raw_fields = params.get("fields")
    parsed: list[Field] = []
    if not isinstance(raw_fields, list) or not raw_fields:
        problems.add("fields", "must be a non-empty list of fields")
    else:
        for i, raw in enumerate(raw_fields):
            f = field_parsers.parse_field(raw, f"fields[{i}]", i, None, problems, len(attachments))
            if f is not None:
                parsed.append(f)
    by_id: dict[str, Field] = {}
    spec = Spec(fields=parsed, attachments=attachments, by_id=by_id, uses_forms=False)
    for f in spec.walk():
        if f.field_id in by_id:
            problems.add(
                f"{f.path}.field_id",
                f"{f.field_id!r} is already used by {by_id[f.field_id].path}; field_ids must be unique",
            )
        else:
            by_id[f.field_id] = f
    forms = [f for f in parsed if f.type == "form"]
    spec.uses_forms = bool(forms)
    if forms and len(forms) != len(parsed):
        for f in parsed:
            if f.type != "form":
                problems.add(
                    f"{f.path}.type",
                    "when one top-level field is a form, all top-level fields must be forms",
                )
    form_ids = {f.field_id for f in forms}
    for a in attachments:
        for j, name in enumerate(a.forms):
            if name not in form_ids:
                problems.add(
                    f"attachments[{a.index}].forms[{j}]",
                    f"{name!r} is not the field_id of a top-level form field",
                )
    if not problems:
        _check_references(spec, problems)
    problems.raise_if_any()
    return spec


@lru_cache(maxsize=256)
def _cached_spec(key: str) -> Spec:
    return parse_spec(json.loads(key))


def spec_for(params: dict[str, Any], *, key: str | None = None) -> Spec:
    """The Spec of already-validated params (cached: pages re-read the same params).

    `key` is the params' fingerprint stored in Task.rendered at creation
    (params_key()); with it the cache lookup skips serializing the params,
    which for a 300-field task costs more than rendering the page
    (docs/performance.md). A task's params never change after creation."""
    if key:
        return _spec_by_key(_Keyed(key, params))
    return _cached_spec(json.dumps(params, sort_keys=True))


def params_key(params: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(params, sort_keys=True).encode()).hexdigest()


class _Keyed:
    """Params that hash and compare by their fingerprint (an lru_cache argument)."""

    __slots__ = ("key", "params")

    def __init__(self, key: str, params: dict[str, Any]):
        self.key, self.params = key, params

    def __hash__(self) -> int:
        return hash(self.key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Keyed) and other.key == self.key


@lru_cache(maxsize=256)
def _spec_by_key(keyed: _Keyed) -> Spec:
    return parse_spec(keyed.params)


def _parse_attachments(raw: Any, problems: Problems) -> list[Attachment]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        problems.add("attachments", "must be a list of attachments")
        return []
    out = []
    for i, item in enumerate(raw):
        path = f"attachments[{i}]"
        if not isinstance(item, dict):
            problems.add(path, "must be an object with type and content")
            continue
        unknown = set(item) - {"type", "content", "forms"}
        for key in sorted(unknown):
            problems.add(f"{path}.{key}", "is not a known attachment key (type, content, forms)")
        kind, content, forms = item.get("type"), item.get("content"), item.get("forms", [])
        if kind not in ATTACHMENT_TYPES:
            problems.add(f"{path}.type", f"must be one of {', '.join(ATTACHMENT_TYPES)}")
        if not isinstance(content, str) or not content.strip():
            problems.add(f"{path}.content", "must be a non-empty string")
        elif kind in ("pdf", "website") and not content.startswith("https://"):
            # The page's CSP only frames https; anything else would show a blank frame.
            problems.add(f"{path}.content", f"a {kind} attachment must be an https:// link")
        elif kind in ("pdf", "website") and not iframe_src_allowed(content):
            # The same rule as iframes in markdown: a plain https host, on
            # settings.IFRAME_ALLOWED_HOSTS when that is set.
            problems.add(
                f"{path}.content",
                f"a {kind} attachment must be a plain https:// URL on an allowed host "
                "(IFRAME_ALLOWED_HOSTS)",
            )
        elif kind in ("image", "video", "audio") and not content.startswith(
            ("https://", "http://")
        ):
            problems.add(f"{path}.content", f"an {kind} attachment must be an http(s) link")
        if not isinstance(forms, list) or not all(isinstance(x, str) for x in forms):
            problems.add(f"{path}.forms", "must be a list of form field_ids")
            forms = []
        out.append(Attachment(index=i, type=str(kind), content=str(content or ""), forms=forms))
    return out


def _check_references(spec: Spec, problems: Problems) -> None:
    """Conditions, choices_from_field and default_from_field must name fields
    that exist and can serve, and must not form a cycle."""
    edges: dict[str, list[str]] = {}
    for f in spec.walk():
        deps = edges.setdefault(f.field_id, [])
        if f.conditions is not None:
            for dep_id, where in f.conditions.references():
                path = f"{f.path}.conditions{where}"
                dep = spec.by_id.get(dep_id)
                if dep is None:
                    problems.add(path, f"{dep_id!r} is not a field_id of this task")
                    continue
                if dep.type not in DEPENDABLE_TYPES:
                    problems.add(
                        path,
                        f"field {dep_id!r} is a {dep.type} field; conditions can only test "
                        f"{', '.join(DEPENDABLE_TYPES)} fields",
                    )
                    continue
                if dep.in_repeated_scope():
                    problems.add(
                        path,
                        f"field {dep_id!r} is inside a repeatable fieldset; it has no single answer",
                    )
                    continue
                if dep is f or _is_ancestor(f, dep) or _is_ancestor(dep, f):
                    problems.add(
                        path, f"a field cannot depend on itself or its own group ({dep_id!r})"
                    )
                    continue
                cond.check_values(
                    f.conditions, dep_id, dep, path_prefix=f"{f.path}.conditions", problems=problems
                )
                deps.append(dep_id)
        for key, allowed in (
            ("choices_from_field", ("text", "category")),
            ("default_from_field", ("time_range",)),
        ):
            ref = getattr(f, key)
            if ref is None:
                continue
            dep = spec.by_id.get(ref)
            path = f"{f.path}.{key}"
            if dep is None:
                problems.add(path, f"{ref!r} is not a field_id of this task")
            elif dep is f:
                problems.add(path, "a field cannot refer to itself")
            elif dep.type not in allowed:
                problems.add(
                    path,
                    f"field {ref!r} is a {dep.type} field; it must be a {' or '.join(allowed)} field",
                )
            elif dep.in_repeated_scope():
                problems.add(
                    path, f"field {ref!r} is inside a repeatable fieldset; it has no single answer"
                )
            else:
                deps.append(ref)
    cycle = _find_cycle(edges)
    if cycle:
        first = spec.by_id[cycle[0]]
        problems.add(
            f"{first.path}", "fields depend on each other in a cycle: " + " → ".join(cycle)
        )


def _is_ancestor(node: Field, maybe_ancestor: Field) -> bool:
    parent = node.parent
    while parent is not None:
        if parent is maybe_ancestor:
            return True
        parent = parent.parent
    return False


def _find_cycle(edges: dict[str, list[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in edges.get(node, []):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in edges:
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None
