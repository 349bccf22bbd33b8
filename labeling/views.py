"""The labeling page shell, shared by every task type.

The task type renders the body (fields, or the NER text) and parses the
submission; this view does access, leasing, saving and redirects."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django_htmx.http import HttpResponseClientRedirect

from labeling import queue, registry, services
from labeling.access import get_task_for_labeling
from labeling.models import Task


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "labeling/home.html", {})


@login_required
def label(request: HttpRequest, task_id: str) -> HttpResponse:
    task = get_task_for_labeling(request.user, task_id)
    task_type = registry.get(task.type)
    assert task_type is not None, f"task type {task.type} is not registered"
    _lease(task, request.user)
    context = {"task": task}
    readonly = task.status != Task.Status.PENDING

    status = 200
    if request.method == "POST" and not readonly:
        submission = task_type.parse_submission(
            request, data=request.POST, params=task.params, rendered=task.rendered, context=context
        )
        if submission.ok:
            assert submission.response is not None
            try:
                queue.submit_response(task=task, response=submission.response, user=request.user)
            except services.Conflict as exc:
                body = task_type.render(
                    request,
                    params=task.params,
                    rendered=task.rendered,
                    response=submission.response,
                    readonly=True,
                    context=context,
                )
                return _render_page(request, task, task_type, body, error=str(exc), status=409)
            done = reverse("label-done", args=[task.task_id])
            if request.htmx:
                return HttpResponseClientRedirect(done)
            return redirect(done)
        body = submission.html
        status = 200 if request.htmx else 400
    else:
        body = task_type.render(
            request,
            params=task.params,
            rendered=task.rendered,
            response=task.response,
            hypothesis=task.hypothesis,
            readonly=readonly,
            context=context,
        )
    return _render_page(request, task, task_type, body, readonly=readonly, status=status)


def _render_page(
    request: HttpRequest,
    task: Task,
    task_type: registry.TaskType,
    body: str,
    *,
    readonly: bool = False,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    template = "labeling/label.html"
    if request.htmx and request.method == "POST":
        template += "#task-form"
    return render(
        request,
        template,
        {
            "task": task,
            "task_type": task_type,
            "body": body,
            "readonly": readonly,
            "error": error,
            "instruction_html": task.rendered.get("instruction_html", ""),
        },
        status=status,
    )


@login_required
def label_done(request: HttpRequest, task_id: str) -> HttpResponse:
    return render(request, "labeling/done.html", {"task_id": task_id})


def _lease(task: Task, user: object) -> None:
    """Hold the task for this worker while they work on it (renewed on each view)."""
    if task.status != Task.Status.PENDING:
        return
    now = timezone.now()
    if task.leased_to_id not in (None, getattr(user, "pk", None)) and (
        task.lease_expires_at and task.lease_expires_at > now
    ):
        return  # a reviewer looking at someone else's task does not take it
    Task.objects.filter(pk=task.pk).update(
        leased_to=user, lease_expires_at=now + timedelta(minutes=settings.LEASE_MINUTES)
    )
