"""JUnit XML: a suite per file, a case per object (passing ones too), a failure per error finding."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from sts_cli.findings import Finding, Location, Related, Severity
from sts_cli.report import renderer
from tests.report.conftest import BAD, BAD_COLUMN, BAD_LINE, SYNTAX_ERROR, VALID, check, context, write


def junit(result: Any, **fields: object) -> ET.Element:
    text = renderer("junit")(result, context(**fields))
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    return ET.fromstring(text.encode("utf-8"))


def _cases(suite: ET.Element) -> dict[str, ET.Element]:
    return {case.get("name", ""): case for case in suite.iter("testcase")}


def _assert_counts(root: ET.Element) -> None:
    """The counts JUnit consumers read agree with the elements."""
    total = {"tests": 0, "failures": 0, "errors": 0}
    for suite in root.findall("testsuite"):
        cases = suite.findall("testcase")
        failed = sum(1 for c in cases if c.find("failure") is not None and c.find("error") is None)
        errored = sum(1 for c in cases if c.find("error") is not None)
        assert suite.get("tests") == str(len(cases))
        assert suite.get("failures") == str(failed)
        assert suite.get("errors") == str(errored)
        total["tests"] += len(cases)
        total["failures"] += failed
        total["errors"] += errored
    for key, value in total.items():
        assert root.get(key) == str(value)


def test_suite_per_file_case_per_object_failure_per_error(workdir: Path) -> None:
    write(workdir, "ok.yaml", VALID)
    write(workdir, "deploy/db.yaml", BAD)
    result = check("ok.yaml", "deploy/db.yaml")
    root = junit(result)
    assert root.tag == "testsuites"
    _assert_counts(root)
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert list(suites) == ["ok.yaml", "deploy/db.yaml"]

    ok = _cases(suites["ok.yaml"])
    assert set(ok) == {"file", "Service nginx", "StatefulSet web"}
    assert all(case.find("failure") is None for case in ok.values())
    assert ok["StatefulSet web"].get("line") == "15"

    db = _cases(suites["deploy/db.yaml"])
    assert set(db) == {"file", "StatefulSet db", "Service db"}
    failures = db["StatefulSet db"].findall("failure")
    errors = [f for f in result.findings if f.severity is Severity.ERROR and f.object == "StatefulSet default/db"]
    assert len(failures) == len(errors) >= 1
    replicas = next(f for f in failures if f.get("type") == "schema-type")
    assert replicas.get("message", "").startswith("schema-type: must be an integer")
    text = replicas.text or ""
    assert f"deploy/db.yaml:{BAD_LINE}:{BAD_COLUMN}: error schema-type" in text
    assert "field: spec.replicas" in text
    assert "hint: remove the quotes" in text
    assert db["StatefulSet db"].get("classname") == "deploy/db"
    assert db["StatefulSet db"].get("file") == "deploy/db.yaml"


def test_file_level_findings_have_their_own_case(workdir: Path) -> None:
    write(workdir, "broken.yaml", SYNTAX_ERROR)
    os.mkfifo(workdir / "pipe.yaml")
    root = junit(check("broken.yaml", "pipe.yaml"))
    _assert_counts(root)
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    broken = _cases(suites["broken.yaml"])["file"]
    (failure,) = broken.findall("failure")
    assert failure.get("type") == "yaml-syntax"
    assert (failure.text or "").startswith("broken.yaml:5:")
    pipe = _cases(suites["pipe.yaml"])["file"]
    assert pipe.find("error") is not None and pipe.find("error").get("type") == "file-unreadable"  # type: ignore[union-attr]
    assert root.get("errors") == "1"


def test_empty_input_fails_in_the_file_case(workdir: Path) -> None:
    write(workdir, "empty.yaml", "# nothing here\n")
    root = junit(check("empty.yaml"))
    (suite,) = root.findall("testsuite")
    (case,) = suite.findall("testcase")
    assert case.get("name") == "file"
    assert case.find("failure").get("type") == "no-objects"  # type: ignore[union-attr]


def test_findings_below_fail_on_go_to_system_out(workdir: Path) -> None:
    write(workdir, "db.yaml", BAD)
    result = check("db.yaml", severity_overrides=(("schema-type", Severity.WARNING),))
    case = _cases(junit(result).findall("testsuite")[0])["StatefulSet db"]
    assert not any(f.get("type") == "schema-type" for f in case.findall("failure"))
    assert "warning schema-type" in (case.findtext("system-out") or "")
    strict = _cases(junit(result, fail_on=Severity.WARNING).findall("testsuite")[0])["StatefulSet db"]
    assert any(f.get("type") == "schema-type" for f in strict.findall("failure"))


def test_same_name_twice_and_unsafe_characters(workdir: Path) -> None:
    from sts_cli.engine import CheckedObject, Summary, ValidationResult

    loc = Location("a.yaml", 3, 1, 0)
    finding = Finding("schema-type", Severity.ERROR, "bad \x01 value <&> \"quoted\"", loc, "spec.x",
                      "StatefulSet default/web", "hint", (Related(Location("b.yaml", 2, 3, 0), "the Service"),),
                      object_key="k1")
    objects = [CheckedObject("a.yaml", 0, "web", "StatefulSet", loc, "k1", [finding]),
               CheckedObject("a.yaml", 1, "web", "StatefulSet", Location("a.yaml", 9, 1, 1), "k2", [])]
    result = ValidationResult([finding], Summary(files=1), ["a.yaml"], objects, [], [])
    suite = junit(result).findall("testsuite")[0]
    cases = _cases(suite)
    assert set(cases) == {"file", "StatefulSet web", "StatefulSet web (document 2)"}
    failure = cases["StatefulSet web"].find("failure")
    assert failure is not None
    assert failure.get("message") == 'schema-type: bad \\x01 value <&> "quoted"'
    assert "see: b.yaml:2:3: the Service" in (failure.text or "")


def test_cli_junit_to_file_parses(sts: Any, workdir: Path) -> None:
    write(workdir, "db.yaml", BAD)
    run = sts("validate", "db.yaml", "--format", "junit", "--output", "report.xml")
    assert run.code == 1 and run.out == ""
    root = ET.parse(workdir / "report.xml").getroot()
    _assert_counts(root)
    assert root.get("failures") == "1"
