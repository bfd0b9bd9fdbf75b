"""End-to-end `sts validate`: exit codes and exact `path:line:col` output on fixtures."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.conftest import EXAMPLES

LINE = re.compile(r"^(?P<file>[^\s:]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning|info) (?P<rule>[a-z0-9-]+) ")


def finding_lines(out: str) -> list[tuple[str, int, int, str, str]]:
    found = []
    for line in out.splitlines():
        match = LINE.match(line)
        if match:
            found.append((match["file"], int(match["line"]), int(match["col"]), match["sev"], match["rule"]))
    return found


def test_canonical_example_passes(run_cli: Any) -> None:
    result = run_cli("validate", "examples/web.yaml")
    assert result.code == 0, result.out
    assert all(severity == "info" for _f, _l, _c, severity, _r in finding_lines(result.out))
    assert "1 file; 2 objects (1 Service, 1 StatefulSet); 0 invalid; 0 errors, 0 warnings" in result.out


def test_third_document_of_a_stream_is_located_from_file_start(run_cli: Any) -> None:
    result = run_cli("validate", "tests/fixtures/multi.yaml")
    assert result.code == 1
    assert ("tests/fixtures/multi.yaml", 43, 11, "error", "schema-unknown-field") in finding_lines(result.out)
    assert "did you mean 'protocol'?" in result.out
    assert "spec.template.spec.containers[0].ports[0].protcol" in result.out
    assert "1 skipped (1 ConfigMap)" in result.out


def test_list_item_keeps_its_own_position(run_cli: Any) -> None:
    result = run_cli("validate", "tests/fixtures/list.yaml")
    assert result.code == 1
    assert finding_lines(result.out)[0] == ("tests/fixtures/list.yaml", 21, 15, "error", "schema-range")
    assert "outside the int32 range" in result.out


@pytest.mark.parametrize("name", ["crlf.yaml", "bom.yaml"])
def test_crlf_and_bom_positions(run_cli: Any, name: str) -> None:
    result = run_cli("validate", f"tests/fixtures/{name}")
    assert result.code == 1
    assert [line for line in finding_lines(result.out) if line[3] != "info"] == [
        (f"tests/fixtures/{name}", 6, 3, "error", "schema-unknown-field")]


def test_json_file_with_string_replicas(run_cli: Any) -> None:
    result = run_cli("validate", "tests/fixtures/statefulset.json")
    assert result.code == 1
    lines = finding_lines(result.out)
    assert ("tests/fixtures/statefulset.json", 7, 17, "error", "schema-type") in lines
    # The file has no Service named by serviceName: the cross-object rule says so at the value.
    assert ("tests/fixtures/statefulset.json", 6, 20, "error", "service-missing") in lines
    assert "must be an integer, not the string '3'" in result.out


def test_yaml11_booleans_and_octal_read_like_the_api_server(run_cli: Any) -> None:
    result = run_cli("validate", "tests/fixtures/yaml11.yaml")
    # `value: on` is the boolean true: a type error; `defaultMode: 0755` is octal 493: valid.
    assert [line for line in finding_lines(result.out) if line[3] != "info"] == [
        ("tests/fixtures/yaml11.yaml", 20, 18, "error", "schema-type")]
    assert "not the boolean true" in result.out
    assert result.code == 1


def test_kind_mistakes(run_cli: Any) -> None:
    result = run_cli("validate", "tests/fixtures/kinds.yaml")
    assert result.code == 1
    assert finding_lines(result.out) == [
        ("tests/fixtures/kinds.yaml", 1, 13, "error", "removed-api-version"),
        ("tests/fixtures/kinds.yaml", 7, 7, "error", "unknown-kind"),
        ("tests/fixtures/kinds.yaml", 11, 1, "error", "missing-api-version"),
        ("tests/fixtures/kinds.yaml", 20, 1, "error", "not-an-object"),
    ]
    assert "did you mean 'StatefulSet'?" in result.out
    assert "1 skipped (1 Deployment)" in result.out


def test_stdin_is_read_and_named(run_cli: Any) -> None:
    text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: x\nspec:\n  clusterIP: None\n  tpye: x\n"
    result = run_cli("validate", "-", stdin=text)
    assert result.code == 1
    assert finding_lines(result.out) == [("<stdin>", 7, 3, "error", "schema-unknown-field")]
    assert "did you mean 'type'?" in result.out


def test_empty_stdin_fails_unless_allowed(run_cli: Any) -> None:
    result = run_cli("validate", "-", stdin="")
    assert result.code == 1
    assert "no-objects" in result.out
    allowed = run_cli("validate", "--allow-empty", "-", stdin="# nothing\n---\n")
    assert allowed.code == 0


def test_missing_path_is_a_usage_error(run_cli: Any) -> None:
    result = run_cli("validate", "does/not/exist.yaml")
    assert result.code == 2
    assert "no such file or folder: does/not/exist.yaml" in result.err


def test_unsupported_version_lists_supported(run_cli: Any) -> None:
    result = run_cli("validate", "-k", "1.12", "examples/web.yaml")
    assert result.code == 2
    assert "supported: 1.30, 1.31" in result.err


def test_version_selects_schema(run_cli: Any, tmp_path: Any) -> None:
    # `hostnameOverride` exists in PodSpec from 1.34 on.
    manifest = tmp_path / "sts.yaml"
    text = (EXAMPLES / "web.yaml").read_text()
    manifest.write_text(text.replace("      terminationGracePeriodSeconds: 10\n",
                                     "      terminationGracePeriodSeconds: 10\n      hostnameOverride: x\n"))
    assert run_cli("validate", "-k", "1.34", str(manifest)).code == 0
    old = run_cli("validate", "-k", "1.33", str(manifest))
    assert old.code == 1
    assert "unknown field 'hostnameOverride'" in old.out


def test_duplicate_keys_name_both_lines(run_cli: Any) -> None:
    text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: x\n  name: y\nspec:\n  clusterIP: None\n"
    result = run_cli("validate", "-", stdin=text)
    assert result.code == 1
    assert finding_lines(result.out)[0] == ("<stdin>", 5, 3, "error", "yaml-duplicate-key")
    assert "already defined at line 4, column 3" in result.out


def test_syntax_error_has_position_and_no_traceback(run_cli: Any) -> None:
    result = run_cli("validate", "-", stdin="apiVersion: v1\nkind: Service\nmetadata:\n\tname: x\n")
    assert result.code == 1
    assert finding_lines(result.out)[0][:2] == ("<stdin>", 4)
    assert "Traceback" not in result.out + result.err


def test_quiet_prints_only_finding_lines(run_cli: Any) -> None:
    result = run_cli("validate", "-q", "--fail-on", "error", "--disable", "readiness-probe-missing",
                     "tests/fixtures/crlf.yaml")
    assert result.code == 1
    assert result.out.splitlines() == [
        "tests/fixtures/crlf.yaml:6:3: error schema-unknown-field unknown field 'replica'; did you mean "
        "'replicas'? (StatefulSet default/web, spec.replica)"]


def test_version_flag(run_cli: Any) -> None:
    from sts_cli import __version__

    result = run_cli("--version")
    assert result.code == 0
    assert result.out.strip() == f"sts {__version__}"


def test_status_fields_are_not_required_but_still_typed(run_cli: Any) -> None:
    text = (EXAMPLES / "web.yaml").read_text()
    empty_status = run_cli("validate", "-q", "-", stdin=text + "status: {}\n")
    assert empty_status.code == 0, empty_status.out
    wrong_type = run_cli("validate", "-q", "-", stdin=text + "status:\n  replicas: x\n")
    assert wrong_type.code == 1
    assert ("<stdin>", 53, 13, "error", "schema-type") in finding_lines(wrong_type.out)
