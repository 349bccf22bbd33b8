"""Progress bars for long management commands (imports, exports).

A bar is drawn only on a terminal: when the stream is a pipe or a file (cron,
CI, `> log`), the bar would fill the log with carriage-return noise, so it
stays quiet and only the command's summary lines are written."""

from __future__ import annotations

from typing import Any, TextIO

from tqdm import tqdm


def is_terminal(stream: Any) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False


def raw_stream(stream: Any) -> Any:
    """The file under Django's OutputWrapper: the wrapper appends a newline to
    every write, which would turn tqdm's in-place redraws into one line each."""
    return getattr(stream, "_out", stream)


def progress_bar(
    *, stream: TextIO, total: int | None, unit: str, desc: str, enabled: bool | None = None
) -> tqdm:
    """A tqdm bar showing count, rate and ETA on `stream`.

    `enabled=None` means "only if `stream` is a terminal"; True forces it
    (e.g. `--progress`), False silences it."""
    stream = raw_stream(stream)
    if enabled is None:
        enabled = is_terminal(stream)
    return tqdm(
        total=total,
        unit=unit,
        desc=desc,
        file=stream,
        disable=not enabled,
        dynamic_ncols=True,
        mininterval=0.2,
        smoothing=0.1,
    )
