"""The workflow in a real Chromium: a worker's submit-and-next, a reviewer's
reject and fix, and an admin's taxonomy edit with a live preview."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from labeling import queue
from labeling.models import Project, ResponseRevision, Task
from labeling.services import create_task

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PARAMS = {"fields": [{"type": "text", "field_id": "item", "title": "Item name"}]}


@pytest.fixture
def menu(account, worker):
    project = Project.objects.create(
        account=account, name="menu", type="textcollection", params=PARAMS
    )
    project.workers.add(worker)
    return project


def new_task(account, **payload):
    return create_task(
        account=account, type_name="textcollection", payload={"project": "menu", **payload}
    )


def completed(account, worker, answer):
    new_task(account)
    task = queue.claim_next(user=worker)
    return queue.submit_response(
        task=task, response={"annotations": {"item": answer}}, user=worker, require_lease=True
    )


def test_worker_takes_next_labels_and_submits_and_next_by_keyboard(
    page, login_as, worker, account, menu
):
    first = new_task(account, priority=30)
    second = new_task(account)
    login_as(worker)
    page.goto("/queue/")
    expect(page.locator('[data-count="available"]')).to_have_text("2")
    page.get_by_role("button", name="Next task").click()
    page.wait_for_url(f"**/label/{first.task_id}/")
    page.get_by_label("Item name").fill("Tom yum soup")
    page.keyboard.press("Control+Enter")  # submit and next, one keystroke
    page.wait_for_url(f"**/label/{second.task_id}/")
    first.refresh_from_db()
    assert first.status == Task.Status.COMPLETED
    assert first.response["annotations"]["item"] == "Tom yum soup"
    assert Task.objects.get(pk=second.pk).leased_to == worker

    page.get_by_label("Item name").fill("Pad thai")
    page.keyboard.press("Control+Enter")
    page.wait_for_url("**/queue/?empty=1")
    expect(page.locator("[data-queue-empty]")).to_be_visible()
    assert Task.objects.get(pk=second.pk).response["annotations"]["item"] == "Pad thai"
    assert page.errors == []


def test_reviewer_rejects_one_and_fixes_another(page, login_as, worker, reviewer, account, menu):
    wrong = completed(account, worker, "Tom yum")
    typo = completed(account, worker, "Pad tai")
    login_as(reviewer)
    page.goto("/review/")
    expect(page.locator(f'[data-review-row="{wrong.task_id}"]')).to_be_visible()

    page.locator(f'[data-review-row="{wrong.task_id}"] a').first.click()
    expect(page.get_by_label("Item name")).to_have_value("Tom yum")
    page.get_by_label("Reject with a comment").fill("The item is the soup's full name")
    page.get_by_role("button", name="Reject").click()
    expect(page.locator("[data-review-status]").first).to_have_text("rejected")
    wrong.refresh_from_db()
    assert wrong.status == Task.Status.PENDING and wrong.response is None
    assert wrong.revisions.filter(kind=ResponseRevision.Kind.REJECTED).exists()

    page.goto(f"/review/{typo.task_id}/")
    page.get_by_role("link", name="Fix…").click()
    page.get_by_label("Item name").fill("Pad thai")
    page.get_by_role("button", name="Save fix").click()
    expect(page.locator("[data-review-status]").first).to_have_text("fixed")
    typo.refresh_from_db()
    assert typo.response["annotations"]["item"] == "Pad thai"
    assert typo.customer_review_status == "fixed"
    assert typo.revisions.get(kind="submitted").response["annotations"]["item"] == "Pad tai"
    assert page.errors == []


def test_admin_edits_taxonomy_sees_error_at_path_fixes_it_and_preview_updates(
    page, login_as, admin_user, account, menu
):
    login_as(admin_user)
    page.goto(f"/admin/labeling/project/{menu.pk}/change/")
    preview = page.locator("[data-params-preview]")
    expect(preview.get_by_label("Item name")).to_be_visible()  # loaded on page load

    editor = page.locator("[data-params-json]")
    mistake = {
        "fields": [
            {"type": "text", "field_id": "item", "title": "Dish"},
            {"type": "text", "field_id": "price", "title": ""},
        ]
    }
    editor.fill(json.dumps(mistake, indent=2))
    editor.press("End")  # a keystroke: the preview listens to keyup, debounced
    expect(preview.locator('[data-problem-path="params.fields[1].title"]')).to_be_visible()

    fixed = {
        "fields": [
            {"type": "text", "field_id": "item", "title": "Dish"},
            {"type": "text", "field_id": "price", "title": "Price"},
        ]
    }
    editor.fill(json.dumps(fixed, indent=2))
    editor.press("End")
    expect(preview.get_by_label("Price")).to_be_visible()
    expect(preview.get_by_label("Dish")).to_be_visible()
    expect(preview.locator("[data-params-problems]")).to_have_count(0)

    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**/admin/labeling/project/")
    menu.refresh_from_db()
    assert [f["title"] for f in menu.params["fields"]] == ["Dish", "Price"]
    assert page.errors == []
