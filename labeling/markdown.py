"""The one place markdown becomes HTML: render_markdown(text) -> safe HTML.

Policy (docs/security.md): Markdown -> HTML -> bleach with exactly the spec's
allowed tags and a per-tag attribute allow-list. Three things bleach does not do
on its own are added here as html5lib filters around bleach's sanitizer:

- before it, the content of script/style/textarea/... is dropped whole (bleach
  would keep it as text; sanitize-html, the spec's sanitizer, drops it), and
  so is anything inside an iframe (never shown, and raw text to the browser);
- before it, URL attributes are checked once more against the *decoded* value
  a browser would see (entities, tabs/newlines, case), iframe src strictly;
- after it, links get rel/target and iframes get sandbox/referrerpolicy.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import markdown as md
from bleach import html5lib_shim
from bleach.sanitizer import BleachSanitizerFilter
from django.conf import settings

# The spec's list ("HTML tags allowed"), nothing more.
ALLOWED_TAGS = frozenset(
    {
        # Content sectioning
        "address", "article", "aside", "footer", "header", "h1", "h2", "h3", "h4", "h5",
        "h6", "hgroup", "main", "nav", "section",
        # Text content
        "blockquote", "dd", "div", "dl", "dt", "figcaption", "figure", "hr", "li", "ol",
        "p", "pre", "ul",
        # Inline text semantics
        "a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "data", "dfn", "em", "i",
        "kbd", "mark", "q", "rb", "rp", "rt", "rtc", "ruby", "s", "samp", "small", "span",
        "strong", "sub", "sup", "time", "u", "var",
        # Table content
        "caption", "col", "colgroup", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
        # Additional
        "img", "iframe",
    }
)  # fmt: skip

# Attributes per tag; every other attribute (style, on*, data-*, hx-*, id,
# name, class, srcset, srcdoc, ...) is dropped.
ALLOWED_ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "title"}),
    "img": frozenset({"src", "alt", "title", "width", "height", "loading"}),
    "iframe": frozenset({"src", "width", "height", "title"}),
    "td": frozenset({"colspan", "rowspan"}),
    "th": frozenset({"colspan", "rowspan"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "ol": frozenset({"start"}),
    "time": frozenset({"datetime"}),
    "data": frozenset({"value"}),
    "abbr": frozenset({"title"}),
    "dfn": frozenset({"title"}),
    "bdo": frozenset({"dir"}),
    "q": frozenset({"cite"}),
    "blockquote": frozenset({"cite"}),
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
URL_ATTRIBUTES = frozenset({"href", "src", "cite"})

# Elements whose content is dropped along with the element: they hold script,
# CSS, form values or raw text, never prose a worker should read. sanitize-html
# drops script/style/textarea/option/xmp; the rest are raw-text or template
# elements that browsers and html5lib may parse differently (mutation XSS).
DROP_WITH_CONTENT = frozenset(
    {
        "script", "style", "textarea", "option", "xmp", "noscript", "template",
        "noembed", "noframes", "plaintext", "title", "head", "select", "datalist",
        "object", "applet", "embed", "frameset",
    }
)  # fmt: skip
# Kept as an element, but whatever is between its tags is dropped.
DROP_CHILDREN = frozenset({"iframe"})

# Emitted on every link and every iframe, whatever the input said.
LINK_REL = "noopener noreferrer nofollow"
LINK_TARGET = "_blank"
# Scripts may run inside the frame, but in an opaque origin: never together with
# allow-same-origin, which would let a same-site frame remove its own sandbox.
IFRAME_SANDBOX = "allow-scripts allow-popups allow-forms"
IFRAME_REFERRER_POLICY = "no-referrer"

_DIMENSION = re.compile(r"^\d{1,5}%?$")
_SMALL_INT = re.compile(r"^\d{1,4}$")
_SIGNED_INT = re.compile(r"^-?\d{1,9}$")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.IGNORECASE)
# What the URL parser ignores anywhere in a URL (tab, LF, CR) and strips at the ends.
_URL_IGNORED = re.compile(r"[\t\n\r]")
_C0_AND_SPACE = "".join(chr(i) for i in range(0x21))
# bleach's own normalization: all whitespace, controls, backtick and non-ASCII.
_URL_INVISIBLE = re.compile(r"[`\x00-\x20\x7f-\xa0\s]|[^\x00-\x7f]")
# An iframe src a worker's browser loads: https, a plain host name, no
# user-info, no backslash (browsers read it as "/"), no whitespace or controls.
_IFRAME_SRC = re.compile(
    r"^https://(?P<host>[a-z0-9](?:[a-z0-9\-.]*[a-z0-9])?)(?::\d{1,5})?(?:[/?#][^\s\\\x00-\x1f\x7f]*)?$",
    re.IGNORECASE,
)

_HTML_NAMESPACE = html5lib_shim.namespaces["html"]
_markdown_extensions = ["tables", "fenced_code", "sane_lists"]


def render_markdown(text: str) -> str:
    """Markdown (with raw HTML) from an API caller -> HTML safe to put in a page."""
    if not text:
        # Most tasks have no instruction: skip building a Markdown parser for
        # nothing (~1 ms of every task creation, docs/performance.md).
        return ""
    html_text = md.markdown(text, extensions=_markdown_extensions)
    return sanitize_html(html_text)


def sanitize_html(html_text: str) -> str:
    """The sanitizer alone, for HTML that did not come through markdown."""
    if not html_text:
        return ""
    dom = _parser.parseFragment(html_text)
    stream: Any = _DropContentFilter(_walker(dom))
    stream = BleachSanitizerFilter(
        source=stream,
        allowed_tags=ALLOWED_TAGS,
        attributes=_allow_attribute,
        strip_disallowed_tags=True,
        strip_html_comments=True,
        css_sanitizer=None,
        allowed_protocols=ALLOWED_PROTOCOLS,
    )
    stream = _AddSafetyAttributesFilter(stream)
    return _serializer.render(stream)


# A full HTML5 parse, as a browser does it with scripting on (bleach's own
# Cleaner turns disallowed tags into text while tokenizing, which keeps the
# text of <script> and parses what is inside <template>/<xmp> as markup).
_parser = html5lib_shim.BleachHTMLParser(
    tags=None, strip=True, consume_entities=False, namespaceHTMLElements=False
)
_walker = html5lib_shim.getTreeWalker("etree")
# bleach's serializer settings: attributes always quoted, `<` escaped in
# attributes, entities left as they are (never resolved, never double-escaped).
_serializer = html5lib_shim.BleachHTMLSerializer(
    quote_attr_values="always",
    # Always double quotes: bleach's entity handling in attribute values only
    # understands double-quoted values (single ones came out double-escaped).
    use_best_quote_char=False,
    omit_optional_tags=False,
    escape_lt_in_attrs=True,
    resolve_entities=False,
    sanitize=False,
    alphabetical_attributes=False,
)


def _allow_attribute(tag: str, name: str, value: str) -> bool:
    if name not in ALLOWED_ATTRIBUTES.get(tag, ()):
        return False
    if tag == "iframe" and name == "src":
        return iframe_src_allowed(value)
    if name in URL_ATTRIBUTES:
        return url_allowed(value)
    if name in ("width", "height"):
        return bool(_DIMENSION.match(value.strip()))
    if name in ("colspan", "rowspan", "span"):
        return bool(_SMALL_INT.match(value.strip()))
    if name == "start":
        return bool(_SIGNED_INT.match(value.strip()))
    if name == "loading":
        return value.strip().lower() in ("lazy", "eager")
    if name == "dir":
        return value.strip().lower() in ("ltr", "rtl")
    return True  # free text (title, alt, datetime, value): escaped on output


def _decodings(value: str) -> list[str]:
    """The ways a browser (or a sloppier parser) might read an attribute value."""
    decoded = {value, html.unescape(value), html5lib_shim.convert_entities(value)}
    out = set()
    for item in decoded:
        out.add(_URL_IGNORED.sub("", item).strip(_C0_AND_SPACE))
        out.add(_URL_INVISIBLE.sub("", item))
    return sorted(out)


def url_allowed(value: str) -> bool:
    """http, https, mailto or relative; judged on every decoding of the value,
    so `jav&#x09;ascript:`, `JaVaScRiPt:` and `&#106;avascript:` are all refused."""
    for candidate in _decodings(value):
        match = _SCHEME.match(candidate)
        if match and match.group(1).lower() not in ALLOWED_PROTOCOLS:
            return False
    return True


def iframe_src_allowed(value: str) -> bool:
    """An absolute https URL with a plain host, on the allow-list if one is set."""
    if not url_allowed(value):
        return False
    decoded = html.unescape(value).strip()
    match = _IFRAME_SRC.match(decoded)
    if not match or urlsplit(decoded).hostname != match.group("host").lower():
        return False
    return host_allowed(match.group("host").lower())


def host_allowed(host: str) -> bool:
    """settings.IFRAME_ALLOWED_HOSTS: exact names, or ".example.com" for the
    domain and its subdomains; empty means any https host."""
    allowed = [h.lower() for h in getattr(settings, "IFRAME_ALLOWED_HOSTS", []) or []]
    if not allowed:
        return True
    for entry in allowed:
        if entry.startswith("."):
            if host == entry[1:] or host.endswith(entry):
                return True
        elif host == entry:
            return True
    return False


class _DropContentFilter(html5lib_shim.Filter):
    """Before bleach: drops DROP_WITH_CONTENT elements whole, the children of
    DROP_CHILDREN, the tags (not the text) of SVG/MathML elements, and every
    namespaced attribute (xlink:href, ...), so only HTML elements reach bleach.

    The tree walker yields balanced Start/End tokens, so a depth counter is enough."""

    def __iter__(self) -> Iterator[dict[str, Any]]:
        skipping = 0  # depth inside a dropped subtree
        keep_end = False  # emit the end tag of the iframe whose children we dropped
        for token in super().__iter__():
            kind = token["type"]
            if skipping:
                if kind == "StartTag":
                    skipping += 1
                elif kind == "EndTag":
                    skipping -= 1
                    if skipping == 0 and keep_end:
                        keep_end = False
                        yield token
                continue
            if kind not in ("StartTag", "EndTag", "EmptyTag"):
                yield token
                continue
            name = token["name"].lower()
            if kind == "StartTag" and name in DROP_WITH_CONTENT:
                skipping = 1
                continue
            if token.get("namespace") not in (None, _HTML_NAMESPACE) or name in DROP_WITH_CONTENT:
                continue
            if kind != "EndTag":
                token["data"] = {(ns, n): v for (ns, n), v in token["data"].items() if ns is None}
            yield token
            if kind == "StartTag" and name in DROP_CHILDREN:
                skipping = 1
                keep_end = True


class _AddSafetyAttributesFilter(html5lib_shim.Filter):
    """After sanitizing: links open in a new, unrelated tab; iframes are sandboxed."""

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for token in super().__iter__():
            if token["type"] in ("StartTag", "EmptyTag"):
                name = token["name"]
                if name == "a" and (None, "href") in token["data"]:
                    token["data"][(None, "rel")] = LINK_REL
                    token["data"][(None, "target")] = LINK_TARGET
                elif name == "iframe":
                    token["data"][(None, "sandbox")] = IFRAME_SANDBOX
                    token["data"][(None, "referrerpolicy")] = IFRAME_REFERRER_POLICY
                    token["data"].setdefault((None, "loading"), "lazy")
            yield token
