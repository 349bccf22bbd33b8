"""Bulk import of task payloads from JSONL or a JSON list (manage.py import_tasks).

Every line goes through `services.create_task`, the same validation as
POST /v1/task/<type>, so a file can never create a task the API would refuse.
A bad line is reported with its line number and does not stop the others.

Re-running the same file is safe: each task is keyed by its `unique_id`, or,
when the line has none, by a content key `import:sha256:<hex>` stored as the
task's unique_id (see docs/data.md for why, and what that means for API users).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from django.db import transaction

from labeling import services
from labeling.errors import ValidationProblem
from labeling.models import Account, Batch, Project, Task

CONTENT_KEY_PREFIX = "import:sha256:"
# Lines per transaction: one commit per line would make SQLite fsync 10,000
# times; a failed line only rolls back its own savepoint inside create_task.
CHUNK_SIZE = 200


@dataclass
class Record:
    """One task payload read from the file, or why it could not be read."""

    line: int
    payload: Any = None
    error: str | None = None
    raw: str = ""
    # How messages name the record, when "line N" is not it (Label Studio tasks).
    where: str = ""


@dataclass
class Rejection:
    line: int
    message: str
    raw: str = ""
    where: str = ""

    @property
    def place(self) -> str:
        return self.where or f"line {self.line}"


@dataclass
class ImportReport:
    total: int = 0
    created: int = 0
    existing: int = 0
    rejected: list[Rejection] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.rejected


# ------------------------------------------------------------------ reading


def _first_significant_byte(path: Path) -> bytes:
    with path.open("rb") as f:
        while chunk := f.read(4096):
            stripped = chunk.lstrip().removeprefix(b"\xef\xbb\xbf").lstrip()
            if stripped:
                return stripped[:1]
    return b""


def read_records(path: Path) -> tuple[int, Iterator[Record]]:
    """(number of records, records) for a JSONL file or a JSON list.

    JSONL is streamed line by line (constant memory, any size); a JSON list
    has to be parsed whole, so JSONL is the format for big files."""
    if _first_significant_byte(path) == b"[":
        records = list(_read_json_list(path))
        return len(records), iter(records)
    with path.open("rb") as f:
        total = sum(1 for line in f if line.strip())
    return total, _read_jsonl(path)


def _read_jsonl(path: Path) -> Iterator[Record]:
    with path.open("rb") as f:
        for number, raw_bytes in enumerate(f, start=1):
            if number == 1:
                raw_bytes = raw_bytes.removeprefix(b"\xef\xbb\xbf")
            if not raw_bytes.strip():
                continue
            try:
                raw = raw_bytes.decode("utf-8").rstrip("\r\n")
            except UnicodeDecodeError as exc:
                yield Record(number, error=f"not valid UTF-8 (byte {exc.start + 1})")
                continue
            try:
                payload = json.loads(raw)
            except json.JSONDecodeError as exc:
                yield Record(number, error=f"invalid JSON: {exc.msg} (column {exc.colno})", raw=raw)
                continue
            yield Record(number, payload=payload, raw=raw)


def _read_json_list(path: Path) -> Iterator[Record]:
    """Items of a top-level JSON list, each with the line it starts on."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        yield Record(1, error=f"not valid UTF-8 (byte {exc.start + 1})")
        return
    decoder = json.JSONDecoder()
    pos = text.index("[") + 1
    line, counted_to = 1, 0

    def line_at(index: int) -> int:
        nonlocal line, counted_to
        line += text.count("\n", counted_to, index)
        counted_to = index
        return line

    def skip_ws(index: int) -> int:
        while index < len(text) and text[index] in " \t\r\n":
            index += 1
        return index

    pos = skip_ws(pos)
    if pos < len(text) and text[pos] == "]":
        return
    while True:
        pos = skip_ws(pos)
        try:
            item, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            # The rest of the list cannot be told apart reliably: stop here.
            yield Record(
                line_at(exc.pos), error=f"invalid JSON: {exc.msg}; the rest of the file is skipped"
            )
            return
        # raw is re-serialized on one line, so a rejects file is valid JSONL.
        yield Record(line_at(pos), payload=item, raw=json.dumps(item, ensure_ascii=False))
        pos = skip_ws(end)
        if pos < len(text) and text[pos] == ",":
            pos += 1
            continue
        if pos < len(text) and text[pos] == "]":
            return
        yield Record(line_at(pos), error="invalid JSON: expected ',' or ']' after an item")
        return


# ------------------------------------------------------------------ keys


def content_key(project: Project, payload: dict[str, Any]) -> str:
    """The unique_id given to a line that has none: a hash of the project and
    the line's content (keys sorted, so formatting and key order don't matter)."""
    canonical = json.dumps(
        {k: v for k, v in payload.items() if k not in ("project", "batch")},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    digest = hashlib.sha256(f"{project.pk}\n{canonical}".encode()).hexdigest()
    return CONTENT_KEY_PREFIX + digest


# ------------------------------------------------------------------ importing


def import_records(
    *,
    account: Account,
    project: Project,
    batch: Batch | None,
    records: Iterable[Record],
    on_progress: Callable[[int], None] | None = None,
    on_reject: Callable[[Rejection], None] | None = None,
) -> ImportReport:
    """Create a task per good record; report each bad one and go on."""
    report = ImportReport()

    def reject(record: Record, message: str) -> None:
        rejection = Rejection(record.line, message, record.raw, record.where)
        report.rejected.append(rejection)
        if on_reject:
            on_reject(rejection)

    iterator = iter(records)
    while chunk := list(islice(iterator, CHUNK_SIZE)):
        report.total += len(chunk)
        keyed: list[tuple[Record, dict[str, Any], str]] = []
        for record in chunk:
            if record.error:
                reject(record, record.error)
                continue
            problem = _check_payload(record.payload, project, batch)
            if problem:
                reject(record, problem)
                continue
            payload = dict(record.payload)
            key = payload.get("unique_id")
            if key is None:
                key = content_key(project, payload)
            keyed.append((record, payload, key))
        existing = _existing_tasks(account, [k for _, _, k in keyed if isinstance(k, str)])
        with transaction.atomic():
            for record, payload, key in keyed:
                if isinstance(key, str) and key in existing:
                    other_project = existing[key]
                    if other_project == project.name:
                        report.existing += 1
                    else:
                        reject(
                            record,
                            f"unique_id: a task with unique_id {key!r} already exists "
                            f"in project {other_project!r}",
                        )
                    continue
                payload["project"] = project.name
                if batch is not None:
                    payload["batch"] = batch.name
                payload["unique_id"] = key
                try:
                    services.create_task(account=account, type_name=project.type, payload=payload)
                except ValidationProblem as exc:
                    reject(record, str(exc))
                    continue
                except services.Conflict:
                    report.existing += 1  # created by a concurrent run, or twice in this chunk
                    continue
                except services.NotFound as exc:
                    reject(record, str(exc))
                    continue
                if isinstance(key, str):
                    existing[key] = project.name
                report.created += 1
        if on_progress:
            on_progress(len(chunk))
    return report


def _check_payload(payload: Any, project: Project, batch: Batch | None) -> str | None:
    if not isinstance(payload, dict):
        return "must be a JSON object (one task's params per line)"
    # The command line says where tasks go; a line naming somewhere else is
    # more likely a mistake than an instruction, so it is refused, not moved.
    given_project = payload.get("project")
    if given_project is not None and given_project != project.name:
        return f"project: the line says {given_project!r} but --project is {project.name!r}"
    given_batch = payload.get("batch")
    expected_batch = batch.name if batch else None
    if given_batch is not None and given_batch != expected_batch:
        return f"batch: the line says {given_batch!r} but --batch is {expected_batch!r}"
    return None


def _existing_tasks(account: Account, keys: list[str]) -> dict[str, str]:
    """unique_id -> project name, for the keys that already have a task."""
    if not keys:
        return {}
    rows = Task.objects.for_account(account).filter(unique_id__in=keys)
    return dict(rows.values_list("unique_id", "project__name"))


# ------------------------------------------------------------------ lookups


def find_project(name: str, account_name: str | None = None) -> Project:
    """The project called `name`, in `account_name` or, when that is not given,
    in whichever single account has a project of that name.

    Raises services.NotFound with a message fit for the command line."""
    projects = Project.objects.select_related("account").filter(name=name)
    if account_name is not None:
        projects = projects.filter(account__name=account_name)
    found = list(projects[:2])
    if not found:
        where = f" in account {account_name!r}" if account_name else ""
        raise services.NotFound(f"no project named {name!r}{where}")
    if len(found) > 1:
        raise services.NotFound(f"several accounts have a project named {name!r}: give --account")
    return found[0]


def find_batch(project: Project, name: str | None) -> Batch | None:
    if name is None:
        return None
    batch = Batch.objects.filter(account=project.account_id, name=name).first()
    if batch is None:
        raise services.NotFound(
            f"no batch named {name!r}: create it first (POST /v1/batches) and run again"
        )
    if batch.project_id != project.pk:
        raise services.NotFound(f"batch {name!r} belongs to another project, not {project.name!r}")
    return batch
