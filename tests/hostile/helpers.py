"""Running `sts` in-process or as a subprocess for the hostile tests, and checking the outcome."""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ALLOWED_CODES = (0, 1, 2)
CRASH_MARKERS = ("Traceback (most recent call last)", "internal error", "RecursionError", "MemoryError")


@dataclass
class Run:
    code: int
    out: str
    err: str

    def assert_clean(self, codes: tuple[int, ...] = ALLOWED_CODES) -> None:
        """An exit code in `codes` and no traceback or internal error."""
        assert self.code in codes, (self.code, self.err[-2000:])
        for marker in CRASH_MARKERS:
            assert marker not in self.err, self.err[-2000:]
            assert marker not in self.out[-5000:], self.out[-5000:]


@contextlib.contextmanager
def _env(values: dict[str, str]) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


QUIET_ENV = {"STS_NO_CACHE": "1", "NO_COLOR": "1", "GITHUB_ACTIONS": "", "STS_DEBUG": ""}


def run_main(*args: str, stdin: bytes | None = None) -> Run:
    """`sts ARGS` in this process (no cache, no colour), its exit code and output."""
    from sts_cli.cli import main

    out, err = io.StringIO(), io.StringIO()
    code: object = 0
    saved_stdin = sys.stdin
    if stdin is not None:
        sys.stdin = io.TextIOWrapper(io.BytesIO(stdin))
    try:
        with _env(QUIET_ENV), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main(list(args))
            except SystemExit as exited:
                code = exited.code
    finally:
        sys.stdin = saved_stdin
    return Run(code if isinstance(code, int) else 0, out.getvalue(), err.getvalue())


def sts_command() -> list[str]:
    return [sys.executable, "-m", "sts_cli"]


def subprocess_env() -> dict[str, str]:
    env = {**os.environ, **QUIET_ENV}
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def run_process(*args: str, timeout: float = 120, **kwargs: object) -> Run:
    done = subprocess.run([*sts_command(), *args], capture_output=True, timeout=timeout, env=subprocess_env(),
                          check=False, **kwargs)  # type: ignore[call-overload]
    return Run(done.returncode, done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace"))


def tree_digest(root: Path) -> dict[str, tuple[str, int]]:
    """sha256 and mode of every file under `root`: inputs must be byte-identical afterwards."""
    found: dict[str, tuple[str, int]] = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            found[str(path.relative_to(root))] = (hashlib.sha256(path.read_bytes()).hexdigest(),
                                                  path.stat().st_mode)
    return found
