"""Concurrency tests on SQLite: the in-memory test database is one connection
shared by every thread and answers "table is locked" instead of waiting, so
such a module re-runs itself in a subprocess against a file database
(settings: SQLITE_TEST_FILE)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[1]


def memory_sqlite() -> bool:
    db = settings.DATABASES["default"]
    return db["ENGINE"].endswith("sqlite3") and not db.get("TEST", {}).get("NAME")


def rerun_on_sqlite_file(module_file: str) -> str:
    """Run `module_file`'s tests against a temporary SQLite file; return pytest's
    output (the caller asserts on its summary). Fails on a non-zero exit."""
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "SQLITE_TEST_FILE": str(Path(tmp) / "concurrency.sqlite3")}
        run = subprocess.run(
            [sys.executable, "-m", "pytest", module_file, "-q", "-p", "no:cacheprovider"],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            cwd=ROOT,
        )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    return run.stdout
