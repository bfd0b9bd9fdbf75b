"""SARIF 2.1.0 report, as GitHub code scanning and other SARIF viewers read it.

* The driver lists every rule of the catalog (not only those with findings) with its summary,
  explanation and default level, so viewers can show the rule's help next to an alert.
* Files inside the working directory get relative URIs against `%SRCROOT%` (declared in
  `originalUriBaseIds`); files outside it get absolute `file:` URIs.
* Standard input has no file: its results point at the Helm template named by a `# Source:`
  comment when there is one, else at the artifact `stdin` (described as standard input).
* `partialFingerprints` hash the rule, the file, the object and the field path (never the line),
  so an alert keeps its identity when lines move.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from sts_cli.findings import Finding, Location, Severity
from sts_cli.report import ReportContext, ci_location, is_pseudo_file, relative_path

if TYPE_CHECKING:
    from sts_cli.engine import ValidationResult
    from sts_cli.rules.base import Rule

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "stsFindingHash/v1"
STDIN_URI = "stdin"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def rule_level(severity: Severity) -> str:
    return LEVELS[severity]


class _Artifacts:
    """The run's `artifacts` array, in first-seen order, and each file's artifactLocation."""

    def __init__(self, working_directory: str) -> None:
        self.working_directory = working_directory
        self.items: list[dict[str, Any]] = []
        self._index: dict[tuple[str, str | None], int] = {}

    def uri(self, file: str) -> tuple[str, str | None]:
        """(uri, uriBaseId or None) for a file as the report names it."""
        if is_pseudo_file(file):
            return STDIN_URI if file == "<stdin>" else quote(file.strip("<>"), safe=""), None
        path = relative_path(file, self.working_directory)
        if path.startswith("/") or re.match(r"^[A-Za-z]:/", path):
            return Path(path).as_uri(), None
        return quote(os.fsencode(path), safe="/"), SRCROOT  # file names that are not UTF-8 too

    def location(self, file: str) -> dict[str, Any]:
        uri, base = self.uri(file)
        key = (uri, base)
        if key not in self._index:  # two spellings of one file are one artifact
            self._index[key] = len(self.items)
            artifact: dict[str, Any] = {"location": _artifact_location(uri, base, None)}
            if is_pseudo_file(file):
                artifact["description"] = {"text": "standard input" if file == "<stdin>"
                                           else "no file: the inputs named on the command line"}
            else:
                artifact["mimeType"] = "application/json" if file.lower().endswith(".json") else "application/yaml"
            self.items.append(artifact)
        return _artifact_location(uri, base, self._index[key])


def _artifact_location(uri: str, base: str | None, index: int | None) -> dict[str, Any]:
    out: dict[str, Any] = {"uri": uri}
    if base is not None:
        out["uriBaseId"] = base
    if index is not None:
        out["index"] = index
    return out


def _physical(artifacts: _Artifacts, location: Location) -> dict[str, Any]:
    return {"artifactLocation": artifacts.location(location.file),
            "region": {"startLine": max(location.line, 1), "startColumn": max(location.column, 1)}}


def _first_paragraph(text: str) -> str:
    return text.strip().split("\n\n", 1)[0].replace("\n", " ").strip()


def explanation_markdown(text: str) -> str:
    """Indented example blocks of an explanation become fenced YAML blocks."""
    out: list[str] = []
    block: list[str] = []

    def flush() -> None:
        while block and not block[-1].strip():
            block.pop()
        if block:
            indent = min(len(line) - len(line.lstrip()) for line in block if line.strip())
            if out and out[-1].strip():
                out.append("")
            out.append("```yaml")
            out.extend(line[indent:] for line in block)
            out.append("```")
            block.clear()

    for line in text.splitlines():
        if (line.startswith(("    ", "\t")) and line.strip()) or (block and not line.strip()):
            block.append(line)
        else:
            flush()
            if out and out[-1] == "```" and line.strip():
                out.append("")
            out.append(line)
    flush()
    return "\n".join(out).strip()


def _camel(rule_id: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in rule_id.split("-"))


def _help_uri(rule: Rule) -> str | None:
    uri = rule.help_uri
    host = urlsplit(uri).hostname or ""
    return None if not host or host.endswith(".invalid") else uri


def rule_descriptor(rule: Rule) -> dict[str, Any]:
    markdown = f"**{rule.summary}**\n\n{explanation_markdown(rule.explanation)}"
    text = f"{rule.summary}\n\n{rule.explanation}"
    if rule.source:
        markdown += f"\n\nSource: {rule.source}"
        text += f"\n\nSource: {rule.source}"
    descriptor: dict[str, Any] = {
        "id": rule.id,
        "name": _camel(rule.id),
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": _first_paragraph(rule.explanation) or rule.summary},
        "help": {"text": text, "markdown": markdown},
        "defaultConfiguration": {"level": rule_level(rule.severity), "enabled": not rule.optional},
        "properties": {"category": rule.category, "optional": rule.optional,
                       "tags": ["kubernetes", "statefulset", rule.category]},
    }
    uri = _help_uri(rule)
    if uri:
        descriptor["helpUri"] = uri
    return descriptor


def _unknown_rule_descriptor(rule_id: str, severity: Severity) -> dict[str, Any]:
    return {"id": rule_id, "name": _camel(rule_id), "shortDescription": {"text": rule_id},
            "fullDescription": {"text": rule_id}, "help": {"text": rule_id, "markdown": rule_id},
            "defaultConfiguration": {"level": rule_level(severity)}}


def fingerprint(rule_id: str, uri: str, obj: str, path: str, occurrence: int) -> str:
    """Stable across runs: no line or column, only what identifies the problem."""
    key = "\0".join((rule_id, uri, obj, path, str(occurrence)))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def _message(finding: Finding) -> str:
    where = ", ".join(part for part in (finding.object, finding.path) if part)
    text = finding.message + (f" ({where})" if where else "")
    if finding.hint:
        text += f"\nHint: {finding.hint}"
    return text


def _result(finding: Finding, rule_index: int, artifacts: _Artifacts,
            occurrences: dict[tuple[str, str, str, str], int]) -> dict[str, Any]:
    primary = ci_location(finding)
    physical = _physical(artifacts, primary)
    uri = physical["artifactLocation"]["uri"]
    key = (finding.rule, uri, finding.object, finding.path)
    occurrence = occurrences.get(key, 0)
    occurrences[key] = occurrence + 1
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": rule_level(finding.severity),
        "kind": "fail",
        "message": {"text": _message(finding)},
        "locations": [{"physicalLocation": physical}],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint(*key, occurrence)},
    }
    if finding.object:
        result["locations"][0]["logicalLocations"] = [{"fullyQualifiedName": finding.object,
                                                       "kind": "resource"}]
    related: list[dict[str, Any]] = []
    if finding.template is not None:
        if primary is finding.template:
            related.append({"physicalLocation": _physical(artifacts, finding.location),
                            "message": {"text": "the rendered manifest, as read from standard input"}})
        else:
            related.append({"physicalLocation": _physical(artifacts, finding.template),
                            "message": {"text": "the Helm template this document was rendered from "
                                                "(# Source: comment; line approximate)"}})
    for other in finding.related:
        related.append({"physicalLocation": _physical(artifacts, other.location),
                        "message": {"text": other.message}})
    for number, item in enumerate(related, start=1):
        item["id"] = number
    if related:
        result["relatedLocations"] = related
    properties: dict[str, Any] = {}
    for name, value in (("object", finding.object), ("path", finding.path), ("hint", finding.hint)):
        if value:
            properties[name] = value
    if finding.location.document is not None:
        properties["document"] = finding.location.document
    if finding.template is not None:
        properties["template"] = {"file": finding.template.file, "line": finding.template.line,
                                  "column": finding.template.column}
        properties["stream"] = {"file": finding.location.file, "line": finding.location.line,
                                "column": finding.location.column}
    if finding.extra:
        properties["extra"] = dict(sorted(finding.extra.items()))
    if properties:
        result["properties"] = properties
    return result


def sarif_dict(result: ValidationResult, context: ReportContext) -> dict[str, Any]:
    from sts_cli.rules.base import all_rules

    descriptors = [rule_descriptor(rule) for rule in all_rules()]
    index = {descriptor["id"]: number for number, descriptor in enumerate(descriptors)}
    for finding in result.findings:
        if finding.rule not in index:
            index[finding.rule] = len(descriptors)
            descriptors.append(_unknown_rule_descriptor(finding.rule, finding.severity))

    artifacts = _Artifacts(context.working_directory)
    for file in result.files:
        artifacts.location(file)
    occurrences: dict[tuple[str, str, str, str], int] = {}
    results = [_result(f, index[f.rule], artifacts, occurrences) for f in result.findings]
    root = Path(context.working_directory).resolve().as_uri().rstrip("/") + "/"
    summary = result.summary
    run: dict[str, Any] = {
        "tool": {"driver": {
            "name": "sts",
            "fullName": "sts: StatefulSet and headless Service validator",
            "version": context.tool_version,
            "semanticVersion": context.tool_version,
            "rules": descriptors,
        }},
        "invocations": [{
            "executionSuccessful": summary.unreadable == 0,
            "workingDirectory": {"uri": root},
        }],
        "originalUriBaseIds": {SRCROOT: {"uri": root,
                                         "description": {"text": "The working directory of the run."}}},
        "artifacts": artifacts.items,
        "columnKind": "unicodeCodePoints",
        "results": results,
        "properties": {
            "kubernetesVersion": context.kubernetes_version,
            "failOn": context.fail_on.label,
            "summary": {"files": summary.files, "documents": summary.documents,
                        "objects": dict(sorted(summary.objects.items())), "invalid": summary.invalid,
                        "errors": summary.errors, "warnings": summary.warnings, "infos": summary.infos},
        },
    }
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def render(result: ValidationResult, context: ReportContext) -> str:
    return json.dumps(sarif_dict(result, context), indent=2, ensure_ascii=False) + "\n"
