"""Review portal pages (reviewers and admins only; everyone else gets 403)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from labeling import registry, roles
from labeling.access import get_task_for_review, role_required
from labeling.models import ResponseRevision, Task
from labeling.review import services
from labeling.review.diff import json_diff
from labeling.review.forms import (
    REVIEW_CHOICES,
    CommentForm,
    RejectForm,
    ReviewFilterForm,
    filter_review_status,
)
from labeling.services import Conflict

PAGE_SIZE = 50


def reviewable_tasks():
    """Completed tasks, plus tasks a reviewer already acted on (a rejected task
    is pending again but stays findable here)."""
    return Task.objects.filter(
        Q(status=Task.Status.COMPLETED) | Q(reviewed_at__isnull=False)
    ).select_related("project", "batch", "completed_by", "reviewed_by")


@role_required(roles.REVIEWER)
def review_list(request: HttpRequest) -> HttpResponse:
    form = ReviewFilterForm(request.GET or None)
    tasks = reviewable_tasks()
    review = ""
    if form.is_bound and form.is_valid():
        tasks = form.filter(tasks)
        review = form.cleaned_data.get("review") or ""
    counts = tasks.aggregate(
        total=Count("id", distinct=True),
        to_review=Count(
            "id",
            filter=Q(review_sampled=True, customer_review_status="", status="completed"),
            distinct=True,
        ),
        unreviewed=Count("id", filter=Q(customer_review_status=""), distinct=True),
        accepted=Count("id", filter=Q(customer_review_status="accepted"), distinct=True),
        rejected=Count("id", filter=Q(customer_review_status="rejected"), distinct=True),
        fixed=Count("id", filter=Q(customer_review_status="fixed"), distinct=True),
    )
    shown = filter_review_status(tasks, review).order_by("-completed_at", "-id")
    page = Paginator(shown, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "review/list.html",
        {
            "form": form,
            "page": page,
            "counts": counts,
            "count_labels": [(value, label) for value, label in REVIEW_CHOICES if value],
            "query": query.urlencode(),
        },
    )


def _review_context(request: HttpRequest, task: Task, **extra: object) -> dict[str, object]:
    task_type = registry.get(task.type)
    assert task_type is not None, f"task type {task.type} is not registered"
    revisions = list(task.revisions.select_related("user"))
    submitted = [r for r in revisions if r.kind == ResponseRevision.Kind.SUBMITTED]
    worker_response = submitted[-1].response if submitted else task.response
    changes = None
    if task.hypothesis is not None and worker_response is not None:
        changes = json_diff(task.hypothesis, worker_response)
    shown_response = task.response if task.response is not None else worker_response
    body = task_type.render(
        request,
        params=task.params,
        rendered=task.rendered,
        response=shown_response,
        readonly=True,
        context={"task": task, "review": True},
    )
    return {
        "task": task,
        "task_type": task_type,
        "body": body,
        "instruction_html": task.rendered.get("instruction_html", ""),
        "revisions": revisions,
        "changes": changes,
        "worker": submitted[-1].user if submitted else task.completed_by,
        "reject_form": RejectForm(),
        "accept_form": CommentForm(),
        "can_act": task.status == Task.Status.COMPLETED,
        **extra,
    }


@role_required(roles.REVIEWER)
def review_task(request: HttpRequest, task_id: str) -> HttpResponse:
    task = get_task_for_review(request.user, task_id)
    return render(request, "review/task.html", _review_context(request, task))


@require_POST
@role_required(roles.REVIEWER)
def review_accept(request: HttpRequest, task_id: str) -> HttpResponse:
    task = get_task_for_review(request.user, task_id)
    form = CommentForm(request.POST)
    comment = form.cleaned_data["comment"].strip() if form.is_valid() else ""
    try:
        services.accept(task=task, user=request.user, comment=comment)
    except Conflict as exc:
        return _conflict(request, task, str(exc))
    messages.success(request, f"Task {task.task_id} accepted.")
    return redirect(reverse("review-task", args=[task.task_id]))


@require_POST
@role_required(roles.REVIEWER)
def review_reject(request: HttpRequest, task_id: str) -> HttpResponse:
    task = get_task_for_review(request.user, task_id)
    form = RejectForm(request.POST)
    if not form.is_valid():
        context = _review_context(request, task, reject_form=form)
        return render(request, "review/task.html", context, status=400)
    try:
        services.reject(task=task, user=request.user, comment=form.cleaned_data["comment"])
    except Conflict as exc:
        return _conflict(request, task, str(exc))
    messages.success(request, f"Task {task.task_id} rejected and returned to the queue.")
    return redirect(reverse("review-task", args=[task.task_id]))


@role_required(roles.REVIEWER)
def review_fix(request: HttpRequest, task_id: str) -> HttpResponse:
    """The reviewer edits the response in the worker's form and saves it."""
    task = get_task_for_review(request.user, task_id)
    task_type = registry.get(task.type)
    assert task_type is not None, f"task type {task.type} is not registered"
    context = {"task": task, "review": True}
    status = 200
    error = ""
    if request.method == "POST":
        submission = task_type.parse_submission(
            request, data=request.POST, params=task.params, rendered=task.rendered, context=context
        )
        if submission.ok:
            assert submission.response is not None
            try:
                services.fix(
                    task=task,
                    user=request.user,
                    response=submission.response,
                    comment=request.POST.get("review_comment", "").strip()[:5000],
                )
            except Conflict as exc:
                return _conflict(request, task, str(exc))
            messages.success(request, f"Task {task.task_id} fixed.")
            return redirect(reverse("review-task", args=[task.task_id]))
        body = submission.html
        status = 400
    else:
        if task.status != Task.Status.COMPLETED:
            error = f"Task {task.task_id} is {task.status}; only completed tasks can be fixed."
        body = task_type.render(
            request,
            params=task.params,
            rendered=task.rendered,
            response=task.response,
            context=context,
        )
    return render(
        request,
        "review/fix.html",
        {
            "task": task,
            "task_type": task_type,
            "body": body,
            "error": error,
            "instruction_html": task.rendered.get("instruction_html", ""),
        },
        status=status,
    )


def _conflict(request: HttpRequest, task: Task, message: str) -> HttpResponse:
    task.refresh_from_db()
    context = _review_context(request, task, error=message)
    return render(request, "review/task.html", context, status=409)
