"""One answer of one field, per type: parse what a form posted, check a typed
value against the field's params, and turn a value back into input text.

A "value" is one response in the callback format: text → str, boolean → bool,
number → str (the spec: "returns a string response"), datetime → {part: int},
category → [choice values], select → a choice value, time_range → [start, end]
in seconds since midnight, ranking_order → [attachment indexes], best first.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from textcollection.fields import DATETIME_RANGES, DAY_SECONDS
from textcollection.schema import Field, token

NUMBER_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
TIME_RE = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")


class Invalid(ValueError):
    """A value a field cannot take; the message is shown to the worker."""


def _fmt(number: float) -> str:
    return f"{number:g}" if isinstance(number, float) else str(number)


# ---------------------------------------------------------------- checks


def check(f: Field, value: Any, options: list[tuple[str, Any]] | None = None) -> Any:
    """Check a typed value against f's params; return it normalized or raise Invalid.

    `options` are the select options when they come from another field."""
    return _CHECKS[f.type](f, value, options)


def _check_text(f: Field, value: Any, _o: Any) -> str:
    if not isinstance(value, str):
        raise Invalid("must be a string")
    if not value.strip():
        raise Invalid("must not be empty")
    if f.max_characters is not None and len(value) > f.max_characters:
        raise Invalid(f"must be at most {f.max_characters} characters (it has {len(value)})")
    return value


def _check_boolean(f: Field, value: Any, _o: Any) -> bool:
    if not isinstance(value, bool):
        raise Invalid("must be true or false")
    return value


def _check_number(f: Field, value: Any, _o: Any) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = _fmt(value)
    if not isinstance(value, str) or not NUMBER_RE.match(value.strip()):
        raise Invalid("must be a number, like 11.79")
    text = value.strip()
    number = Decimal(text)
    if f.min is not None and number < Decimal(str(f.min)):
        raise Invalid(f"must be at least {_fmt(f.min)}")
    if f.max is not None and number > Decimal(str(f.max)):
        raise Invalid(f"must be at most {_fmt(f.max)}")
    if f.step is not None:
        base = Decimal(str(f.min)) if f.min is not None else Decimal(0)
        try:
            off = (number - base) % Decimal(str(f.step))
        except InvalidOperation:  # pragma: no cover - Decimal handles any finite input
            off = Decimal(1)
        if off != 0:
            raise Invalid(f"must be a multiple of {_fmt(f.step)} from {_fmt(f.min or 0)}")
    return text


def _check_datetime(f: Field, value: Any, _o: Any) -> dict[str, int]:
    if not isinstance(value, dict):
        raise Invalid("must be an object like {year: 2021, month: 4}")
    extra = set(value) - set(f.include)
    if extra:
        raise Invalid(f"{sorted(extra)[0]} is not one of the parts {', '.join(f.include)}")
    out = {}
    for part in f.include:
        if part not in value:
            raise Invalid(f"needs the {part}")
        v = value[part]
        if not isinstance(v, int) or isinstance(v, bool):
            raise Invalid(f"{part} must be a whole number")
        lo, hi = DATETIME_RANGES[part]
        if not lo <= v <= hi:
            raise Invalid(f"{part} must be between {lo} and {hi}")
        out[part] = v
    if {"year", "month", "day"} <= set(out):
        try:
            date(out["year"], out["month"], out["day"])
        except ValueError as exc:
            raise Invalid(f"is not a real date ({exc})") from exc
    return out


def _check_category(f: Field, value: Any, _o: Any) -> list[Any]:
    if not isinstance(value, list):
        raise Invalid("must be a list of choice values")
    leaves = f.leaf_by_token()
    tokens = []
    for v in value:
        if not isinstance(v, (str, int, float, bool)) or token(v) not in leaves:
            raise Invalid(f"{v!r} is not a selectable choice")
        if token(v) in tokens:
            raise Invalid(f"{v!r} is selected twice")
        tokens.append(token(v))
    if not tokens:
        raise Invalid("must select at least one choice")
    if len(tokens) < f.min_choices:
        raise Invalid(f"select at least {f.min_choices} choices")
    if len(tokens) > f.max_choices:
        raise Invalid(f"select at most {f.max_choices} choice{'s' if f.max_choices > 1 else ''}")
    order = {c.token: i for i, c in enumerate(f.leaves())}
    return [leaves[t].value for t in sorted(tokens, key=order.__getitem__)]


def select_options(f: Field, options: list[tuple[str, Any]] | None) -> list[tuple[str, Any]]:
    """(label, value) pairs a select offers: its own choices, or the given ones."""
    if f.choices_from_field:
        return options or []
    return [(c.label, c.value) for c in f.choices]


def _check_select(f: Field, value: Any, options: Any) -> Any:
    allowed = {token(v): v for _label, v in select_options(f, options)}
    if not isinstance(value, (str, int, float, bool)) or token(value) not in allowed:
        raise Invalid(f"{value!r} is not one of the options")
    return allowed[token(value)]


def _check_time_range(f: Field, value: Any, _o: Any) -> list[int]:
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    ):
        raise Invalid("must be [start, end] in seconds since midnight")
    start, end = value
    for v in value:
        if not 0 <= v <= DAY_SECONDS:
            raise Invalid("times must be between 00:00 and 24:00")
        if v % f.increment_seconds:
            raise Invalid(f"times must be in steps of {describe_seconds(f.increment_seconds)}")
    if start > end:
        raise Invalid("the start must not be after the end")
    return [start, end]


def _check_ranking_order(f: Field, value: Any, options: Any) -> list[int]:
    if not isinstance(value, list) or not all(
        isinstance(v, int) and not isinstance(v, bool) for v in value
    ):
        raise Invalid("must be a list of attachment indexes, best first")
    n = options if isinstance(options, int) else None
    if len(set(value)) != len(value):
        raise Invalid("ranks an attachment twice")
    if n is not None and any(not 0 <= v < n for v in value):
        raise Invalid(f"attachment indexes must be between 0 and {n - 1}")
    if not value:
        raise Invalid("must rank at least one item")
    if len(value) > f.num_items_to_rank:
        raise Invalid(f"rank at most {f.num_items_to_rank} items")
    if f.required and len(value) < f.num_items_to_rank:
        raise Invalid(f"rank {f.num_items_to_rank} items (you ranked {len(value)})")
    return value


_CHECKS = {
    "text": _check_text,
    "boolean": _check_boolean,
    "number": _check_number,
    "datetime": _check_datetime,
    "category": _check_category,
    "select": _check_select,
    "time_range": _check_time_range,
    "ranking_order": _check_ranking_order,
}


def describe_seconds(seconds: int) -> str:
    if seconds % 3600 == 0:
        return f"{seconds // 3600} hour{'s' if seconds > 3600 else ''}"
    if seconds % 60 == 0:
        return f"{seconds // 60} minute{'s' if seconds > 60 else ''}"
    return f"{seconds} second{'s' if seconds > 1 else ''}"


# ---------------------------------------------------------------- form text → value


def parse_input(f: Field, raw: Any) -> Any:
    """What the form posted for one response → a typed value, or None when empty.

    raw is a str (text, boolean, number, select), a list of str (category,
    ranking_order) or a dict part → str (datetime, time_range). Raises Invalid."""
    kind = f.type
    if kind == "text":
        text = (raw or "").replace("\r\n", "\n")
        return text if text.strip() else None
    if kind == "boolean":
        if raw in (None, ""):
            return None
        if raw not in ("true", "false"):
            raise Invalid("choose yes or no")
        return raw == "true"
    if kind in ("number", "select"):
        return raw.strip() if raw and raw.strip() else None
    if kind == "category":
        picked = [v for v in raw if v != ""]
        leaves = f.leaf_by_token()
        for v in picked:
            if v not in leaves:
                raise Invalid(f"{v!r} is not a selectable choice")
        return [leaves[v].value for v in picked] if picked else None
    if kind == "ranking_order":
        try:
            return [int(v) for v in raw] if raw else None
        except ValueError as exc:
            raise Invalid("is not a ranking of the attachments") from exc
    if kind == "datetime":
        given = {p: (raw.get(p) or "").strip() for p in f.include}
        if not any(given.values()):
            return None
        out: dict[str, int] = {}
        for part, text in given.items():
            if not text:
                raise Invalid(f"fill in the {part} too")
            if not text.lstrip("-").isdigit():
                raise Invalid(f"{part} must be a whole number")
            out[part] = int(text)
        return out
    if kind == "time_range":
        start, end = (raw.get("from") or "").strip(), (raw.get("to") or "").strip()
        if not start and not end:
            return None
        if not start or not end:
            raise Invalid("give both the start and the end time")
        return [parse_time(start), parse_time(end)]
    raise Invalid(f"unknown field type {kind}")  # pragma: no cover


def parse_time(text: str) -> int:
    m = TIME_RE.match(text)
    if not m:
        raise Invalid(f"{text!r} is not a time like 08:30")
    hours, minutes, seconds = int(m[1]), int(m[2]), int(m[3] or 0)
    if minutes > 59 or seconds > 59 or hours > 24 or (hours == 24 and (minutes or seconds)):
        raise Invalid(f"{text!r} is not a time of day")
    return hours * 3600 + minutes * 60 + seconds


def format_time(seconds: int) -> str:
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h:02d}:{m:02d}:{s:02d}" if s else f"{h:02d}:{m:02d}"


# ---------------------------------------------------------------- value → form text


def to_inputs(f: Field, value: Any) -> dict[str, list[str]]:
    """A typed value → {name suffix: posted strings}, the inverse of parse_input."""
    kind = f.type
    if kind == "boolean":
        return {"": ["true" if value else "false"]}
    if kind in ("text", "number", "select"):
        return {"": [token(value) if not isinstance(value, str) else value]}
    if kind == "category":
        return {"": [token(v) for v in value]}
    if kind == "ranking_order":
        return {"": [str(v) for v in value]}
    if kind == "datetime":
        return {f"-{p}": [str(v)] for p, v in value.items()}
    if kind == "time_range":
        return {"-from": [format_time(value[0])], "-to": [format_time(value[1])]}
    raise ValueError(kind)  # pragma: no cover
