"""Per-type parameter checks: one raw field dict → a schema.Field (or problems)."""

from __future__ import annotations

from typing import Any

from labeling.errors import Problems
from textcollection import conditions as cond
from textcollection.schema import FIELD_TYPES, MAX_RESPONSES, Choice, Field, token

DATETIME_PARTS = ("year", "month", "day", "hour", "minute")
DATETIME_RANGES = {
    "year": (1, 9999),
    "month": (1, 12),
    "day": (1, 31),
    "hour": (0, 23),
    "minute": (0, 59),
}
DAY_SECONDS = 24 * 60 * 60

COMMON_KEYS = {"type", "field_id", "title", "description", "hint", "required",
               "min_responses_required", "max_responses_required", "conditions"}  # fmt: skip
TYPE_KEYS: dict[str, set[str]] = {
    "text": {"max_characters"},
    "boolean": set(),
    "number": {"use_slider", "min", "max", "step"},
    "datetime": {"include", "defaults"},
    "category": {"choices", "min_choices", "max_choices"},
    "select": {"choices", "choices_from_field"},
    # "defaults_seconds" is how the spec's own example spells default_seconds.
    "time_range": {
        "default_seconds",
        "defaults_seconds",
        "increment_seconds",
        "default_from_field",
    },
    "ranking_order": {"first_label", "last_label", "num_items_to_rank"},
    "fieldset": {"fields", "inline"},
}
FORM_KEYS = {"type", "field_id", "title", "description", "hint", "fields"}


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _string(raw: dict, key: str, path: str, problems: Problems, *, required: bool = False) -> str:
    value = raw.get(key)
    if value is None:
        if required:
            problems.add(f"{path}.{key}", "is required")
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        problems.add(
            f"{path}.{key}", "must be a non-empty string" if required else "must be a string"
        )
        return ""
    return value


def _int(raw: dict, key: str, path: str, problems: Problems, default: int, lo: int, hi: int) -> int:
    value = raw.get(key, default)
    if not _is_int(value):
        problems.add(f"{path}.{key}", "must be an integer")
        return default
    if not lo <= value <= hi:
        problems.add(f"{path}.{key}", f"must be between {lo} and {hi}")
        return default
    return value


def parse_field(
    raw: Any, path: str, index: int, parent: Field | None, problems: Problems, n_attachments: int
) -> Field | None:
    if not isinstance(raw, dict):
        problems.add(path, "must be an object")
        return None
    kind = raw.get("type")
    if kind not in FIELD_TYPES:
        problems.add(f"{path}.type", f"must be one of {', '.join(FIELD_TYPES)}")
        return None
    if kind == "form" and parent is not None:
        problems.add(f"{path}.type", "form fields may only appear at the top level of fields")
        return None
    known = FORM_KEYS if kind == "form" else COMMON_KEYS | TYPE_KEYS[kind]
    for key in sorted(set(raw) - known):
        problems.add(f"{path}.{key}", f"is not a parameter of {kind} fields")
    field_id = _string(raw, "field_id", path, problems, required=True)
    title = _string(raw, "title", path, problems, required=True)
    f = Field(
        type=kind,
        field_id=field_id or f"<{path}>",
        title=title,
        path=path,
        index=index,
        description=_string(raw, "description", path, problems),
        hint=_string(raw, "hint", path, problems),
        parent=parent,
    )
    if kind != "form":
        _common(f, raw, problems)
    parser = globals()[f"_parse_{kind}"]
    parser(f, raw, problems, n_attachments)
    return f


def _common(f: Field, raw: dict, problems: Problems) -> None:
    path = f.path
    required = raw.get("required", False)
    if not isinstance(required, bool):
        problems.add(f"{path}.required", "must be true or false")
    f.required = required is True
    # The spec says "must be larger than 0", yet its own time_range example
    # uses 0: we accept 0 and read it as "may be left empty".
    f.min_responses = _int(raw, "min_responses_required", path, problems, 1, 0, MAX_RESPONSES)
    f.max_responses = _int(raw, "max_responses_required", path, problems, 1, 1, MAX_RESPONSES)
    if f.max_responses < f.min_responses:
        problems.add(
            f"{path}.max_responses_required",
            f"must be at least min_responses_required ({f.min_responses})",
        )
    if "conditions" in raw and raw["conditions"] is not None:
        f.conditions = cond.parse_conditions(raw["conditions"], f"{path}.conditions", problems)


def _parse_text(f: Field, raw: dict, problems: Problems, _n: int) -> None:
    if "max_characters" in raw:
        f.max_characters = _int(raw, "max_characters", f.path, problems, 1, 1, 1_000_000)


def _parse_boolean(f: Field, raw: dict, problems: Problems, _n: int) -> None:
    pass


def _parse_number(f: Field, raw: dict, problems: Problems, _n: int) -> None:
    slider = raw.get("use_slider", False)
    if not isinstance(slider, bool):
        problems.add(f"{f.path}.use_slider", "must be true or false")
    f.use_slider = slider is True
    for key in ("min", "max", "step"):
        value = raw.get(key)
        if value is None:
            continue
        if not _is_number(value):
            problems.add(f"{f.path}.{key}", "must be a number")
        else:
            setattr(f, key, value)
    if f.step is not None and f.step <= 0:
        problems.add(f"{f.path}.step", "must be greater than 0")
        f.step = None
    if f.min is not None and f.max is not None and f.min > f.max:
        problems.add(f"{f.path}.max", f"must be at least min ({f.min})")
    if f.use_slider and (f.min is None or f.max is None):
        problems.add(f"{f.path}.use_slider", "a slider needs both min and max")


def _parse_datetime(f: Field, raw: dict, problems: Problems, _n: int) -> None:
    include = raw.get("include")
    if (
        not isinstance(include, list)
        or not include
        or not all(isinstance(p, str) and p in DATETIME_PARTS for p in include)
    ):
        problems.add(
            f"{f.path}.include",
            f"must be a non-empty list of {', '.join(DATETIME_PARTS)}",
        )
        return
    if len(set(include)) != len(include):
        problems.add(f"{f.path}.include", "must not repeat a part")
    f.include = tuple(p for p in DATETIME_PARTS if p in include)
    defaults = raw.get("defaults", {})
    if not isinstance(defaults, dict):
        problems.add(f"{f.path}.defaults", "must be an object like {year: 2021, month: 4}")
        return
    for key, value in defaults.items():
        if key not in f.include:
            problems.add(f"{f.path}.defaults.{key}", "is not one of the included parts")
        elif not _is_int(value):
            problems.add(f"{f.path}.defaults.{key}", "must be an integer")
        elif not DATETIME_RANGES[key][0] <= value <= DATETIME_RANGES[key][1]:
            lo, hi = DATETIME_RANGES[key]
            problems.add(f"{f.path}.defaults.{key}", f"must be between {lo} and {hi}")
        else:
            f.defaults[key] = value


def _parse_choices(
    raw: Any, path: str, problems: Problems, seen: dict[str, str], *, nested: bool
) -> list[Choice]:
    if not isinstance(raw, list) or not raw:
        problems.add(path, "must be a non-empty list of choices")
        return []
    out = []
    for i, item in enumerate(raw):
        cpath = f"{path}[{i}]"
        if not nested and isinstance(item, (str, int, float)) and not isinstance(item, bool):
            item = {"label": str(item), "value": item}  # select options may be plain values
        if not isinstance(item, dict):
            problems.add(cpath, "must be an object with label and value")
            continue
        allowed = {"label", "value", "hint", "subchoices"} if nested else {"label", "value", "hint"}
        for key in sorted(set(item) - allowed):
            problems.add(f"{cpath}.{key}", "is not a choice parameter")
        label = item.get("label")
        if not isinstance(label, str) or not label.strip():
            problems.add(f"{cpath}.label", "must be a non-empty string")
            label = ""
        value = item.get("value")
        if not isinstance(value, (str, int, float, bool)):
            problems.add(f"{cpath}.value", "must be a string, number or boolean")
            continue
        hint = item.get("hint", "")
        if not isinstance(hint, str):
            problems.add(f"{cpath}.hint", "must be a string")
            hint = ""
        tok = token(value)
        if tok in seen:
            problems.add(f"{cpath}.value", f"{value!r} repeats the value of {seen[tok]}")
        else:
            seen[tok] = cpath
        choice = Choice(label=label, value=value, token=tok, hint=hint)
        if nested and item.get("subchoices") is not None:
            choice.subchoices = _parse_choices(
                item["subchoices"], f"{cpath}.subchoices", problems, seen, nested=True
            )
        out.append(choice)
    return out


def _parse_category(f: Field, raw: dict, problems: Problems, _n: int) -> None:
    f.choices = _parse_choices(raw.get("choices"), f"{f.path}.choices", problems, {}, nested=True)
    leaves = sum(1 for _ in f.leaves())
    f.min_choices = _int(raw, "min_choices", f.path, problems, 1, 0, 10_000)
    f.max_choices = _int(raw, "max_choices", f.path, problems, 1, 1, 10_000)
    if f.max_choices < f.min_choices:
        problems.add(f"{f.path}.max_choices", f"must be at least min_choices ({f.min_choices})")
    if f.choices and f.min_choices > leaves:
        problems.add(f"{f.path}.min_choices", f"is more than the {leaves} selectable choices")


def _parse_select(f: Field, raw: dict, problems: Problems, _n: int) -> None:
    has_choices = raw.get("choices") is not None
    source = raw.get("choices_from_field")
    if source is not None and not (isinstance(source, str) and source):
        problems.add(f"{f.path}.choices_from_field", "must be a field_id")
        source = None
    if has_choices and source:
        problems.add(f"{f.path}.choices", "give choices or choices_from_field, not both")
    elif not has_choices and not source:
        problems.add(f"{f.path}.choices", "is required (or give choices_from_field)")
    if has_choices:
        f.choices = _parse_choices(raw["choices"], f"{f.path}.choices", problems, {}, nested=False)
    f.choices_from_field = source
    f.min_choices, f.max_choices = 1, 1


def _parse_time_range(f: Field, raw: dict, problems: Problems, _n: int) -> None:
    key = "default_seconds" if "default_seconds" in raw else "defaults_seconds"
    if "default_seconds" in raw and "defaults_seconds" in raw:
        problems.add(f"{f.path}.defaults_seconds", "give default_seconds only")
    f.increment_seconds = _int(raw, "increment_seconds", f.path, problems, 60, 1, 3600)
    value = raw.get(key)
    if value is not None:
        if (
            not isinstance(value, list)
            or len(value) != 2
            or not all(_is_int(v) and 0 <= v <= DAY_SECONDS for v in value)
        ):
            problems.add(f"{f.path}.{key}", f"must be two whole seconds in [0, {DAY_SECONDS}]")
        elif value[0] > value[1]:
            problems.add(f"{f.path}.{key}", "the start must not be after the end")
        else:
            f.default_seconds = (value[0], value[1])
    source = raw.get("default_from_field")
    if source is not None:
        if not (isinstance(source, str) and source):
            problems.add(f"{f.path}.default_from_field", "must be a field_id")
        else:
            f.default_from_field = source


def _parse_ranking_order(f: Field, raw: dict, problems: Problems, n_attachments: int) -> None:
    f.first_label = _string(raw, "first_label", f.path, problems)
    f.last_label = _string(raw, "last_label", f.path, problems)
    if n_attachments < 1:
        problems.add(
            f.path, "a ranking_order field ranks the attachments; give at least one attachment"
        )
        return
    if "num_items_to_rank" in raw:
        f.num_items_to_rank = _int(raw, "num_items_to_rank", f.path, problems, 1, 1, n_attachments)
    else:
        f.num_items_to_rank = min(3, n_attachments)
    if f.max_responses != 1:
        problems.add(f"{f.path}.max_responses_required", "a ranking_order field has one answer")


def _parse_children(f: Field, raw: dict, problems: Problems, n_attachments: int) -> None:
    children = raw.get("fields")
    if not isinstance(children, list) or not children:
        problems.add(f"{f.path}.fields", "must be a non-empty list of fields")
        return
    for i, child in enumerate(children):
        parsed = parse_field(child, f"{f.path}.fields[{i}]", i, f, problems, n_attachments)
        if parsed is not None:
            f.children.append(parsed)


def _parse_fieldset(f: Field, raw: dict, problems: Problems, n_attachments: int) -> None:
    # `inline` is accepted (the spec asks for it inside forms); fieldsets always render inline.
    if "inline" in raw and not isinstance(raw["inline"], bool):
        problems.add(f"{f.path}.inline", "must be true or false")
    _parse_children(f, raw, problems, n_attachments)


def _parse_form(f: Field, raw: dict, problems: Problems, n_attachments: int) -> None:
    _parse_children(f, raw, problems, n_attachments)
