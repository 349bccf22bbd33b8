"""Query-string parameters of the /v1 list endpoints, checked one by one so a
bad value answers 400 naming the parameter; and the opaque `next_token`."""

from __future__ import annotations

import base64
import binascii
from datetime import UTC, datetime, time

from django.http import HttpRequest
from django.utils.dateparse import parse_date, parse_datetime

from labeling.api.base import ApiError

TRUE_VALUES = {"true", "1", "yes"}
FALSE_VALUES = {"false", "0", "no"}


class Query:
    """The request's query string. Unknown parameters are an error (a typo such
    as `stauts=pending` must not silently return every task). An empty value
    (`status=`) counts as absent."""

    def __init__(self, request: HttpRequest, allowed: set[str]):
        self.data = request.GET
        unknown = sorted(set(self.data) - allowed)
        if unknown:
            raise ApiError(
                400,
                f"{unknown[0]}: unknown query parameter; allowed: {', '.join(sorted(allowed))}",
            )

    def many(self, name: str) -> list[str]:
        """Every value given: `?tags=a&tags=b` (how `requests` sends a list)."""
        return [v for v in self.data.getlist(name) if v != ""]

    def one(self, name: str) -> str | None:
        values = self.many(name)
        if len(values) > 1:
            raise ApiError(400, f"{name}: give at most one value")
        return values[0] if values else None

    def choices(self, name: str, allowed: list[str]) -> list[str]:
        """One or more values from `allowed`, repeated or comma-separated (the
        scaleapi client joins a list of review statuses with commas)."""
        values = [v.strip() for raw in self.many(name) for v in raw.split(",") if v.strip()]
        for value in values:
            if value not in allowed:
                raise ApiError(400, f"{name}: {value!r} is not one of {', '.join(allowed)}")
        return values

    def boolean(self, name: str, default: bool = False) -> bool:
        value = self.one(name)
        if value is None:
            return default
        if value.lower() in TRUE_VALUES:
            return True
        if value.lower() in FALSE_VALUES:
            return False
        raise ApiError(400, f"{name}: must be true or false, not {value!r}")

    def integer(self, name: str, *, default: int, low: int, high: int | None = None) -> int:
        value = self.one(name)
        if value is None:
            return default
        try:
            number = int(value)
        except ValueError:
            raise ApiError(400, f"{name}: must be an integer, not {value!r}") from None
        if number < low or (high is not None and number > high):
            limits = f"between {low} and {high}" if high is not None else f"at least {low}"
            raise ApiError(400, f"{name}: must be {limits} (got {number})")
        return number

    def moment(self, name: str) -> datetime | None:
        """An ISO 8601 date or date-time ('YYYY-MM-DD HH:MM:SS.mmmmmm' as the
        client documents, or with T/Z/offset); without a zone it is UTC."""
        value = self.one(name)
        if value is None:
            return None
        try:
            parsed = parse_datetime(value)
            if parsed is None:
                day = parse_date(value)
                parsed = datetime.combine(day, time.min) if day is not None else None
        except ValueError:
            parsed = None
        if parsed is None:
            raise ApiError(400, f"{name}: must be an ISO 8601 date or date-time, not {value!r}")
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        return parsed


# next_token: which row the next page starts after, and how many rows came
# before it (the page's `offset`). Opaque to clients; encoded so nobody is
# tempted to build one by hand.
TOKEN_PREFIX = "t1"


def encode_token(*, after_id: int, offset: int) -> str:
    raw = f"{TOKEN_PREFIX}:{after_id}:{offset}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_token(token: str) -> tuple[int, int]:
    """(after_id, offset); ApiError 400 for anything we did not issue."""
    try:
        padded = token + "=" * (-len(token) % 4)
        prefix, after_id, offset = base64.urlsafe_b64decode(padded.encode()).decode().split(":")
        if prefix != TOKEN_PREFIX:
            raise ValueError(prefix)
        after, skipped = int(after_id), int(offset)
        if after < 0 or skipped < 0:
            raise ValueError(token)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise ApiError(400, "next_token: not a token this server issued") from None
    return after, skipped
