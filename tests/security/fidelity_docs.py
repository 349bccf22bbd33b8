"""The fidelity corpus: benign rich documents an API caller may send. Every
tag and attribute in them is allowed, so the sanitizer must keep them all.

MARKDOWN documents go through render_markdown; HTML documents are raw HTML
(which markdown passes through). Each is a (name, text) pair."""

from __future__ import annotations

MARKDOWN: list[tuple[str, str]] = [
    ("headings", "# One\n\n## Two\n\n### Three\n\n#### Four\n\n##### Five\n\n###### Six"),
    ("emphasis", "Some *em*, **strong**, ***both*** and `code`."),
    ("links", '[Scale](https://scale.com "Scale AI") and <https://example.com/a?b=1&c=2>.'),
    ("mailto", "Write to [us](mailto:team@example.com)."),
    ("relative-link", "See [the guide](/docs/guide.html#step-2) or [up](../index.html)."),
    ("image", '![A cat](https://example.com/cat.png "The cat")'),
    (
        "reference-links",
        "Read [the spec][s] and [the FAQ][].\n\n[s]: https://example.com/spec\n[the FAQ]: https://example.com/faq",
    ),
    ("unordered-list", "- one\n- two\n    - two.a\n    - two.b\n- three"),
    ("ordered-list", "1. first\n2. second\n3. third"),
    ("ordered-start", "4. four\n5. five"),
    ("blockquote", "> Quoted text\n>\n> > nested"),
    ("code-block", "    indented code\n    line two"),
    ("fenced-code", "```\nprint('hi')\nx = 1 < 2\n```"),
    ("table", "| Name | Age |\n|------|-----|\n| Ada | 36 |\n| Alan | 41 |"),
    ("hr", "above\n\n---\n\nbelow"),
    ("line-break", "line one  \nline two"),
    (
        "mixed",
        "# Task\n\nLabel **every** person.\n\n1. Read\n2. Mark\n\n> Tip: `PER` is a person.\n\n| Label | Meaning |\n|---|---|\n| PER | person |",
    ),
    ("unicode", "Ünïcödé 中文 العربية עברית 😀 — “quotes” & ampersands"),
    ("entities", "Less &lt; greater &gt; amp &amp; copy &copy; nbsp&nbsp;x"),
    ("escaped-markdown", "\\*not em\\* and 2 \\< 3"),
    ("html-in-markdown", "Some <mark>marked</mark> and <kbd>Ctrl</kbd>+<kbd>C</kbd>."),
    ("long-paragraph", " ".join(["word"] * 400)),
]

HTML: list[tuple[str, str]] = [
    (
        "sectioning",
        "<article><header><h1>T</h1></header><section><h2>S</h2><p>x</p></section><aside>a</aside><footer>f</footer></article>",
    ),
    ("main-nav", '<main><nav><ul><li><a href="#a">A</a></li></ul></nav><p>body</p></main>'),
    ("address", '<address>Ada, <a href="mailto:ada@example.com">mail</a></address>'),
    ("hgroup", "<hgroup><h1>Title</h1><p>Subtitle</p></hgroup>"),
    ("all-headings", "".join(f"<h{i}>H{i}</h{i}>" for i in range(1, 7))),
    ("definition-list", "<dl><dt>Term</dt><dd>Definition</dd><dt>Other</dt><dd>More</dd></dl>"),
    (
        "figure",
        '<figure><img src="https://example.com/a.png" alt="A" width="200" height="100"><figcaption>Fig. 1</figcaption></figure>',
    ),
    ("blockquote-cite", '<blockquote cite="https://example.com/src"><p>Quote</p></blockquote>'),
    ("q-cite", '<p>He said <q cite="https://example.com/">hi</q>.</p>'),
    ("pre-code", "<pre><code>a &lt; b\n  indented</code></pre>"),
    (
        "inline-semantics",
        "<p><b>b</b> <i>i</i> <u>u</u> <s>s</s> <small>small</small> <mark>m</mark> <em>em</em> <strong>st</strong></p>",
    ),
    (
        "abbr-dfn",
        '<p><abbr title="HyperText Markup Language">HTML</abbr> is a <dfn title="definition">language</dfn>.</p>',
    ),
    (
        "bdi-bdo",
        '<p>User <bdi>إيان</bdi> wrote <bdo dir="rtl">backwards</bdo> and <bdo dir="ltr">forwards</bdo>.</p>',
    ),
    (
        "cite-code-kbd-samp-var",
        "<p><cite>Book</cite> <code>x()</code> <kbd>Enter</kbd> <samp>output</samp> <var>n</var></p>",
    ),
    (
        "data-time",
        '<p><data value="398">Mini Ketchup</data> on <time datetime="2024-05-01T10:00">May 1</time></p>',
    ),
    ("sub-sup", "<p>H<sub>2</sub>O and E = mc<sup>2</sup></p>"),
    ("ruby", "<ruby>漢<rp>(</rp><rt>kan</rt><rp>)</rp>字<rp>(</rp><rt>ji</rt><rp>)</rp></ruby>"),
    ("ruby-rb-rtc", "<ruby><rb>旧</rb><rb>字</rb><rtc><rt>jiu</rt><rt>zi</rt></rtc></ruby>"),
    ("span-div", "<div><span>one</span><div><span>two</span></div></div>"),
    ("br-hr", "<p>a<br>b</p><hr><p>c</p>"),
    (
        "table-full",
        '<table><caption>People</caption><colgroup><col span="2"><col></colgroup><thead><tr><th>Name</th><th>Age</th><th>City</th></tr></thead><tbody><tr><td>Ada</td><td>36</td><td>London</td></tr></tbody><tfoot><tr><td colspan="3">2 rows</td></tr></tfoot></table>',
    ),
    (
        "table-spans",
        '<table><tbody><tr><td rowspan="2">a</td><td>b</td></tr><tr><td>c</td></tr><tr><th colspan="2">d</th></tr></tbody></table>',
    ),
    ("ol-start", '<ol start="10"><li>ten</li><li>eleven</li></ol>'),
    ("nested-lists", "<ul><li>a<ol><li>a1</li><li>a2</li></ol></li><li>b</li></ul>"),
    ("img-lazy", '<p><img src="https://example.com/b.jpg" alt="B" title="Bee" loading="lazy"></p>'),
    ("img-relative", '<p><img src="/static/x.png" alt="X"></p>'),
    (
        "iframe-youtube",
        '<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ" width="560" height="315" title="Video"></iframe>',
    ),
    (
        "iframe-pdf",
        '<iframe src="https://example.com/doc.pdf#page=2" width="100%" height="600" title="PDF"></iframe>',
    ),
    ("link-title", '<p><a href="https://example.com/" title="Example">example</a></p>'),
    ("anchor-link", '<p><a href="#section-2">jump</a></p>'),
    ("link-query", '<p><a href="https://example.com/search?q=a%20b&amp;page=2">search</a></p>'),
    ("unicode-html", "<p>日本語 <strong>テキスト</strong> 😀 <em>ünïcödé</em></p>"),
    ("entities-html", "<p>&amp; &lt; &gt; &quot; &#39; &copy; &#x1F600; &nbsp;</p>"),
    (
        "email-doc",
        '<article><h2>Ticket #42</h2><p>From: <a href="mailto:c@example.com">c@example.com</a></p><blockquote><p>My order is late.</p></blockquote></article>',
    ),
    (
        "transcript",
        "<dl><dt><b>Agent</b></dt><dd>Hello, how can I help?</dd><dt><b>Customer</b></dt><dd>I need a refund.</dd></dl>",
    ),
    (
        "review-card",
        '<section><h3>Review</h3><p><strong>Rating:</strong> 4/5</p><p><em>Great product</em>, would buy again.</p><p><small>Posted <time datetime="2023-01-01">Jan 1</time></small></p></section>',
    ),
    (
        "product-table",
        '<table><thead><tr><th>SKU</th><th>Price</th></tr></thead><tbody><tr><td><code>A-1</code></td><td><data value="9.99">$9.99</data></td></tr></tbody></table>',
    ),
    (
        "code-sample",
        "<p>Run:</p><pre><code>pip install labelform\nlabelform serve --port 8000</code></pre>",
    ),
    (
        "deep-nesting",
        "<div><div><div><div><section><article><p><span><b><i>deep</i></b></span></p></article></section></div></div></div></div>",
    ),
    (
        "mixed-inline",
        '<p>A <a href="https://e.com"><strong>bold link</strong></a> and <em><a href="/x">em link</a></em>.</p>',
    ),
]

DOCUMENTS: list[tuple[str, str, str]] = [(n, "markdown", t) for n, t in MARKDOWN] + [
    (n, "html", t) for n, t in HTML
]
