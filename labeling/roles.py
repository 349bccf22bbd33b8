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


def context(request: Any) -> dict[str, bool]:
    """Template context processor: which parts of the site the nav may link to."""
    user = getattr(request, "user", None)
    return {
        "is_worker": has_role(user, WORKER),
        "is_reviewer": has_role(user, REVIEWER),
        "is_site_admin": bool(getattr(user, "is_staff", False)) and has_role(user, ADMIN),
    }
