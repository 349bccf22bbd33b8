"""The Named Entity Recognition task type as the platform sees it."""

from __future__ import annotations

from typing import Any

from labeling.errors import Problems, ValidationProblem
from labeling.registry import TaskType


class NerType(TaskType):
    name = "namedentityrecognition"
    verbose_name = "Named entity recognition"

    def validate_params(self, params: Any) -> dict[str, Any]:
        problems = Problems()
        if not isinstance(params.get("text"), str):
            problems.add("text", "is required and must be a string")
        labels = params.get("labels")
        if not isinstance(labels, list) or not labels:
            problems.add("labels", "must be a non-empty list of labels")
        problems.raise_if_any()
        return params

    def validate_hypothesis(self, params: dict[str, Any], hypothesis: Any) -> Any:
        if not isinstance(hypothesis, dict):
            raise ValidationProblem("", "must be an object")
        return hypothesis
