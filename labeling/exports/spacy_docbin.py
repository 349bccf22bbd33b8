"""spaCy: NER tasks as a DocBin (`.spacy`), the format `spacy train` reads.

Each completed task becomes a Doc tokenized by `spacy.blank(lang)` (no model
download; `--lang xx` by default, `--lang en` for English tokenizer rules):

- every span is in `doc.spans["sc"]` (what spaCy's span categorizer trains on,
  overlaps allowed), in every Doc, so a reader never has to guess;
- `doc.ents` holds the same spans minus overlaps (longest first, then the
  earliest: spaCy's filter_spans), what the `ner` component trains on;
- spans are aligned with `alignment_mode="expand"`: a span that starts or ends
  inside a token covers the whole token (reported), so no label is lost;
- `doc.user_data` keeps `task_id` and the relationships (as character offsets
  of their source and target spans), which DocBin has no other place for.

A DocBin is built in memory and written at the end (spaCy has no streaming
writer), so for very large projects give `--shard-size N`: `--out` is then a
directory of `part-00000.spacy`, ... files of N Docs each, which
`spacy train` reads as one corpus, and memory stays flat.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

from django.db.models import QuerySet

from labeling.exports import ExportReport, stream
from labeling.exports.ner_spans import entities, relationships, task_text
from labeling.models import Task

NAME = "spacy"
BINARY = True
TASK_TYPES = frozenset({"namedentityrecognition"})
ATTRS = ["ORTH", "SPACY", "ENT_IOB", "ENT_TYPE"]
SPAN_KEY = "sc"
INSTALL_HINT = "the spacy export needs spaCy: pip install -e '.[spacy]'"


class Unavailable(Exception):
    """spaCy is not installed."""


def _spacy() -> Any:
    try:
        import spacy
    except ImportError as exc:
        raise Unavailable(INSTALL_HINT) from exc
    return spacy


def check_available() -> None:
    _spacy()


@contextmanager
def _fast_msgpack() -> Iterator[None]:
    """Let srsly look up its msgpack encoders once instead of once per Doc.

    DocBin.add serializes each Doc's spans and user data with srsly, whose
    Packer re-reads its encoder registry (a scan of every installed package's
    entry points) on every call: ~2 ms, three times per Doc, which made the
    export run at ~40 Docs/s. The registry does not change during an export,
    so we pin its current contents for the duration and restore it after."""
    try:
        from srsly import msgpack as srsly_msgpack

        registry = srsly_msgpack.msgpack_encoders
        encoders = registry.get_all()
    except (ImportError, AttributeError):  # another srsly: run unpatched
        yield
        return
    registry.get_all = lambda: encoders  # an instance attribute shadows the method
    try:
        yield
    finally:
        del registry.get_all


def make_doc(nlp: Any, task: Task, report: ExportReport) -> Any | None:
    """The task's Doc with its spans, or None when the task has no response."""
    from spacy.util import filter_spans

    found = entities(task, report.note)
    if found is None:
        return None
    text = task_text(task)
    doc = nlp.make_doc(text)
    spans = []
    by_id: dict[str, Any] = {}
    for ent in found:
        span = doc.char_span(ent.start, ent.end, label=ent.label, alignment_mode="expand")
        if span is None:
            report.note(
                f"task {task.task_id}: {ent.text!r} ({ent.label}) covers no token; left out"
            )
            continue
        if (span.start_char, span.end_char) != (ent.start, ent.end):
            report.note(
                f"task {task.task_id}: {ent.text!r} ({ent.label}) does not fall on token "
                f"boundaries; widened to {span.text!r}"
            )
        spans.append(span)
        by_id[ent.id] = span
    doc.spans[SPAN_KEY] = spans
    ents = filter_spans(spans)
    doc.ents = ents
    kept = {(s.start, s.end, s.label_) for s in ents}
    for span in spans:
        if (span.start, span.end, span.label_) not in kept:
            report.note(
                f"task {task.task_id}: {span.text!r} ({span.label_}) overlaps a longer span; "
                f'in doc.spans["{SPAN_KEY}"] only, not doc.ents'
            )
    doc.user_data["task_id"] = task.task_id
    doc.user_data["relationships"] = [
        {
            "name": rel.get("name") or "",
            "source": _char_range(by_id.get(rel.get("source_ref"))),
            "target": _char_range(by_id.get(rel.get("target_ref"))),
        }
        for rel in relationships(task)
    ]
    return doc


def _char_range(span: Any) -> list[int] | None:
    return None if span is None else [span.start_char, span.end_char]


def write(
    tasks: QuerySet[Task],
    out: BinaryIO | None,
    *,
    report: ExportReport,
    advance: Callable[[int], None],
    options: dict[str, Any],
) -> None:
    spacy = _spacy()
    from spacy.tokens import DocBin

    nlp = spacy.blank(options.get("lang") or "xx")
    shard_size = options.get("shard_size")
    shard_dir: Path | None = options.get("out_path") if shard_size else None
    if shard_dir is not None:
        shard_dir.mkdir(parents=True, exist_ok=True)
        for stale in shard_dir.glob("part-*.spacy"):
            stale.unlink()  # a smaller re-export must not leave old Docs behind
    with _fast_msgpack():
        _write_docs(nlp, DocBin, tasks, out, shard_dir, shard_size, report, advance)


def _write_docs(nlp, DocBin, tasks, out, shard_dir, shard_size, report, advance) -> None:
    docbin = DocBin(attrs=ATTRS, store_user_data=True)
    in_shard = shards = 0
    for task in stream(tasks):
        advance(1)
        doc = make_doc(nlp, task, report)
        if doc is None:
            report.skipped += 1
            continue
        docbin.add(doc)
        report.exported += 1
        in_shard += 1
        if shard_dir is not None and in_shard == shard_size:
            docbin.to_disk(shard_dir / f"part-{shards:05d}.spacy")
            docbin = DocBin(attrs=ATTRS, store_user_data=True)
            shards += 1
            in_shard = 0
    if shard_dir is not None:
        if in_shard or not shards:
            docbin.to_disk(shard_dir / f"part-{shards:05d}.spacy")
    else:
        assert out is not None
        out.write(docbin.to_bytes())
