"""Output of `helm template`: findings name the template of the `# Source:` comment, and the line in it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sts_cli.report import renderer
from tests.report.conftest import check, context, write

# What `helm template release ./web` prints: every document starts with `---` and a `# Source:`
# comment naming the template; the template's rendered text follows (hooks and subcharts alike).
HELM_STREAM = """\
---
# Source: web/templates/serviceaccount.yaml
apiVersion: v1
kind: ServiceAccount
metadata:
  name: release-web
  labels:
    helm.sh/chart: web-0.1.0
---
# Source: web/templates/service-headless.yaml
apiVersion: v1
kind: Service
metadata:
  name: release-web-headless
  labels:
    app.kubernetes.io/name: web
spec:
  clusterIP: None
  ports:
    - port: 80
      name: http
  selector:
    app.kubernetes.io/name: web
---
# Source: web/templates/statefulset.yaml
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: release-web
  labels:
    app.kubernetes.io/name: web
spec:
  replicas: "3"
  serviceName: release-web-headless
  selector:
    matchLabels:
      app.kubernetes.io/name: web
  template:
    metadata:
      labels:
        app.kubernetes.io/name: web
    spec:
      containers:
        - name: web
          image: "nginx:1.27"
---
# Source: web/charts/cache/templates/statefulset.yaml
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: release-cache
spec:
  serviceName: release-web-headless
  selector:
    matchLabels:
      app: cache
  template:
    metadata:
      labels:
        app: cache
    spec:
      containers:
        - name: cache
          image: redis:7
          ports:
            - containerPort: "6379"
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: appended-by-hand
spec:
  replicas: "1"
  serviceName: release-web-headless
  selector:
    matchLabels:
      app: extra
  template:
    metadata:
      labels:
        app: extra
    spec:
      containers:
        - name: extra
          image: busybox
"""

# (rule, stream line, stream column, template, template line)
EXPECTED = [
    ("schema-type", 33, 13, "web/templates/statefulset.yaml", 8),
    ("schema-type", 66, 30, "web/charts/cache/templates/statefulset.yaml", 19),
    ("schema-type", 73, 13, None, None),
]


def _schema_findings(result: Any) -> list[tuple[str, int, int, str | None, int | None]]:
    return [(f.rule, f.location.line, f.location.column, f.template.file if f.template else None,
             f.template.line if f.template else None) for f in result.findings if f.rule == "schema-type"]


def test_template_and_line_inside_it(workdir: Path) -> None:
    write(workdir, "rendered.yaml", HELM_STREAM)
    result = check("rendered.yaml")
    assert _schema_findings(result) == EXPECTED
    lines = HELM_STREAM.splitlines()
    # The stream position really is the quoted value, and the template line counts from the
    # line after the `# Source:` comment.
    assert lines[33 - 1].strip() == 'replicas: "3"'
    source_line = lines.index("# Source: web/templates/statefulset.yaml") + 1
    assert 33 - source_line == 8
    sts = next(f for f in result.findings if f.rule == "schema-type")
    assert sts.template is not None and sts.template.column == 13


def test_reports_name_the_template(workdir: Path) -> None:
    write(workdir, "rendered.yaml", HELM_STREAM)
    result = check("rendered.yaml")
    text = renderer("text")(result, context())
    assert "rendered.yaml:33:13: error schema-type" in text
    assert "    from template web/templates/statefulset.yaml:8:13" in text
    findings = json.loads(renderer("json")(result, context()))["findings"]
    first = next(f for f in findings if f["rule"] == "schema-type")
    assert first["template"] == {"file": "web/templates/statefulset.yaml", "line": 8, "column": 13}
    assert (first["file"], first["line"]) == ("rendered.yaml", 33)
    # A real file stays the primary location; the template is a related one.
    sarif = json.loads(renderer("sarif")(result, context()))
    (replicas, port, _appended) = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "schema-type"]
    assert replicas["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "rendered.yaml"
    related = replicas["relatedLocations"][0]["physicalLocation"]
    assert related["artifactLocation"]["uri"] == "web/templates/statefulset.yaml"
    assert related["region"] == {"startLine": 8, "startColumn": 13}
    assert port["properties"]["template"]["file"] == "web/charts/cache/templates/statefulset.yaml"


def test_stdin_findings_point_at_the_template(sts: Any) -> None:
    run = sts("validate", "-", "--format", "github", stdin=HELM_STREAM.encode())
    assert run.code == 1
    lines = [line for line in run.out.splitlines() if "title=schema-type" in line]
    assert lines[0].startswith("::error file=web/templates/statefulset.yaml,line=8,col=13,title=schema-type::")
    assert "rendered manifest <stdin>:33:13" in lines[0]
    assert lines[1].startswith("::error file=web/charts/cache/templates/statefulset.yaml,line=19,col=30,")
    # The document without a `# Source:` comment has no file to point at.
    assert lines[2].startswith("::error title=schema-type::")


def test_stdin_sarif_uses_the_template_as_location(sts: Any, workdir: Path) -> None:
    run = sts("validate", "-", "-f", "sarif=out.sarif", stdin=HELM_STREAM.encode())
    assert run.code == 1
    sarif = json.loads((workdir / "out.sarif").read_text())
    first = next(r for r in sarif["runs"][0]["results"] if r["ruleId"] == "schema-type")
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "web/templates/statefulset.yaml", "uriBaseId": "%SRCROOT%",
                                            "index": location["artifactLocation"]["index"]}
    assert location["region"] == {"startLine": 8, "startColumn": 13}
    stream = first["relatedLocations"][0]["physicalLocation"]
    assert stream["artifactLocation"]["uri"] == "stdin" and stream["region"]["startLine"] == 33
