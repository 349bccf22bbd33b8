"""Authentication and authorization: API keys, CSRF, log-in rate limit, and
what a worker can and cannot open."""

from __future__ import annotations

import base64
import hashlib

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from labeling.models import ApiKey, Task
from labeling.services import create_task
from tests.conftest import make_project

PASSWORD = "pw-for-tests-123"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def _basic(key: str, password: str = "") -> dict[str, str]:
    token = base64.b64encode(f"{key}:{password}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


# ---------------------------------------------------------------- API keys


@pytest.mark.django_db
def test_api_keys_are_stored_only_as_hashes(account):
    key, plain = ApiKey.issue(account=account, name="k")
    row = ApiKey.objects.filter(pk=key.pk).values().get()
    assert row["key_hash"] == hashlib.sha256(plain.encode()).hexdigest()
    for column, value in row.items():
        assert plain not in str(value), column
    assert len(row["hint"]) <= 6 and plain.endswith(row["hint"])
    # 24 random bytes: nothing to guess.
    assert len(plain) >= len(ApiKey.PREFIX) + 48


@pytest.mark.django_db
@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"HTTP_AUTHORIZATION": ""},
        {"HTTP_AUTHORIZATION": "Basic"},
        {"HTTP_AUTHORIZATION": "Basic !!!not-base64!!!"},
        {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(b"\xff\xfe:").decode()},
        {"HTTP_AUTHORIZATION": "Bearer live_abc"},
        _basic("live_wrong"),
        _basic(""),
        _basic("", "live_in_password_slot"),
    ],
    ids=[
        "missing",
        "empty",
        "no-credentials",
        "bad-base64",
        "not-utf8",
        "bearer",
        "wrong-key",
        "empty-key",
        "key-in-password",
    ],
)
def test_wrong_or_missing_key_is_401(client, api_key, headers):
    response = client.get("/v1/task/anything", **headers)
    assert response.status_code == 401
    assert "error" in response.json()
    assert response["WWW-Authenticate"].startswith("Basic")


@pytest.mark.django_db
def test_hash_revoked_key_and_other_accounts(client, account, api_key):
    from django.utils import timezone

    from labeling.accounts import get_or_create_account

    # The stored hash is not a key.
    stored = ApiKey.objects.get(account=account).key_hash
    assert client.get("/v1/task/x", **_basic(stored)).status_code == 401
    # The right key works (404: no such task, but authenticated)...
    assert client.get("/v1/task/x", **_basic(api_key)).status_code == 404
    # ...until it is revoked.
    ApiKey.objects.filter(account=account).update(revoked_at=timezone.now())
    assert client.get("/v1/task/x", **_basic(api_key)).status_code == 401
    # Another account's key never sees this account's tasks.
    other = get_or_create_account("other")
    _, other_key = ApiKey.issue(account=other, name="o")
    make_project(account, name="ner", type="namedentityrecognition")
    task = create_task(
        account=account,
        type_name="namedentityrecognition",
        payload={"project": "ner", "text": "t", "labels": [{"name": "A"}]},
    )
    assert client.get(f"/v1/task/{task.task_id}", **_basic(other_key)).status_code == 404


def test_key_lookup_compares_hashes_not_keys():
    """The key is looked up by its SHA-256 (an indexed equality on a digest):
    how far a guess matches the key says nothing about how far its digest
    matches, so response time leaks nothing usable about the key."""
    import inspect

    from labeling.api import auth

    source = inspect.getsource(auth.account_for_request)
    assert "key_hash=ApiKey.hash_key(" in source


# ---------------------------------------------------------------- CSRF


def _all_patterns(resolver: URLResolver, prefix: str = ""):
    for item in resolver.url_patterns:
        if isinstance(item, URLResolver):
            yield from _all_patterns(item, prefix + str(item.pattern))
        elif isinstance(item, URLPattern):
            yield prefix + str(item.pattern), item.callback


def test_no_view_outside_the_api_is_csrf_exempt():
    """CSRF protection covers every form because no view but /v1's opts out."""
    exempt = [
        route
        for route, callback in _all_patterns(get_resolver())
        if getattr(callback, "csrf_exempt", False) and not route.startswith("v1/")
    ]
    assert exempt == []


@pytest.mark.django_db
def test_forms_refuse_posts_without_a_csrf_token(account, make_user, worker, admin_user):
    make_project(account, name="ner", type="namedentityrecognition")
    task = create_task(
        account=account,
        type_name="namedentityrecognition",
        payload={"project": "ner", "text": "Ada", "labels": [{"name": "PER"}]},
    )
    task.project.workers.add(worker)
    anonymous = Client(enforce_csrf_checks=True)
    for path in ("/accounts/login/", "/admin/login/"):
        response = anonymous.post(path, {"username": "wanda", "password": PASSWORD})
        assert response.status_code == 403, path
    for user in (worker, admin_user):
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        paths = [
            f"/label/{task.task_id}/",
            f"/label/{task.task_id}/lease/",
            f"/label/{task.task_id}/release/",
            "/queue/next/",
            "/accounts/logout/",
            f"/review/{task.task_id}/accept/",
            f"/review/{task.task_id}/reject/",
            f"/review/{task.task_id}/fix/",
            "/admin/labeling/project/add/",
        ]
        for path in paths:
            response = client.post(path, {"ner_response": "{}"})
            assert response.status_code == 403, (user, path, response.status_code)
            assert b"CSRF" in response.content, (user, path)
    task.refresh_from_db()
    assert task.status == Task.Status.PENDING


@pytest.mark.django_db
def test_form_with_token_is_accepted(worker):
    client = Client(enforce_csrf_checks=True)
    page = client.get("/accounts/login/")
    token = page.cookies["csrftoken"].value
    response = client.post(
        "/accounts/login/",
        {"username": worker.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302


# ---------------------------------------------------------------- log-in rate limit


def _login(client: Client, username: str, password: str, path: str = "/accounts/login/", **extra):
    return client.post(path, {"username": username, "password": password}, **extra)


@pytest.mark.django_db
@override_settings(LOGIN_MAX_FAILURES=3, LOGIN_LOCKOUT_SECONDS=600)
def test_login_is_locked_after_repeated_failures(worker):
    client = Client()
    for _ in range(3):
        response = _login(client, worker.username, "wrong")
        assert response.status_code == 200
    # Now even the right password is refused, without being checked.
    response = _login(client, worker.username, PASSWORD)
    assert response.status_code == 429
    assert b"Too many failed log-in attempts" in response.content
    assert "_auth_user_id" not in client.session
    # The admin's form shares the count.
    assert _login(client, worker.username, PASSWORD, "/admin/login/").status_code == 429
    # Case and spaces in the user name do not make a fresh count.
    assert _login(client, f" {worker.username.upper()} ", PASSWORD).status_code == 429
    # Another address, or another user name, is not affected.
    other = _login(Client(), worker.username, PASSWORD, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302


@pytest.mark.django_db
@override_settings(LOGIN_MAX_FAILURES=3, LOGIN_LOCKOUT_SECONDS=600)
def test_success_clears_the_count_and_get_is_never_limited(worker):
    client = Client()
    for _ in range(2):
        _login(client, worker.username, "wrong")
    assert _login(client, worker.username, PASSWORD).status_code == 302
    client.logout()
    for _ in range(2):
        assert _login(client, worker.username, "wrong").status_code == 200
    assert _login(client, worker.username, PASSWORD).status_code == 302
    for _ in range(5):
        _login(Client(), "nobody", "wrong")
    assert Client().get("/accounts/login/").status_code == 200


@pytest.mark.django_db
@override_settings(LOGIN_MAX_FAILURES=2, LOGIN_LOCKOUT_SECONDS=600)
def test_lockout_expires(worker):
    from labeling import auth_views

    client = Client()
    for _ in range(2):
        _login(client, worker.username, "wrong")
    assert _login(client, worker.username, PASSWORD).status_code == 429
    # Expiry is the cache's timeout; drop the key as expiry would.
    request = type(
        "R", (), {"POST": {"username": worker.username}, "META": {"REMOTE_ADDR": "127.0.0.1"}}
    )
    cache.delete(auth_views._cache_key(request))
    assert _login(client, worker.username, PASSWORD).status_code == 302


# ---------------------------------------------------------------- worker isolation


@pytest.fixture
def two_workers(account, make_user):
    make_project(account, name="ner", type="namedentityrecognition")
    task = create_task(
        account=account,
        type_name="namedentityrecognition",
        payload={"project": "ner", "text": "Ada Lovelace", "labels": [{"name": "PER"}]},
    )
    wanda, walt = make_user("wanda", "worker"), make_user("walt", "worker")
    task.project.workers.add(wanda, walt)
    return task, wanda, walt


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_worker_cannot_open_another_workers_leased_task(two_workers):
    from labeling import queue

    task, wanda, walt = two_workers
    a, b = _client(wanda), _client(walt)
    assert queue.take_lease(task=task, user=wanda)
    assert a.get(f"/label/{task.task_id}/").status_code == 200
    assert b.get(f"/label/{task.task_id}/").status_code == 404
    for path in ("lease/", "release/"):
        b.post(f"/label/{task.task_id}/{path}")
    task.refresh_from_db()
    assert task.status == Task.Status.PENDING and task.leased_to == wanda


@pytest.mark.django_db
def test_worker_cannot_complete_another_workers_leased_task(two_workers):
    from labeling import queue

    task, wanda, walt = two_workers
    assert queue.take_lease(task=task, user=wanda)
    response = _client(walt).post(
        f"/label/{task.task_id}/", {"ner_response": '{"annotations": [], "relationships": []}'}
    )
    assert response.status_code in (404, 409)
    task.refresh_from_db()
    assert task.status == Task.Status.PENDING and task.leased_to == wanda


@pytest.mark.django_db
def test_worker_cannot_read_another_workers_leased_task_by_posting(two_workers):
    """The 409 answer to a post on someone else's task says what happened to
    the answer, and shows none of the task's content."""
    from labeling import queue

    task, wanda, walt = two_workers
    assert queue.take_lease(task=task, user=wanda)
    response = _client(walt).post(
        f"/label/{task.task_id}/", {"ner_response": '{"annotations": [], "relationships": []}'}
    )
    assert b"Ada Lovelace" not in response.content


@pytest.mark.django_db
def test_worker_outside_the_project_sees_nothing(account, make_user):
    make_project(account, name="ner", type="namedentityrecognition")
    task = create_task(
        account=account,
        type_name="namedentityrecognition",
        payload={"project": "ner", "text": "Ada", "labels": [{"name": "PER"}]},
    )
    outsider = _client(make_user("olga", "worker"))
    assert outsider.get(f"/label/{task.task_id}/").status_code == 404
    assert outsider.post(f"/label/{task.task_id}/", {"ner_response": "{}"}).status_code == 404
    # A user with no role at all sees nothing either.
    nobody = _client(_plain_user())
    assert nobody.get(f"/label/{task.task_id}/").status_code in (403, 404)


def _plain_user():
    from django.contrib.auth.models import User

    return User.objects.create_user("plain", password=PASSWORD)


@pytest.mark.django_db
def test_worker_cannot_open_review_pages_or_the_admin(two_workers):
    task, wanda, _walt = two_workers
    client = _client(wanda)
    for path in (
        "/review/",
        f"/review/{task.task_id}/",
        f"/review/{task.task_id}/fix/",
    ):
        assert client.get(path).status_code in (403, 404), path
    for path in (f"/review/{task.task_id}/accept/", f"/review/{task.task_id}/reject/"):
        assert client.post(path).status_code in (403, 404), path
    for path in ("/admin/", "/admin/labeling/task/", f"/admin/labeling/task/{task.pk}/change/"):
        response = client.get(path)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], path
    task.refresh_from_db()
    assert task.status == Task.Status.PENDING


@pytest.mark.django_db
def test_anonymous_is_sent_to_log_in(two_workers):
    task, *_ = two_workers
    client = Client()
    for path in ("/", f"/label/{task.task_id}/", "/review/", "/queue/"):
        response = client.get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], path
