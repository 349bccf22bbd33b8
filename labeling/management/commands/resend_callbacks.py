"""Re-enqueue callback deliveries whose job was lost, so every callback is
delivered at least once even when a worker or web process dies mid-way."""

import time
from datetime import timedelta

from django.core.management.base import BaseCommand

from labeling.callbacks import resend_stale


class Command(BaseCommand):
    help = (
        "Re-enqueue pending callback deliveries that are overdue by --older-than minutes "
        "(their job was lost: a worker killed mid-delivery, or a crash between commit and "
        "enqueue). Safe to run repeatedly; with --every it keeps running."
    )

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=float, default=10.0, metavar="MINUTES")
        parser.add_argument(
            "--every", type=float, default=0.0, metavar="SECONDS", help="Repeat forever"
        )

    def handle(self, *args, older_than: float, every: float, **options):
        while True:
            count = resend_stale(older_than=timedelta(minutes=older_than))
            if count or options["verbosity"] > 1:
                self.stdout.write(f"re-enqueued {count} callback deliveries")
            if every <= 0:
                return
            time.sleep(every)
