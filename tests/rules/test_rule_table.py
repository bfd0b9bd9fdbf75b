# ruff: noqa: E501  (a table of manifests reads better one case per line)
"""Every rule: one manifest that triggers it (at the marked line:column) and a near miss that does not.

Each case edits a clean StatefulSet + headless Service (`BASE`) textually. `»` in the edited text
marks where the finding must point; the marker is removed before the manifest is checked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from sts_cli.findings import Severity
from sts_cli.rules.base import all_rules
from tests.rules.util import BASE, edit, marked, run, summary

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO  # noqa: E741

STS_NAME = "kind: StatefulSet\nmetadata:\n  name: web"
SVC_NAME = "kind: Service\nmetadata:\n  name: web"
SVC_SPEC = "  labels:\n    app: web\nspec:\n  clusterIP: None\n"
STS_SPEC = "    app: web\nspec:\n  serviceName: web\n"
SVC_SELECTOR = "  selector:\n    app: web\n  ports"
CONTAINER = "      - name: nginx\n        image: nginx:1.27"
PROBE = "        readinessProbe:\n          httpGet:\n            path: /\n            port: http\n"
CLAIM_NAME = "      name: data\n    spec:"
MOUNT = "        - name: data\n          mountPath: /data"
GRACE = "      terminationGracePeriodSeconds: 30"
STRATEGY = "    type: RollingUpdate\n    rollingUpdate:\n      partition: 0"
SECOND_STS = """---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: other
spec:
  serviceName: web
  podManagementPolicy: Parallel
  selector:
    matchLabels: {{app: {app}}}
  template:
    metadata:
      labels: {{app: {app}, role: b}}
    spec:
      containers:
      - {{name: app, image: busybox}}
"""
PDB = """---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web
spec:
  maxUnavailable: 1
  selector:
    matchLabels: {app: web}
"""


@dataclass(frozen=True)
class Case:
    rule: str
    severity: Severity
    trigger: list[tuple[str, str]]
    near: list[tuple[str, str]]
    version: str = "1.36"
    near_version: str | None = None
    append: str = ""
    near_append: str = ""
    enable: tuple[str, ...] = ()
    note: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.rule + (f"-{self.note}" if self.note else "")


CASES = [
    # --- StatefulSet API rules -------------------------------------------------------------------
    Case("sts-name-invalid", E, [(STS_NAME, STS_NAME.replace("web", "»web.v1"))],
         [(STS_NAME, STS_NAME.replace("web", "web-v1"))]),
    Case("sts-name-invalid", E, [(STS_NAME, STS_NAME.replace("web", "»Web"))],
         [(STS_NAME, STS_NAME.replace("web", "w3b"))], note="uppercase"),
    Case("selector-missing", E, [("  selector:\n    matchLabels:\n      app: web", "  »selector: {}")],
         [("  selector:\n    matchLabels:\n      app: web",
           "  selector:\n    matchExpressions:\n    - {key: app, operator: In, values: [web]}")]),
    Case("selector-invalid", E,
         [("    matchLabels:\n      app: web", "    matchExpressions:\n    - {key: app, operator: »Equals, values: [web]}")],
         [("    matchLabels:\n      app: web", "    matchExpressions:\n    - {key: app, operator: In, values: [web]}")]),
    Case("selector-invalid", E,
         [("    matchLabels:\n      app: web", "    matchExpressions:\n    - {key: app, operator: Exists, »values: [web]}")],
         [("    matchLabels:\n      app: web", "    matchExpressions:\n    - {key: app, operator: Exists}")],
         note="exists-with-values"),
    Case("selector-mismatch", E, [("    matchLabels:\n      app: web", "    matchLabels:\n      »app: nginx")],
         [("    metadata:\n      labels:\n        app: web", "    metadata:\n      labels:\n        app: web\n        tier: x")]),
    Case("pod-management-policy-invalid", E, [("  podManagementPolicy: OrderedReady", "  podManagementPolicy: »parallel")],
         [("  podManagementPolicy: OrderedReady", "  podManagementPolicy: Parallel")]),
    Case("update-strategy-invalid", E, [("    type: RollingUpdate", "    type: »rollingUpdate")],
         [(STRATEGY, "    type: OnDelete")]),
    Case("update-strategy-invalid", E, [(STRATEGY, "    type: OnDelete\n    »rollingUpdate:\n      partition: 0")],
         [(STRATEGY, "    type: OnDelete\n    rollingUpdate: null")], note="ondelete-with-rollingupdate"),
    Case("pvc-retention-policy-invalid", E,
         [("  replicas: 3\n", "  replicas: 3\n  persistentVolumeClaimRetentionPolicy:\n    whenDeleted: »delete\n")],
         [("  replicas: 3\n", "  replicas: 3\n  persistentVolumeClaimRetentionPolicy:\n    whenDeleted: Delete\n")]),
    Case("max-unavailable-invalid", E, [("      partition: 0", "      partition: 0\n      maxUnavailable: »0")],
         [("      partition: 0", "      partition: 0\n      maxUnavailable: 1")]),
    Case("max-unavailable-invalid", E, [("      partition: 0", "      partition: 0\n      maxUnavailable: »\"101%\"")],
         [("      partition: 0", "      partition: 0\n      maxUnavailable: \"100%\"")], note="percent"),
    Case("negative-value", E, [("  replicas: 3", "  replicas: »-1")], [("  replicas: 3", "  replicas: 0")]),
    Case("negative-value", E, [("  replicas: 3\n", "  replicas: 3\n  ordinals:\n    start: »-2\n")],
         [("  replicas: 3\n", "  replicas: 3\n  ordinals:\n    start: 2\n")], note="ordinals"),
    Case("negative-value", E, [("  replicas: 3\n", "  replicas: 3\n  minReadySeconds: »-1\n")],
         [("  replicas: 3\n", "  replicas: 3\n  minReadySeconds: 2147483647\n")], note="min-ready"),
    Case("restart-policy-invalid", E, [(GRACE, GRACE + "\n      restartPolicy: »OnFailure")],
         [(GRACE, GRACE + "\n      restartPolicy: Always")]),
    Case("active-deadline-forbidden", E, [(GRACE, GRACE + "\n      »activeDeadlineSeconds: 60")],
         [(GRACE, GRACE + "\n      activeDeadlineSeconds: null")]),
    Case("sts-service-name-invalid", E, [("  serviceName: web", "  serviceName: »web.default.svc.cluster.local")],
         [("  serviceName: web", "  serviceName: " + "w" * 63)]),
    Case("sts-service-name-invalid", E, [("  serviceName: web", "  serviceName: »Web")],
         [("  serviceName: web", "  serviceName: w-b")], version="1.32", note="before-1.33"),
    # --- pod template ------------------------------------------------------------------------------
    Case("containers-missing", E, [("      containers:\n", "      »containers: []\n      initContainers:\n")],
         [("      containers:\n", "      initContainers: []\n      containers:\n")]),
    Case("container-name-invalid", E, [(CONTAINER, CONTAINER.replace("name: nginx", "name: »Nginx_1"))],
         [(CONTAINER, CONTAINER.replace("name: nginx", "name: nginx-1"))]),
    Case("container-name-duplicate", E,
         [(CONTAINER, "      - name: »nginx\n        image: nginx:1.27"),
          ("      containers:\n", "      initContainers:\n      - name: nginx\n        image: busybox\n      containers:\n")],
         [("      containers:\n", "      initContainers:\n      - name: init\n        image: busybox\n      containers:\n")]),
    Case("container-image-missing", E, [("        image: nginx:1.27\n", "        »image: \"\"\n")],
         [("        image: nginx:1.27\n", "        image: nginx\n")]),
    Case("container-image-missing", E, [(CONTAINER, "      - »name: nginx")],
         [(CONTAINER, "      - name: nginx\n        image: \"nginx@sha256:" + "0" * 64 + "\"")], note="absent",
         version="1.33"),
    Case("container-port-invalid", E,
         [("        - name: http\n          containerPort: 80", "        - name: »http-port-for-nginx\n          containerPort: 80")],
         [("        - name: http\n          containerPort: 80", "        - name: http-nginx\n          containerPort: 80")]),
    Case("container-port-invalid", E, [("          containerPort: 80", "          containerPort: »0")],
         [("          containerPort: 80", "          containerPort: 65535")], note="range"),
    Case("volume-mount-unknown", E, [(MOUNT, MOUNT.replace("name: data", "name: »dta"))],
         [(MOUNT, MOUNT.replace("name: data", "name: config"))]),
    Case("volume-invalid", E,
         [("      - name: config\n        emptyDir: {}", "      - name: config\n        emptyDir: {}\n      - name: »config\n        emptyDir: {}")],
         [("      - name: config\n        emptyDir: {}", "      - name: config\n        emptyDir: {}\n      - name: config2\n        emptyDir: {}")]),
    Case("volume-invalid", E, [("      - name: config\n        emptyDir: {}", "      - »name: config")],
         [("      - name: config\n        emptyDir: {}", "      - name: config\n        configMap: {name: app}")],
         note="no-source"),
    Case("pod-template-invalid", E, [("        image: nginx:1.27\n", "        image: nginx:1.27\n        imagePullPolicy: »always\n")],
         [("        image: nginx:1.27\n", "        image: nginx:1.27\n        imagePullPolicy: Always\n")]),
    Case("pod-template-invalid", E,
         [("        image: nginx:1.27\n", "        image: nginx:1.27\n        resources:\n          requests:\n"
           "            memory: »512Mi\n          limits:\n            memory: 511Mi\n")],
         [("        image: nginx:1.27\n", "        image: nginx:1.27\n        resources:\n          requests:\n"
           "            memory: 512Mi\n          limits:\n            memory: 512Mi\n")], note="requests-above-limits"),
    Case("pod-template-invalid", E, [(PROBE, "        »readinessProbe:\n          periodSeconds: 5\n")],
         [(PROBE, "        readinessProbe:\n          periodSeconds: 5\n          tcpSocket: {port: 80}\n")],
         note="probe-without-handler"),
    Case("pod-template-invalid", E,
         [(GRACE, GRACE + "\n      affinity:\n        nodeAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n"
           "            nodeSelectorTerms:\n            - matchExpressions:\n              - key: test\n"
           "                operator: DoesNotExist\n                »values: [ok]")],
         [(GRACE, GRACE + "\n      affinity:\n        nodeAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n"
           "            nodeSelectorTerms:\n            - matchExpressions:\n              - key: test\n"
           "                operator: DoesNotExist")], note="node-affinity"),
    # --- claim templates ---------------------------------------------------------------------------
    Case("claim-access-modes-invalid", E, [("      accessModes: [ReadWriteOnce]", "      accessModes: [»ReadWriteOnly]")],
         [("      accessModes: [ReadWriteOnce]", "      accessModes: [ReadWriteOncePod]")]),
    Case("claim-access-modes-invalid", E, [("    spec:\n      accessModes: [ReadWriteOnce]\n", "    »spec:\n")],
         [("      accessModes: [ReadWriteOnce]", "      accessModes: [ReadOnlyMany, ReadWriteMany]")], note="missing"),
    Case("claim-storage-invalid", E, [("          storage: 1Gi", "          storage: »10gb")],
         [("          storage: 1Gi", "          storage: 10G")]),
    Case("claim-storage-invalid", E, [("          storage: 1Gi", "          storage: »0")],
         [("          storage: 1Gi", "          storage: 1")], note="zero"),
    Case("claim-storage-class-invalid", E,
         [("      accessModes: [ReadWriteOnce]", "      accessModes: [ReadWriteOnce]\n      storageClassName: »Fast_SSD")],
         [("      accessModes: [ReadWriteOnce]", "      accessModes: [ReadWriteOnce]\n      storageClassName: fast-ssd")]),
    Case("claim-template-invalid", E,
         [("      accessModes: [ReadWriteOnce]", "      accessModes: [ReadWriteOnce]\n      volumeMode: »block")],
         [("      accessModes: [ReadWriteOnce]", "      accessModes: [ReadWriteOnce]\n      volumeMode: Block")]),
    # --- metadata ----------------------------------------------------------------------------------
    Case("label-invalid", E, [(STS_NAME + "\n  labels:\n    app: web", STS_NAME + "\n  labels:\n    app: »web server")],
         [(STS_NAME + "\n  labels:\n    app: web", STS_NAME + "\n  labels:\n    app: web-server")]),
    Case("annotation-invalid", E, [(STS_NAME + "\n", STS_NAME + "\n  annotations:\n    »note for ops: hi\n")],
         [(STS_NAME + "\n", STS_NAME + "\n  annotations:\n    example.com/Note-For-Ops: hi\n")]),
    Case("namespace-invalid", E, [(STS_NAME + "\n", STS_NAME + "\n  namespace: »Data_Team\n")],
         [(STS_NAME + "\n", STS_NAME + "\n  namespace: data-team\n")]),
    # --- Service API rules -------------------------------------------------------------------------
    Case("service-name-invalid", E, [(SVC_NAME, SVC_NAME.replace("web", "»1web"))],
         [(SVC_NAME, SVC_NAME.replace("web", "1web"))], version="1.35", near_version="1.36"),
    Case("service-type-invalid", E, [("  clusterIP: None\n", "  type: »Headless\n  clusterIP: None\n")],
         [("  clusterIP: None\n", "  type: ClusterIP\n  clusterIP: None\n")]),
    Case("service-cluster-ip-invalid", E, [("  clusterIP: None\n", "  type: NodePort\n  clusterIP: »None\n")],
         [("  clusterIP: None\n", "  type: ClusterIP\n  clusterIP: None\n")]),
    Case("service-cluster-ip-invalid", E, [("  clusterIP: None\n", "  clusterIP: None\n  clusterIPs: [»10.0.0.1]\n")],
         [("  clusterIP: None\n", "  clusterIP: None\n  clusterIPs: [None]\n")], note="clusterips"),
    Case("service-ports-missing", E,
         [(SVC_SPEC, "  labels:\n    app: web\n»spec:\n"),
          ("  ports:\n  - name: http\n    port: 80\n    targetPort: http\n", "")],
         [("  ports:\n  - name: http\n    port: 80\n    targetPort: http\n", "")]),
    Case("service-port-name-invalid", E, [("    targetPort: http\n", "    targetPort: http\n  - »port: 443\n")],
         [("    targetPort: http\n", "    targetPort: http\n  - port: 443\n    name: https\n")]),
    Case("service-port-name-invalid", E, [("  - name: http\n    port: 80", "  - name: »HTTP\n    port: 80")],
         [("  - name: http\n    port: 80", "  - name: " + "h" * 63 + "\n    port: 80")], note="syntax"),
    Case("service-port-invalid", E, [("    port: 80\n", "    port: 80\n    protocol: »tcp\n")],
         [("    port: 80\n", "    port: 80\n    protocol: TCP\n")]),
    Case("service-port-invalid", E, [("    targetPort: http\n", "    targetPort: http\n  - name: https\n    port: »80\n")],
         [("    targetPort: http\n", "    targetPort: http\n  - name: https\n    port: 80\n    protocol: UDP\n")],
         note="duplicate"),
    Case("service-port-invalid", E, [("    targetPort: http\n", "    targetPort: http\n    nodePort: »30080\n")],
         [("  clusterIP: None\n", "  type: NodePort\n"), ("    targetPort: http\n", "    targetPort: http\n    nodePort: 30080\n")],
         note="nodeport-on-clusterip"),
    Case("service-selector-invalid", E, [("  selector:\n    app: web\n", "  selector:\n    app: web\n    »bad key: x\n")],
         [("  selector:\n    app: web\n", "  selector:\n    app: web\n    example.com/bad-key: x\n")]),
    Case("service-spec-invalid", E,
         [("  publishNotReadyAddresses: true\n", "  publishNotReadyAddresses: true\n  sessionAffinity: »Sticky\n")],
         [("  publishNotReadyAddresses: true\n", "  publishNotReadyAddresses: true\n  sessionAffinity: ClientIP\n")]),
    Case("service-spec-invalid", E,
         [("  publishNotReadyAddresses: true\n", "  publishNotReadyAddresses: true\n  externalTrafficPolicy: »Local\n")],
         [("  publishNotReadyAddresses: true\n", "  publishNotReadyAddresses: true\n  internalTrafficPolicy: Local\n")],
         note="external-traffic-policy"),
    # --- runtime -----------------------------------------------------------------------------------
    Case("sts-name-too-long", E, [(STS_NAME, STS_NAME.replace("web", "»" + "w" * 53))],
         [(STS_NAME, STS_NAME.replace("web", "w" * 52))]),
    Case("pod-name-too-long", E, [(STS_NAME, STS_NAME.replace("web", "»" + "w" * 60)), ("  replicas: 3", "  replicas: 1000")],
         [(STS_NAME, STS_NAME.replace("web", "w" * 60)), ("  replicas: 3", "  replicas: 100")]),
    Case("service-missing", E, [("  serviceName: web", "  serviceName: »webb")],
         [(SVC_NAME, SVC_NAME.replace("web", "nginx")), ("  serviceName: web", "  serviceName: nginx")]),
    Case("service-not-headless", E, [(SVC_SPEC, "  labels:\n    app: web\n»spec:\n")],
         [("  clusterIP: None\n", "  clusterIP: \"None\"\n")]),
    Case("service-not-headless", E, [("  clusterIP: None\n", "  clusterIP: »10.96.0.10\n")],
         [("  clusterIP: None\n", "  clusterIP: None\n  clusterIPs: [None]\n")], note="cluster-ip"),
    Case("service-not-headless", E, [("  clusterIP: None\n", "  type: »ExternalName\n  externalName: db.example.com\n")],
         [("  clusterIP: None\n", "  type: ClusterIP\n  clusterIP: None\n")], note="external-name"),
    Case("service-selector-missing", E, [(SVC_SPEC, "  labels:\n    app: web\n»spec:\n  clusterIP: None\n"),
                                         (SVC_SELECTOR, "  ports")],
         [(SVC_SELECTOR, "  selector: {app: web}\n  ports")]),
    Case("service-selector-mismatch", E, [(SVC_SELECTOR, "  selector:\n    »app: nginx\n  ports")],
         [(SVC_SELECTOR, "  selector:\n    app: web\n    statefulset.kubernetes.io/pod-name: web-2\n  ports")]),
    Case("selector-overlap", E, [], [], append=SECOND_STS.format(app="web").replace("  selector:\n", "  »selector:\n"),
         near_append=SECOND_STS.format(app="other")),
    Case("duplicate-object", E, [], [],
         append="---\napiVersion: v1\nkind: Service\nmetadata:\n  name: »web\nspec:\n  clusterIP: None\n",
         near_append="---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web2\nspec:\n  clusterIP: None\n"),
    # --- advice ------------------------------------------------------------------------------------
    Case("claim-not-mounted", W, [(MOUNT, MOUNT.replace("name: data", "name: config")), (CLAIM_NAME, "      name: »data\n    spec:")],
         [(MOUNT, MOUNT.replace("        - name: data", "        - name: config\n          mountPath: /config\n        - name: data"))]),
    Case("claim-shadows-volume", W, [("      - name: config\n        emptyDir: {}", "      - name: »data\n        emptyDir: {}")],
         [("      - name: config\n        emptyDir: {}", "      - name: data-cache\n        emptyDir: {}")]),
    Case("claim-duplicate", W,
         [("          storage: 1Gi\n", "          storage: 1Gi\n  - metadata:\n      name: »data\n    spec:\n"
           "      accessModes: [ReadWriteOnce]\n      resources: {requests: {storage: 1Gi}}\n")],
         [("          storage: 1Gi\n", "          storage: 1Gi\n  - metadata:\n      name: wal\n    spec:\n"
           "      accessModes: [ReadWriteOnce]\n      resources: {requests: {storage: 1Gi}}\n")]),
    Case("service-port-unnamed", W, [("  - name: http\n    port: 80", "  - »port: 80")],
         [("  - name: http\n    port: 80", "  - name: h\n    port: 80")]),
    Case("service-target-port-unknown", W, [("    targetPort: http", "    targetPort: »web")],
         [("    targetPort: http", "    targetPort: 8080")]),
    Case("publish-not-ready", I, [(SVC_SPEC, "  labels:\n    app: web\n»spec:\n  clusterIP: None\n"),
                                  ("  publishNotReadyAddresses: true\n", "")],
         [("  publishNotReadyAddresses: true\n", ""), ("  replicas: 3", "  replicas: 1")]),
    Case("partition-exceeds-replicas", W, [("      partition: 0", "      partition: »3")],
         [("      partition: 0", "      partition: 2")]),
    Case("readiness-probe-missing", I, [(PROBE, ""), ("  podManagementPolicy: OrderedReady", "  podManagementPolicy: »OrderedReady")],
         [(PROBE, ""), ("  podManagementPolicy: OrderedReady", "  podManagementPolicy: Parallel")]),
    Case("termination-grace-zero", W, [(GRACE, "      terminationGracePeriodSeconds: »0")],
         [(GRACE, "      terminationGracePeriodSeconds: 1")]),
    Case("revision-history-negative", W, [("  replicas: 3\n", "  replicas: 3\n  revisionHistoryLimit: »-1\n")],
         [("  replicas: 3\n", "  replicas: 3\n  revisionHistoryLimit: 0\n")]),
    Case("service-name-empty", I, [(STS_SPEC, "    app: web\n»spec:\n")],
         [("  serviceName: web\n", "  serviceName: web # governing Service\n")]),
    Case("max-unavailable-gated", I, [("      partition: 0", "      partition: 0\n      maxUnavailable: »2")],
         [("      partition: 0", "      partition: 0\n      maxUnavailable: 2")], near_version="1.37"),
    Case("pdb-missing", W, [("  replicas: 3", "  replicas: »3")], [], enable=("pdb-missing",), near_append=PDB),
    Case("pdb-missing", W, [], [], enable=("pdb-missing",), append=PDB.replace("maxUnavailable: 1", "maxUnavailable: »0"),
         near_append=PDB.replace("maxUnavailable: 1", "minAvailable: 2"), note="no-disruption"),
    Case("pod-spread-missing", W, [("    spec:\n      terminationGrace", "    »spec:\n      terminationGrace")],
         [(GRACE, GRACE + "\n      topologySpreadConstraints:\n      - maxSkew: 1\n        topologyKey: kubernetes.io/hostname\n"
           "        whenUnsatisfiable: ScheduleAnyway\n        labelSelector: {matchLabels: {app: web}}")],
         enable=("pod-spread-missing",)),
    # --- suppressions ------------------------------------------------------------------------------
    Case("suppression-without-reason", E,
         [(STS_NAME + "\n", STS_NAME + "\n  annotations:\n    »ignore-check.sts.io/readiness-probe-missing: \"\"\n")],
         [(STS_NAME + "\n", STS_NAME + "\n  annotations:\n    ignore-check.sts.io/readiness-probe-missing: \"probes live in the mesh\"\n")]),
    Case("suppression-unknown-rule", W,
         [(STS_NAME + "\n", STS_NAME + "\n  annotations:\n    »ignore-check.sts.io/readiness-probe-mising: \"x\"\n")],
         [(STS_NAME + "\n", STS_NAME + "\n  annotations:\n    ignore-check.sts.io/readiness-probe-missing: \"x\"\n")]),
]


def _manifest(case: Case, which: str) -> tuple[str, tuple[int, int] | None]:
    replacements = case.trigger if which == "trigger" else case.near
    text = edit(BASE, replacements) + (case.append if which == "trigger" else case.near_append)
    return marked(text)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_trigger(case: Case, tmp_path: Path) -> None:
    text, where = _manifest(case, "trigger")
    assert where is not None, "every trigger marks the expected position"
    findings = run(tmp_path, {"m.yaml": text}, version=case.version, enable=case.enable)
    hits = [f for f in findings if f.rule == case.rule]
    assert hits, f"{case.rule} not reported; got {summary(findings)}"
    positions = {(f.location.line, f.location.column) for f in hits}
    assert where in positions, f"{case.rule} at {sorted(positions)}, expected {where}: {summary(hits)}"
    assert all(f.severity is case.severity for f in hits)
    assert all(f.location.file.endswith("m.yaml") for f in hits)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_near_miss(case: Case, tmp_path: Path) -> None:
    text, _ = _manifest(case, "near")
    findings = run(tmp_path, {"m.yaml": text}, version=case.near_version or case.version, enable=case.enable)
    assert not [f for f in findings if f.rule == case.rule], summary(findings)


def test_every_catalog_rule_has_a_case() -> None:
    covered = {case.rule for case in CASES}
    own = {r.id for r in all_rules() if r.category in ("api", "runtime", "advice")}
    own |= {"suppression-without-reason", "suppression-unknown-rule"}
    assert own - covered == set()


def test_base_manifest_is_clean(tmp_path: Path) -> None:
    assert summary(run(tmp_path, {"m.yaml": BASE})) == []
