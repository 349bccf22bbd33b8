"""The one place markdown becomes HTML: render_markdown(text) -> safe HTML.

Policy (docs/security.md): Markdown -> HTML -> bleach with exactly the spec's
allowed tags and a per-tag attribute allow-list."""

from __future__ import annotations

import bleach
import markdown as md

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

ALLOWED_ATTRIBUTES = {
    "a": ["href", "title"],
    "img": ["src", "alt", "title", "width", "height", "loading"],
    "iframe": ["src", "width", "height", "title"],
    "td": ["colspan", "rowspan"],
    "th": ["colspan", "rowspan"],
    "ol": ["start"],
    "time": ["datetime"],
    "data": ["value"],
    "abbr": ["title"],
    "dfn": ["title"],
    "bdo": ["dir"],
    "q": ["cite"],
    "blockquote": ["cite"],
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})

_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
)


def render_markdown(text: str) -> str:
    html = md.markdown(text or "", extensions=["tables", "fenced_code", "sane_lists"])
    return _cleaner.clean(html)
