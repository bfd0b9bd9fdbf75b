"""The render model against hand-checked controller and DNS behaviour (fact sheet 6 and 7)."""

from __future__ import annotations

from typing import Any

import pytest

from sts_cli.render.plan import RUNTIME
from tests.render.helpers import one, render_text

SERVICE = """
apiVersion: v1
kind: Service
metadata:
  name: nginx
spec:
  clusterIP: None
  selector:
    app: nginx
  ports:
  - name: web
    port: 80
---
"""

TWO_CLAIMS = """
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
  namespace: shop
spec:
  serviceName: nginx
  replicas: 2
  ordinals:
    start: 4
  selector:
    matchLabels:
      app: nginx
      tier: db
  template:
    metadata:
      labels:
        app: nginx
        tier: db
        statefulset.kubernetes.io/pod-name: overwritten
      annotations:
        team: storage
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        volumeMounts:
        - {name: data, mountPath: /data}
        - {name: logs, mountPath: /logs}
        - {name: config, mountPath: /etc/config}
      volumes:
      - name: config
        configMap:
          name: web-config
      - name: data
        emptyDir: {}
  volumeClaimTemplates:
  - metadata:
      name: data
      labels:
        tier: cache
        backup: daily
      annotations:
        snapshot: "yes"
    spec:
      accessModes: [ReadWriteOnce]
      storageClassName: fast
      resources:
        requests:
          storage: 10Gi
  - metadata:
      name: logs
    spec:
      accessModes: [ReadWriteMany, ReadOnlyMany]
      volumeMode: Block
      resources:
        requests:
          storage: 1Gi
"""


def test_pod_identity_with_ordinals_start() -> None:
    plan = one(TWO_CLAIMS)
    assert [p.name for p in plan.pods] == ["web-4", "web-5"]
    pod = plan.pods[1]
    assert (pod.hostname, pod.subdomain, pod.namespace) == ("web-5", "nginx", "shop")
    assert pod.fqdn == "web-5.nginx.shop.svc.cluster.local"
    assert pod.labels == {"app": "nginx", "tier": "db", "statefulset.kubernetes.io/pod-name": "web-5",
                          "apps.kubernetes.io/pod-index": "5", "controller-revision-hash": RUNTIME}
    assert pod.annotations == {"team": "storage"}


def test_pod_manifest_metadata() -> None:
    meta = one(TWO_CLAIMS).pods[0].manifest["metadata"]
    assert meta["name"] == "web-4"
    assert meta["generateName"] == "web-"
    assert meta["namespace"] == "shop"
    assert meta["labels"] == {"app": "nginx", "apps.kubernetes.io/pod-index": "4",
                              "statefulset.kubernetes.io/pod-name": "web-4", "tier": "db"}
    assert "controller-revision-hash" not in meta["labels"]  # never invented in objects
    assert meta["annotations"] == {"team": "storage"}
    assert meta["ownerReferences"] == [{"apiVersion": "apps/v1", "kind": "StatefulSet", "name": "web",
                                        "uid": "<uid:StatefulSet/web>", "controller": True,
                                        "blockOwnerDeletion": True}]


def test_claim_volumes_first_and_claim_replaces_template_volume() -> None:
    spec = one(TWO_CLAIMS).pods[0].manifest["spec"]
    assert spec["volumes"] == [
        {"name": "data", "persistentVolumeClaim": {"claimName": "data-web-4"}},
        {"name": "logs", "persistentVolumeClaim": {"claimName": "logs-web-4"}},
        {"name": "config", "configMap": {"name": "web-config"}},
    ]
    assert spec["hostname"] == "web-4" and spec["subdomain"] == "nginx"
    assert [(v.name, v.claim) for v in one(TWO_CLAIMS).pods[1].claim_volumes] == [
        ("data", "data-web-5"), ("logs", "logs-web-5")]
    assert any("replaced by the claim template" in n for n in one(TWO_CLAIMS).notes)


def test_two_claim_templates_give_pvcs_per_ordinal() -> None:
    plan = one(TWO_CLAIMS)
    assert [c.name for c in plan.claims] == ["data-web-4", "logs-web-4", "data-web-5", "logs-web-5"]
    data, logs = plan.claims[0], plan.claims[1]
    assert (data.storage, data.access_modes, data.storage_class, data.volume_mode) == (
        "10Gi", ("ReadWriteOnce",), "fast", "Filesystem")
    assert (logs.storage, logs.access_modes, logs.storage_class, logs.volume_mode) == (
        "1Gi", ("ReadWriteMany", "ReadOnlyMany"), None, "Block")


def test_claim_labels_are_overwritten_by_match_labels() -> None:
    plan = one(TWO_CLAIMS)
    assert plan.claims[0].labels == {"tier": "db", "backup": "daily", "app": "nginx"}
    # a template without labels gets exactly matchLabels
    assert plan.claims[1].labels == {"app": "nginx", "tier": "db"}


def test_claim_manifest() -> None:
    manifest = one(TWO_CLAIMS).claims[0].manifest
    assert manifest["apiVersion"] == "v1" and manifest["kind"] == "PersistentVolumeClaim"
    assert manifest["metadata"] == {"name": "data-web-4", "namespace": "shop",
                                    "labels": {"app": "nginx", "backup": "daily", "tier": "db"},
                                    "annotations": {"snapshot": "yes"}}
    assert manifest["spec"] == {"accessModes": ["ReadWriteOnce"], "storageClassName": "fast",
                                "resources": {"requests": {"storage": "10Gi"}}, "volumeMode": "Filesystem"}


def _policy(when_deleted: str, when_scaled: str) -> str:
    return SERVICE + f"""
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: nginx
  replicas: 2
  persistentVolumeClaimRetentionPolicy:
    whenDeleted: {when_deleted}
    whenScaled: {when_scaled}
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
  volumeClaimTemplates:
  - metadata:
      name: www
    spec:
      accessModes: [ReadWriteOnce]
      resources:
        requests:
          storage: 1Gi
"""


SET_REF = {"apiVersion": "apps/v1", "kind": "StatefulSet", "name": "web", "uid": "<uid:StatefulSet/web>",
           "controller": True, "blockOwnerDeletion": True}


@pytest.mark.parametrize(("deleted", "scaled", "refs"), [
    ("Retain", "Retain", None),
    ("Delete", "Retain", [SET_REF]),
    ("Retain", "Delete", None),
    ("Delete", "Delete", [SET_REF]),
])
def test_pvc_owner_references_in_range(deleted: str, scaled: str, refs: list[dict[str, Any]] | None) -> None:
    plan = one(_policy(deleted, scaled))
    for claim in plan.claims:
        assert claim.manifest["metadata"].get("ownerReferences") == refs


@pytest.mark.parametrize(("deleted", "scaled", "retained", "deleted_claims", "refs"), [
    ("Retain", "Retain", ["www-web-1"], [], None),
    ("Delete", "Retain", ["www-web-1"], [], [SET_REF]),
    ("Retain", "Delete", [], ["www-web-1"], None),
    ("Delete", "Delete", [], ["www-web-1"], None),
])
def test_scale_preview_claims(deleted: str, scaled: str, retained: list[str], deleted_claims: list[str],
                              refs: list[dict[str, Any]] | None) -> None:
    plan = one(_policy(deleted, scaled), replicas=1)
    assert plan.scale is not None
    assert plan.scale.pods_removed == ["web-1"]
    assert plan.scale.claims_retained == retained
    assert plan.scale.claims_deleted == deleted_claims
    assert [c.name for c in plan.pods] == ["web-0"]
    assert [c.name for c in plan.retained_claims] == retained
    for claim in plan.retained_claims:
        assert claim.retained
        assert claim.manifest["metadata"].get("ownerReferences") == refs


def test_scale_preview_up() -> None:
    plan = one(_policy("Retain", "Retain"), replicas=4)
    assert plan.scale is not None
    assert plan.scale.pods_added == ["web-2", "web-3"]
    assert plan.scale.claims_added == ["www-web-2", "www-web-3"]
    assert [p.name for p in plan.pods] == ["web-0", "web-1", "web-2", "web-3"]
    assert plan.manifest_replicas == 2 and plan.replicas == 4
    assert [r.target for r in plan.records if r.type == "SRV"] == [
        f"web-{i}.nginx.default.svc.cluster.local" for i in range(4)]


WEB = SERVICE + """
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: nginx
  replicas: 3
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports:
        - {name: web, containerPort: 80}
"""


def test_headless_service_records() -> None:
    plan = one(WEB)
    assert plan.service.per_pod_records
    triples = [(r.name, r.type, r.value) for r in plan.records]
    svc = "nginx.default.svc.cluster.local"
    assert triples == [
        (svc, "A", "<ipv4:web-0>"), (svc, "A", "<ipv4:web-1>"), (svc, "A", "<ipv4:web-2>"),
        (f"web-0.{svc}", "A", "<ipv4:web-0>"), (f"web-1.{svc}", "A", "<ipv4:web-1>"),
        (f"web-2.{svc}", "A", "<ipv4:web-2>"),
        (f"_web._tcp.{svc}", "SRV", f"0 33 80 web-0.{svc}"), (f"_web._tcp.{svc}", "SRV", f"0 33 80 web-1.{svc}"),
        (f"_web._tcp.{svc}", "SRV", f"0 33 80 web-2.{svc}"),
        ("<ipv4-reversed:web-0>.in-addr.arpa", "PTR", f"web-0.{svc}"),
        ("<ipv4-reversed:web-1>.in-addr.arpa", "PTR", f"web-1.{svc}"),
        ("<ipv4-reversed:web-2>.in-addr.arpa", "PTR", f"web-2.{svc}"),
    ]
    assert all(r.when.startswith("while web-") and r.when.endswith("is Ready") for r in plan.records)
    assert any("publishNotReadyAddresses is false" in n for n in plan.dns_notes)


def test_publish_not_ready_addresses_changes_when_records_exist() -> None:
    plan = one(WEB.replace("clusterIP: None", "clusterIP: None\n  publishNotReadyAddresses: true"))
    assert plan.service.publish_not_ready
    assert plan.records[0].when == "once web-0 has an IP, ready or not"
    assert any("publishNotReadyAddresses: true" in n for n in plan.dns_notes)


def test_cluster_domain_and_namespace_options() -> None:
    plan = one(WEB, namespace="prod", cluster_domain="corp.example")
    assert plan.pods[0].fqdn == "web-0.nginx.prod.svc.corp.example"
    assert plan.records[0].name == "nginx.prod.svc.corp.example"


SEVERAL_PORTS = """
apiVersion: v1
kind: Service
metadata:
  name: db
  namespace: data
spec:
  clusterIP: None
  selector:
    app: db
  ports:
  - name: client
    port: 5432
    targetPort: pg
  - name: gossip
    port: 7946
    protocol: UDP
  - port: 9000
  - name: Metrics
    port: 9187
    targetPort: 9188
  - name: missing
    port: 1234
    targetPort: nope
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
  namespace: data
spec:
  serviceName: db
  replicas: 2
  selector:
    matchLabels:
      app: db
  template:
    metadata:
      labels:
        app: db
    spec:
      containers:
      - name: pg
        image: postgres:16
        ports:
        - {name: pg, containerPort: 5433}
"""


def test_srv_records_for_named_ports_only() -> None:
    plan = one(SEVERAL_PORTS)
    srv = [(r.name, r.port, r.target) for r in plan.records if r.type == "SRV"]
    svc = "db.data.svc.cluster.local"
    assert srv == [
        (f"_client._tcp.{svc}", 5433, f"db-0.{svc}"), (f"_client._tcp.{svc}", 5433, f"db-1.{svc}"),
        (f"_gossip._udp.{svc}", 7946, f"db-0.{svc}"), (f"_gossip._udp.{svc}", 7946, f"db-1.{svc}"),
        (f"_metrics._tcp.{svc}", 9188, f"db-0.{svc}"), (f"_metrics._tcp.{svc}", 9188, f"db-1.{svc}"),
    ]
    assert {r.weight for r in plan.records if r.type == "SRV"} == {50}
    assert any("unnamed port(s) 9000" in n for n in plan.dns_notes)
    assert any("'missing'" in n and "no SRV" in n for n in plan.dns_notes)


def test_dual_stack_records() -> None:
    plan = one(WEB.replace("clusterIP: None", "clusterIP: None\n  ipFamilies: [IPv6, IPv4]"))
    pod0 = [(r.type, r.value) for r in plan.records if r.name == "web-0.nginx.default.svc.cluster.local"]
    assert pod0 == [("AAAA", "<ipv6:web-0>"), ("A", "<ipv4:web-0>")]
    ptr = [r.name for r in plan.records if r.type == "PTR" and r.pod == "web-0"]
    assert ptr == ["<ipv6-reversed:web-0>.ip6.arpa", "<ipv4-reversed:web-0>.in-addr.arpa"]


@pytest.mark.parametrize(("text", "kind", "reason"), [
    (WEB.replace("name: nginx\nspec:", "name: other\nspec:"), "missing", "is not in the input"),
    (WEB.replace("name: nginx\nspec:", "name: nginx\n  namespace: elsewhere\nspec:"), "other-namespace",
     "is in namespace elsewhere"),
    (WEB.replace("clusterIP: None", "clusterIP: 10.0.0.10"), "cluster-ip", "is not headless"),
    (WEB.replace("clusterIP: None", "type: ExternalName\n  externalName: db.example.com"), "external-name",
     "ExternalName"),
    (WEB.replace("  selector:\n    app: nginx\n  ports", "  ports"), "headless", "has no selector"),
    (WEB.replace("  selector:\n    app: nginx\n  ports", "  selector:\n    app: other\n  ports"), "headless",
     "do not match"),
    (WEB.replace("  serviceName: nginx\n", ""), "none", "serviceName is empty"),
])
def test_no_per_pod_records_and_why(text: str, kind: str, reason: str) -> None:
    plan = one(text)
    assert plan.service.kind == kind
    assert not plan.service.per_pod_records
    assert reason in plan.service.reason
    assert plan.dns_notes[0] == plan.service.reason
    assert not [r for r in plan.records if r.pod is not None]
    assert [p.name for p in plan.pods] == ["web-0", "web-1", "web-2"]  # pods still rendered


def test_non_headless_service_gets_only_service_records() -> None:
    plan = one(WEB.replace("clusterIP: None", "clusterIP: 10.0.0.10"))
    assert [(r.name, r.type, r.value) for r in plan.records] == [
        ("nginx.default.svc.cluster.local", "A", "10.0.0.10"),
        ("_web._tcp.nginx.default.svc.cluster.local", "SRV", "0 100 80 nginx.default.svc.cluster.local"),
    ]


def test_external_name_service_is_a_cname() -> None:
    plan = one(WEB.replace("clusterIP: None", "type: ExternalName\n  externalName: db.example.com"))
    assert [(r.type, r.value) for r in plan.records] == [("CNAME", "db.example.com")]


def test_no_service_name_means_no_fqdn() -> None:
    plan = one(WEB.replace("  serviceName: nginx\n", ""))
    assert plan.pods[0].fqdn is None
    assert plan.pods[0].subdomain == ""
    assert "subdomain" not in plan.pods[0].manifest["spec"]


def test_zero_replicas() -> None:
    plan = one(WEB.replace("replicas: 3", "replicas: 0"))
    assert plan.pods == [] and plan.claims == [] and plan.records == []
    assert plan.creation == [] and plan.scale_down == [] and plan.update.waves == []
    assert any("replicas is 0" in n for n in plan.notes)


def test_partition_from_ordinals_start_in_plan() -> None:
    text = WEB.replace("replicas: 3", "replicas: 4\n  ordinals:\n    start: 10\n  updateStrategy:\n"
                                      "    rollingUpdate:\n      partition: 1")
    plan = one(text)
    assert plan.creation == [["web-10"], ["web-11"], ["web-12"], ["web-13"]]
    assert plan.scale_down == [["web-13"], ["web-12"], ["web-11"], ["web-10"]]
    assert plan.update.updated == ["web-13", "web-12", "web-11"]
    assert plan.update.kept == ["web-10"]


def test_parallel_and_on_delete_in_plan() -> None:
    text = WEB.replace("replicas: 3", "replicas: 3\n  podManagementPolicy: Parallel\n  updateStrategy:\n"
                                      "    type: OnDelete")
    plan = one(text)
    assert plan.creation == [["web-0", "web-1", "web-2"]]
    assert plan.scale_down == [["web-2", "web-1", "web-0"]]
    assert plan.update.on_delete and plan.update.waves == [] and plan.update.kept == ["web-0", "web-1", "web-2"]


def test_max_unavailable_follows_version() -> None:
    text = WEB.replace("replicas: 3", "replicas: 4\n  podManagementPolicy: Parallel\n  updateStrategy:\n"
                                      "    rollingUpdate:\n      maxUnavailable: 50%")
    assert one(text, version="1.37").update.waves == [["web-3", "web-2"], ["web-1", "web-0"]]
    assert one(text, version="1.35.2").update.waves == [["web-3", "web-2"], ["web-1", "web-0"]]
    assert one(text, version="1.36").update.waves == [["web-3"], ["web-2"], ["web-1"], ["web-0"]]


BROKEN = """
apiVersion: apps/v1
kind: StatefulSet
metadata:
  labels: {app: x}
spec:
  selector:
    matchLabels: {app: x}
  template:
    metadata:
      labels: {app: x}
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: mismatch
spec:
  selector:
    matchLabels: {app: x}
  template:
    metadata:
      labels: {app: y}
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: noselector
spec:
  template:
    metadata:
      labels: {app: y}
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: good
spec:
  selector:
    matchLabels: {app: x}
  template:
    metadata:
      labels: {app: x}
"""


def test_broken_objects_are_reported_and_the_rest_rendered() -> None:
    result = render_text(BROKEN)
    assert [s.name for s in result.sets] == ["good"]
    got = [(p.rule, p.location.file, p.location.line) for p in result.problems]
    assert got == [("render-no-name", "test.yaml", 4), ("render-selector-mismatch", "test.yaml", 18),
                   ("render-no-selector", "test.yaml", 28)]
    assert "no metadata.name" in result.problems[0].message


def test_duplicate_claim_template_names_last_wins() -> None:
    text = WEB + """  volumeClaimTemplates:
  - metadata: {name: data}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
  - metadata: {name: data}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 2Gi}}}
"""
    plan = one(text)
    assert [c.name for c in plan.claims] == ["data-web-0", "data-web-1", "data-web-2"]
    assert plan.claims[0].storage == "2Gi"
    assert any("more than once" in n for n in plan.notes)


def test_select_by_name_and_namespace() -> None:
    text = SEVERAL_PORTS + "---\n" + WEB
    assert [s.name for s in render_text(text, select="web").sets] == ["web"]
    assert [s.name for s in render_text(text, select="data/db").sets] == ["db"]
    from sts_cli.render import SelectError

    with pytest.raises(SelectError, match="found: data/db, default/web"):
        render_text(text, select="nope")


def test_quoted_replicas_is_a_problem_not_a_silent_default() -> None:
    result = render_text(WEB.replace("replicas: 3", 'replicas: "3"'))
    assert result.sets == []
    assert [p.rule for p in result.problems] == ["render-bad-number"]
    assert "spec.replicas is '3'" in result.problems[0].message


def test_claim_template_without_name_is_a_problem() -> None:
    text = WEB + """  volumeClaimTemplates:
  - spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
"""
    result = render_text(text)
    assert result.sets == []
    assert [(p.rule, p.path) for p in result.problems] == [("render-claim-no-name", "spec.volumeClaimTemplates[0]")]
