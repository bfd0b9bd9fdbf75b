"""The render model: the Pods, PVCs, orders and DNS records one StatefulSet produces.

Pure functions from views to dataclasses; the formatters (`*_format.py`) only lay them out.

Values that only exist in a cluster are never invented:

* the `controller-revision-hash` label is shown as `<assigned at run time>` (RUNTIME);
* owner reference uids are `<uid:Kind/name>` placeholders (UID_TOKEN) in YAML and null in JSON;
* pod IP addresses in DNS records are `<ipv4:pod>` / `<ipv6:pod>` tokens, and PTR names are
  `<ipv4-reversed:pod>.in-addr.arpa` / `<ipv6-reversed:pod>.ip6.arpa`.
"""

from __future__ import annotations

import bisect
import copy
import dataclasses
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar, overload

from sts_cli import ordering
from sts_cli.findings import Finding, Severity
from sts_cli.model import ClaimTemplate, ServiceView, StatefulSetView

RUNTIME = "<assigned at run time>"
DEFAULT_CLUSTER_DOMAIN = "cluster.local"
_DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")


_T = TypeVar("_T")


class LazyList(Sequence[_T], Generic[_T]):
    """A read-only list whose items are made when read: a set of 100,000 pods keeps no plan of each
    pod, PVC and DNS record, and formatters go through them once or twice.

    Made of sections, each `(length, item)` where `item(i)` makes the i-th item of the section.
    """

    __slots__ = ("_length", "_sections", "_starts")

    def __init__(self, sections: Sequence[tuple[int, Callable[[int], _T]]] | None = None) -> None:
        self._sections = [(n, item) for n, item in sections or [] if n > 0]
        self._starts: list[int] = []
        total = 0
        for length, _item in self._sections:
            self._starts.append(total)
            total += length
        self._length = total

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, index: int) -> _T: ...

    @overload
    def __getitem__(self, index: slice) -> list[_T]: ...

    def __getitem__(self, index: int | slice) -> _T | list[_T]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._length))]
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError("LazyList index out of range")
        section = bisect.bisect_right(self._starts, index) - 1
        return self._sections[section][1](index - self._starts[section])

    def __iter__(self) -> Iterator[_T]:
        for length, item in self._sections:
            yield from map(item, range(length))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"LazyList({list(self)!r})"


class RecordList(LazyList["DnsRecord"]):
    """The per-pod DNS records of a set, made when read, and `widest`: a few of them that hold the
    longest name, type and value of all (formatters align columns on them without making every
    record first)."""

    __slots__ = ("widest",)

    def __init__(self, sections: Sequence[tuple[int, Callable[[int], DnsRecord]]],
                 widest: Sequence[DnsRecord]) -> None:
        super().__init__(sections)
        self.widest = list(widest)


def uid_token(ref: ordering.OwnerRef) -> str:
    """Placeholder for the uid of an owner: `<uid:StatefulSet/web>` (assigned by the API server)."""
    return f"<uid:{ref.kind}/{ref.name}>"


@dataclass(frozen=True, slots=True)
class RenderOptions:
    kubernetes_version: str
    cluster_domain: str = DEFAULT_CLUSTER_DOMAIN
    namespace: str = "default"
    replicas: int | None = None
    max_replicas: int = 10_000  # MAX_RENDER_REPLICAS: the largest set drawn (--max-replicas)


@dataclass(frozen=True, slots=True)
class ClaimVolume:
    """A pod volume backed by a PVC: volume `name` (the claim template name) -> PVC `claim`."""

    name: str
    claim: str


@dataclass(slots=True)
class PodPlan:
    name: str
    ordinal: int
    namespace: str
    hostname: str
    subdomain: str
    fqdn: str | None
    labels: dict[str, str]
    added_labels: dict[str, str]
    annotations: dict[str, str]
    claim_volumes: list[ClaimVolume]
    owner: ordering.OwnerRef
    view: StatefulSetView = field(repr=False, compare=False)

    @property
    def manifest(self) -> dict[str, Any]:
        """The Pod object (built on each access: a large set keeps no copy of every pod)."""
        return pod_manifest(self.view, self.ordinal)


@dataclass(slots=True)
class ClaimPlan:
    name: str
    template: str
    pod: str
    ordinal: int
    namespace: str
    storage: str | None
    access_modes: tuple[str, ...]
    storage_class: str | None
    volume_mode: str
    labels: dict[str, str]
    owners: tuple[ordering.OwnerRef, ...]
    fate: ordering.ClaimFate
    retained: bool  # a PVC left behind by a scale-down (its pod is gone)
    view: StatefulSetView = field(repr=False, compare=False)
    claim_template: ClaimTemplate = field(repr=False, compare=False)

    @property
    def manifest(self) -> dict[str, Any]:
        """The PVC object (built on each access)."""
        return claim_manifest(self.view, self.claim_template, self.ordinal, self.owners)


@dataclass(frozen=True, slots=True)
class DnsRecord:
    name: str
    type: str
    value: str
    pod: str | None = None
    port: int | None = None
    priority: int | None = None
    weight: int | None = None
    target: str | None = None
    when: str = ""


@dataclass(slots=True)
class ServiceStatus:
    """The governing Service as found in the input, and whether it gives pods DNS names."""

    name: str
    namespace: str
    service: ServiceView | None
    kind: str  # headless | cluster-ip | external-name | missing | other-namespace | none
    per_pod_records: bool
    reason: str
    selected_pods: list[str] = field(default_factory=list)

    @property
    def publish_not_ready(self) -> bool:
        return self.service is not None and self.service.publish_not_ready_addresses


@dataclass(slots=True)
class SetPlan:
    view: StatefulSetView
    options: RenderOptions
    replicas: int
    manifest_replicas: int
    service: ServiceStatus
    pods: Sequence[PodPlan]
    claims: Sequence[ClaimPlan]
    creation: list[list[str]]
    scale_down: list[list[str]]
    update: ordering.UpdatePlan
    records: Sequence[DnsRecord]
    dns_notes: list[str]
    scale: ordering.ScaleChange | None
    retained_claims: Sequence[ClaimPlan]
    notes: list[str]

    @property
    def name(self) -> str:
        return self.view.name

    @property
    def namespace(self) -> str:
        return self.view.namespace


@dataclass(slots=True)
class RenderResult:
    sets: list[SetPlan]
    problems: list[Finding]
    options: RenderOptions
    unreadable: bool = False


# --- pods and claims -----------------------------------------------------------------------------

def unique_claim_templates(view: StatefulSetView) -> list[ClaimTemplate]:
    """Claim templates by name: the controller keys them by name, so a later duplicate wins."""
    by_name: dict[str, ClaimTemplate] = {}
    for template in view.claim_templates:
        by_name[template.name] = template
    order = list(dict.fromkeys(t.name for t in view.claim_templates))
    return [by_name[name] for name in order]


def pod_labels(view: StatefulSetView, ordinal: int, with_revision: bool = True) -> dict[str, str]:
    """Template labels, then the labels the controller writes over them (fact sheet 6.2)."""
    labels = dict(view.template_labels)
    if with_revision:
        labels[ordering.REVISION_LABEL] = RUNTIME
    labels[ordering.POD_NAME_LABEL] = ordering.pod_name(view.name, ordinal)
    labels[ordering.POD_INDEX_LABEL] = str(ordinal)
    return labels


def added_labels(view: StatefulSetView, ordinal: int) -> dict[str, str]:
    return {
        ordering.POD_NAME_LABEL: ordering.pod_name(view.name, ordinal),
        ordering.POD_INDEX_LABEL: str(ordinal),
        ordering.REVISION_LABEL: RUNTIME,
    }


def claim_labels(view: StatefulSetView, template: ClaimTemplate) -> dict[str, str]:
    """Claim template labels with every `selector.matchLabels` pair written over them."""
    labels = dict(template.labels)
    labels.update(view.selector.match_labels)
    return labels


def fqdn(pod: str, service: str, namespace: str, cluster_domain: str) -> str:
    return f"{pod}.{service}.{namespace}.svc.{cluster_domain}".lower()


def _owner_dict(ref: ordering.OwnerRef) -> dict[str, Any]:
    return {"apiVersion": ref.api_version, "kind": ref.kind, "name": ref.name, "uid": uid_token(ref),
            "controller": ref.controller, "blockOwnerDeletion": ref.block_owner_deletion}


def _sorted(mapping: dict[str, str]) -> dict[str, str]:
    return {key: mapping[key] for key in sorted(mapping)}


def pod_manifest(view: StatefulSetView, ordinal: int) -> dict[str, Any]:
    """The Pod as the controller creates it (without the run-time `controller-revision-hash` label).

    Metadata: name, generateName `<set>-`, namespace, template labels plus the controller's,
    template annotations, the StatefulSet as controller owner. Spec: the template spec as written
    (API defaults not added), claim volumes first (a claim replaces a same-named template
    volume), then the other template volumes; `hostname` = pod name, `subdomain` = serviceName.
    """
    name = ordering.pod_name(view.name, ordinal)
    metadata: dict[str, Any] = {"name": name, "generateName": f"{view.name}-", "namespace": view.namespace,
                                "labels": _sorted(pod_labels(view, ordinal, with_revision=False))}
    if view.template_annotations:
        metadata["annotations"] = _sorted(view.template_annotations)
    template_meta = view.obj.get(("spec", "template", "metadata"))
    if isinstance(template_meta, dict) and isinstance(template_meta.get("finalizers"), list):
        metadata["finalizers"] = copy.deepcopy(template_meta["finalizers"])
    metadata["ownerReferences"] = [_owner_dict(ordering.set_owner(view))]
    spec = copy.deepcopy(view.pod_spec)
    templates = unique_claim_templates(view)
    claim_volume_names = {t.name for t in templates}
    volumes: list[Any] = [{"name": t.name, "persistentVolumeClaim": {
        "claimName": ordering.claim_name(t.name, view.name, ordinal)}} for t in templates]
    volumes += [v for v in view.template_volumes() if v.get("name") not in claim_volume_names]
    if volumes:
        spec["volumes"] = volumes
    else:
        spec.pop("volumes", None)
    spec["hostname"] = name
    if view.service_name:
        spec["subdomain"] = view.service_name
    else:
        spec.pop("subdomain", None)
    return {"apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": spec}


def claim_manifest(view: StatefulSetView, template: ClaimTemplate, ordinal: int,
                   owners: tuple[ordering.OwnerRef, ...]) -> dict[str, Any]:
    """The PVC as the controller creates it: a copy of the claim template with the PVC name, the
    set's namespace, labels merged with `matchLabels`, owner references per the retention policy,
    and `volumeMode: Filesystem` filled in as the API server defaults it."""
    raw = view.obj.get(("spec", "volumeClaimTemplates", template.index, "metadata"))
    metadata: dict[str, Any] = copy.deepcopy(raw) if isinstance(raw, dict) else {}
    metadata.pop("creationTimestamp", None)
    labels = claim_labels(view, template)
    rest = {k: v for k, v in metadata.items() if k not in ("name", "namespace", "labels", "ownerReferences")}
    out: dict[str, Any] = {"name": ordering.claim_name(template.name, view.name, ordinal),
                           "namespace": view.namespace}
    if labels:
        out["labels"] = _sorted(labels)
    for key, value in rest.items():
        out[key] = value
    if owners:
        out["ownerReferences"] = [_owner_dict(ref) for ref in owners]
    spec = copy.deepcopy(template.spec)
    spec.setdefault("volumeMode", "Filesystem")
    return {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": out, "spec": spec}


def _pod_plan(view: StatefulSetView, ordinal: int, options: RenderOptions) -> PodPlan:
    name = ordering.pod_name(view.name, ordinal)
    volumes = [ClaimVolume(t.name, ordering.claim_name(t.name, view.name, ordinal))
               for t in unique_claim_templates(view)]
    return PodPlan(
        name=name, ordinal=ordinal, namespace=view.namespace, hostname=name, subdomain=view.service_name,
        fqdn=fqdn(name, view.service_name, view.namespace, options.cluster_domain) if view.service_name else None,
        labels=pod_labels(view, ordinal), added_labels=added_labels(view, ordinal),
        annotations=dict(view.template_annotations), claim_volumes=volumes,
        owner=ordering.set_owner(view), view=view)


def _claim_plan(view: StatefulSetView, template: ClaimTemplate, ordinal: int, in_range: bool) -> ClaimPlan:
    owners = ordering.claim_owners(view, ordinal, in_range)
    when_deleted, when_scaled = ordering.retention_policy(view)
    fate = ordering.ClaimFate(
        claim=ordering.claim_name(template.name, view.name, ordinal), template=template.name,
        pod=ordering.pod_name(view.name, ordinal), ordinal=ordinal,
        owners_in_range=ordering.claim_owners(view, ordinal, True),
        owners_after_scale_down=ordering.claim_owners(view, ordinal, False),
        deleted_on_scale_down=when_scaled == ordering.DELETE,
        deleted_with_set=when_deleted == ordering.DELETE)
    return ClaimPlan(
        name=fate.claim, template=template.name, pod=fate.pod, ordinal=ordinal, namespace=view.namespace,
        storage=template.storage, access_modes=template.access_modes, storage_class=template.storage_class,
        volume_mode=template.volume_mode, labels=claim_labels(view, template), owners=owners, fate=fate,
        retained=not in_range, view=view, claim_template=template)


# --- the governing Service and DNS ---------------------------------------------------------------

def governing_service(view: StatefulSetView, services: list[ServiceView]) -> ServiceStatus:
    """Find `spec.serviceName` among the input Services and say whether pods get DNS records."""
    name, namespace = view.service_name, view.namespace
    if not name:
        return ServiceStatus("", namespace, None, "none", False,
                             "spec.serviceName is empty: pods get no subdomain, so no per-pod DNS names")
    same = [s for s in services if s.name == name and s.namespace == namespace]
    if not same:
        elsewhere = sorted({s.namespace for s in services if s.name == name})
        if elsewhere:
            return ServiceStatus(name, namespace, None, "other-namespace", False,
                                 f"Service {name!r} is in namespace {', '.join(elsewhere)}, not {namespace!r}: "
                                 "the governing Service must be in the StatefulSet's namespace, so no "
                                 "per-pod DNS records will exist")
        return ServiceStatus(name, namespace, None, "missing", False,
                             f"Service {namespace}/{name} is not in the input: per-pod DNS records exist only "
                             "while a headless Service of that name selects the pods (add it to the input "
                             "to render its records)")
    service = same[0]
    if service.type == "ExternalName":
        return ServiceStatus(name, namespace, service, "external-name", False,
                             f"Service {namespace}/{name} is of type ExternalName (a CNAME): no per-pod DNS "
                             "records will exist")
    if not service.headless:
        return ServiceStatus(name, namespace, service, "cluster-ip", False,
                             f"Service {namespace}/{name} is not headless (type {service.type}, clusterIP "
                             f"{service.cluster_ip or '<allocated>'}): it gets one virtual IP and no per-pod "
                             "DNS records; set `clusterIP: None`")
    if not service.selector:
        return ServiceStatus(name, namespace, service, "headless", False,
                             f"Service {namespace}/{name} has no selector: no EndpointSlices are created for "
                             "it, so no per-pod DNS records will exist (unless EndpointSlices are written by "
                             "hand)")
    selected = [ordering.pod_name(view.name, ordinal) for ordinal in view.ordinals
                if _selects(service.selector, pod_labels(view, ordinal, with_revision=False))]
    if ordering.REVISION_LABEL in service.selector:
        return ServiceStatus(name, namespace, service, "headless", False,
                             f"Service {namespace}/{name} selects on {ordering.REVISION_LABEL}, whose value is "
                             "assigned at run time: which pods it selects cannot be known offline")
    if not selected and view.ordinals:
        wanted = ", ".join(f"{k}={v}" for k, v in service.selector.items())
        return ServiceStatus(name, namespace, service, "headless", False,
                             f"Service {namespace}/{name} selects {wanted}, which the pods' labels do not "
                             "match: no per-pod DNS records will exist")
    return ServiceStatus(name, namespace, service, "headless", True, "", selected)


def _selects(selector: dict[str, str], labels: dict[str, str]) -> bool:
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


def ip_families(service: ServiceView) -> list[str]:
    """`spec.ipFamilies` when given; RequireDualStack without it means both; otherwise IPv4
    (the cluster's primary family, which is not known offline)."""
    families = [f for f in service.ip_families if f in ("IPv4", "IPv6")]
    if families:
        return list(dict.fromkeys(families))
    policy = service.obj.get(("spec", "ipFamilyPolicy"))
    if policy == "RequireDualStack":
        return ["IPv4", "IPv6"]
    return ["IPv4"]


def _ip_token(family: str, pod: str) -> str:
    return f"<{family.lower()}:{pod}>"


def _ptr_name(family: str, pod: str) -> str:
    return f"<{family.lower()}-reversed:{pod}>." + ("in-addr.arpa" if family == "IPv4" else "ip6.arpa")


def _resolve_target_port(view: StatefulSetView, port_target: int | str | None, protocol: str) -> int | None:
    """The endpoint port of a Service port: a number as is, a name looked up among the container
    ports with the same protocol (as the EndpointSlice controller does)."""
    if isinstance(port_target, int):
        return port_target
    if isinstance(port_target, str):
        for cport in view.container_ports():
            if cport.name == port_target and cport.protocol == protocol and cport.port is not None:
                return cport.port
    return None


def srv_weight(targets: int) -> int:
    """CoreDNS spreads weight 100 over the targets of one name and priority (floor(100 / N))."""
    return 100 // targets if targets else 0


def dns_records(view: StatefulSetView, status: ServiceStatus, options: RenderOptions,
                ) -> tuple[Sequence[DnsRecord], list[str]]:
    """Records cluster DNS serves for the set's pods through the governing Service (fact sheet 7)."""
    records: list[DnsRecord] = []
    notes: list[str] = []
    service = status.service
    domain = options.cluster_domain
    if service is None:
        return records, notes
    svc_fqdn = f"{service.name}.{service.namespace}.svc.{domain}".lower()
    if status.kind == "external-name":
        target = service.obj.get(("spec", "externalName"))
        records.append(DnsRecord(svc_fqdn, "CNAME", str(target).lower() if isinstance(target, str) else "<unset>"))
        return records, notes
    if status.kind == "cluster-ip":
        families = ip_families(service)
        ips = list(service.cluster_ips) or ([service.cluster_ip] if service.cluster_ip else [])
        for index, family in enumerate(families):
            value = ips[index] if index < len(ips) else f"<cluster-ip-{family.lower()}:{service.name}>"
            records.append(DnsRecord(svc_fqdn, "A" if family == "IPv4" else "AAAA", value,
                                     when="while the Service exists"))
        for port in service.ports:
            if port.name and port.port is not None:
                records.append(DnsRecord(f"_{port.name}._{port.protocol}.{svc_fqdn}".lower(), "SRV",
                                         f"0 100 {port.port} {svc_fqdn}", port=port.port, priority=0, weight=100,
                                         target=svc_fqdn, when="while the Service exists"))
        notes.append("a ClusterIP Service load-balances over its pods behind one virtual IP: pods are not "
                     "addressable by name")
        return records, notes
    if not status.per_pod_records:
        return records, notes
    pods = status.selected_pods
    publish = service.publish_not_ready_addresses
    families = ip_families(service)
    if publish:
        notes.append("publishNotReadyAddresses: true: every pod is published as soon as it has an IP, "
                     "ready or not (what peer discovery needs)")
    else:
        notes.append("publishNotReadyAddresses is false: a pod's records exist only while it is Ready; with no "
                     f"Ready pod {svc_fqdn} answers NXDOMAIN")
    if len(families) == 1 and not service.ip_families:
        notes.append("IP addresses are unknown offline: <ipv4:POD> stands for the pod's IP (IPv4 assumed, "
                     "the cluster's primary family)")
    else:
        notes.append("IP addresses are unknown offline: <ipv4:POD> / <ipv6:POD> stand for the pod's IPs")

    def when(pod: str) -> str:
        return f"once {pod} has an IP, ready or not" if publish else f"while {pod} is Ready"

    # Made when read, in this order: the Service name's A/AAAA records (family by family), each
    # pod's own A/AAAA records, the SRV records (port by port), the PTR records.
    count, width = len(pods), len(families)

    def service_record(i: int) -> DnsRecord:
        family, pod = families[i // count], pods[i % count]
        return DnsRecord(svc_fqdn, "A" if family == "IPv4" else "AAAA", _ip_token(family, pod), pod=pod,
                         when=when(pod))

    def pod_record(i: int) -> DnsRecord:
        pod, family = pods[i // width], families[i % width]
        return DnsRecord(fqdn(pod, service.name, service.namespace, domain), "A" if family == "IPv4" else "AAAA",
                         _ip_token(family, pod), pod=pod, when=when(pod))

    def ptr_record(i: int) -> DnsRecord:
        pod, family = pods[i // width], families[i % width]
        return DnsRecord(_ptr_name(family, pod), "PTR", fqdn(pod, service.name, service.namespace, domain),
                         pod=pod, when=when(pod))

    def srv_records(name: str, number: int, weight: int) -> Callable[[int], DnsRecord]:
        def srv_record(i: int) -> DnsRecord:
            pod = pods[i]
            target = fqdn(pod, service.name, service.namespace, domain)
            return DnsRecord(name, "SRV", f"0 {weight} {number} {target}", pod=pod, port=number,
                             priority=0, weight=weight, target=target, when=when(pod))
        return srv_record

    sections: list[tuple[int, Callable[[int], DnsRecord]]] = [(width * count, service_record),
                                                              (count * width, pod_record)]
    unnamed = [p for p in service.ports if not p.name]
    for port in service.ports:
        if not port.name:
            continue
        number = _resolve_target_port(view, port.target_port, port.protocol)
        if number is None:
            notes.append(f"port {port.name!r}: targetPort {port.target_port!r} names no {port.protocol} container "
                         "port of the pods, so the EndpointSlices carry no such port and no SRV record exists")
            continue
        name = f"_{port.name}._{port.protocol}.{svc_fqdn}".lower()
        sections.append((count, srv_records(name, number, srv_weight(len(pods)))))
    if unnamed:
        ports = ", ".join(str(p.port) for p in unnamed)
        notes.append(f"unnamed port(s) {ports}: no SRV records (SRV needs a port name)")
    if not service.ports:
        notes.append("the Service has no ports: A/AAAA records only, no SRV")
    sections.append((count * width, ptr_record))
    # Every pod name is `<set>-<ordinal>`: within a section, records differ only by the ordinal's
    # digits (str.lower() keeps the lengths of the parts around them), so the records of the pod
    # with the longest name are the widest of each section.
    widest: list[DnsRecord] = []
    if count:
        longest = max(range(count), key=lambda i: len(pods[i]))
        widest += [service_record(family * count + longest) for family in range(width)]
        widest += [pod_record(longest * width + family) for family in range(width)]
        widest += [item(longest) for _length, item in sections[2:-1]]
        widest += [ptr_record(longest * width + family) for family in range(width)]
    notes.append("SRV priority and weight are the DNS server's choice (shown as CoreDNS sets them: priority 0, "
                 "weight 100 divided among the targets); the port is the pod's endpoint port (targetPort)")
    return RecordList(sections, widest), notes


# --- one StatefulSet -----------------------------------------------------------------------------

def _notes(view: StatefulSetView, replicas: int) -> list[str]:
    notes: list[str] = []
    names = [t.name for t in view.claim_templates]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        notes.append(f"claim template(s) {', '.join(duplicates)} appear more than once: the controller keys "
                     "them by name, so the last one wins")
    replaced = sorted({t.name for t in view.claim_templates} & {str(v.get('name')) for v in view.template_volumes()})
    if replaced:
        notes.append(f"template volume(s) {', '.join(replaced)} are replaced by the claim template of the same "
                     "name in every pod")
    if view.pod_management_policy not in (ordering.ORDERED_READY, ordering.PARALLEL):
        notes.append(f"podManagementPolicy {view.pod_management_policy!r} is invalid (the API server rejects it); "
                     "rendered as OrderedReady")
    if view.update_strategy not in (ordering.ROLLING_UPDATE, ordering.ON_DELETE):
        notes.append(f"updateStrategy.type {view.update_strategy!r} is invalid (the API server rejects it); "
                     "rendered as RollingUpdate")
    if view.min_ready_seconds > 0 and view.pod_management_policy != ordering.PARALLEL:
        notes.append(f"minReadySeconds {view.min_ready_seconds}: each pod must stay Ready that long before the "
                     "next one is created or replaced")
    if replicas == 0:
        notes.append("replicas is 0: no pod, no PVC and no DNS record")
    elif len(ordering.pod_name(view.name, view.ordinals_start + replicas - 1)) > 63:
        notes.append(f"pod name {ordering.pod_name(view.name, view.ordinals_start + replicas - 1)!r} is longer "
                     "than 63 characters: the API server rejects it as a hostname and label value, so the pod "
                     "is never created")
    elif len(view.name) > 52:
        notes.append(f"the name {view.name!r} is {len(view.name)} characters: the controller-revision-hash label "
                     "(<name>-<hash>, up to 63) may be too long and pod creation then fails; keep names to 52")
    return notes


def plan_set(view: StatefulSetView, services: list[ServiceView], options: RenderOptions) -> SetPlan:
    """Everything the controller and cluster DNS create for one StatefulSet.

    With `options.replicas` the set is shown at that size and `scale` tells what the change from
    the manifest's replicas adds and removes.
    """
    replicas = max(view.replicas, 0) if options.replicas is None else max(options.replicas, 0)
    scale = ordering.scale_change(view, replicas) if options.replicas is not None else None
    scaled = view if options.replicas is None else _with_replicas(view, replicas)
    status = governing_service(scaled, services)
    ordinals = scaled.ordinals
    start = ordinals[0] if ordinals else 0
    templates = unique_claim_templates(scaled)
    per_pod = len(templates)
    # Pods, PVCs (ordinal by ordinal, claim templates in order) and retained PVCs: made when read.
    pods = LazyList([(len(ordinals), lambda i: _pod_plan(scaled, start + i, options))])
    claims = LazyList([(len(ordinals) * per_pod,
                        lambda i: _claim_plan(scaled, templates[i % per_pod], start + i // per_pod, True))])
    retained = LazyList[ClaimPlan]()
    if scale is not None and scale.claims_retained:
        gone = [ordering.ordinal_of(view, name) for name in scale.pods_removed[::-1]]
        retained = LazyList([(len(gone) * per_pod,
                              lambda i: _claim_plan(scaled, templates[i % per_pod], gone[i // per_pod], False))])
    records, dns_notes = dns_records(scaled, status, options)
    if not status.per_pod_records and status.reason:
        dns_notes.insert(0, status.reason)
    return SetPlan(
        view=scaled, options=options, replicas=replicas, manifest_replicas=max(view.replicas, 0),
        service=status, pods=pods, claims=claims,
        creation=ordering.creation_order(scaled), scale_down=ordering.scale_down_order(scaled, 0),
        update=ordering.update_plan(scaled, options.kubernetes_version), records=records, dns_notes=dns_notes,
        scale=scale, retained_claims=retained, notes=_notes(scaled, replicas))


def _with_replicas(view: StatefulSetView, replicas: int) -> StatefulSetView:
    return dataclasses.replace(view, replicas=replicas)


# --- objects too broken to render ----------------------------------------------------------------

# Rendering is linear in pods and PVCs (about 45 us each for the table, 15 us for YAML, pods and
# PVCs made when read and the output streamed), and the YAML and JSON formats write the pod
# template once per pod (output grows with replicas times template values): bounded for hostile
# input. `--max-replicas N` raises the bound: N pods, 10 PVCs and 300 template values per pod.
MAX_RENDER_REPLICAS = 10_000
MAX_RENDER_CLAIMS = 100_000
MAX_RENDER_NODES = 500_000
MAX_TEMPLATE_NODES = 20_000  # a real pod template has a few hundred


def _nodes_at_least(value: Any, limit: int) -> int:
    """Nodes of `value` (aliases counted each time they are used), counted up to `limit`."""
    count = 0
    stack = [value]
    while stack and count <= limit:
        node = stack.pop()
        count += 1
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return count


def render_limits(max_replicas: int = MAX_RENDER_REPLICAS) -> tuple[int, int, int]:
    """Pods, PVCs and pod template values times pods that sts renders, for `--max-replicas`."""
    if max_replicas <= MAX_RENDER_REPLICAS:
        return max_replicas, MAX_RENDER_CLAIMS, MAX_RENDER_NODES
    return max_replicas, max(MAX_RENDER_CLAIMS, 10 * max_replicas), max(MAX_RENDER_NODES, 300 * max_replicas)


def render_problems(view: StatefulSetView, max_replicas: int = MAX_RENDER_REPLICAS) -> list[Finding]:
    """Reasons the controller could never create pods for this StatefulSet (an empty list: renderable),
    and sizes beyond what sts draws (`max_replicas`, see `render_limits`)."""
    most_pods, most_claims, most_nodes = render_limits(max_replicas)
    obj = view.obj
    out: list[Finding] = []

    def problem(rule: str, message: str, path: tuple[str | int, ...], hint: str) -> None:
        out.append(obj.finding(rule, Severity.ERROR, message, path, hint, default_namespace=view.namespace))

    if not view.name:
        problem("render-no-name", "StatefulSet has no metadata.name: pod and PVC names cannot be derived",
                ("metadata",), "add `metadata.name`")
        return out
    if not _DNS_LABEL.match(view.name) or len(view.name) > 63:
        problem("render-bad-name", f"StatefulSet name {view.name!r} is not a DNS label: the API server rejects it "
                "and pods named after it could not exist", ("metadata", "name"),
                "use lowercase letters, digits and '-', at most 63 characters")
    if not view.selector_present:
        problem("render-no-selector", "spec.selector is missing: the API server rejects the StatefulSet",
                ("spec",), "add `spec.selector.matchLabels` matching the template labels")
    elif view.selector.empty:
        problem("render-empty-selector", "spec.selector is empty: the API server rejects the StatefulSet",
                ("spec", "selector"), "add `matchLabels` matching the template labels")
    elif not view.selector.matches(view.template_labels):
        problem("render-selector-mismatch", "spec.selector does not match spec.template.metadata.labels: the API "
                "server rejects the StatefulSet", ("spec", "selector"),
                "make every matchLabels pair a template label")
    for path, label in ((("spec", "replicas"), "spec.replicas"), (("spec", "ordinals", "start"),
                                                                   "spec.ordinals.start")):
        value = obj.get(path)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            problem("render-bad-number", f"{label} is {value!r}, not a whole number: the API server rejects the "
                    "StatefulSet", path, "write a plain number without quotes")
    for template in view.claim_templates:
        if not template.name:
            problem("render-claim-no-name", f"volumeClaimTemplates[{template.index}] has no metadata.name: its PVC "
                    "and pod volume names cannot be derived", ("spec", "volumeClaimTemplates", template.index),
                    "add `metadata.name` (a DNS label, the name containers mount)")
    if view.replicas < 0:
        problem("render-negative-replicas", f"spec.replicas is {view.replicas}: must be 0 or more",
                ("spec", "replicas"), "use a number >= 0")
    elif view.replicas > most_pods or view.replicas * len(view.claim_templates) > most_claims:
        problem("render-too-large", f"spec.replicas is {view.replicas}: sts renders at most {most_pods} "
                f"pods and {most_claims} PVCs", ("spec", "replicas"),
                "is this many pods intended? `--max-replicas N` draws up to N pods")
    elif (template_nodes := _nodes_at_least(obj.get(("spec", "template")), MAX_TEMPLATE_NODES)) \
            > MAX_TEMPLATE_NODES or view.replicas * template_nodes > most_nodes:
        more = "+" if template_nodes > MAX_TEMPLATE_NODES else ""
        problem("render-too-large", f"the pod template has {template_nodes}{more} values (aliases expanded), "
                f"times {view.replicas} pods: sts renders at most {most_nodes}", ("spec", "template"),
                "a real pod template has a few hundred values: look for YAML aliases that repeat large parts")
    if view.ordinals_start < 0:
        problem("render-negative-start", f"spec.ordinals.start is {view.ordinals_start}: must be 0 or more",
                ("spec", "ordinals", "start"), "use a number >= 0")
    return out
