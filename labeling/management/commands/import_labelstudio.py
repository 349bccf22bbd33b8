"""manage.py import_labelstudio EXPORT.json --project NAME: tasks from a Label Studio export."""

from __future__ import annotations

from json import JSONDecodeError
from pathlib import Path

from django.core.management.base import CommandError

from labeling import labelstudio
from labeling.management.commands import import_tasks
from labeling.progress import raw_stream


class Command(import_tasks.Command):
    help = (
        "Create tasks from a Label Studio JSON export (NER with Labels+Relations, or "
        "Choices/TextArea into a TextCollection project), carrying each task's annotation "
        "as the hypothesis. See docs/migrate-from-label-studio.md."
    )
    unit_name = "tasks"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--text-key",
            help="NER: the key of `data` holding the text (default: `text`, or the only string)",
        )
        parser.add_argument(
            "--offsets",
            choices=labelstudio.OFFSET_MODES,
            default="auto",
            help="How the export counts span offsets (default: auto, checked against the span text)",
        )

    def handle(self, *args, **options):
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        project, batch = self.destination(options)
        if project.type not in (labelstudio.NER, labelstudio.TEXTCOLLECTION):
            raise CommandError(f"project {project.name!r} is {project.type}: not supported")
        try:
            tasks = labelstudio.read_export(path)
        except (JSONDecodeError, UnicodeDecodeError) as exc:
            raise CommandError(f"{path}: not a Label Studio JSON export ({exc})") from exc
        if not isinstance(tasks, list):
            raise CommandError(f"{path}: a Label Studio JSON export is a list of tasks")
        bar = self.bar(path, len(tasks), options)
        err = raw_stream(self.stderr)
        records = labelstudio.records(
            tasks,
            project=project,
            text_key=options["text_key"],
            offsets=options["offsets"],
            on_warning=lambda msg: bar.write(msg, file=err),
        )
        self.run_import(path, project, batch, len(tasks), records, options, bar=bar)
