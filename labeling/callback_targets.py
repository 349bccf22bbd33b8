"""What a callback_url may be: an http(s) URL or an email address."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import validate_email


def is_email_target(value: str) -> bool:
    return "@" in value and "://" not in value


def check_callback_target(value: str) -> str:
    value = value.strip()
    if len(value) > 2000:
        raise ValueError("must be at most 2000 characters")
    if is_email_target(value):
        try:
            validate_email(value.removeprefix("mailto:"))
        except ValidationError as exc:
            raise ValueError("must be an http(s) URL or an email address") from exc
        return value
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError("must be an http(s) URL (with scheme) or an email address")
    return value
