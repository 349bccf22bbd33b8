"""The XSS corpus on the real labeling page in Chromium.

Every vector is sent through the API's service as a task instruction (shown by
the page shell) and as a TextCollection text attachment (shown by the task
type), and as NER text (plain text that must stay text). The page is loaded
twice: with the real Content-Security-Policy, and with the CSP bypassed so the
sanitizer alone has to hold. Every element of the caller's HTML is hovered and
clicked. The test fails on any dialog, any trace the vectors' code leaves
(window flag, document title, console line, request to the marker path), any
page error and any CSP violation report.

Vectors are batched (about 30 a page) with a sentinel paragraph after each, and
the test checks every sentinel reached the page, so no vector hides another.
A vector that swallows what follows it (an unclosed <plaintext>, say) goes
last in its batch."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client

from labeling.markdown import render_markdown
from labeling.services import create_task
from tests.conftest import make_project
from tests.security.xss_vectors import LOG_MARK, MARKER_PATH, TITLE_MARK, VECTORS, Vector

pytestmark = pytest.mark.browser

BATCH = 30
CALLER_HTML = "[hx-disable]"  # every container of caller HTML carries hx-disable


def sentinel(v: Vector) -> str:
    return f"sentinel{v.n:03d}end"


def _with_sentinel(v: Vector) -> str:
    return f"{v.text}\n\n{sentinel(v)}\n\n"


def _swallows(v: Vector) -> bool:
    probe = "after-probe-text"
    return probe not in render_markdown(f"{_with_sentinel(v)}{probe}\n")


def batches(vectors: list[Vector]) -> list[list[Vector]]:
    """Groups of at most BATCH; a vector that swallows what follows comes last."""
    normal = [v for v in vectors if not _swallows(v)]
    greedy = [v for v in vectors if _swallows(v)]
    out: list[list[Vector]] = []
    while normal or greedy:
        group = normal[: BATCH - 1]
        normal = normal[BATCH - 1 :]
        if greedy:
            group.append(greedy.pop(0))
        out.append(group)
    return out


# PostgreSQL cannot store U+0000, so the platform refuses it at creation
# (labeling.schemas.check_storable): such vectors never reach a page, which
# test_unstorable_vectors_are_refused checks instead.
STORABLE = [v for v in VECTORS if "\x00" not in v.text]
UNSTORABLE = [v for v in VECTORS if "\x00" in v.text]
BATCHES = batches(STORABLE)


@pytest.mark.django_db
def test_unstorable_vectors_are_refused(account):
    from labeling.errors import ValidationProblem

    assert UNSTORABLE, "the corpus keeps its NUL-obfuscated vectors"
    for vector in UNSTORABLE:
        with pytest.raises(ValidationProblem, match=r"instruction: must not contain the NUL"):
            _ner_task(account, vector.text)


@dataclass
class Traces:
    dialogs: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    marker_requests: list[str] = field(default_factory=list)
    popups: list[str] = field(default_factory=list)

    def failures(self, *, any_page_error: bool = True) -> list[str]:
        out = [f"dialog: {d}" for d in self.dialogs]
        out += [
            f"page error: {e}"
            for e in self.errors
            if any_page_error or "xss" in e.lower() or "alert" in e.lower()
        ]
        out += [f"marker request: {u}" for u in self.marker_requests]
        out += [
            f"console: {c}"
            for c in self.console
            if LOG_MARK in c or "Content Security Policy" in c or "xss" in c.lower()
        ]
        out += [f"popup: {u}" for u in self.popups if u.startswith(("javascript:", "data:"))]
        return out


@pytest.fixture
def open_page(browser, live_server) -> Iterator[Any]:
    """open_page(user, path, bypass_csp) -> (page, traces), in a fresh context
    that reaches only the live server (everything else is aborted)."""
    contexts = []

    def _open(user, path: str, *, bypass_csp: bool):
        context = browser.new_context(
            base_url=live_server.url,
            bypass_csp=bypass_csp,
            viewport={"width": 1280, "height": 2400},
        )
        contexts.append(context)
        client = Client()
        client.force_login(user)
        context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": client.cookies["sessionid"].value,
                    "url": live_server.url,
                }
            ]
        )
        traces = Traces()

        def on_route(route):
            url = route.request.url
            # The vectors' code asks the live server for .../xssmarker<n>
            # (links to other hosts that merely mention it are not traces).
            if url.startswith(live_server.url) and MARKER_PATH in url:
                traces.marker_requests.append(url)
            if url.startswith(live_server.url):
                route.continue_()
            else:
                route.abort()

        def on_dialog(dialog):
            traces.dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

        def on_page(popup):
            traces.popups.append(popup.url)
            popup.on("dialog", on_dialog)
            popup.close()

        context.route("**/*", on_route)
        page = context.new_page()
        page.on("popup", on_page)
        page.set_default_timeout(15_000)
        page.on("dialog", on_dialog)
        page.on("console", lambda msg: traces.console.append(f"{msg.type}: {msg.text}"))
        page.on("pageerror", lambda exc: traces.errors.append(str(exc)))
        page.goto(path)
        return page, traces

    yield _open
    for context in contexts:
        context.close()


def hover_and_click_everything(page, selector: str) -> int:
    """Move the real mouse over, then click, every element inside `selector`."""
    boxes = page.evaluate(
        """(sel) => {
            window.scrollTo(0, 0);
            const out = [];
            for (const root of document.querySelectorAll(sel))
                for (const el of [root, ...root.querySelectorAll('*')]) {
                    const r = el.getBoundingClientRect();
                    if (r.width && r.height)
                        out.push({x: r.x + Math.min(r.width / 2, 20), y: r.y + r.height / 2});
                }
            return out;
        }""",
        selector,
    )
    height = page.viewport_size["height"]
    for box in boxes:
        y = box["y"]
        if y > height - 10:  # below the fold: scroll it up first
            page.evaluate("(dy) => window.scrollTo(0, dy)", y - height / 2)
            y = height / 2
        page.mouse.move(box["x"], y)
        page.mouse.click(box["x"], y)
        if box["y"] > height - 10:
            page.evaluate("() => window.scrollTo(0, 0)")
    return len(boxes)


def settle_and_collect(page, traces: Traces, *, any_page_error: bool = True) -> list[str]:
    page.wait_for_timeout(400)  # image errors, htmx "load" triggers, timers
    state = page.evaluate("() => ({hit: window.xssHit ?? null, title: document.title})")
    failures = traces.failures(any_page_error=any_page_error)
    if state["hit"] is not None:
        failures.append(f"window.xssHit = {state['hit']}")
    if TITLE_MARK in state["title"]:
        failures.append(f"document.title = {state['title']!r}")
    return failures


def present_sentinels(page, selector: str) -> set[str]:
    """Sentinel texts that are inside a caller-HTML container carrying hx-disable."""
    text = page.evaluate(
        "(sel) => Array.from(document.querySelectorAll(sel)).map(e => e.textContent).join(' ')",
        selector,
    )
    return set(re.findall(r"sentinel\d{3}end", text))


def _project(account, name: str, type_name: str) -> None:
    from labeling.models import Project

    if not Project.objects.filter(account=account, name=name).exists():
        make_project(account, name=name, type=type_name)


def _ner_task(account, instruction: str, text: str = "Ada Lovelace wrote notes."):
    _project(account, "xss-ner", "namedentityrecognition")
    return create_task(
        account=account,
        type_name="namedentityrecognition",
        payload={
            "project": "xss-ner",
            "instruction": instruction,
            "text": text,
            "labels": [{"name": "PER", "display_name": "Person"}],
        },
    )


def _textcollection_task(account, attachment: str):
    _project(account, "xss-tc", "textcollection")
    return create_task(
        account=account,
        type_name="textcollection",
        payload={
            "project": "xss-tc",
            "instruction": "Read the attachment.",
            "attachments": [{"type": "text", "content": attachment}],
            "fields": [{"type": "text", "field_id": "answer", "title": "Answer"}],
        },
    )


SURFACES = ["instruction", "attachment"]


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["with-csp", "sanitizer-only"])
@pytest.mark.parametrize("surface", SURFACES)
def test_corpus_never_runs_script(open_page, account, admin_user, surface, bypass_csp):
    failures: list[str] = []
    for group in BATCHES:
        document = "".join(_with_sentinel(v) for v in group)
        if surface == "instruction":
            task = _ner_task(account, document)
            container = f".instruction {CALLER_HTML}"
        else:
            task = _textcollection_task(account, document)
            container = f".tc-attachment {CALLER_HTML}"
        page, traces = open_page(admin_user, f"/label/{task.task_id}/", bypass_csp=bypass_csp)
        # A swallowing vector (always last) hides its own sentinel, nothing else.
        expected = {sentinel(v) for v in group if not _swallows(v)}
        missing = expected - present_sentinels(page, container)
        assert not missing, f"vectors hid their successors or left the container: {missing}"
        hovered = hover_and_click_everything(page, container)
        assert hovered > 0
        found = settle_and_collect(page, traces)
        ids = ", ".join(v.id for v in group)
        failures += [f"[{ids}] {f}" for f in found]
        page.context.close()
    assert failures == []


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["with-csp", "sanitizer-only"])
def test_corpus_as_ner_text_stays_text(open_page, account, admin_user, bypass_csp):
    """NER text is not markdown: the vectors must appear verbatim, as text."""
    text = "\n".join(v.text for v in STORABLE[:120])
    task = _ner_task(account, "Label the people.", text=text)
    page, traces = open_page(admin_user, f"/label/{task.task_id}/", bypass_csp=bypass_csp)
    page.wait_for_selector("[data-ner-text]")
    shown = page.locator("[data-ner-text]").inner_text()
    assert STORABLE[0].text in shown
    hover_and_click_everything(page, "[data-ner-text]")
    # Clicks here drive the NER widget itself, whose own errors are its tests'
    # business; here only a trace of the vectors' code counts.
    assert settle_and_collect(page, traces, any_page_error=False) == []
