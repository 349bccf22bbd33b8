"""The records every task type shares: accounts and keys, projects, batches, tasks,
plus the history the workflow keeps (response revisions, callback deliveries)."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


def new_task_id() -> str:
    """A 24-hex id like Scale's (a Mongo ObjectId): 4 bytes of time, 8 random.

    The time prefix keeps ids roughly ordered by creation, which keeps the
    primary-key index compact; the random part makes them unguessable enough
    that one id does not reveal its neighbours."""
    return f"{int(timezone.now().timestamp()):08x}{secrets.token_hex(8)}"


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class Account(models.Model):
    """Who owns API keys, projects and tasks. `unique_id` is unique per account,
    and callbacks are signed with the account's secret."""

    name = models.CharField(max_length=100, unique=True)
    callback_secret = models.CharField(max_length=100, default=new_secret)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.name


class ApiKeyQuerySet(models.QuerySet["ApiKey"]):
    def active(self) -> ApiKeyQuerySet:
        return self.filter(revoked_at__isnull=True)


class ApiKey(models.Model):
    """An API key, stored as a SHA-256 hash: the plain key is shown once, at creation.

    Keys are 32 random bytes, so a fast hash is enough (no need for a slow
    password hash); the lookup is by hash, so comparison never leaks timing
    about the key's characters."""

    PREFIX = "live_"

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    hint = models.CharField(
        max_length=12, help_text="Last characters of the key, to tell keys apart"
    )
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiKeyQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.name} (…{self.hint})"

    @staticmethod
    def hash_key(plain: str) -> str:
        return hashlib.sha256(plain.encode()).hexdigest()

    @classmethod
    def issue(cls, *, account: Account, name: str) -> tuple[ApiKey, str]:
        plain = cls.PREFIX + secrets.token_hex(24)
        key = cls.objects.create(
            account=account, name=name, key_hash=cls.hash_key(plain), hint=plain[-6:]
        )
        return key, plain


class Project(models.Model):
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="projects")
    name = models.CharField(max_length=200)
    type = models.CharField(max_length=50)
    params = models.JSONField(default=dict, blank=True)
    instruction = models.TextField(blank=True)
    # Every version of params, oldest first, as Scale's `param_history`.
    param_history = models.JSONField(default=list, blank=True)
    workers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="assigned_projects"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "name"], name="project_name_unique")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def version(self) -> int:
        return len(self.param_history)


class Batch(models.Model):
    class Status(models.TextChoices):
        STAGING = "staging"
        IN_PROGRESS = "in_progress"
        COMPLETED = "completed"

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="batches")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="batches")
    name = models.CharField(max_length=200)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.STAGING)
    metadata = models.JSONField(default=dict, blank=True)
    callback = models.CharField(max_length=2000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "name"], name="batch_name_unique")
        ]
        verbose_name_plural = "batches"

    def __str__(self) -> str:
        return self.name


class TaskQuerySet(models.QuerySet["Task"]):
    def pending(self) -> TaskQuerySet:
        return self.filter(status=Task.Status.PENDING)

    def completed(self) -> TaskQuerySet:
        return self.filter(status=Task.Status.COMPLETED)

    def in_open_batches(self) -> TaskQuerySet:
        """Tasks a worker may be given: no batch, or a finalized one."""
        return self.filter(Q(batch__isnull=True) | ~Q(batch__status=Batch.Status.STAGING))

    def for_account(self, account: Account) -> TaskQuerySet:
        return self.filter(account=account)

    def for_worker(self, user: Any) -> TaskQuerySet:
        """Tasks of the projects `user` is assigned to."""
        return self.filter(project__workers=user)

    def unleased(self, now: Any) -> TaskQuerySet:
        """No lease, or a lease that has expired (the task is back in the queue)."""
        return self.filter(Q(leased_to__isnull=True) | Q(lease_expires_at__lte=now))

    def available(self, now: Any) -> TaskQuerySet:
        """What the queue may hand out now: pending, unleased, in an open batch."""
        return self.pending().in_open_batches().unleased(now)

    def leased_to_user(self, user: Any, now: Any) -> TaskQuerySet:
        return self.pending().filter(leased_to=user, lease_expires_at__gt=now)

    def queue_order(self) -> TaskQuerySet:
        """Highest priority first, then oldest (the id is a creation sequence)."""
        return self.order_by("-priority", "id")


class Task(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending"
        COMPLETED = "completed"
        CANCELED = "canceled"
        ERROR = "error"

    class ReviewStatus(models.TextChoices):
        NONE = "", "not reviewed"
        PENDING = "pending"
        ACCEPTED = "accepted"
        FIXED = "fixed"
        COMMENTED = "commented"
        REJECTED = "rejected"

    PRIORITIES = (10, 20, 30)
    DEFAULT_PRIORITY = 20
    MAX_TAGS = 5
    MAX_METADATA_BYTES = 10 * 1024

    # Internal sequence: keyset pagination and the queue's "oldest first" use it.
    id = models.BigAutoField(primary_key=True)
    task_id = models.CharField(max_length=24, unique=True, default=new_task_id, editable=False)
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="tasks")
    type = models.CharField(max_length=50)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="tasks")
    batch = models.ForeignKey(
        Batch, null=True, blank=True, on_delete=models.PROTECT, related_name="tasks"
    )
    instruction = models.TextField(blank=True)
    # The effective params: the project's params merged with the task's own
    # (see docs/api.md), frozen at creation so later taxonomy edits never
    # change a task already created.
    params = models.JSONField(default=dict, blank=True)
    # Data derived from params once, at creation (sanitized attachment HTML,
    # instruction HTML...) so page views never re-run Markdown or bleach.
    rendered = models.JSONField(default=dict, blank=True)
    callback_url = models.CharField(max_length=2000, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    unique_id = models.CharField(max_length=500, null=True, blank=True)
    clear_unique_id_on_error = models.BooleanField(default=False)
    tags = models.JSONField(default=list, blank=True)
    priority = models.PositiveSmallIntegerField(default=DEFAULT_PRIORITY)
    hypothesis = models.JSONField(null=True, blank=True)
    response = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    customer_review_status = models.CharField(
        max_length=20, choices=ReviewStatus.choices, blank=True, default=""
    )
    customer_review_comments = models.JSONField(default=list, blank=True)
    audits = models.JSONField(default=list, blank=True)

    # Workflow: who holds the task now, and who completed it.
    leased_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="leased_tasks",
    )
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="completed_tasks",
    )
    # Chosen for review by sampling at completion (see the review portal).
    review_sampled = models.BooleanField(default=False)
    # The last internal review (accept / reject / fix) and who made it.
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviewed_tasks",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["account", "unique_id"],
                condition=Q(unique_id__isnull=False),
                name="task_unique_id_per_account",
            ),
            models.CheckConstraint(
                condition=Q(priority__in=[10, 20, 30]), name="task_priority_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["account", "project", "id"], name="task_project_idx"),
            models.Index(fields=["account", "batch", "id"], name="task_batch_idx"),
            models.Index(fields=["account", "status", "id"], name="task_status_idx"),
            models.Index(fields=["project", "status", "-priority", "id"], name="task_queue_idx"),
            models.Index(fields=["account", "created_at"], name="task_created_idx"),
            models.Index(fields=["account", "completed_at"], name="task_completed_idx"),
            models.Index(fields=["account", "updated_at"], name="task_updated_idx"),
        ]

    def __str__(self) -> str:
        return self.task_id

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.updated_at = timezone.now()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "updated_at" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "updated_at"]
        super().save(*args, **kwargs)


class ResponseRevision(models.Model):
    """Every response a task ever had, so that nothing a worker or reviewer
    saved is lost when a reviewer rejects or fixes it."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted"
        FIXED = "fixed"
        REJECTED = "rejected"
        ACCEPTED = "accepted"
        # A submission that arrived after the task was completed or leased to
        # someone else: kept, never applied (see docs/workflow.md).
        LATE = "late"

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="revisions")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    response = models.JSONField(null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]


class CallbackDelivery(models.Model):
    """One callback body to deliver to one URL (or email address), with its attempts."""

    class Status(models.TextChoices):
        PENDING = "pending"
        DELIVERED = "delivered"
        FAILED = "failed"

    task = models.ForeignKey(
        Task, null=True, blank=True, on_delete=models.CASCADE, related_name="callbacks"
    )
    batch = models.ForeignKey(
        Batch, null=True, blank=True, on_delete=models.CASCADE, related_name="callbacks"
    )
    url = models.CharField(max_length=2000)
    event = models.CharField(max_length=50, default="task.completed")
    body = models.JSONField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "callback deliveries"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.event} → {self.url}"


class CallbackAttempt(models.Model):
    delivery = models.ForeignKey(
        CallbackDelivery, on_delete=models.CASCADE, related_name="attempts"
    )
    at = models.DateTimeField(default=timezone.now)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    # Delivered: a 2xx answer, or an email the mail server accepted.
    ok = models.BooleanField(default=False)

    class Meta:
        ordering = ["at", "id"]
