"""An optional radio group (boolean, single-choice category) can be cleared
again; the fields that depend on it hide, and the answer leaves the response."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.textcollection.test_browser import field, leased_task, submit_and_wait

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PARAMS = {
    "fields": [
        {
            "type": "category",
            "field_id": "occlusion",
            "title": "Occlusion",
            "choices": [
                {"label": "None", "value": "0"},
                {"label": "A little", "value": "1"},
                {"label": "A lot", "value": "2"},
            ],
        },
        {
            "type": "text",
            "field_id": "detail",
            "title": "What occludes it?",
            "required": True,
            "conditions": [{"occlusion": ["1", "2"]}],
        },
        {"type": "boolean", "field_id": "sharp", "title": "Is it sharp?"},
        {"type": "boolean", "field_id": "seen", "title": "Seen?", "required": True},
    ]
}


def test_clearing_optional_radios(page, login_as, worker, account):
    task = leased_task(account, worker, PARAMS)
    login_as(worker)
    page.goto(f"/label/{task.task_id}/")

    # A required group offers no Clear.
    expect(field(page, "seen").locator("[data-clear-radios]")).to_have_count(0)

    occlusion = field(page, "occlusion")
    occlusion.get_by_label("A lot").check()
    expect(field(page, "detail")).to_be_visible()
    field(page, "detail").get_by_role("textbox").fill("a tree")
    occlusion.get_by_role("button", name="Clear the answer to").click()
    expect(occlusion.get_by_label("A lot")).not_to_be_checked()
    expect(field(page, "detail")).to_be_hidden()  # the condition follows the cleared answer

    sharp = field(page, "sharp")
    sharp.get_by_label("Yes").check()
    sharp.get_by_role("button", name="Clear the answer to").click()
    expect(sharp.get_by_label("Yes")).not_to_be_checked()

    field(page, "seen").get_by_label("No").check()
    assert submit_and_wait(page, task) == {"annotations": {"seen": False}}
    assert page.errors == []
