"""SARIF 2.1.0: valid against the official schema, with rule metadata, positions and stable fingerprints."""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator

from sts_cli.findings import Severity
from sts_cli.report import renderer
from sts_cli.rules.base import all_rules
from tests.report.conftest import BAD, BAD_COLUMN, BAD_LINE, SHARED_DATA, SYNTAX_ERROR, VALID, check, context, write

SARIF_SCHEMA = SHARED_DATA / "sarif-schema-2.1.0.json"
# RFC 3986 characters, with every % starting an escape: what `uri-reference` allows.
URI_REFERENCE = re.compile(r"^(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$")


@functools.cache
def _validator() -> Draft7Validator:
    if not SARIF_SCHEMA.is_file():
        pytest.skip(f"official SARIF schema not found at {SARIF_SCHEMA.resolve()} (shared data missing)")
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    return Draft7Validator(schema, format_checker=Draft7Validator.FORMAT_CHECKER)


def _uris(node: Any) -> list[str]:
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("uri", "helpUri", "$schema") and isinstance(value, str):
                found.append(value)
            else:
                found.extend(_uris(value))
    elif isinstance(node, list):
        for item in node:
            found.extend(_uris(item))
    return found


def sarif(result: Any, **fields: object) -> dict[str, Any]:
    """Render, check against the official schema and the URI syntax, and parse."""
    text = renderer("sarif")(result, context(**fields))
    document: dict[str, Any] = json.loads(text)
    errors = sorted(_validator().iter_errors(document), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])
    for uri in _uris(document):
        assert URI_REFERENCE.match(uri), uri
    return document


def _results(document: dict[str, Any], rule: str | None = None) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = document["runs"][0]["results"]
    return [r for r in results if rule is None or r["ruleId"] == rule]


def test_driver_lists_every_rule_of_the_catalog_with_metadata(workdir: Path) -> None:
    write(workdir, "ok.yaml", VALID)
    document = sarif(check("ok.yaml"))
    driver = document["runs"][0]["tool"]["driver"]
    assert document["version"] == "2.1.0"
    assert driver["name"] == "sts" and driver["version"] == "9.8.7"
    catalog = all_rules()
    assert [r["id"] for r in driver["rules"]] == [r.id for r in catalog]
    levels = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
    for descriptor, rule in zip(driver["rules"], catalog, strict=True):
        assert descriptor["shortDescription"]["text"] == rule.summary
        assert descriptor["fullDescription"]["text"]
        assert rule.explanation in descriptor["help"]["text"]
        assert rule.summary in descriptor["help"]["markdown"]
        assert descriptor["defaultConfiguration"]["level"] == levels[rule.severity]
        assert descriptor["defaultConfiguration"]["enabled"] is (not rule.optional)
    # The valid manifest may carry advice, never an error.
    assert all(r["level"] != "error" for r in _results(document))


def test_result_has_rule_level_message_and_relative_position(workdir: Path) -> None:
    write(workdir, "deploy/db.yaml", BAD)
    result = check("deploy/db.yaml")
    document = sarif(result)
    run = document["runs"][0]
    (finding,) = _results(document, "schema-type")
    assert finding["level"] == "error"
    assert run["tool"]["driver"]["rules"][finding["ruleIndex"]]["id"] == "schema-type"
    assert "must be an integer" in finding["message"]["text"]
    physical = finding["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"]["uri"] == "deploy/db.yaml"
    assert physical["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
    assert physical["region"] == {"startLine": BAD_LINE, "startColumn": BAD_COLUMN}
    root = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert root == workdir.resolve().as_uri() + "/"
    artifact = run["artifacts"][physical["artifactLocation"]["index"]]
    assert artifact["location"]["uri"] == "deploy/db.yaml"
    assert finding["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == "StatefulSet default/db"
    assert finding["properties"]["path"] == "spec.replicas"
    # Every finding of the run is a result, in the same order.
    assert [r["ruleId"] for r in _results(document)] == [f.rule for f in result.findings]


def test_levels_follow_the_finding_severity(workdir: Path) -> None:
    write(workdir, "db.yaml", BAD)
    for severity, level in ((Severity.WARNING, "warning"), (Severity.INFO, "note")):
        document = sarif(check("db.yaml", severity_overrides=(("schema-type", severity),)))
        (finding,) = _results(document, "schema-type")
        assert finding["level"] == level


def test_fingerprints_survive_edits_elsewhere_in_the_file(workdir: Path) -> None:
    path = write(workdir, "db.yaml", BAD)
    before = _results(sarif(check("db.yaml")), "schema-type")[0]
    path.write_text("# a comment\n# and another\n---\n" + BAD, encoding="utf-8")
    after = _results(sarif(check("db.yaml")), "schema-type")[0]
    assert after["locations"][0]["physicalLocation"]["region"]["startLine"] == BAD_LINE + 3
    assert after["partialFingerprints"] == before["partialFingerprints"]
    (value,) = before["partialFingerprints"].values()
    assert re.fullmatch(r"[0-9a-f]{32}", value)


def test_fingerprints_differ_between_findings(workdir: Path) -> None:
    write(workdir, "a.yaml", BAD)
    write(workdir, "b.yaml", BAD.replace("name: db", "name: other"))
    write(workdir, "c.yaml", SYNTAX_ERROR + SYNTAX_ERROR)
    results = _results(sarif(check("a.yaml", "b.yaml", "c.yaml")))
    prints = [json.dumps(r["partialFingerprints"], sort_keys=True) for r in results]
    assert len(results) >= 3
    assert len(set(prints)) == len(prints)


def test_stdin_gets_a_valid_uri(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(BAD.encode())))
    document = sarif(check("-"))
    (finding,) = _results(document, "schema-type")
    location = finding["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "stdin"
    assert "uriBaseId" not in location["artifactLocation"]
    assert location["region"]["startLine"] == BAD_LINE
    artifact = document["runs"][0]["artifacts"][location["artifactLocation"]["index"]]
    assert artifact["description"]["text"] == "standard input"


def test_empty_stdin_is_a_no_objects_result(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"")))
    (finding,) = _results(sarif(check("-")))
    assert finding["ruleId"] == "no-objects" and finding["level"] == "error"


def test_files_outside_the_working_directory_get_absolute_uris(workdir: Path) -> None:
    inside = workdir / "inside"
    inside.mkdir()
    outside = write(workdir, "with space/db.yaml", BAD)
    import os

    os.chdir(inside)
    document = sarif(check(str(outside), "../with space/db.yaml"), working_directory=str(inside))
    locations = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in _results(document, "schema-type")]
    assert locations and all(loc["uri"] == outside.resolve().as_uri() for loc in locations)
    assert all("uriBaseId" not in loc for loc in locations)
    os.chdir(workdir)
    document = sarif(check("with space/db.yaml"))
    (result,) = _results(document, "schema-type")
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "with%20space/db.yaml"


def test_syntax_errors_and_unreadable_inputs(workdir: Path) -> None:
    import os

    write(workdir, "broken.yaml", SYNTAX_ERROR)
    os.mkfifo(workdir / "pipe.yaml")
    document = sarif(check("broken.yaml", "pipe.yaml"))
    rules = {r["ruleId"] for r in _results(document)}
    assert "yaml-syntax" in rules and "file-unreadable" in rules
    assert document["runs"][0]["invocations"][0]["executionSuccessful"] is False


def test_help_markdown_fences_the_examples() -> None:
    from sts_cli.report.sarif_report import explanation_markdown

    text = "Intro line.\n\nBad:\n    spec:\n      replicas: 3\n\n    # same block\nGood:\n    spec: {}\n"
    assert explanation_markdown(text) == (
        "Intro line.\n\nBad:\n\n```yaml\nspec:\n  replicas: 3\n\n# same block\n```\n\nGood:\n\n"
        "```yaml\nspec: {}\n```")


def test_cli_writes_sarif_file_with_text_on_stdout(sts: Any, workdir: Path) -> None:
    write(workdir, "db.yaml", BAD)
    (workdir / "out").mkdir()
    run = sts("validate", "db.yaml", "-f", "text", "-f", "sarif=out/report.sarif")
    assert run.code == 1
    assert f"db.yaml:{BAD_LINE}:{BAD_COLUMN}: error schema-type" in run.out
    document = json.loads((workdir / "out" / "report.sarif").read_text(encoding="utf-8"))
    assert not list(_validator().iter_errors(document))
    assert _results(document, "schema-type")


def test_the_schema_check_is_not_vacuous(workdir: Path) -> None:
    write(workdir, "db.yaml", BAD)
    text = renderer("sarif")(check("db.yaml"), context())
    document = json.loads(text)
    document["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    document["runs"][0]["tool"]["driver"]["rules"][0].pop("id")
    assert len(list(_validator().iter_errors(document))) == 2
