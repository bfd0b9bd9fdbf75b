"""Reporters: each module formats a ValidationResult in one format and decides nothing.

Every reporter module has `render(result, context) -> str`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sts_cli.findings import Severity

if TYPE_CHECKING:
    from sts_cli.engine import ValidationResult

FORMATS = ("text", "json", "sarif", "junit", "github")


@dataclass(frozen=True, slots=True)
class ReportContext:
    tool_version: str
    kubernetes_version: str
    fail_on: Severity = Severity.ERROR
    color: bool = False
    quiet: bool = False
    show_summary: bool = True
    # Where the run started: SARIF makes URIs relative to it.
    working_directory: str = "."


Renderer = Callable[["ValidationResult", ReportContext], str]


def renderer(fmt: str) -> Renderer:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    module = importlib.import_module(f"sts_cli.report.{fmt}_report")
    render: Renderer = module.render
    return render
