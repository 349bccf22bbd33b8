"""Label Studio JSON exports → our task payloads (manage.py import_labelstudio).

A Label Studio export is a list of tasks: `{"id", "data": {...}, "annotations":
[{"result": [...], "was_cancelled", ...}], "predictions": [...]}`. Each task
becomes one task payload for `services.create_task` (so the usual validation
applies), with the chosen annotation carried as `hypothesis`, so workers
continue where the Label Studio annotators were. The mapping is documented in
docs/migrate-from-label-studio.md.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from labeling.imports import Record

NER = "namedentityrecognition"
TEXTCOLLECTION = "textcollection"
OFFSET_MODES = ("auto", "codepoints", "utf16")
IMAGE_EXT = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".svg", ".tif", ".tiff")
AUDIO_EXT = (".mp3", ".wav", ".ogg", ".flac", ".m4a")
VIDEO_EXT = (".mp4", ".webm", ".mov", ".mkv")


class ConversionError(ValueError):
    """A Label Studio task that cannot become one of ours; the message names the place."""


@dataclass
class Converted:
    payload: dict[str, Any]
    warnings: list[str] = field(default_factory=list)


# ------------------------------------------------------------------ reading


def read_export(path: Path) -> list[Any]:
    """The export's tasks (a JSON list; a JSONL file of tasks is accepted too)."""
    text = path.read_text(encoding="utf-8-sig")
    stripped = text.lstrip()
    if stripped.startswith("["):
        tasks = json.loads(text)
    else:
        tasks = [json.loads(line) for line in text.splitlines() if line.strip()]
    return tasks


def records(
    tasks: list[Any],
    *,
    project: Any,
    text_key: str | None,
    offsets: str,
    on_warning: Callable[[str], None],
) -> Iterator[Record]:
    """A Record per Label Studio task, ready for imports.import_records; what
    was left out of a task that still converts goes to `on_warning`."""
    for index, ls_task in enumerate(tasks):
        where = _where(index, ls_task)
        raw = json.dumps(ls_task, ensure_ascii=False)
        try:
            converted = convert_task(
                ls_task,
                project_type=project.type,
                params=project.params,
                text_key=text_key,
                offsets=offsets,
            )
        except ConversionError as exc:
            yield Record(index + 1, error=str(exc), raw=raw, where=where)
            continue
        for warning in converted.warnings:
            on_warning(f"{where}: {warning}")
        yield Record(index + 1, payload=converted.payload, raw=raw, where=where)


def _where(index: int, ls_task: Any) -> str:
    ls_id = ls_task.get("id") if isinstance(ls_task, dict) else None
    return f"task #{index + 1}" + (f" (Label Studio id {ls_id})" if ls_id is not None else "")


# ------------------------------------------------------------------ converting


def convert_task(
    ls_task: Any,
    *,
    project_type: str,
    params: dict[str, Any],
    text_key: str | None = None,
    offsets: str = "auto",
) -> Converted:
    if not isinstance(ls_task, dict) or not isinstance(ls_task.get("data"), dict):
        raise ConversionError("data: a Label Studio task needs a `data` object")
    data = ls_task["data"]
    payload: dict[str, Any] = {}
    result, source = choose_result(ls_task)
    origin: dict[str, Any] = {}
    if ls_task.get("id") is not None:
        # Keyed by Label Studio's ids, so importing the export again (or a
        # later export of the same project) never creates a task twice.
        ls_project = ls_task.get("project")
        key = f"{ls_project}:{ls_task['id']}" if ls_project is not None else f"{ls_task['id']}"
        payload["unique_id"] = f"labelstudio:{key}"
        origin["id"] = ls_task["id"]
        if ls_project is not None:
            origin["project"] = ls_project
    if source:
        origin["hypothesis_from"] = source
    if origin:
        payload["metadata"] = {"labelstudio": origin}
    converted = Converted(payload)
    if project_type == NER:
        text = _text(data, text_key)
        payload["text"] = text
        if result:
            payload["hypothesis"] = ner_hypothesis(text, result, offsets, converted.warnings)
    elif project_type == TEXTCOLLECTION:
        payload["attachments"] = attachments(data, converted.warnings)
        if result:
            hypothesis = textcollection_hypothesis(params, result, converted.warnings)
            if hypothesis["annotations"]:
                payload["hypothesis"] = hypothesis
    else:
        raise ConversionError(f"project type {project_type!r} cannot take Label Studio tasks")
    return converted


def choose_result(ls_task: dict[str, Any]) -> tuple[list[Any], str]:
    """The result list to carry over, and where it came from.

    Of the annotations not cancelled: a ground-truth one first, else the most
    recently updated. With no annotation, the most recent prediction (model
    pre-labels are what a hypothesis is for)."""
    annotations = [
        a
        for a in ls_task.get("annotations") or ls_task.get("completions") or []
        if isinstance(a, dict) and not a.get("was_cancelled")
    ]
    if annotations:
        best = max(
            enumerate(annotations),
            key=lambda ia: (
                bool(ia[1].get("ground_truth")),
                str(ia[1].get("updated_at") or ia[1].get("created_at") or ""),
                ia[0],
            ),
        )[1]
        return list(best.get("result") or []), "annotation"
    predictions = [p for p in ls_task.get("predictions") or [] if isinstance(p, dict)]
    if predictions:
        best = max(
            enumerate(predictions), key=lambda ip: (str(ip[1].get("created_at") or ""), ip[0])
        )[1]
        return list(best.get("result") or []), "prediction"
    return [], ""


def _text(data: dict[str, Any], text_key: str | None) -> str:
    if text_key is not None:
        value = data.get(text_key)
        if not isinstance(value, str):
            raise ConversionError(f"data.{text_key}: must be a string (the text to label)")
        return value
    if isinstance(data.get("text"), str):
        return data["text"]
    strings = [k for k, v in data.items() if isinstance(v, str)]
    if len(strings) == 1:
        return data[strings[0]]
    raise ConversionError(
        "data: no `text` key and not exactly one string value; name the key with --text-key"
    )


# ------------------------------------------------------------------ offsets


def utf16_to_codepoints(text: str, unit: int) -> int | None:
    """The code point offset at UTF-16 offset `unit`, or None if it splits a
    surrogate pair or lies outside the text."""
    units = 0
    for i, ch in enumerate(text):
        if units == unit:
            return i
        if units > unit:
            return None
        units += 2 if ord(ch) > 0xFFFF else 1
    return len(text) if units == unit else None


def span_offsets(text: str, value: dict[str, Any], mode: str, where: str) -> tuple[int, int]:
    """Our code point (start, end) for a Label Studio span.

    Label Studio's front end counted UTF-16 code units (JavaScript string
    indexes) until it switched to code points in 2022, so exports of either
    kind exist. "auto" takes whichever reading makes text[start:end] equal the
    span's own `text`; without a `text` to check, code points (today's)."""
    start, end = value.get("start"), value.get("end")
    if not (isinstance(start, int) and isinstance(end, int)) or isinstance(start, bool):
        raise ConversionError(f"{where}.value: start and end must be integers")
    expected = value.get("text")
    readings: list[tuple[str, int | None, int | None]] = []
    if mode in ("auto", "codepoints"):
        readings.append(("code points", start, end))
    if mode in ("auto", "utf16"):
        readings.append(
            ("UTF-16", utf16_to_codepoints(text, start), utf16_to_codepoints(text, end))
        )
    for _name, s, e in readings:
        if s is None or e is None or not 0 <= s < e <= len(text):
            continue
        if not isinstance(expected, str) or text[s:e] == expected:
            return s, e
    tried = " or ".join(name for name, _, _ in readings)
    found = f"{expected!r} is not" if isinstance(expected, str) else "nothing is"
    raise ConversionError(f"{where}.value: {found} at {start}..{end} of the text (read as {tried})")


# ------------------------------------------------------------------ NER


def ner_hypothesis(
    text: str, result: list[Any], offsets: str, warnings: list[str]
) -> dict[str, Any]:
    annotations: list[dict[str, Any]] = []
    relationships: list[dict[str, Any]] = []
    first_id: dict[str, str] = {}
    relations = []
    for i, item in enumerate(result):
        where = f"result[{i}]"
        if not isinstance(item, dict):
            raise ConversionError(f"{where}: must be an object")
        kind = item.get("type")
        if kind == "relation":
            relations.append((where, item))
            continue
        if kind != "labels":
            warnings.append(f"{where}: a {kind!r} result has no place in an NER task; left out")
            continue
        value = item.get("value") or {}
        start, end = span_offsets(text, value, offsets, where)
        labels = value.get("labels") or []
        if not labels:
            raise ConversionError(f"{where}.value.labels: a span needs a label")
        region = str(item.get("id") or f"r{i}")
        # One of our annotations has one label; a span with several becomes
        # several annotations, and relations attach to the first.
        for n, label in enumerate(labels):
            ann_id = region if n == 0 else f"{region}:{label}"
            annotations.append(
                {"id": ann_id, "start": start, "end": end, "text": text[start:end], "label": label}
            )
        first_id[region] = region
    for where, item in relations:
        source, target = str(item.get("from_id")), str(item.get("to_id"))
        if source not in first_id or target not in first_id:
            raise ConversionError(f"{where}: from_id/to_id must name spans of this annotation")
        if item.get("direction") == "left":
            source, target = target, source
        names = item.get("labels") or [None]
        for n, name in enumerate(names):
            rel = {
                "id": f"{source}->{target}" + (f":{n}" if n else ""),
                "source_ref": source,
                "target_ref": target,
            }
            if name:
                rel["name"] = name
            relationships.append(rel)
    return {"annotations": annotations, "relationships": relationships}


# ------------------------------------------------------------------ TextCollection


def attachments(data: dict[str, Any], warnings: list[str]) -> list[dict[str, str]]:
    """One attachment per string in `data`, typed by what it looks like."""
    out = []
    for key, value in data.items():
        if not isinstance(value, str):
            warnings.append(f"data.{key}: not a string; left out of the attachments")
            continue
        out.append({"type": _attachment_type(value), "content": value})
    return out


def _attachment_type(value: str) -> str:
    lowered = value.lower()
    if not lowered.startswith(("http://", "https://")):
        return "text"
    path = lowered.split("?", 1)[0]
    if path.endswith(IMAGE_EXT):
        return "image"
    if path.endswith(AUDIO_EXT):
        return "audio"
    if path.endswith(VIDEO_EXT):
        return "video"
    if path.endswith(".pdf"):
        return "pdf"
    return "website"


def textcollection_hypothesis(
    params: dict[str, Any], result: list[Any], warnings: list[str]
) -> dict[str, Any]:
    """Choices → a category (or select) field, TextArea → a text field, each
    matched by Label Studio's control name (`from_name`) = our `field_id`."""
    types = {
        f.get("field_id"): f.get("type") for f in params.get("fields") or [] if isinstance(f, dict)
    }
    entries: dict[str, Any] = {}
    for i, item in enumerate(result):
        where = f"result[{i}]"
        if not isinstance(item, dict):
            raise ConversionError(f"{where}: must be an object")
        kind, name, value = item.get("type"), item.get("from_name"), item.get("value") or {}
        if kind == "choices":
            responses: list[Any] = [list(value.get("choices") or [])]
            default_type = "category"
        elif kind == "textarea":
            responses = list(value.get("text") or [])
            default_type = "text"
        else:
            warnings.append(f"{where}: a {kind!r} result has no TextCollection field; left out")
            continue
        if name not in types:
            warnings.append(f"{where}: no field_id {name!r} in the project's fields; left out")
            continue
        entries[name] = {
            "type": types[name] or default_type,
            "field_id": name,
            "response": responses,
        }
    return {"annotations": entries}
