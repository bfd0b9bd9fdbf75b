"""Helpers for the report tests: manifests written into a scratch folder, the CLI run in-process."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from sts_cli.engine import ValidationResult
    from sts_cli.report import ReportContext

REPO = Path(__file__).resolve().parents[2]
# The shared data folder sits beside the repository (../shared/data), in CI as here.
SHARED_DATA = REPO / ".." / "shared" / "data"

VALID = """\
apiVersion: v1
kind: Service
metadata:
  name: nginx
  labels:
    app: nginx
spec:
  ports:
  - port: 80
    name: web
  clusterIP: None
  selector:
    app: nginx
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: nginx
  serviceName: nginx
  replicas: 3
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: registry.k8s.io/nginx-slim:0.24
        ports:
        - containerPort: 80
          name: web
        readinessProbe:
          httpGet:
            path: /
            port: web
"""

# `replicas: "3"` is a schema error at line 6, column 13; the Service is valid.
BAD = """\
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  replicas: "3"
  serviceName: db
  selector:
    matchLabels:
      app: db
  template:
    metadata:
      labels:
        app: db
    spec:
      containers:
      - name: db
        image: postgres:16
---
apiVersion: v1
kind: Service
metadata:
  name: db
spec:
  clusterIP: None
  selector:
    app: db
  ports:
  - port: 5432
    name: pg
"""
BAD_LINE, BAD_COLUMN = 6, 13

SYNTAX_ERROR = "apiVersion: v1\nkind: Service\nmetadata:\n  name: x\n\tbad: [\n"


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A scratch working directory, with no colour and outside GitHub Actions unless a test says so."""
    monkeypatch.chdir(tmp_path)
    for name in ("NO_COLOR", "GITHUB_ACTIONS", "TERM", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("STS_NO_CACHE", "1")
    return tmp_path


@pytest.fixture
def sts(workdir: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., Run]]:
    """`sts("validate", "x.yaml", stdin=...)` runs the CLI in-process from the scratch folder."""
    from sts_cli.cli import main

    def run(*args: str, stdin: bytes | None = None) -> Run:
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
        capsys.readouterr()
        with pytest.raises(SystemExit) as exited:
            main(list(args))
        captured = capsys.readouterr()
        code = exited.value.code
        return Run(code if isinstance(code, int) else 0, captured.out, captured.err)

    yield run


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def check(*paths: str, **options: object) -> ValidationResult:
    """The engine's result for `paths`, with the newest bundled Kubernetes version."""
    from sts_cli.engine import ValidateOptions, validate
    from sts_cli.schemas import default_version

    return validate(list(paths), ValidateOptions(kubernetes_version=default_version(), **options))  # type: ignore[arg-type]


def context(**fields: object) -> ReportContext:
    import os

    from sts_cli.report import ReportContext
    from sts_cli.schemas import default_version

    values: dict[str, object] = {"tool_version": "9.8.7", "kubernetes_version": default_version(),
                                 "working_directory": os.getcwd()}
    values.update(fields)
    return ReportContext(**values)  # type: ignore[arg-type]
