"""The NER labeling page in a real Chromium: mouse and keyboard selection,
labels (nested), attributes, relations, reload, undo, submit, and the stored
response checked against Python slicing of the text."""

from __future__ import annotations

import copy

import pytest

from ner.offsets import grapheme_boundaries, snap_selection
from tests.ner.conftest import PARAMS

pytestmark = pytest.mark.browser


def make_task(account, text: str, hypothesis=None, **extra):
    from labeling.services import create_task
    from tests.conftest import make_project

    make_project(account, name="ner", type="namedentityrecognition")
    params = copy.deepcopy(PARAMS)
    params["text"] = text
    payload = {"project": "ner", **params, **extra}
    if hypothesis is not None:
        payload["hypothesis"] = hypothesis
    return create_task(account=account, type_name="namedentityrecognition", payload=payload)


def open_task(page, task, user):
    from labeling import queue

    assert queue.take_lease(task=task, user=user)
    page.goto(f"/label/{task.task_id}/")
    page.wait_for_selector("[data-ner][data-ner-ready]")


def utf16(text: str, cp: int) -> int:
    return len(text[:cp].encode("utf-16-le")) // 2


def drag_select(page, text: str, start: int, end: int) -> None:
    """Drag the real mouse from code point `start` to just inside `end`."""
    box_a = char_box(page, text, start)
    box_b = char_box(page, text, end - 1)
    page.mouse.move(box_a["x"] + 1, box_a["y"] + box_a["height"] / 2)
    page.mouse.down()
    page.mouse.move(box_b["x"] + box_b["width"] - 1, box_b["y"] + box_b["height"] / 2, steps=5)
    page.mouse.up()


def char_box(page, text: str, cp: int) -> dict:
    """The on-screen box of the character at code point `cp`."""
    return page.evaluate(
        """([u, len]) => {
            const root = document.querySelector('[data-ner-text]');
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            let seen = 0, node;
            while ((node = walker.nextNode())) {
                if (seen + node.length > u) {
                    const r = document.createRange();
                    r.setStart(node, u - seen); r.setEnd(node, u - seen + len);
                    const b = r.getClientRects()[0];
                    return {x: b.x, y: b.y, width: b.width, height: b.height};
                }
                seen += node.length;
            }
            return null;
        }""",
        [utf16(text, cp), len(text[cp].encode("utf-16-le")) // 2],
    )


def submit_and_wait(page, task):
    page.locator("[data-action=submit-stop]").click()
    page.wait_for_url(f"**/label/{task.task_id}/done/**")
    task.refresh_from_db()
    return task.response


def test_mouse_and_keyboard_labeling_nested_relation_reload_submit(
    page, login_as, admin_user, account
):
    text = "Alex Wang spoke at Transform in San Francisco."
    task = make_task(account, text)
    login_as(admin_user)
    open_task(page, task, admin_user)
    # The text is shown exactly (textContent, never HTML).
    assert page.locator("[data-ner-text]").text_content() == text

    # Mouse: drag over "Alex Wang " (with the trailing space) -> trimmed to "Alex Wang".
    drag_select(page, text, 0, 10)
    page.locator('[data-label-choice="person"]').click()
    # The label has an attribute: its select gets focus.
    page.locator('[data-attribute="role"]').select_option("speaker")
    assert page.locator('[data-span-id][data-label="person"]').first.text_content() == "Alex Wang"

    # Keyboard: cursor to "Transform", Shift+Ctrl+Right selects the word, type to filter.
    page.locator("[data-ner-text]").focus()
    page.keyboard.press("Home")
    for _ in range(text.index("Transform")):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Shift+Control+ArrowRight")
    page.keyboard.press("/")
    page.keyboard.type("conf")
    page.keyboard.press("Enter")
    assert (
        page.locator('[data-span-id][data-label="conference"]').first.text_content() == "Transform"
    )

    # A nested label (thing > place > city) picked by its number key after filtering by group.
    start = text.index("San Francisco")
    drag_select(page, text, start, start + len("San Francisco"))
    page.locator("[data-ner-text]").press("/")
    page.keyboard.type("place")
    page.keyboard.press("Enter")  # first visible: city
    assert page.locator('[data-span-id][data-label="city"]').first.text_content() == "San Francisco"

    # Relation: person -> conference, keyboard: n/p to move between spans, r, r, 1.
    page.locator("[data-ner-text]").focus()
    page.keyboard.press("Escape")
    page.locator('[data-span-id][data-label="person"]').first.click()
    page.keyboard.press("r")
    page.locator('[data-span-id][data-label="conference"]').first.click()
    # Only the names whose constraints admit person -> conference are offered.
    offered = page.locator("[data-relation-choice]").evaluate_all(
        "(bs) => bs.map((b) => b.dataset.relationChoice)"
    )
    assert offered == ["speaker_at"]
    page.locator('[data-relation-choice="speaker_at"]').click()
    assert "speaks at" in page.locator("[data-ner-relations]").text_content()

    # Reload mid-work, at once after the last change: everything is restored
    # from browser storage.
    page.reload()
    page.wait_for_selector("[data-ner][data-ner-ready]")
    assert "Restored your unsaved work" in page.locator("[data-ner-status]").text_content()
    assert page.locator("[data-ner-relations] li").count() == 1
    assert page.locator('[data-span-id][data-label="city"]').count() >= 1

    response = submit_and_wait(page, task)
    assert page.errors == []
    by_label = {a["label"]: a for a in response["annotations"]}
    assert set(by_label) == {"person", "conference", "city"}
    for a in response["annotations"]:
        assert a["text"] == text[a["start"] : a["end"]]
    assert by_label["person"]["text"] == "Alex Wang"
    assert by_label["person"]["attributes"] == {"role": "speaker"}
    assert (by_label["city"]["start"], by_label["city"]["end"]) == (start, start + 13)
    assert response["relationships"] == [
        {
            "id": response["relationships"][0]["id"],
            "source_ref": by_label["person"]["id"],
            "target_ref": by_label["conference"]["id"],
            "name": "speaker_at",
        }
    ]
    # Storage is cleared after a successful submit.
    assert (
        page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('labelform:ner:'))")
        == []
    )


def clusters(text: str, start: int = 0, end: int | None = None) -> int:
    """How many grapheme clusters lie in text[start:end] (the cursor's steps)."""
    end = len(text) if end is None else end
    return sum(1 for b in grapheme_boundaries(text) if start < b <= end)


FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
TRICKY = (
    f"Zoe\u0308 met the {FAMILY} family\r\n"
    "at the cafe\u0301 in 東京 (שלום)\r"
    "flag 🇫🇷 and\ttab 😀😀  \n"
    "<b>not bold</b> &amp; </div><script>x</script>\n"
    "  San Francisco  "
)


def test_emoji_crlf_combining_marks_round_trip(page, login_as, admin_user, account):
    text = TRICKY
    task = make_task(account, text)
    login_as(admin_user)
    open_task(page, task, admin_user)
    # Shown exactly: \r\n and the lone \r survive (the text comes as JSON).
    assert page.evaluate("() => document.querySelector('[data-ner-text]').textContent") == text
    expected: dict[str, tuple[int, int]] = {}

    # 1. Mouse drag over the ZWJ family and the word after it.
    s = text.index(FAMILY)
    e = text.index(" family") + len(" family")
    drag_select(page, text, s, e)
    page.locator('[data-label-choice="person"]').click()
    page.keyboard.press("Escape")  # leave the attribute select
    expected["person"] = (s, e)

    # 2. Keyboard: the cursor steps over whole clusters; Shift+arrows select "café".
    s = text.index("cafe\u0301")
    e = s + len("cafe\u0301")
    page.locator("[data-ner-text]").focus()
    page.keyboard.press("Control+Home")
    for _ in range(clusters(text, 0, s)):
        page.keyboard.press("ArrowRight")
    for _ in range(clusters(text, s, e)):
        page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("2")  # second label: conference
    expected["conference"] = (s, e)

    # 3. A selection that starts inside a surrogate pair of the flag and ends
    #    between "e" and its combining mark snaps out to whole clusters.
    flag = text.index("🇫🇷")
    zoe = text.index("Zoe\u0308")
    raw = (flag + 1, zoe + 3)  # code points: inside the flag's pair of regional indicators
    page.evaluate(
        """([a, b]) => {
            const root = document.querySelector('[data-ner-text]');
            const find = (u) => {
                const w = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
                let seen = 0, n;
                while ((n = w.nextNode())) { if (seen + n.length >= u) return [n, u - seen]; seen += n.length; }
            };
            const r = document.createRange();
            r.setStart(...find(a)); r.setEnd(...find(b));
            const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(r);
            document.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
        }""",
        # Backwards on purpose (end before start), in UTF-16 units, the middle
        # unit of the flag's first regional indicator included.
        sorted([utf16(text, raw[1]), utf16(text, raw[0]) + 1]),
    )
    page.locator('[data-label-choice="country"]').click()
    snapped = snap_selection(text, min(raw), max(raw))
    assert snapped is not None
    expected["country"] = snapped

    # 4. Whitespace at the edges of a drag is dropped.
    s = text.index("  San")
    drag_select(page, text, s, len(text))
    page.locator('[data-label-choice="city"]').click()
    expected["city"] = (text.index("San"), text.index("San") + len("San Francisco"))

    response = submit_and_wait(page, task)
    assert page.errors == []
    got = {a["label"]: (a["start"], a["end"]) for a in response["annotations"]}
    assert got == expected
    for a in response["annotations"]:
        assert a["text"] == text[a["start"] : a["end"]]
    assert response["annotations"][0]["text"] == f"{FAMILY} family"


def test_hypothesis_is_predrawn_editable_and_a_failed_submit_keeps_the_work(
    page, login_as, admin_user, account
):
    text = "Alex Wang spoke at Transform in San Francisco."
    hypothesis = {
        "annotations": [
            {"id": "alex", "start": 0, "end": 9, "label": "person"},
            {"id": "conf", "start": 19, "end": 28, "label": "conference"},
            {"start": 32, "end": 45, "label": "city"},
        ],
        "relationships": [{"source_ref": "alex", "target_ref": "conf", "name": "speaker_at"}],
    }
    task = make_task(account, text, hypothesis=hypothesis)
    login_as(admin_user)
    open_task(page, task, admin_user)
    assert page.locator('[data-span-id="alex"]').first.get_attribute("data-label") == "person"
    assert page.locator("[data-ner-relations] li").count() == 1

    box = page.locator('[data-span-id="alex"]').first
    box.click()
    # Extent by keyboard: start one to the right, undo, then end one to the left.
    page.keyboard.press("Alt+Shift+ArrowRight")
    assert page.locator("[data-ner-active]").text_content() == "lex Wang"
    page.keyboard.press("u")
    assert page.locator("[data-ner-active]").text_content() == "Alex Wang"
    page.keyboard.press("Alt+ArrowLeft")
    assert page.locator("[data-ner-active]").text_content() == "Alex Wan"
    # Relabel as "conference" (number key 2): the relation no longer fits.
    page.keyboard.press("2")
    assert page.locator('[data-span-id="alex"]').first.get_attribute("data-label") == "conference"
    assert page.locator("[data-ner-relations] li.ner-bad").count() == 1

    # The server refuses it, re-renders with the posted work and the error.
    page.locator("[data-action=submit-stop]").click()
    page.wait_for_selector("[data-ner-errors]")
    assert (
        "may not link a 'conference' span to a 'conference' span"
        in page.locator("[data-ner-errors]").text_content()
    )
    page.wait_for_selector("[data-ner][data-ner-ready]")
    assert page.locator('[data-span-id="alex"]').first.get_attribute("data-label") == "conference"
    assert page.locator('[data-span-id="alex"]').first.text_content() == "Alex Wan"
    task.refresh_from_db()
    assert task.status == "pending" and task.response is None
    # The refused relation's span is marked, and the error's "show" goes to it.
    assert "ner-has-error" in page.locator('[data-span-id="alex"]').first.get_attribute("class")
    page.locator('[data-error-path="relationships[0]"] [data-error-span]').click()
    assert page.locator("[data-ner-active]").text_content() == "Alex Wan"

    # Fix it by keyboard only: n/p to the span, 1 = person. Then a second
    # relation person -> city is not allowed; delete the city span instead.
    page.locator("[data-ner-text]").focus()
    page.keyboard.press("Escape")  # leave the current span
    page.keyboard.press("Control+Home")
    page.keyboard.press("n")
    assert page.locator("[data-ner-active]").text_content() == "Alex Wan"
    page.keyboard.press("1")
    page.keyboard.press("n")
    page.keyboard.press("n")
    assert page.locator("[data-ner-active]").text_content() == "San Francisco"
    page.keyboard.press("Delete")
    assert page.locator('[data-span-id][data-label="city"]').count() == 0
    # A relation by keyboard: conference is "thing", so conference -> ... none;
    # add one from the person to the conference again after deleting the old one.
    page.locator("[data-relation-delete]").first.click()
    assert page.locator("[data-ner-relations] li").count() == 0
    page.locator("[data-ner-text]").focus()
    page.keyboard.press("p")
    page.keyboard.press("p")
    assert page.locator("[data-ner-active]").text_content() == "Alex Wan"
    page.keyboard.press("r")
    page.keyboard.press("n")
    page.keyboard.press("r")
    page.wait_for_selector('[data-relation-choice="speaker_at"]')
    page.keyboard.press("1")
    assert page.locator("[data-ner-relations] li").count() == 1

    response = submit_and_wait(page, task)
    assert page.errors == []
    by_id = {a["id"]: a for a in response["annotations"]}
    assert by_id["alex"] == {
        "id": "alex",
        "start": 0,
        "end": 8,
        "text": "Alex Wan",
        "label": "person",
    }
    assert set(by_id) == {"alex", "conf"}
    (rel,) = response["relationships"]
    assert (rel["source_ref"], rel["target_ref"], rel["name"]) == ("alex", "conf", "speaker_at")


def test_overlapping_spans_are_drawn_at_different_levels(page, login_as, admin_user, account):
    text = "The University of California at Berkeley"
    hypothesis = {
        "annotations": [
            {"id": "u", "start": 4, "end": 40, "label": "conference"},
            {"id": "c", "start": 18, "end": 28, "label": "city"},
            {"id": "b", "start": 24, "end": 40, "label": "country"},
        ]
    }
    task = make_task(account, text, hypothesis=hypothesis)
    login_as(admin_user)
    open_task(page, task, admin_user)
    levels = page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('[data-span-id]')].map(
            (e) => [e.dataset.spanId, [...e.classList].find((c) => c.startsWith('ner-lv'))]))"""
    )
    assert len(set(levels.values())) == 3
    # Each span's pieces put together are exactly its text.
    for span_id, (start, end) in {"u": (4, 40), "c": (18, 28), "b": (24, 40)}.items():
        pieces = page.evaluate(
            "(id) => [...document.querySelectorAll(`[data-span-id='${id}']`)].filter((e) => !e.parentElement.closest(`[data-span-id='${id}']`)).map((e) => e.textContent).join('')",
            span_id,
        )
        assert pieces == text[start:end]
    # The shortcut sheet is one key away.
    page.locator("[data-ner-text]").focus()
    page.keyboard.press("?")
    assert page.locator("[data-ner-help]").is_visible()
    assert page.errors == []


PIECES = [
    "a", "Z", " ", "  ", "\t", "\r\n", "\r", "\n", "\u00a0", "\u3000", "e\u0301", "o\u0308\u0323",
    "東", "京", "ש", "ל", "م", "😀", "👍🏽", FAMILY, "🇫🇷", "🏳️‍🌈", "\u1100\u1161\u11a8", "क्ष", ".",
]  # fmt: skip


def test_page_offsets_mirror_python(page, login_as, admin_user, account):
    """ner.js's Offsets (UTF-16 tables, grapheme snapping, trimming) agrees with
    ner.offsets on random texts built from tricky pieces."""
    import random

    rng = random.Random(20)
    task = make_task(account, "x")
    login_as(admin_user)
    open_task(page, task, admin_user)
    cases = []
    for _ in range(300):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 12)))
        a, b = rng.randint(0, len(text)), rng.randint(0, len(text))
        cases.append((text, a, b))
    results = page.evaluate(
        """(cases) => cases.map(([text, a, b]) => {
            const off = new window.labelformNer.Offsets(text);
            const snapped = off.snap(off.toU16(a), off.toU16(b));
            return [off.cpCount, snapped && [off.toCp(snapped[0]), off.toCp(snapped[1])]];
        })""",
        cases,
    )
    for (text, a, b), (count, snapped) in zip(cases, results, strict=True):
        assert count == len(text)
        expected = snap_selection(text, a, b)
        assert (tuple(snapped) if snapped else None) == expected, (text, a, b)


def test_unnamed_undirected_relations(page, login_as, admin_user, account):
    text = "Alex Wang spoke at Transform in San Francisco."
    hypothesis = {
        "annotations": [
            {"id": "alex", "start": 0, "end": 9, "label": "person"},
            {"id": "conf", "start": 19, "end": 28, "label": "conference"},
            {"id": "sf", "start": 32, "end": 45, "label": "city"},
        ]
    }
    # One unnamed definition: a person and a place, in either order.
    task = make_task(
        account,
        text,
        hypothesis=hypothesis,
        relationships=[{"source_label": "person", "target_label": "place"}],
    )
    login_as(admin_user)
    open_task(page, task, admin_user)
    # From the city to the person (the reverse of the definition): allowed, no name asked.
    page.locator('[data-span-id="sf"]').first.click()
    page.keyboard.press("r")
    page.locator('[data-span-id="alex"]').first.click()
    assert page.locator("[data-ner-relations] li").count() == 1
    assert "↔" in page.locator("[data-ner-relations]").text_content()
    # person -> conference is not allowed: nothing is added.
    page.locator('[data-span-id="alex"]').first.click()
    page.keyboard.press("r")
    page.locator('[data-span-id="conf"]').first.click()
    assert "No relation may link" in page.locator("[data-ner-status]").text_content()
    assert page.locator("[data-ner-relations] li").count() == 1
    response = submit_and_wait(page, task)
    (rel,) = response["relationships"]
    assert (rel["source_ref"], rel["target_ref"], rel["name"]) == ("sf", "alex", "")
    assert page.errors == []
