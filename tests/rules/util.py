"""Helpers for the rule tests: run the engine on in-memory manifests and find positions by marker."""

from __future__ import annotations

from pathlib import Path

from sts_cli.engine import ValidateOptions, validate
from sts_cli.findings import Finding

MARK = "»"

BASE = """\
apiVersion: v1
kind: Service
metadata:
  name: web
  labels:
    app: web
spec:
  clusterIP: None
  publishNotReadyAddresses: true
  selector:
    app: web
  ports:
  - name: http
    port: 80
    targetPort: http
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
  labels:
    app: web
spec:
  serviceName: web
  replicas: 3
  podManagementPolicy: OrderedReady
  updateStrategy:
    type: RollingUpdate
    rollingUpdate:
      partition: 0
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      terminationGracePeriodSeconds: 30
      containers:
      - name: nginx
        image: nginx:1.27
        ports:
        - name: http
          containerPort: 80
        readinessProbe:
          httpGet:
            path: /
            port: http
        volumeMounts:
        - name: data
          mountPath: /data
      volumes:
      - name: config
        emptyDir: {}
  volumeClaimTemplates:
  - metadata:
      name: data
    spec:
      accessModes: [ReadWriteOnce]
      resources:
        requests:
          storage: 1Gi
"""


def edit(text: str, replacements: list[tuple[str, str]]) -> str:
    """Apply textual replacements; each `old` must occur exactly once."""
    for old, new in replacements:
        count = text.count(old)
        if count != 1:
            raise AssertionError(f"{old!r} occurs {count} times in the manifest")
        text = text.replace(old, new)
    return text


def marked(text: str) -> tuple[str, tuple[int, int] | None]:
    """Remove the marker; return the text and the 1-based (line, column) where it stood."""
    index = text.find(MARK)
    if index < 0:
        return text, None
    before = text[:index]
    line = before.count("\n") + 1
    column = index - (before.rfind("\n") + 1) + 1
    return text[:index] + text[index + len(MARK):], (line, column)


def run(tmp_path: Path, files: dict[str, str], version: str = "1.36", namespace: str = "default",
        enable: tuple[str, ...] = (), disable: tuple[str, ...] = ()) -> list[Finding]:
    paths = []
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    options = ValidateOptions(kubernetes_version=version, namespace=namespace, enable=frozenset(enable),
                              disable=frozenset(disable))
    return validate(paths, options).findings


def summary(findings: list[Finding]) -> list[str]:
    return [f"{f.location.line}:{f.location.column} {f.severity.label} {f.rule} {f.message}" for f in findings]
