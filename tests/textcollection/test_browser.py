"""TextCollection in a real Chromium: fill every field type, conditions, FieldSet,
FormField with attachment forms, ranking by keyboard, hypothesis pre-fill; then
check the stored response."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from labeling import queue
from labeling.models import Task
from labeling.services import create_task
from tests.conftest import make_project
from tests.textcollection.kitchen import FORM_PARAMS, PARAMS
from tests.textcollection.test_response import EXPECTED

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def leased_task(account, worker, payload, name="menu"):
    project = make_project(account, name=name, type="textcollection")
    project.workers.add(worker)
    task = create_task(
        account=account, type_name="textcollection", payload={"project": name, **payload}
    )
    assert queue.take_lease(task=task, user=worker)
    return task


def field(page, field_id):
    return page.locator(f'[data-field-id="{field_id}"]')


def submit_and_wait(page, task):
    page.locator('[data-action="submit"]').click()
    page.wait_for_url(lambda url: f"/label/{task.task_id}/" not in url)
    task.refresh_from_db()
    assert task.status == Task.Status.COMPLETED, task.status
    return task.response


def test_every_field_type_conditions_fieldset_and_keyboard_ranking(page, login_as, worker, account):
    task = leased_task(account, worker, PARAMS)
    login_as(worker)
    page.goto(f"/label/{task.task_id}/")
    expect(page.locator(".tc-attachment-text h1")).to_have_text("Menu")

    # Conditions: the cause shows only once occlusion is 1 or 2.
    expect(field(page, "detail")).to_be_hidden()
    field(page, "occlusion").get_by_label("A little").check()
    expect(field(page, "detail")).to_be_visible()
    field(page, "occlusion").get_by_label("None").check()
    expect(field(page, "detail")).to_be_hidden()
    field(page, "occlusion").get_by_label("A lot").check()
    expect(field(page, "detail")).to_be_visible()
    field(page, "detail").get_by_label("Shadow").check()

    # Text with "add another"; the hint is a tooltip visible on focus.
    summary = field(page, "summary")
    summary.get_by_label("Summary (1)").fill("Soup")
    tooltip = summary.locator(".tc-hint-text")
    expect(tooltip).to_be_hidden()
    summary.locator(".tc-hint").focus()
    expect(tooltip).to_be_visible()
    expect(summary.locator(".tc-hint")).to_have_attribute("title", "Keep it short")
    summary.get_by_role("button", name="Add another Summary").click()
    summary.get_by_label("Summary (2)").fill("Tom yum\nhot")

    field(page, "available").get_by_label("Yes").check()
    field(page, "price").locator("input[type=number]").fill("11.79")

    # Slider with a live value in the number box.
    field(page, "rating").locator("input[type=range]").fill("7")
    expect(field(page, "rating").locator("input[type=number]")).to_have_value("7")

    # Datetime parts come pre-filled from defaults.
    expect(field(page, "released").get_by_label("Year")).to_have_value("2021")

    # Nested categories: parents are headings, only leaves are inputs.
    genre = field(page, "genre")
    expect(genre.locator("summary", has_text="Hip-Hop/Rap")).to_be_visible()
    expect(genre.locator('input[value="hip-hop-rap"]')).to_have_count(0)
    genre.get_by_label("Rap", exact=True).check()
    genre.get_by_label("Disco").check()

    field(page, "mood").locator("select").select_option("sad")
    best = field(page, "best_summary").locator("select")
    expect(best.locator("option")).to_have_count(3)  # "—", Soup, Tom yum...
    best.select_option(label="Soup")

    # Time ranges: the default, plus a second one in 5-minute steps.
    hours = field(page, "hours")
    expect(hours.locator("input[type=time]").first).to_have_value("08:00")
    hours.get_by_role("button", name="Add another Store hours").click()
    hours.locator('[data-slot="tc-10-1"]').get_by_label("From").fill("09:05")
    hours.locator('[data-slot="tc-10-1"]').get_by_label("To").fill("12:00")

    # Ranking by keyboard only: focus a button, press Enter.
    ranking = field(page, "ranking")
    ranking.get_by_role("button", name="Rank Attachment 1: # Menu").focus()
    page.keyboard.press("Enter")
    expect(ranking.locator(".tc-ranked .tc-rank-label")).to_have_text(["Attachment 1: # Menu"])
    ranking.get_by_role("button", name="Rank Attachment 3: Third item").focus()
    page.keyboard.press("Enter")
    expect(ranking.locator(".tc-ranked .tc-rank-label")).to_have_text(
        ["Attachment 1: # Menu", "Attachment 3: Third item"]
    )
    up = ranking.get_by_role("button", name="Move Attachment 3: Third item up")
    up.focus()
    page.keyboard.press("Enter")
    expect(ranking.locator(".tc-ranked .tc-rank-label")).to_have_text(
        ["Attachment 3: Third item", "Attachment 1: # Menu"]
    )
    expect(ranking.locator(".tc-ranked .tc-rank-tag")).to_have_text(["Best", "Worst"])
    expect(up).to_be_focused()  # focus follows the moved item

    # FieldSets: repeatable items, and a single metadata group.
    items = field(page, "category_items")
    items.get_by_label("Item name").fill("Tom Yum Chicken Soup")
    items.get_by_label("Item price").fill("11.79")
    items.get_by_role("button", name="Add another Items").click()
    second = items.locator('[data-slot="tc-12-1"]')
    second.get_by_label("Item name").fill("Tom Yum Beef Soup")
    second.get_by_label("Item price").fill("11.79")
    meta = field(page, "category_metadata")
    meta.get_by_label("Yes").check()
    meta.get_by_label("Labels (1)").fill("Free Range")
    meta.get_by_role("button", name="Add another Labels").click()
    meta.get_by_label("Labels (2)").fill("All Natural")

    assert submit_and_wait(page, task) == EXPECTED
    assert page.errors == []


RANKING_PARAMS = {
    "attachments": [{"type": "text", "content": name} for name in ("Alpha", "Beta", "Gamma", "Delta")],
    "fields": [
        {"type": "category", "field_id": "show", "title": "Show ranking",
         "choices": [{"label": "Yes", "value": "yes"}, {"label": "No", "value": "no"}]},
        {"type": "ranking_order", "field_id": "order", "title": "Order", "first_label": "Best",
         "last_label": "Worst", "num_items_to_rank": 3, "required": True,
         "conditions": [{"show": {"not": ["no"]}}]},
    ],
}  # fmt: skip


def ranked_labels(page):
    return field(page, "order").locator(".tc-ranked .tc-rank-label")


def test_fast_keyboard_ranking_keeps_every_press_in_order(page, login_as, worker, account):
    """Workers press keys fast: a burst of presses, no waiting between them, must
    end in the order that every press in turn produces, and be what is submitted."""
    task = leased_task(account, worker, RANKING_PARAMS, name="ranking")
    login_as(worker)
    page.goto(f"/label/{task.task_id}/")
    order = field(page, "order")
    order.get_by_role("button", name="Rank Attachment 1: Alpha").focus()
    keys = [
        "Enter", "Enter", "Enter",  # rank Alpha, Beta, Gamma (focus walks the Rank buttons)
        "Enter", "Enter", "Enter",  # Gamma up, up, and up again at the top: [G, A, B]
        "Tab", "Enter", "Enter",  # Gamma down, down: [A, B, G]
        "Shift+Tab", "Enter",  # Gamma up: [A, G, B]
        "Tab", "Tab", "Enter",  # unrank Gamma: [A, B]; focus goes to Beta's ✕
        "Enter",  # unrank Beta: [A]
    ]  # fmt: skip
    for key in keys:
        page.keyboard.press(key)
    order.get_by_role("button", name="Rank Attachment 4: Delta").focus()
    page.keyboard.press("Enter")  # [A, D]; focus goes to Gamma's Rank
    page.keyboard.press("Enter")  # [A, D, G]: full
    page.keyboard.press("Enter")  # focus is on Gamma's ↑: [A, G, D]
    expect(ranked_labels(page)).to_have_text(
        ["Attachment 1: Alpha", "Attachment 3: Gamma", "Attachment 4: Delta"]
    )
    expect(order.locator(".tc-ranked .tc-rank-pos")).to_have_text(["1", "2", "3"])
    expect(order.locator(".tc-ranked .tc-rank-tag")).to_have_text(["Best", "Worst"])
    expect(order.get_by_role("button", name="Move Attachment 1: Alpha up")).to_have_attribute(
        "aria-disabled", "true"
    )
    expect(order.get_by_role("button", name="Move Attachment 4: Delta down")).to_have_attribute(
        "aria-disabled", "true"
    )
    expect(order.get_by_role("button", name="Move Attachment 3: Gamma up")).to_be_focused()
    # Full: the one left unranked offers no "Rank" button.
    expect(order.locator(".tc-unranked .tc-rank-label")).to_have_text(["Attachment 2: Beta"])
    expect(order.get_by_role("button", name="Rank Attachment 2: Beta")).to_be_hidden()
    assert submit_and_wait(page, task) == {"annotations": {"order": [0, 2, 3]}}
    assert page.errors == []


def test_round_trip_in_flight_does_not_undo_ranking_moves(page, login_as, worker, account):
    """A condition round trip swaps the ranking's wrapper (it depends on "show");
    moves made while it is in flight survive its (older) answer."""
    task = leased_task(account, worker, RANKING_PARAMS, name="ranking")
    login_as(worker)
    page.goto(f"/label/{task.task_id}/")
    held = []
    page.route("**/refresh/", lambda route: held.append(route))
    field(page, "show").get_by_label("Yes").check()  # round trip sent, answer held back
    order = field(page, "order")
    order.get_by_role("button", name="Rank Attachment 2: Beta").focus()
    for key in ["Enter", "Enter", "Enter", "Enter"]:  # rank Beta, Gamma, Delta; Delta up
        page.keyboard.press(key)
    expect(ranked_labels(page)).to_have_text(
        ["Attachment 2: Beta", "Attachment 4: Delta", "Attachment 3: Gamma"]
    )
    assert len(held) == 1
    page.evaluate("document.querySelector('[data-field-id=order]').dataset.old = '1'")
    held[0].continue_()
    page.unroute("**/refresh/")
    # A user sees the answer arrive: wait for the swap, then the order must be unchanged.
    expect(page.locator("[data-field-id=order][data-old]")).to_have_count(0)
    expect(ranked_labels(page)).to_have_text(
        ["Attachment 2: Beta", "Attachment 4: Delta", "Attachment 3: Gamma"]
    )
    expect(order.get_by_role("button", name="Move Attachment 4: Delta up")).to_be_focused()
    assert submit_and_wait(page, task) == {"annotations": {"show": ["yes"], "order": [1, 3, 2]}}
    assert page.errors == []


def test_op_button_pressed_right_after_a_swap_stays_a_round_trip(page, login_as, worker, account):
    """An "Add another" button that htmx has not processed yet (a fresh copy, as
    right after a swap) still does its own round trip instead of submitting the form."""
    task = leased_task(account, worker, PARAMS)
    login_as(worker)
    page.goto(f"/label/{task.task_id}/")
    summary = field(page, "summary")
    summary.get_by_label("Summary (1)").fill("Soup")
    page.evaluate(
        """() => {
        document.getElementById("task-form").dataset.original = "1";
        const button = document.getElementById("tc-2-add");
        const fresh = button.cloneNode(true);  // no htmx state, like a just-swapped button
        button.replaceWith(fresh);
        fresh.focus();
        fresh.click();
    }"""
    )
    expect(summary.get_by_label("Summary (2)")).to_be_visible()
    expect(summary.get_by_label("Summary (1)")).to_have_value("Soup")
    expect(page.locator("#task-form[data-original]")).to_have_count(1)  # only the field swapped
    expect(page.locator('[data-action="submit"]')).to_have_count(1)
    assert page.errors == []


def test_failed_submit_shows_errors_and_keeps_input(page, login_as, worker, account):
    task = leased_task(account, worker, PARAMS)
    login_as(worker)
    page.goto(f"/label/{task.task_id}/")
    field(page, "occlusion").get_by_label("A little").check()
    expect(field(page, "detail")).to_be_visible()
    field(page, "price").locator("input[type=number]").fill("1000")
    page.locator('[data-action="submit"]').click()
    expect(field(page, "price").locator(".errorlist")).to_contain_text("at most 100")
    expect(field(page, "detail").locator(".errorlist")).to_contain_text("required")
    expect(field(page, "price").locator("input[type=number]")).to_have_value("1000")
    expect(field(page, "detail")).to_be_visible()  # visibility is right after a failed submit
    task.refresh_from_db()
    assert task.status == Task.Status.PENDING
    assert page.errors == []


def test_forms_show_their_attachments_only_while_active(page, login_as, worker, account):
    task = leased_task(account, worker, FORM_PARAMS, name="forms")
    login_as(worker)
    page.goto(f"/label/{task.task_id}/")
    always, query, result = (page.locator(f'[data-attachment="{i}"]') for i in range(3))
    expect(always).to_be_visible()
    expect(query).to_be_visible()
    expect(result).to_be_hidden()
    field(page, "form_query").get_by_label("Query Intention").fill("buy shoes")

    page.get_by_role("tab", name="Result").click()
    expect(field(page, "form_result")).to_be_visible()
    expect(field(page, "form_query")).to_be_hidden()
    expect(query).to_be_hidden()
    expect(result).to_be_visible()
    field(page, "form_result").get_by_label("No", exact=True).check()
    field(page, "form_result").get_by_label("Note").fill("meh")

    page.get_by_role("tab", name="Query Intention").click()
    expect(field(page, "form_query").get_by_label("Query Intention")).to_have_value("buy shoes")

    assert submit_and_wait(page, task) == {
        "annotations": {
            "form_query": {"query_intention": "buy shoes"},
            "form_result": {"relevant": False, "notes": {"note": "meh"}},
        }
    }
    assert page.errors == []


def test_hypothesis_prefills_and_shows_conditional_fields(page, login_as, worker, account):
    hypothesis = {"annotations": {}}
    for fid, value in EXPECTED["annotations"].items():
        repeatable = fid in ("summary", "hours", "category_items")
        hypothesis["annotations"][fid] = {
            "type": "text",
            "field_id": fid,
            "response": value if repeatable else [value],
        }
        # The real types (only "type" of text fields is exercised by the spec's exception).
    types = {f["field_id"]: f["type"] for f in PARAMS["fields"]}
    for fid, entry in hypothesis["annotations"].items():
        entry["type"] = types[fid]
    task = leased_task(account, worker, {**PARAMS, "hypothesis": hypothesis})
    login_as(worker)
    page.goto(f"/label/{task.task_id}/")
    expect(field(page, "detail")).to_be_visible()  # occlusion 2 is pre-filled
    expect(field(page, "detail").get_by_label("Shadow")).to_be_checked()
    expect(field(page, "summary").get_by_label("Summary (2)")).to_have_value("Tom yum\nhot")
    expect(field(page, "ranking").locator(".tc-ranked .tc-rank-label")).to_have_count(2)
    assert submit_and_wait(page, task) == EXPECTED
    assert page.errors == []
