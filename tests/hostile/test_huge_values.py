"""Huge values in every field a finding quotes: each report stays small, each finding one short line."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from sts_cli.findings import KEEP, TEXT_CAP

FORMATS = ("text", "json", "sarif", "junit", "github")
HUGE = 100_000


def huge_manifest(value: str) -> str:
    """A StatefulSet and its Service with `value` as every name, label, port, claim field and key."""
    v = value
    statefulset = {
        "apiVersion": "apps/v1", "kind": "StatefulSet",
        "metadata": {"name": v, "labels": {v: v}},
        "spec": {
            "serviceName": v, "replicas": 1, "selector": {"matchLabels": {v: v}},
            v: 1, "podManagementPolicy": v,
            "template": {"metadata": {"labels": {v: v}}, "spec": {"containers": [
                {"name": v, "image": v, "ports": [{"name": v, "containerPort": 80}],
                 "volumeMounts": [{"name": v, "mountPath": v}]},
                {"name": "Bad_Name", "image": "nginx", "imagePullPolicy": v},
            ]}},
            "volumeClaimTemplates": [{"metadata": {"name": v}, "spec": {
                "accessModes": [v], "resources": {"requests": {"storage": v}}}}],
        },
    }
    service = {
        "apiVersion": "v1", "kind": "Service", "metadata": {"name": v},
        "spec": {"clusterIP": v, "selector": {v: v}, "ports": [{"port": 80, "targetPort": v, "name": v}]},
    }
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    text = yaml.dump_all([statefulset, service], Dumper=dumper, width=2**30, sort_keys=False)
    return text + f"---\nkind: [{v}\n"  # and a syntax error after a huge scalar


def huge_names_across_objects(value: str) -> str:
    """Valid labels, huge names and namespaces: cross-object findings quote them in hints and related places."""
    return (f"apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: {value}\n  namespace: {value}\n"
            "spec:\n  serviceName: web\n  replicas: 3\n  selector:\n    matchLabels:\n      app: web\n"
            "  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n"
            "      - name: web\n        image: nginx\n---\n"
            f"apiVersion: v1\nkind: Service\nmetadata:\n  name: {value}\n  namespace: {value}\n"
            "spec:\n  clusterIP: None\n  selector:\n    app: web\n  ports:\n  - port: 80\n")


EXPECTED_RULES = [
    "sts-name-invalid", "label-invalid", "label-invalid", "sts-service-name-invalid", "selector-invalid",
    "selector-invalid", "schema-unknown-field", "pod-management-policy-invalid", "label-invalid",
    "label-invalid", "container-name-invalid", "container-port-invalid", "container-name-invalid",
    "pod-template-invalid", "claim-template-invalid", "claim-access-modes-invalid", "claim-storage-invalid",
    "service-name-invalid", "service-cluster-ip-invalid", "service-selector-invalid", "service-selector-invalid",
    "service-port-invalid", "service-port-name-invalid", "yaml-syntax",
]


@pytest.fixture(scope="module")
def huge_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("huge") / "huge.yaml"
    path.write_text(huge_manifest("x" * HUGE))
    return path


def outputs(run_cli: Any, path: Path) -> dict[str, str]:
    found: dict[str, str] = {}
    for fmt in FORMATS:
        result = run_cli("validate", str(path), "-f", fmt)
        assert result.code == 1, (fmt, result.err[-2000:])
        assert "Traceback" not in result.err and "internal error" not in result.err
        found[fmt] = result.out
    return found


def finding_texts(report: dict[str, Any]) -> list[str]:
    """Every text of every finding in the JSON report."""
    texts: list[str] = []
    for finding in report["findings"]:
        texts += [finding["message"], finding["hint"], finding["path"], finding["object"]]
        texts += [related["message"] for related in finding["related"]]
        texts += list(finding["extra"].values())
    return texts


def test_huge_values_give_short_findings_in_every_format(run_cli: Any, huge_file: Path) -> None:
    assert huge_file.stat().st_size > 2_000_000
    out = outputs(run_cli, huge_file)
    too_long = "x" * (KEEP + 1)
    # Text and GitHub annotations: small in total, one short line per finding, no value over 100 characters.
    for fmt in ("text", "github"):
        assert len(out[fmt]) < 40_000, (fmt, len(out[fmt]))
        assert max(len(line) for line in out[fmt].splitlines()) < 1_200
        assert too_long not in out[fmt]
    # JSON: the rule ids as ever, every text of every finding bounded.
    report = json.loads(out["json"])
    assert [f["rule"] for f in report["findings"]] == EXPECTED_RULES
    texts = finding_texts(report)
    assert sum(map(len, texts)) < 40_000
    assert all(len(text) <= TEXT_CAP and too_long not in text for text in texts)
    # SARIF: the results (the rule catalogue is the same for any input).
    results = json.loads(out["sarif"])["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == EXPECTED_RULES
    assert len(json.dumps(results)) < 40_000 and too_long not in json.dumps(results)
    # JUnit: the failure texts.
    failures = re.findall(r"<failure[^>]*>.*?</failure>", out["junit"], re.DOTALL)
    assert len(failures) == len(EXPECTED_RULES)
    assert all(too_long not in failure for failure in failures)
    assert sum(map(len, failures)) < 40_000


def test_the_value_is_quoted_with_its_start_and_length_and_short_values_in_full(run_cli: Any,
                                                                                huge_file: Path) -> None:
    text = run_cli("validate", str(huge_file), "-f", "text").out
    start = "x" * KEEP
    assert f"error sts-name-invalid StatefulSet name '{start}…' (100,000 characters) is not a DNS label: " \
           "must be no more than 63 characters (it has 100000)" in text
    assert f"label value '{start}…' (100,000 characters) of '{start}…' (100,000 characters): " in text
    assert f"(StatefulSet default/{start}…, metadata.labels.{start}…)" in text
    assert "container name 'Bad_Name': a lowercase RFC 1123 label" in text
    assert "    hint: use 'bad-name'" in text
    assert f"container 'Bad_Name': imagePullPolicy '{start}…' (100,000 characters) is not supported" in text


def test_huge_names_in_hints_and_related_places_are_bounded(run_cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "names.yaml"
    path.write_text(huge_names_across_objects("n" * HUGE))
    result = run_cli("validate", str(path), "-f", "json")
    assert result.code == 1
    report = json.loads(result.out)
    missing = [f for f in report["findings"] if f["rule"] == "service-missing"]
    assert len(missing) == 1
    start = "n" * KEEP
    assert missing[0]["hint"] == f"set `serviceName: {start}…`"
    assert [r["message"] for r in missing[0]["related"]] == [f"Service {start}…/{start}… selects these pods"]
    assert missing[0]["object"] == f"StatefulSet {start}…/{start}…"
    assert all(len(text) <= TEXT_CAP and "n" * (KEEP + 1) not in text for text in finding_texts(report))


def test_huge_values_with_spaces_are_bounded_too(run_cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "spaces.yaml"
    path.write_text(huge_manifest("ab " * 30_000 + "ab"))
    out = outputs(run_cli, path)
    for fmt in ("text", "github"):
        assert len(out[fmt]) < 60_000, (fmt, len(out[fmt]))
        assert max(len(line) for line in out[fmt].splitlines()) < 1_200
    report = json.loads(out["json"])
    assert {f["rule"] for f in report["findings"]} >= set(EXPECTED_RULES)
    assert all(len(text) <= TEXT_CAP for text in finding_texts(report))
    assert any("' (90,002 characters)" in f["message"] for f in report["findings"])


def test_whole_reports_stay_small(run_cli: Any, huge_file: Path) -> None:
    for fmt in ("json", "junit"):
        assert len(run_cli("validate", str(huge_file), "-f", fmt).out) < 60_000
