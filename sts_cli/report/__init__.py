"""Reporters: each module formats a ValidationResult in one format and decides nothing.

Every reporter module has `render(result, context) -> str`.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sts_cli.findings import Finding, Location, Severity

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


def is_pseudo_file(name: str) -> bool:
    """`<stdin>`, `<input>`: findings that belong to no file on disk."""
    return name.startswith("<") and name.endswith(">")


def relative_path(file: str, working_directory: str) -> str:
    """`file` with '/' separators, relative to the working directory when it lies inside it.

    CI services (GitHub annotations and code scanning, GitLab) resolve paths against the
    checkout, which is where `sts` runs; a path outside it stays absolute.
    """
    if is_pseudo_file(file):
        return file
    base = os.path.abspath(working_directory)
    full = os.path.normpath(os.path.join(base, file))
    try:
        inside = os.path.commonpath([base, full]) == base
    except ValueError:  # different drives on Windows
        inside = False
    path = os.path.relpath(full, base) if inside else full
    return path.replace(os.sep, "/")


def ci_location(finding: Finding) -> Location:
    """Where a CI annotation should point: the finding's file, or its Helm template when the
    manifests came from standard input (`helm template ... | sts validate -`)."""
    if is_pseudo_file(finding.location.file) and finding.template is not None:
        return finding.template
    return finding.location


def renderer(fmt: str) -> Renderer:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    module = importlib.import_module(f"sts_cli.report.{fmt}_report")
    render: Renderer = module.render
    return render
