"""Service fields the API server rejects although the schema allows them (category "api").

Every Service in the input is checked, with the rules that matter for a governing (headless)
Service spelled out: clusterIP/clusterIPs, type, port names, protocols and ranges, selectors.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from sts_cli import k8svalidation as kv
from sts_cli.findings import Finding
from sts_cli.model import ServiceView
from sts_cli.rules.base import RuleContext, family_rule
from sts_cli.rules.helpers import SRC_CORE, E, Path, as_list, as_map, did_you_mean, is_int, schema_hit

TYPES = ("ClusterIP", "NodePort", "LoadBalancer", "ExternalName")
PROTOCOLS = ("TCP", "UDP", "SCTP")
AFFINITY = ("None", "ClientIP")
TRAFFIC_POLICIES = ("Cluster", "Local")
FAMILY_POLICIES = ("SingleStack", "PreferDualStack", "RequireDualStack")
FAMILIES = ("IPv4", "IPv6")
SPEC: Path = ("spec",)


def _service_pass(context: RuleContext) -> list[Finding]:
    out: list[Finding] = []
    for service in context.services:
        _Service(context, service, out).run()
    return out


class _Service:
    def __init__(self, context: RuleContext, service: ServiceView, out: list[Finding]) -> None:
        self.context = context
        self.service = service
        self.obj = service.obj
        self.out = out
        self.spec = as_map(self.obj.data.get("spec"))
        raw_type = self.spec.get("type")
        self.type = raw_type if isinstance(raw_type, str) and raw_type else "ClusterIP"

    def emit(self, rule_id: str, message: str, path: Path, hint: str, at_value: bool = True) -> None:
        if not schema_hit(self.context, self.obj, path):
            self.out.append(self.context.emit(rule_id, self.obj, message, path, hint, at_value=at_value))

    def run(self) -> None:
        self.name()
        if self.type not in TYPES:
            self.emit("service-type-invalid", f"type {self.type!r} is not supported; supported: {', '.join(TYPES)}",
                      (*SPEC, "type"), did_you_mean(self.type, TYPES))
            return
        headless = self.cluster_ips()
        self.ports(headless)
        self.selector()
        self.rest()

    def name(self) -> None:
        meta = as_map(self.obj.data.get("metadata"))
        name = meta.get("name")
        relaxed = self.context.at_least("1.36")
        if name is None or name == "":
            generate = meta.get("generateName")
            if isinstance(generate, str) and generate:
                return
            if not schema_hit(self.context, self.obj, ("metadata",)):
                self.emit("service-name-invalid", "metadata.name is required", ("metadata", "name")
                          if "metadata" in self.obj.data else (), "add `metadata.name`", at_value=False)
            return
        if not isinstance(name, str):
            return
        errors = kv.dns1123_label_errors(name) if relaxed else kv.dns1035_label_errors(name)
        if errors:
            rule = "a DNS-1123 label" if relaxed else "a DNS-1035 label (it must start with a letter)"
            note = ""
            if not relaxed and kv.is_dns1123_label(name):
                note = " (accepted from Kubernetes 1.36, where RelaxedServiceNameValidation allows a leading digit)"
            self.emit("service-name-invalid", f"Service name {name!r} is not {rule}: {'; '.join(errors)}{note}",
                      ("metadata", "name"), "use lowercase letters, digits and '-', starting with a letter")

    def cluster_ips(self) -> bool:
        """Check clusterIP/clusterIPs; return whether the Service is headless."""
        spec = self.spec
        cluster_ip = spec.get("clusterIP")
        cluster_ips = spec.get("clusterIPs")
        ip = cluster_ip if isinstance(cluster_ip, str) else ""
        ips = [v for v in as_list(cluster_ips) if isinstance(v, str)]
        first = ip or (ips[0] if ips else "")
        headless = first == "None"
        if self.type == "ExternalName":
            if ip or ips:
                path: Path = (*SPEC, "clusterIP") if ip else (*SPEC, "clusterIPs")
                self.emit("service-cluster-ip-invalid", "clusterIP/clusterIPs may not be set for ExternalName "
                          "Services", path, "remove clusterIP; ExternalName Services are DNS aliases", at_value=True)
            return False
        if ip and ip != "None" and not kv.is_ip(ip):
            self.emit("service-cluster-ip-invalid", f"clusterIP {ip!r} must be empty, 'None', or a valid IP address",
                      (*SPEC, "clusterIP"), "use `clusterIP: None` for a headless Service")
        if len(ips) > 2:
            self.emit("service-cluster-ip-invalid", "clusterIPs may hold at most two entries", (*SPEC, "clusterIPs"),
                      "one IPv4 and one IPv6 address at most", at_value=False)
        for index, value in enumerate(ips):
            if value == "None":
                if index > 0 or len(ips) > 1:
                    self.emit("service-cluster-ip-invalid", "'None' must be the first and only value of clusterIPs",
                              (*SPEC, "clusterIPs", index), "use `clusterIPs: [None]`")
            elif value and not kv.is_ip(value):
                self.emit("service-cluster-ip-invalid", f"clusterIPs[{index}] {value!r} must be a valid IP address "
                          "or 'None'", (*SPEC, "clusterIPs", index), "use an IP address")
        if ip and ips and ips[0] != ip:
            self.emit("service-cluster-ip-invalid", f"clusterIPs[0] {ips[0]!r} must match clusterIP {ip!r}",
                      (*SPEC, "clusterIPs", 0), "make clusterIP and the first clusterIPs entry agree")
        elif ips and not ip:
            self.emit("service-cluster-ip-invalid", "clusterIPs must be empty when clusterIP is not specified (the "
                      "API server copies clusterIP into clusterIPs, not the other way round)", (*SPEC, "clusterIPs"),
                      f"add `clusterIP: {ips[0]}`", at_value=False)
        families = [f for f in as_list(self.spec.get("ipFamilies")) if isinstance(f, str)]
        if not headless:
            for index, value in enumerate(ips[: len(families)]):
                if kv.is_ip(value) and families[index] in FAMILIES:
                    version = ipaddress.ip_address(value).version
                    if (version == 6) != (families[index] == "IPv6"):
                        self.emit("service-cluster-ip-invalid", f"clusterIPs[{index}] {value!r} is not an "
                                  f"{families[index]} address as ipFamilies[{index}] says",
                                  (*SPEC, "clusterIPs", index), "order clusterIPs like ipFamilies")
        if len(ips) == 2 and all(kv.is_ip(v) for v in ips) and \
                ipaddress.ip_address(ips[0]).version == ipaddress.ip_address(ips[1]).version:
            self.emit("service-cluster-ip-invalid", "two clusterIPs must be of different IP families (dual-stack)",
                      (*SPEC, "clusterIPs", 1), "use one IPv4 and one IPv6 address")
        if headless and self.type in ("NodePort", "LoadBalancer"):
            path = (*SPEC, "clusterIP") if ip else (*SPEC, "clusterIPs")
            self.emit("service-cluster-ip-invalid", f"clusterIP may not be 'None' for {self.type} Services: headless "
                      "Services must be of type ClusterIP", path, "remove `type` (it defaults to ClusterIP)")
        return headless

    def ports(self, headless: bool) -> None:
        ports = self.spec.get("ports")
        port_list = [p for p in as_list(ports) if isinstance(p, dict)]
        if not port_list and not headless and self.type != "ExternalName":
            if not schema_hit(self.context, self.obj, (*SPEC, "ports")):
                self.emit("service-ports-missing", "ports are required unless the Service is headless "
                          "(clusterIP: None) or ExternalName", (*SPEC, "ports") if "ports" in self.spec else SPEC,
                          "add a port, or `clusterIP: None` for a headless Service", at_value=False)
            return
        names: dict[str, int] = {}
        pairs: dict[tuple[str, Any], int] = {}
        node_ports: dict[tuple[str, Any], int] = {}
        many = len(as_list(ports)) > 1
        for index, port in enumerate(as_list(ports)):
            if not isinstance(port, dict):
                continue
            path: Path = (*SPEC, "ports", index)
            name = port.get("name")
            if (name is None or name == "") and many:
                self.emit("service-port-name-invalid", "port name is required when a Service has more than one port",
                          (*path, "name") if "name" in port else path, "name every port, e.g. `name: web`",
                          at_value=False)
            elif isinstance(name, str) and name:
                errors = kv.dns1123_label_errors(name)
                if errors:
                    self.emit("service-port-name-invalid", f"port name {name!r}: {'; '.join(errors)}", (*path, "name"),
                              "port names are lowercase DNS labels")
                if name in names:
                    self.emit("service-port-name-invalid", f"duplicate port name {name!r} (also ports[{names[name]}])",
                              (*path, "name"), "give each port its own name")
                else:
                    names[name] = index
            number = port.get("port")
            if is_int(number) and not 1 <= number <= 65535:
                self.emit("service-port-invalid", f"port {number} must be between 1 and 65535", (*path, "port"),
                          "use a port number from 1 to 65535")
            protocol = port.get("protocol")
            proto = protocol if isinstance(protocol, str) and protocol else "TCP"
            if proto not in PROTOCOLS:
                self.emit("service-port-invalid", f"protocol {proto!r} is not supported; supported: TCP, UDP, SCTP",
                          (*path, "protocol"), did_you_mean(proto, PROTOCOLS))
            elif is_int(number):
                if (proto, number) in pairs:
                    other = pairs[(proto, number)]
                    self.emit("service-port-invalid", f"duplicate port {number}/{proto} (also ports[{other}])",
                              (*path, "port"), "each (protocol, port) pair may appear once")
                else:
                    pairs[(proto, number)] = index
            self.target_port(port, path)
            node_port = port.get("nodePort")
            if is_int(node_port) and node_port != 0:
                if self.type == "ClusterIP":
                    self.emit("service-port-invalid", "nodePort may not be used when `type` is 'ClusterIP'",
                              (*path, "nodePort"), "remove nodePort, or use type NodePort")
                elif not 1 <= node_port <= 65535:
                    self.emit("service-port-invalid", f"nodePort {node_port} must be between 1 and 65535",
                              (*path, "nodePort"), "use a port from the cluster's node port range (30000-32767)")
                elif (proto, node_port) in node_ports:
                    self.emit("service-port-invalid", f"duplicate nodePort {node_port}/{proto}", (*path, "nodePort"),
                              "each node port may be used once per protocol")
                else:
                    node_ports[(proto, node_port)] = index
            app_protocol = port.get("appProtocol")
            if isinstance(app_protocol, str) and app_protocol:
                errors = kv.qualified_name_errors(app_protocol)
                if errors:
                    self.emit("service-port-invalid", f"appProtocol {app_protocol!r}: {errors[0]}",
                              (*path, "appProtocol"), "use a protocol name such as 'http' or 'kubernetes.io/h2c'")

    def target_port(self, port: dict[str, Any], path: Path) -> None:
        target = port.get("targetPort")
        target_path: Path = (*path, "targetPort")
        if is_int(target):
            if target != 0 and not 1 <= target <= 65535:
                self.emit("service-port-invalid", f"targetPort {target} must be between 1 and 65535", target_path,
                          "use a port number or a container port name")
        elif isinstance(target, str) and target:
            errors = kv.iana_svc_name_errors(target)
            if errors:
                self.emit("service-port-invalid", f"targetPort {target!r} is not a valid port name: "
                          f"{'; '.join(errors)}", target_path, "use a container port name (at most 15 characters) or "
                          "a number")

    def selector(self) -> None:
        selector = self.spec.get("selector")
        if not isinstance(selector, dict) or schema_hit(self.context, self.obj, (*SPEC, "selector")):
            return
        for key, value in selector.items():
            path: Path = (*SPEC, "selector", key)
            for message in kv.label_key_errors(str(key)):
                self.emit("service-selector-invalid", f"selector key {key!r}: {message}", path, "use a label key",
                          at_value=False)
            if isinstance(value, str):
                for message in kv.label_value_errors(value):
                    self.emit("service-selector-invalid", f"selector value {value!r} of {key!r}: {message}", path,
                              "use a label value")

    def rest(self) -> None:
        spec = self.spec
        rule = "service-spec-invalid"
        affinity = spec.get("sessionAffinity")
        affinity_value = affinity if isinstance(affinity, str) and affinity else "None"
        if affinity_value not in AFFINITY:
            self.emit(rule, f"sessionAffinity {affinity_value!r} is not supported; supported: None, ClientIP",
                      (*SPEC, "sessionAffinity"), did_you_mean(affinity_value, AFFINITY))
        config = spec.get("sessionAffinityConfig")
        if affinity_value == "None" and config is not None:
            self.emit(rule, "sessionAffinityConfig must not be set when sessionAffinity is None",
                      (*SPEC, "sessionAffinityConfig"), "remove it, or set `sessionAffinity: ClientIP`", at_value=False)
        timeout = as_map(as_map(config).get("clientIP")).get("timeoutSeconds")
        if affinity_value == "ClientIP" and is_int(timeout) and not 0 < timeout <= 86400:
            self.emit(rule, f"sessionAffinityConfig.clientIP.timeoutSeconds {timeout} must be in the range 1-86400",
                      (*SPEC, "sessionAffinityConfig", "clientIP", "timeoutSeconds"), "use 1 to 86400 seconds")
        if self.type == "ExternalName":
            external = spec.get("externalName")
            if not external and not schema_hit(self.context, self.obj, (*SPEC, "externalName")):
                self.emit(rule, "externalName is required for ExternalName Services", SPEC,
                          "add `externalName: db.example.com`", at_value=False)
            elif isinstance(external, str) and not kv.is_dns1123_subdomain(external.removesuffix(".")):
                self.emit(rule, f"externalName {external!r} must be a lowercase DNS name", (*SPEC, "externalName"),
                          "use a DNS name such as 'db.example.com'")
            for field in ("ipFamilies", "ipFamilyPolicy"):
                if spec.get(field):
                    self.emit(rule, f"{field} may not be set for ExternalName Services", (*SPEC, field),
                              "remove it", at_value=False)
        external_ips = [v for v in as_list(spec.get("externalIPs"))]
        for index, value in enumerate(external_ips):
            if not isinstance(value, str):
                continue
            problem = _endpoint_ip_error(value)
            if problem:
                self.emit(rule, f"externalIPs[{index}] {value!r} {problem}", (*SPEC, "externalIPs", index),
                          "use a routable IP address of a node or load balancer")
        accessible = self.type in ("NodePort", "LoadBalancer") or (self.type == "ClusterIP" and external_ips)
        etp = spec.get("externalTrafficPolicy")
        if isinstance(etp, str) and etp:
            if etp not in TRAFFIC_POLICIES:
                self.emit(rule, f"externalTrafficPolicy {etp!r} is not supported; supported: Cluster, Local",
                          (*SPEC, "externalTrafficPolicy"), did_you_mean(etp, TRAFFIC_POLICIES))
            elif not accessible:
                self.emit(rule, "externalTrafficPolicy may only be set for externally-accessible Services "
                          "(NodePort, LoadBalancer, or externalIPs)", (*SPEC, "externalTrafficPolicy"),
                          "remove it; use internalTrafficPolicy for in-cluster traffic")
        itp = spec.get("internalTrafficPolicy")
        if isinstance(itp, str) and itp and itp not in TRAFFIC_POLICIES:
            self.emit(rule, f"internalTrafficPolicy {itp!r} is not supported; supported: Cluster, Local",
                      (*SPEC, "internalTrafficPolicy"), did_you_mean(itp, TRAFFIC_POLICIES))
        health = spec.get("healthCheckNodePort")
        if is_int(health) and health != 0 and not (self.type == "LoadBalancer" and etp == "Local"):
            self.emit(rule, "healthCheckNodePort may only be set when type is LoadBalancer and "
                      "externalTrafficPolicy is Local", (*SPEC, "healthCheckNodePort"), "remove it")
        policy = spec.get("ipFamilyPolicy")
        if isinstance(policy, str) and policy and policy not in FAMILY_POLICIES:
            self.emit(rule, f"ipFamilyPolicy {policy!r} is not supported; supported: {', '.join(FAMILY_POLICIES)}",
                      (*SPEC, "ipFamilyPolicy"), did_you_mean(policy, FAMILY_POLICIES))
        families = [f for f in as_list(spec.get("ipFamilies")) if isinstance(f, str)]
        for index, family in enumerate(families):
            if family not in FAMILIES:
                self.emit(rule, f"ipFamilies[{index}] {family!r} is not supported; supported: IPv4, IPv6",
                          (*SPEC, "ipFamilies", index), did_you_mean(family, FAMILIES))
            elif family in families[:index]:
                self.emit(rule, f"duplicate IP family {family!r}", (*SPEC, "ipFamilies", index), "list each once")
        if len(families) > 2:
            self.emit(rule, "ipFamilies may hold at most two families", (*SPEC, "ipFamilies"), "IPv4 and/or IPv6",
                      at_value=False)
        if policy == "SingleStack" and len(families) == 2:
            self.emit(rule, "ipFamilyPolicy SingleStack allows one IP family only", (*SPEC, "ipFamilies"),
                      "use PreferDualStack, or list one family", at_value=False)
        if self.type != "LoadBalancer":
            for field in ("loadBalancerSourceRanges", "allocateLoadBalancerNodePorts", "loadBalancerClass"):
                if spec.get(field) is not None and spec.get(field) != []:
                    self.emit(rule, f"{field} may only be used when type is 'LoadBalancer'", (*SPEC, field),
                              "remove it", at_value=False)
        lb_class = spec.get("loadBalancerClass")
        if self.type == "LoadBalancer" and isinstance(lb_class, str):
            errors = kv.qualified_name_errors(lb_class)
            if errors:
                self.emit(rule, f"loadBalancerClass {lb_class!r}: {errors[0]}", (*SPEC, "loadBalancerClass"),
                          "use a qualified name such as 'example.com/internal-vip'")
        for index, cidr in enumerate(as_list(spec.get("loadBalancerSourceRanges"))):
            if isinstance(cidr, str) and not kv.is_cidr(cidr.strip()):
                self.emit(rule, f"loadBalancerSourceRanges[{index}] {cidr!r} must be a CIDR such as 10.0.0.0/8",
                          (*SPEC, "loadBalancerSourceRanges", index), "use CIDR notation")
        distribution = spec.get("trafficDistribution")
        # PreferSameZone/PreferSameNode: gate PreferSameTrafficDistribution, beta (on) from 1.34.
        allowed: tuple[str, ...] = ("PreferClose", "PreferSameZone", "PreferSameNode") if \
            self.context.at_least("1.34") else ("PreferClose",)
        if isinstance(distribution, str) and distribution and distribution not in allowed:
            self.emit(rule, f"trafficDistribution {distribution!r} is not supported; supported: {', '.join(allowed)}",
                      (*SPEC, "trafficDistribution"), did_you_mean(distribution, allowed))


def _endpoint_ip_error(value: str) -> str:
    """ValidateEndpointIP: a valid IP that is not unspecified, loopback or link-local."""
    if not kv.is_ip(value):
        return "must be a valid IP address"
    address = ipaddress.ip_address(value)
    if address.is_unspecified:
        return "may not be unspecified (0.0.0.0 or ::)"
    if address.is_loopback:
        return "may not be in the loopback range"
    if address.is_link_local:
        return "may not be in the link-local range"
    if address.is_multicast and (value.startswith("224.0.0.") or value.lower().startswith("ff02:")):
        return "may not be in the link-local multicast range"
    return ""


_SRC = SRC_CORE + " (ValidateService, validateServicePort)"

family_rule("service-name-invalid", E, "The Service name is missing or not a valid DNS label for the version.",
            "api", """
    Service names are DNS-1035 labels (lowercase letters, digits and '-', starting with a letter,
    at most 63 characters) up to Kubernetes 1.35. From 1.36 the RelaxedServiceNameValidation
    gate (beta, on by default) also accepts DNS-1123 labels, which may start with a digit.

    Bad:
        metadata:
          name: 1st-db        # before 1.36
    Good:
        metadata:
          name: db-1
    """, _service_pass, _SRC + "; kubernetes/website feature gate RelaxedServiceNameValidation", scope="object")
family_rule("service-type-invalid", E, "The Service type is not ClusterIP, NodePort, LoadBalancer or ExternalName.",
            "api", """
    The type is case-sensitive; a headless Service is of type ClusterIP (the default).

    Bad:
        type: Headless
    Good:
        type: ClusterIP
        clusterIP: None
    """, _service_pass, _SRC, scope="object")
family_rule("service-cluster-ip-invalid", E, "clusterIP/clusterIPs are inconsistent or not allowed for the type.",
            "api", """
    `clusterIP` is empty, `None` or an IP address; `clusterIPs[0]` must equal it; `None` must be
    the first and only entry; `None` (headless) is only legal for type ClusterIP; ExternalName
    Services have no cluster IP at all.

    Bad:
        type: NodePort
        clusterIP: None
    Good:
        type: ClusterIP
        clusterIP: None
    """, _service_pass, _SRC + " (validateServiceClusterIPsRelatedFields)", scope="object")
family_rule("service-ports-missing", E, "A Service that is neither headless nor ExternalName has no ports.", "api", """
    Only headless and ExternalName Services may omit ports.

    Bad:
        spec:
          selector: {app: web}
    Good:
        spec:
          clusterIP: None
          selector: {app: web}
    """, _service_pass, _SRC, scope="object")
family_rule("service-port-name-invalid", E, "A Service port name is missing (with several ports), invalid or "
            "duplicated.", "api", """
    With more than one port every port needs a name; names are DNS-1123 labels (up to 63
    characters, unlike container port names) and unique.

    Bad:
        ports:
        - port: 5432
        - port: 9187
    Good:
        ports:
        - name: postgres
          port: 5432
        - name: metrics
          port: 9187
    """, _service_pass, _SRC, scope="object")
family_rule("service-port-invalid", E, "A Service port number, protocol, targetPort, nodePort or appProtocol is "
            "invalid.", "api", """
    `port` is 1-65535; `protocol` is TCP, UDP or SCTP; each (protocol, port) pair appears once;
    `targetPort` is 1-65535 or a container port name (IANA service name, at most 15 characters);
    `nodePort` is not allowed on ClusterIP Services.

    Bad:
        ports:
        - name: web
          port: 80
          protocol: tcp
    Good:
        ports:
        - name: web
          port: 80
          protocol: TCP
    """, _service_pass, _SRC, scope="object")
family_rule("service-selector-invalid", E, "A Service selector key or value is not label syntax.", "api", """
    Service selectors are plain label maps; keys and values follow the label rules.

    Bad:
        selector:
          app: my web
    Good:
        selector:
          app: my-web
    """, _service_pass, _SRC, scope="object")
family_rule("service-spec-invalid", E, "Another Service field is rejected (session affinity, traffic policies, IP "
            "families, externalName...).", "api", """
    The remaining Service checks: sessionAffinity and its config, externalName, externalIPs,
    external/internal traffic policies, IP family settings, and LoadBalancer-only fields used on
    other types. The message names the field.

    Bad:
        spec:
          clusterIP: None
          externalTrafficPolicy: Local
    Good:
        spec:
          clusterIP: None
    """, _service_pass, _SRC, scope="object")
