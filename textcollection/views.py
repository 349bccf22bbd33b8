"""The HTMX round trip: re-render the body from the form's current values.

Conditions, choices_from_field, "add another", "remove", ranking moves and
form tabs all post here; the server recomputes what is shown, so the page
never decides visibility on its own. Without JS the op buttons submit the
whole form here and get the whole page back.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from labeling import registry
from labeling.access import get_task_for_labeling
from labeling.models import Task
from textcollection.layout import OP, apply_op, build_layout
from textcollection.render import BodyRenderer
from textcollection.schema import spec_for


def refresh_url(task_id: str) -> str:
    return reverse("textcollection-refresh", args=[task_id])


@login_required
@require_POST
def refresh(request: HttpRequest, task_id: str) -> HttpResponse:
    task = get_task_for_labeling(request.user, task_id)
    spec = spec_for(task.params, key=task.rendered.get("params_key"))
    # Same rule as the labeling page: only the lease holder edits.
    readonly = task.status != Task.Status.PENDING or task.leased_to_id != request.user.pk
    data = request.POST
    op = data.get(OP, "")
    if op and not readonly:
        data = apply_op(build_layout(spec, data), data, op)
    body = BodyRenderer(
        spec,
        rendered=task.rendered,
        data=data,
        readonly=readonly,
        refresh_url=refresh_url(task.task_id),
    ).html()
    if request.htmx and request.htmx.target != "task-form":
        return HttpResponse(body)
    context = {
        "task": task,
        "task_type": registry.get(task.type),
        "body": body,
        "readonly": readonly,
        "error": "",
        "instruction_html": task.rendered.get("instruction_html", ""),
    }
    if request.htmx:
        # An op button pressed before htmx processed it (it was swapped in a few
        # milliseconds earlier) submits the whole form, and the form's own hx-post
        # swaps #task-form: send the form back, not a bare body that would replace
        # it (taking the form element and its submit buttons with it).
        return render(request, "labeling/label.html#task-form", context)
    return render(request, "labeling/label.html", context)


urlpatterns = [
    path("<str:task_id>/refresh/", refresh, name="textcollection-refresh"),
]
