"""What the API server accepts but is broken at run time (category "runtime").

Names too long for what the controller derives from them, and the StatefulSet-to-Service
contract: the governing Service must exist in the same namespace, be headless, and select the
pods. Cross-object lookups use per-run dictionaries (namespace, name), so every rule here is O(n)
apart from selector overlap, which only compares StatefulSets of the same namespace.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from sts_cli import k8svalidation as kv
from sts_cli.documents import ManifestObject
from sts_cli.findings import Finding
from sts_cli.model import ServiceView, StatefulSetView
from sts_cli.rules.base import RuleContext, rule
from sts_cli.rules.helpers import (
    SRC_CONTROLLER,
    SRC_DNS,
    E,
    Path,
    selector_valid,
    services_by_key,
    services_by_name,
    services_by_namespace,
    statefulsets_by_namespace,
)

POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name"
POD_INDEX_LABEL = "apps.kubernetes.io/pod-index"
REVISION_LABEL = "controller-revision-hash"
SERVICE_TYPES = ("ClusterIP", "NodePort", "LoadBalancer", "ExternalName")
MAX_NAME_WITH_HASH = 52  # 63 - len("-") - 10 decimal digits of the revision hash


def _named_ok(view: StatefulSetView) -> bool:
    return bool(view.name) and kv.is_dns1123_label(view.name)


@rule("sts-name-too-long", E, "The StatefulSet name is longer than 52 characters.", "runtime",
      SRC_CONTROLLER + "; kubernetes/kubernetes#78655", scope="object")
def sts_name_too_long(context: RuleContext) -> Iterator[Finding]:
    """
    Every pod gets the label `controller-revision-hash: <name>-<hash>`, where the hash has up to
    10 digits. Label values are limited to 63 characters, so with a name longer than 52 characters
    most revisions produce an invalid label: the API server accepts the StatefulSet, and then
    every pod fails with FailedCreate (kubernetes/kubernetes#78655). From 62 characters even the
    pod name `<name>-0` is too long.

    Bad:
        metadata:
          name: analytics-clickhouse-replicated-shard-primary-statefulset   # 59 characters
    Good:
        metadata:
          name: clickhouse-shard-primary
    """
    for view in context.statefulsets:
        if _named_ok(view) and len(view.name) > MAX_NAME_WITH_HASH:
            longest = len(view.name) + 11
            yield context.emit("sts-name-too-long", view.obj, f"StatefulSet name is {len(view.name)} characters; "
                               f"the pod label {REVISION_LABEL}=<name>-<hash> reaches {longest} characters (limit 63), "
                               "so the API server accepts the set and its pods fail with FailedCreate",
                               ("metadata", "name"), f"shorten the name to at most {MAX_NAME_WITH_HASH} characters",
                               at_value=True)


@rule("pod-name-too-long", E, "A pod name `<name>-<ordinal>` is longer than 63 characters.", "runtime",
      SRC_CONTROLLER, scope="object")
def pod_name_too_long(context: RuleContext) -> Iterator[Finding]:
    """
    Pods are named `<statefulset>-<ordinal>`, and the name is also the pod's hostname and the
    value of the `statefulset.kubernetes.io/pod-name` label, so it must fit in 63 characters for
    the highest ordinal (`ordinals.start + replicas - 1`). Longer names make pod creation fail.

    Bad:
        metadata:
          name: a-name-of-exactly-sixty-characters-for-this-example-here-xx
        spec:
          replicas: 100          # web-...-99 is 63 + characters
    Good:
        metadata:
          name: short-name
    """
    for view in context.statefulsets:
        if not _named_ok(view) or view.replicas < 1:
            continue
        highest = view.ordinals_start + view.replicas - 1
        pod = f"{view.name}-{highest}"
        if len(pod) > kv.DNS1123_LABEL_MAX:
            related: list[tuple[ManifestObject, Path, str]] = []
            for path, text in ((("spec", "replicas"), "replicas"), (("spec", "ordinals", "start"), "ordinals.start")):
                if view.obj.get(path) is not None:
                    related.append((view.obj, path, text))
            yield context.emit("pod-name-too-long", view.obj, f"pod name {pod!r} is {len(pod)} characters; pod names "
                               "(and hostnames) are limited to 63", ("metadata", "name"),
                               "shorten the StatefulSet name", at_value=True, related=related)


def _pod_labels_match(selector: dict[str, str], view: StatefulSetView) -> list[tuple[str, str, str | None]]:
    """Selector entries that no pod of `view` carries: (key, wanted, the template's value or None)."""
    pods = {f"{view.name}-{o}" for o in view.ordinals} if view.replicas <= 10_000 else set()
    misses: list[tuple[str, str, str | None]] = []
    for key, want in selector.items():
        have = view.template_labels.get(key)
        if key == POD_NAME_LABEL and (want in pods or not pods):
            continue
        if key == POD_INDEX_LABEL and want.isdigit() and int(want) in view.ordinals:
            continue
        if key == REVISION_LABEL and want.startswith(view.name + "-"):
            continue
        if have != want:
            misses.append((key, want, have))
    return misses


def _governing(context: RuleContext, view: StatefulSetView) -> ServiceView | None:
    if not view.service_name or not kv.is_dns1123_label(view.service_name):
        return None
    found = services_by_key(context).get((view.namespace, view.service_name))
    return found[0] if found else None


def _selects(service: ServiceView, view: StatefulSetView) -> bool:
    return bool(service.selector) and service.type != "ExternalName" and not _pod_labels_match(service.selector, view)


@rule("service-missing", E, "serviceName names no Service in the same namespace.", "runtime", SRC_DNS, scope="set")
def service_missing(context: RuleContext) -> Iterator[Finding]:
    """
    `serviceName` must name a Service in the StatefulSet's own namespace (an empty namespace means
    `--namespace`, by default `default`). Without it pods start, but `<pod>.<service>` never
    resolves (kubernetes/kubernetes#74950). The message suggests the closest Service that selects
    these pods, or one with that name in another namespace.

    Bad:
        kind: StatefulSet
        spec:
          serviceName: nginx-headless
        ---
        kind: Service
        metadata:
          name: nginx
    Good:
        kind: StatefulSet
        spec:
          serviceName: nginx
    """
    for view in context.statefulsets:
        if not view.service_name or not kv.is_dns1123_label(view.service_name):
            continue
        if services_by_key(context).get((view.namespace, view.service_name)):
            continue
        message = f"no Service {view.namespace}/{view.service_name} in the input"
        hint = f"add a headless Service named {view.service_name!r} in namespace {view.namespace!r}"
        related: list[tuple[ManifestObject, Path, str]] = []
        elsewhere = [s for s in services_by_name(context).get(view.service_name, []) if s.namespace != view.namespace]
        candidates = services_by_namespace(context).get(view.namespace, [])
        selecting = [s for s in candidates if _selects(s, view)]
        if elsewhere:
            other = elsewhere[0]
            message += (f"; Service {other.namespace}/{other.name} exists, but pods only get DNS records from a "
                        "Service in their own namespace")
            related.append((other.obj, ("metadata", "namespace") if other.obj.namespace else ("metadata", "name"),
                            f"Service {other.namespace}/{other.name}"))
            hint = f"move the Service to namespace {view.namespace!r}, or the StatefulSet to {other.namespace!r}"
        elif selecting:
            best = max(selecting, key=lambda s: (s.headless, difflib.SequenceMatcher(None, s.name,
                                                                                      view.service_name).ratio()))
            message += f"; did you mean {best.name!r}? (it selects these pods)"
            hint = f"set `serviceName: {best.name}`"
            related.append((best.obj, ("metadata", "name"), f"Service {best.namespace}/{best.name} selects these pods"))
        else:
            close = difflib.get_close_matches(view.service_name, [s.name for s in candidates], n=1, cutoff=0.6)
            if close:
                best = next(s for s in candidates if s.name == close[0])
                message += f"; did you mean {best.name!r}?"
                related.append((best.obj, ("metadata", "name"), f"Service {best.namespace}/{best.name}"))
        yield context.emit("service-missing", view.obj, message, ("spec", "serviceName"), hint, at_value=True,
                           related=related)


@rule("service-not-headless", E, "The governing Service is not headless.", "runtime", SRC_DNS, scope="set")
def service_not_headless(context: RuleContext) -> Iterator[Finding]:
    """
    Per-pod DNS names (`web-0.nginx.default.svc.cluster.local`) exist only for a headless Service:
    type ClusterIP with `clusterIP: None`. A Service with a cluster IP, a NodePort or LoadBalancer
    Service, or an ExternalName Service gives the pods no records of their own, silently.

    Bad:
        kind: Service
        metadata: {name: nginx}
        spec:
          selector: {app: nginx}
          ports: [{name: web, port: 80}]
    Good:
        kind: Service
        metadata: {name: nginx}
        spec:
          clusterIP: None
          selector: {app: nginx}
          ports: [{name: web, port: 80}]
    """
    for view in context.statefulsets:
        service = _governing(context, view)
        if service is None or service.headless or service.type not in SERVICE_TYPES:
            continue  # an unknown type is reported as service-type-invalid
        obj = service.obj
        related = [(view.obj, ("spec", "serviceName"), f"StatefulSet {view.namespace}/{view.name} uses it as "
                    "serviceName")]
        name = f"Service {service.namespace}/{service.name}"
        if service.type == "ExternalName":
            yield context.emit("service-not-headless", obj, f"{name} is of type ExternalName: it is a DNS alias with "
                               "no endpoints, so the StatefulSet's pods get no DNS records", ("spec", "type"),
                               "use a separate headless Service (clusterIP: None) selecting the pods", at_value=True,
                               related=related)
        elif service.type != "ClusterIP":
            yield context.emit("service-not-headless", obj, f"{name} is of type {service.type}; the governing Service "
                               "must be headless (type ClusterIP, clusterIP: None) for per-pod DNS records",
                               ("spec", "type"), "add a separate headless Service for the StatefulSet",
                               at_value=True, related=related)
        else:
            path: Path = ("spec", "clusterIP") if obj.get(("spec", "clusterIP")) is not None else (
                ("spec",) if isinstance(obj.get(("spec",)), dict) else ("metadata", "name"))
            yield context.emit("service-not-headless", obj, f"{name} has a cluster IP (clusterIP is not 'None'), so "
                               "pods get no per-pod DNS records such as "
                               f"{view.name}-{view.ordinals_start}.{service.name}", path,
                               "set `clusterIP: None`", at_value=path == ("spec", "clusterIP"), related=related)


@rule("service-selector-missing", E, "The governing Service has no selector.", "runtime", SRC_DNS, scope="set")
def service_selector_missing(context: RuleContext) -> Iterator[Finding]:
    """
    Without a selector no EndpointSlices are managed for the Service, so no pod gets a DNS
    record through it (unless someone writes EndpointSlices by hand).

    Bad:
        kind: Service
        spec:
          clusterIP: None
    Good:
        kind: Service
        spec:
          clusterIP: None
          selector: {app: nginx}
    """
    for view in context.statefulsets:
        service = _governing(context, view)
        if service is None or service.type == "ExternalName" or service.selector:
            continue
        obj = service.obj
        path: Path = ("spec", "selector") if obj.get(("spec", "selector")) is not None else (
            ("spec",) if isinstance(obj.get(("spec",)), dict) else ("metadata", "name"))
        labels = ", ".join(f"{k}: {v}" for k, v in view.template_labels.items()) or "the pod labels"
        yield context.emit("service-selector-missing", obj, f"Service {service.namespace}/{service.name} has no "
                           "selector, so it has no endpoints and the StatefulSet's pods get no DNS records", path,
                           f"add `selector: {{{labels}}}`", at_value=False,
                           related=[(view.obj, ("spec", "serviceName"), f"StatefulSet {view.namespace}/{view.name} "
                                     "uses it as serviceName")])


@rule("service-selector-mismatch", E, "The governing Service does not select the StatefulSet's pods.", "runtime",
      SRC_DNS, scope="set")
def service_selector_mismatch(context: RuleContext) -> Iterator[Finding]:
    """
    Every key of the Service selector must be a pod template label with the same value, or the
    pods are not endpoints of the Service and get no DNS records. The message shows each key that
    differs: what the Service selects and what the pods have.

    Bad:
        kind: Service
        spec:
          clusterIP: None
          selector: {app: nginx, tier: web}
        ---
        kind: StatefulSet
        spec:
          template:
            metadata:
              labels: {app: nginx}
    Good:
        kind: Service
        spec:
          clusterIP: None
          selector: {app: nginx}
    """
    for view in context.statefulsets:
        service = _governing(context, view)
        if service is None or service.type == "ExternalName" or not service.selector:
            continue
        misses = _pod_labels_match(service.selector, view)
        if not misses:
            continue
        parts = []
        for key, want, have in misses:
            parts.append(f"{key}: Service selects {want!r}, pods have " + (repr(have) if have is not None
                                                                              else "no such label"))
        first_key = misses[0][0]
        labels_path: Path = ("spec", "template", "metadata", "labels")
        pod_path = (*labels_path, first_key) if first_key in view.template_labels else labels_path
        if view.obj.get(pod_path) is None:
            pod_path = ("spec", "template")
        yield context.emit("service-selector-mismatch", service.obj, f"Service {service.namespace}/{service.name} "
                           f"does not select the pods of StatefulSet {view.namespace}/{view.name}: " + "; ".join(parts),
                           ("spec", "selector", first_key),
                           "make the Service selector a subset of the pod template labels",
                           related=[(view.obj, pod_path, "the pod template labels"),
                                    (view.obj, ("spec", "serviceName"), f"StatefulSet {view.namespace}/{view.name} "
                                     "uses it as serviceName")])


# Pairs reported per namespace: 10,000 StatefulSets sharing one selector would otherwise be 50
# million findings (minutes and tens of GB).
MAX_OVERLAP_PAIRS = 1_000


@rule("selector-overlap", E, "Two StatefulSets select each other's pods.", "runtime", SRC_CONTROLLER, scope="set")
def selector_overlap(context: RuleContext) -> Iterator[Finding]:
    """
    When the selector of one StatefulSet matches the pod labels of another in the same namespace,
    both controllers consider those pods theirs: they fight over adoption and their status counts
    are wrong. Give each StatefulSet a label of its own.

    Bad:
        # StatefulSet a: selector {app: db}, labels {app: db, role: primary}
        # StatefulSet b: selector {app: db}, labels {app: db, role: replica}
    Good:
        # StatefulSet a: selector {app: db, role: primary}
        # StatefulSet b: selector {app: db, role: replica}
    """
    for views in statefulsets_by_namespace(context).values():
        if len(views) < 2:
            continue
        candidates = [v for v in views if selector_valid(v) and v.name]
        # Index pods by each (key, value) label so that a matchLabels selector only looks at sets that
        # carry its first pair; selectors with only expressions scan the namespace.
        by_pair: dict[tuple[str, str], list[int]] = {}
        by_key: dict[str, list[int]] = {}
        for position, view in enumerate(candidates):
            for pair in view.template_labels.items():
                by_pair.setdefault(pair, []).append(position)
                by_key.setdefault(pair[0], []).append(position)
        everyone = list(range(len(candidates)))
        reported: set[tuple[int, int]] = set()
        for position, view in enumerate(candidates):
            if len(reported) >= MAX_OVERLAP_PAIRS:
                break  # N sets with one selector are N*(N-1)/2 pairs: bounded for large inputs
            options: list[list[int]] = [by_pair.get(pair, []) for pair in view.selector.match_labels.items()]
            for req in view.selector.match_expressions:
                if req.operator == "In":
                    options.append(sorted({p for value in req.values for p in by_pair.get((req.key, value), [])}))
                elif req.operator == "Exists":
                    options.append(by_key.get(req.key, []))
            others = min(options, key=len) if options else everyone
            for other_position in others:
                if other_position == position or len(reported) >= MAX_OVERLAP_PAIRS:
                    continue
                other = candidates[other_position]
                # Two definitions of the same StatefulSet are `duplicate-object`, not a fight.
                if other.name == view.name or not view.selector.matches(other.template_labels):
                    continue
                seen = (min(position, other_position), max(position, other_position))
                if seen in reported:
                    continue
                reported.add(seen)
                later, earlier = (view, other) if position > other_position else (other, view)
                ways = [f"the selector of {a.name} selects the pods of {b.name}" for a, b in
                        ((later, earlier), (earlier, later)) if a.selector.matches(b.template_labels)]
                yield context.emit("selector-overlap", later.obj, f"StatefulSets {later.namespace}/{later.name} and "
                                   f"{earlier.namespace}/{earlier.name} overlap ({' and '.join(ways)}); their "
                                   "controllers would fight over the pods", ("spec", "selector"),
                                   "add a distinguishing label to each pod template and selector",
                                   related=[(earlier.obj, ("spec", "selector"),
                                             f"StatefulSet {earlier.namespace}/{earlier.name}")])


def _group(api_version: str) -> str:
    return api_version.split("/")[0] if "/" in api_version else ""


@rule("duplicate-object", E, "The same object is defined twice in the input.", "runtime",
      "Kubernetes object identity: (group, kind, namespace, name); kubectl apply keeps the last one", scope="set")
def duplicate_object(context: RuleContext) -> Iterator[Finding]:
    """
    Two documents with the same API group, kind, namespace and name describe one object: applying
    both keeps only the last one, so one of them is silently lost. Usually a copy-paste leftover
    or the same file included twice.

    Bad:
        kind: Service
        metadata: {name: nginx}
        ---
        kind: Service
        metadata: {name: nginx}
    Good:
        kind: Service
        metadata: {name: nginx}
        ---
        kind: Service
        metadata: {name: nginx-public}
    """
    seen: dict[tuple[str, str, str, str], ManifestObject] = {}
    objects = [v.obj for v in context.statefulsets] + [s.obj for s in context.services] + list(context.others)
    objects.sort(key=lambda o: (o.origin, o.document, o.item if o.item is not None else -1))
    for obj in objects:
        if not obj.name or not obj.kind:
            continue
        key = (_group(obj.api_version), obj.kind, obj.namespace or context.namespace, obj.name)
        first = seen.get(key)
        if first is None:
            seen[key] = obj
            continue
        yield context.emit("duplicate-object", obj, f"{obj.kind} {key[2]}/{obj.name} is defined twice; only one "
                           "definition survives kubectl apply", ("metadata", "name"),
                           "remove one definition or rename it", at_value=True,
                           related=[(first, ("metadata", "name"), "first definition")])
