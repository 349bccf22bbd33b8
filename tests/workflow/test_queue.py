"""The queue's rules: order, eligibility, leases, release, submit, sampling."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from labeling import queue
from labeling.models import Batch, Project, ResponseRevision, Task

pytestmark = pytest.mark.django_db

ANSWER = {"annotations": {"answer": "a cat"}}


def test_next_is_highest_priority_then_oldest(project, make_task, worker):
    low = make_task(project, priority=10)
    first_mid = make_task(project, priority=20)
    second_mid = make_task(project, priority=20)
    high = make_task(project, priority=30)
    order = []
    for _ in range(4):
        task = queue.claim_next(user=worker)
        order.append(task.task_id)
        queue.submit_response(task=task, response=ANSWER, user=worker, require_lease=True)
    assert order == [high.task_id, first_mid.task_id, second_mid.task_id, low.task_id]
    assert queue.claim_next(user=worker) is None


def test_only_assigned_projects_and_open_batches(account, project, make_task, worker):
    other = Project.objects.create(
        account=account, name="other", type=project.type, params={"question": "Q?"}
    )
    make_task(other)
    staging = Batch.objects.create(account=account, project=project, name="b-staging")
    make_task(project, batch="b-staging")
    assert queue.claim_next(user=worker) is None
    staging.status = Batch.Status.IN_PROGRESS
    staging.save()
    task = queue.claim_next(user=worker)
    assert task is not None and task.batch_id == staging.pk


def test_claim_leases_and_returns_held_task(project, make_task, worker, settings):
    settings.LEASE_MINUTES = 7
    make_task(project)
    make_task(project)
    before = timezone.now()
    task = queue.claim_next(user=worker)
    assert task.leased_to_id == worker.pk
    assert timedelta(minutes=6) < task.lease_expires_at - before <= timedelta(minutes=7, seconds=5)
    # Asking again gives the same task, not a second lease.
    again = queue.claim_next(user=worker)
    assert again.pk == task.pk
    assert Task.objects.filter(leased_to=worker).count() == 1


def test_expired_lease_returns_task_to_queue(project, make_task, worker, make_user):
    other = make_user("otto", "worker")
    project.workers.add(other)
    make_task(project)
    task = queue.claim_next(user=worker)
    assert queue.claim_next(user=other) is None
    later = timezone.now() + timedelta(minutes=31)
    taken = queue.claim_next(user=other, now=later)
    assert taken is not None and taken.pk == task.pk and taken.leased_to_id == other.pk
    # The first worker's late submission is refused and kept, not applied.
    with pytest.raises(queue.SubmitRejected) as info:
        queue.submit_response(
            task=task, response=ANSWER, user=worker, require_lease=True, now=later
        )
    assert "not leased to you" in str(info.value)
    late = ResponseRevision.objects.get(task=task, kind=ResponseRevision.Kind.LATE)
    assert late.response == ANSWER and late.user == worker
    task.refresh_from_db()
    assert task.status == Task.Status.PENDING and task.response is None


def test_lease_expired_but_untaken_still_submits(project, make_task, worker):
    make_task(project)
    task = queue.claim_next(user=worker)
    later = timezone.now() + timedelta(hours=2)
    done = queue.submit_response(
        task=task, response=ANSWER, user=worker, require_lease=True, now=later
    )
    assert done.status == Task.Status.COMPLETED


def test_release_puts_task_back(project, make_task, worker):
    make_task(project)
    task = queue.claim_next(user=worker)
    assert queue.release(task=task, user=worker) is True
    task.refresh_from_db()
    assert task.leased_to is None and task.lease_expires_at is None
    assert queue.claim_next(user=worker).pk == task.pk


def test_renew_extends_only_own_live_lease(project, make_task, worker, make_user):
    make_task(project)
    task = queue.claim_next(user=worker)
    old = task.lease_expires_at
    new = queue.renew_lease(task=task, user=worker, now=timezone.now() + timedelta(minutes=5))
    assert new is not None and new > old
    assert queue.renew_lease(task=task, user=make_user("otto", "worker")) is None


def test_submit_completes_in_one_go_and_double_submit_is_kept(project, make_task, worker):
    make_task(project)
    task = queue.claim_next(user=worker)
    done = queue.submit_response(task=task, response=ANSWER, user=worker, require_lease=True)
    assert done.status == Task.Status.COMPLETED
    assert done.response == ANSWER and done.completed_by == worker
    assert done.completed_at is not None and done.leased_to is None
    second = {"annotations": {"answer": "a dog"}}
    with pytest.raises(queue.SubmitRejected) as info:
        queue.submit_response(task=task, response=second, user=worker, require_lease=True)
    assert "already completed" in str(info.value)
    done.refresh_from_db()
    assert done.response == ANSWER
    kinds = list(done.revisions.values_list("kind", "response"))
    assert kinds == [("submitted", ANSWER), ("late", second)]


def test_sampling_picks_the_configured_share_per_worker(project, make_task, worker, settings):
    settings.REVIEW_SAMPLE_RATE = 0.25
    for _ in range(8):
        make_task(project)
    for _ in range(8):
        task = queue.claim_next(user=worker)
        queue.submit_response(task=task, response=ANSWER, user=worker, require_lease=True)
    assert Task.objects.filter(completed_by=worker, review_sampled=True).count() == 2


def test_queue_counts(project, make_task, worker):
    make_task(project)
    make_task(project)
    queue.claim_next(user=worker)
    counts = queue.queue_counts(user=worker)
    assert counts["available"] == 1 and counts["leased"] == 1 and counts["completed"] == 0
