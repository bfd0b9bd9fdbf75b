"""Typed, defaulted views of StatefulSets and Services, as the API server would store them.

Views never fail: a field of the wrong type (already a schema finding) reads as its default,
so rules and render can be written for the well-typed case.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sts_cli.documents import ManifestObject


def _map(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _int(value: Any, default: int) -> int:
    if isinstance(value, bool):
        return default
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return default


def _str(value: Any, default: str = "") -> str:
    return value if isinstance(value, str) else default


def string_map(value: Any) -> dict[str, str]:
    """Labels, annotations, matchLabels, Service selectors: only string-to-string entries.

    A mapping that holds nothing else is returned as it is, not copied: views share it with the
    object (neither is ever changed once read).
    """
    if type(value) is dict:
        for key, item in value.items():
            if type(key) is not str or not isinstance(item, str):
                break
        else:
            return value
    return {str(k): v for k, v in _map(value).items() if isinstance(v, str)}


@dataclass(frozen=True, slots=True)
class SelectorRequirement:
    key: str
    operator: str
    values: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LabelSelector:
    match_labels: dict[str, str]
    match_expressions: tuple[SelectorRequirement, ...]

    @property
    def empty(self) -> bool:
        return not self.match_labels and not self.match_expressions

    def matches(self, labels: dict[str, str]) -> bool:
        """metav1.LabelSelector semantics (an empty selector here matches nothing: invalid for sets)."""
        if self.empty:
            return False
        for key, value in self.match_labels.items():
            if labels.get(key) != value:
                return False
        for req in self.match_expressions:
            present = req.key in labels
            if req.operator == "In" and not (present and labels[req.key] in req.values):
                return False
            if req.operator == "NotIn" and present and labels[req.key] in req.values:
                return False
            if req.operator == "Exists" and not present:
                return False
            if req.operator == "DoesNotExist" and present:
                return False
            if req.operator not in ("In", "NotIn", "Exists", "DoesNotExist"):
                return False
        return True


def parse_selector(value: Any) -> LabelSelector:
    data = _map(value)
    requirements = []
    for item in _list(data.get("matchExpressions")):
        item = _map(item)
        requirements.append(SelectorRequirement(
            _str(item.get("key")), _str(item.get("operator")),
            tuple(v for v in _list(item.get("values")) if isinstance(v, str))))
    return LabelSelector(string_map(data.get("matchLabels")), tuple(requirements))


@dataclass(frozen=True, slots=True)
class ClaimTemplate:
    index: int
    name: str
    labels: dict[str, str]
    annotations: dict[str, str]
    access_modes: tuple[str, ...]
    storage: str | None
    storage_class: str | None
    volume_mode: str
    spec: dict[str, Any]


@dataclass(frozen=True, slots=True)
class ContainerPort:
    container: str
    name: str
    port: int | None
    protocol: str


@dataclass(slots=True)
class StatefulSetView:
    obj: ManifestObject
    name: str
    namespace: str
    replicas: int
    ordinals_start: int
    service_name: str
    selector: LabelSelector
    selector_present: bool
    template_labels: dict[str, str]
    template_annotations: dict[str, str]
    pod_spec: dict[str, Any]
    pod_management_policy: str
    update_strategy: str
    partition: int
    max_unavailable: int | str | None
    revision_history_limit: int
    min_ready_seconds: int
    when_deleted: str
    when_scaled: str
    claim_templates: list[ClaimTemplate] = field(default_factory=list)

    @property
    def ordinals(self) -> range:
        return range(self.ordinals_start, self.ordinals_start + max(self.replicas, 0))

    def pod_name(self, ordinal: int) -> str:
        return f"{self.name}-{ordinal}"

    def containers(self, include_init: bool = False) -> list[dict[str, Any]]:
        found = [c for c in _list(self.pod_spec.get("containers")) if isinstance(c, dict)]
        if include_init:
            found += [c for c in _list(self.pod_spec.get("initContainers")) if isinstance(c, dict)]
        return found

    def container_ports(self) -> list[ContainerPort]:
        ports: list[ContainerPort] = []
        for container in self.containers():
            for port in _list(container.get("ports")):
                port = _map(port)
                number = port.get("containerPort")
                ports.append(ContainerPort(
                    _str(container.get("name")), _str(port.get("name")),
                    number if isinstance(number, int) and not isinstance(number, bool) else None,
                    _str(port.get("protocol"), "TCP") or "TCP"))
        return ports

    def template_volumes(self) -> list[dict[str, Any]]:
        return [v for v in _list(self.pod_spec.get("volumes")) if isinstance(v, dict)]


# Stands for "read the pod spec from the object when asked" in a view of a compact object.
_FROM_OBJECT: dict[str, Any] = {}
# Shared by the views of compact objects (thousands of them, read by rules and never changed).
_NO_ANNOTATIONS: dict[str, str] = {}
_NO_CLAIMS: list[ClaimTemplate] = []
_POD_SPEC_SLOT: Any = StatefulSetView.__dict__["pod_spec"]


class Shared:
    """Equal label maps and Service port lists made one value for the views of a run.

    The views of thousands of objects hold the same maps again and again (a StatefulSet's
    `matchLabels` and the selectors of its Services, the same ports on every Service of an
    application): views built with one `Shared` hold one of each. Maps are told apart with the
    order of their entries, so a shared map reads exactly as the object's own. Nothing a view
    holds is ever changed once built, so sharing is safe; the tables are needed only while
    views are built.
    """

    __slots__ = ("maps", "ports")

    def __init__(self) -> None:
        # By the hash of the entries (a number is smaller than the entries themselves); the first
        # value of a hash is kept, and a value equal to it is replaced by it.
        self.maps: dict[int, dict[str, str]] = {}
        self.ports: dict[int, list[ServicePort]] = {}

    def map(self, value: dict[str, str]) -> dict[str, str]:
        if not value:
            return value
        items = tuple(value.items())
        known = self.maps.setdefault(hash(items), value)
        return known if known is value or tuple(known.items()) == items else value

    def port_list(self, value: list[ServicePort]) -> list[ServicePort]:
        known = self.ports.setdefault(hash(tuple(value)), value)
        return known if known == value else value


def _pod_spec(data: dict[str, Any]) -> dict[str, Any]:
    return _map(_map(_map(data.get("spec")).get("template")).get("spec"))


class _CompactStatefulSetView(StatefulSetView):
    """The view of a compact object (`filecheck.CompactObject`), which the rules of scope "set" read.

    It keeps no pod spec of its own: `pod_spec` decodes the object's each time it is read (a few
    rules read the containers of some StatefulSets once), so that thousands of views stay small.
    """

    __slots__ = ()

    @property
    def pod_spec(self) -> dict[str, Any]:
        value: dict[str, Any] = _POD_SPEC_SLOT.__get__(self, StatefulSetView)
        return _pod_spec(self.obj.peek()) if value is _FROM_OBJECT else value

    @pod_spec.setter
    def pod_spec(self, value: dict[str, Any]) -> None:
        _POD_SPEC_SLOT.__set__(self, value)


def statefulset_view(obj: ManifestObject, default_namespace: str, shared: Shared | None = None) -> StatefulSetView:
    """`shared`: one value for equal selectors among the views built with it."""
    data = obj.peek()
    spec = _map(data.get("spec"))
    template = _map(spec.get("template"))
    template_meta = _map(template.get("metadata"))
    strategy = _map(spec.get("updateStrategy"))
    strategy_type = _str(strategy.get("type"), "RollingUpdate") or "RollingUpdate"
    rolling = _map(strategy.get("rollingUpdate"))
    retention = _map(spec.get("persistentVolumeClaimRetentionPolicy"))
    max_unavailable = rolling.get("maxUnavailable")
    if isinstance(max_unavailable, bool) or not isinstance(max_unavailable, (int, str)):
        max_unavailable = None
    claims: list[ClaimTemplate] = []
    for index, item in enumerate(_list(spec.get("volumeClaimTemplates"))):
        item = _map(item)
        meta = _map(item.get("metadata"))
        claim_spec = _map(item.get("spec"))
        requests = _map(_map(claim_spec.get("resources")).get("requests"))
        storage = requests.get("storage")
        claims.append(ClaimTemplate(
            index=index, name=_str(meta.get("name")), labels=string_map(meta.get("labels")),
            annotations=string_map(meta.get("annotations")),
            access_modes=tuple(m for m in _list(claim_spec.get("accessModes")) if isinstance(m, str)),
            storage=str(storage) if isinstance(storage, (str, int, float)) and not isinstance(storage, bool)
            else None,
            storage_class=claim_spec.get("storageClassName") if isinstance(
                claim_spec.get("storageClassName"), str) else None,
            volume_mode=_str(claim_spec.get("volumeMode"), "Filesystem") or "Filesystem",
            spec=claim_spec))
    selector = parse_selector(spec.get("selector"))
    if shared is not None and selector.match_labels:
        selector = LabelSelector(shared.map(selector.match_labels), selector.match_expressions)
    return (_CompactStatefulSetView if obj.compact else StatefulSetView)(
        obj=obj,
        name=obj.name,
        namespace=obj.namespace or default_namespace,
        replicas=_int(spec.get("replicas"), 1) if spec.get("replicas") is not None else 1,
        ordinals_start=_int(_map(spec.get("ordinals")).get("start"), 0),
        service_name=_str(spec.get("serviceName")),
        selector=selector,
        selector_present=isinstance(spec.get("selector"), dict),
        template_labels=string_map(template_meta.get("labels")),
        template_annotations=string_map(template_meta.get("annotations")) if not obj.compact or template_meta.get(
            "annotations") is not None else _NO_ANNOTATIONS,
        pod_spec=_FROM_OBJECT if obj.compact else _map(template.get("spec")),
        pod_management_policy=_str(spec.get("podManagementPolicy"), "OrderedReady") or "OrderedReady",
        update_strategy=strategy_type,
        partition=_int(rolling.get("partition"), 0),
        max_unavailable=max_unavailable,
        revision_history_limit=_int(spec.get("revisionHistoryLimit"), 10),
        min_ready_seconds=_int(spec.get("minReadySeconds"), 0),
        when_deleted=_str(retention.get("whenDeleted"), "Retain") or "Retain",
        when_scaled=_str(retention.get("whenScaled"), "Retain") or "Retain",
        claim_templates=claims if claims or not obj.compact else _NO_CLAIMS,
    )


@dataclass(frozen=True, slots=True)
class ServicePort:
    index: int
    name: str
    port: int | None
    protocol: str
    target_port: int | str | None


@dataclass(slots=True)
class ServiceView:
    obj: ManifestObject
    name: str
    namespace: str
    type: str
    cluster_ip: str | None
    cluster_ips: tuple[str, ...]
    selector: dict[str, str]
    selector_present: bool
    ports: list[ServicePort]
    publish_not_ready_addresses: bool
    ip_families: tuple[str, ...]

    @property
    def headless(self) -> bool:
        """`clusterIP: None` (copied into clusterIPs by the API server), on a ClusterIP Service."""
        first = self.cluster_ip if self.cluster_ip is not None else (
            self.cluster_ips[0] if self.cluster_ips else None)
        return first == "None" and self.type == "ClusterIP"


def service_view(obj: ManifestObject, default_namespace: str, shared: Shared | None = None) -> ServiceView:
    """`shared`: one value for equal selectors and port lists among the views built with it."""
    spec = _map(obj.peek().get("spec"))
    ports: list[ServicePort] = []
    for index, item in enumerate(_list(spec.get("ports"))):
        item = _map(item)
        port = item.get("port")
        port_number = port if isinstance(port, int) and not isinstance(port, bool) else None
        target = item.get("targetPort")
        if isinstance(target, bool) or not isinstance(target, (int, str)) or target in (0, ""):
            target = port_number
        ports.append(ServicePort(index, _str(item.get("name")), port_number,
                                 _str(item.get("protocol"), "TCP") or "TCP", target))
    cluster_ip = spec.get("clusterIP")
    selector = string_map(spec.get("selector"))
    if shared is not None:
        selector = shared.map(selector)
        ports = shared.port_list(ports)
    return ServiceView(
        obj=obj,
        name=obj.name,
        namespace=obj.namespace or default_namespace,
        type=_str(spec.get("type"), "ClusterIP") or "ClusterIP",
        cluster_ip=cluster_ip if isinstance(cluster_ip, str) and cluster_ip != "" else None,
        cluster_ips=tuple(ip for ip in _list(spec.get("clusterIPs")) if isinstance(ip, str)),
        selector=selector,
        selector_present=bool(_map(spec.get("selector"))),
        ports=ports,
        publish_not_ready_addresses=spec.get("publishNotReadyAddresses") is True,
        ip_families=tuple(f for f in _list(spec.get("ipFamilies")) if isinstance(f, str)),
    )
