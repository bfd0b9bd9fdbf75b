"""Service changes that break a StatefulSet's per-pod DNS: not headless, selector, SRV names.

A StatefulSet's pods get `<pod>.<serviceName>.<namespace>.svc.<zone>` names only while the
Service named by `spec.serviceName` exists in the same namespace, is headless and selects the
pods (fact sheet section 7). A change is reported when a pairing that held in OLD no longer
holds in NEW.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sts_cli.diff import normalize as norm
from sts_cli.diff.compare import Change, leaf_changes
from sts_cli.diff.emit import Emitter
from sts_cli.model import ServiceView, StatefulSetView

ServiceKey = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Pairing:
    exists: bool
    headless: bool
    selects: bool


def pairing(view: StatefulSetView, services: dict[ServiceKey, ServiceView]) -> Pairing | None:
    """How the set's governing Service stands; None when the set names no Service."""
    if not view.service_name:
        return None
    service = services.get((view.namespace, view.service_name))
    if service is None:
        return Pairing(False, False, False)
    selects = bool(service.selector) and all(view.template_labels.get(k) == v for k, v in service.selector.items())
    return Pairing(True, service.headless, selects)


def _headless_text(service: ServiceView) -> str:
    if service.type != "ClusterIP":
        return f"type {service.type}"
    if service.cluster_ip is None and not service.cluster_ips:
        return "no clusterIP: None"
    return f"clusterIP {service.cluster_ip or service.cluster_ips[0]}"


def check_pairings(emitter: Emitter, old_set: StatefulSetView, new_set: StatefulSetView,
                   old_services: dict[ServiceKey, ServiceView], new_services: dict[ServiceKey, ServiceView]) -> None:
    """Report what broke between OLD and NEW for one StatefulSet present on both sides."""
    if old_set.service_name != new_set.service_name or old_set.namespace != new_set.namespace:
        return  # a serviceName change is already a forbidden update
    before = pairing(old_set, old_services)
    after = pairing(new_set, new_services)
    if before is None or after is None:
        return
    key = (new_set.namespace, new_set.service_name)
    name = f"{new_set.namespace}/{new_set.service_name}"
    dns = f"<pod>.{new_set.service_name}.{new_set.namespace}.svc"
    if before.exists and not after.exists:
        old_service = old_services[key]
        emitter.emit("update-service-missing", new_set.obj,
                     f"governing Service {name} is removed (or renamed) while StatefulSet "
                     f"{new_set.namespace}/{new_set.name} still names it in spec.serviceName: pods lose their "
                     f"DNS names ({dns})",
                     ("spec", "serviceName"),
                     hint=f"keep Service {new_set.service_name} (headless, selecting the pods)",
                     related=[(old_service.obj, ("metadata", "name"), f"Service {name} in OLD")])
        return
    if not after.exists:
        return
    service = new_services[key]
    if before.headless and not after.headless:
        path: tuple[str, ...] = ("spec", "type") if service.type != "ClusterIP" else ("spec", "clusterIP")
        if service.type == "ClusterIP" and service.cluster_ip is None and not service.cluster_ips:
            live = ("on the live Service the API server keeps clusterIP None (it cannot change once set), but "
                    "a Service created from this manifest gets a virtual IP")
        else:
            live = "the API server rejects this change of an existing Service (clusterIP cannot change once set)"
        emitter.emit("update-service-not-headless", service.obj,
                     f"Service {name} stops being headless ({_headless_text(service)}): pods of StatefulSet "
                     f"{new_set.namespace}/{new_set.name} lose their per-pod DNS names ({dns}); {live}",
                     path, hint="keep `clusterIP: None`; a different Service type needs a second, separate Service",
                     related=[(new_set.obj, ("spec", "serviceName"), f"governs StatefulSet {new_set.name}")])
    if before.selects and not after.selects:
        previous = old_services.get(key)
        selector_changed = previous is None or previous.selector != service.selector
        target, target_path = ((service.obj, ("spec", "selector")) if selector_changed
                               else (new_set.obj, ("spec", "template", "metadata", "labels")))
        labels_path = ("spec", "template", "metadata", "labels")
        other, other_path, other_text = ((new_set.obj, labels_path, "pod template labels") if selector_changed
                                         else (service.obj, ("spec", "selector"), "Service selector"))
        labels = ", ".join(f"{k}={v}" for k, v in sorted(new_set.template_labels.items())) or "(none)"
        selector = ", ".join(f"{k}={v}" for k, v in sorted(service.selector.items())) or "(empty)"
        emitter.emit("update-service-selector", target,
                     f"Service {name} selector ({selector}) no longer matches the pods of StatefulSet "
                     f"{new_set.namespace}/{new_set.name} (labels {labels}): no endpoints, no per-pod DNS names",
                     target_path,
                     hint="make every selector pair a label of the pod template",
                     related=[(other, other_path, other_text)])


def srv_names(service: ServiceView, domain: str) -> dict[tuple[str, str], str]:
    """SRV owner names of a headless Service's named ports, keyed by (port name, protocol)."""
    out: dict[tuple[str, str], str] = {}
    for port in service.ports:
        if port.name:
            out[(port.name, port.protocol)] = (f"_{port.name}._{port.protocol.lower()}.{service.name}."
                                               f"{service.namespace}.svc.{domain}")
    return out


def check_srv(emitter: Emitter, old: ServiceView, new: ServiceView, domain: str) -> list[str]:
    if not (old.headless and new.headless):
        return []
    before = srv_names(old, domain)
    after = srv_names(new, domain)
    gone = [name for key, name in before.items() if key not in after]
    if not gone:
        return []
    added = [name for key, name in after.items() if key not in before]
    index = next((p.index for p in new.ports if (p.name, p.protocol) not in before), 0)
    path: tuple[str | int, ...] = ("spec", "ports", index, "name") if new.ports else ("spec", "ports")
    text = f"SRV records {', '.join(gone)} disappear"
    if added:
        text += f"; new: {', '.join(added)}"
    emitter.emit("update-service-srv", new.obj, text, path,
                 hint="keep the old port name (or serve both names during a transition) if clients look up SRV records",
                 extra={"srv_removed": ",".join(gone), "srv_added": ",".join(added)})
    return [f"SRV names gone: {', '.join(gone)}"] + ([f"SRV names new: {', '.join(added)}"] if added else [])


def normalized_spec(service: ServiceView) -> Any:
    spec = service.obj.data.get("spec")
    spec = dict(spec) if isinstance(spec, dict) else {}
    spec["type"] = spec.get("type") or "ClusterIP"
    spec.setdefault("sessionAffinity", "None")
    ports = spec.get("ports")
    if isinstance(ports, list):
        spec["ports"] = [
            {**p, "protocol": p.get("protocol") or "TCP",
             "targetPort": p.get("targetPort") if p.get("targetPort") not in (None, 0, "") else p.get("port")}
            if isinstance(p, dict) else p for p in ports]
    if spec.get("clusterIP") and not spec.get("clusterIPs"):
        spec["clusterIPs"] = [spec["clusterIP"]]
    return norm.prune(spec)


def service_changes(old: ServiceView, new: ServiceView) -> list[Change]:
    return leaf_changes(normalized_spec(old), normalized_spec(new), ("spec",))
