"""A progress bar on stderr for long runs, only where a person is watching a terminal.

Nothing is drawn for the first second, in pipes, under CI (`CI` set), with TERM=dumb or
NO_COLOR-less dumb terminals, or when a machine format is chosen: then the callback only counts.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

DELAY = 1.0
REFRESH = 0.1


def wanted(enabled: bool = True) -> bool:
    if not enabled or os.environ.get("CI") or os.environ.get("TERM") == "dumb" \
            or os.environ.get("GITHUB_ACTIONS") == "true":
        return False
    try:
        return sys.stderr is not None and sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


@contextmanager
def progress_bar(enabled: bool = True) -> Iterator[Callable[[int, int], None] | None]:
    """Yield a `progress(done, total)` callback (or None when no bar can be shown)."""
    if not wanted(enabled):
        yield None
        return
    started = time.monotonic()
    state: dict[str, Any] = {"bar": None, "task": None, "drawn": 0.0}

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if now - started < DELAY or (now - state["drawn"] < REFRESH and done < total):
            return
        bar = state["bar"]
        if bar is None:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            bar = Progress(TextColumn("checking"), BarColumn(), MofNCompleteColumn(), TextColumn("files"),
                           TimeElapsedColumn(), console=Console(file=sys.stderr), transient=True,
                           auto_refresh=False)
            bar.start()
            state["bar"] = bar
            state["task"] = bar.add_task("check", total=total)
        bar.update(state["task"], completed=done, total=total)
        bar.refresh()
        state["drawn"] = now

    try:
        yield progress
    finally:
        if state["bar"] is not None:
            state["bar"].stop()
