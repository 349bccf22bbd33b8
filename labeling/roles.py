"""Roles are Django groups: worker, reviewer, admin."""

from __future__ import annotations

from typing import Any

WORKER = "worker"
REVIEWER = "reviewer"
ADMIN = "admin"
ROLES = (WORKER, REVIEWER, ADMIN)


def has_role(user: Any, role: str) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    # Cached on the user object: a page checks roles several times.
    cached = getattr(user, "_labelform_roles", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._labelform_roles = cached
    if role == WORKER:
        return bool(cached & {WORKER, REVIEWER, ADMIN})
    if role == REVIEWER:
        return bool(cached & {REVIEWER, ADMIN})
    return ADMIN in cached
