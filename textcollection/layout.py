"""Where each answer lives in the HTML form, and what the form currently says.

Input names follow the field tree by position, so any field_id (spaces,
brackets...) is safe: top-level field 3 is `tc-3`, its responses `tc-3-0`,
`tc-3-1`...; a child field 2 of FieldSet response `tc-5-1` is `tc-5-1-2` with
responses `tc-5-1-2-0`... Multi-part answers add a suffix (`tc-4-0-year`,
`tc-6-0-from`). A repeatable field posts its number of responses as `<prefix>-n`.
The layout is rebuilt from the posted data on every request, so the server
alone decides what is shown (see docs/textcollection.md).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.datastructures import MultiValueDict

from textcollection.conditions import EMPTY
from textcollection.schema import Field, Spec

ROOT = "tc"
ACTIVE_FORM = "_tc_form"
OP = "_tc_op"


@dataclass(eq=False)
class Node:
    field: Field
    prefix: str
    slots: list[str]
    # For fieldsets and forms: the child nodes of each response.
    instances: list[list[Node]] = field(default_factory=list)

    @property
    def field_id(self) -> str:
        return self.field.field_id


@dataclass(eq=False)
class Layout:
    spec: Spec
    nodes: list[Node]
    # Nodes with a single answer (not inside a repeatable fieldset), by field_id.
    single: dict[str, Node]
    # Human names of inputs for error reports: "summary[1]", "items[0].price".
    places: dict[str, str]

    def walk(self) -> Iterator[Node]:
        stack = list(reversed(self.nodes))
        while stack:
            node = stack.pop()
            yield node
            for inst in reversed(node.instances):
                stack.extend(reversed(inst))


def response_count(f: Field, data: Mapping[str, Any], prefix: str) -> int:
    if f.type == "form" or not f.repeatable:
        return 1
    low = max(f.min_responses, 1)
    try:
        n = int(data.get(f"{prefix}-n") or low)
    except ValueError:
        n = low
    return max(low, min(n, f.max_responses))


def build_layout(spec: Spec, data: Mapping[str, Any]) -> Layout:
    single: dict[str, Node] = {}
    places: dict[str, str] = {}

    def build(fields: list[Field], parent: str, place: str, repeated: bool) -> list[Node]:
        nodes = []
        for f in fields:
            prefix = f"{parent}-{f.index}"
            count = response_count(f, data, prefix)
            slots = [f"{prefix}-{r}" for r in range(count)]
            fplace = f"{place}.{f.field_id}" if place else f.field_id
            node = Node(field=f, prefix=prefix, slots=slots)
            places[prefix] = fplace
            for r, slot in enumerate(slots):
                places[slot] = f"{fplace}[{r}]" if f.repeatable else fplace
            if f.children:
                node.instances = [
                    build(f.children, slot, places[slot], repeated or f.repeatable)
                    for slot in slots
                ]
            if not repeated:
                single[f.field_id] = node
            nodes.append(node)
        return nodes

    return Layout(
        spec=spec, nodes=build(spec.fields, ROOT, "", False), single=single, places=places
    )


def raw_input(f: Field, data: Any, slot: str) -> Any:
    """What the form posted for one response slot, in parse_input's shape."""
    if f.type in ("category", "ranking_order"):
        return data.getlist(slot) if hasattr(data, "getlist") else list(data.get(slot, []))
    if f.type == "datetime":
        return {p: data.get(f"{slot}-{p}") for p in f.include}
    if f.type == "time_range":
        return {"from": data.get(f"{slot}-from"), "to": data.get(f"{slot}-to")}
    return data.get(slot)


def selections(layout: Layout, data: Any) -> dict[str, frozenset[str]]:
    """field_id -> selected value tokens, for every field conditions can test.

    Used both to render and to clean, so what the worker sees and what is
    saved always follow the same rule. Unknown tokens are ignored here (the
    form reports them as errors)."""
    out: dict[str, frozenset[str]] = {}
    for fid in layout.spec.dependencies:
        node = layout.single.get(fid)
        if node is None:
            continue
        f = node.field
        picked: set[str] = set()
        for slot in node.slots:
            if f.type == "category":
                picked.update(data.getlist(slot))
            else:
                v = data.get(slot)
                if v:
                    picked.add(v)
        if f.type == "category":
            picked &= set(f.leaf_by_token())
        elif f.type == "boolean":
            picked &= {"true", "false"}
        elif f.type == "select" and not f.choices_from_field:
            picked &= {c.token for c in f.choices}
        out[fid] = frozenset(picked) if picked else EMPTY
    return out


def source_options(layout: Layout, data: Any, source_id: str) -> list[tuple[str, Any]]:
    """The options a select with choices_from_field offers: the source field's
    current answers (text responses, or the chosen category choices)."""
    node = layout.single.get(source_id)
    if node is None:
        return []
    f = node.field
    seen: dict[str, tuple[str, Any]] = {}
    for slot in node.slots:
        if f.type == "text":
            text = (data.get(slot) or "").strip()
            if text:
                seen.setdefault(text, (text, text))
        elif f.type == "category":
            leaves = f.leaf_by_token()
            for tok in data.getlist(slot):
                if tok in leaves:
                    seen.setdefault(tok, (leaves[tok].label, leaves[tok].value))
    return list(seen.values())


def active_form(layout: Layout, data: Any) -> int:
    if not layout.spec.uses_forms:
        return -1
    try:
        index = int(data.get(ACTIVE_FORM) or 0)
    except ValueError:
        index = 0
    return index if 0 <= index < len(layout.nodes) else 0


# ---------------------------------------------------------------- edits the worker asks for


def apply_op(layout: Layout, data: MultiValueDict, op: str) -> MultiValueDict:
    """Apply one "add another" / "remove" / ranking / form-tab operation to a
    mutable copy of the posted data. Unknown or out-of-range ops change nothing."""
    data = data.copy()
    kind, _, arg = op.partition(":")
    nodes = {n.prefix: n for n in layout.walk()}
    if kind == "add" and arg in nodes:
        node = nodes[arg]
        if len(node.slots) < node.field.max_responses:
            data.setlist(f"{arg}-n", [str(len(node.slots) + 1)])
    elif kind == "remove":
        prefix, _, index = arg.rpartition("-")
        node = nodes.get(prefix)
        if (
            node
            and index.isdigit()
            and int(index) < len(node.slots)
            and len(node.slots) > max(node.field.min_responses, 1)
        ):
            _remove_slot(data, prefix, int(index), len(node.slots))
    elif kind == "form" and arg.isdigit():
        data.setlist(ACTIVE_FORM, [arg])
    elif kind == "rank":
        slot, _, rest = arg.partition(":")
        move, _, item = rest.partition(":")
        _rank(data, slot, move, item)
    return data


def _remove_slot(data: MultiValueDict, prefix: str, index: int, count: int) -> None:
    """Drop response `index` and shift the later ones down (with all their sub-inputs)."""

    def sub_keys(slot: str) -> list[str]:
        return [k for k in data if k == slot or k.startswith(slot + "-")]

    for key in sub_keys(f"{prefix}-{index}"):
        del data[key]
    for r in range(index + 1, count):
        old, new = f"{prefix}-{r}", f"{prefix}-{r - 1}"
        for key in sub_keys(old):
            data.setlist(new + key[len(old) :], data.getlist(key))
            del data[key]
    data.setlist(f"{prefix}-n", [str(count - 1)])


def _rank(data: MultiValueDict, slot: str, move: str, item: str) -> None:
    ranked = list(data.getlist(slot))
    if move == "add" and item not in ranked:
        ranked.append(item)
    elif item in ranked:
        i = ranked.index(item)
        if move == "remove":
            ranked.pop(i)
        elif move == "up" and i > 0:
            ranked[i - 1], ranked[i] = ranked[i], ranked[i - 1]
        elif move == "down" and i < len(ranked) - 1:
            ranked[i + 1], ranked[i] = ranked[i], ranked[i + 1]
    data.setlist(slot, ranked)


# ---------------------------------------------------------------- answers → form data


def initial_data(spec: Spec, annotations: Mapping[str, Any] | None) -> MultiValueDict:
    """Form data that shows `annotations` (callback format) plus the params'
    defaults (datetime `defaults`, time_range `default_seconds` and
    `default_from_field`) for fields the annotations do not answer."""
    from textcollection.values import to_inputs

    data = MultiValueDict()
    time_ranges: dict[str, list[int] | None] = {}

    def fill(fields: list[Field], parent: str, answers: Mapping[str, Any]) -> None:
        for f in fields:
            prefix = f"{parent}-{f.index}"
            value = answers.get(f.field_id)
            if f.type == "form":
                fill(f.children, f"{prefix}-0", value if isinstance(value, dict) else {})
                continue
            responses = (value if isinstance(value, list) else [value]) if f.repeatable else [value]
            responses = [r for r in responses if r is not None]
            if not responses:
                default = _default(f, time_ranges)
                responses = [default] if default is not None else []
            if f.type == "time_range" and responses:
                time_ranges[f.field_id] = responses[0]
            if f.repeatable:
                n = max(len(responses), f.min_responses, 1)
                data.setlist(f"{prefix}-n", [str(min(n, f.max_responses))])
            for r, resp in enumerate(responses[: f.max_responses]):
                slot = f"{prefix}-{r}"
                if f.type == "fieldset":
                    fill(f.children, slot, resp if isinstance(resp, dict) else {})
                else:
                    for suffix, texts in to_inputs(f, resp).items():
                        data.setlist(slot + suffix, texts)
            if f.type == "fieldset" and not responses:
                for r in range(max(f.min_responses, 1)):
                    fill(f.children, f"{prefix}-{r}", {})

    fill(spec.fields, ROOT, annotations or {})
    return data


def _default(f: Field, time_ranges: dict[str, Any]) -> Any:
    if f.type == "datetime" and f.defaults:
        return dict(f.defaults)  # partial defaults pre-fill just those parts
    if f.type == "time_range":
        if f.default_from_field and time_ranges.get(f.default_from_field) is not None:
            return list(time_ranges[f.default_from_field])
        if f.default_seconds is not None:
            return list(f.default_seconds)
    return None
