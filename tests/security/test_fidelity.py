"""The fidelity corpus: benign rich documents keep their allowed structure.

Each document's HTML (markdown's output, or the raw HTML) is compared element
by element, attribute by attribute, with the sanitizer's output, and its text
must survive unchanged. Then the same HTML goes through sanitize-html (the
spec's sanitizer, in Node) with the same lists, and the two outputs are
compared; every difference must be one docs/security.md lists."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import markdown as md
import pytest

from labeling import markdown as policy
from labeling.markdown import render_markdown, sanitize_html
from tests.security import html_policy
from tests.security.fidelity_docs import DOCUMENTS

HERE = Path(__file__).resolve().parent
NODE_MODULES = Path(os.environ.get("SANITIZE_HTML_NODE_MODULES", HERE / "node" / "node_modules"))

# Attributes markdown itself emits that the policy drops (documented).
MARKDOWN_ONLY = {"*": {"class", "style", "id"}}
ADDED = html_policy.ADDED_ATTRIBUTES


def _source_html(kind: str, text: str) -> str:
    if kind == "markdown":
        return md.markdown(text, extensions=["tables", "fenced_code", "sane_lists"])
    return text


def _ours(kind: str, text: str) -> str:
    return render_markdown(text) if kind == "markdown" else sanitize_html(text)


def _structure(html: str, ignore: dict[str, set[str]]) -> list[tuple[str, tuple]]:
    """Elements and attributes, without the attributes `ignore` names per tag."""
    return [
        (tag, tuple((n, v) for n, v in attrs if n not in ignore.get(tag, ignore.get("*", ()))))
        for tag, attrs in html_policy.elements(html)
    ]


def _text(html: str) -> str:
    from bleach import html5lib_shim

    parser = html5lib_shim.BleachHTMLParser(
        tags=None, strip=False, consume_entities=True, namespaceHTMLElements=False
    )
    walker = html5lib_shim.getTreeWalker("etree")
    return "".join(
        t["data"]
        for t in walker(parser.parseFragment(html))
        if t["type"] in ("Characters", "SpaceCharacters")
    )


def test_corpus_size():
    assert len(DOCUMENTS) >= 50
    used = {
        tag
        for _n, kind, text in DOCUMENTS
        for tag, _a in html_policy.elements(_source_html(kind, text))
    }
    # Every allowed tag appears somewhere in the corpus.
    assert policy.ALLOWED_TAGS - used == set()


@pytest.mark.parametrize(("name", "kind", "text"), DOCUMENTS, ids=[d[0] for d in DOCUMENTS])
def test_allowed_structure_survives(name, kind, text):
    source = _source_html(kind, text)
    out = _ours(kind, text)
    assert _structure(out, ADDED) == _structure(source, MARKDOWN_ONLY)
    assert _text(out) == _text(source)
    assert html_policy.violations(out) == []


# ---------------------------------------------------------------- sanitize-html


# Every difference from sanitize-html on this corpus, with its reason
# (docs/security.md, "Compared with sanitize-html").
KNOWN_DIFFERENCES: dict[str, str] = {}


def _node() -> str | None:
    node = shutil.which("node")
    if node is None or not (NODE_MODULES / "sanitize-html").is_dir():
        return None
    return node


@pytest.mark.skipif(
    _node() is None,
    reason="needs node and sanitize-html: npm install --prefix tests/security/node sanitize-html@2",
)
def test_same_structure_as_sanitize_html():
    sources = [_source_html(kind, text) for _n, kind, text in DOCUMENTS]
    lists = {
        "tags": sorted(policy.ALLOWED_TAGS),
        "attributes": {tag: sorted(names) for tag, names in policy.ALLOWED_ATTRIBUTES.items()},
    }
    result = subprocess.run(
        [_node(), str(HERE / "sanitize_html.js"), json.dumps(lists)],
        input=json.dumps(sources),
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "NODE_PATH": str(NODE_MODULES)},
        check=True,
    )
    theirs = json.loads(result.stdout)
    differences = {}
    for (name, kind, text), reference in zip(DOCUMENTS, theirs, strict=True):
        ours = _ours(kind, text)
        if _structure(ours, ADDED) != _structure(reference, ADDED) or _text(ours) != _text(
            reference
        ):
            differences[name] = (ours, reference)
    assert set(differences) == set(KNOWN_DIFFERENCES), differences
