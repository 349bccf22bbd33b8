"""Unit tests of labeling.markdown.render_markdown: the XSS corpus and the policy.

Every vector's output is parsed as a browser parses it and checked element by
element (tests/security/html_policy.py); it must also be stable (sanitizing the
output again changes nothing, so a browser re-parse cannot mutate it into
something else). Then the individual rules, each with its exact output."""

from __future__ import annotations

import pytest
from django.test import override_settings

from labeling.markdown import (
    IFRAME_SANDBOX,
    LINK_REL,
    render_markdown,
    sanitize_html,
    url_allowed,
)
from tests.security import html_policy
from tests.security.xss_vectors import VECTORS

SANDBOX = f'sandbox="{IFRAME_SANDBOX}" referrerpolicy="no-referrer" loading="lazy"'
LINK = f'rel="{LINK_REL}" target="_blank"'


def test_corpus_is_large_and_covers_every_category():
    categories = {v.category for v in VECTORS}
    assert len(VECTORS) >= 150
    assert categories >= {
        "classic",
        "attribute",
        "url-scheme",
        "entity-obfuscated",
        "markdown",
        "svg-mathml",
        "mutation",
        "htmx",
    }


@pytest.mark.parametrize("vector", VECTORS, ids=lambda v: v.id)
def test_vector_output_keeps_to_the_policy(vector):
    out = render_markdown(vector.text)
    assert html_policy.violations(out) == [], out
    _assert_stable(out)
    # The signal code may survive only as visible text, never as markup.
    assert "<script" not in out.lower()


@pytest.mark.parametrize("vector", VECTORS, ids=lambda v: v.id)
def test_vector_as_raw_html_keeps_to_the_policy(vector):
    """The same vectors straight into the HTML sanitizer (no markdown step)."""
    out = sanitize_html(vector.text)
    assert html_policy.violations(out) == [], out
    _assert_stable(out)


def _assert_stable(out: str) -> None:
    """What a browser builds from our output is what we checked: sanitizing it
    again removes no element and no attribute. (Nesting may differ: a few
    inputs, e.g. a heading inside a heading via foreign content, build a tree
    that serializes to markup a parser nests differently; that moves allowed
    elements around, it cannot create new ones.)"""
    again = sanitize_html(out)
    assert html_policy.elements(again) == html_policy.elements(out), (out, again)


# ---------------------------------------------------------------- tags


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # Disallowed tags go, their text stays.
        ("<p><blink>hi</blink> <font color=red>there</font></p>", "<p>hi there</p>"),
        ("<p><custom-el>kept text</custom-el></p>", "<p>kept text</p>"),
        ("<p><button>Press</button></p>", "<p>Press</p>"),
        ("<p><svg><text>drawn</text></svg></p>", "<p>drawn</p>"),
        ("<p><math><mi>x</mi></math></p>", "<p>x</p>"),
        # Non-text elements go with their content (sanitize-html's nonTextTags and more).
        ("<p>a<script>var x = 1;</script>b</p>", "<p>ab</p>"),
        ("<p>a<style>p{color:red}</style>b</p>", "<p>ab</p>"),
        ("<p>a<textarea>typed</textarea>b</p>", "<p>ab</p>"),
        ("<p>a<select><option>one</option></select>b</p>", "<p>ab</p>"),
        ("<p>a<noscript>enable js</noscript>b</p>", "<p>ab</p>"),
        # (xmp is a block element: like a browser, the parser closes the <p>.)
        ("<p>a<xmp><b>raw</b></xmp>b</p>", "<p>a</p>b<p></p>"),
        ("<p>a<template><b>later</b></template>b</p>", "<p>ab</p>"),
        ("<p>a<noembed>x</noembed>b</p>", "<p>ab</p>"),
        ("<p>a<noframes>x</noframes>b</p>", "<p>ab</p>"),
        ("<p>a<title>t</title>b</p>", "<p>ab</p>"),
        ("<p>a<object data=x>fallback</object>b</p>", "<p>ab</p>"),
        ("<p>a</p><plaintext><b>all the rest", "<p>a</p>"),
        # Comments go.
        ("<p>a<!-- secret -->b</p>", "<p>ab</p>"),
        ("<p>a<!--[if IE]><b>x</b><![endif]-->b</p>", "<p>ab</p>"),
        # Text is escaped, entities kept as written.
        (
            "<p>1 &lt; 2 &amp;&amp; 3 &gt; 2 &copy;</p>",
            "<p>1 &lt; 2 &amp;&amp; 3 &gt; 2 &copy;</p>",
        ),
        ("<p>a < b > c & d</p>", "<p>a &lt; b &gt; c &amp; d</p>"),
    ],
)
def test_tags(source, expected):
    assert sanitize_html(source) == expected


def test_every_allowed_tag_survives():
    from labeling.markdown import ALLOWED_TAGS

    void = {"br", "hr", "img", "col"}
    for tag in sorted(ALLOWED_TAGS - void - {"iframe"}):
        # Table parts need their table around them to exist at all.
        wrap = {
            "caption": "<table>{}</table>",
            "colgroup": "<table>{}</table>",
            "thead": "<table>{}</table>",
            "tbody": "<table>{}</table>",
            "tfoot": "<table>{}</table>",
            "tr": "<table><tbody>{}</tbody></table>",
            "td": "<table><tbody><tr>{}</tr></tbody></table>",
            "th": "<table><tbody><tr>{}</tr></tbody></table>",
        }.get(tag, "<div>{}</div>")
        html = wrap.format(f"<{tag}>x</{tag}>")
        if tag == "colgroup":
            html = "<table><colgroup></colgroup></table>"
        assert f"<{tag}>" in sanitize_html(html), tag
    for tag in void:
        html = (
            f"<div><{tag}></div>" if tag != "col" else "<table><colgroup><col></colgroup></table>"
        )
        assert f"<{tag}" in sanitize_html(html), tag


# ---------------------------------------------------------------- attributes


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            '<a href="https://example.com/a?b=1&c=2" title="T" class="c" id="i" name="n">x</a>',
            f'<a href="https://example.com/a?b=1&amp;c=2" title="T" {LINK}>x</a>',
        ),
        ('<a title="no href">x</a>', '<a title="no href">x</a>'),
        (
            '<img src="https://e.com/a.png" alt="A" title="T" width="10" height="20" loading="lazy" srcset="x 2x" usemap="#m">',
            '<img src="https://e.com/a.png" alt="A" title="T" width="10" height="20" loading="lazy">',
        ),
        ('<img src="/a.png" width="10px" height="1e3" loading="auto">', '<img src="/a.png">'),
        (
            "<table><tbody><tr><td colspan=2 rowspan=3 align=left>x</td><th colspan=x>y</th></tr></tbody></table>",
            '<table><tbody><tr><td colspan="2" rowspan="3">x</td><th>y</th></tr></tbody></table>',
        ),
        ('<ol start="-3" reversed type="a"><li>x</li></ol>', '<ol start="-3"><li>x</li></ol>'),
        ('<ol start="3x"><li>x</li></ol>', "<ol><li>x</li></ol>"),
        ('<time datetime="2024-01-01">t</time>', '<time datetime="2024-01-01">t</time>'),
        ('<data value="42">d</data>', '<data value="42">d</data>'),
        ('<abbr title="HyperText">HTML</abbr>', '<abbr title="HyperText">HTML</abbr>'),
        ('<dfn title="term">t</dfn>', '<dfn title="term">t</dfn>'),
        ('<bdo dir="rtl">abc</bdo>', '<bdo dir="rtl">abc</bdo>'),
        ('<bdo dir="auto">abc</bdo>', "<bdo>abc</bdo>"),
        ('<q cite="https://e.com/src">q</q>', '<q cite="https://e.com/src">q</q>'),
        ('<q cite="javascript:alert(1)">q</q>', "<q>q</q>"),
        ('<blockquote cite="/rel">b</blockquote>', '<blockquote cite="/rel">b</blockquote>'),
        (
            '<p style="color:red" class="x" id="y" data-x="1" hx-get="/" onclick="x()" title="t">p</p>',
            "<p>p</p>",
        ),
        ('<span lang="en" dir="rtl" tabindex="1" accesskey="s">s</span>', "<span>s</span>"),
        (
            '<a href="https://e.com" target="_self" rel="opener">x</a>',
            f'<a href="https://e.com" {LINK}>x</a>',
        ),
    ],
)
def test_attributes(source, expected):
    assert sanitize_html(source) == expected


# ---------------------------------------------------------------- URLs


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/",
        "http://example.com/path?q=1#frag",
        "mailto:someone@example.com",
        "/relative/path",
        "relative/path",
        "../up",
        "#anchor",
        "?query=1",
        "//example.com/protocol-relative",
        "HTTPS://EXAMPLE.COM/",
    ],
)
def test_allowed_urls(url):
    assert url_allowed(url)
    out = sanitize_html(f'<a href="{url}">x</a>')
    assert 'href="' in out


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "\x01javascript:alert(1)",
        "jav&#x09;ascript:alert(1)",
        "&#106;avascript:alert(1)",
        "&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert(1)",
        "javascript&colon;alert(1)",
        "java&Tab;script:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html,<script>alert(1)</script>",
        "data:image/png;base64,iVBORw0KGgo=",
        "file:///etc/passwd",
        "blob:https://e.com/x",
        "ftp://example.com/",
        "tel:+123",
        "javascript\u2028:alert(1)",
        "\u200bjavascript:alert(1)",
    ],
)
def test_forbidden_urls(url):
    assert not url_allowed(url)
    assert "href" not in sanitize_html(f'<a href="{url}">x</a>')
    assert "src" not in sanitize_html(f'<img src="{url}">')


# ---------------------------------------------------------------- iframes


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            '<iframe src="https://www.youtube.com/embed/x" width="100%" height="300" title="v"></iframe>',
            f'<iframe src="https://www.youtube.com/embed/x" width="100%" height="300" title="v" {SANDBOX}></iframe>',
        ),
        # Input sandbox/allow/srcdoc are replaced, never merged.
        (
            '<iframe src="https://e.com/" sandbox="allow-same-origin allow-scripts" allow="camera" srcdoc="x" allowfullscreen name="n"></iframe>',
            f'<iframe src="https://e.com/" {SANDBOX}></iframe>',
        ),
        (
            '<iframe src="https://e.com/">fallback <b>x</b></iframe>',
            f'<iframe src="https://e.com/" {SANDBOX}></iframe>',
        ),
        ('<iframe src="http://e.com/"></iframe>', f"<iframe {SANDBOX}></iframe>"),
        ('<iframe src="//e.com/"></iframe>', f"<iframe {SANDBOX}></iframe>"),
        ('<iframe src="/admin/"></iframe>', f"<iframe {SANDBOX}></iframe>"),
        ('<iframe src="https://u:p@e.com/"></iframe>', f"<iframe {SANDBOX}></iframe>"),
        ('<iframe src="https://evil.com\\@e.com/"></iframe>', f"<iframe {SANDBOX}></iframe>"),
        ('<iframe src="javascript:alert(1)"></iframe>', f"<iframe {SANDBOX}></iframe>"),
        ('<iframe src="data:text/html,x"></iframe>', f"<iframe {SANDBOX}></iframe>"),
        ('<iframe src="https://e.com/ x"></iframe>', f"<iframe {SANDBOX}></iframe>"),
        (
            '<iframe loading="eager" src="https://e.com/"></iframe>',
            f'<iframe src="https://e.com/" {SANDBOX}></iframe>',
        ),
    ],
)
def test_iframes(source, expected):
    assert sanitize_html(source) == expected


def test_iframe_sandbox_never_allows_scripts_with_same_origin():
    tokens = set(IFRAME_SANDBOX.split())
    assert not {"allow-same-origin", "allow-scripts"} <= tokens
    assert "allow-top-navigation" not in tokens


@override_settings(IFRAME_ALLOWED_HOSTS=["www.youtube.com", ".example.org"])
@pytest.mark.parametrize(
    ("src", "kept"),
    [
        ("https://www.youtube.com/embed/1", True),
        ("https://youtube.com/embed/1", False),
        ("https://example.org/x", True),
        ("https://docs.example.org/x", True),
        ("https://evilexample.org/x", False),
        ("https://www.youtube.com.evil.com/", False),
        ("https://evil.com/?u=https://www.youtube.com/", False),
        ("https://WWW.YOUTUBE.COM/embed/1", True),
    ],
)
def test_iframe_host_allow_list(src, kept):
    out = sanitize_html(f'<iframe src="{src}"></iframe>')
    assert ('src="' in out) is kept, out


# ---------------------------------------------------------------- markdown


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("[x](javascript:alert(1))", "<p><a>x</a></p>"),
        ("[x][r]\n\n[r]: javascript:alert(1)", "<p><a>x</a></p>"),
        ("![i](javascript:alert(1))", '<p><img alt="i"></p>'),
        ("[ok](https://e.com)", f'<p><a href="https://e.com" {LINK}>ok</a></p>'),
        ("<https://e.com/a>", f'<p><a href="https://e.com/a" {LINK}>https://e.com/a</a></p>'),
        (
            "```js\n<script>alert(1)</script>\n```",
            "<pre><code>&lt;script&gt;alert(1)&lt;/script&gt;\n</code></pre>",
        ),
        ("`<b>x</b>`", "<p><code>&lt;b&gt;x&lt;/b&gt;</code></p>"),
        (
            "| a | b |\n|:--|--:|\n| 1 | 2 |",
            "<table>\n<thead>\n<tr>\n<th>a</th>\n<th>b</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td>1</td>\n<td>2</td>\n</tr>\n</tbody>\n</table>",
        ),
        ("3. three\n4. four", '<ol start="3">\n<li>three</li>\n<li>four</li>\n</ol>'),
    ],
)
def test_markdown(source, expected):
    assert render_markdown(source) == expected


def test_empty_and_none():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""  # type: ignore[arg-type]
    assert sanitize_html("") == ""


def test_output_cannot_escape_its_container():
    """Unbalanced end tags cannot close the page's <div hx-disable> early."""
    out = render_markdown("</div></details></form></article><div hx-get='/x' hx-trigger='load'>x")
    assert "</div></details>" not in out
    assert out.count("<div>") == out.count("</div>")
    assert "hx-" not in out
