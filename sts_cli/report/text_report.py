"""Human-readable report: `path:line:col: severity rule-id message`, grouped by file, then a summary."""

from __future__ import annotations

from itertools import groupby
from typing import TYPE_CHECKING

from sts_cli.findings import Finding, Severity
from sts_cli.report import ReportContext
from sts_cli.report.styled import StyledLines, printable

if TYPE_CHECKING:
    from sts_cli.engine import Summary, ValidationResult

_STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def finding_line(finding: Finding) -> str:
    """The plain text of one finding, stable for editors and grep."""
    loc = finding.location
    where = f" ({', '.join(part for part in (finding.object, finding.path) if part)})" \
        if finding.object or finding.path else ""
    return printable(f"{loc.file}:{loc.line}:{loc.column}: {finding.severity.label} {finding.rule} "
                     f"{finding.message}{where}")


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary_line(summary: Summary) -> str:
    kinds = ", ".join(f"{count} {kind}" for kind, count in sorted(summary.objects.items()))
    objects = sum(summary.objects.values())
    parts = [f"{plural(summary.files, 'file')}", f"{plural(objects, 'object')}"
             + (f" ({kinds})" if kinds else ""), f"{summary.invalid} invalid"]
    skipped = sum(summary.skipped.values())
    if skipped:
        names = ", ".join(f"{count} {kind or '?'}" for kind, count in sorted(summary.skipped.items()))
        parts.append(f"{skipped} skipped ({names})")
    parts.append(f"{plural(summary.errors, 'error')}, {plural(summary.warnings, 'warning')}, "
                 f"{summary.infos} info")
    return "; ".join(parts)


def render(result: ValidationResult, context: ReportContext) -> str:
    color = context.color
    dim = "dim" if color else ""
    out = StyledLines()
    first = True
    for _file, group in groupby(result.findings, key=lambda f: f.location.file):
        if not first and not context.quiet:
            out.blank()
        first = False
        for finding in group:
            loc = finding.location
            where = ", ".join(part for part in (finding.object, finding.path) if part)
            out.add((f"{loc.file}:{loc.line}:{loc.column}:", "bold"), (" ", ""),
                    (finding.severity.label, _STYLES[finding.severity]), (f" {finding.rule}", dim),
                    (f" {finding.message}", ""), (f" ({where})" if where else "", dim))
            if context.quiet:
                continue
            if finding.template is not None:
                tpl = finding.template
                out.add((f"    from template {tpl.file}:{tpl.line}:{tpl.column}", "dim"))
            for related in finding.related:
                rel = related.location
                out.add((f"    {rel.file}:{rel.line}:{rel.column}: {related.message}", "dim"))
            if finding.hint:
                out.add((f"    hint: {finding.hint}", "green" if color else ""))
    if context.show_summary and not context.quiet:
        if result.findings:
            out.blank()
        failed = result.failed(context.fail_on)
        out.add((summary_line(result.summary), "bold red" if failed else "bold green"))
    return out.render(color)
