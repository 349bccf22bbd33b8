"""Fixtures every test module shares: accounts and keys, role users, an API
client, and a real Chromium (Debian's, driven by Playwright) for browser tests."""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

# Playwright's sync API runs an event loop in this thread; the ORM calls made
# by fixtures and assertions between browser steps are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def account(db):
    from labeling.accounts import get_or_create_account

    return get_or_create_account("test-account")


@pytest.fixture
def api_key(account) -> str:
    from labeling.models import ApiKey

    _key, plain = ApiKey.issue(account=account, name="test")
    return plain


class ApiClient:
    """Calls /v1 with HTTP Basic auth (key as user name), JSON in and out."""

    def __init__(self, key: str):
        self.client = Client()
        token = base64.b64encode(f"{key}:".encode()).decode()
        self.headers = {"HTTP_AUTHORIZATION": f"Basic {token}"}

    def call(self, method: str, path: str, body: Any = None, **extra: Any):
        kwargs: dict[str, Any] = {**self.headers, **extra}
        if body is not None:
            kwargs["data"] = body if isinstance(body, (str, bytes)) else json.dumps(body)
            kwargs["content_type"] = "application/json"
        return getattr(self.client, method.lower())(f"/v1/{path.lstrip('/')}", **kwargs)

    def get(self, path: str, **params: Any):
        return self.client.get(f"/v1/{path.lstrip('/')}", params, **self.headers)

    def post(self, path: str, body: Any = None, **extra: Any):
        return self.call("POST", path, body, **extra)

    def put(self, path: str, body: Any = None):
        return self.call("PUT", path, body)

    def delete(self, path: str, body: Any = None):
        return self.call("DELETE", path, body)


@pytest.fixture
def api(api_key) -> ApiClient:
    return ApiClient(api_key)


def make_project(account, *, name: str = "proj", type: str = "textcollection", params=None):
    from labeling.models import Project

    return Project.objects.create(account=account, name=name, type=type, params=params or {})


@pytest.fixture
def make_user(db):
    from labeling.accounts import create_user

    def _make(username: str, role: str = "worker", password: str = "pw-for-tests-123"):
        return create_user(username=username, password=password, role=role)

    return _make


@pytest.fixture
def worker(make_user):
    return make_user("wanda", "worker")


@pytest.fixture
def reviewer(make_user):
    return make_user("rita", "reviewer")


@pytest.fixture
def admin_user(make_user):
    return make_user("ada", "admin")


# ---------------------------------------------------------------- browser


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server) -> Iterator[Any]:
    """A fresh browser context; fails the test on any page error or dialog."""
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.errors = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))  # type: ignore[attr-defined]
    yield page
    context.close()


@pytest.fixture
def login_as(page, live_server):
    """login_as(user): log `user` into `page` by session cookie (the login form has its own test)."""

    def _login(user: Any) -> Any:
        client = Client()
        client.force_login(user)
        cookie = client.cookies["sessionid"]
        page.context.add_cookies(
            [{"name": "sessionid", "value": cookie.value, "url": live_server.url}]
        )
        return page

    return _login
