"""The task-type registry: the one seam between the platform and a task-type app.

A task type is an app whose AppConfig.ready() calls `register(MyType())`. The
platform (API, labeling page, review portal, admin preview, exports) only ever
talks to task types through the methods below, so a new task type is a new app
and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.http import HttpRequest, QueryDict
    from django.urls import URLPattern, URLResolver


@dataclass
class Submission:
    """What a task type made of a submitted form.

    `response` is the callback response (the spec's format) when the
    submission is valid, else None; `errors` maps a place (field_id or path)
    to messages; `html` re-renders the labeling body with the worker's input
    and the errors, so nothing typed is lost."""

    response: dict[str, Any] | None
    errors: dict[str, list[str]] = field(default_factory=dict)
    html: str = ""

    @property
    def ok(self) -> bool:
        return self.response is not None and not self.errors


class TaskType:
    """Base class for task types. Subclasses set `name` (the API path segment:
    POST /v1/task/<name>) and `verbose_name`, and implement the methods."""

    name: str = ""
    verbose_name: str = ""

    def validate_params(self, params: Any) -> dict[str, Any]:
        """Check the task's params (already merged with the project's) and
        return them normalized. Raise labeling.errors.ValidationProblem with
        paths relative to params (e.g. "fields[2].title")."""
        raise NotImplementedError

    def validate_hypothesis(self, params: dict[str, Any], hypothesis: Any) -> Any:
        """Check a hypothesis against validated params; return it normalized."""
        raise NotImplementedError

    def validate_response(self, params: dict[str, Any], response: Any) -> dict[str, Any]:
        """Check a response given as JSON (review fixes, imports); return it normalized."""
        raise NotImplementedError

    def prepare(self, params: dict[str, Any], instruction: str) -> dict[str, Any]:
        """Derive what pages need from params once, at creation: stored as
        Task.rendered (e.g. sanitized attachment HTML)."""
        return {}

    def render(
        self,
        request: HttpRequest,
        *,
        params: dict[str, Any],
        rendered: dict[str, Any],
        response: dict[str, Any] | None = None,
        hypothesis: Any = None,
        readonly: bool = False,
        context: dict[str, Any] | None = None,
    ) -> str:
        """HTML for the labeling body (inside the platform's page and <form>).

        Pre-fills `response` if given, else the `hypothesis`. `context` carries
        platform values such as `task` (None in admin preview)."""
        raise NotImplementedError

    def parse_submission(
        self,
        request: HttpRequest,
        *,
        data: QueryDict,
        params: dict[str, Any],
        rendered: dict[str, Any],
        context: dict[str, Any] | None = None,
    ) -> Submission:
        """Turn a submitted form into a response, or errors plus re-rendered HTML."""
        raise NotImplementedError

    def urls(self) -> list[URLPattern | URLResolver]:
        """Extra URL patterns (HTMX partials), mounted under /t/<name>/."""
        return []

    # Helpers for the page shell: static assets this type's body needs.
    scripts: tuple[str, ...] = ()
    styles: tuple[str, ...] = ()


_registry: dict[str, TaskType] = {}


def register(task_type: TaskType) -> TaskType:
    if not task_type.name:
        raise ValueError("a task type needs a name")
    _registry[task_type.name] = task_type
    return task_type


def get(name: str) -> TaskType | None:
    return _registry.get(name)


def names() -> list[str]:
    return sorted(_registry)


def all_types() -> list[TaskType]:
    return [_registry[name] for name in names()]
