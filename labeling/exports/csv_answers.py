"""CSV: TextCollection answers, one row per task, one column per field_id.

Columns: `task_id`, `unique_id`, `status`, then the answers in the order the
fields first appear. Nested answers become dotted columns:

- a FieldSet or FormField answer (an object) → `parent.child`;
- a repeated FieldSet/FormField or any list of objects or lists
  (max_responses_required > 1) → `parent.0.child`, `parent.1.child`, ...;
- a list of plain values (category choices, a time range, repeated text) →
  one cell, the values joined with `|`; a `|` or `\\` inside a value is escaped
  with a backslash (`\\|`, `\\\\`) so `split_list_cell` gets the values back;
- true/false for booleans, numbers as JSON writes them, an empty cell for
  null or a field with no answer.

A field_id that would collide with `task_id`, `unique_id` or `status` is
written as `annotations.<field_id>`.

Columns must be known before the first row, so the export reads the
responses twice (two streaming passes; nothing is held but the column names).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from typing import Any, TextIO

from django.db.models import QuerySet

from labeling.exports import CHUNK_SIZE, ExportReport, stream
from labeling.models import Task

NAME = "csv"
BINARY = False
TASK_TYPES = frozenset({"textcollection"})
SEPARATOR = "|"
FIXED_COLUMNS = ("task_id", "unique_id", "status")


def escape_item(value: str) -> str:
    return value.replace("\\", "\\\\").replace(SEPARATOR, "\\" + SEPARATOR)


def split_list_cell(cell: str) -> list[str]:
    """The values of a joined cell: the inverse of the export's join."""
    if cell == "":
        return []
    items, current, chars = [], [], iter(cell)
    for ch in chars:
        if ch == "\\":
            current.append(next(chars, "\\"))
        elif ch == SEPARATOR:
            items.append("".join(current))
            current = []
        else:
            current.append(ch)
    items.append("".join(current))
    return items


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _is_plain(value: Any) -> bool:
    return not isinstance(value, (dict, list))


def flatten(value: Any, prefix: str = "") -> Iterator[tuple[str, str]]:
    """(column, cell) pairs for one answer tree."""
    if isinstance(value, dict):
        for key, child in value.items():
            yield from flatten(child, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(value, list) and not all(_is_plain(v) for v in value):
        for i, child in enumerate(value):
            yield from flatten(child, f"{prefix}.{i}")
    elif isinstance(value, list):
        yield prefix, SEPARATOR.join(escape_item(cell(v)) for v in value)
    else:
        yield prefix, cell(value)


def answers(response: Any) -> dict[str, str]:
    if not isinstance(response, dict):
        return {}
    tree = response.get("annotations", response)
    row = {}
    for column, value in flatten(tree):
        if column in FIXED_COLUMNS:
            column = f"annotations.{column}"
        row[column] = value
    return row


def write(
    tasks: QuerySet[Task],
    out: TextIO,
    *,
    report: ExportReport,
    advance: Callable[[int], None],
    options: dict[str, Any],
) -> None:
    columns: dict[str, None] = {}  # an ordered set
    for response in tasks.values_list("response", flat=True).iterator(chunk_size=CHUNK_SIZE):
        columns.update(dict.fromkeys(answers(response)))
    writer = csv.DictWriter(out, fieldnames=[*FIXED_COLUMNS, *columns])
    writer.writeheader()
    for task in stream(tasks):
        writer.writerow(
            {
                "task_id": task.task_id,
                "unique_id": task.unique_id or "",
                "status": task.status,
                **answers(task.response),
            }
        )
        report.exported += 1
        advance(1)
