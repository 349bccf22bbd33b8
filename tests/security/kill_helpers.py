"""Helpers run in subprocesses by test_nothing_lost.py (not a test module).

python -m tests.security.kill_helpers setup
    migrate the database named by DATABASE_URL and create a worker, an NER task
    leased to them and a session; print them as JSON.
python -m tests.security.kill_helpers serve ADDR [--slow-submit]
    run `runserver --noreload` on ADDR. With --slow-submit (the test-only delay
    hook), a submit stops inside its transaction, after the task row is
    updated and before the revision row is written, and writes the file named
    by KILL_TEST_MARKER so the test knows when to SIGKILL the process."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

CSRF_SECRET = "k" * 32


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
    import django

    django.setup()


def setup() -> None:
    _django()
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    from labeling import queue
    from labeling.accounts import create_user, get_or_create_account
    from labeling.models import Project
    from labeling.services import create_task

    call_command("migrate", verbosity=0, interactive=False)
    account = get_or_create_account("kill-test")
    worker = create_user(username="kate", password="pw-for-tests-123", role="worker")
    project = Project.objects.create(account=account, name="ner", type="namedentityrecognition")
    project.workers.add(worker)
    task = create_task(
        account=account,
        type_name="namedentityrecognition",
        payload={"project": "ner", "text": "Ada Lovelace", "labels": [{"name": "PER"}]},
    )
    assert queue.take_lease(task=task, user=worker)
    session = SessionStore()
    session["_auth_user_id"] = str(worker.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = worker.get_session_auth_hash()
    session.create()
    print(json.dumps({"task_id": task.task_id, "task_pk": task.pk, "session": session.session_key}))


def serve(addr: str, slow_submit: bool) -> None:
    _django()
    if slow_submit:
        from labeling.models import ResponseRevision

        marker = Path(os.environ["KILL_TEST_MARKER"])
        original = ResponseRevision.save

        def save_slowly(self, *args, **kwargs):
            if self.kind == ResponseRevision.Kind.SUBMITTED:
                marker.write_text("inside the submit transaction")
                time.sleep(600)  # until SIGKILL
            return original(self, *args, **kwargs)

        ResponseRevision.save = save_slowly
    from django.core.management import call_command

    call_command("runserver", addr, use_reloader=False)


if __name__ == "__main__":
    if sys.argv[1] == "setup":
        setup()
    else:
        serve(sys.argv[2], "--slow-submit" in sys.argv)
