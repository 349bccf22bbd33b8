"""Clicking and hovering every element of the NER page, with and without a
selection or spans, raises no script error (a null-dereference was seen here)."""

from __future__ import annotations

import pytest

from tests.ner.test_browser import make_task, open_task

pytestmark = pytest.mark.browser

TEXT = "Ada Lovelace met Charles Babbage in London.\nThey wrote notes."


def test_clicking_everything_raises_no_page_error(page, login_as, account, admin_user):
    hypothesis = {
        "annotations": [
            {"start": 0, "end": 12, "label": "person"},
            {"start": 17, "end": 32, "label": "person"},
        ],
        "relationships": [],
    }
    task = make_task(account, TEXT, hypothesis=hypothesis)
    login_as(admin_user)
    open_task(page, task, admin_user)
    root = page.locator("[data-ner]")
    for _round in range(2):
        elements = root.locator("button:visible, [data-span-id]:visible, [data-ner-text]")
        for i in range(elements.count()):
            element = elements.nth(i)
            if not element.is_visible() or not element.is_enabled():
                continue
            element.hover()
            element.click(force=True, no_wait_after=True)
            page.keyboard.press("Escape")
        page.mouse.click(5, 5)
    # Plain clicks, double clicks (word selections) and triple clicks across the text.
    box = page.locator("[data-ner-text]").bounding_box()
    for fx in (0.05, 0.3, 0.6, 0.95):
        for fy in (0.2, 0.5, 0.8):
            x, y = box["x"] + box["width"] * fx, box["y"] + box["height"] * fy
            page.mouse.click(x, y)
            page.mouse.dblclick(x, y)
            page.mouse.click(x, y, click_count=3)
            page.keyboard.press("Escape")
    assert page.errors == []
