"""manage.py import_tasks FILE --project NAME [--batch NAME]: bulk-create tasks."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from labeling import imports, services
from labeling.models import Batch, Project
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

    # What a record is called in messages; the Label Studio command says "tasks".
    unit_name = "lines"

    def handle(self, *args, **options):
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        project, batch = self.destination(options)
        total, records = imports.read_records(path)
        self.run_import(path, project, batch, total, records, options)

    def destination(self, options) -> tuple[Project, Batch | None]:
        try:
            project = imports.find_project(options["project"], options["account"])
            batch = imports.find_batch(project, options.get("batch"))
        except services.NotFound as exc:
            raise CommandError(str(exc)) from exc
        if batch is not None and batch.status == Batch.Status.COMPLETED:
            raise CommandError(f"batch {batch.name!r} is completed: tasks cannot be added")
        return project, batch

    def bar(self, path: Path, total: int, options):
        return progress_bar(
            stream=self.stderr,
            total=total,
            unit="task",
            desc=f"import {path.name}",
            enabled=options["progress"],
        )

    def run_import(self, path, project, batch, total, records, options, bar=None) -> None:
        rejects_file = (
            options["rejects"].open("w", encoding="utf-8") if options["rejects"] else None
        )
        bar = bar or self.bar(path, total, options)
        err = raw_stream(self.stderr)

        def on_reject(rejection: imports.Rejection) -> None:
            # tqdm.write keeps the bar below the messages instead of tearing it.
            bar.write(f"{rejection.place}: {rejection.message}", file=err)
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

        unit = self.unit_name
        self.stdout.write(
            f"{path.name}: {report.total:,} {unit} read, {report.created:,} tasks created, "
            f"{report.existing:,} already present (skipped), {len(report.rejected):,} rejected"
        )
        if batch is not None and batch.status == Batch.Status.STAGING and report.created:
            self.stdout.write(
                f"Note: batch {batch.name!r} is staging; workers get its tasks once it is finalized."
            )
        if report.rejected:
            places = ", ".join(r.place for r in report.rejected[:20])
            more = f" and {len(report.rejected) - 20:,} more" if len(report.rejected) > 20 else ""
            hint = f"; they are in {options['rejects']}" if options["rejects"] else ""
            raise CommandError(
                f"{len(report.rejected):,} {unit} were not imported ({places}{more}){hint}"
            )
