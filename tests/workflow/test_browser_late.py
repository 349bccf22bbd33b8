"""A submit the server refuses (the task was completed meanwhile, e.g. in another
tab) shows its reason on the page instead of silently doing nothing."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from labeling import queue
from labeling.models import ResponseRevision
from tests.textcollection.test_browser import field, leased_task

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PARAMS = {"fields": [{"type": "text", "field_id": "answer", "title": "Answer"}]}


def test_late_submit_shows_why_and_keeps_the_answer(page, login_as, worker, account):
    task = leased_task(account, worker, PARAMS)
    login_as(worker)
    page.goto(f"/label/{task.task_id}/")
    field(page, "answer").get_by_role("textbox").fill("second answer")
    # Completed meanwhile (another tab of the same worker).
    queue.submit_response(task=task, response={"annotations": {"answer": "first"}}, user=worker)

    page.locator('[data-action="submit"]').click()
    expect(page.get_by_role("alert")).to_contain_text("already completed")
    assert f"/label/{task.task_id}/" in page.url
    task.refresh_from_db()
    assert task.response == {"annotations": {"answer": "first"}}
    late = ResponseRevision.objects.get(task=task, kind=ResponseRevision.Kind.LATE)
    assert late.response == {"annotations": {"answer": "second answer"}}
    assert page.errors == []
