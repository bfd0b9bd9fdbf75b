"""GitHub Actions workflow commands: `::error file=...,line=...,col=...,title=RULE::message`."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sts_cli.findings import Finding, Location, Severity
from sts_cli.report import renderer
from sts_cli.report.github_report import annotation, escape_data, escape_property
from tests.report.conftest import BAD, BAD_COLUMN, BAD_LINE, VALID, check, context, write

ANNOTATION = re.compile(r"^::(error|warning|notice) file=([^,]+),line=(\d+),col=(\d+),title=([a-z0-9-]+)::(.+)$")


def test_one_annotation_per_finding_with_position(workdir: Path) -> None:
    write(workdir, "deploy/db.yaml", BAD)
    result = check("deploy/db.yaml")
    lines = renderer("github")(result, context()).splitlines()
    assert len(lines) == len(result.findings)
    matches = [ANNOTATION.match(line) for line in lines]
    assert all(matches), lines
    (replicas,) = [m for m in matches if m and m.group(5) == "schema-type"]
    assert replicas.groups()[:5] == ("error", "deploy/db.yaml", str(BAD_LINE), str(BAD_COLUMN), "schema-type")
    message = replicas.group(6)
    assert message.startswith("must be an integer, not the string '3' (StatefulSet default/db, spec.replicas)")
    assert "%0Ahint: remove the quotes" in message


def test_severity_maps_to_warning_and_notice(workdir: Path) -> None:
    write(workdir, "db.yaml", BAD)
    for severity, command in ((Severity.WARNING, "warning"), (Severity.INFO, "notice")):
        result = check("db.yaml", severity_overrides=(("schema-type", severity),))
        lines = [line for line in renderer("github")(result, context()).splitlines() if "title=schema-type" in line]
        assert len(lines) == 1 and lines[0].startswith(f"::{command} file=db.yaml,line={BAD_LINE},")


def test_no_findings_no_output(workdir: Path) -> None:
    from sts_cli.engine import Summary, ValidationResult

    assert renderer("github")(ValidationResult([], Summary(files=1), ["ok.yaml"], [], [], []), context()) == ""
    write(workdir, "ok.yaml", VALID)
    result = check("ok.yaml")
    lines = renderer("github")(result, context()).splitlines()
    assert len(lines) == len(result.findings)
    assert not any(line.startswith("::error") for line in lines)


def test_escaping_follows_the_workflow_command_rules() -> None:
    assert escape_data("100% done\r\nnext: a, b") == "100%25 done%0D%0Anext: a, b"
    assert escape_property("a,b:c%\n") == "a%2Cb%3Ac%25%0A"
    finding = Finding("schema-type", Severity.ERROR, "50% of\nthe value", Location("dir,1/x:y.yaml", 4, 2),
                      hint="fix: it")
    assert annotation(finding, "/nowhere") == (
        "::error file=dir%2C1/x%3Ay.yaml,line=4,col=2,title=schema-type::50%25 of%0Athe value%0Ahint: fix: it")


def test_absolute_paths_become_relative_to_the_working_directory(workdir: Path) -> None:
    path = write(workdir, "db.yaml", BAD)
    result = check(str(path))
    lines = renderer("github")(result, context()).splitlines()
    assert all(line.split(" ", 1)[1].startswith("file=db.yaml,") for line in lines)


def test_stdin_annotation_names_no_file(sts: Any) -> None:
    run = sts("validate", "-", "--format", "github", stdin=BAD.encode())
    assert run.code == 1
    line = next(line for line in run.out.splitlines() if "schema-type" in line)
    assert line.startswith("::error title=schema-type::must be an integer")


def test_github_actions_adds_annotations_to_text(sts: Any, workdir: Path, monkeypatch: Any) -> None:
    write(workdir, "db.yaml", BAD)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    run = sts("validate", "db.yaml")
    assert run.code == 1
    assert f"db.yaml:{BAD_LINE}:{BAD_COLUMN}:" in run.out
    annotations = [line for line in run.out.splitlines() if line.startswith("::")]
    assert any(ANNOTATION.match(line) and "title=schema-type" in line for line in annotations)
    # An explicit format is taken as given.
    run = sts("validate", "db.yaml", "--format", "json")
    assert "::error" not in run.out
