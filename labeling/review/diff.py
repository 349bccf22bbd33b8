"""A generic JSON diff: what a worker changed from the hypothesis."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from labeling.errors import join_path

_MISSING = object()


@dataclass(frozen=True)
class Change:
    path: str
    kind: str  # "added", "removed" or "changed"
    before: Any = None
    after: Any = None


def json_diff(before: Any, after: Any, path: str = "") -> list[Change]:
    """Changes from `before` to `after`, each at the path of the value
    (`annotations.item_name`, `annotations.tags[1]`), in document order."""
    if isinstance(before, dict) and isinstance(after, dict):
        changes: list[Change] = []
        for key in [*before, *(k for k in after if k not in before)]:
            sub = join_path(path, str(key)) if path else str(key)
            b, a = before.get(key, _MISSING), after.get(key, _MISSING)
            if b is _MISSING:
                changes.append(Change(sub, "added", after=a))
            elif a is _MISSING:
                changes.append(Change(sub, "removed", before=b))
            else:
                changes.extend(json_diff(b, a, sub))
        return changes
    if isinstance(before, list) and isinstance(after, list):
        changes = []
        for i in range(max(len(before), len(after))):
            sub = f"{path}[{i}]"
            if i >= len(before):
                changes.append(Change(sub, "added", after=after[i]))
            elif i >= len(after):
                changes.append(Change(sub, "removed", before=before[i]))
            else:
                changes.extend(json_diff(before[i], after[i], sub))
        return changes
    if before == after and type(before) is type(after):
        return []
    return [Change(path or "(whole value)", "changed", before=before, after=after)]
