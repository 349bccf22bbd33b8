"""The progress bar: drawn on a terminal (a real pty here), silent on a pipe or file."""

from __future__ import annotations

import io
import json
import os
import pty
import struct
import termios
from fcntl import ioctl

from django.core.management import call_command

from labeling.models import Task
from labeling.progress import is_terminal
from tests.data_io.helpers import ner_project


def _write_tasks(path, n):
    path.write_text("".join(json.dumps({"text": f"t {i}"}) + "\n" for i in range(n)))


def _terminal() -> tuple[int, int]:
    """A pty sized like a real terminal (a fresh pty is 0x0 columns)."""
    master, slave = pty.openpty()
    ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 120, 0, 0))
    return master, slave


def _read_all(fd) -> str:
    os.set_blocking(fd, False)
    chunks = []
    while True:
        try:
            data = os.read(fd, 65536)
        except (BlockingIOError, OSError):
            break
        if not data:
            break
        chunks.append(data)
    return b"".join(chunks).decode("utf-8", "replace")


def test_bar_shows_count_rate_and_eta_on_a_terminal(account, tmp_path):
    ner_project(account)
    path = tmp_path / "t.jsonl"
    _write_tasks(path, 300)
    master, slave = _terminal()
    try:
        with os.fdopen(slave, "w", closefd=False) as tty:
            assert is_terminal(tty)
            out = io.StringIO()
            call_command("import_tasks", str(path), "--project", "ner", stdout=out, stderr=tty)
            tty.flush()
        drawn = _read_all(master)
    finally:
        os.close(master)
        os.close(slave)
    assert Task.objects.count() == 300
    assert "import t.jsonl" in drawn
    assert "300/300" in drawn
    assert "task/s" in drawn  # the rate
    assert "<" in drawn  # elapsed<remaining: the ETA
    assert "\r" in drawn  # redrawn in place
    assert "300 tasks created" in out.getvalue()


def test_bar_is_silent_when_output_is_not_a_terminal(account, tmp_path):
    ner_project(account)
    path = tmp_path / "t.jsonl"
    _write_tasks(path, 300)
    out, err = io.StringIO(), io.StringIO()
    call_command("import_tasks", str(path), "--project", "ner", stdout=out, stderr=err)
    assert err.getvalue() == ""
    assert "300 tasks created" in out.getvalue()

    export_out, export_err = io.StringIO(), io.StringIO()
    call_command(
        "export",
        "--project",
        "ner",
        "--status",
        "all",
        "--format",
        "jsonl",
        "--out",
        str(tmp_path / "x.jsonl"),
        stdout=export_out,
        stderr=export_err,
    )
    assert export_err.getvalue() == ""
    assert "Exported 300 tasks" in export_out.getvalue()


def test_export_bar_on_a_terminal(account, tmp_path):
    ner_project(account)
    path = tmp_path / "t.jsonl"
    _write_tasks(path, 50)
    call_command("import_tasks", str(path), "--project", "ner", stdout=io.StringIO())
    master, slave = _terminal()
    try:
        with os.fdopen(slave, "w", closefd=False) as tty:
            call_command(
                "export",
                "--project",
                "ner",
                "--status",
                "all",
                "--format",
                "jsonl",
                "--out",
                str(tmp_path / "x.jsonl"),
                stdout=io.StringIO(),
                stderr=tty,
            )
            tty.flush()
        drawn = _read_all(master)
    finally:
        os.close(master)
        os.close(slave)
    assert "export jsonl" in drawn and "50/50" in drawn and "task/s" in drawn
