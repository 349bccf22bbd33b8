"""The worker's pages: the queue home, "next task", and the labeling page shell.

The task type renders the body (fields, or the NER text) and parses the
submission; these views do access, leasing, saving and redirects."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from labeling import batches, queue, registry, roles
from labeling.access import get_batch_for_user, get_task_for_labeling, role_required
from labeling.models import Task


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if roles.has_role(request.user, roles.WORKER):
        return redirect("queue")
    return render(request, "labeling/home.html", {}, status=403)


@role_required(roles.WORKER)
def queue_home(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    leased = Task.objects.leased_to_user(request.user, now).select_related("project").queue_order()
    return render(
        request,
        "labeling/queue.html",
        {
            "counts": queue.queue_counts(user=request.user, now=now),
            "leased": leased,
            "projects": request.user.assigned_projects.order_by("name"),
            "empty": request.GET.get("empty") == "1",
            "released": request.GET.get("released") == "1",
        },
    )


@require_POST
@role_required(roles.WORKER)
def queue_next(request: HttpRequest) -> HttpResponse:
    return _redirect(request, _next_url(request))


def _next_url(request: HttpRequest) -> str:
    task_id = queue.claim_next_task_id(user=request.user)
    if task_id is None:
        return reverse("queue") + "?empty=1"
    return reverse("label", args=[task_id])


def _redirect(request: HttpRequest, url: str) -> HttpResponse:
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


@role_required(roles.WORKER)
def label(request: HttpRequest, task_id: str) -> HttpResponse:
    is_post = request.method == "POST"
    task = get_task_for_labeling(request.user, task_id, for_submit=is_post)
    task_type = registry.get(task.type)
    assert task_type is not None, f"task type {task.type} is not registered"
    context = {"task": task}

    if not is_post:
        holds = task.leased_to_id == request.user.pk and queue.take_lease(
            task=task, user=request.user
        )
        body = task_type.render(
            request,
            params=task.params,
            rendered=task.rendered,
            response=task.response,
            hypothesis=task.hypothesis,
            readonly=not holds,
            context=context,
        )
        return _render_page(request, task, task_type, body, readonly=not holds)

    # A worker posting to a task they do not hold (their lease moved on) may
    # not see its content: they get the outcome only, never the task page.
    may_see = (
        roles.has_role(request.user, roles.REVIEWER)
        or task.leased_to_id == request.user.pk
        or task.completed_by_id == request.user.pk
    )
    submission = task_type.parse_submission(
        request, data=request.POST, params=task.params, rendered=task.rendered, context=context
    )
    if not may_see:
        return _late_without_content(request, task, submission)
    if not submission.ok:
        status = 200 if request.htmx else 400
        return _render_page(request, task, task_type, submission.html, status=status)
    assert submission.response is not None
    try:
        queue.submit_response(
            task=task, response=submission.response, user=request.user, require_lease=True
        )
    except queue.SubmitRejected as exc:
        # Show what they submitted, read-only, with the reason: it is kept as a
        # "late" revision, so nothing is lost.
        body = task_type.render(
            request,
            params=task.params,
            rendered=task.rendered,
            response=submission.response,
            readonly=True,
            context=context,
        )
        return _render_page(
            request, task, task_type, body, readonly=True, error=str(exc), status=409
        )
    if request.POST.get("after") == "stop":
        return _redirect(request, reverse("label-done", args=[task.task_id]))
    return _redirect(request, _next_url(request))


def _late_without_content(
    request: HttpRequest, task: Task, submission: registry.Submission
) -> HttpResponse:
    if submission.ok:
        assert submission.response is not None
        try:
            queue.submit_response(
                task=task, response=submission.response, user=request.user, require_lease=True
            )
        except queue.SubmitRejected as exc:
            error = str(exc)
        else:
            return _redirect(request, _next_url(request))
    else:
        error = (
            f"Task {task.task_id} is not leased to you any more, and your answer was "
            "incomplete, so there was nothing to keep."
        )
    template = "labeling/late.html" + ("#task-form" if request.htmx else "")
    return render(request, template, {"error": error}, status=409)


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


@require_POST
@role_required(roles.WORKER)
def label_lease(request: HttpRequest, task_id: str) -> JsonResponse:
    """Heartbeat from the labeling page (static/labeling/label.js) while the worker is active."""
    task = get_task_for_labeling(request.user, task_id, for_submit=True)
    expires = queue.renew_lease(task=task, user=request.user)
    if expires is None:
        return JsonResponse(
            {"leased": False, "error": "Your lease on this task has ended."}, status=409
        )
    return JsonResponse({"leased": True, "expires_at": expires.isoformat()})


@require_POST
@role_required(roles.WORKER)
def label_release(request: HttpRequest, task_id: str) -> HttpResponse:
    task = get_task_for_labeling(request.user, task_id, for_submit=True)
    queue.release(task=task, user=request.user)
    return _redirect(request, reverse("queue") + "?released=1")


@role_required(roles.WORKER)
def label_done(request: HttpRequest, task_id: str) -> HttpResponse:
    return render(request, "labeling/done.html", {"task_id": task_id})


@login_required
def batch_detail(request: HttpRequest, name: str) -> HttpResponse:
    batch = get_batch_for_user(request.user, name)
    return render(
        request,
        "labeling/batch.html",
        {"batch": batch, "progress": batches.progress(batch)},
    )
