"""Deterministic corpus of realistic StatefulSet and Service manifests for benchmarks.

    python benchmarks/corpus.py OUT_DIR --documents 2000 [--seed 1] [--broken 0.05]

Each application is a headless Service, often a client Service, and a StatefulSet modelled
on what real charts ship (databases, queues, caches: probes, resources, affinity, sidecars,
claim templates). They are written in several layouts, mixed in one tree:

  * `files/`    one document per file;
  * `pairs/`    one file per application, Service(s) and StatefulSet separated by `---`;
  * `split/`    one folder per application, `service.yaml` and `statefulset.yaml`;
  * `bundles/`  large multi-document streams (a few hundred documents each), as `helm template`
                or `kustomize build` output would be.

About `--broken` of the documents carry one schema error that every strict validator reports
(an unknown field, a string where an integer belongs, a missing required field, a bad enum).
The same seed and size always give byte-identical files.
"""

from __future__ import annotations

import argparse
import json
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

APPS = {
    # name: (image, port name, port, extra ports, data path, storage)
    "postgres": ("docker.io/library/postgres:16.4", "postgres", 5432, [("metrics", 9187)],
                 "/var/lib/postgresql/data", "20Gi"),
    "mysql": ("docker.io/library/mysql:8.4.2", "mysql", 3306, [("metrics", 9104)], "/var/lib/mysql", "50Gi"),
    "redis": ("docker.io/library/redis:7.4.0", "redis", 6379, [("metrics", 9121)], "/data", "8Gi"),
    "kafka": ("docker.io/bitnami/kafka:3.8.0", "broker", 9092, [("controller", 9093), ("metrics", 9308)],
              "/bitnami/kafka", "100Gi"),
    "zookeeper": ("docker.io/bitnami/zookeeper:3.9.2", "client", 2181, [("follower", 2888), ("election", 3888)],
                  "/bitnami/zookeeper", "8Gi"),
    "elasticsearch": ("docker.elastic.co/elasticsearch/elasticsearch:8.15.0", "http", 9200,
                      [("transport", 9300)], "/usr/share/elasticsearch/data", "200Gi"),
    "mongodb": ("docker.io/library/mongo:7.0.14", "mongodb", 27017, [("metrics", 9216)], "/data/db", "40Gi"),
    "rabbitmq": ("docker.io/library/rabbitmq:3.13-management", "amqp", 5672,
                 [("management", 15672), ("epmd", 4369), ("dist", 25672)], "/var/lib/rabbitmq", "10Gi"),
    "etcd": ("quay.io/coreos/etcd:v3.5.15", "client", 2379, [("peer", 2380)], "/var/run/etcd", "10Gi"),
    "cassandra": ("docker.io/library/cassandra:5.0.0", "cql", 9042, [("intra-node", 7000), ("jmx", 7199)],
                  "/var/lib/cassandra", "100Gi"),
}
TEAMS = ["payments", "search", "identity", "billing", "analytics", "platform", "orders", "catalog", "media", "ml"]
ENVS = ["prod", "staging", "dev", "qa"]
CLASSES = ["standard", "fast-ssd", "gp3", "premium-rwo", None]


@dataclass
class App:
    kind: str
    name: str
    namespace: str
    labels: dict[str, str]


def _labels(app: App, component: str) -> dict[str, str]:
    return {"app.kubernetes.io/name": app.kind, "app.kubernetes.io/instance": app.name,
            "app.kubernetes.io/component": component, "app.kubernetes.io/part-of": app.labels["team"],
            "app.kubernetes.io/managed-by": "Helm", "environment": app.labels["env"]}


def headless_service(app: App, rng: random.Random) -> dict[str, Any]:
    _image, port_name, port, extra, _path, _size = APPS[app.kind]
    ports = [{"name": port_name, "port": port, "targetPort": port_name, "protocol": "TCP"}]
    ports += [{"name": n, "port": p, "targetPort": n, "protocol": "TCP"} for n, p in extra]
    return {
        "apiVersion": "v1", "kind": "Service",
        "metadata": {"name": f"{app.name}-headless", "namespace": app.namespace, "labels": _labels(app, "server"),
                     "annotations": {"service.alpha.kubernetes.io/tolerate-unready-endpoints": "true"}},
        "spec": {"type": "ClusterIP", "clusterIP": "None", "publishNotReadyAddresses": True,
                 "selector": {"app.kubernetes.io/name": app.kind, "app.kubernetes.io/instance": app.name},
                 "ports": ports},
    }


def client_service(app: App, rng: random.Random) -> dict[str, Any]:
    _image, port_name, port, _extra, _path, _size = APPS[app.kind]
    spec: dict[str, Any] = {"type": "ClusterIP",
                            "selector": {"app.kubernetes.io/name": app.kind,
                                         "app.kubernetes.io/instance": app.name},
                            "ports": [{"name": port_name, "port": port, "targetPort": port_name}],
                            "sessionAffinity": rng.choice(["None", "ClientIP"])}
    return {"apiVersion": "v1", "kind": "Service",
            "metadata": {"name": app.name, "namespace": app.namespace, "labels": _labels(app, "client")},
            "spec": spec}


def statefulset(app: App, rng: random.Random) -> dict[str, Any]:
    image, port_name, port, extra, data_path, size = APPS[app.kind]
    selector = {"app.kubernetes.io/name": app.kind, "app.kubernetes.io/instance": app.name}
    cpu = rng.choice(["250m", "500m", "1", "2"])
    memory = rng.choice(["512Mi", "1Gi", "2Gi", "4Gi", "8Gi"])
    env = [
        {"name": "POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
        {"name": "POD_NAMESPACE", "valueFrom": {"fieldRef": {"fieldPath": "metadata.namespace"}}},
        {"name": f"{app.kind.upper()}_PASSWORD",
         "valueFrom": {"secretKeyRef": {"name": f"{app.name}-auth", "key": "password"}}},
        {"name": "TZ", "value": "UTC"},
    ]
    for index in range(rng.randint(0, 4)):
        env.append({"name": f"{app.kind.upper()}_OPTION_{index}", "value": str(rng.randint(1, 4096))})
    main = {
        "name": app.kind, "image": image, "imagePullPolicy": "IfNotPresent",
        "ports": [{"name": port_name, "containerPort": port, "protocol": "TCP"}]
        + [{"name": n, "containerPort": p, "protocol": "TCP"} for n, p in extra if n != "metrics"],
        "env": env,
        "envFrom": [{"configMapRef": {"name": f"{app.name}-config"}}],
        "resources": {"requests": {"cpu": cpu, "memory": memory}, "limits": {"memory": memory}},
        "readinessProbe": {"tcpSocket": {"port": port_name}, "initialDelaySeconds": 5, "periodSeconds": 10,
                           "timeoutSeconds": 5, "failureThreshold": 6},
        "livenessProbe": {"exec": {"command": ["sh", "-c", f"{app.kind}-healthcheck --port {port}"]},
                          "initialDelaySeconds": 30, "periodSeconds": 10, "timeoutSeconds": 5},
        "securityContext": {"runAsNonRoot": True, "runAsUser": 1001, "allowPrivilegeEscalation": False,
                            "readOnlyRootFilesystem": rng.random() < 0.5,
                            "capabilities": {"drop": ["ALL"]}, "seccompProfile": {"type": "RuntimeDefault"}},
        "volumeMounts": [{"name": "data", "mountPath": data_path},
                         {"name": "config", "mountPath": f"/etc/{app.kind}", "readOnly": True},
                         {"name": "tmp", "mountPath": "/tmp"}],
    }
    containers = [main]
    metrics = [p for n, p in extra if n == "metrics"]
    if metrics:
        containers.append({
            "name": "metrics", "image": f"quay.io/prometheus/{app.kind}-exporter:v0.15.0",
            "ports": [{"name": "metrics", "containerPort": metrics[0]}],
            "resources": {"requests": {"cpu": "50m", "memory": "64Mi"}, "limits": {"memory": "128Mi"}},
            "securityContext": {"runAsNonRoot": True, "allowPrivilegeEscalation": False},
        })
    pod_spec: dict[str, Any] = {
        "serviceAccountName": app.name,
        "terminationGracePeriodSeconds": rng.choice([30, 60, 120]),
        "securityContext": {"fsGroup": 1001, "runAsUser": 1001, "fsGroupChangePolicy": "OnRootMismatch"},
        "affinity": {"podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [{
            "weight": 100, "podAffinityTerm": {"labelSelector": {"matchLabels": selector},
                                               "topologyKey": "kubernetes.io/hostname"}}]}},
        "initContainers": [{
            "name": "init-permissions", "image": "docker.io/library/busybox:1.36",
            "command": ["sh", "-c", f"chown -R 1001:1001 {data_path}"],
            "securityContext": {"runAsUser": 0},
            "volumeMounts": [{"name": "data", "mountPath": data_path}],
        }],
        "containers": containers,
        "volumes": [{"name": "config", "configMap": {"name": f"{app.name}-config", "defaultMode": 0o644}},
                    {"name": "tmp", "emptyDir": {"sizeLimit": "1Gi"}}],
    }
    if rng.random() < 0.4:
        pod_spec["tolerations"] = [{"key": "dedicated", "operator": "Equal", "value": app.labels["team"],
                                    "effect": "NoSchedule"}]
    if rng.random() < 0.3:
        pod_spec["topologySpreadConstraints"] = [{
            "maxSkew": 1, "topologyKey": "topology.kubernetes.io/zone", "whenUnsatisfiable": "ScheduleAnyway",
            "labelSelector": {"matchLabels": selector}}]
    claim_spec: dict[str, Any] = {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": size}}}
    storage_class = rng.choice(CLASSES)
    if storage_class:
        claim_spec["storageClassName"] = storage_class
    spec: dict[str, Any] = {
        "serviceName": f"{app.name}-headless",
        "replicas": rng.choice([1, 3, 3, 3, 5]),
        "podManagementPolicy": rng.choice(["OrderedReady", "Parallel"]),
        "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}},
        "selector": {"matchLabels": selector},
        "template": {"metadata": {"labels": _labels(app, "server"),
                                  "annotations": {"prometheus.io/scrape": "true",
                                                  "checksum/config": f"{rng.getrandbits(128):032x}"}},
                     "spec": pod_spec},
        "volumeClaimTemplates": [{"metadata": {"name": "data", "labels": selector}, "spec": claim_spec}],
    }
    if rng.random() < 0.5:
        spec["persistentVolumeClaimRetentionPolicy"] = {"whenDeleted": "Retain", "whenScaled": "Delete"}
    return {"apiVersion": "apps/v1", "kind": "StatefulSet",
            "metadata": {"name": app.name, "namespace": app.namespace, "labels": _labels(app, "server")},
            "spec": spec}


def break_document(doc: dict[str, Any], rng: random.Random) -> None:
    """One schema error that every strict validator reports (no enums: kubeconform's schemas lack them)."""
    spec = doc["spec"]
    if doc["kind"] == "StatefulSet":
        container = spec["template"]["spec"]["containers"][0]
        choice = rng.randrange(5)
        if choice == 0:
            container["ports"][0]["protcol"] = container["ports"][0].pop("protocol")
        elif choice == 1:
            spec["replicas"] = str(spec["replicas"])
        elif choice == 2:
            del spec["selector"]
        elif choice == 3:
            del container["name"]
        else:
            container["resources"]["request"] = container["resources"].pop("requests")
    else:
        choice = rng.randrange(3)
        if choice == 0:
            spec["ports"][0]["port"] = str(spec["ports"][0]["port"])
        elif choice == 1:
            del spec["ports"][0]["port"]
        else:
            spec["selectr"] = spec.pop("selector")


def _dump(doc: dict[str, Any], style: str) -> str:
    if style == "json":
        return json.dumps(doc, indent=2) + "\n"
    import yaml

    class _NoAliases(yaml.SafeDumper):
        def ignore_aliases(self, data: Any) -> bool:
            return True

    text: str = yaml.dump(doc, Dumper=_NoAliases, sort_keys=False, default_flow_style=False, width=120)
    return text


def generate(out: Path, documents: int, seed: int = 1, broken: float = 0.05) -> dict[str, int]:
    """Write the corpus; returns counts (documents, broken, files)."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    apps: list[list[dict[str, Any]]] = []
    count = 0
    while count < documents:
        team = rng.choice(TEAMS)
        kind = rng.choice(sorted(APPS))
        app = App(kind, f"{kind}-{team}-{len(apps):05d}", f"{team}-{rng.choice(ENVS)}",
                  {"team": team, "env": rng.choice(ENVS)})
        docs = [headless_service(app, rng), statefulset(app, rng)]
        if rng.random() < 0.5:
            docs.insert(1, client_service(app, rng))
        docs = docs[: documents - count]
        count += len(docs)
        apps.append(docs)
    # Broken documents: an exact, seeded selection.
    flat = [doc for docs in apps for doc in docs]
    for doc in rng.sample(flat, round(len(flat) * broken)):
        break_document(doc, rng)
    files = 0
    bundle: list[str] = []
    bundle_index = 0

    def flush_bundle() -> None:
        nonlocal bundle, bundle_index, files
        if bundle:
            (out / "bundles").mkdir(exist_ok=True)
            (out / "bundles" / f"bundle-{bundle_index:03d}.yaml").write_text("---\n".join(bundle))
            bundle_index += 1
            files += 1
            bundle = []

    for index, docs in enumerate(apps):
        layout = index % 8  # 3/8 in bundles, 2/8 pairs, 2/8 split folders, 1/8 one file per document
        name = docs[-1]["metadata"]["name"]
        if layout in (0, 3, 6):
            for doc in docs:
                kind = doc["kind"]
                bundle.append(f"# Source: {doc['metadata']['name']}/templates/{kind.lower()}.yaml\n"
                              + _dump(doc, "yaml"))
            if len(bundle) >= 300:
                flush_bundle()
        elif layout in (1, 5):
            (out / "pairs").mkdir(exist_ok=True)
            (out / "pairs" / f"{name}.yaml").write_text("---\n".join(_dump(doc, "yaml") for doc in docs))
            files += 1
        elif layout in (2, 7):
            folder = out / "split" / name
            folder.mkdir(parents=True, exist_ok=True)
            for position, doc in enumerate(docs):
                (folder / f"{position}-{doc['kind'].lower()}.yaml").write_text(_dump(doc, "yaml"))
                files += 1
        else:
            (out / "files").mkdir(exist_ok=True)
            for position, doc in enumerate(docs):
                style = "json" if position == 0 and index % 16 == 4 else "yaml"
                (out / "files" / f"{name}-{position}.{style}").write_text(_dump(doc, style))
                files += 1
    flush_bundle()
    return {"documents": len(flat), "broken": round(len(flat) * broken), "files": files}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--broken", type=float, default=0.05)
    args = parser.parse_args()
    if args.out.exists() and any(args.out.iterdir()):
        parser.error(f"{args.out} is not empty")
    counts = generate(args.out, args.documents, args.seed, args.broken)
    print(json.dumps(counts))


if __name__ == "__main__":
    main()
