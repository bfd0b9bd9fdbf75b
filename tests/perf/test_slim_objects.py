"""Per-file rules and slim objects give the results of every rule over the full objects.

`validate` runs the rules of scope "object" per file (in workers, cached) and the rules of scope
"set" over slim copies of the objects; `validate_loaded` runs every rule over the full objects in
one process. A set-scope rule (or a suppression) that reads a field the slim copy dropped, or a
rule marked "object" that looks at other objects, makes these tests fail.
"""

from __future__ import annotations

import pickle
import sys
from pathlib import Path
from typing import Any

import pytest

from sts_cli import parallel
from sts_cli.documents import load_source
from sts_cli.engine import ValidateOptions, ValidationResult, load_inputs, validate, validate_loaded
from sts_cli.filecheck import check_objects, check_source, object_rule_findings, object_rules
from sts_cli.findings import Finding
from sts_cli.kinds import Kind
from sts_cli.model import service_view, statefulset_view
from sts_cli.rules.base import RuleContext, all_rules
from sts_cli.sources import Source
from tests.conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
from corpus import generate

OPTIONAL = frozenset(rule.id for rule in all_rules() if rule.optional)


def manifests() -> list[Path]:
    folders = (REPO / "tests" / "corpus" / "rules", REPO / "examples", REPO / "tests" / "fixtures")
    found = [p for folder in folders for p in sorted(folder.rglob("*"))
             if p.is_file() and p.suffix in (".yaml", ".yml", ".json")]
    assert len(found) > 150
    return found


def options(version: str = "1.36", **overrides: Any) -> ValidateOptions:
    settings: dict[str, Any] = {"enable": OPTIONAL, **overrides}
    return ValidateOptions(kubernetes_version=version, **settings)


def reference(paths: list[str], opts: ValidateOptions) -> ValidationResult:
    loaded, skipped = load_inputs(paths, opts)
    return validate_loaded(loaded, skipped, opts)


def described(findings: list[Finding]) -> list[tuple[Any, ...]]:
    return [(f.rule, f.severity, f.location, f.message, f.path, f.object, f.hint, f.related, f.template,
             f.object_key) for f in findings]


def same(fast: ValidationResult, full: ValidationResult) -> None:
    assert described(fast.findings) == described(full.findings)
    assert fast.summary == full.summary
    assert [(o.key, o.kind, o.name, o.location, o.findings) for o in fast.objects] == \
        [(o.key, o.kind, o.name, o.location, o.findings) for o in full.objects]


def test_every_rule_finds_the_same_on_slim_objects_file_by_file() -> None:
    opts = options()
    rules_seen: set[str] = set()
    for path in manifests():
        full = reference([str(path)], opts)
        same(validate([str(path)], opts), full)
        rules_seen.update(f.rule for f in full.findings)
    set_rules = {rule.id for rule in all_rules() if rule.scope == "set" and rule.check is not None}
    # The comparison means something only if the set-scope rules fire on these files.
    assert set_rules <= rules_seen, sorted(set_rules - rules_seen)


@pytest.mark.parametrize("version", ["1.30", "1.33", "1.37"])
def test_all_files_together_across_versions_and_settings(version: str) -> None:
    paths = [str(p) for p in manifests()]
    for opts in (options(version), options(version, namespace="prod", enable=frozenset()),
                 options(version, disable=frozenset({"readiness-probe-missing", "service-missing"}))):
        same(validate(paths, opts), reference(paths, opts))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    generate(out, 120, seed=11, broken=0.2)
    return out


def test_workers_chunks_and_cache_give_the_full_result(corpus: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "POOL_MIN_BYTES", 1)
    monkeypatch.setattr(parallel, "CHUNK_BYTES", 4096)
    paths = [str(corpus), str(REPO / "examples" / "broken")]
    opts = options("1.33")
    full = reference(paths, opts)
    assert full.summary.objects["StatefulSet"] > 40
    same(validate(paths, opts), full)
    same(validate(paths, options("1.33", jobs=2)), full)
    cache = str(tmp_path / "cache")
    same(validate(paths, options("1.33", jobs=2, cache_dir=cache)), full)
    for entry in (tmp_path / "cache" / "v2" / "runs").rglob("*"):
        if entry.is_file():
            entry.unlink()
    same(validate(paths, options("1.33", jobs=1, cache_dir=cache)), full)


def test_object_rules_name_only_their_own_rule() -> None:
    """The parent turns per-file findings on and off by their rule id: a check must emit only its own."""
    opts = options("1.30")
    rules = object_rules()
    assert {"selector-mismatch", "pod-template-invalid", "service-port-invalid", "claim-not-mounted"} <= \
        {rule.id for rule in rules}
    counted = 0
    for path in manifests():
        loaded = load_source(Source(str(path), path.read_bytes()), opts.limits)
        results = check_objects(loaded.objects, opts)
        context = RuleContext(opts.kubernetes_version, opts.namespace, [], [])
        for obj, found in zip(loaded.objects, results, strict=True):
            if found.kind is Kind.STATEFULSET:
                context.statefulsets.append(statefulset_view(obj, opts.namespace))
            elif found.kind is Kind.SERVICE:
                context.services.append(service_view(obj, opts.namespace))
            if found.kind is not None:
                context.schema_paths[id(obj)] = {f.path for f in found.findings}
        for rule in rules:
            assert rule.check is not None
            for finding in rule.check(context):
                assert finding.rule == rule.id
                counted += 1
        assert described(object_rule_findings(loaded.objects, results, opts)) == \
            described([f for rule in rules if rule.check for f in rule.check(context)])
    assert counted > 200


STS = """\
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: '{"a": "very long value"}'
    ignore-check.sts.io/pdb-missing: "one replica is enough while testing"
spec:
  serviceName: web
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata:
      labels: {app: web}
      annotations: {note: kept out}
    spec:
      volumes: [{name: scratch, emptyDir: {}}]
      containers:
      - name: web
        image: nginx:1.27
        env: [{name: A, value: b}]
        ports: [{name: http, containerPort: 80}]
        readinessProbe: {httpGet: {path: /, port: http}}
  volumeClaimTemplates:
  - metadata: {name: data}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
"""


def test_slim_copies_keep_what_later_stages_read_and_drop_the_rest() -> None:
    result = check_source(Source("web.yaml", STS.encode()), options())
    (obj,) = result.loaded.objects
    assert obj.get(("metadata", "annotations")) == {
        "ignore-check.sts.io/pdb-missing": "one replica is enough while testing"}
    assert obj.get(("spec", "template", "metadata", "annotations")) is None
    assert obj.get(("spec", "template", "spec")) == {"containers": [
        {"name": "web", "ports": [{"name": "http", "containerPort": 80}],
         "readinessProbe": {}}]}
    assert obj.get(("spec", "volumeClaimTemplates")) is None
    # Positions survive the copy and pickling (workers, cache).
    copy = pickle.loads(pickle.dumps(obj))
    assert copy.location(("spec", "template", "spec", "containers", 0, "ports", 0, "name"), True).line == 22
    assert copy.location(("metadata", "annotations", "ignore-check.sts.io/pdb-missing")).line == 7
    assert copy.location(("spec", "template", "spec", "volumes")).line == 16  # dropped: the deepest kept part
    assert full_location(("spec", "template", "spec", "volumes")) == 17
    assert len(pickle.dumps(obj.data)) * 3 < len(pickle.dumps(FULL.data)) * 2
    # The per-object rules ran on the full object before it was slimmed, optional ones included.
    assert {f.rule for f in result.rule_findings} == {"claim-not-mounted", "pod-spread-missing"}
    assert [f.object_key for f in result.rule_findings] == [obj.key, obj.key]


FULL = load_source(Source("web.yaml", STS.encode())).objects[0]


def full_location(path: tuple[str | int, ...]) -> int:
    return FULL.location(path).line


TRICKY_A = """\
# Source: chart/templates/db.yaml
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
  labels: &labels {app: db}
spec:
  serviceName: db
  replicas: 3
  selector: {matchLabels: *labels}
  template:
    metadata:
      labels: *labels
      annotations:
        ignore-check.sts.io/service-not-headless: "peers use the cluster IP"
        ignore-check.sts.io/no-such-rule: "typo"
        ignore-check.sts.io/readiness-probe-missing: ""
    spec:
      containers:
      - name: db
        image: postgres:16
        ports: [{name: pg, containerPort: 5432}]
---
# Source: chart/templates/pdb.yaml
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: db}
spec:
  minAvailable: 3
  selector: {matchLabels: {app: db}}
---
apiVersion: v1
kind: ServiceList
items:
- apiVersion: v1
  metadata: {name: db}
  spec:
    selector: {app: db}
    ports: [{name: pg, port: 5432, targetPort: postgres}]
"""
TRICKY_B = """\
apiVersion: v1
kind: Service
metadata: {name: db}
spec: {clusterIP: None, selector: {app: db}, ports: [{port: 5432}]}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: big}
data: {key: value}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db-copy}
spec:
  serviceName: db
  replicas: 2
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db, copy: "yes"}}
    spec:
      containers: [{name: db, image: postgres:16, readinessProbe: {exec: {command: [pg_isready]}}}]
"""


def test_suppressions_budgets_lists_aliases_and_helm_sources_across_files(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(TRICKY_A)
    (tmp_path / "b.yaml").write_text(TRICKY_B)
    paths = [str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml")]
    opts = options("1.34")
    full = reference(paths, opts)
    same(validate(paths, opts), full)
    rules = {f.rule for f in full.findings}
    assert {"suppression-unknown-rule", "suppression-without-reason", "duplicate-object", "selector-overlap",
            "pdb-missing", "service-target-port-unknown", "readiness-probe-missing"} <= rules
    # Suppressed for db (on its pod template), reported for db-copy, which names the same Service.
    headless = [f for f in full.findings if f.rule == "service-not-headless"]
    assert [r.location.file for f in headless for r in f.related] == [paths[1]]
    budget = [f for f in full.findings if f.rule == "pdb-missing"]
    assert any("allows no disruption" in f.message and f.location.line == 29 for f in budget)
    assert any(f.template is not None and f.template.file == "chart/templates/db.yaml" for f in full.findings)


def test_positions_beyond_two_byte_numbers(tmp_path: Path) -> None:
    """Slim copies store lines from the object's first one in two bytes when they fit, four otherwise."""
    wide = ('{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "db", "annotations": {"note": "'
            + "x" * 40_000 + '", "ignore-check.sts.io/service-not-headless": ""}}, "spec": {"selector": '
            '{"app": "db"}, "ports": [{"port": 5432}]}}\n')
    tall = "".join(["apiVersion: v1\nkind: Service\nmetadata:\n  name: tall\n  labels:\n",
                    *(f"    l{index}: v\n" for index in range(33_000)), "spec:\n  ports: [{port: 1, protocol: tcp}]\n"])
    (tmp_path / "wide.json").write_text(wide)
    (tmp_path / "tall.yaml").write_text("---\n" * 3 + tall)
    (tmp_path / "sts.yaml").write_text(STS.replace("serviceName: web", "serviceName: db"))
    paths = [str(tmp_path / name) for name in ("wide.json", "tall.yaml", "sts.yaml")]
    full = reference(paths, options())
    same(validate(paths, options()), full)
    columns = {f.rule: f.location.column for f in full.findings if f.location.file == paths[0]}
    assert columns["suppression-without-reason"] > 40_000
    lines = {f.rule: f.location.line for f in full.findings if f.location.file == paths[1]}
    assert lines["service-port-invalid"] == 33_010
    kinds = {obj.name: obj.positions._packed.typecode for obj in check_source(  # type: ignore[attr-defined]
        Source(paths[0], wide.encode()), options()).loaded.objects}
    assert kinds == {"db": "i"}
    assert {o.positions._packed.typecode for o in check_source(  # type: ignore[attr-defined]
        Source("web.yaml", STS.encode()), options()).loaded.objects} == {"h"}
