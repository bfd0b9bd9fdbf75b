"""The readable `sts diff` report: one block per changed object, then the finding lines."""

from __future__ import annotations

import io
from collections import Counter

from sts_cli.diff.engine import DiffResult, ObjectDiff
from sts_cli.report import ReportContext

_STATUS = {
    "changed": "changed",
    "added": "added",
    "removed": "removed",
    "renamed": "renamed (delete + create)",
}


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary_line(diff: DiffResult) -> str:
    counts = Counter(d.status for d in diff.objects)
    rejected = sum(1 for d in diff.objects if d.rejected)
    summary = diff.result.summary
    parts = [f"{counts['changed']} changed" + (f" ({rejected} rejected)" if rejected else ""),
             f"{counts['added']} added", f"{counts['removed']} removed"]
    if counts["renamed"]:
        parts.append(f"{counts['renamed']} renamed")
    parts.append(f"{counts['unchanged']} unchanged")
    return (f"diff: {', '.join(parts)}; {_plural(summary.errors, 'error')}, "
            f"{_plural(summary.warnings, 'warning')}, {summary.infos} info")


def _header(item: ObjectDiff) -> str:
    status = _STATUS.get(item.status, item.status)
    if item.status == "changed":
        status += ": REJECTED by the API server" if item.rejected else ": accepted"
    elif item.status == "renamed" and item.renamed_from:
        status = f"renamed from {item.renamed_from} (delete + create)"
    return f"{item.title}: {status}"


def render(diff: DiffResult, context: ReportContext) -> str:
    from rich.console import Console
    from rich.text import Text

    from sts_cli.report.text_report import render as render_findings

    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=context.color, no_color=not context.color,
                      color_system="standard" if context.color else None, width=100_000,
                      highlight=False, soft_wrap=True, emoji=False, markup=False)
    if not context.quiet:
        shown = [d for d in diff.objects if d.status != "unchanged"]
        for item in shown:
            style = "bold red" if item.rejected else "bold"
            console.print(Text(_header(item), style=style if context.color else ""))
            loc = item.obj.location()
            side = "NEW" if item.new is not None else "OLD"
            console.print(Text(f"  {side}: {loc.file}:{loc.line}:{loc.column}", style="dim" if context.color else ""))
            if item.changes:
                console.print("  changes:")
                for change in item.changes:
                    console.print(Text(f"    {change}",
                                       style="red" if context.color and change.endswith("[immutable]") else ""))
            if item.lines:
                console.print("  effect:")
                for line in item.lines:
                    console.print(f"    {line}")
            console.print()
        if not shown:
            console.print("no StatefulSet or Service changes" if diff.objects
                          else "no StatefulSet or Service in either input")
            console.print()
    text = buffer.getvalue()
    findings_context = ReportContext(context.tool_version, context.kubernetes_version, context.fail_on,
                                     context.color, context.quiet, show_summary=False,
                                     working_directory=context.working_directory)
    findings = render_findings(diff.result, findings_context)
    if findings:
        text += findings + ("" if context.quiet else "\n")
    if context.show_summary and not context.quiet:
        failed = diff.result.failed(context.fail_on)
        tail = io.StringIO()
        Console(file=tail, force_terminal=context.color, no_color=not context.color,
                color_system="standard" if context.color else None, width=100_000, highlight=False,
                soft_wrap=True, emoji=False, markup=False).print(
            Text(summary_line(diff), style="bold red" if failed else "bold green"))
        text += tail.getvalue()
    return text
