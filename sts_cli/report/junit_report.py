"""JUnit XML for CI test reports (GitLab `artifacts:reports:junit`, Jenkins `junit`).

* one `<testsuite>` per input file, named by its path;
* one `<testcase>` per checked object (StatefulSet, Service, or an object of a mistaken kind),
  passing objects included, named `Kind name`, plus a `file` test case per file for what belongs
  to no object (YAML syntax, unreadable or empty input);
* one `<failure>` per finding at or above `--fail-on` (default: error), whose text gives the
  position, the field path and the hint; an input that could not be read is an `<error>`;
* findings below `--fail-on` are listed in the test case's `<system-out>`.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sts_cli.findings import Finding
from sts_cli.report import ReportContext, is_pseudo_file, relative_path

if TYPE_CHECKING:
    from sts_cli.engine import ValidationResult

FILE_CASE = "file"
# Tool errors (exit code 2) rather than findings about the manifests.
ERROR_RULES = frozenset({"file-unreadable"})
# Characters XML 1.0 cannot carry, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


@dataclass
class _Case:
    name: str
    line: int
    findings: list[Finding] = field(default_factory=list)


def finding_text(finding: Finding) -> str:
    loc = finding.location
    lines = [f"{loc.file}:{loc.line}:{loc.column}: {finding.severity.label} {finding.rule} {finding.message}"]
    if finding.object:
        lines.append(f"object: {finding.object}")
    if finding.path:
        lines.append(f"field: {finding.path}")
    if finding.template is not None:
        tpl = finding.template
        lines.append(f"from template: {tpl.file}:{tpl.line}:{tpl.column}")
    for related in finding.related:
        rel = related.location
        lines.append(f"see: {rel.file}:{rel.line}:{rel.column}: {related.message}")
    if finding.hint:
        lines.append(f"hint: {finding.hint}")
    return "\n".join(lines)


def _classname(file: str) -> str:
    # Jenkins splits a class name at its last dot into package and class: drop the extension.
    if is_pseudo_file(file):
        return file
    head, dot, tail = file.rpartition(".")
    return head if dot and head and "/" not in tail else file


def _suites(result: ValidationResult) -> dict[str, list[_Case]]:
    suites: dict[str, list[_Case]] = {}
    file_cases: dict[str, _Case] = {}

    def suite(file: str) -> list[_Case]:
        if file not in suites:
            file_cases[file] = _Case(FILE_CASE, 1)
            suites[file] = [file_cases[file]]
        return suites[file]

    for file in result.files:
        suite(file)
    on_objects: set[int] = set()
    names: dict[tuple[str, str], int] = {}
    for checked in result.objects:
        base = f"{checked.kind} {checked.name or '<unnamed>'}"
        seen = names.get((checked.origin, base), 0)
        names[(checked.origin, base)] = seen + 1
        name = base if not seen else f"{base} (document {checked.document + 1})"
        suite(checked.origin).append(_Case(name, checked.location.line, list(checked.findings)))
        on_objects.update(id(f) for f in checked.findings)
    for finding in result.findings:
        if id(finding) not in on_objects:
            suite(finding.location.file)
            file_cases[finding.location.file].findings.append(finding)
    return suites


def render(result: ValidationResult, context: ReportContext) -> str:
    root = ET.Element("testsuites", name="sts validate")
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for file, cases in _suites(result).items():
        counts = {"tests": len(cases), "failures": 0, "errors": 0}
        suite = ET.SubElement(root, "testsuite", name=_xml_text(file), tests="0", failures="0", errors="0",
                              skipped="0", time="0")
        if not is_pseudo_file(file):
            suite.set("file", _xml_text(relative_path(file, context.working_directory)))
        for case in cases:
            element = ET.SubElement(suite, "testcase", name=_xml_text(case.name),
                                    classname=_xml_text(_classname(file)), time="0")
            if not is_pseudo_file(file):
                element.set("file", _xml_text(relative_path(file, context.working_directory)))
                element.set("line", str(case.line))
            failed = errored = False
            below: list[str] = []
            for finding in case.findings:
                if finding.rule in ERROR_RULES:
                    tag, errored = "error", True
                elif finding.severity >= context.fail_on:
                    tag, failed = "failure", True
                else:
                    below.append(finding_text(finding))
                    continue
                child = ET.SubElement(element, tag, message=_xml_text(f"{finding.rule}: {finding.message}"),
                                      type=_xml_text(finding.rule))
                child.text = _xml_text(finding_text(finding))
            if below:
                ET.SubElement(element, "system-out").text = _xml_text("\n\n".join(below))
            counts["failures"] += failed and not errored
            counts["errors"] += errored
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
    for key, value in totals.items():
        root.set(key, str(value))
    root.set("time", "0")
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
