"""Bench users and keep-alive HTTP clients: an API client (Basic auth with an
API key) and a worker's browser-like session (session cookie + CSRF token)."""

from __future__ import annotations

import base64
import http.client
import json
import secrets
import time
from typing import Any
from urllib.parse import urlencode

# A typical TextCollection task: one markdown attachment, five fields.
TC_PARAMS: dict[str, Any] = {
    "attachments": [
        {
            "type": "text",
            "content": "# Review 1042\n\nThe soup was **great**, the service _slow_.\n\n"
            "- ordered at 19:02\n- served at 19:40\n\n[menu](https://example.com/menu)",
        }
    ],
    "fields": [
        {"type": "category", "field_id": "sentiment", "title": "Sentiment", "required": True,
         "choices": [{"label": "Positive", "value": "pos"}, {"label": "Negative", "value": "neg"},
                     {"label": "Mixed", "value": "mixed"}]},
        {"type": "text", "field_id": "summary", "title": "Summary", "max_characters": 200},
        {"type": "boolean", "field_id": "mentions_staff", "title": "Mentions staff"},
        {"type": "number", "field_id": "stars", "title": "Stars", "min": 1, "max": 5, "step": 1},
        {"type": "select", "field_id": "language", "title": "Language",
         "choices": [{"label": "English", "value": "en"}, {"label": "French", "value": "fr"}]},
    ],
}  # fmt: skip
TC_ANSWERS = {
    "tc-0-0": "mixed",
    "tc-1-0": "Good soup, slow service.",
    "tc-2-0": "true",
    "tc-3-0": "4",
    "tc-4-0": "en",
}


def setup_fixtures(*, workers: int, project: str = "reviews") -> dict[str, Any]:
    """Account, API key, project and `workers` worker users with sessions
    (Django must be set up on the bench database)."""
    from django.test import Client

    from labeling.accounts import create_user, get_or_create_account
    from labeling.models import ApiKey, Project

    account = get_or_create_account("bench")
    _key, plain = ApiKey.issue(account=account, name="bench")
    proj = Project.objects.create(account=account, name=project, type="textcollection")
    sessions = []
    for i in range(workers):
        user = create_user(username=f"worker{i}", password=secrets.token_urlsafe(16), role="worker")
        proj.workers.add(user)
        client = Client()
        client.force_login(user)
        sessions.append((user.pk, client.cookies["sessionid"].value))
    return {"account": account, "api_key": plain, "project": project, "sessions": sessions}


class Http:
    """One keep-alive connection; request() returns (status, headers, body, seconds)."""

    def __init__(self, port: int, headers: dict[str, str] | None = None):
        self.port = port
        self.headers = headers or {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], bytes, float]:
        all_headers = {**self.headers, **(headers or {})}
        for attempt in range(2):
            start = time.perf_counter()
            try:
                self.conn.request(method, path, body=body, headers=all_headers)
                response = self.conn.getresponse()
                data = response.read()
                elapsed = time.perf_counter() - start
                return response.status, dict(response.getheaders()), data, elapsed
            except (ConnectionError, http.client.HTTPException):
                # gunicorn's sync workers close idle keep-alive connections: reconnect once.
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        self.conn.close()


def api_http(port: int, key: str) -> Http:
    token = base64.b64encode(f"{key}:".encode()).decode()
    return Http(port, {"Authorization": f"Basic {token}", "Content-Type": "application/json"})


def create_task_body(project: str, callback_url: str = "", **extra: Any) -> bytes:
    body: dict[str, Any] = {"project": project, **TC_PARAMS, **extra}
    if callback_url:
        body["callback_url"] = callback_url
    return json.dumps(body).encode()


class WorkerSession(Http):
    """A logged-in worker: session cookie plus a CSRF cookie/header pair (Django
    accepts the unmasked 32-character secret as the token)."""

    def __init__(self, port: int, session_id: str):
        csrf = secrets.token_hex(16)
        super().__init__(
            port,
            {
                "Cookie": f"sessionid={session_id}; csrftoken={csrf}",
                "X-CSRFToken": csrf,
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )

    def claim(self) -> str | None:
        status, headers, _body, _t = self.request("POST", "/queue/next/", b"")
        return task_from_location(status, headers)

    def submit(
        self, task_id: str, answers: dict[str, str] | None = None
    ) -> tuple[str | None, float]:
        """Submit the labeling form; the server claims the next task in the same
        request (its redirect). Returns (next task id or None, seconds)."""
        body = urlencode(answers or TC_ANSWERS).encode()
        status, headers, data, elapsed = self.request("POST", f"/label/{task_id}/", body)
        if status != 302:
            raise RuntimeError(f"submit {task_id}: HTTP {status}: {data[:300]!r}")
        return task_from_location(status, headers), elapsed


def task_from_location(status: int, headers: dict[str, str]) -> str | None:
    location = headers.get("Location", "")
    if status != 302 or not location.startswith("/label/"):
        return None  # the queue is empty ("/queue/?empty=1")
    return location.split("/")[2]
