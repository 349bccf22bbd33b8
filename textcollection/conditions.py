"""The condition grammar of TextCollection fields (docs/textcollection.md).

    conditions := [ set, ... ]          shown if ANY set holds
    set        := { field_id: expr, ... }  holds if EVERY expr holds for its field
    expr       := scalar                 holds if that value is selected
                | [ ]                    holds if NOTHING is selected
                | [ expr, ... ]          OR: holds if any expr holds
                | { }                    always holds
                | { "not": expr }        NOT: holds if expr does not hold

A field's "selection" is the set of values it currently has: the chosen leaf
values of a category field (all responses together), the chosen option of a
select field, true/false of a boolean field. A hidden or unanswered field has
the empty selection. Values compare by their text form (`schema.token`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from labeling.errors import Problems

if TYPE_CHECKING:
    from textcollection.schema import Field

EMPTY: frozenset[str] = frozenset()

# Expression nodes: ("value", token, raw) | ("empty",) | ("or", [expr]) | ("true",) | ("not", expr)
Expr = tuple


@dataclass(frozen=True)
class Conditions:
    """Parsed `conditions`: a list of sets, each a tuple of (field_id, expr, path)."""

    sets: tuple[tuple[tuple[str, Expr, str], ...], ...]

    def field_ids(self) -> set[str]:
        return {fid for s in self.sets for fid, _e, _p in s}

    def references(self) -> Iterator[tuple[str, str]]:
        for s in self.sets:
            for fid, _expr, where in s:
                yield fid, where

    def holds(self, selections: Mapping[str, frozenset[str]]) -> bool:
        return any(
            all(evaluate(expr, selections.get(fid, EMPTY)) for fid, expr, _w in s)
            for s in self.sets
        )


def evaluate(expr: Expr, selection: frozenset[str]) -> bool:
    kind = expr[0]
    if kind == "value":
        return expr[1] in selection
    if kind == "empty":
        return not selection
    if kind == "or":
        return any(evaluate(e, selection) for e in expr[1])
    if kind == "true":
        return True
    if kind == "not":
        return not evaluate(expr[1], selection)
    raise ValueError(f"unknown condition node {kind!r}")


def parse_conditions(raw: Any, path: str, problems: Problems) -> Conditions | None:
    """Parse a field's `conditions` (path is e.g. "fields[2].conditions")."""
    if not isinstance(raw, list) or not raw:
        problems.add(
            path,
            "must be a non-empty list of condition sets (objects); use [{}] to always show the field",
        )
        return None
    sets = []
    for i, raw_set in enumerate(raw):
        if not isinstance(raw_set, dict):
            problems.add(f"{path}[{i}]", "must be an object mapping field_ids to expected values")
            continue
        items = []
        for fid, raw_expr in raw_set.items():
            where = f"[{i}].{fid}"
            expr = parse_expr(raw_expr, f"{path}{where}", problems)
            if expr is not None:
                items.append((fid, expr, where))
        sets.append(tuple(items))
    return Conditions(tuple(sets))


def parse_expr(raw: Any, path: str, problems: Problems) -> Expr | None:
    from textcollection.schema import token

    if isinstance(raw, (str, bool, int, float)):
        return ("value", token(raw), raw)
    if isinstance(raw, list):
        if not raw:
            return ("empty",)
        parts = [parse_expr(item, f"{path}[{j}]", problems) for j, item in enumerate(raw)]
        if any(p is None for p in parts):
            return None
        return ("or", parts)
    if isinstance(raw, dict):
        if not raw:
            return ("true",)
        extra = [k for k in raw if k != "not"]
        if extra:
            problems.add(
                f"{path}.{extra[0]}",
                'only "not" may appear in an object inside a condition value',
            )
            return None
        inner = parse_expr(raw["not"], f"{path}.not", problems)
        return None if inner is None else ("not", inner)
    problems.add(path, "must be a choice value (string, number, boolean), a list, or {not: ...}")
    return None


def _values(expr: Expr, path: str) -> Iterator[tuple[str, Any, str]]:
    kind = expr[0]
    if kind == "value":
        yield expr[1], expr[2], path
    elif kind == "or":
        for j, e in enumerate(expr[1]):
            yield from _values(e, f"{path}[{j}]")
    elif kind == "not":
        yield from _values(expr[1], f"{path}.not")


def check_values(
    conditions: Conditions, dep_id: str, dep: Field, *, path_prefix: str, problems: Problems
) -> None:
    """Every value a condition tests must be one the dependent field can have."""
    if dep.type == "boolean":
        allowed: set[str] | None = {"true", "false"}
    elif dep.type == "select" and dep.choices_from_field:
        allowed = None  # options come from another field's answers at labeling time
    else:
        allowed = {c.token for c in dep.leaves()}
    if allowed is None:
        return
    for s in conditions.sets:
        for fid, expr, where in s:
            if fid != dep_id:
                continue
            for tok, raw, vpath in _values(expr, f"{path_prefix}{where}"):
                if tok not in allowed:
                    problems.add(vpath, f"{raw!r} is not a selectable value of field {dep_id!r}")


def visibility(fields: list[Field], selection_of: Mapping[str, frozenset[str]]) -> dict[str, bool]:
    """field_id -> shown, for every field in the tree.

    A field is shown if its group is shown and its conditions hold, where a
    hidden dependency counts as unanswered (empty selection). References are
    acyclic (checked at creation), so the recursion ends."""
    by_id: dict[str, Field] = {}
    stack = list(fields)
    while stack:
        f = stack.pop()
        by_id[f.field_id] = f
        stack.extend(f.children)
    shown: dict[str, bool] = {}

    def effective(fid: str) -> frozenset[str]:
        return selection_of.get(fid, EMPTY) if is_shown(by_id[fid]) else EMPTY

    def is_shown(f: Field) -> bool:
        if f.field_id in shown:
            return shown[f.field_id]
        result = True
        if f.parent is not None and not is_shown(f.parent):
            result = False
        elif f.conditions is not None:
            result = any(
                all(evaluate(expr, effective(fid)) for fid, expr, _w in s)
                for s in f.conditions.sets
            )
        shown[f.field_id] = result
        return result

    for f in by_id.values():
        is_shown(f)
    return shown
