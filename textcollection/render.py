"""The labeling body as HTML: view models for textcollection/jinja2/textcollection/body.html.

Everything shown is derived from (spec, posted-or-initial data, errors), so
the first page, a conditions round trip and a failed submit all render the
same way: the server alone decides what is visible.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.template.loader import get_template

from labeling.markdown import render_markdown
from textcollection.conditions import visibility
from textcollection.layout import (
    ACTIVE_FORM,
    OP,
    Layout,
    Node,
    active_form,
    build_layout,
    selections,
    source_options,
)
from textcollection.schema import Attachment, Choice, Field, Spec, token
from textcollection.values import describe_seconds

PREVIEW_CHARS = 80


@dataclass(eq=False)
class ChoiceView:
    choice: Choice
    checked: bool
    children: list[ChoiceView]
    id: str = ""


@dataclass(eq=False)
class SlotView:
    name: str
    index: int
    label: str
    value: str = ""
    parts: dict[str, str] = field(default_factory=dict)
    choices: list[ChoiceView] = field(default_factory=list)
    options: list[tuple[str, str, bool]] = field(default_factory=list)
    ranked: list[dict[str, Any]] = field(default_factory=list)
    unranked: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    children: list[FieldView] = field(default_factory=list)
    removable: bool = False


@dataclass(eq=False)
class FieldView:
    f: Field
    id: str
    hidden: bool
    live: bool
    errors: list[str]
    slots: list[SlotView]
    can_add: bool
    count: int
    active: bool = False
    index: int = 0
    # Wrappers a change of this field can alter (hx-select-oob): only those are
    # swapped, so a round trip never overwrites what the worker types elsewhere.
    swap_ids: str = ""


class BodyRenderer:
    def __init__(
        self,
        spec: Spec,
        *,
        rendered: dict[str, Any],
        data: Any,
        errors: dict[str, list[str]] | None = None,
        readonly: bool = False,
        refresh_url: str = "",
    ):
        self.spec = spec
        self.rendered = rendered
        self.data = data
        self.errors = errors or {}
        self.readonly = readonly
        self.refresh_url = "" if readonly else refresh_url
        self.layout: Layout = build_layout(spec, data)
        self.visible = visibility(spec.fields, selections(self.layout, data))
        self.live_ids = spec.dependencies
        self.prefixes: dict[str, list[str]] = {}
        for node in self.layout.walk():
            self.prefixes.setdefault(node.field_id, []).append(node.prefix)
        self.dependents: dict[str, list[str]] = {}
        for f in spec.walk():
            refs = set(f.conditions.field_ids()) if f.conditions else set()
            if f.choices_from_field:
                refs.add(f.choices_from_field)
            for ref in refs:
                self.dependents.setdefault(ref, []).append(f.field_id)
        self.active = active_form(self.layout, data)
        if self.errors and spec.uses_forms:
            # After a failed submit, open the first form that has an error.
            for i, node in enumerate(self.layout.nodes):
                if any(k == node.prefix or k.startswith(node.prefix + "-") for k in self.errors):
                    self.active = i
                    break

    def context(self) -> dict[str, Any]:
        fields = [self._field(node) for node in self.layout.nodes]
        for i, fv in enumerate(fields):
            fv.index = i
            fv.active = i == self.active
        active_id = fields[self.active].f.field_id if self.active >= 0 else None
        return {
            "fields": fields,
            "attachments": [self._attachment(a, active_id) for a in self.spec.attachments],
            "uses_forms": self.spec.uses_forms,
            "active_form": self.active,
            "active_name": ACTIVE_FORM,
            "op_name": OP,
            "readonly": self.readonly,
            "refresh_url": self.refresh_url,
        }

    def html(self) -> str:
        return get_template("textcollection/body.html", using="jinja2").render(self.context())

    # ------------------------------------------------------------ attachments

    def _attachment(self, a: Attachment, active_id: str | None) -> dict[str, Any]:
        html = ""
        if a.type == "text":
            stored = self.rendered.get("attachments_html") or []
            # Tasks are prepared at creation (render once); this fallback only
            # serves previews of params that were never prepared.
            html = stored[a.index] if a.index < len(stored) else render_markdown(a.content)
        return {
            "index": a.index,
            "number": a.index + 1,
            "type": a.type,
            "content": a.content,
            "html": html,
            "hidden": bool(a.forms) and active_id not in a.forms,
            "forms": " ".join(a.forms),
        }

    def _attachment_label(self, index: int) -> str:
        a = self.spec.attachments[index]
        text = a.content.strip().splitlines()[0] if a.content.strip() else ""
        if a.type != "text":
            text = text.rstrip("/").rsplit("/", 1)[-1]
        if len(text) > PREVIEW_CHARS:
            text = text[: PREVIEW_CHARS - 1] + "…"
        return f"Attachment {index + 1}: {text}"

    # ------------------------------------------------------------ fields

    def _field(self, node: Node) -> FieldView:
        f = node.field
        count = len(node.slots)
        fv = FieldView(
            f=f,
            id=node.prefix,
            hidden=not self.visible.get(f.field_id, True),
            live=bool(self.refresh_url)
            and (f.field_id in self.live_ids or f.type == "ranking_order"),
            errors=self.errors.get(node.prefix, []),
            slots=[],
            can_add=not self.readonly and f.repeatable and count < f.max_responses,
            count=count,
        )
        if fv.live and f.type != "ranking_order":
            fv.swap_ids = self._swap_ids(f.field_id)
        removable = not self.readonly and f.repeatable and count > max(f.min_responses, 1)
        for r, slot in enumerate(node.slots):
            sv = SlotView(
                name=slot,
                index=r,
                label=f"{f.title} ({r + 1})" if f.repeatable else f.title,
                errors=self.errors.get(slot, []),
                removable=removable,
            )
            if f.is_group:
                sv.children = [self._field(child) for child in node.instances[r]]
            else:
                self._fill_slot(f, sv)
            fv.slots.append(sv)
        return fv

    def _swap_ids(self, field_id: str) -> str:
        ids = [p for fid in self.dependents.get(field_id, []) for p in self.prefixes.get(fid, [])]
        # A wrapper inside another swapped wrapper comes along with it.
        top = [p for p in ids if not any(p.startswith(q + "-") for q in ids)]
        return ",".join(f"#{p}" for p in top)

    def _fill_slot(self, f: Field, sv: SlotView) -> None:
        data, name = self.data, sv.name
        kind = f.type
        if kind == "category":
            picked = set(data.getlist(name))
            order = {c.token: i for i, c in enumerate(f.leaves())}
            sv.choices = [self._choice(c, picked, name, order) for c in f.choices]
        elif kind == "select":
            current = data.get(name) or ""
            if f.choices_from_field:
                opts = source_options(self.layout, data, f.choices_from_field)
            else:
                opts = [(c.label, c.value) for c in f.choices]
            sv.options = [(token(v), label, token(v) == current) for label, v in opts]
            if current and not any(o[2] for o in sv.options):
                # Keep a choice whose source answer has changed, so nothing is lost silently.
                sv.options.append((current, f"{current} (no longer offered)", True))
        elif kind == "ranking_order":
            ranked = [
                v for v in data.getlist(name) if v.isdigit() and int(v) < len(self.spec.attachments)
            ]
            n = len(ranked)
            for pos, v in enumerate(ranked):
                i = int(v)
                tag = ""
                if pos == 0 and f.first_label:
                    tag = f.first_label
                elif pos == f.num_items_to_rank - 1 and f.last_label:
                    tag = f.last_label
                sv.ranked.append(
                    {"index": i, "label": self._attachment_label(i), "position": pos + 1,
                     "tag": tag, "first": pos == 0, "last": pos == n - 1}
                )  # fmt: skip
            sv.unranked = [
                {"index": i, "label": self._attachment_label(i)}
                for i in range(len(self.spec.attachments))
                if str(i) not in ranked
            ]
            sv.value = "full" if n >= f.num_items_to_rank else ""
        elif kind == "datetime":
            sv.parts = {p: data.get(f"{name}-{p}") or "" for p in f.include}
        elif kind == "time_range":
            sv.parts = {"from": data.get(f"{name}-from") or "", "to": data.get(f"{name}-to") or ""}
        else:
            sv.value = data.get(name) or ""

    def _choice(self, c: Choice, picked: set[str], name: str, order: dict[str, int]) -> ChoiceView:
        view = ChoiceView(
            choice=c,
            checked=c.token in picked,
            children=[self._choice(s, picked, name, order) for s in c.subchoices],
        )
        if c.is_leaf:
            view.id = f"{name}-c{order[c.token]}"
        return view


def time_step_hint(f: Field) -> str:
    return describe_seconds(f.increment_seconds)
