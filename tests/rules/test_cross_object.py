"""StatefulSet and Service in different files: findings point into the right file, and name the other."""

from __future__ import annotations

from pathlib import Path

from sts_cli.findings import Finding
from tests.rules.util import run, summary

STS = """\
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
  namespace: data
spec:
  serviceName: db
  replicas: 3
  selector:
    matchLabels:
      app: db
  template:
    metadata:
      labels:
        app: db
        tier: storage
    spec:
      containers:
      - name: db
        image: postgres:16
        ports:
        - name: postgres
          containerPort: 5432
        readinessProbe:
          exec: {command: [pg_isready]}
"""

SVC = """\
apiVersion: v1
kind: Service
metadata:
  name: db
  namespace: data
spec:
  clusterIP: None
  publishNotReadyAddresses: true
  selector:
    app: db
    tier: cache
  ports:
  - name: postgres
    port: 5432
"""


def _one(findings: list[Finding], rule: str) -> Finding:
    hits = [f for f in findings if f.rule == rule]
    assert len(hits) == 1, summary(findings)
    return hits[0]


def test_selector_mismatch_across_files(tmp_path: Path) -> None:
    findings = run(tmp_path, {"app/statefulset.yaml": STS, "net/service.yaml": SVC})
    finding = _one(findings, "service-selector-mismatch")
    assert finding.location.file.endswith("net/service.yaml")
    assert (finding.location.line, finding.location.column) == (11, 5)  # the `tier` key of the Service selector
    assert finding.object == "Service data/db"
    assert "tier: Service selects 'cache', pods have 'storage'" in finding.message
    related = [(Path(r.location.file).name, r.location.line, r.location.column) for r in finding.related]
    assert related == [("statefulset.yaml", 16, 15), ("statefulset.yaml", 7, 16)]  # template label value, serviceName
    assert [f.rule for f in findings if f.severity.label == "error"] == ["service-selector-mismatch"]


def test_not_headless_across_files(tmp_path: Path) -> None:
    service = SVC.replace("  clusterIP: None\n", "  clusterIP: 10.96.1.2\n").replace("    tier: cache\n", "")
    findings = run(tmp_path, {"a/sts.yaml": STS, "b/svc.yaml": service})
    finding = _one(findings, "service-not-headless")
    assert (Path(finding.location.file).name, finding.location.line, finding.location.column) == ("svc.yaml", 7, 14)
    assert [(Path(r.location.file).name, r.location.line, r.location.column) for r in finding.related] == [
        ("sts.yaml", 7, 16)]


def test_service_missing_suggests_a_service_from_another_file(tmp_path: Path) -> None:
    service = SVC.replace("  name: db\n", "  name: db-headless\n").replace("    tier: cache\n", "")
    findings = run(tmp_path, {"sts.yaml": STS, "svc.yaml": service})
    finding = _one(findings, "service-missing")
    assert (Path(finding.location.file).name, finding.location.line, finding.location.column) == ("sts.yaml", 7, 16)
    assert "did you mean 'db-headless'? (it selects these pods)" in finding.message
    assert [(Path(r.location.file).name, r.location.line, r.location.column) for r in finding.related] == [
        ("svc.yaml", 4, 9)]


def test_service_in_another_namespace(tmp_path: Path) -> None:
    service = SVC.replace("  namespace: data\n", "  namespace: default\n").replace("    tier: cache\n", "")
    findings = run(tmp_path, {"sts.yaml": STS, "svc.yaml": service})
    finding = _one(findings, "service-missing")
    assert "Service default/db exists, but pods only get DNS records from a Service in their own namespace" \
        in finding.message
    assert [(Path(r.location.file).name, r.location.line) for r in finding.related] == [("svc.yaml", 5)]


def test_namespace_defaulting_uses_the_namespace_option(tmp_path: Path) -> None:
    statefulset = STS.replace("  namespace: data\n", "")
    service = SVC.replace("    tier: cache\n", "")
    assert [f.rule for f in run(tmp_path, {"s.yaml": statefulset, "v.yaml": service}, namespace="data")
            if f.severity.label == "error"] == []
    assert "service-missing" in [f.rule for f in run(tmp_path, {"s.yaml": statefulset, "v.yaml": service})]


def test_selector_overlap_is_reported_once_per_pair(tmp_path: Path) -> None:
    other = STS.replace("  name: db\n", "  name: db-replica\n", 1)
    findings = run(tmp_path, {"a.yaml": STS, "b.yaml": other, "svc.yaml": SVC.replace("    tier: cache\n", "")})
    overlaps = [f for f in findings if f.rule == "selector-overlap"]
    assert len(overlaps) == 1
    assert overlaps[0].object == "StatefulSet data/db-replica"
    assert Path(overlaps[0].related[0].location.file).name == "a.yaml"


def test_overlap_only_within_a_namespace(tmp_path: Path) -> None:
    other = STS.replace("  name: db\n", "  name: db-replica\n", 1).replace("namespace: data", "namespace: other")
    findings = run(tmp_path, {"a.yaml": STS, "b.yaml": other})
    assert "selector-overlap" not in [f.rule for f in findings]


def test_duplicate_object_names_the_first_definition(tmp_path: Path) -> None:
    findings = run(tmp_path, {"one.yaml": SVC, "two.yaml": SVC, "sts.yaml": STS.replace("        tier: storage\n",
                                                                                           "        tier: cache\n")})
    finding = _one(findings, "duplicate-object")
    assert (Path(finding.location.file).name, finding.location.line, finding.location.column) == ("two.yaml", 4, 9)
    assert [(Path(r.location.file).name, r.location.line, r.location.column) for r in finding.related] == [
        ("one.yaml", 4, 9)]


def test_many_statefulsets_are_checked_quickly(tmp_path: Path) -> None:
    import time

    docs = []
    for index in range(400):
        docs.append(STS.replace("  name: db\n", f"  name: db-{index}\n", 1).replace(
            "app: db", f"app: db-{index}").replace("serviceName: db", f"serviceName: db-{index}"))
        docs.append(SVC.replace("  name: db\n", f"  name: db-{index}\n").replace("app: db", f"app: db-{index}")
                    .replace("    tier: cache\n", ""))
    (tmp_path / "many.yaml").write_text("---\n".join(docs))
    from sts_cli.engine import ValidateOptions, _check_objects, _rule_findings, load_inputs

    options = ValidateOptions(kubernetes_version="1.36")
    loaded, _ = load_inputs([str(tmp_path / "many.yaml")], options)
    collected = _check_objects(loaded, options)
    start = time.perf_counter()
    findings = _rule_findings(collected, options)
    elapsed = time.perf_counter() - start
    assert [f for f in findings if f.severity.label == "error"] == []
    assert elapsed < 1.0, f"rules took {elapsed:.2f}s for 800 objects"


def test_version_notes_in_messages(tmp_path: Path) -> None:
    """Rules the API server enforces only from some version on are errors before it too, and say so."""
    from tests.rules.util import BASE, edit

    text = edit(BASE, [("        image: nginx:1.27\n", "        image: \"\"\n"),
                       ("      accessModes: [ReadWriteOnce]\n", ""),
                       ("  serviceName: web", "  serviceName: web.default")])
    old = {f.rule: f.message for f in run(tmp_path, {"m.yaml": text}, version="1.32")}
    new = {f.rule: f.message for f in run(tmp_path, {"m.yaml": text}, version="1.36")}
    note = "enforced by the API server from 1.34; before, the StatefulSet is accepted and"
    assert note in old["container-image-missing"] and "pods fail with FailedCreate" in old["container-image-missing"]
    assert note in old["claim-access-modes-invalid"] and "PVC creation fails" in old["claim-access-modes-invalid"]
    assert "enforced by the API server from 1.33" in old["sts-service-name-invalid"]
    assert all("enforced by the API server" not in message for message in new.values())
    assert set(old) == set(new)


def test_null_spec_is_not_silently_accepted(tmp_path: Path) -> None:
    text = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec: null\n"
    findings = {(f.rule, f.location.line, f.location.column) for f in run(tmp_path, {"m.yaml": text})
                if f.severity.label == "error"}
    assert findings == {("selector-missing", 5, 1), ("containers-missing", 5, 1)}
    service = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec: null\n"
    assert [f.rule for f in run(tmp_path, {"s.yaml": service})] == ["service-ports-missing"]
