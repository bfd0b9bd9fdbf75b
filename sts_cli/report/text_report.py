"""Human-readable report: `path:line:col: severity rule-id message`, grouped by file, then a summary."""

from __future__ import annotations

import io
from itertools import groupby
from typing import TYPE_CHECKING

from sts_cli.findings import Finding, Severity
from sts_cli.report import ReportContext

if TYPE_CHECKING:
    from sts_cli.engine import Summary, ValidationResult

_STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def finding_line(finding: Finding) -> str:
    """The plain text of one finding, stable for editors and grep."""
    loc = finding.location
    where = f" ({', '.join(part for part in (finding.object, finding.path) if part)})" \
        if finding.object or finding.path else ""
    return f"{loc.file}:{loc.line}:{loc.column}: {finding.severity.label} {finding.rule} {finding.message}{where}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary_line(summary: Summary) -> str:
    kinds = ", ".join(f"{count} {kind}" for kind, count in sorted(summary.objects.items()))
    objects = sum(summary.objects.values())
    parts = [f"{_plural(summary.files, 'file')}", f"{_plural(objects, 'object')}"
             + (f" ({kinds})" if kinds else ""), f"{summary.invalid} invalid"]
    skipped = sum(summary.skipped.values())
    if skipped:
        names = ", ".join(f"{count} {kind or '?'}" for kind, count in sorted(summary.skipped.items()))
        parts.append(f"{skipped} skipped ({names})")
    parts.append(f"{_plural(summary.errors, 'error')}, {_plural(summary.warnings, 'warning')}, "
                 f"{summary.infos} info")
    return "; ".join(parts)


def render(result: ValidationResult, context: ReportContext) -> str:
    from rich.console import Console
    from rich.text import Text

    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=context.color, no_color=not context.color,
                      color_system="standard" if context.color else None, width=100_000,
                      highlight=False, soft_wrap=True, emoji=False, markup=False)
    first = True
    for _file, group in groupby(result.findings, key=lambda f: f.location.file):
        if not first and not context.quiet:
            console.print()
        first = False
        for finding in group:
            loc = finding.location
            line = Text()
            line.append(f"{loc.file}:{loc.line}:{loc.column}:", style="bold")
            line.append(" ")
            line.append(finding.severity.label, style=_STYLES[finding.severity])
            line.append(f" {finding.rule}", style="dim" if context.color else "")
            line.append(f" {finding.message}")
            where = ", ".join(part for part in (finding.object, finding.path) if part)
            if where:
                line.append(f" ({where})", style="dim" if context.color else "")
            console.print(line)
            if context.quiet:
                continue
            if finding.template is not None:
                tpl = finding.template
                console.print(Text(f"    from template {tpl.file}:{tpl.line}:{tpl.column}", style="dim"))
            for related in finding.related:
                rel = related.location
                console.print(Text(f"    {rel.file}:{rel.line}:{rel.column}: {related.message}",
                                   style="dim"))
            if finding.hint:
                console.print(Text(f"    hint: {finding.hint}", style="green" if context.color else ""))
    if context.show_summary and not context.quiet:
        if result.findings:
            console.print()
        failed = result.failed(context.fail_on)
        console.print(Text(summary_line(result.summary), style="bold red" if failed else "bold green"))
    return buffer.getvalue()
