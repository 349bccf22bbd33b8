"""manage.py import_tasks FILE --project NAME [--batch NAME]: bulk-create tasks."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from labeling import imports, services
from labeling.models import Batch
from labeling.progress import progress_bar, raw_stream


class Command(BaseCommand):
    help = (
        "Create tasks from a JSONL file (one task's params per line) or a JSON list, "
        "with the API's validation. Bad lines are reported by line number; the others "
        "are imported. Running the same file again creates nothing twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="JSONL or JSON list of task payloads")
        parser.add_argument("--project", required=True, help="Project the tasks belong to")
        parser.add_argument("--batch", help="Batch to put the tasks in (must exist)")
        parser.add_argument(
            "--account", help="Account owning the project (needed only if names clash)"
        )
        parser.add_argument(
            "--rejects",
            type=Path,
            help="Write the lines that were not imported to this file, to fix and import again",
        )
        parser.add_argument(
            "--progress",
            action="store_true",
            default=None,
            help="Show the progress bar even when stderr is not a terminal",
        )
        parser.add_argument(
            "--no-progress", dest="progress", action="store_false", help="Never show it"
        )

    def handle(self, *args, **options):
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            project = imports.find_project(options["project"], options["account"])
            batch = imports.find_batch(project, options["batch"])
        except services.NotFound as exc:
            raise CommandError(str(exc)) from exc
        if batch is not None and batch.status == Batch.Status.COMPLETED:
            raise CommandError(f"batch {batch.name!r} is completed: tasks cannot be added")

        total, records = imports.read_records(path)
        rejects_file = (
            options["rejects"].open("w", encoding="utf-8") if options["rejects"] else None
        )
        bar = progress_bar(
            stream=self.stderr,
            total=total,
            unit="task",
            desc=f"import {path.name}",
            enabled=options["progress"],
        )
        err = raw_stream(self.stderr)

        def on_reject(rejection: imports.Rejection) -> None:
            # tqdm.write keeps the bar below the messages instead of tearing it.
            bar.write(f"line {rejection.line}: {rejection.message}", file=err)
            if rejects_file and rejection.raw:
                rejects_file.write(rejection.raw + "\n")

        try:
            report = imports.import_records(
                account=project.account,
                project=project,
                batch=batch,
                records=records,
                on_progress=bar.update,
                on_reject=on_reject,
            )
        finally:
            bar.close()
            if rejects_file:
                rejects_file.close()

        self.stdout.write(
            f"{path.name}: {report.total:,} lines read, {report.created:,} tasks created, "
            f"{report.existing:,} already present (skipped), {len(report.rejected):,} rejected"
        )
        if batch is not None and batch.status == Batch.Status.STAGING and report.created:
            self.stdout.write(
                f"Note: batch {batch.name!r} is staging; workers get its tasks once it is finalized."
            )
        if report.rejected:
            lines = ", ".join(str(r.line) for r in report.rejected[:20])
            more = f" and {len(report.rejected) - 20:,} more" if len(report.rejected) > 20 else ""
            hint = f"; they are in {options['rejects']}" if options["rejects"] else ""
            raise CommandError(
                f"{len(report.rejected):,} lines were not imported (lines {lines}{more}){hint}"
            )
