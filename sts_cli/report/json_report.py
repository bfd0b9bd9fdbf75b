"""Machine-readable report: every finding with all its fields, the checked objects and the summary.

The shape is described by `schemas/output/validate-report.schema.json` (bumped `format_version`
on any incompatible change).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from sts_cli.findings import Finding, Location, Severity
from sts_cli.report import ReportContext

if TYPE_CHECKING:
    from sts_cli.engine import CheckedObject, Summary, ValidationResult

FORMAT_VERSION = 1


def location_dict(location: Location) -> dict[str, Any]:
    return {"file": location.file, "line": location.line, "column": location.column,
            "document": location.document}


def finding_dict(finding: Finding) -> dict[str, Any]:
    loc = finding.location
    return {
        "rule": finding.rule,
        "severity": finding.severity.label,
        "message": finding.message,
        "file": loc.file,
        "line": loc.line,
        "column": loc.column,
        "document": loc.document,
        "path": finding.path,
        "object": finding.object,
        "hint": finding.hint,
        "related": [{**location_dict(r.location), "message": r.message} for r in finding.related],
        "template": None if finding.template is None else {
            "file": finding.template.file, "line": finding.template.line, "column": finding.template.column},
        "extra": dict(sorted(finding.extra.items())),
    }


def summary_dict(summary: Summary) -> dict[str, Any]:
    return {
        "files": summary.files,
        "documents": summary.documents,
        "objects": dict(sorted(summary.objects.items())),
        "skipped": dict(sorted(summary.skipped.items())),
        "invalid": summary.invalid,
        "unreadable": summary.unreadable,
        "errors": summary.errors,
        "warnings": summary.warnings,
        "infos": summary.infos,
    }


def _object_dict(checked: CheckedObject) -> dict[str, Any]:
    return {
        "kind": checked.kind,
        "name": checked.name,
        "file": checked.origin,
        "line": checked.location.line,
        "column": checked.location.column,
        "document": checked.document,
        "valid": not any(f.severity is Severity.ERROR for f in checked.findings),
        "errors": sum(1 for f in checked.findings if f.severity is Severity.ERROR),
        "warnings": sum(1 for f in checked.findings if f.severity is Severity.WARNING),
        "infos": sum(1 for f in checked.findings if f.severity is Severity.INFO),
    }


def report_dict(result: ValidationResult, context: ReportContext) -> dict[str, Any]:
    return {
        "format_version": FORMAT_VERSION,
        "tool": {"name": "sts", "version": context.tool_version},
        "kubernetes_version": context.kubernetes_version,
        "fail_on": context.fail_on.label,
        "failed": result.failed(context.fail_on),
        "summary": summary_dict(result.summary),
        "files": list(result.files),
        "skipped_paths": [{"path": s.display, "reason": s.reason} for s in result.skipped_paths],
        "objects": [_object_dict(c) for c in result.objects],
        "findings": [finding_dict(f) for f in result.findings],
    }


def render(result: ValidationResult, context: ReportContext) -> str:
    return json.dumps(report_dict(result, context), indent=2, ensure_ascii=False) + "\n"
