"""import → completed response → export in every format → read back: same entities and answers."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

from labeling.exports.conll import read_conll, spans_from_tags
from labeling.exports.csv_answers import split_list_cell
from labeling.exports.ner_spans import TOKEN_RE
from labeling.models import Task
from tests.data_io.helpers import complete, ner_project, ner_response, tc_project

NER_TEXTS = {
    "plain": "Yesterday Alex Wang spoke at Transform in San Francisco.",
    "emoji": "🎉 Ada Lovelace 👩🏽‍💻 met Charles Babbage at the Analytical Engine Expo.",
    "overlap": "The University of Tokyo Hospital opened.",
}
NER_SPANS = {
    "plain": [("Alex Wang", "person"), ("Transform", "event"), ("San Francisco", "org")],
    "emoji": [
        ("Ada Lovelace", "person"),
        ("Charles Babbage", "person"),
        ("Analytical Engine Expo", "event"),
    ],
    # "University of Tokyo" inside "University of Tokyo Hospital": overlapping spans.
    "overlap": [("University of Tokyo Hospital", "org"), ("University of Tokyo", "org")],
}


def export(fmt: str, out, *extra: str, project: str = "ner") -> str:
    err = io.StringIO()
    call_command(
        "export",
        "--project",
        project,
        "--format",
        fmt,
        "--out",
        str(out),
        *extra,
        stdout=io.StringIO(),
        stderr=err,
    )
    return err.getvalue()


@pytest.fixture
def ner_tasks(account, tmp_path):
    ner_project(account)
    path = tmp_path / "ner.jsonl"
    path.write_text(
        "".join(json.dumps({"text": t, "unique_id": k}) + "\n" for k, t in NER_TEXTS.items()),
        encoding="utf-8",
    )
    call_command("import_tasks", str(path), "--project", "ner", stdout=io.StringIO())
    tasks = {}
    for key, text in NER_TEXTS.items():
        task = Task.objects.get(unique_id=key)
        rels = [("e0", "e1", "speaker_at")] if key == "plain" else []
        tasks[key] = complete(task, ner_response(text, NER_SPANS[key], rels))
    # A pending task is not exported by default (only completed ones).
    Task.objects.create(
        account=account,
        type="namedentityrecognition",
        project=tasks["plain"].project,
        params={"text": "pending"},
    )
    return tasks


def expected_entities(task):
    return {(a["start"], a["end"], a["label"]) for a in task.response["annotations"]}


def test_jsonl_is_one_callback_body_per_task(ner_tasks, tmp_path):
    export("jsonl", tmp_path / "out.jsonl")
    lines = (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()
    bodies = {json.loads(line)["task_id"]: json.loads(line) for line in lines}
    assert len(bodies) == 3
    for task in ner_tasks.values():
        body = bodies[task.task_id]
        assert set(body) == {"task_id", "response", "task"}
        assert body["response"] == task.response
        assert body["task"]["task_id"] == task.task_id
        assert body["task"]["status"] == "completed"
        assert body["task"]["params"]["text"] == task.params["text"]
    plain = bodies[ner_tasks["plain"].task_id]["response"]
    assert plain["relationships"][0]["name"] == "speaker_at"


def test_spacy_docbin_reads_back_with_the_same_entities(ner_tasks, tmp_path):
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import DocBin

    err = export("spacy", tmp_path / "ner.spacy")
    docs = list(DocBin().from_disk(tmp_path / "ner.spacy").get_docs(spacy.blank("xx").vocab))
    assert len(docs) == 3
    by_id = {doc.user_data["task_id"]: doc for doc in docs}
    for key, task in ner_tasks.items():
        doc = by_id[task.task_id]
        assert doc.text == NER_TEXTS[key]
        spans = {(s.start_char, s.end_char, s.label_) for s in doc.spans["sc"]}
        assert spans == expected_entities(task)
        ents = {(e.start_char, e.end_char, e.label_) for e in doc.ents}
        if key == "overlap":
            # doc.ents cannot overlap: the longer span stays, the other is in spans["sc"] only.
            assert ents == {(4, 32, "org")}
        else:
            assert ents == expected_entities(task)
    plain = by_id[ner_tasks["plain"].task_id]
    rel = plain.user_data["relationships"][0]
    assert rel["name"] == "speaker_at"
    assert NER_TEXTS["plain"][slice(*rel["source"])] == "Alex Wang"
    assert "'University of Tokyo' (org) overlaps a longer span" in err


def test_spacy_shards_keep_memory_flat_and_read_back_as_one_corpus(ner_tasks, tmp_path):
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import DocBin

    export("spacy", tmp_path / "corpus", "--shard-size", "2")
    shards = sorted((tmp_path / "corpus").glob("*.spacy"))
    assert [p.name for p in shards] == ["part-00000.spacy", "part-00001.spacy"]
    vocab = spacy.blank("xx").vocab
    docs = [d for p in shards for d in DocBin().from_disk(p).get_docs(vocab)]
    assert sorted(d.user_data["task_id"] for d in docs) == sorted(
        t.task_id for t in ner_tasks.values()
    )


def _conll_entities(doc):
    tokens = [tok for tok, _ in doc]
    return {(" ".join(tokens[s:e]), label) for s, e, label in spans_from_tags([t for _, t in doc])}


@pytest.mark.parametrize("scheme", ["bio", "bilou"])
def test_conll_reads_back_with_the_same_entities(ner_tasks, tmp_path, scheme):
    err = export("conll", tmp_path / "ner.conll", "--scheme", scheme)
    text = (tmp_path / "ner.conll").read_text(encoding="utf-8")
    assert text.startswith("-DOCSTART- -X- -X- O\n\n")
    docs = list(read_conll(text.splitlines()))
    assert len(docs) == 3
    tags = {tag for doc in docs for _, tag in doc}
    if scheme == "bilou":
        assert {"U-event", "L-person"} <= tags
    else:
        assert all(t == "O" or t[:2] in ("B-", "I-") for t in tags)
    # Documents come in task order (the JSONL export's order).
    ordered = sorted(ner_tasks.values(), key=lambda t: t.pk)
    for doc, task in zip(docs, ordered, strict=True):
        assert [tok for tok, _ in doc] == TOKEN_RE.findall(task.params["text"])
        expected = {
            (" ".join(TOKEN_RE.findall(a["text"])), a["label"])
            for a in task.response["annotations"]
        }
        if task.unique_id == "overlap":
            expected = {("University of Tokyo Hospital", "org")}
        assert _conll_entities(doc) == expected
    assert "'University of Tokyo' (org) overlaps a longer span; left out" in err
    assert "1 relationships left out" in err


def test_conll_widens_a_span_inside_a_token_and_says_so(account, tmp_path):
    project = ner_project(account)
    from labeling import services

    task = services.create_task(
        account=account,
        type_name="namedentityrecognition",
        payload={"project": project.name, "text": "Go to NewYork now."},
    )
    complete(task, ner_response("Go to NewYork now.", [("York", "org")]))
    err = export("conll", tmp_path / "x.conll")
    docs = list(read_conll((tmp_path / "x.conll").read_text().splitlines()))
    assert _conll_entities(docs[0]) == {("NewYork", "org")}
    assert "'York' (org) does not fall on token boundaries; widened to 'NewYork'" in err


@pytest.fixture
def tc_tasks(account, tmp_path):
    tc_project(account)
    path = tmp_path / "tc.jsonl"
    path.write_text(
        json.dumps({"attachments": [{"type": "text", "content": "Great soup."}], "unique_id": "a"})
        + "\n"
        + json.dumps(
            {"attachments": [{"type": "text", "content": "Slow, dear."}], "unique_id": "b"}
        )
        + "\n",
        encoding="utf-8",
    )
    call_command("import_tasks", str(path), "--project", "tc", stdout=io.StringIO())
    a = complete(
        Task.objects.get(unique_id="a"),
        {
            "annotations": {
                "sentiment": ["positive"],
                "topics": ["food", "service|staff"],
                "summary": 'Loved the "soup",\nwould return',
                "quotes": ["so good", "back\\slash"],
                "spicy": True,
                "dish": {"name": "Tom Yum", "price": "11.79"},
            }
        },
    )
    b = complete(
        Task.objects.get(unique_id="b"),
        {"annotations": {"sentiment": ["negative"], "summary": "Too slow", "spicy": False}},
    )
    return a, b


def test_csv_one_row_per_task_a_column_per_field(tc_tasks, tmp_path):
    a, b = tc_tasks
    export("csv", tmp_path / "tc.csv", project="tc")
    with (tmp_path / "tc.csv").open(newline="", encoding="utf-8") as f:
        rows = {row["task_id"]: row for row in csv.DictReader(f)}
        f.seek(0)
        header = next(csv.reader(f))
    assert header[:3] == ["task_id", "unique_id", "status"]
    assert {"sentiment", "topics", "summary", "quotes", "spicy", "dish.name", "dish.price"} <= set(
        header
    )
    row_a, row_b = rows[a.task_id], rows[b.task_id]
    ans = a.response["annotations"]
    assert split_list_cell(row_a["sentiment"]) == ans["sentiment"]
    assert split_list_cell(row_a["topics"]) == ans["topics"] == ["food", "service|staff"]
    assert row_a["summary"] == ans["summary"]
    assert split_list_cell(row_a["quotes"]) == ans["quotes"]
    assert row_a["spicy"] == "true" and row_b["spicy"] == "false"
    assert row_a["dish.name"] == ans["dish"]["name"]
    assert row_a["dish.price"] == str(ans["dish"]["price"])
    assert row_b["quotes"] == "" and row_b["dish.name"] == ""
    assert row_a["unique_id"] == "a" and row_a["status"] == "completed"


def test_csv_and_token_formats_refuse_the_wrong_task_type(tc_tasks, tmp_path):
    with pytest.raises(CommandError, match="--format conll is for namedentityrecognition"):
        export("conll", tmp_path / "x", project="tc")
    assert not (tmp_path / "x").exists()


def test_jsonl_to_stdout_and_status_filter(ner_tasks, tmp_path):
    out = io.StringIO()
    call_command(
        "export",
        "--project",
        "ner",
        "--format",
        "jsonl",
        "--status",
        "all",
        stdout=out,
        stderr=io.StringIO(),
    )
    bodies = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(bodies) == 4
    assert [b["response"] for b in bodies].count(None) == 1
