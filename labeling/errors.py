"""Validation errors that name the place: `fields[2].choices[0].value: must be ...`."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable


class Key(str):
    """A key taken from the caller's data (not an already-joined path): an empty
    key or one with path punctuation is shown quoted, e.g. `[""]`, so that the
    error still names the place."""


_PLAIN_KEY = re.compile(r"[^.\[\]\"\s]+")


def join_path(*parts: str | int) -> str:
    """join_path("fields", 2, "choices", 0, "value") -> "fields[2].choices[0].value".

    Plain string parts are path fragments (empty ones are skipped, so "" is the
    root); wrap a data key in Key() to have it shown even when empty or odd."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif isinstance(part, Key) and not _PLAIN_KEY.fullmatch(part):
            out += f"[{json.dumps(str(part), ensure_ascii=False)}]"
        elif part:
            out += f".{part}" if out else part
    return out


class ValidationProblem(Exception):
    """One or more problems, each with the path of the value it concerns.

    `str(exc)` is "path: message; path: message", ready for `{"error": ...}`."""

    def __init__(self, problems: Iterable[tuple[str, str]] | str, message: str | None = None):
        if isinstance(problems, str):
            problems = [(problems, message or "is invalid")]
        self.problems: list[tuple[str, str]] = list(problems)
        super().__init__(str(self))

    def __str__(self) -> str:
        return "; ".join(f"{path}: {msg}" if path else msg for path, msg in self.problems)

    def prefixed(self, prefix: str) -> ValidationProblem:
        return ValidationProblem(
            (join_path(prefix, path) if not path.startswith("[") else prefix + path, msg)
            for path, msg in self.problems
        )


class Problems:
    """Collects problems while walking a structure, so one request reports them all."""

    def __init__(self) -> None:
        self.items: list[tuple[str, str]] = []

    def add(self, path: str, message: str) -> None:
        self.items.append((path, message))

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self) -> None:
        if self.items:
            raise ValidationProblem(self.items)
