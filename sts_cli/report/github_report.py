"""GitHub Actions workflow commands: one `::error|warning|notice file=...,line=...,col=...,title=RULE::message`
line per finding, which GitHub shows as an annotation on the file and line.

Paths are made relative to the working directory (the checkout). For manifests read from standard
input the annotation points at the Helm template of the `# Source:` comment when there is one,
and names no file otherwise.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sts_cli.findings import Finding, Severity
from sts_cli.report import ReportContext, ci_location, is_pseudo_file, relative_path

if TYPE_CHECKING:
    from sts_cli.engine import ValidationResult

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """The message part of a workflow command."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A `key=value` property of a workflow command."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding, working_directory: str = ".") -> str:
    where = ci_location(finding)
    properties: list[tuple[str, str]] = []
    if not is_pseudo_file(where.file):
        properties += [("file", relative_path(where.file, working_directory)), ("line", str(where.line)),
                       ("col", str(where.column))]
    properties.append(("title", finding.rule))
    detail = ", ".join(part for part in (finding.object, finding.path) if part)
    message = finding.message + (f" ({detail})" if detail else "")
    if finding.hint:
        message += f"\nhint: {finding.hint}"
    if finding.template is not None and where is not finding.template:
        tpl = finding.template
        message += f"\nfrom template {tpl.file}:{tpl.line}:{tpl.column}"
    elif where is finding.template:
        loc = finding.location
        message += f"\nrendered manifest {loc.file}:{loc.line}:{loc.column}"
    props = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    return f"::{COMMANDS[finding.severity]} {props}::{escape_data(message)}"


def render(result: ValidationResult, context: ReportContext) -> str:
    return "".join(annotation(f, context.working_directory) + "\n" for f in result.findings)
