"""Build OLD/NEW manifests from Python data and compare them in-process."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import yaml

from sts_cli.diff.engine import DiffOptions, DiffResult, Side, compare
from sts_cli.documents import load_source
from sts_cli.findings import Finding, Severity
from sts_cli.sources import Source

Manifest = list[dict[str, Any]]


def statefulset(name: str = "web", replicas: int = 3, **spec: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": {"name": name},
        "spec": {
            "serviceName": "web",
            "replicas": replicas,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{
                    "name": "nginx", "image": "nginx:1.26",
                    "ports": [{"name": "http", "containerPort": 80}],
                    "volumeMounts": [{"name": "www", "mountPath": "/data"}]}]},
            },
            "volumeClaimTemplates": [{
                "metadata": {"name": "www"},
                "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}},
            }],
        },
    }
    base["spec"].update(spec)
    return base


def service(name: str = "web", **spec: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "apiVersion": "v1", "kind": "Service", "metadata": {"name": name},
        "spec": {"clusterIP": "None", "selector": {"app": "web"},
                 "ports": [{"name": "http", "port": 80}]},
    }
    base["spec"].update(spec)
    return base


def dump(objects: Manifest) -> str:
    return yaml.safe_dump_all(objects, sort_keys=False)


def changed(objects: Manifest, edit: Callable[[Manifest], None]) -> Manifest:
    out = copy.deepcopy(objects)
    edit(out)
    return out


def side(label: str, name: str, text: str) -> Side:
    return Side(label, [load_source(Source(name, text.encode()))])


def run_diff(old: Manifest | str, new: Manifest | str, version: str = "1.37", **options: Any) -> DiffResult:
    old_text = old if isinstance(old, str) else dump(old)
    new_text = new if isinstance(new, str) else dump(new)
    return compare(side("OLD", "old.yaml", old_text), side("NEW", "new.yaml", new_text),
                   DiffOptions(kubernetes_version=version, **options))


def rules(result: DiffResult) -> list[str]:
    return [f.rule for f in result.findings]


def only(result: DiffResult, rule: str) -> Finding:
    found = [f for f in result.findings if f.rule == rule]
    assert len(found) == 1, f"expected one {rule}, got {[(f.rule, f.message) for f in result.findings]}"
    return found[0]


def errors(result: DiffResult) -> list[Finding]:
    return [f for f in result.findings if f.severity is Severity.ERROR]
