"""Django admin: every model, a JSON params editor with a live preview for
projects, batch progress bars, and callback attempts on the task page."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Count, Q, QuerySet
from django.forms.renderers import TemplatesSetting
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_POST

from labeling import batches, registry, services
from labeling.errors import ValidationProblem
from labeling.models import (
    Account,
    ApiKey,
    Batch,
    CallbackAttempt,
    CallbackDelivery,
    Project,
    ResponseRevision,
    Task,
)

# ---------------------------------------------------------------- params editor


class ParamsEditorWidget(forms.Textarea):
    """A monospaced JSON editor with a live preview beside it (HTMX, debounced)."""

    template_name = "admin/labeling/params_widget.html"

    @property
    def media(self) -> forms.Media:
        # Built per request: task types register in AppConfig.ready(), after
        # the admin module is imported. The preview renders any type, so it
        # needs every type's assets.
        types = registry.all_types()
        return forms.Media(
            css={
                "all": [
                    "labeling/progress.css",
                    "labeling/admin-params.css",
                    *(s for t in types for s in t.styles),
                ]
            },
            js=[
                "django_htmx/htmx-2.min.js",
                "labeling/admin-params.js",
                *(s for t in types for s in t.scripts),
            ],
        )

    def __init__(self, attrs: dict[str, Any] | None = None):
        super().__init__(attrs={"rows": 24, "cols": 80, "spellcheck": "false", **(attrs or {})})

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> str:
        # The template lives in the project's templates/ (the default form
        # renderer only looks in apps and Django's own form templates).
        return super().render(name, value, attrs, renderer=TemplatesSetting())

    def format_value(self, value: Any) -> str:
        # The form gives a string back after a failed POST (keep what was typed);
        # a dict from the database is pretty-printed.
        if isinstance(value, str):
            return value
        return json.dumps(value if value is not None else {}, indent=2, ensure_ascii=False)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["preview_url"] = reverse("admin:labeling_project_preview")
        context["project_type"] = self.attrs.get("data-project-type", "")
        return context


def parse_params_json(text: str) -> Any:
    """Parse the editor's text; a syntax error names its line and column."""
    try:
        return json.loads(text or "{}")
    except json.JSONDecodeError as exc:
        raise ValidationProblem(
            "params", f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from exc


def validate_params_text(type_name: str, text: str) -> dict[str, Any]:
    """Parse the editor's text and validate it as the API's setParams does
    (project params may leave out what each task supplies). Problems carry
    paths like `params.fields[1].title`."""
    task_type = services.get_task_type(type_name)
    params = parse_params_json(text)
    if not isinstance(params, dict):
        raise ValidationProblem("params", "must be a JSON object")
    return services.validate_project_params(task_type, params)


class ProjectForm(forms.ModelForm):
    type = forms.ChoiceField(choices=())
    params = forms.CharField(widget=ParamsEditorWidget, required=False)

    class Meta:
        model = Project
        fields = ["account", "name", "type", "instruction", "params", "workers"]

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [(t.name, t.verbose_name) for t in registry.all_types()]
        if self.instance.pk:
            # Tasks are created for one type; switching it would orphan them.
            # (A disabled select is not posted, so the preview gets the type
            # from the editor's own data attribute.)
            self.fields["type"].disabled = True
            self.fields["params"].widget.attrs["data-project-type"] = self.instance.type

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        type_name = data.get("type") or self.instance.type
        if "params" in data and type_name:
            try:
                data["params"] = validate_params_text(type_name, data["params"])
            except ValidationProblem as exc:
                for where, message in exc.problems:
                    self.add_error("params", f"{where}: {message}" if where else message)
        return data


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    form = ProjectForm
    list_display = ["name", "type", "account", "version", "created_at"]
    list_filter = ["type", "account"]
    search_fields = ["name"]
    filter_horizontal = ["workers"]
    readonly_fields = ["param_history_pretty"]

    @admin.display(description="Param history")
    def param_history_pretty(self, obj: Project) -> str:
        return format_html(
            "<pre class='params-history'>{}</pre>",
            json.dumps(obj.param_history, indent=2, ensure_ascii=False),
        )

    def save_model(self, request: HttpRequest, obj: Project, form: Any, change: bool) -> None:
        # Tasks keep the params they were created with (Task.params is a frozen
        # copy), so a taxonomy edit here never rewrites existing work. A change
        # of params or instruction goes through the API's setParams write, so
        # param_history gets the same versioned entry either way.
        if change and ({"params", "instruction"} & set(form.changed_data)):
            new_params, new_instruction = obj.params, obj.instruction
            old = Project.objects.get(pk=obj.pk)
            obj.params, obj.instruction = old.params, old.instruction
            super().save_model(request, obj, form, change)
            updated = services.set_project_params(
                project=obj, payload={"params": new_params, "instruction": new_instruction}
            )
            obj.params, obj.instruction = updated.params, updated.instruction
            obj.param_history = updated.param_history
            return
        super().save_model(request, obj, form, change)

    def get_urls(self) -> list[Any]:
        preview = self.admin_site.admin_view(require_POST(self.preview_view))
        return [path("preview/", preview, name="labeling_project_preview"), *super().get_urls()]

    def preview_view(self, request: HttpRequest) -> HttpResponse:
        """The rendered labeling form for the params being typed (HTMX partial)."""
        if not self.has_view_or_change_permission(request) and not self.has_add_permission(request):
            return HttpResponse(status=403)
        type_name = request.POST.get("type") or request.POST.get("project_type", "")
        context: dict[str, Any] = {"problems": [], "body": "", "note": ""}
        try:
            params = validate_params_text(type_name, request.POST.get("params", ""))
            task_type = services.get_task_type(type_name)
        except ValidationProblem as exc:
            context["problems"] = exc.problems
        else:
            context["body"], context["note"] = _render_preview(request, task_type, params)
        return HttpResponse(render_to_string("admin/labeling/params_preview.html", context))


def _render_preview(
    request: HttpRequest, task_type: registry.TaskType, params: dict[str, Any]
) -> tuple[str, str]:
    """(html, note): the labeling body as a worker would see it. Project params
    may leave keys to each task (NER's `text`); then there is nothing complete
    to render yet, which the note says instead of an error."""
    try:
        full = task_type.validate_params(dict(params))
    except ValidationProblem as exc:
        missing = ", ".join(sorted({path for path, _ in exc.problems}))
        return "", f"Each task supplies the rest ({missing}); the preview shows complete params."
    rendered = services.prepare_rendered(task_type, full, request.POST.get("instruction", ""))
    html = task_type.render(request, params=full, rendered=rendered, context={"preview": True})
    return html, ""


# ---------------------------------------------------------------- batches


def _progress_from_row(batch: Any) -> batches.Progress:
    return batches.Progress(
        total=batch.n_total,
        pending=batch.n_pending,
        completed=batch.n_completed,
        canceled=batch.n_canceled,
        error=batch.n_error,
    )


@admin.register(Batch)
class BatchAdmin(admin.ModelAdmin):
    list_display = ["name", "project", "status", "progress_bar", "created_at", "page_link"]
    list_filter = ["status", "project"]
    search_fields = ["name"]
    readonly_fields = ["progress_bar", "completed_at"]

    class Media:
        css = {"all": ["labeling/progress.css", "labeling/admin-params.css"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Batch]:
        # One query for every row's progress bar.
        return (
            super()
            .get_queryset(request)
            .select_related("project")
            .annotate(
                n_total=Count("tasks"),
                n_pending=Count("tasks", filter=Q(tasks__status=Task.Status.PENDING)),
                n_completed=Count("tasks", filter=Q(tasks__status=Task.Status.COMPLETED)),
                n_canceled=Count("tasks", filter=Q(tasks__status=Task.Status.CANCELED)),
                n_error=Count("tasks", filter=Q(tasks__status=Task.Status.ERROR)),
            )
        )

    @admin.display(description="Progress")
    def progress_bar(self, obj: Batch) -> str:
        progress = _progress_from_row(obj) if hasattr(obj, "n_total") else batches.progress(obj)
        return render_to_string("labeling/_progress.html", {"progress": progress})

    @admin.display(description="Page")
    def page_link(self, obj: Batch) -> str:
        return format_html('<a href="{}">view</a>', reverse("batch-detail", args=[obj.name]))


# ---------------------------------------------------------------- tasks and callbacks


class ResponseRevisionInline(admin.TabularInline):
    model = ResponseRevision
    extra = 0
    can_delete = False
    fields = ["created_at", "kind", "user", "comment", "response"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CallbackDeliveryInline(admin.TabularInline):
    model = CallbackDelivery
    fk_name = "task"
    extra = 0
    can_delete = False
    fields = [
        "event",
        "url",
        "status",
        "created_at",
        "delivered_at",
        "next_attempt_at",
        "attempt_list",
    ]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="Attempts")
    def attempt_list(self, obj: CallbackDelivery) -> str:
        return _attempts_html(obj)


def _attempts_html(delivery: CallbackDelivery) -> str:
    attempts = list(delivery.attempts.all())
    if not attempts:
        return "none yet"
    return format_html(
        "<ol class='callback-attempts'>{}</ol>",
        format_html_join(
            "",
            "<li>{} · {} · {} ms{}</li>",
            (
                (
                    a.at.strftime("%Y-%m-%d %H:%M:%S"),
                    a.status_code
                    if a.status_code is not None
                    else ("sent" if a.ok else "no answer"),
                    a.duration_ms,
                    f" · {a.error}" if a.error else "",
                )
                for a in attempts
            ),
        ),
    )


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = [
        "task_id",
        "type",
        "project",
        "batch",
        "status",
        "priority",
        "leased_to",
        "completed_by",
        "customer_review_status",
        "created_at",
    ]
    list_filter = ["status", "type", "customer_review_status", "review_sampled", "project"]
    search_fields = ["task_id", "unique_id"]
    list_select_related = ["project", "batch", "leased_to", "completed_by"]
    inlines = [ResponseRevisionInline, CallbackDeliveryInline]

    class Media:
        css = {"all": ["labeling/progress.css", "labeling/admin-params.css"]}

    readonly_fields = [
        "task_id",
        "account",
        "type",
        "project",
        "batch",
        "params",
        "rendered",
        "hypothesis",
        "response",
        "created_at",
        "updated_at",
        "completed_at",
        "completed_by",
        "audits",
        "reviewed_by",
        "reviewed_at",
    ]
    # Status, lease and review fields stay editable for an admin who must
    # unstick a task; the response changes only through the review portal.


class CallbackAttemptInline(admin.TabularInline):
    model = CallbackAttempt
    extra = 0
    can_delete = False
    fields = ["at", "status_code", "ok", "error", "duration_ms"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CallbackDelivery)
class CallbackDeliveryAdmin(admin.ModelAdmin):
    list_display = ["id", "event", "url", "status", "task", "batch", "created_at", "delivered_at"]
    list_filter = ["status", "event"]
    search_fields = ["task__task_id", "url"]
    list_select_related = ["task", "batch"]
    inlines = [CallbackAttemptInline]
    readonly_fields = ["task", "batch", "url", "event", "body", "created_at", "delivered_at"]


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ["name", "created_at"]
    readonly_fields = ["callback_secret"]


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["name", "account", "hint", "created_at", "revoked_at"]
    readonly_fields = ["key_hash", "hint", "created_at"]


@admin.register(ResponseRevision)
class ResponseRevisionAdmin(admin.ModelAdmin):
    list_display = ["task", "kind", "user", "created_at"]
    list_filter = ["kind"]
    search_fields = ["task__task_id"]
    readonly_fields = ["task", "kind", "response", "user", "comment", "created_at"]
