"""Log-in views with a limit on failed attempts (docs/security.md, "Log-in").

Failures are counted in Django's cache per (user name, client address) for
settings.LOGIN_LOCKOUT_SECONDS; after settings.LOGIN_MAX_FAILURES of them the
form answers 429 without checking the password, until the window passes. A
successful log-in clears the count. The app's form (/accounts/login/) and the
admin's (/admin/login/) share the count, so neither is a way around the other."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

View = Callable[..., HttpResponse]


def _cache_key(request: HttpRequest) -> str:
    username = (request.POST.get("username") or "").strip().lower()
    address = request.META.get("REMOTE_ADDR", "")
    # Hashed: user names may hold characters a cache backend refuses in keys.
    digest = hashlib.sha256(f"{username}\0{address}".encode()).hexdigest()
    return f"login-failures:{digest}"


def failures(request: HttpRequest) -> int:
    return int(cache.get(_cache_key(request), 0))


def _record_failure(request: HttpRequest) -> None:
    key = _cache_key(request)
    # add() only sets a missing key, so the window starts at the first failure.
    cache.add(key, 0, timeout=settings.LOGIN_LOCKOUT_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=settings.LOGIN_LOCKOUT_SECONDS)


def _locked_out(request: HttpRequest) -> HttpResponse:
    form = AuthenticationForm(request, data=None)
    minutes = max(1, settings.LOGIN_LOCKOUT_SECONDS // 60)
    return render(
        request,
        "registration/login.html",
        {"form": form, "locked_out": True, "lockout_minutes": minutes, "next": ""},
        status=429,
    )


def rate_limited(view: View) -> View:
    """Wrap a Django log-in view: refuse when locked out, count failed POSTs
    (the view answers 200 with the form again), clear the count on success."""

    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method != "POST":
            return view(request, *args, **kwargs)
        if failures(request) >= settings.LOGIN_MAX_FAILURES:
            return _locked_out(request)
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            _record_failure(request)
        elif 300 <= response.status_code < 400:
            cache.delete(_cache_key(request))
        return response

    wrapper.__doc__ = view.__doc__
    wrapper.__name__ = getattr(view, "__name__", "login")
    return wrapper


login = rate_limited(auth_views.LoginView.as_view())
admin_login = rate_limited(admin.site.login)
