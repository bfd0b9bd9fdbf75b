"""Works, but probably not as intended (category "advice": warnings and information).

Each rule says what happens and what to change. Two rules are optional (off unless enabled by
name): PodDisruptionBudget coverage and spreading pods across nodes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sts_cli import k8svalidation as kv
from sts_cli.documents import ManifestObject
from sts_cli.findings import Finding
from sts_cli.model import LabelSelector, StatefulSetView, parse_selector
from sts_cli.rules.base import RuleContext, rule
from sts_cli.rules.helpers import (
    SRC_APPS,
    SRC_CONTROLLER,
    SRC_DNS,
    SRC_DOCS,
    I,
    Path,
    W,
    as_list,
    as_map,
    governing_services,
    is_int,
    pod_containers,
)

POD: Path = ("spec", "template", "spec")


def _mounted_names(view: StatefulSetView) -> set[str]:
    names: set[str] = set()
    for _, container, _ in pod_containers(view.pod_spec, POD):
        for key in ("volumeMounts", "volumeDevices"):
            for mount in as_list(container.get(key)):
                name = as_map(mount).get("name")
                if isinstance(name, str):
                    names.add(name)
    return names


@rule("claim-not-mounted", W, "A claim template is not mounted by any container.", "advice", SRC_CONTROLLER,
      scope="object")
def claim_not_mounted(context: RuleContext) -> Iterator[Finding]:
    """
    The controller creates a PersistentVolumeClaim per pod for every claim template, mounted or
    not, so an unmounted template costs a volume per replica and stores nothing. Usually the
    `volumeMounts` entry was forgotten or its name has a typo.

    Bad:
        containers:
        - name: db
          image: postgres:16
        volumeClaimTemplates:
        - metadata: {name: data}
    Good:
        containers:
        - name: db
          image: postgres:16
          volumeMounts:
          - {name: data, mountPath: /var/lib/postgresql/data}
        volumeClaimTemplates:
        - metadata: {name: data}
    """
    for view in context.statefulsets:
        if not view.claim_templates:
            continue
        mounted = _mounted_names(view)
        for claim in view.claim_templates:
            if claim.name and claim.name not in mounted:
                yield context.emit("claim-not-mounted", view.obj, f"claim template {claim.name!r} is not mounted by "
                                   "any container: a PVC is created for every pod and never used",
                                   ("spec", "volumeClaimTemplates", claim.index, "metadata", "name"),
                                   f"add `volumeMounts: [{{name: {claim.name}, mountPath: ...}}]` to a container, or "
                                   "remove the template", at_value=True)


@rule("claim-shadows-volume", W, "A pod volume has the same name as a claim template and is replaced.", "advice",
      SRC_APPS + " (volumesToAddForTemplates); " + SRC_CONTROLLER, scope="object")
def claim_shadows_volume(context: RuleContext) -> Iterator[Finding]:
    """
    When a template volume and a claim template share a name, the controller replaces the volume
    with the claim: the volume as written is never used (an emptyDir meant for scratch space
    becomes the persistent claim, or the claim replaces a ConfigMap).

    Bad:
        volumes:
        - name: data
          emptyDir: {}
        volumeClaimTemplates:
        - metadata: {name: data}
    Good:
        volumes:
        - name: scratch
          emptyDir: {}
        volumeClaimTemplates:
        - metadata: {name: data}
    """
    for view in context.statefulsets:
        claims = {c.name: c for c in view.claim_templates if c.name}
        if not claims:
            continue
        for index, volume in enumerate(as_list(view.pod_spec.get("volumes"))):
            name = as_map(volume).get("name")
            if isinstance(name, str) and name in claims:
                claim = claims[name]
                yield context.emit("claim-shadows-volume", view.obj, f"volume {name!r} is replaced by the claim "
                                   f"template of the same name; the volume as written is never used",
                                   (*POD, "volumes", index, "name"), "rename the volume or the claim template",
                                   at_value=True,
                                   related=[(view.obj, ("spec", "volumeClaimTemplates", claim.index, "metadata",
                                                        "name"), "the claim template")])


@rule("claim-duplicate", W, "Two claim templates have the same name.", "advice", SRC_CONTROLLER, scope="object")
def claim_duplicate(context: RuleContext) -> Iterator[Finding]:
    """
    Claim templates are keyed by name: with two of the same name only one PVC per pod is created
    and the other template is ignored (the API server does not check this).

    Bad:
        volumeClaimTemplates:
        - metadata: {name: data}
        - metadata: {name: data}
    Good:
        volumeClaimTemplates:
        - metadata: {name: data}
        - metadata: {name: wal}
    """
    for view in context.statefulsets:
        first: dict[str, int] = {}
        for claim in view.claim_templates:
            if not claim.name:
                continue
            if claim.name in first:
                yield context.emit("claim-duplicate", view.obj, f"claim template name {claim.name!r} is used twice; "
                                   "only one PVC per pod is created for it",
                                   ("spec", "volumeClaimTemplates", claim.index, "metadata", "name"),
                                   "rename or remove one template", at_value=True,
                                   related=[(view.obj, ("spec", "volumeClaimTemplates", first[claim.name], "metadata",
                                                        "name"), "first template")])
            else:
                first[claim.name] = claim.index


def _governed(context: RuleContext) -> Iterator[tuple[Any, list[StatefulSetView]]]:
    by_id = governing_services(context)
    for service in context.services:
        views = by_id.get(id(service))
        if views:
            yield service, views


@rule("service-port-unnamed", W, "A port of a governing Service has no name, so no SRV records.", "advice", SRC_DNS,
      scope="set")
def service_port_unnamed(context: RuleContext) -> Iterator[Finding]:
    """
    Cluster DNS publishes SRV records (`_web._tcp.nginx.default.svc.cluster.local`, one per pod)
    only for named ports. Peers that discover each other through SRV find nothing. A single port
    may be unnamed as far as the API server is concerned.

    Bad:
        ports:
        - port: 80
    Good:
        ports:
        - name: web
          port: 80
    """
    for service, _ in _governed(context):
        for port in service.ports:
            if not port.name and len(service.ports) == 1:
                yield context.emit("service-port-unnamed", service.obj, f"port {port.port} has no name: DNS publishes "
                                   "no SRV records for it", ("spec", "ports", port.index),
                                   "add `name:` (e.g. the container port name)")


@rule("service-target-port-unknown", W, "A named targetPort matches no container port of the pods.", "advice",
      "kubernetes/kubernetes EndpointSlice controller (FindPort)", scope="set")
def service_target_port_unknown(context: RuleContext) -> Iterator[Finding]:
    """
    A named `targetPort` is looked up among the container ports of each pod; when no container
    port has that name, the pod is left out of the Service's endpoints for that port.

    Bad:
        # Service
        ports:
        - {name: web, port: 80, targetPort: http}
        # StatefulSet container
        ports:
        - {name: web, containerPort: 80}
    Good:
        ports:
        - {name: web, port: 80, targetPort: web}
    """
    for service, views in _governed(context):
        names: set[str] = set()
        for view in views:
            names.update(p.name for p in view.container_ports() if p.name)
        for port in service.ports:
            if isinstance(port.target_port, str) and port.target_port and port.target_port not in names:
                known = ", ".join(sorted(names)) or "none"
                view = views[0]
                yield context.emit("service-target-port-unknown", service.obj, f"targetPort {port.target_port!r} names "
                                   f"no container port of StatefulSet {view.namespace}/{view.name} (named ports: "
                                   f"{known})", ("spec", "ports", port.index, "targetPort"),
                                   "use a container port name or number", at_value=True,
                                   related=[(view.obj, ("spec", "template", "spec", "containers"),
                                             "the pod's containers")])


def _has_readiness(view: StatefulSetView) -> bool:
    return any(c.get("readinessProbe") is not None for c in view.containers())


@rule("publish-not-ready", I, "Peers cannot resolve each other before they are ready.", "advice",
      SRC_DNS + "; core/v1 ServiceSpec.publishNotReadyAddresses", scope="set")
def publish_not_ready(context: RuleContext) -> Iterator[Finding]:
    """
    DNS records exist only for ready pods unless the governing Service sets
    `publishNotReadyAddresses: true`. Clustered software whose members must find each other
    before they report ready (ZooKeeper, etcd, Cassandra seeds...) then waits forever. Worth a
    look when replicas > 1 and the pods have a readiness probe.

    Bad:
        spec:
          clusterIP: None
    Good:
        spec:
          clusterIP: None
          publishNotReadyAddresses: true
    """
    for service, views in _governed(context):
        if service.publish_not_ready_addresses or not service.headless:
            continue
        view = next((v for v in views if v.replicas > 1 and _has_readiness(v)), None)
        if view is None:
            continue
        path: Path = ("spec",) if isinstance(service.obj.get(("spec",)), dict) else ("metadata", "name")
        yield context.emit("publish-not-ready", service.obj, f"Service {service.namespace}/{service.name} publishes "
                           f"DNS records only for ready pods; if the {view.replicas} replicas of "
                           f"{view.namespace}/{view.name} must find each other before they are ready, set "
                           "publishNotReadyAddresses", path, "add `publishNotReadyAddresses: true` if peers "
                           "discover each other through DNS during start-up", at_value=False)


@rule("partition-exceeds-replicas", W, "The rolling update partition is not below replicas.", "advice", SRC_DOCS,
      scope="object")
def partition_exceeds_replicas(context: RuleContext) -> Iterator[Finding]:
    """
    Only pods whose ordinal (counted from `ordinals.start`) is at least `partition` are updated;
    with partition >= replicas a template change updates no pod at all. Fine for a staged rollout
    that is paused on purpose, a surprise otherwise.

    Bad:
        replicas: 3
        updateStrategy:
          rollingUpdate:
            partition: 3
    Good:
        replicas: 3
        updateStrategy:
          rollingUpdate:
            partition: 2     # updates pod 2 only (a canary)
    """
    for view in context.statefulsets:
        path: Path = ("spec", "updateStrategy", "rollingUpdate", "partition")
        value = view.obj.get(path)
        if view.update_strategy != "RollingUpdate" or not is_int(value) or value <= 0:
            continue
        if value >= view.replicas >= 0:
            yield context.emit("partition-exceeds-replicas", view.obj, f"partition {value} >= replicas "
                               f"{view.replicas}: a template change updates no pod", path,
                               f"lower the partition below {view.replicas} to let the rollout proceed", at_value=True)


@rule("readiness-probe-missing", I, "OrderedReady pods have no readiness probe.", "advice", SRC_DOCS, scope="object")
def readiness_probe_missing(context: RuleContext) -> Iterator[Finding]:
    """
    With the default `OrderedReady` policy the next pod starts when the previous one is Ready.
    Without a readiness probe a pod is Ready as soon as its containers start, so the ordering
    guarantee (and rolling updates that wait for health) mean little.

    Bad:
        containers:
        - name: db
          image: postgres:16
    Good:
        containers:
        - name: db
          image: postgres:16
          readinessProbe:
            exec: {command: [pg_isready]}
    """
    for view in context.statefulsets:
        if view.pod_management_policy != "OrderedReady" or not view.containers() or _has_readiness(view):
            continue
        path: Path = ("spec", "podManagementPolicy") if view.obj.get(("spec", "podManagementPolicy")) else (
            *POD, "containers")
        yield context.emit("readiness-probe-missing", view.obj, "no container has a readiness probe: with "
                           "OrderedReady the next pod starts as soon as the previous one is running, healthy or not",
                           path, "add a readinessProbe to the main container", at_value=path[-1] != "containers")


@rule("termination-grace-zero", W, "terminationGracePeriodSeconds is 0.", "advice", SRC_DOCS, scope="object")
def termination_grace_zero(context: RuleContext) -> Iterator[Finding]:
    """
    A grace period of 0 lets Kubernetes treat a pod as gone before its process has stopped; for a
    StatefulSet that can mean two pods with the same identity (and the same volume) at once. The
    documentation strongly discourages it.

    Bad:
        terminationGracePeriodSeconds: 0
    Good:
        terminationGracePeriodSeconds: 30
    """
    for view in context.statefulsets:
        path: Path = (*POD, "terminationGracePeriodSeconds")
        if view.obj.get(path) == 0 and is_int(view.obj.get(path)):
            yield context.emit("termination-grace-zero", view.obj, "terminationGracePeriodSeconds 0 can run two pods "
                               "with the same identity at once", path, "use a positive grace period (default 30)",
                               at_value=True)


@rule("revision-history-negative", W, "revisionHistoryLimit is negative.", "advice", SRC_APPS, scope="object")
def revision_history_negative(context: RuleContext) -> Iterator[Finding]:
    """
    The API server does not validate `revisionHistoryLimit` for StatefulSets (it does for
    Deployments), but a negative number of kept revisions makes no sense; use 0 to keep none.

    Bad:
        revisionHistoryLimit: -1
    Good:
        revisionHistoryLimit: 0
    """
    for view in context.statefulsets:
        value = view.obj.get(("spec", "revisionHistoryLimit"))
        if is_int(value) and value < 0:
            yield context.emit("revision-history-negative", view.obj, f"revisionHistoryLimit {value} is negative",
                               ("spec", "revisionHistoryLimit"), "use 0 or a positive number", at_value=True)


@rule("service-name-empty", I, "serviceName is not set: pods get no DNS names.", "advice", SRC_DNS, scope="object")
def service_name_empty(context: RuleContext) -> Iterator[Finding]:
    """
    `serviceName` is optional since Kubernetes 1.33, but without it pods have no subdomain and so
    no `<pod>.<service>` DNS name, which is usually why one uses a StatefulSet.

    Bad:
        spec:
          replicas: 3
    Good:
        spec:
          serviceName: nginx
          replicas: 3
    """
    for view in context.statefulsets:
        if view.service_name:
            continue
        obj = view.obj
        path: Path = ("spec", "serviceName") if "serviceName" in as_map(obj.data.get("spec")) else ("spec",)
        if not isinstance(obj.get(("spec",)), dict):
            path = ("metadata", "name")
        yield context.emit("service-name-empty", obj, "serviceName is empty: pods get no per-pod DNS names",
                           path, "set `serviceName` to a headless Service selecting the pods", at_value=False)


@rule("max-unavailable-gated", I, "maxUnavailable has no effect in this Kubernetes version by default.", "advice",
      "kubernetes/website feature gate MaxUnavailableStatefulSet; kubernetes/kubernetes#137409, #139466",
      scope="object")
def max_unavailable_gated(context: RuleContext) -> Iterator[Finding]:
    """
    `rollingUpdate.maxUnavailable` is behind feature gate MaxUnavailableStatefulSet: off up to
    1.34, on in 1.35.0-1.35.3, off again in 1.35.4-1.36, on from 1.37. Where the gate is off the
    API server drops the field and pods are updated one at a time.

    Bad:
        # Kubernetes 1.36, default gates
        rollingUpdate:
          maxUnavailable: 2
    Good:
        # Kubernetes 1.37, or a cluster with the gate enabled
        rollingUpdate:
          maxUnavailable: 2
    """
    if context.at_least("1.37"):
        return
    for view in context.statefulsets:
        path: Path = ("spec", "updateStrategy", "rollingUpdate", "maxUnavailable")
        value = view.obj.get(path)
        if value is None or kv.int_or_percent_errors(value) or view.update_strategy != "RollingUpdate":
            continue
        when = ("is on only in 1.35.0-1.35.3" if context.version == "1.35" else "is off")
        yield context.emit("max-unavailable-gated", view.obj, f"maxUnavailable is ignored unless feature gate "
                           f"MaxUnavailableStatefulSet is enabled; in Kubernetes {context.version} it {when} by "
                           "default, and pods are then updated one at a time", path,
                           "enable the gate on the API server and controller manager, or drop the field",
                           at_value=True)


# --- optional ---------------------------------------------------------------------------------------

def _pdbs(context: RuleContext) -> dict[str, list[tuple[ManifestObject, LabelSelector]]]:
    def build() -> dict[str, list[tuple[ManifestObject, LabelSelector]]]:
        index: dict[str, list[tuple[ManifestObject, LabelSelector]]] = {}
        for obj in context.others:
            if obj.kind == "PodDisruptionBudget" and obj.api_version.startswith("policy/"):
                selector = parse_selector(obj.get(("spec", "selector")))
                index.setdefault(obj.namespace or context.namespace, []).append((obj, selector))
        return index

    return context.memo("pdbs", build)


def _allowed_disruptions(obj: ManifestObject, replicas: int) -> int | None:
    """Disruptions the budget allows with all pods healthy; None when it cannot be computed."""
    spec = as_map(obj.get(("spec",)))
    for field, is_min in (("minAvailable", True), ("maxUnavailable", False)):
        value = spec.get(field)
        if value is None:
            continue
        if is_int(value):
            amount = value
        elif isinstance(value, str) and kv.percent_value(value) is not None:
            percent = kv.percent_value(value) or 0
            amount = -(-replicas * percent // 100) if is_min else replicas * percent // 100
        else:
            return None
        return max(replicas - amount, 0) if is_min else max(amount, 0)
    return None


@rule("pdb-missing", W, "No PodDisruptionBudget protects a StatefulSet with several replicas (optional).", "advice",
      "https://kubernetes.io/docs/tasks/run-application/configure-pdb/", optional=True, scope="set")
def pdb_missing(context: RuleContext) -> Iterator[Finding]:
    """
    Off by default; enable with `--enable pdb-missing`. A quorum-based StatefulSet with more than
    one replica should have a PodDisruptionBudget selecting its pods, so that node drains evict
    them one at a time. The budget must also leave at least one disruption allowed, or drains
    block forever (minAvailable equal to replicas, maxUnavailable 0).

    Bad:
        # StatefulSet zk with replicas: 3 and no PodDisruptionBudget
    Good:
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: {name: zk}
        spec:
          maxUnavailable: 1
          selector:
            matchLabels: {app: zk}
    """
    pdbs = _pdbs(context)
    for view in context.statefulsets:
        if view.replicas <= 1 or not view.template_labels:
            continue
        matching = [(obj, sel) for obj, sel in pdbs.get(view.namespace, []) if sel.matches(view.template_labels)]
        if not matching:
            yield context.emit("pdb-missing", view.obj, f"no PodDisruptionBudget selects the {view.replicas} pods of "
                               f"StatefulSet {view.namespace}/{view.name}: a node drain may evict several at once",
                               ("spec", "replicas") if view.obj.get(("spec", "replicas")) is not None
                               else ("metadata", "name"),
                               "add a PodDisruptionBudget with `maxUnavailable: 1` selecting the pods", at_value=True)
            continue
        for obj, _ in matching:
            allowed = _allowed_disruptions(obj, view.replicas)
            if allowed == 0:
                field = "minAvailable" if obj.get(("spec", "minAvailable")) is not None else "maxUnavailable"
                yield context.emit("pdb-missing", obj, f"PodDisruptionBudget {obj.namespace or context.namespace}/"
                                   f"{obj.name} allows no disruption for the {view.replicas} pods of StatefulSet "
                                   f"{view.namespace}/{view.name}: node drains block", ("spec", field),
                                   "allow at least one disruption, e.g. `maxUnavailable: 1`", at_value=True,
                                   related=[(view.obj, ("metadata", "name"), f"StatefulSet {view.name}")])


def _spread_terms(view: StatefulSetView) -> Iterator[tuple[str, LabelSelector]]:
    affinity = as_map(view.pod_spec.get("affinity"))
    anti = as_map(affinity.get("podAntiAffinity"))
    for term in as_list(anti.get("requiredDuringSchedulingIgnoredDuringExecution")):
        term = as_map(term)
        yield str(term.get("topologyKey", "")), parse_selector(term.get("labelSelector"))
    for item in as_list(anti.get("preferredDuringSchedulingIgnoredDuringExecution")):
        term = as_map(as_map(item).get("podAffinityTerm"))
        yield str(term.get("topologyKey", "")), parse_selector(term.get("labelSelector"))
    for constraint in as_list(view.pod_spec.get("topologySpreadConstraints")):
        constraint = as_map(constraint)
        yield str(constraint.get("topologyKey", "")), parse_selector(constraint.get("labelSelector"))


@rule("pod-spread-missing", W, "Replicas may all land on one node (optional).", "advice",
      "https://kubernetes.io/docs/concepts/scheduling-eviction/topology-spread-constraints/", optional=True,
      scope="object")
def pod_spread_missing(context: RuleContext) -> Iterator[Finding]:
    """
    Off by default; enable with `--enable pod-spread-missing`. Replicas of a StatefulSet are
    usually copies of the same data; on one node they fail together. Use pod anti-affinity or a
    topology spread constraint on `kubernetes.io/hostname` (or a zone key) that selects the pods.

    Bad:
        # replicas: 3, no affinity, no topologySpreadConstraints
    Good:
        topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: kubernetes.io/hostname
          whenUnsatisfiable: ScheduleAnyway
          labelSelector:
            matchLabels: {app: zk}
    """
    for view in context.statefulsets:
        if view.replicas <= 1:
            continue
        if any(key and selector.matches(view.template_labels) for key, selector in _spread_terms(view)):
            continue
        yield context.emit("pod-spread-missing", view.obj, f"nothing spreads the {view.replicas} pods of "
                           f"{view.namespace}/{view.name} across nodes: they may all run on one node",
                           (*POD,) if view.obj.get(POD) is not None else ("spec",),
                           "add podAntiAffinity or a topologySpreadConstraint on kubernetes.io/hostname",
                           at_value=False)

