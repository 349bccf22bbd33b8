"""The labeling form: a Django Form built from a task's params and the posted data.

One form field per response slot (see layout.py for the names) cleans that
response; `clean()` then applies the cross-field rules: conditions (a hidden
field is not required, not validated, and left out of the response), required
and min/max responses, FieldSet completeness. `self.response` is the
callback response when the form is valid.
"""

from __future__ import annotations

from typing import Any

from django import forms

from labeling.errors import ValidationProblem
from labeling.schemas import check_storable
from textcollection import values
from textcollection.conditions import visibility
from textcollection.layout import Layout, Node, build_layout, raw_input, selections, source_options
from textcollection.schema import Field, Spec


class SlotWidget(forms.Widget):
    """Reads one response slot's raw input (a string, a list, or parts)."""

    def __init__(self, spec_field: Field):
        super().__init__()
        self.spec_field = spec_field

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return raw_input(self.spec_field, data, name)


class SlotField(forms.Field):
    """One response of one TextCollection field. Emptiness is allowed here:
    whether an answer is needed depends on visibility, decided in clean()."""

    def __init__(self, spec_field: Field, options: Any = None):
        super().__init__(required=False, widget=SlotWidget(spec_field))
        self.spec_field = spec_field
        self.options = options

    def clean(self, value: Any) -> Any:
        try:
            # What a worker types is stored in jsonb on PostgreSQL, which
            # cannot hold U+0000 (nor can any UTF-8 column hold a lone surrogate).
            check_storable(value)
        except ValidationProblem as exc:
            raise forms.ValidationError("Remove the NUL character or invalid text.") from exc
        try:
            parsed = values.parse_input(self.spec_field, value)
            if parsed is None:
                return None
            return values.check(self.spec_field, parsed, self.options)
        except values.Invalid as exc:
            raise forms.ValidationError(str(exc)) from exc


class GroupField(forms.Field):
    """Holds errors about a whole field (missing answers, too few responses)."""

    widget = forms.HiddenInput

    def __init__(self) -> None:
        super().__init__(required=False)

    def clean(self, value: Any) -> None:
        return None


class TextCollectionForm(forms.Form):
    def __init__(self, spec: Spec, data: Any, *, n_attachments: int = 0):
        super().__init__(data)
        self.spec = spec
        self.layout: Layout = build_layout(spec, data)
        self.selections = selections(self.layout, data)
        self.visible = visibility(spec.fields, self.selections)
        self.response: dict[str, Any] | None = None
        for node in self.layout.walk():
            self.fields[node.prefix] = GroupField()
            if node.field.is_group:
                continue
            options: Any = None
            if node.field.choices_from_field:
                options = source_options(self.layout, data, node.field.choices_from_field)
            elif node.field.type == "ranking_order":
                options = n_attachments
            for slot in node.slots:
                self.fields[slot] = SlotField(node.field, options)

    # ------------------------------------------------------------ cross-field rules

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for node in self.layout.nodes:
            self._check(node, enforce=True)
        if not self.errors:
            self.response = {"annotations": self._answers(self.layout.nodes)}
        return cleaned

    def _drop_errors(self, node: Node) -> None:
        for key in [node.prefix, *node.slots]:
            self._errors.pop(key, None)
        for inst in node.instances:
            for child in inst:
                self._drop_errors(child)

    def _check(self, node: Node, *, enforce: bool) -> None:
        f = node.field
        if not self.visible[f.field_id]:
            self._drop_errors(node)
            return
        if f.is_group:
            answered = [self._instance_answered(inst) for inst in node.instances]
            needed = max(f.min_responses, 1) if (f.required or f.type == "form") else 0
            for r, inst in enumerate(node.instances):
                instance_enforced = enforce and (answered[r] or r < needed)
                for child in inst:
                    self._check(child, enforce=instance_enforced)
            count = sum(answered)
        else:
            count = sum(1 for s in node.slots if self.cleaned_data.get(s) is not None)
        if not enforce or f.type == "form":
            return
        if f.required and count < max(f.min_responses, 1):
            self.add_error(node.prefix, _missing(f, count))
        elif 0 < count < f.min_responses:
            self.add_error(
                node.prefix, f"Give at least {f.min_responses} answers, or none (you gave {count})."
            )

    def _instance_answered(self, inst: list[Node]) -> bool:
        for child in inst:
            if not self.visible[child.field_id]:
                continue
            if child.field.is_group:
                if any(self._instance_answered(i) for i in child.instances):
                    return True
            elif any(self.cleaned_data.get(s) is not None for s in child.slots):
                return True
        return False

    # ------------------------------------------------------------ the response

    def _answers(self, nodes: list[Node]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for node in nodes:
            f = node.field
            if not self.visible[f.field_id]:
                continue
            if f.is_group:
                items = [self._answers(inst) for inst in node.instances]
                items = [i for i in items if i]
            else:
                items = [self.cleaned_data.get(s) for s in node.slots]
                items = [i for i in items if i is not None]
            if not items:
                continue
            out[f.field_id] = items if f.repeatable else items[0]
        return out

    def error_places(self) -> dict[str, list[str]]:
        """Errors keyed by a readable place ("summary[1]", "items[0].price")."""
        places = self.layout.places
        return {places.get(k, k): [str(m) for m in v] for k, v in self.errors.items()}


def _missing(f: Field, count: int) -> str:
    need = max(f.min_responses, 1)
    if f.type == "ranking_order":
        return f"Rank {f.num_items_to_rank} items."
    if need == 1:
        return "This field is required."
    return f"Give at least {need} answers (you gave {count})."
