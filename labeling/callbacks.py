"""Callbacks: Scale's `{task_id, response, task}` POSTed to the task's callback_url.

A `CallbackDelivery` row is written in the same transaction as the change it
reports, and the delivery job is enqueued on the Django Tasks API only after
that transaction commits (a rolled-back completion never calls anyone). The
job makes one attempt, records it as a `CallbackAttempt`, and on a non-2xx
answer, a timeout or a connection error re-enqueues itself with `run_after`
(exponential backoff with jitter) until CALLBACK_RETRY_WINDOW_HOURS after the
delivery was created. docs/callbacks.md is the receiver's side of this.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import logging
import random
import time
import urllib.error
import urllib.request
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from labeling.api.serializers import batch_to_dict, task_to_dict
from labeling.callback_targets import is_email_target
from labeling.models import Account, Batch, CallbackAttempt, CallbackDelivery, Task

logger = logging.getLogger(__name__)

AUTH_HEADER = "scale-callback-auth"
SIGNATURE_HEADER = "X-Labelform-Signature"
EVENT_HEADER = "X-Labelform-Event"
DELIVERY_HEADER = "X-Labelform-Delivery"
QUEUE = "callbacks"


# ---------------------------------------------------------------- bodies


def task_body(task: Task) -> dict[str, Any]:
    return {"task_id": task.task_id, "response": task.response, "task": task_to_dict(task)}


def batch_body(batch: Batch) -> dict[str, Any]:
    return {"batch": batch_to_dict(batch)}


def body_bytes(body: dict[str, Any]) -> bytes:
    """The exact bytes sent (and signed): compact JSON, UTF-8."""
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()


def sign(secret: str, body: bytes) -> str:
    """`sha256=<hex>`: HMAC-SHA256 of the body bytes keyed with the account's secret."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


# ---------------------------------------------------------------- creating deliveries


def send_task_callback(*, task: Task, event: str) -> CallbackDelivery | None:
    """Record a delivery of the task's current state and enqueue it on commit.

    Call inside the transaction that made the change."""
    if not task.callback_url:
        return None
    delivery = CallbackDelivery.objects.create(
        task=task,
        url=task.callback_url,
        event=event,
        body=task_body(task),
        next_attempt_at=timezone.now(),
    )
    transaction.on_commit(functools.partial(_enqueue, delivery.pk))
    return delivery


def send_batch_callback(*, batch: Batch) -> CallbackDelivery | None:
    """Once per batch: the `batch.completed` callback to Batch.callback."""
    if not batch.callback:
        return None
    with transaction.atomic():
        # Lock the batch so two last-task completions cannot both send it.
        Batch.objects.select_for_update().filter(pk=batch.pk).first()
        if CallbackDelivery.objects.filter(batch=batch, event="batch.completed").exists():
            return None
        delivery = CallbackDelivery.objects.create(
            batch=batch,
            url=batch.callback,
            event="batch.completed",
            body=batch_body(batch),
            next_attempt_at=timezone.now(),
        )
        transaction.on_commit(functools.partial(_enqueue, delivery.pk))
    return delivery


def _enqueue(delivery_id: int, run_after: datetime | None = None) -> None:
    job = deliver_callback
    if run_after is not None:
        if not job.get_backend().supports_defer:
            # e.g. the ImmediateBackend: retrying now would loop; the delivery
            # stays pending with next_attempt_at, for `resend_callbacks`.
            logger.warning("callback %s: backend cannot delay a retry", delivery_id)
            return
        job = job.using(run_after=run_after)
    job.enqueue(delivery_id)


# ---------------------------------------------------------------- delivering


@task(queue_name=QUEUE)
def deliver_callback(delivery_id: int) -> str:
    """One attempt at a delivery (the db_worker runs this)."""
    return attempt_delivery(delivery_id=delivery_id)


def backoff_seconds(attempt: int) -> float:
    """Delay before retry number `attempt` (1-based): base * 2^(attempt-1), capped,
    with "equal jitter" (between half and all of it) so receivers that come back
    up are not hit by every queued callback at the same instant."""
    base = float(settings.CALLBACK_RETRY_BASE_SECONDS)
    cap = float(settings.CALLBACK_RETRY_MAX_SECONDS)
    delay = min(cap, base * (2 ** (attempt - 1)))
    return delay / 2 + random.uniform(0, delay / 2)


def _account_of(delivery: CallbackDelivery) -> Account:
    owner = delivery.task if delivery.task_id else delivery.batch
    assert owner is not None, "a delivery belongs to a task or a batch"
    return owner.account


def attempt_delivery(*, delivery_id: int) -> str:
    delivery = (
        CallbackDelivery.objects.select_related("task__account", "batch__account")
        .filter(pk=delivery_id)
        .first()
    )
    if delivery is None or delivery.status != CallbackDelivery.Status.PENDING:
        return "gone" if delivery is None else delivery.status
    body = body_bytes(delivery.body)
    started = time.monotonic()
    if is_email_target(delivery.url):
        status_code, error = _send_email(delivery, body)
        ok = not error
    else:
        status_code, error = _post(delivery, body, _account_of(delivery).callback_secret)
        ok = status_code is not None and 200 <= status_code < 300
    now = timezone.now()
    CallbackAttempt.objects.create(
        delivery=delivery,
        at=now,
        status_code=status_code,
        error=error[:2000],
        duration_ms=int((time.monotonic() - started) * 1000),
        ok=ok,
    )
    if ok:
        delivery.status = CallbackDelivery.Status.DELIVERED
        delivery.delivered_at = now
        delivery.next_attempt_at = None
        delivery.save(update_fields=["status", "delivered_at", "next_attempt_at"])
        return delivery.status
    attempts = delivery.attempts.count()
    retry_at = now + timedelta(seconds=backoff_seconds(attempts))
    deadline = delivery.created_at + timedelta(hours=settings.CALLBACK_RETRY_WINDOW_HOURS)
    if retry_at > deadline:
        delivery.status = CallbackDelivery.Status.FAILED
        delivery.next_attempt_at = None
        delivery.save(update_fields=["status", "next_attempt_at"])
        logger.warning("callback %s to %s failed for good: %s", delivery.pk, delivery.url, error)
        return delivery.status
    delivery.next_attempt_at = retry_at
    delivery.save(update_fields=["next_attempt_at"])
    _enqueue(delivery.pk, run_after=retry_at)
    return "retrying"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not a delivery: following it would turn the POST
    into a GET (and could carry the secret to another host)."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def _post(delivery: CallbackDelivery, body: bytes, secret: str) -> tuple[int | None, str]:
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked at task creation
        delivery.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "labelform-callbacks/1",
            AUTH_HEADER: secret,
            SIGNATURE_HEADER: sign(secret, body),
            EVENT_HEADER: delivery.event,
            DELIVERY_HEADER: str(delivery.pk),
        },
    )
    try:
        with _opener.open(request, timeout=settings.CALLBACK_TIMEOUT_SECONDS) as answer:
            return answer.status, ""
    except urllib.error.HTTPError as exc:
        return exc.code, f"HTTP {exc.code} {exc.reason}"
    except TimeoutError:
        return None, f"timed out after {settings.CALLBACK_TIMEOUT_SECONDS}s"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return None, f"{type(exc).__name__}: {reason}"


def _send_email(delivery: CallbackDelivery, body: bytes) -> tuple[int | None, str]:
    address = delivery.url.removeprefix("mailto:")
    subject_id = delivery.body.get("task_id") or delivery.body.get("batch", {}).get("name", "")
    pretty = json.dumps(json.loads(body), indent=2, ensure_ascii=False)
    try:
        send_mail(
            subject=f"[labelform] {delivery.event}: {subject_id}",
            message=pretty,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[address],
        )
    except Exception as exc:  # any mail backend error is a failed attempt, retried
        return None, f"{type(exc).__name__}: {exc}"
    return None, ""


def resend_stale(*, older_than: timedelta = timedelta(minutes=10)) -> int:
    """Re-enqueue pending deliveries whose job was lost (e.g. the web process died
    between commit and enqueue). Safe to run repeatedly: an attempt on a
    delivered or failed row does nothing."""
    cutoff = timezone.now() - older_than
    stale = CallbackDelivery.objects.filter(
        status=CallbackDelivery.Status.PENDING, next_attempt_at__lte=cutoff
    ).values_list("pk", flat=True)
    count = 0
    for pk in stale:
        _enqueue(pk)
        count += 1
    return count
