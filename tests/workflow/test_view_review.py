"""/review/: list with filters and counts, the review page, accept / reject / fix."""

from __future__ import annotations

import pytest

from labeling import queue
from labeling.models import ResponseRevision, Task

pytestmark = pytest.mark.django_db


@pytest.fixture
def completed(project, make_task, worker):
    def _complete(answer: str, **payload):
        make_task(project, **payload)
        task = queue.claim_next(user=worker)
        return queue.submit_response(
            task=task, response={"annotations": {"answer": answer}}, user=worker, require_lease=True
        )

    return _complete


def test_list_shows_completed_tasks_with_counts_and_filters(client, reviewer, completed, worker):
    a = completed("one")
    b = completed("two")
    client.force_login(reviewer)
    html = client.get("/review/").content.decode()
    assert f'data-review-row="{a.task_id}"' in html and f'data-review-row="{b.task_id}"' in html
    assert 'data-count="total">2<' in html and 'data-count="unreviewed">2<' in html
    for name in ["project", "batch", "worker", "review", "completed_from", "completed_to"]:
        assert f'name="{name}"' in html
    filtered = client.get("/review/", {"review": "accepted"}).content.decode()
    assert "No task matches" in filtered


def test_worker_filter_and_date_filter(client, reviewer, completed, worker):
    completed("one")
    client.force_login(reviewer)
    by_worker = client.get("/review/", {"worker": worker.pk}).content.decode()
    assert 'data-count="total">1<' in by_worker
    old = client.get("/review/", {"completed_to": "2000-01-01"}).content.decode()
    assert 'data-count="total">0<' in old
    bad = client.get("/review/", {"completed_from": "2030-01-02", "completed_to": "2030-01-01"})
    assert "must be on or after the start date" in bad.content.decode()


def test_review_page_shows_response_read_only_and_hypothesis_diff(client, reviewer, completed):
    task = completed("a dog", hypothesis={"annotations": {"answer": "a cat"}})
    client.force_login(reviewer)
    html = client.get(f"/review/{task.task_id}/").content.decode()
    assert 'value="a dog"' in html and "readonly" in html
    assert "data-hypothesis-diff" in html
    assert "annotations.answer" in html and "a cat" in html
    assert 'data-action="accept"' in html and 'data-action="reject"' in html


def test_accept(client, reviewer, completed):
    task = completed("ok")
    client.force_login(reviewer)
    answer = client.post(f"/review/{task.task_id}/accept/", follow=True)
    assert "accepted" in answer.content.decode()
    task.refresh_from_db()
    assert task.customer_review_status == "accepted" and task.reviewed_by == reviewer
    assert task.audits[-1]["audit_result"] == "accepted"


def test_reject_needs_comment_then_returns_task_to_queue(client, reviewer, completed, worker):
    task = completed("wrong")
    client.force_login(reviewer)
    empty = client.post(f"/review/{task.task_id}/reject/", {"comment": "  "})
    assert empty.status_code == 400 and "needs a comment" in empty.content.decode()
    client.post(f"/review/{task.task_id}/reject/", {"comment": "Look again"})
    task.refresh_from_db()
    assert task.status == "pending" and task.response is None
    assert task.customer_review_status == "rejected"
    assert task.customer_review_comments == ["Look again"]
    kept = task.revisions.get(kind=ResponseRevision.Kind.REJECTED)
    assert kept.response == {"annotations": {"answer": "wrong"}} and kept.comment == "Look again"
    # Back in the queue, and the worker sees the reviewer's note.
    again = queue.claim_next(user=worker)
    assert again.pk == task.pk
    client.force_login(worker)
    assert "Look again" in client.get(f"/label/{task.task_id}/").content.decode()


def test_fix_edits_in_the_same_form(client, reviewer, completed):
    task = completed("typo")
    client.force_login(reviewer)
    form = client.get(f"/review/{task.task_id}/fix/").content.decode()
    assert 'value="typo"' in form and "readonly" not in form
    client.post(f"/review/{task.task_id}/fix/", {"answer": "fixed", "review_comment": "spelling"})
    task.refresh_from_db()
    assert task.response == {"annotations": {"answer": "fixed"}}
    assert task.customer_review_status == "fixed" and task.status == "completed"
    kinds = list(task.revisions.values_list("kind", flat=True))
    assert kinds == ["submitted", "fixed"]
    assert task.revisions.get(kind="submitted").response == {"annotations": {"answer": "typo"}}


def test_fix_with_invalid_input_changes_nothing(client, reviewer, completed):
    task = completed("keep")
    client.force_login(reviewer)
    answer = client.post(f"/review/{task.task_id}/fix/", {"answer": ""})
    assert answer.status_code == 400 and "This field is required." in answer.content.decode()
    assert Task.objects.get(pk=task.pk).response == {"annotations": {"answer": "keep"}}


def test_actions_on_pending_task_conflict(client, reviewer, project, make_task):
    task = make_task(project)
    client.force_login(reviewer)
    answer = client.post(f"/review/{task.task_id}/accept/")
    assert answer.status_code == 409 and "only completed tasks" in answer.content.decode()


def test_to_review_filter_lists_sampled(client, reviewer, completed, settings):
    settings.REVIEW_SAMPLE_RATE = 1.0
    task = completed("s")
    client.force_login(reviewer)
    html = client.get("/review/", {"review": "to_review"}).content.decode()
    assert f'data-review-row="{task.task_id}"' in html and "sampled" in html
