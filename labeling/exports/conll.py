"""CoNLL-2003-style NER: one token per line, BIO tags (or BILOU with --scheme bilou).

    -DOCSTART- -X- -X- O
    <blank>
    Alex -X- -X- B-person
    Wang -X- -X- I-person
    spoke -X- -X- O
    <blank>

Each task is one document (a `-DOCSTART-` line, then one block of tokens), in
task order, the same order as the JSONL export. Four space-separated columns
like CoNLL-2003 (token, POS, chunk, NER) with `-X-` where we have no POS or
chunk tag, so readers that expect four columns (and those that take the first
and last) both work. Tokens come from `ner_spans.TOKEN_RE`.

What CoNLL cannot hold, and what we do (each case is reported):
- a span that starts or ends inside a token is widened to whole tokens;
- overlapping spans: one tag per token, so the longest span wins, then the
  earliest; the others are left out (the spaCy export keeps them in
  doc.spans["sc"]);
- relationships and attributes have no column: they are left out (counted);
- whitespace in a label would break the columns: it becomes `_`.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TextIO

from django.db.models import QuerySet

from labeling.exports import ExportReport, stream
from labeling.exports.ner_spans import TOKEN_RE, entities, longest_first, relationships, task_text
from labeling.models import Task

NAME = "conll"
BINARY = False
TASK_TYPES = frozenset({"namedentityrecognition"})
SCHEMES = ("bio", "bilou")
DOCSTART = "-DOCSTART- -X- -X- O"
FILLER = "-X-"


def tags_for(n_tokens: int, spans: Iterable[tuple[int, int, str]], scheme: str) -> list[str]:
    """Tags for tokens given non-overlapping token spans (start, end exclusive, label)."""
    tags = ["O"] * n_tokens
    for start, end, label in spans:
        if scheme == "bilou" and end - start == 1:
            tags[start] = f"U-{label}"
            continue
        tags[start] = f"B-{label}"
        for i in range(start + 1, end):
            tags[i] = f"I-{label}"
        if scheme == "bilou":
            tags[end - 1] = f"L-{label}"
    return tags


def spans_from_tags(tags: list[str]) -> list[tuple[int, int, str]]:
    """Token spans (start, end exclusive, label) from BIO or BILOU tags."""
    spans, start, label = [], None, None
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, name = tag.partition("-")
        continues = prefix in ("I", "L") and start is not None and name == label
        if not continues and start is not None:
            spans.append((start, i, label))
            start = label = None
        if prefix in ("B", "U") or (prefix in ("I", "L") and start is None):
            start, label = i, name
        if prefix in ("U", "L") and start is not None:
            spans.append((start, i + 1, label))
            start = label = None
    return spans


def read_conll(lines: Iterable[str]) -> Iterator[list[tuple[str, str]]]:
    """Documents of a CoNLL file as lists of (token, tag): the inverse of `write`."""
    doc: list[tuple[str, str]] | None = None
    for raw in lines:
        line = raw.rstrip("\r\n")
        if line.startswith("-DOCSTART-"):
            if doc is not None:
                yield doc
            doc = []
        elif line.strip():
            columns = line.split(" ")
            if doc is None:
                doc = []
            doc.append((columns[0], columns[-1]))
    if doc is not None:
        yield doc


def _safe_label(label: str, report: ExportReport, seen: set[str]) -> str:
    safe = "_".join(label.split())
    if safe != label and label not in seen:
        seen.add(label)
        report.note(f"label {label!r} has whitespace; written as {safe!r}")
    return safe


def write(
    tasks: QuerySet[Task],
    out: TextIO,
    *,
    report: ExportReport,
    advance: Callable[[int], None],
    options: dict[str, Any],
) -> None:
    scheme = options.get("scheme") or "bio"
    if scheme not in SCHEMES:
        raise ValueError(f"scheme must be one of {', '.join(SCHEMES)}")
    noted_labels: set[str] = set()
    dropped_relationships = dropped_attributes = 0
    for task in stream(tasks):
        advance(1)
        found = entities(task, report.note)
        if found is None:
            report.skipped += 1
            continue
        text = task_text(task)
        tokens = [(m.start(), m.end(), m.group()) for m in TOKEN_RE.finditer(text)]
        starts = [t[0] for t in tokens]
        ends = [t[1] for t in tokens]
        token_spans = []
        for ent in found:
            # Tokens touching [start, end): the first that ends after start
            # through the last that starts before end.
            first = bisect_right(ends, ent.start)
            last = bisect_left(starts, ent.end) - 1
            if first > last:
                report.note(
                    f"task {task.task_id}: {ent.text!r} ({ent.label}) covers no token; left out"
                )
                continue
            if starts[first] != ent.start or tokens[last][1] != ent.end:
                widened = text[tokens[first][0] : tokens[last][1]]
                report.note(
                    f"task {task.task_id}: {ent.text!r} ({ent.label}) does not fall on token "
                    f"boundaries; widened to {widened!r}"
                )
            token_spans.append((first, last + 1, ent))
        kept, dropped = longest_first([(s, e, (s, e, ent)) for s, e, ent in token_spans])
        for _s, _e, ent in dropped:
            report.note(
                f"task {task.task_id}: {ent.text!r} ({ent.label}) overlaps a longer span; "
                "left out (one tag per token)"
            )
        dropped_relationships += len(relationships(task))
        dropped_attributes += sum(1 for ent in found if ent.attributes)
        tags = tags_for(
            len(tokens),
            ((s, e, _safe_label(ent.label, report, noted_labels)) for s, e, ent in kept),
            scheme,
        )
        out.write(DOCSTART + "\n\n")
        for (_s, _e, token), tag in zip(tokens, tags, strict=True):
            out.write(f"{token} {FILLER} {FILLER} {tag}\n")
        out.write("\n")
        report.exported += 1
    if dropped_relationships:
        report.note(
            f"{dropped_relationships} relationships left out (CoNLL has no column for them)"
        )
    if dropped_attributes:
        report.note(f"attributes of {dropped_attributes} spans left out (no column for them)")
