"""Shared test helpers: run the CLI in-process and capture exit code and output."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
FIXTURES = REPO / "tests" / "fixtures"


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """`run_cli("validate", path, ...)` -> CliResult; runs from the repository root, no colour."""
    from sts_cli.cli import main

    monkeypatch.chdir(REPO)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.setenv("STS_CACHE_DIR", str(REPO / ".pytest_cache" / "sts-cache-unused"))
    monkeypatch.setenv("STS_NO_CACHE", "1")

    def run(*args: str, stdin: str | None = None) -> CliResult:
        if stdin is not None:
            import io
            import sys

            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode())))
        capsys.readouterr()
        with pytest.raises(SystemExit) as exited:
            main([*args])
        captured = capsys.readouterr()
        code = exited.value.code
        return CliResult(code if isinstance(code, int) else 0, captured.out, captured.err)

    yield run
    os.environ.pop("STS_TEST", None)
