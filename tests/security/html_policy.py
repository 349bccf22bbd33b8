"""Checks shared by the sanitizer tests: does a piece of HTML keep to the policy?

The HTML is parsed the way a browser parses it (html5lib, scripting on) and
every element and attribute is checked against labeling.markdown's lists, so a
test failure names the element and attribute that slipped through."""

from __future__ import annotations

import html
from typing import Any

from bleach import html5lib_shim

from labeling import markdown

# Added by the sanitizer itself, never taken from input.
ADDED_ATTRIBUTES = {
    "a": {"rel", "target"},
    "iframe": {"sandbox", "referrerpolicy", "loading"},
}


def parse(fragment: str) -> list[dict[str, Any]]:
    """Start/empty tag tokens of `fragment` as a browser would build them."""
    parser = html5lib_shim.BleachHTMLParser(
        tags=None, strip=False, consume_entities=True, namespaceHTMLElements=False
    )
    walker = html5lib_shim.getTreeWalker("etree")
    return [
        token
        for token in walker(parser.parseFragment(fragment))
        if token["type"] in ("StartTag", "EmptyTag")
    ]


def violations(fragment: str) -> list[str]:
    """Everything in `fragment` that breaks the policy; empty when it keeps to it."""
    found = []
    for token in parse(fragment):
        tag = token["name"]
        if token.get("namespace") not in (None, html5lib_shim.namespaces["html"]):
            found.append(f"<{tag}> in namespace {token['namespace']}")
        if tag not in markdown.ALLOWED_TAGS:
            found.append(f"<{tag}> is not an allowed tag")
            continue
        allowed = markdown.ALLOWED_ATTRIBUTES.get(tag, frozenset()) | ADDED_ATTRIBUTES.get(
            tag, set()
        )
        attrs = {name: value for (_ns, name), value in token["data"].items()}
        for name, value in attrs.items():
            if name not in allowed:
                found.append(f"<{tag} {name}> is not an allowed attribute")
            lowered = name.lower()
            if lowered.startswith(("on", "hx-", "data-")) or lowered in ("style", "id", "name"):
                found.append(f"<{tag} {name}> is a forbidden attribute")
            if name in markdown.URL_ATTRIBUTES and not markdown.url_allowed(value):
                found.append(f"<{tag} {name}={value!r}> has a forbidden URL")
            # A second, independent look: what the URL starts with once decoded.
            decoded = "".join(ch for ch in html.unescape(value) if ch > " ").lower()
            if name in markdown.URL_ATTRIBUTES and decoded.startswith(
                ("javascript:", "vbscript:", "data:")
            ):
                found.append(f"<{tag} {name}={value!r}> has a script scheme")
        if (
            tag == "a"
            and "href" in attrs
            and (attrs.get("rel") != markdown.LINK_REL or attrs.get("target") != "_blank")
        ):
            found.append(f"<a href={attrs['href']!r}> lacks rel/target")
        if tag == "iframe":
            sandbox = attrs.get("sandbox")
            if sandbox is None:
                found.append("<iframe> without sandbox")
            elif "allow-same-origin" in sandbox.split() and "allow-scripts" in sandbox.split():
                found.append("<iframe> sandbox allows scripts and same origin")
            if attrs.get("referrerpolicy") != "no-referrer":
                found.append("<iframe> without referrerpolicy=no-referrer")
            if "src" in attrs and not html.unescape(attrs["src"]).lower().startswith("https://"):
                found.append(f"<iframe src={attrs['src']!r}> is not https")
    return found


def elements(fragment: str) -> list[tuple[str, tuple[tuple[str, str], ...]]]:
    """The elements and attributes of `fragment`, in order, ignoring nesting."""
    return [
        (
            token["name"],
            tuple(sorted((name, value) for (_ns, name), value in token["data"].items())),
        )
        for token in parse(fragment)
    ]
