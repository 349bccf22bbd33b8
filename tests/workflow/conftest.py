"""Workflow fixtures: a tiny fake task type (one text input) so queue, review and
admin tests do not depend on the TextCollection/NER renderers, plus helpers to
create projects, tasks and leases."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils.html import escape

from labeling import registry
from labeling.errors import Problems
from labeling.registry import Submission, TaskType

FAKE = "faketext"


class FakeTextType(TaskType):
    """params: {"question": str}; response: {"annotations": {"answer": str}}."""

    name = FAKE
    verbose_name = "Fake text"

    def validate_params(self, params: Any) -> dict[str, Any]:
        problems = Problems()
        question = params.get("question")
        if not isinstance(question, str) or not question.strip():
            problems.add("question", "must be a non-empty string")
        choices = params.get("choices", [])
        if not isinstance(choices, list):
            problems.add("choices", "must be a list")
        else:
            for i, choice in enumerate(choices):
                if not isinstance(choice, str):
                    problems.add(f"choices[{i}]", "must be a string")
        problems.raise_if_any()
        return params

    def validate_hypothesis(self, params: dict[str, Any], hypothesis: Any) -> Any:
        return hypothesis

    def validate_response(self, params: dict[str, Any], response: Any) -> dict[str, Any]:
        return response

    def render(
        self,
        request,
        *,
        params,
        rendered,
        response=None,
        hypothesis=None,
        readonly=False,
        context=None,
        errors=None,
        value=None,
    ) -> str:
        source = response if response is not None else hypothesis
        if value is None:
            value = ((source or {}).get("annotations") or {}).get("answer", "")
        error_html = "".join(f'<p class="error">{escape(e)}</p>' for e in (errors or []))
        return (
            f'<div data-field-id="answer"><label for="answer">{escape(params["question"])}</label>'
            f'<input type="text" id="answer" name="answer" value="{escape(value)}"'
            f"{' readonly' if readonly else ''}>{error_html}</div>"
        )

    def parse_submission(self, request, *, data, params, rendered, context=None) -> Submission:
        answer = data.get("answer", "").strip()
        if not answer:
            html = self.render(
                request,
                params=params,
                rendered=rendered,
                errors=["This field is required."],
                value="",
            )
            return Submission(
                response=None, errors={"answer": ["This field is required."]}, html=html
            )
        return Submission(response={"annotations": {"answer": answer}})


registry.register(FakeTextType())


@pytest.fixture
def project(account, worker):
    from labeling.models import Project

    project = Project.objects.create(
        account=account, name="fake-proj", type=FAKE, params={"question": "What is it?"}
    )
    project.workers.add(worker)
    return project


@pytest.fixture
def make_task(account):
    from labeling import services

    def _make(project, **payload: Any):
        body = {"project": project.name, **payload}
        return services.create_task(account=account, type_name=project.type, payload=body)

    return _make


@pytest.fixture
def leased_task(project, make_task, worker):
    from labeling import queue

    make_task(project)
    task = queue.claim_next(user=worker)
    assert task is not None
    return task


def login(client, user):
    client.force_login(user)
    return client
