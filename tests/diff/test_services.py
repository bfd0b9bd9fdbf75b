"""Service changes that break the StatefulSet pairing: headless, selector, removal, SRV names."""

from __future__ import annotations

from typing import Any

from tests.diff.helpers import Manifest, changed, errors, only, rules, run_diff, service, statefulset

BASE: Manifest = [service(), statefulset()]


def svc(m: Manifest) -> dict[str, Any]:
    spec: dict[str, Any] = m[0]["spec"]
    return spec


def test_headless_to_cluster_ip_is_an_error() -> None:
    result = run_diff(BASE, changed(BASE, lambda m: svc(m).pop("clusterIP")))
    finding = only(result, "update-service-not-headless")
    assert finding.object == "Service default/web"
    assert "stops being headless" in finding.message and "<pod>.web.default.svc" in finding.message
    assert finding.related[0].message == "governs StatefulSet web"
    assert "the API server keeps clusterIP None" in finding.message
    assert result.result.failed(finding.severity)


def test_headless_to_load_balancer_names_the_type() -> None:
    result = run_diff(BASE, changed(BASE, lambda m: svc(m).update(type="LoadBalancer")))
    finding = only(result, "update-service-not-headless")
    assert finding.path == "spec.type" and "type LoadBalancer" in finding.message
    assert "the API server rejects this change" in finding.message


def test_selector_no_longer_matching_is_an_error() -> None:
    result = run_diff(BASE, changed(BASE, lambda m: svc(m)["selector"].update(tier="db")))
    finding = only(result, "update-service-selector")
    assert finding.path == "spec.selector" and finding.object == "Service default/web"
    assert "no longer matches the pods" in finding.message


def test_template_labels_no_longer_matching_the_service_is_reported_on_the_statefulset() -> None:
    old = changed(BASE, lambda m: (svc(m)["selector"].update(tier="fe"),
                                   m[1]["spec"]["template"]["metadata"]["labels"].update(tier="fe")))
    new = changed(old, lambda m: m[1]["spec"]["template"]["metadata"]["labels"].pop("tier"))
    result = run_diff(old, new)
    finding = only(result, "update-service-selector")
    assert finding.object == "StatefulSet default/web"
    assert finding.path == "spec.template.metadata.labels"
    assert "update-rollout" in rules(result)


def test_governing_service_removed() -> None:
    result = run_diff(BASE, [BASE[1]])
    finding = only(result, "update-service-missing")
    assert finding.path == "spec.serviceName" and finding.location.file == "new.yaml"
    assert finding.related[0].location.file == "old.yaml"


def test_governing_service_renamed() -> None:
    new = changed(BASE, lambda m: m[0]["metadata"].update(name="web-headless"))
    assert "update-service-missing" in rules(run_diff(BASE, new))


def test_port_rename_changes_srv_names() -> None:
    result = run_diff(BASE, changed(BASE, lambda m: svc(m)["ports"][0].update(name="web")))
    finding = only(result, "update-service-srv")
    assert finding.extra == {"srv_removed": "_http._tcp.web.default.svc.cluster.local",
                             "srv_added": "_web._tcp.web.default.svc.cluster.local"}
    assert finding.path == "spec.ports[0].name"
    assert not errors(result)


def test_srv_names_use_the_cluster_domain() -> None:
    result = run_diff(BASE, changed(BASE, lambda m: svc(m)["ports"][0].pop("name")),
                      cluster_domain="corp.example")
    assert only(result, "update-service-srv").extra["srv_removed"] == "_http._tcp.web.default.svc.corp.example"


def test_harmless_service_changes() -> None:
    def edit(m: Manifest) -> None:
        svc(m)["ports"].append({"name": "metrics", "port": 9090})
        svc(m)["publishNotReadyAddresses"] = True

    result = run_diff(BASE, changed(BASE, edit))
    assert result.findings == []
    item = next(d for d in result.objects if d.kind == "Service")
    assert item.status == "changed" and item.lines == ["no effect on per-pod DNS names"]


def test_service_defaults_are_not_changes() -> None:
    def edit(m: Manifest) -> None:
        svc(m).update(type="ClusterIP", sessionAffinity="None")
        svc(m)["ports"][0].update(protocol="TCP", targetPort=80)

    result = run_diff(BASE, changed(BASE, edit))
    assert {d.status for d in result.objects} == {"unchanged"}


def test_pairing_already_broken_in_old_is_not_reported() -> None:
    old = changed(BASE, lambda m: svc(m).pop("clusterIP"))
    assert run_diff(old, changed(old, lambda m: svc(m)["ports"][0].update(port=8080))).findings == []
