"""The readable `sts diff` report: one block per changed object, then the finding lines."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from sts_cli.diff.engine import DiffResult, ObjectDiff
from sts_cli.findings import bound_text
from sts_cli.report import ReportContext
from sts_cli.report.styled import StyledLines
from sts_cli.report.text_report import plural
from sts_cli.report.text_report import render as render_findings

_STATUS = {
    "changed": "changed",
    "added": "added",
    "removed": "removed",
    "renamed": "renamed (delete + create)",
}


def summary_line(diff: DiffResult) -> str:
    counts = Counter(d.status for d in diff.objects)
    rejected = sum(1 for d in diff.objects if d.rejected)
    summary = diff.result.summary
    parts = [f"{counts['changed']} changed" + (f" ({rejected} rejected)" if rejected else ""),
             f"{counts['added']} added", f"{counts['removed']} removed"]
    if counts["renamed"]:
        parts.append(f"{counts['renamed']} renamed")
    parts.append(f"{counts['unchanged']} unchanged")
    return (f"diff: {', '.join(parts)}; {plural(summary.errors, 'error')}, "
            f"{plural(summary.warnings, 'warning')}, {summary.infos} info")


def _header(item: ObjectDiff) -> str:
    status = _STATUS.get(item.status, item.status)
    if item.status == "changed":
        status += ": REJECTED by the API server" if item.rejected else ": accepted"
    elif item.status == "renamed" and item.renamed_from:
        status = f"renamed from {item.renamed_from} (delete + create)"
    return f"{item.title}: {status}"


def render(diff: DiffResult, context: ReportContext) -> str:

    color = context.color
    out = _BoundedLines()
    if not context.quiet:
        shown = [d for d in diff.objects if d.status != "unchanged"]
        for item in shown:
            out.add((_header(item), ("bold red" if item.rejected else "bold") if color else ""))
            loc = item.obj.location()
            side = "NEW" if item.new is not None else "OLD"
            out.add((f"  {side}: {loc.file}:{loc.line}:{loc.column}", "dim" if color else ""))
            if item.changes:
                out.add(("  changes:", ""))
                for change in item.changes:
                    out.add((f"    {change}", "red" if color and change.endswith("[immutable]") else ""))
            if item.lines:
                out.add(("  effect:", ""))
                for line in item.lines:
                    out.add((f"    {line}", ""))
            out.blank()
        if not shown:
            out.add(("no StatefulSet or Service changes" if diff.objects
                     else "no StatefulSet or Service in either input", ""))
            out.blank()
    text = out.render(color)
    findings = render_findings(diff.result, replace(context, show_summary=False))
    if findings:
        text += findings + ("" if context.quiet else "\n")
    if context.show_summary and not context.quiet:
        failed = diff.result.failed(context.fail_on)
        tail = StyledLines()
        tail.add((summary_line(diff), "bold red" if failed else "bold green"))
        text += tail.render(color)
    return text


class _BoundedLines(StyledLines):
    """Object names and values come from the input: each line is bounded like a finding's text."""

    __slots__ = ()

    def add(self, *parts: tuple[str, str]) -> None:
        super().add(*((bound_text(text), style) for text, style in parts))
