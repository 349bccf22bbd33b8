"""Callbacks: delivered through the django-tasks-db queue, retried with backoff,
every attempt recorded, signed so receivers can verify."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from labeling import callbacks, queue
from labeling.models import Batch, CallbackDelivery, Task


class Receiver:
    """A local HTTP endpoint that answers 500 to the first `failures` POSTs, then 200."""

    def __init__(self, failures: int):
        self.failures = failures
        self.requests: list[tuple[Any, bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((self.headers, body))  # case-insensitive
                code = 500 if len(receiver.requests) <= receiver.failures else 200
                self.send_response(code)
                self.end_headers()
                self.wfile.write(b"ok" if code == 200 else b"try later")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def run_callback_worker():
    """What `manage.py db_worker --queue-name callbacks` does, until nothing is due."""
    call_command(
        "db_worker",
        queue_name="callbacks",
        batch=True,
        interval=0,
        startup_delay=False,
        reload=False,
        verbosity=0,
    )


@pytest.fixture
def no_backoff(settings):
    # Retries become due at once, so the worker's batch run performs them all.
    settings.CALLBACK_RETRY_BASE_SECONDS = 0


def complete(project, make_task, worker, **payload):
    make_task(project, **payload)
    task = queue.claim_next(user=worker)
    return queue.submit_response(
        task=task, response={"annotations": {"answer": "42"}}, user=worker, require_lease=True
    )


@pytest.mark.django_db(transaction=True)
def test_retries_until_2xx_records_attempts_and_signature_verifies(
    project, make_task, worker, account, api, no_backoff
):
    with Receiver(failures=3) as receiver:
        task = complete(project, make_task, worker, callback_url=receiver.url)
        run_callback_worker()

    assert len(receiver.requests) == 4
    headers, body = receiver.requests[-1]
    payload = json.loads(body)
    assert payload["task_id"] == task.task_id
    assert payload["response"] == {"annotations": {"answer": "42"}}
    assert payload["task"]["status"] == "completed"
    assert payload["task"]["task_id"] == task.task_id
    assert headers["scale-callback-auth"] == account.callback_secret
    expected = hmac.new(account.callback_secret.encode(), body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(headers["X-Labelform-Signature"], f"sha256={expected}")
    assert headers["X-Labelform-Event"] == "task.completed"

    delivery = CallbackDelivery.objects.get(task=task)
    assert delivery.status == "delivered" and delivery.delivered_at is not None
    attempts = list(delivery.attempts.values_list("status_code", "ok"))
    assert attempts == [(500, False), (500, False), (500, False), (200, True)]

    listed = api.get(f"task/{task.task_id}/callbacks").json()
    assert [a["status_code"] for a in listed["callbacks"][0]["attempts"]] == [500, 500, 500, 200]
    assert listed["callbacks"][0]["status"] == "delivered"


@pytest.mark.django_db(transaction=True)
def test_connection_errors_are_attempts_too(project, make_task, worker, no_backoff, settings):
    settings.CALLBACK_RETRY_WINDOW_HOURS = 0  # give up after the first failure
    task = complete(project, make_task, worker, callback_url="http://127.0.0.1:9/closed")
    run_callback_worker()
    delivery = CallbackDelivery.objects.get(task=task)
    assert delivery.status == "failed"
    attempt = delivery.attempts.get()
    assert attempt.status_code is None and attempt.error and not attempt.ok


def test_backoff_is_exponential_capped_and_jittered(settings):
    settings.CALLBACK_RETRY_BASE_SECONDS = 30
    settings.CALLBACK_RETRY_MAX_SECONDS = 3600
    for attempt, full in [(1, 30), (2, 60), (3, 120), (8, 3600), (20, 3600)]:
        delays = [callbacks.backoff_seconds(attempt) for _ in range(50)]
        assert all(full / 2 <= d <= full for d in delays)
        assert len(set(delays)) > 1  # jitter


@pytest.mark.django_db
def test_gives_up_after_the_retry_window(project, make_task, worker, settings):
    settings.CALLBACK_RETRY_WINDOW_HOURS = 24
    task = complete(project, make_task, worker, callback_url="http://127.0.0.1:9/closed")
    delivery = CallbackDelivery.objects.get(task=task)
    delivery.created_at = timezone.now() - timedelta(hours=24) + timedelta(seconds=5)
    delivery.save()
    assert callbacks.attempt_delivery(delivery_id=delivery.pk) == "failed"


@pytest.mark.django_db
def test_retry_is_enqueued_with_run_after(project, make_task, worker, settings):
    from django_tasks_db.models import DBTaskResult

    settings.CALLBACK_RETRY_BASE_SECONDS = 60
    task = complete(project, make_task, worker, callback_url="http://127.0.0.1:9/closed")
    delivery = CallbackDelivery.objects.get(task=task)
    assert callbacks.attempt_delivery(delivery_id=delivery.pk) == "retrying"
    job = DBTaskResult.objects.get(queue_name="callbacks")
    delay = (job.run_after - timezone.now()).total_seconds()
    assert 25 <= delay <= 61
    delivery.refresh_from_db()
    assert delivery.next_attempt_at == job.run_after


@pytest.mark.django_db
def test_enqueued_only_after_commit(project, make_task, worker, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True) as captured:
        complete(project, make_task, worker, callback_url="https://example.invalid/hook")
    assert len(captured) == 1
    assert DBTaskResult.objects.filter(queue_name="callbacks").count() == 1


@pytest.mark.django_db
def test_email_callback(project, make_task, worker):
    task = complete(project, make_task, worker, callback_url="ops@example.com")
    delivery = CallbackDelivery.objects.get(task=task)
    assert callbacks.attempt_delivery(delivery_id=delivery.pk) == "delivered"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ops@example.com"] and task.task_id in message.subject
    assert json.loads(message.body)["task_id"] == task.task_id


@pytest.mark.django_db
def test_no_callback_url_no_delivery(project, make_task, worker):
    task = complete(project, make_task, worker)
    assert not CallbackDelivery.objects.filter(task=task).exists()


@pytest.mark.django_db
def test_batch_callback_fires_once_when_batch_completes(account, project, make_task, worker):
    Batch.objects.create(
        account=account,
        project=project,
        name="b",
        status="in_progress",
        callback="https://example.invalid/batch",
    )
    make_task(project, batch="b")
    make_task(project, batch="b")
    for remaining in (1, 0):
        task = queue.claim_next(user=worker)
        queue.submit_response(
            task=task, response={"annotations": {"answer": "x"}}, user=worker, require_lease=True
        )
        sent = CallbackDelivery.objects.filter(event="batch.completed").exists()
        assert sent == (remaining == 0)
    delivery = CallbackDelivery.objects.get(event="batch.completed")
    assert delivery.body["batch"]["name"] == "b" and delivery.body["batch"]["status"] == "completed"
    callbacks.send_batch_callback(batch=Batch.objects.get(name="b"))
    assert CallbackDelivery.objects.filter(event="batch.completed").count() == 1


@pytest.mark.django_db
def test_review_actions_send_callbacks(project, make_task, worker, reviewer):
    from labeling.review import services as review

    task = complete(project, make_task, worker, callback_url="https://example.invalid/hook")
    review.accept(task=task, user=reviewer)
    review.fix(task=task, user=reviewer, response={"annotations": {"answer": "43"}})
    review.reject(task=Task.objects.get(pk=task.pk), user=reviewer, comment="redo")
    events = list(CallbackDelivery.objects.filter(task=task).values_list("event", flat=True))
    assert events == ["task.completed", "task.reviewed", "task.fixed", "task.rejected"]
    fixed = CallbackDelivery.objects.get(task=task, event="task.fixed")
    assert fixed.body["response"] == {"annotations": {"answer": "43"}}
    assert fixed.body["task"]["customer_review_status"] == "fixed"


@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_delivery_is_redelivered_by_resend_callbacks(
    project, make_task, worker, no_backoff
):
    """At least once: a job claimed by a worker that then died stays RUNNING in
    django-tasks-db and is never retried by the queue itself; resend_callbacks
    re-enqueues the still-pending delivery and a live worker delivers it."""
    from django_tasks_db.models import DBTaskResult

    with Receiver(failures=0) as receiver:
        task = complete(project, make_task, worker, callback_url=receiver.url)
        # The worker "claims" the job and is killed before any attempt.
        DBTaskResult.objects.filter(queue_name="callbacks").update(status="RUNNING")
        run_callback_worker()
        assert receiver.requests == []
        delivery = CallbackDelivery.objects.get(task=task)
        assert delivery.status == "pending"

        call_command("resend_callbacks", older_than=0, verbosity=0)
        run_callback_worker()

    assert len(receiver.requests) == 1
    assert json.loads(receiver.requests[0][1])["task_id"] == task.task_id
    delivery.refresh_from_db()
    assert delivery.status == "delivered"
    # Running it again finds nothing to resend.
    call_command("resend_callbacks", older_than=0, verbosity=0)
    run_callback_worker()
    assert delivery.attempts.count() == 1
