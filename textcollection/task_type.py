"""The TextCollection task type as the platform sees it (labeling.registry.TaskType)."""

from __future__ import annotations

import copy
from typing import Any

from labeling.errors import ValidationProblem
from labeling.markdown import render_markdown
from labeling.registry import Submission, TaskType
from textcollection import response as responses
from textcollection.forms import TextCollectionForm
from textcollection.layout import initial_data
from textcollection.render import BodyRenderer
from textcollection.schema import params_key, parse_spec, spec_for


class TextCollectionType(TaskType):
    name = "textcollection"
    verbose_name = "Text collection"
    scripts = ("textcollection/textcollection.js",)
    styles = ("textcollection/textcollection.css",)

    def validate_params(self, params: Any) -> dict[str, Any]:
        parse_spec(params)
        normalized = copy.deepcopy(params)
        _rename_alias(normalized.get("fields", []))
        return normalized

    def validate_hypothesis(self, params: dict[str, Any], hypothesis: Any) -> Any:
        responses.hypothesis_annotations(spec_for(params), hypothesis)
        return hypothesis

    def validate_response(self, params: dict[str, Any], response: Any) -> dict[str, Any]:
        return responses.validate_response(spec_for(params), response)

    def prepare(self, params: dict[str, Any], instruction: str) -> dict[str, Any]:
        # Render once: text attachments become sanitized HTML at creation, and
        # the params' fingerprint keys the parsed-spec cache on every page view.
        attachments = params.get("attachments") or []
        return {
            "attachments_html": [
                render_markdown(a["content"]) if a.get("type") == "text" else ""
                for a in attachments
            ],
            "params_key": params_key(params),
        }

    def render(
        self,
        request: Any,
        *,
        params: dict[str, Any],
        rendered: dict[str, Any],
        response: dict[str, Any] | None = None,
        hypothesis: Any = None,
        readonly: bool = False,
        context: dict[str, Any] | None = None,
    ) -> str:
        spec = spec_for(params, key=rendered.get("params_key"))
        if response is not None:
            annotations = response.get("annotations", {})
        elif hypothesis is not None:
            try:
                annotations = responses.hypothesis_annotations(spec, hypothesis)
            except ValidationProblem:
                annotations = {}  # validated at creation; params could not have changed since
        else:
            annotations = {}
        return BodyRenderer(
            spec,
            rendered=rendered,
            data=initial_data(spec, annotations),
            readonly=readonly,
            refresh_url=_refresh_url(context),
        ).html()

    def parse_submission(
        self,
        request: Any,
        *,
        data: Any,
        params: dict[str, Any],
        rendered: dict[str, Any],
        context: dict[str, Any] | None = None,
    ) -> Submission:
        spec = spec_for(params, key=rendered.get("params_key"))
        form = TextCollectionForm(spec, data, n_attachments=len(spec.attachments))
        if form.is_valid():
            return Submission(response=form.response)
        html = BodyRenderer(
            spec,
            rendered=rendered,
            data=data,
            errors={k: [str(m) for m in v] for k, v in form.errors.items()},
            refresh_url=_refresh_url(context),
        ).html()
        return Submission(response=None, errors=form.error_places(), html=html)

    def urls(self) -> list[Any]:
        from textcollection.views import urlpatterns

        return urlpatterns


def _refresh_url(context: dict[str, Any] | None) -> str:
    task = (context or {}).get("task")
    if task is None:
        return ""
    from textcollection.views import refresh_url

    return refresh_url(task.task_id)


def _rename_alias(fields: list[Any]) -> None:
    """The spec's time_range example says `defaults_seconds`; store `default_seconds`."""
    for f in fields:
        if not isinstance(f, dict):
            continue
        if f.get("type") == "time_range" and "defaults_seconds" in f:
            f["default_seconds"] = f.pop("defaults_seconds")
        _rename_alias(f.get("fields") or [])
