"""manage.py export --project NAME --format jsonl|csv|spacy|conll [--out PATH]."""

from __future__ import annotations

import io
import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from labeling import exports, imports, services
from labeling.exports import conll, spacy_docbin
from labeling.progress import progress_bar, raw_stream


@contextmanager
def _atomic_file(path: Path, binary: bool):
    """Write to PATH.partial and rename at the end, so a failed or interrupted
    export never leaves a truncated file that looks complete."""
    partial = path.with_name(path.name + ".partial")
    mode = "wb" if binary else "w"
    kwargs: dict[str, Any] = {} if binary else {"encoding": "utf-8", "newline": ""}
    try:
        with partial.open(mode, **kwargs) as f:
            yield f
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


class Command(BaseCommand):
    help = (
        "Export a project's tasks: jsonl (Scale callback bodies), csv (TextCollection "
        "answers), spacy (NER DocBin) or conll (NER, BIO/BILOU). See docs/data.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("--project", required=True)
        parser.add_argument("--batch", help="Only this batch's tasks")
        parser.add_argument("--account", help="Account owning the project (if names clash)")
        parser.add_argument(
            "--status",
            default="completed",
            choices=exports.STATUSES,
            help="Only tasks with this status (default: completed; 'all' for every task)",
        )
        parser.add_argument(
            "--format", required=True, choices=["jsonl", "csv", "spacy", "conll"], dest="fmt"
        )
        parser.add_argument("--out", type=Path, help="Output file (default: standard output)")
        parser.add_argument(
            "--scheme", choices=conll.SCHEMES, default="bio", help="conll: tag scheme"
        )
        parser.add_argument("--lang", default="xx", help="spacy: language of spacy.blank()")
        parser.add_argument(
            "--shard-size",
            type=int,
            help="spacy: write --out as a directory of .spacy files of this many Docs",
        )
        parser.add_argument("--progress", action="store_true", default=None)
        parser.add_argument("--no-progress", dest="progress", action="store_false")

    def handle(self, *args, **options):
        fmt = exports.formats()[options["fmt"]]
        out_path: Path | None = options["out"]
        try:
            project = imports.find_project(options["project"], options["account"])
            batch = imports.find_batch(project, options["batch"])
        except services.NotFound as exc:
            raise CommandError(str(exc)) from exc
        if fmt.TASK_TYPES is not None and project.type not in fmt.TASK_TYPES:
            raise CommandError(
                f"--format {fmt.NAME} is for {', '.join(sorted(fmt.TASK_TYPES))} projects; "
                f"project {project.name!r} is {project.type} (jsonl works for every type)"
            )
        if fmt is spacy_docbin:
            try:
                spacy_docbin.check_available()
            except spacy_docbin.Unavailable as exc:
                raise CommandError(str(exc)) from exc
            if out_path is None:
                raise CommandError("--format spacy writes a binary file: give --out PATH.spacy")
        shard_size = options["shard_size"]
        if shard_size is not None and (fmt is not spacy_docbin or shard_size < 1):
            raise CommandError("--shard-size is a positive number, for --format spacy")

        tasks = exports.select_tasks(project=project, batch=batch, status=options["status"])
        err = raw_stream(self.stderr)
        bar = progress_bar(
            stream=self.stderr,
            total=tasks.count(),
            unit="task",
            desc=f"export {fmt.NAME}",
            enabled=options["progress"],
        )
        report = exports.ExportReport(on_note=lambda msg: bar.write(msg, file=err))
        fmt_options = {
            "scheme": options["scheme"],
            "lang": options["lang"],
            "shard_size": options["shard_size"],
            "out_path": out_path,
        }
        try:
            self._write(fmt, tasks, out_path, report, bar.update, fmt_options)
        finally:
            bar.close()

        where = str(out_path) if out_path else "standard output"
        skipped = f", {report.skipped:,} without a response skipped" if report.skipped else ""
        notes = f", {report.note_count:,} notes above" if report.note_count else ""
        # The summary goes to stderr when the data itself goes to stdout.
        summary_stream = self.stderr if out_path is None else self.stdout
        summary_stream.write(
            f"Exported {report.exported:,} tasks as {fmt.NAME} to {where}{skipped}{notes}"
        )

    def _write(self, fmt, tasks, out_path, report, advance, fmt_options):
        if fmt is spacy_docbin and fmt_options["shard_size"]:
            fmt.write(tasks, None, report=report, advance=advance, options=fmt_options)
        elif out_path is not None:
            with _atomic_file(out_path, fmt.BINARY) as f:
                fmt.write(tasks, f, report=report, advance=advance, options=fmt_options)
        else:
            stdout = raw_stream(self.stdout)
            wrapped = stdout is sys.stdout and hasattr(sys.stdout, "buffer")
            if wrapped:
                # Our own UTF-8 text layer, newlines untouched (CSV writes "\r\n").
                sys.stdout.flush()
                stdout = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="")
            try:
                fmt.write(tasks, stdout, report=report, advance=advance, options=fmt_options)
            finally:
                stdout.flush()
                if wrapped:
                    stdout.detach()  # leave sys.stdout's buffer open
