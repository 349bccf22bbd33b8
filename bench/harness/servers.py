"""Processes for the server benches: PostgreSQL database, gunicorn, db_worker.

Everything runs on loopback. The database is created fresh (DROP + CREATE) under
a bench-only name, so a bench never touches anyone's data. Server processes
get the production settings `make serve` uses (DEBUG off, WhiteNoise manifest
storage, gunicorn sync workers) and are stopped by their own process ids."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
PG_SERVER = os.environ.get("BENCH_PG_SERVER", "postgres://postgres@127.0.0.1:5432")
SECRET = "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def postgres_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", connect_timeout=3):
            return True
    except Exception:
        return False


def fresh_database(name: str) -> str:
    """DROP and CREATE database `name`; return its DATABASE_URL."""
    import psycopg

    assert name.startswith("labelform_bench"), "benches only use their own databases"
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{PG_SERVER}/{name}"


def drop_database(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def server_env(database_url: str, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="project.settings",
        SECRET_KEY=SECRET,
        DEBUG="0",
        SECURE_COOKIES="0",
        LOG_LEVEL="ERROR",
        # A refused callback is retried after ~1 s instead of 30 s.
        CALLBACK_RETRY_BASE_SECONDS="1",
    )
    env.pop("PYTEST_VERSION", None)
    env.update(extra)
    return env


def setup_django(database_url: str) -> None:
    """Use the bench database from this process too (fixtures, checks)."""
    os.environ.update(server_env(database_url))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def prepare(database_url: str) -> None:
    """migrate + collectstatic, as `make serve` does before starting."""
    env = server_env(database_url)
    for args in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True)


def _gunicorn_version() -> tuple[int, ...]:
    import gunicorn

    return tuple(int(p) for p in gunicorn.__version__.split(".")[:2])


class Processes:
    """Started processes, stopped (by their own pids) when the block ends."""

    def __init__(self) -> None:
        self.procs: list[subprocess.Popen] = []

    def gunicorn(self, database_url: str, port: int, workers: int) -> None:
        args = [
            GUNICORN,
            "project.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--graceful-timeout",
            "5",
        ]
        if _gunicorn_version() >= (27, 0):
            # Several gunicorns on one machine must not share the control socket.
            args += ["--control-socket", f"/tmp/labelform-bench-{port}.ctl"]
        self._start(args, server_env(database_url))
        wait_http(port)

    def db_worker(self, database_url: str) -> None:
        args = [PY, "manage.py", "db_worker", "--queue-name", "*", "--no-reload"]
        self._start(args, server_env(database_url))

    def _start(self, args: list[str], env: dict[str, str]) -> None:
        self.procs.append(
            subprocess.Popen(
                args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
        )

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 15
        for proc in self.procs:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self.procs.clear()

    def __enter__(self) -> Processes:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def wait_http(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"no server on port {port} after {timeout} s")


class CallbackReceiver:
    """A local callback target: records every task_id it is sent (2xx answers)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.received: list[str] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                with receiver.lock:
                    receiver.received.append(body.get("task_id", ""))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/callback"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> CallbackReceiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@contextlib.contextmanager
def bench_database(name: str) -> Iterator[str]:
    url = fresh_database(name)
    try:
        yield url
    finally:
        with contextlib.suppress(Exception):
            from django.db import connections

            connections.close_all()
        drop_database(name)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")
