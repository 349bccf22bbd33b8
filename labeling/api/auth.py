"""HTTP Basic auth with the API key as user name (Scale's scheme), for /v1 only."""

from __future__ import annotations

import base64
import binascii

from django.http import HttpRequest

from labeling.models import Account, ApiKey


def account_for_request(request: HttpRequest) -> Account | None:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic" or not encoded:
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    plain, _, _password = decoded.partition(":")
    if not plain:
        return None
    # Looked up by hash: the database compares hashes, never the key itself,
    # so response timing tells nothing about how much of a guess was right.
    key = (
        ApiKey.objects.active()
        .select_related("account")
        .filter(key_hash=ApiKey.hash_key(plain))
        .first()
    )
    return key.account if key else None
