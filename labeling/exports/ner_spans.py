"""NER responses as spans over the task text, for the token-based exports
(spaCy, CoNLL). Offsets in responses are code points, `end` exclusive."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from labeling.models import Task

# CoNLL tokens: runs of word characters, or single other non-space characters
# ("Wang's" → Wang ' s; "U.S." → U . S .). Tokens never contain whitespace, so
# a space can separate CoNLL columns.
TOKEN_RE = re.compile(r"\w+|[^\w\s]")


@dataclass(frozen=True)
class Entity:
    start: int
    end: int
    label: str
    id: str = ""
    text: str = ""
    attributes: bool = False


def task_text(task: Task) -> str:
    text = task.params.get("text") if isinstance(task.params, dict) else None
    return text if isinstance(text, str) else ""


def entities(task: Task, note: Callable[[str], None]) -> list[Entity] | None:
    """The response's annotations as Entities; None when the task has no response.

    Annotations whose offsets don't fit the text are left out with a note (the
    response was validated when saved, so this only guards hand-edited data)."""
    response = task.response
    if not isinstance(response, dict):
        return None
    text = task_text(task)
    found = []
    for i, ann in enumerate(response.get("annotations") or []):
        if not isinstance(ann, dict):
            continue
        start, end, label = ann.get("start"), ann.get("end"), ann.get("label")
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
            note(f"task {task.task_id}: annotations[{i}] has offsets outside the text; left out")
            continue
        found.append(
            Entity(
                start,
                end,
                str(label),
                str(ann.get("id", "")),
                text[start:end],
                attributes=bool(ann.get("attributes")),
            )
        )
    return sorted(found, key=lambda e: (e.start, e.end))


def relationships(task: Task) -> list[dict[str, Any]]:
    response = task.response if isinstance(task.response, dict) else {}
    return [r for r in response.get("relationships") or [] if isinstance(r, dict)]


def longest_first(ranges: list[tuple[int, int, Any]]) -> tuple[list[Any], list[Any]]:
    """Keep a set of non-overlapping ranges: longest first, then the earliest;
    return (kept, dropped) payloads. The same rule as spaCy's filter_spans, so
    the CoNLL and spaCy exports keep the same entities."""
    kept: list[tuple[int, int, Any]] = []
    dropped = []
    for start, end, payload in sorted(ranges, key=lambda r: (-(r[1] - r[0]), r[0])):
        if any(start < k_end and k_start < end for k_start, k_end, _ in kept):
            dropped.append(payload)
        else:
            kept.append((start, end, payload))
    kept.sort(key=lambda r: r[0])
    return [p for _, _, p in kept], dropped
