"""JSON report: every finding with all its fields and the summary, in the shape of its JSON Schema."""

from __future__ import annotations

import dataclasses
import functools
import json
import os
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from sts_cli.findings import Finding, Location, Related, Severity
from sts_cli.report import renderer
from sts_cli.schemas import schemas_dir
from tests.report.conftest import BAD, BAD_COLUMN, BAD_LINE, REPO, SYNTAX_ERROR, VALID, check, context, write

SCHEMA_NAME = "validate-report.schema.json"


@functools.cache
def _validator() -> Draft202012Validator:
    schema = json.loads((schemas_dir() / "output" / SCHEMA_NAME).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def report(result: Any, **fields: object) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(renderer("json")(result, context(**fields)))
    errors = list(_validator().iter_errors(document))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    return document


def test_schema_ships_with_the_package_and_matches_the_repository() -> None:
    shipped = schemas_dir() / "output" / SCHEMA_NAME
    assert shipped.is_file()
    source = REPO / "schemas" / "output" / SCHEMA_NAME
    if source.is_file():
        assert shipped.read_bytes() == source.read_bytes()


def test_every_finding_with_every_field(workdir: Path) -> None:
    write(workdir, "ok.yaml", VALID)
    write(workdir, "db.yaml", BAD)
    result = check("ok.yaml", "db.yaml")
    document = report(result)
    assert document["tool"] == {"name": "sts", "version": "9.8.7"}
    assert document["files"] == ["ok.yaml", "db.yaml"]
    assert document["failed"] is True and document["fail_on"] == "error"
    summary = document["summary"]
    assert summary["files"] == 2 and summary["documents"] == 4
    assert summary["objects"] == {"Service": 2, "StatefulSet": 2}
    assert summary["errors"] == result.summary.errors >= 1
    assert summary["invalid"] == 1
    assert len(document["findings"]) == len(result.findings)
    for item, finding in zip(document["findings"], result.findings, strict=True):
        assert item["rule"] == finding.rule and item["severity"] == finding.severity.label
        assert (item["file"], item["line"], item["column"]) == (
            finding.location.file, finding.location.line, finding.location.column)
    replicas = next(f for f in document["findings"] if f["rule"] == "schema-type")
    assert replicas == {
        "rule": "schema-type", "severity": "error", "message": "must be an integer, not the string '3'",
        "file": "db.yaml", "line": BAD_LINE, "column": BAD_COLUMN, "document": 0, "path": "spec.replicas",
        "object": "StatefulSet default/db", "hint": replicas["hint"], "related": [], "template": None,
        "extra": replicas["extra"]}
    assert replicas["hint"]
    objects = {(o["file"], o["kind"], o["name"]): o for o in document["objects"]}
    assert objects[("ok.yaml", "StatefulSet", "web")]["valid"] is True
    assert objects[("db.yaml", "StatefulSet", "db")]["valid"] is False
    assert objects[("db.yaml", "StatefulSet", "db")]["line"] == 1


def test_related_template_and_extra_fields() -> None:
    from sts_cli.engine import Summary, ValidationResult

    finding = Finding("service-missing", Severity.WARNING, "no Service", Location("<stdin>", 20, 3, 1),
                      "spec.serviceName", "StatefulSet default/web", "add one",
                      (Related(Location("svc.yaml", 2, 1, 0), "a Service with another selector"),),
                      template=Location("web/templates/sts.yaml", 4, 3), extra={"service": "web"})
    summary = Summary(files=1)
    summary.findings[Severity.WARNING] = 1
    document = report(ValidationResult([finding], summary, ["<stdin>"], [], [], []))
    (item,) = document["findings"]
    assert item["related"] == [{"file": "svc.yaml", "line": 2, "column": 1, "document": 0,
                                "message": "a Service with another selector"}]
    assert item["template"] == {"file": "web/templates/sts.yaml", "line": 4, "column": 3}
    assert item["extra"] == {"service": "web"}
    assert document["failed"] is False and document["summary"]["warnings"] == 1


def test_file_level_findings_have_null_document(workdir: Path) -> None:
    write(workdir, "broken.yaml", SYNTAX_ERROR)
    os.mkfifo(workdir / "pipe.yaml")
    document = report(check("broken.yaml", "pipe.yaml"))
    unreadable = next(f for f in document["findings"] if f["rule"] == "file-unreadable")
    assert unreadable["document"] is None and unreadable["object"] == ""
    assert document["summary"]["unreadable"] == 1


def test_schema_rejects_a_report_missing_a_field(workdir: Path) -> None:
    write(workdir, "db.yaml", BAD)
    document = json.loads(renderer("json")(check("db.yaml"), context()))
    del document["findings"][0]["hint"]
    document["summary"]["errors"] = -1
    assert len(list(_validator().iter_errors(document))) == 2


def test_cli_json_is_parseable_and_alone_on_stdout(sts: Any, workdir: Path) -> None:
    write(workdir, "db.yaml", BAD)
    run = sts("validate", "db.yaml", "-f", "json", "--summary")
    assert run.code == 1
    document = json.loads(run.out)
    assert not list(_validator().iter_errors(document))
    assert "1 file; 2 objects" in run.err


def test_findings_equal_the_engine_fields(workdir: Path) -> None:
    write(workdir, "db.yaml", BAD)
    result = check("db.yaml")
    from sts_cli.report.json_report import finding_dict

    for finding in result.findings:
        item = finding_dict(finding)
        names = {f.name for f in dataclasses.fields(Finding)} - {"location", "object_key"}
        assert names <= set(item)


@pytest.mark.parametrize("fail_on", [Severity.WARNING, Severity.INFO])
def test_fail_on_is_reported(workdir: Path, fail_on: Severity) -> None:
    write(workdir, "ok.yaml", VALID)
    document = report(check("ok.yaml"), fail_on=fail_on)
    assert document["fail_on"] == fail_on.label
