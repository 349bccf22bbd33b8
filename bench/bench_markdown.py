"""Markdown sanitization speed: MB/s of labeling.markdown.render_markdown on a
fixed corpus, beside sanitize-html in Node on the same corpus.

    .venv/bin/python bench/bench_markdown.py

The corpus is generated from a fixed seed: task instructions and attachments
as API callers write them (headings, emphasis, lists, links, tables, code,
images, some raw HTML, and hostile bits: script, event handlers, javascript:
URLs), about 0.4 MB in all. Three figures, medians of REPEATS passes:

1. render_markdown: Markdown -> HTML -> sanitizer, what task creation runs;
2. sanitize_html alone on the HTML step 1's Markdown produced;
3. sanitize-html (Node) on that same HTML, with the same tag and attribute
   allow-lists: the like-for-like partner of figure 2.

Node and sanitize-html are optional: when `node` is on PATH and npm can install
sanitize-html (into a cache directory outside the repository), figure 3 is
printed, else a note says why not.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")

REPEATS = 5
DOCUMENTS = 500
NODE_DIR = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "labelform-bench-node"
WORDS = [
    "the",
    "label",
    "worker",
    "task",
    "review",
    "menu",
    "soup",
    "price",
    "field",
    "answer",
    "entity",
    "span",
    "text",
    "city",
    "café",
    "naïve",
    "東京",
    "😀",
    "Zoë",
    "relation",
    "person",
    "organisation",
    "quickly",
    "carefully",
]

NODE_SCRIPT = r"""
const fs = require("fs");
const sanitizeHtml = require("sanitize-html");
const { docs, tags, attributes, repeats } = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const options = {
  allowedTags: tags,
  allowedAttributes: attributes,
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesByTag: { img: ["https", "http", "data"] },
  transformTags: { a: sanitizeHtml.simpleTransform("a", { rel: "noopener noreferrer", target: "_blank" }) },
};
const bytes = docs.reduce((n, d) => n + Buffer.byteLength(d), 0);
for (const d of docs) sanitizeHtml(d, options);  // warm-up (JIT)
const rates = [];
for (let r = 0; r < repeats; r++) {
  const t0 = process.hrtime.bigint();
  for (const d of docs) sanitizeHtml(d, options);
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  rates.push(bytes / s / 1e6);
}
rates.sort((a, b) => a - b);
console.log(JSON.stringify({ mbps: rates[Math.floor(rates.length / 2)] }));
"""


def sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    if n > 4:
        words[1] = f"**{words[1]}**"
        words[3] = f"_{words[3]}_"
    return " ".join(words).capitalize() + "."


def document(rng: random.Random, i: int) -> str:
    parts = [f"# Task {i}: {sentence(rng, 4)}", sentence(rng, 30), sentence(rng, 25)]
    parts.append("\n".join(f"- {sentence(rng, 6)}" for _ in range(rng.randint(2, 6))))
    parts.append(f"See [the guide](https://example.com/guide/{i}) and <https://example.com/{i}>.")
    if i % 3 == 0:
        rows = "\n".join(f"| {rng.choice(WORDS)} | {rng.randint(1, 99)} |" for _ in range(5))
        parts.append(f"| item | price |\n| --- | --- |\n{rows}")
    if i % 4 == 0:
        parts.append("```\nfor x in range(3):\n    print(x < 2 and '<b>')\n```")
    if i % 5 == 0:
        parts.append(f'![photo {i}](https://example.com/{i}.png "Photo")')
    if i % 6 == 0:
        parts.append(f'<div><span title="t">raw <em>HTML</em> {sentence(rng, 5)}</span></div>')
    if i % 7 == 0:  # hostile input an API caller might send
        parts.append(
            '<script>alert(1)</script><img src=x onerror="alert(2)">'
            '<a href="javascript:alert(3)">click</a><style>body{}</style>'
        )
    return "\n\n".join(parts)


def corpus() -> list[str]:
    rng = random.Random(20240607)
    return [document(rng, i) for i in range(DOCUMENTS)]


def rate(fn, docs: list[str]) -> float:
    size = sum(len(d.encode()) for d in docs)
    for d in docs[:50]:
        fn(d)
    rates = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        for d in docs:
            fn(d)
        rates.append(size / (time.perf_counter() - start) / 1e6)
    return statistics.median(rates)


def node_sanitize_html(html_docs: list[str]) -> tuple[float | None, str]:
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node:
        return None, "node is not installed"
    if not (NODE_DIR / "node_modules" / "sanitize-html").exists():
        if not npm:
            return None, "npm is not installed (needed once for sanitize-html)"
        NODE_DIR.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            [npm, "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(NODE_DIR),
             "sanitize-html@^2"],
            capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
        if done.returncode != 0:
            return None, f"npm install sanitize-html failed: {done.stderr.strip()[:200]}"
    from labeling.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "corpus.json"
        data.write_text(
            json.dumps(
                {
                    "docs": html_docs,
                    "tags": sorted(ALLOWED_TAGS),
                    "attributes": {k: sorted(v) for k, v in ALLOWED_ATTRIBUTES.items()},
                    "repeats": REPEATS,
                }
            )
        )
        script = Path(tmp) / "bench.js"
        script.write_text(NODE_SCRIPT)
        env = {**os.environ, "NODE_PATH": str(NODE_DIR / "node_modules")}
        done = subprocess.run(
            [node, str(script), str(data)], capture_output=True, text=True, env=env, check=False
        )
    if done.returncode != 0:
        return None, f"node failed: {done.stderr.strip()[:300]}"
    return json.loads(done.stdout)["mbps"], ""


def main() -> int:
    import django

    django.setup()
    import markdown as md

    from labeling.markdown import _markdown_extensions, render_markdown, sanitize_html

    docs = corpus()
    html_docs = [md.markdown(d, extensions=_markdown_extensions) for d in docs]
    size_mb = sum(len(d.encode()) for d in docs) / 1e6
    html_mb = sum(len(d.encode()) for d in html_docs) / 1e6
    print(
        f"markdown corpus: {DOCUMENTS} documents, {size_mb:.2f} MB of Markdown "
        f"({html_mb:.2f} MB as HTML); median of {REPEATS} passes"
    )
    full = rate(render_markdown, docs)
    print(f"  render_markdown (Markdown + sanitizer, Python)   {full:6.2f} MB/s of Markdown")
    alone = rate(sanitize_html, html_docs)
    print(f"  sanitize_html alone (Python: html5lib + bleach)   {alone:6.2f} MB/s of HTML")
    node, why = node_sanitize_html(html_docs)
    if node is None:
        print(f"  sanitize-html (Node): not measured ({why})")
    else:
        print(f"  sanitize-html (Node, same HTML, same allow-lists) {node:6.2f} MB/s of HTML")
        print(f"  ratio Python sanitizer / sanitize-html: {alone / node:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
