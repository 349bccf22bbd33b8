"""Nothing a worker submitted is lost, and nothing is half-saved.

The kill test runs a real server process (`runserver --noreload` on a temp
SQLite file, WAL mode as in production settings), submits a response, and
SIGKILLs the process while the submit is inside its transaction (a test-only
delay hook stops it after the task row is updated and before the revision
row is written). The database must then hold the old state whole. A second
server takes the same submission and is killed right after answering: the new
state must be there whole. In-process tests check that a failure inside
submit_response rolls everything back and that invalid input is re-shown."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from labeling.models import ResponseRevision, Task
from labeling.services import create_task
from tests.conftest import make_project
from tests.security.kill_helpers import CSRF_SECRET

ROOT = Path(__file__).resolve().parents[2]
RESPONSE = {"annotations": [], "relationships": []}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(db: Path, marker: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTEST_VERSION",)}
    env.update(
        DATABASE_URL=f"sqlite:///{db}",
        DEBUG="1",
        KILL_TEST_MARKER=str(marker),
        TASKS_BACKEND="django_tasks.backends.dummy.DummyBackend",
    )
    return env


def _start(env, port: int, *, slow: bool) -> subprocess.Popen:
    args = [sys.executable, "-m", "tests.security.kill_helpers", "serve", f"127.0.0.1:{port}"]
    proc = subprocess.Popen(
        [*args, *(["--slow-submit"] if slow else [])],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return proc
        if proc.poll() is not None:
            raise AssertionError(proc.stderr.read().decode())
        time.sleep(0.1)
    proc.kill()
    raise AssertionError("server did not start")


def _kill(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)


def _submit(port: int, info: dict, result: dict) -> None:
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": CSRF_SECRET, "ner_response": json.dumps(RESPONSE)}
    ).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/label/{info['task_id']}/",
        data=data,
        headers={
            "Cookie": f"sessionid={info['session']}; csrftoken={CSRF_SECRET}",
            "Referer": f"http://127.0.0.1:{port}/",
        },
    )
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=60) as response:
            result["status"] = response.status
    except urllib.error.HTTPError as exc:
        result["status"] = exc.code
    except OSError as exc:  # the connection dies with the server
        result["error"] = repr(exc)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _state(db: Path, task_pk: int) -> dict:
    with sqlite3.connect(db) as conn:
        status, response, leased_to = conn.execute(
            "SELECT status, response, leased_to_id FROM labeling_task WHERE id = ?", (task_pk,)
        ).fetchone()
        revisions = conn.execute(
            "SELECT kind, response FROM labeling_responserevision WHERE task_id = ?", (task_pk,)
        ).fetchall()
    return {"status": status, "response": response, "leased": leased_to, "revisions": revisions}


def test_killed_mid_submit_leaves_old_or_new_state_never_half(tmp_path):
    db, marker = tmp_path / "kill.sqlite3", tmp_path / "in-transaction"
    env = _env(db, marker)
    setup = subprocess.run(
        [sys.executable, "-m", "tests.security.kill_helpers", "setup"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    info = json.loads(setup.stdout.strip().splitlines()[-1])
    before = _state(db, info["task_pk"])
    assert before["status"] == "pending" and before["revisions"] == []

    # 1. Killed inside the transaction: the old state, whole.
    port = _free_port()
    server = _start(env, port, slow=True)
    result: dict = {}
    thread = threading.Thread(target=_submit, args=(port, info, result))
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not marker.exists():
            assert time.monotonic() < deadline, "the submit never reached its transaction"
            assert thread.is_alive(), result
            time.sleep(0.05)
    finally:
        _kill(server)
    thread.join(timeout=30)
    assert "status" not in result, result  # the worker saw the request fail
    after_kill = _state(db, info["task_pk"])
    assert after_kill == before

    # 2. The worker submits again to a fresh server: the new state, whole; a
    # kill right after the answer changes nothing (the commit is durable).
    port = _free_port()
    server = _start(env, port, slow=False)
    result = {}
    try:
        _submit(port, info, result)
    finally:
        _kill(server)
    assert result.get("status") == 302, result
    done = _state(db, info["task_pk"])
    assert done["status"] == "completed"
    assert json.loads(done["response"]) == RESPONSE
    assert done["leased"] is None
    assert [(kind, json.loads(r)) for kind, r in done["revisions"]] == [("submitted", RESPONSE)]


# ---------------------------------------------------------------- in process


@pytest.fixture
def leased_task(account, worker):
    from labeling import queue

    make_project(account, name="ner", type="namedentityrecognition")
    task = create_task(
        account=account,
        type_name="namedentityrecognition",
        payload={"project": "ner", "text": "Ada Lovelace", "labels": [{"name": "PER"}]},
    )
    task.project.workers.add(worker)
    assert queue.take_lease(task=task, user=worker)
    return task


@pytest.mark.django_db(transaction=True)
def test_failure_inside_submit_rolls_everything_back(leased_task, worker, monkeypatch):
    from labeling import queue

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(ResponseRevision.objects, "create", boom)
    with pytest.raises(RuntimeError):
        queue.submit_response(task=leased_task, response=RESPONSE, user=worker)
    leased_task.refresh_from_db()
    assert leased_task.status == Task.Status.PENDING
    assert leased_task.response is None
    assert leased_task.leased_to == worker
    assert not ResponseRevision.objects.filter(task=leased_task).exists()


@pytest.mark.django_db
def test_invalid_submission_keeps_the_workers_input(client, leased_task, worker):
    client.force_login(worker)
    posted = '{"annotations": [{"label": "NOPE", "start": 0, "end": 3}], "relationships": []}'
    response = client.post(f"/label/{leased_task.task_id}/", {"ner_response": posted})
    assert response.status_code == 400
    assert b"NOPE" in response.content  # re-shown, not dropped
    leased_task.refresh_from_db()
    assert leased_task.status == Task.Status.PENDING
