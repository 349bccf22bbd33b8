"""manage.py import_tasks: line-numbered errors, re-run safety, one validation path."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from labeling import imports
from labeling.models import Batch, Task
from tests.data_io.helpers import ner_project


def run(path, *args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_tasks", str(path), *args, stdout=out, stderr=err)
        failure = None
    except CommandError as exc:
        failure = str(exc)
    return out.getvalue(), err.getvalue(), failure


@pytest.fixture
def project(account):
    return ner_project(account)


def test_10000_lines_with_10_bad_imports_9990_and_names_the_10_lines(project, tmp_path):
    bad_lines = {17, 999, 1000, 2500, 4312, 5000, 6001, 7777, 9998, 10000}
    path = tmp_path / "tasks.jsonl"
    with path.open("w") as f:
        for n in range(1, 10_001):
            if n not in bad_lines:
                f.write(json.dumps({"text": f"Alex Wang number {n}", "unique_id": f"u{n}"}) + "\n")
            elif n % 2:
                f.write('{"text": "unterminated\n')  # broken JSON
            else:
                f.write(json.dumps({"text": 42, "unique_id": f"u{n}"}) + "\n")  # invalid params

    out, err, failure = run(path, "--project", "ner", "--rejects", str(tmp_path / "rej.jsonl"))

    assert Task.objects.filter(project=project).count() == 9_990
    reported = sorted(int(line.split()[1].rstrip(":")) for line in err.splitlines())
    assert reported == sorted(bad_lines)
    assert "line 4312: invalid JSON" in err or "line 4312: text:" in err
    assert "line 1000: text:" in err  # the task type's own message, with its path
    assert "10,000 lines read, 9,990 tasks created, 0 already present (skipped), 10 rejected" in out
    assert failure and "10 lines were not imported" in failure and "4312" in failure
    assert len((tmp_path / "rej.jsonl").read_text().splitlines()) == 10
    assert not Task.objects.filter(unique_id="u1000").exists()


def test_rerunning_the_same_file_creates_nothing_twice(project, tmp_path):
    path = tmp_path / "tasks.jsonl"
    lines = [
        {"text": "with an id", "unique_id": "mine-1"},
        {"text": "no id, keyed by content"},
        {"metadata": {"k": 1}, "text": "no id either"},
    ]
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    out1, _, failure1 = run(path, "--project", "ner")
    # The same content with keys in another order and other spacing is the same task.
    path.write_text(
        json.dumps(lines[0])
        + "\n"
        + json.dumps({"text": "no id, keyed by content"}, indent=None, separators=(" ,", " : "))
        + "\n"
        + json.dumps({"text": "no id either", "metadata": {"k": 1}})
        + "\n"
    )
    out2, _, failure2 = run(path, "--project", "ner")

    assert failure1 is None and failure2 is None
    assert "3 tasks created" in out1
    assert "0 tasks created, 3 already present" in out2
    assert Task.objects.count() == 3
    keyed = Task.objects.get(params__text="no id, keyed by content")
    assert keyed.unique_id.startswith(imports.CONTENT_KEY_PREFIX)
    assert Task.objects.get(params__text="with an id").unique_id == "mine-1"


def test_same_unique_id_in_another_project_is_an_error(account, project, tmp_path):
    other = ner_project(account, name="other")
    path = tmp_path / "t.jsonl"
    path.write_text(json.dumps({"text": "x", "unique_id": "shared"}) + "\n")
    run(path, "--project", "other")
    _, err, failure = run(path, "--project", "ner")
    assert (
        "line 1: unique_id: a task with unique_id 'shared' already exists in project 'other'" in err
    )
    assert failure
    assert Task.objects.filter(project=other).count() == 1
    assert not Task.objects.filter(project=project).exists()


def test_json_list_reports_the_line_each_item_starts_on(project, tmp_path):
    path = tmp_path / "tasks.json"
    path.write_text(
        "[\n"
        '  {"text": "first"},\n'
        "  {\n"
        '    "text": ["not", "a", "string"]\n'
        "  },\n"
        '  {"text": "third"}\n'
        "]\n"
    )
    out, err, failure = run(path, "--project", "ner")
    assert err.startswith("line 3: text:")
    assert "3 lines read, 2 tasks created" in out
    assert failure


def test_a_line_naming_another_project_or_batch_is_refused(account, project, tmp_path):
    Batch.objects.create(account=account, project=project, name="b1", status="in_progress")
    path = tmp_path / "t.jsonl"
    path.write_text(
        json.dumps({"text": "a", "project": "elsewhere"})
        + "\n"
        + json.dumps({"text": "b", "batch": "b2"})
        + "\n"
        + json.dumps({"text": "c", "project": "ner", "batch": "b1"})
        + "\n"
    )
    _, err, _ = run(path, "--project", "ner", "--batch", "b1")
    assert "line 1: project: the line says 'elsewhere' but --project is 'ner'" in err
    assert "line 2: batch: the line says 'b2' but --batch is 'b1'" in err
    assert list(Task.objects.values_list("params__text", "batch__name")) == [("c", "b1")]


def test_unknown_project_or_batch_stops_before_reading(project, tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_text(json.dumps({"text": "a"}) + "\n")
    with pytest.raises(CommandError, match="no project named 'nope'"):
        call_command("import_tasks", str(path), "--project", "nope", stdout=io.StringIO())
    with pytest.raises(CommandError, match="no batch named 'b9'"):
        call_command(
            "import_tasks", str(path), "--project", "ner", "--batch", "b9", stdout=io.StringIO()
        )
    assert not Task.objects.exists()


def test_import_uses_the_api_validation(project, tmp_path, api):
    """The same payload gives the same error through the API and through import."""
    payload = {"text": "Hi", "priority": 7, "tags": ["x"] * 9}
    api_error = api.post("task/namedentityrecognition", {**payload, "project": "ner"}).json()
    path = tmp_path / "t.jsonl"
    path.write_text(json.dumps(payload) + "\n")
    _, err, _ = run(path, "--project", "ner")
    message = api_error.get("error") or api_error.get("message")
    assert message and f"line 1: {message}" in err
