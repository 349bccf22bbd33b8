"""Account and user set-up shared by management commands and the demo seed."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, Group

from labeling import roles
from labeling.models import Account

DEFAULT_ACCOUNT = "default"


def get_or_create_account(name: str = DEFAULT_ACCOUNT) -> Account:
    account, _ = Account.objects.get_or_create(name=name)
    return account


def ensure_role_groups() -> dict[str, Group]:
    return {name: Group.objects.get_or_create(name=name)[0] for name in roles.ROLES}


def create_user(*, username: str, password: str, role: str) -> AbstractUser:
    """Create (or update) a user with exactly one role. Admins get Django admin access."""
    if role not in roles.ROLES:
        raise ValueError(f"role must be one of {', '.join(roles.ROLES)}")
    groups = ensure_role_groups()
    user_model = get_user_model()
    user, _ = user_model.objects.get_or_create(username=username)
    user.set_password(password)
    user.is_staff = role == roles.ADMIN
    user.is_superuser = role == roles.ADMIN
    user.save()
    user.groups.set([groups[role]])
    return user
