"""The Named Entity Recognition task type as the platform sees it.

Domain rules live in ner.schema (params), ner.response (responses) and
ner.offsets (code points, UTF-16, grapheme clusters); this module adapts them
to the registry contract and renders the page body."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from labeling.errors import ValidationProblem
from labeling.registry import Submission, TaskType
from ner.response import check_response
from ner.schema import Taxonomy, check_params

FIELD_NAME = "ner_response"


def _element_text(value: Any) -> SafeString:
    """JSON as the text of an HTML element. Only & and < need escaping there;
    Django's escape() would also turn every quote into &quot; (3x the size)."""
    raw = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return mark_safe(raw.replace("&", "&amp;").replace("<", "&lt;"))  # noqa: S308


class NerType(TaskType):
    name = "namedentityrecognition"
    verbose_name = "Named entity recognition"
    # Deferred, so they run in this order; ner.js mixes the others into its page class.
    scripts = (
        "ner/offsets.js",
        "ner/panel.js",
        "ner/persist.js",
        "ner/draw.js",
        "ner/relations.js",
        "ner/pointer.js",
        "ner/keys.js",
        "ner/ner.js",
    )
    styles = ("ner/ner.css",)

    def validate_params(self, params: Any) -> dict[str, Any]:
        return check_params(params)

    def validate_hypothesis(self, params: dict[str, Any], hypothesis: Any) -> Any:
        return check_response(Taxonomy(params), hypothesis, fill_ids=True)

    def validate_response(self, params: dict[str, Any], response: Any) -> dict[str, Any]:
        return check_response(Taxonomy(params), response)

    def render(
        self,
        request,
        *,
        params: dict[str, Any],
        rendered: dict[str, Any],
        response: dict[str, Any] | None = None,
        hypothesis: Any = None,
        readonly: bool = False,
        context: dict[str, Any] | None = None,
    ) -> str:
        if response is not None:
            initial, source = response, "response"
        elif hypothesis is not None:
            initial, source = hypothesis, "hypothesis"
        else:
            initial, source = {"annotations": [], "relationships": []}, "empty"
        return self._render(
            request, params=params, initial=initial, source=source, readonly=readonly,
            context=context,
        )  # fmt: skip

    def _render(
        self,
        request,
        *,
        params: dict[str, Any],
        initial: Any,
        source: str,
        readonly: bool,
        context: dict[str, Any] | None,
        errors: Sequence[tuple[str, str]] = (),
    ) -> str:
        task = (context or {}).get("task")
        taxonomy = Taxonomy(params)
        config = {
            **taxonomy.page_config(),
            "text": taxonomy.text,
            "task_key": task.task_id if task is not None else "",
            "readonly": readonly,
            "source": source,
            "initial": initial,
            "errors": [{"path": path, "message": msg} for path, msg in errors],
        }
        return render_to_string(
            "ner/body.html",
            {
                "config_json": _element_text(config),
                "text": taxonomy.text,
                "readonly": readonly,
                "errors": errors,
                "field_name": FIELD_NAME,
                "named_relations": taxonomy.named_relations,
                "has_relations": bool(taxonomy.relations),
            },
            request=request,
        )

    def parse_submission(
        self,
        request,
        *,
        data,
        params: dict[str, Any],
        rendered: dict[str, Any],
        context: dict[str, Any] | None = None,
    ) -> Submission:
        raw = data.get(FIELD_NAME, "")
        posted: Any = None
        try:
            if not raw:
                raise ValidationProblem(
                    FIELD_NAME, "nothing was posted (the labeling page needs JavaScript)"
                )
            try:
                posted = json.loads(raw)
            except ValueError as exc:
                raise ValidationProblem(FIELD_NAME, f"is not valid JSON ({exc})") from exc
            response = check_response(Taxonomy(params), posted)
        except ValidationProblem as exc:
            errors: dict[str, list[str]] = {}
            for path, msg in exc.problems:
                errors.setdefault(path, []).append(msg)
            html = self._render(
                request,
                params=params,
                # Re-render with what the worker posted, so nothing is lost.
                initial=posted if isinstance(posted, dict) else None,
                source="posted",
                readonly=False,
                context=context,
                errors=exc.problems,
            )
            return Submission(response=None, errors=errors, html=html)
        return Submission(response=response)
