"""Peak Python memory of `manage.py export` at N NER tasks (default 100,000), per format.

    .venv/bin/python bench/export_memory.py [N]

Uses a throw-away SQLite database in a temporary directory. Prints, per format,
the peak traced memory (tracemalloc) and the time; "flat" means the peak does
not grow with N (compare N=10000 with N=100000)."""

from __future__ import annotations

import io
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(n: int) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="labelform-bench-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'db.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from labeling.accounts import get_or_create_account
    from labeling.models import Project, Task

    call_command("migrate", verbosity=0)
    account = get_or_create_account("bench")
    project = Project.objects.create(
        account=account,
        name="ner",
        type="namedentityrecognition",
        params={"labels": [{"name": "person"}, {"name": "event"}]},
    )
    text = "Yesterday Alex Wang spoke at Transform in San Francisco about data."
    response = {
        "annotations": [
            {"id": "a", "start": 10, "end": 19, "text": "Alex Wang", "label": "person"},
            {"id": "b", "start": 29, "end": 38, "text": "Transform", "label": "event"},
        ],
        "relationships": [],
    }
    now = timezone.now()
    batch = []
    for i in range(n):
        batch.append(
            Task(
                account=account,
                type=project.type,
                project=project,
                params={**project.params, "text": text},
                status="completed",
                response=response,
                completed_at=now,
                task_id=f"{i:024x}",
            )
        )
        if len(batch) == 5000:
            Task.objects.bulk_create(batch)
            batch = []
    Task.objects.bulk_create(batch)
    print(f"{n:,} completed NER tasks")
    runs = [("jsonl", []), ("conll", []), ("spacy", ["--shard-size", "10000"]), ("spacy", [])]
    for fmt, extra in runs:
        out = tmp / f"out-{fmt}{'-shards' if extra else ''}"
        tracemalloc.start()
        start = time.perf_counter()
        call_command(
            "export",
            "--project",
            "ner",
            "--format",
            fmt,
            "--out",
            str(out),
            *extra,
            "--no-progress",
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
        elapsed = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        label = fmt + (" (shards of 10,000)" if extra else " (one file)" if fmt == "spacy" else "")
        print(
            f"{label:28} peak {peak / 2**20:7.1f} MiB  {elapsed:6.1f} s  "
            f"{n / elapsed:8,.0f} tasks/s"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
