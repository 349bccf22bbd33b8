"""The TextCollection task type as the platform sees it."""

from __future__ import annotations

from typing import Any

from labeling.errors import Problems, ValidationProblem
from labeling.registry import TaskType


class TextCollectionType(TaskType):
    name = "textcollection"
    verbose_name = "Text collection"

    def validate_params(self, params: Any) -> dict[str, Any]:
        problems = Problems()
        fields = params.get("fields")
        if not isinstance(fields, list) or not fields:
            problems.add("fields", "must be a non-empty list of fields")
        else:
            for i, field in enumerate(fields):
                if not isinstance(field, dict):
                    problems.add(f"fields[{i}]", "must be an object")
                    continue
                for key in ("type", "field_id", "title"):
                    if not isinstance(field.get(key), str) or not field[key]:
                        problems.add(f"fields[{i}].{key}", "must be a non-empty string")
        attachments = params.get("attachments", [])
        if not isinstance(attachments, list):
            problems.add("attachments", "must be a list")
        problems.raise_if_any()
        return params

    def validate_hypothesis(self, params: dict[str, Any], hypothesis: Any) -> Any:
        if not isinstance(hypothesis, dict) or "annotations" not in hypothesis:
            raise ValidationProblem("annotations", "is required")
        return hypothesis
