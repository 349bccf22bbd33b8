"""Server time to render TextCollection task pages and one conditions round trip.

Runs standalone (`.venv/bin/python bench/bench_textcollection.py`) on a
throwaway SQLite database; prints medians of repeated in-process requests
through Django's test Client (middleware, session, template rendering).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_DIR = tempfile.mkdtemp(prefix="bench-tc-")
os.environ["DATABASE_URL"] = f"sqlite:///{DB_DIR}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")

os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

# No collectstatic for a bench: plain static storage instead of the manifest.
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The test client's host; setup_test_environment() is not used because its
# template instrumentation would add time no real request pays.
settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]

RUNS = 30
TARGETS = {"20 fields": 10.0, "300 fields": 80.0, "round trip": 15.0}


def make_fields(n: int) -> list[dict]:
    """A realistic mix: a category every few fields drives the conditions of the next."""
    kinds = ["category", "text", "number", "boolean", "select", "datetime", "text", "time_range"]
    fields: list[dict] = []
    for i in range(n):
        kind = kinds[i % len(kinds)]
        f: dict = {"type": kind, "field_id": f"f{i}", "title": f"Field {i}", "hint": "A hint"}
        if kind == "category":
            f["choices"] = [{"label": f"Choice {j}", "value": f"c{j}"} for j in range(5)]
        elif kind == "select":
            f["choices"] = [{"label": f"Option {j}", "value": f"o{j}"} for j in range(8)]
        elif kind == "datetime":
            f["include"] = ["year", "month", "day"]
        elif kind == "text" and i % 3 == 0:
            f["max_responses_required"] = 3
        if i % len(kinds) == 1:
            f["conditions"] = [{f"f{i - 1}": ["c1", "c2"]}]
        fields.append(f)
    return fields


def median_ms(fn) -> float:
    fn()  # warm caches (templates, parsed specs)
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    call_command("migrate", verbosity=0, interactive=False)
    from labeling import queue
    from labeling.accounts import create_user, get_or_create_account
    from labeling.models import Project
    from labeling.services import create_task

    account = get_or_create_account("bench")
    user = create_user(username="bench-admin", password="bench-pw-123456", role="admin")
    client = Client()
    client.force_login(user)
    tasks = {}
    for n in (20, 300):
        Project.objects.create(account=account, name=f"p{n}", type="textcollection")
        task = create_task(
            account=account,
            type_name="textcollection",
            payload={
                "project": f"p{n}",
                "attachments": [{"type": "text", "content": "# Some *markdown*\n\nText."}],
                "fields": make_fields(n),
            },
        )
        assert queue.take_lease(task=task, user=user)
        tasks[n] = task

    results = {}
    for n in (20, 300):
        url = f"/label/{tasks[n].task_id}/"
        response = client.get(url)
        assert response.status_code == 200 and b"data-field-id" in response.content
        results[f"{n} fields"] = median_ms(lambda url=url: client.get(url))

    refresh = f"/t/textcollection/{tasks[20].task_id}/refresh/"
    data = {"tc-0-0": "c1", "tc-1-0": "typed", "_tc_form": ""}
    response = client.post(refresh, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and b"tc-body" in response.content
    results["round trip"] = median_ms(lambda: client.post(refresh, data, HTTP_HX_REQUEST="true"))

    print(f"TextCollection server time, median of {RUNS} runs (in-process test client):")
    for name, ms in results.items():
        target = TARGETS[name]
        flag = "ok" if ms <= target else "over target"
        label = {"20 fields": "render 20-field page", "300 fields": "render 300-field page",
                 "round trip": "conditions round trip (20 fields)"}[name]  # fmt: skip
        print(f"  {label:36s} {ms:7.2f} ms   (target <= {target:g} ms: {flag})")


if __name__ == "__main__":
    main()
