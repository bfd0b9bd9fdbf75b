"""The pod template, validated as the API server validates it since Kubernetes 1.34 (category "api").

Before 1.34 the API server accepted any template and the controller's pod creation failed
(FailedCreate), so these are errors for every version; the message says when the API server
starts rejecting them. As upstream does, `hostname`/`subdomain` are ignored (the controller
overwrites them) and every claim template counts as a volume that replaces a same-named template
volume.

One pass per StatefulSet (`_pod_pass`) produces the findings of every rule in this module.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from sts_cli import k8svalidation as kv
from sts_cli.documents import ManifestObject
from sts_cli.findings import Finding
from sts_cli.model import StatefulSetView
from sts_cli.rules.base import RuleContext, family_rule
from sts_cli.rules.helpers import (
    POD_TEMPLATE_BEFORE,
    SRC_APPS_134,
    SRC_CORE,
    E,
    Path,
    as_list,
    as_map,
    did_you_mean,
    enforced_since,
    is_int,
    requirement,
    schema_hit,
)

TEMPLATE: Path = ("spec", "template")
POD: Path = ("spec", "template", "spec")

VOLUME_SOURCES = frozenset({
    "awsElasticBlockStore", "azureDisk", "azureFile", "cephfs", "cinder", "configMap", "csi", "downwardAPI",
    "emptyDir", "ephemeral", "fc", "flexVolume", "flocker", "gcePersistentDisk", "gitRepo", "glusterfs",
    "hostPath", "image", "iscsi", "nfs", "persistentVolumeClaim", "photonPersistentDisk", "portworxVolume",
    "projected", "quobyte", "rbd", "scaleIO", "secret", "storageos", "vsphereVolume",
})
PULL_POLICIES = ("Always", "IfNotPresent", "Never")
MESSAGE_POLICIES = ("File", "FallbackToLogsOnError")
PROTOCOLS = ("TCP", "UDP", "SCTP")
DNS_POLICIES = ("ClusterFirst", "ClusterFirstWithHostNet", "Default", "None")
PROPAGATION = ("None", "HostToContainer", "Bidirectional")
PROBE_HANDLERS = ("exec", "httpGet", "tcpSocket", "grpc")
LIFECYCLE_HANDLERS = ("exec", "httpGet", "tcpSocket", "sleep")
ENV_SOURCES = ("fieldRef", "resourceFieldRef", "configMapKeyRef", "secretKeyRef", "fileKeyRef")
STANDARD_CONTAINER_RESOURCES = ("cpu", "memory", "ephemeral-storage")
TOLERATION_OPERATORS = ("Exists", "Equal")
TAINT_EFFECTS = ("NoSchedule", "PreferNoSchedule", "NoExecute")
NODE_OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt")
WHEN_UNSATISFIABLE = ("DoNotSchedule", "ScheduleAnyway")
MAX_ID = 2147483647
_SYSCTL = re.compile(r"([a-z0-9]([-_a-z0-9]*[a-z0-9])?[./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?")


class _Pod:
    """The checks of one pod template; findings are appended to `out`."""

    def __init__(self, context: RuleContext, view: StatefulSetView, out: list[Finding]) -> None:
        self.context = context
        self.view = view
        self.obj: ManifestObject = view.obj
        self.out = out
        self.suffix = enforced_since(context, "1.34", POD_TEMPLATE_BEFORE)
        self.relaxed_env = context.at_least("1.32")

    def emit(self, rule_id: str, message: str, path: Path, hint: str = "", at_value: bool = True,
             related: list[tuple[ManifestObject, Path, str]] | None = None, always: bool = False) -> None:
        """`always`: the API server rejects it in every version (a decoding error), so no version note."""
        suffix = "" if always else self.suffix
        self.out.append(self.context.emit(rule_id, self.obj, message + suffix, path, hint, at_value=at_value,
                                          related=related or ()))

    def invalid(self, message: str, path: Path, hint: str = "", at_value: bool = True) -> None:
        self.emit("pod-template-invalid", message, path, hint, at_value)

    def seen(self, path: Path) -> bool:
        return schema_hit(self.context, self.obj, path)

    # --- entry ------------------------------------------------------------------------------------

    def run(self) -> None:
        template = self.obj.get(TEMPLATE)
        if template is None:
            if not any(self.seen(path) for path in (TEMPLATE, ("spec",))):
                self.emit("containers-missing", "the StatefulSet has no pod template, so no containers",
                          TEMPLATE, "add `spec.template` with labels and containers", at_value=False, always=True)
            return
        if not isinstance(template, dict) or self.seen(TEMPLATE):
            return
        spec = template.get("spec")
        if spec is None:
            self.emit("containers-missing", "the pod template has no spec and so no containers", TEMPLATE,
                      "add `spec.containers` to the pod template", at_value=False)
            return
        if not isinstance(spec, dict) or self.seen(POD):
            return
        self.spec = spec
        claims = {c.name for c in self.view.claim_templates if c.name}
        self.volume_kinds = self.volumes(spec, claims)
        self.containers(spec)
        self.pod_level(spec)

    # --- volumes ----------------------------------------------------------------------------------

    def volumes(self, spec: dict[str, Any], claims: set[str]) -> dict[str, str]:
        """Name -> source kind of every volume the pod will have (claim templates included)."""
        kinds = {name: "persistentVolumeClaim" for name in claims}
        first: dict[str, Path] = {}
        for index, volume in enumerate(as_list(spec.get("volumes"))):
            if not isinstance(volume, dict):
                continue
            path: Path = (*POD, "volumes", index)
            name = volume.get("name")
            if not isinstance(name, str):
                continue
            if name in claims:
                continue  # replaced by the claim template's volume (see claim-shadows-volume)
            if not name:
                self.emit("volume-invalid", "volume name is required", (*path, "name"), "name the volume")
            else:
                errors = kv.dns1123_label_errors(name)
                if errors:
                    self.emit("volume-invalid", f"volume name {name!r}: {'; '.join(errors)}", (*path, "name"),
                              f"use {_label_like(name)!r}")
                if name in first:
                    self.emit("volume-invalid", f"duplicate volume name {name!r}", (*path, "name"),
                              "give each volume its own name", related=[(self.obj, (*first[name], "name"),
                                                                         "first defined here")])
                    continue
                first[name] = path
            sources = [key for key in volume if key in VOLUME_SOURCES and volume[key] is not None]
            if not sources:
                self.emit("volume-invalid", f"volume {name!r} must specify a volume type (emptyDir, configMap, "
                          "secret, persistentVolumeClaim...)", path, "add a volume source", at_value=False)
            elif len(sources) > 1:
                self.emit("volume-invalid", f"volume {name!r} may not specify more than 1 volume type: "
                          f"{', '.join(sources)}", (*path, sources[1]), "keep one source per volume",
                          at_value=False)
            else:
                self.volume_source(name, sources[0], as_map(volume[sources[0]]), (*path, sources[0]))
            if name:
                kinds[name] = sources[0] if len(sources) == 1 else ""
        return kinds

    def volume_source(self, name: str, kind: str, source: dict[str, Any], path: Path) -> None:
        required = {"configMap": "name", "secret": "secretName", "persistentVolumeClaim": "claimName"}
        key = required.get(kind)
        if key is not None and not source.get(key) and not self.seen((*path, key)):
            self.emit("volume-invalid", f"volume {name!r}: {kind}.{key} is required", path,
                      f"add `{key}:`", at_value=False)
        mode = source.get("defaultMode")
        if is_int(mode) and not 0 <= mode <= 0o777:
            self.emit("volume-invalid", f"volume {name!r}: defaultMode {mode} must be a file mode between 0 and "
                      "0777 (octal)", (*path, "defaultMode"), "use an octal mode such as 0644 (420 in decimal)")
        for index, item in enumerate(as_list(source.get("items"))):
            item = as_map(item)
            for key in ("key", "path") if kind in ("configMap", "secret") else ("path",):
                if key in item and not item[key] and not self.seen((*path, "items", index, key)):
                    self.emit("volume-invalid", f"volume {name!r}: items {key} is required",
                              (*path, "items", index, key), f"set `{key}`")
            item_path = item.get("path")
            if isinstance(item_path, str) and item_path:
                message = _relative_path_error(item_path)
                if message:
                    self.emit("volume-invalid", f"volume {name!r}: items path {item_path!r} {message}",
                              (*path, "items", index, "path"), "use a relative path without '..'")
        if kind == "hostPath":
            host_path = source.get("path")
            if isinstance(host_path, str) and ".." in host_path.replace("\\", "/").split("/"):
                self.emit("volume-invalid", f"volume {name!r}: hostPath path {host_path!r} must not contain '..'",
                          (*path, "path"), "use a path without '..'")
        if kind == "emptyDir":
            medium = source.get("medium")
            if isinstance(medium, str) and medium not in ("", "Memory", "HugePages") and \
                    not medium.startswith("HugePages-"):
                self.emit("volume-invalid", f"volume {name!r}: emptyDir medium {medium!r} is not supported",
                          (*path, "medium"), "use '' (node disk) or 'Memory'")
            limit = source.get("sizeLimit")
            if limit is not None and not self.seen((*path, "sizeLimit")):
                quantity = kv.parse_quantity(limit)
                if quantity is None or quantity < 0:
                    self.emit("volume-invalid", f"volume {name!r}: sizeLimit {limit!r} is not a valid "
                              "non-negative quantity", (*path, "sizeLimit"), "e.g. 1Gi or 500Mi",
                              always=quantity is None)
        if kind == "hostPath":
            host_type = source.get("type")
            allowed = ("", "DirectoryOrCreate", "Directory", "FileOrCreate", "File", "Socket", "CharDevice",
                       "BlockDevice")
            if isinstance(host_type, str) and host_type not in allowed:
                self.emit("volume-invalid", f"volume {name!r}: hostPath type {host_type!r} is not supported",
                          (*path, "type"), did_you_mean(host_type, allowed[1:]))
        if kind == "projected":
            for index, projection in enumerate(as_list(source.get("sources"))):
                present = [k for k, v in as_map(projection).items() if v is not None]
                if len(present) != 1:
                    self.emit("volume-invalid", f"volume {name!r}: each projected source needs exactly one of "
                              "secret, configMap, downwardAPI, serviceAccountToken, clusterTrustBundle, "
                              "podCertificate", (*path, "sources", index), "split it into separate sources",
                              at_value=False)

    # --- containers -------------------------------------------------------------------------------

    def containers(self, spec: dict[str, Any]) -> None:
        containers_path: Path = (*POD, "containers")
        if isinstance(spec.get("containers"), list) and not spec["containers"] and not self.seen(containers_path):
            self.emit("containers-missing", "at least one container is required", containers_path,
                      "add a container with a name and an image", at_value=False)
        names: dict[str, Path] = {}
        host_network = spec.get("hostNetwork") is True
        for key, is_init in (("initContainers", True), ("containers", False)):
            for index, container in enumerate(as_list(spec.get(key))):
                if not isinstance(container, dict):
                    continue
                path: Path = (*POD, key, index)
                self.container(container, path, is_init, names, host_network)

    def container(self, container: dict[str, Any], path: Path, is_init: bool, names: dict[str, Path],
                  host_network: bool) -> None:
        name = container.get("name")
        label = f"container {name!r}" if isinstance(name, str) and name else f"container {path[-1]}"
        if isinstance(name, str) and not self.seen((*path, "name")):
            if not name:
                self.emit("container-name-invalid", "container name is required", (*path, "name"),
                          "name the container, e.g. 'app'")
            else:
                errors = kv.dns1123_label_errors(name)
                if errors:
                    self.emit("container-name-invalid", f"container name {name!r}: {'; '.join(errors)}",
                              (*path, "name"), f"use {_label_like(name)!r}")
                if name in names:
                    self.emit("container-name-duplicate", f"container name {name!r} is used twice "
                              "(names are unique across initContainers and containers)", (*path, "name"),
                              "rename one of them", related=[(self.obj, (*names[name], "name"), "first used here")])
                else:
                    names[name] = path
        image = container.get("image")
        if (image is None or image == "") and not self.seen((*path, "image")):
            self.emit("container-image-missing", f"{label}: image is required",
                      (*path, "image") if "image" in container else path,
                      "add `image:`, e.g. registry.k8s.io/nginx-slim:0.24", at_value=False)
        elif isinstance(image, str) and image != image.strip():
            self.emit("container-image-missing", f"{label}: image {image!r} must not have leading or trailing "
                      "whitespace (pods are rejected)", (*path, "image"), f"use {image.strip()!r}")
        for field, allowed in (("imagePullPolicy", PULL_POLICIES), ("terminationMessagePolicy", MESSAGE_POLICIES)):
            value = container.get(field)
            if isinstance(value, str) and value and value not in allowed:
                self.invalid(f"{label}: {field} {value!r} is not supported; supported: {', '.join(allowed)}",
                             (*path, field), did_you_mean(value, allowed))
        restart = container.get("restartPolicy")
        if is_init and isinstance(restart, str) and restart and restart != "Always":
            self.invalid(f"{label}: an init container's restartPolicy may only be 'Always' (a sidecar)",
                         (*path, "restartPolicy"), "remove it, or use Always for a sidecar")
        sidecar = is_init and restart == "Always"
        self.ports(container, path, label, host_network)
        self.env(container, path, label)
        self.resources(container, path, label)
        self.probes(container, path, label, is_init and not sidecar)
        self.security(as_map(container.get("securityContext")), (*path, "securityContext"), label)
        self.mounts(container, path, label)

    def ports(self, container: dict[str, Any], path: Path, label: str, host_network: bool) -> None:
        names: set[str] = set()
        for index, port in enumerate(as_list(container.get("ports"))):
            if not isinstance(port, dict):
                continue
            port_path: Path = (*path, "ports", index)
            number = port.get("containerPort")
            if is_int(number) and not 1 <= number <= 65535 and not self.seen((*port_path, "containerPort")):
                self.emit("container-port-invalid", f"{label}: containerPort {number} must be between 1 and 65535",
                          (*port_path, "containerPort"), "use a port number from 1 to 65535")
            host = port.get("hostPort")
            if is_int(host) and host != 0:
                if not 1 <= host <= 65535:
                    self.emit("container-port-invalid", f"{label}: hostPort {host} must be between 1 and 65535",
                              (*port_path, "hostPort"), "use a port number from 1 to 65535, or remove hostPort")
                elif host_network and is_int(number) and host != number:
                    self.emit("container-port-invalid", f"{label}: hostPort {host} must match containerPort "
                              f"{number} when hostNetwork is true", (*port_path, "hostPort"),
                              "remove hostPort, or make it equal to containerPort")
            name = port.get("name")
            if isinstance(name, str) and name:
                errors = kv.iana_svc_name_errors(name)
                if errors:
                    self.emit("container-port-invalid", f"{label}: port name {name!r}: {'; '.join(errors)}",
                              (*port_path, "name"), "port names are at most 15 lowercase letters, digits and "
                              "single hyphens, with at least one letter")
                if name in names:
                    self.emit("container-port-invalid", f"{label}: duplicate port name {name!r}",
                              (*port_path, "name"), "give each port its own name")
                names.add(name)
            protocol = port.get("protocol")
            if isinstance(protocol, str) and protocol and protocol not in PROTOCOLS:
                self.emit("container-port-invalid", f"{label}: protocol {protocol!r} is not supported; supported: "
                          "TCP, UDP, SCTP", (*port_path, "protocol"), did_you_mean(protocol, PROTOCOLS))
            host_ip = port.get("hostIP")
            if isinstance(host_ip, str) and host_ip and not kv.is_ip(host_ip):
                self.emit("container-port-invalid", f"{label}: hostIP {host_ip!r} is not a valid IP address",
                          (*port_path, "hostIP"), "use an IP address or remove hostIP")

    def env(self, container: dict[str, Any], path: Path, label: str) -> None:
        for index, item in enumerate(as_list(container.get("env"))):
            if not isinstance(item, dict):
                continue
            env_path: Path = (*path, "env", index)
            name = item.get("name")
            if isinstance(name, str) and not self.seen((*env_path, "name")):
                errors = kv.env_var_name_errors(name, self.relaxed_env)
                if errors:
                    self.invalid(f"{label}: environment variable name {name!r} {errors[0]}", (*env_path, "name"),
                                 "use letters, digits and '_'")
            source = item.get("valueFrom")
            if source is None:
                continue
            if item.get("value"):
                self.invalid(f"{label}: env {name!r} may not set both value and valueFrom", (*env_path, "valueFrom"),
                             "keep one of them", at_value=False)
            present = [k for k in ENV_SOURCES if as_map(source).get(k) is not None]
            if isinstance(source, dict) and len(present) != 1:
                what = "must specify one of" if not present else "may not specify more than one of"
                self.invalid(f"{label}: env {name!r} valueFrom {what} {', '.join(ENV_SOURCES[:4])}",
                             (*env_path, "valueFrom"), "use exactly one source", at_value=False)
            field_path = as_map(as_map(source).get("fieldRef")).get("fieldPath")
            if isinstance(field_path, str) and not _supported_field_path(field_path):
                self.invalid(f"{label}: env {name!r} fieldRef.fieldPath {field_path!r} is not supported",
                             (*env_path, "valueFrom", "fieldRef", "fieldPath"),
                             "e.g. metadata.name, metadata.namespace, metadata.labels['app'], status.podIP")
            resource = as_map(as_map(source).get("resourceFieldRef")).get("resource")
            if isinstance(resource, str) and not _supported_resource_field(resource):
                self.invalid(f"{label}: env {name!r} resourceFieldRef.resource {resource!r} is not supported",
                             (*env_path, "valueFrom", "resourceFieldRef", "resource"),
                             "e.g. limits.cpu, limits.memory, requests.cpu, requests.memory")
            for ref in ("configMapKeyRef", "secretKeyRef"):
                selector = as_map(as_map(source).get(ref))
                if ref in as_map(source) and isinstance(as_map(source).get(ref), dict):
                    for key in ("name", "key"):
                        if not selector.get(key) and not self.seen((*env_path, "valueFrom", ref, key)):
                            self.invalid(f"{label}: env {name!r} {ref}.{key} is required",
                                         (*env_path, "valueFrom", ref), f"add `{key}:`", at_value=False)
        for index, item in enumerate(as_list(container.get("envFrom"))):
            if not isinstance(item, dict):
                continue
            present = [k for k in ("configMapRef", "secretRef") if item.get(k) is not None]
            if len(present) != 1:
                self.invalid(f"{label}: each envFrom entry needs exactly one of configMapRef and secretRef",
                             (*path, "envFrom", index), "split it into two entries", at_value=False)
            for ref in present:
                if not as_map(item.get(ref)).get("name"):
                    self.invalid(f"{label}: envFrom {ref}.name is required", (*path, "envFrom", index, ref),
                                 "add `name:`", at_value=False)

    def resources(self, container: dict[str, Any], path: Path, label: str) -> None:
        resources = as_map(container.get("resources"))
        parsed: dict[str, dict[str, Decimal]] = {"limits": {}, "requests": {}}
        for kind in ("limits", "requests"):
            for name, value in as_map(resources.get(kind)).items():
                item_path: Path = (*path, "resources", kind, name)
                problem = _container_resource_name_error(str(name))
                if problem:
                    self.invalid(f"{label}: resource {name!r} {problem}", item_path,
                                 "use cpu, memory, ephemeral-storage, hugepages-<size> or a domain-qualified "
                                 "extended resource", at_value=False)
                    continue
                if self.seen(item_path) or value is None:
                    continue
                quantity = kv.parse_quantity(value)
                if quantity is None:
                    self.emit("pod-template-invalid", f"{label}: {kind}.{name} {value!r} is not a valid quantity",
                              item_path, "e.g. 500m, 1, 256Mi, 1Gi", always=True)
                    continue
                if quantity < 0:
                    self.invalid(f"{label}: {kind}.{name} must be greater than or equal to 0", item_path,
                                 "use a positive quantity")
                    continue
                if "/" in str(name) and not str(name).startswith("kubernetes.io/") and quantity != int(quantity):
                    self.invalid(f"{label}: {kind}.{name} must be a whole number (extended resource)", item_path,
                                 "use an integer")
                parsed[kind][str(name)] = quantity
        limits, requests = parsed["limits"], parsed["requests"]
        for name, request in requests.items():
            item_path = (*path, "resources", "requests", name)
            extended = _extended(name) or name.startswith("hugepages-")
            if name in limits:
                if extended and request != limits[name]:
                    self.invalid(f"{label}: requests.{name} must be equal to its limit "
                                 f"({as_map(resources.get('limits')).get(name)!r})", item_path,
                                 "set the request equal to the limit")
                elif request > limits[name]:
                    self.invalid(f"{label}: requests.{name} {as_map(resources.get('requests')).get(name)!r} must be "
                                 f"less than or equal to the {name} limit of "
                                 f"{as_map(resources.get('limits')).get(name)!r}", item_path,
                                 "raise the limit or lower the request")
            elif extended and _extended(name):
                self.invalid(f"{label}: requests.{name} needs a limit too (extended resources cannot be "
                             "overcommitted)", item_path, f"add `limits: {{{name}: ...}}`", at_value=False)

    def probes(self, container: dict[str, Any], path: Path, label: str, plain_init: bool) -> None:
        for kind in ("livenessProbe", "readinessProbe", "startupProbe"):
            probe = container.get(kind)
            if probe is None:
                continue
            probe_path: Path = (*path, kind)
            if plain_init:
                self.invalid(f"{label}: {kind} may not be set for init containers without restartPolicy: Always",
                             probe_path, "remove the probe, or make the init container a sidecar", at_value=False)
                continue
            if not isinstance(probe, dict):
                continue
            self.handler(probe, probe_path, f"{label} {kind}", PROBE_HANDLERS)
            for field in ("initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold",
                          "failureThreshold"):
                value = probe.get(field)
                if is_int(value) and value < 0:
                    self.invalid(f"{label}: {kind}.{field} must be greater than or equal to 0", (*probe_path, field),
                                 "use 0 or a positive number")
            success = probe.get("successThreshold")
            if kind != "readinessProbe" and is_int(success) and success > 1:
                self.invalid(f"{label}: {kind}.successThreshold must be 1", (*probe_path, "successThreshold"),
                             "only readiness probes may require several successes")
            grace = probe.get("terminationGracePeriodSeconds")
            if is_int(grace) and grace <= 0:
                self.invalid(f"{label}: {kind}.terminationGracePeriodSeconds must be greater than 0",
                             (*probe_path, "terminationGracePeriodSeconds"), "use a positive number or remove it")
            if kind == "readinessProbe" and grace is not None:
                self.invalid(f"{label}: readinessProbe.terminationGracePeriodSeconds must not be set",
                             (*probe_path, "terminationGracePeriodSeconds"), "remove it", at_value=False)
        lifecycle = container.get("lifecycle")
        if isinstance(lifecycle, dict):
            if plain_init:
                self.invalid(f"{label}: lifecycle may not be set for init containers without restartPolicy: Always",
                             (*path, "lifecycle"), "remove it", at_value=False)
                return
            for hook in ("postStart", "preStop"):
                handler = lifecycle.get(hook)
                if isinstance(handler, dict):
                    self.handler(handler, (*path, "lifecycle", hook), f"{label} {hook}", LIFECYCLE_HANDLERS)

    def handler(self, handler: dict[str, Any], path: Path, what: str, kinds: tuple[str, ...]) -> None:
        present = [k for k in kinds if handler.get(k) is not None]
        if not present:
            self.invalid(f"{what} must specify a handler type ({', '.join(kinds)})", path,
                         f"add one of {', '.join(kinds)}", at_value=False)
            return
        if len(present) > 1:
            self.invalid(f"{what} may not specify more than 1 handler type: {', '.join(present)}",
                         (*path, present[1]), "keep one handler", at_value=False)
            return
        kind = present[0]
        action = as_map(handler.get(kind))
        action_path: Path = (*path, kind)
        if kind == "exec" and not as_list(action.get("command")) and not self.seen((*action_path, "command")):
            self.invalid(f"{what}: exec.command is required", action_path, "add `command: [...]`", at_value=False)
        if kind in ("httpGet", "tcpSocket"):
            port = action.get("port")
            port_path: Path = (*action_path, "port")
            if port is None:
                if not self.seen(port_path):
                    self.invalid(f"{what}: {kind}.port is required", action_path, "add `port:`", at_value=False)
            elif not self.seen(port_path):
                problem = _port_ref_error(port)
                if problem:
                    self.invalid(f"{what}: {kind}.port {port!r} {problem}", port_path,
                                 "use a number from 1 to 65535 or a container port name")
            scheme = action.get("scheme")
            if kind == "httpGet" and isinstance(scheme, str) and scheme and scheme not in ("HTTP", "HTTPS"):
                self.invalid(f"{what}: httpGet.scheme {scheme!r} is not supported; supported: HTTP, HTTPS",
                             (*action_path, "scheme"), did_you_mean(scheme, ("HTTP", "HTTPS")))
        if kind == "grpc":
            port = action.get("port")
            if is_int(port) and not 1 <= port <= 65535:
                self.invalid(f"{what}: grpc.port {port} must be between 1 and 65535", (*action_path, "port"),
                             "use a port number from 1 to 65535")

    def security(self, context: dict[str, Any], path: Path, label: str) -> None:
        if context.get("privileged") is True and context.get("allowPrivilegeEscalation") is False:
            self.invalid(f"{label}: cannot set allowPrivilegeEscalation to false and privileged to true",
                         (*path, "allowPrivilegeEscalation"), "drop one of the two settings")
        self.ids(context, path, label, ("runAsUser", "runAsGroup"))
        proc = context.get("procMount")
        if isinstance(proc, str) and proc and proc not in ("Default", "Unmasked"):
            self.invalid(f"{label}: procMount {proc!r} is not supported; supported: Default, Unmasked",
                         (*path, "procMount"), did_you_mean(proc, ("Default", "Unmasked")))
        self.seccomp(as_map(context.get("seccompProfile")), (*path, "seccompProfile"), label)

    def ids(self, context: dict[str, Any], path: Path, label: str, fields: tuple[str, ...]) -> None:
        for field in fields:
            value = context.get(field)
            if is_int(value) and not 0 <= value <= MAX_ID:
                self.invalid(f"{label}: {field} {value} must be between 0 and {MAX_ID}", (*path, field),
                             "use a non-negative id")

    def seccomp(self, profile: dict[str, Any], path: Path, label: str) -> None:
        kind = profile.get("type")
        allowed = ("RuntimeDefault", "Unconfined", "Localhost")
        if isinstance(kind, str) and kind not in allowed:
            self.invalid(f"{label}: seccompProfile.type {kind!r} is not supported", (*path, "type"),
                         did_you_mean(kind, allowed))
        elif kind == "Localhost" and not profile.get("localhostProfile"):
            self.invalid(f"{label}: seccompProfile.localhostProfile is required for type Localhost", path,
                         "add `localhostProfile:`", at_value=False)
        elif kind in ("RuntimeDefault", "Unconfined") and profile.get("localhostProfile"):
            self.invalid(f"{label}: seccompProfile.localhostProfile must only be set for type Localhost",
                         (*path, "localhostProfile"), "remove it", at_value=False)

    def mounts(self, container: dict[str, Any], path: Path, label: str) -> None:
        mount_paths: set[str] = set()
        privileged = as_map(container.get("securityContext")).get("privileged") is True
        for index, mount in enumerate(as_list(container.get("volumeMounts"))):
            if not isinstance(mount, dict):
                continue
            mount_path: Path = (*path, "volumeMounts", index)
            name = mount.get("name")
            if isinstance(name, str) and not self.seen((*mount_path, "name")):
                if not name:
                    self.emit("volume-mount-unknown", f"{label}: volumeMounts name is required",
                              (*mount_path, "name"), "name a volume or a volumeClaimTemplate")
                elif name not in self.volume_kinds:
                    known = sorted(self.volume_kinds)
                    import difflib

                    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
                    hint = (f"did you mean {close[0]!r}?" if close else
                            ("volumes and claim templates: " + ", ".join(known)) if known else
                            "add a volume or a volumeClaimTemplate with this name")
                    self.emit("volume-mount-unknown", f"{label}: volumeMount {name!r} names no volume and no "
                              "volumeClaimTemplate", (*mount_path, "name"), hint)
            target = mount.get("mountPath")
            if isinstance(target, str) and not self.seen((*mount_path, "mountPath")):
                if not target:
                    self.invalid(f"{label}: mountPath is required", (*mount_path, "mountPath"), "add a path")
                elif target in mount_paths:
                    self.invalid(f"{label}: mountPath {target!r} must be unique", (*mount_path, "mountPath"),
                                 "mount each path once")
                mount_paths.add(target)
            sub_path = mount.get("subPath")
            if isinstance(sub_path, str) and sub_path:
                message = _relative_path_error(sub_path)
                if message:
                    self.invalid(f"{label}: subPath {sub_path!r} {message}", (*mount_path, "subPath"),
                                 "use a relative path without '..'")
                if mount.get("subPathExpr"):
                    self.invalid(f"{label}: subPath and subPathExpr are mutually exclusive",
                                 (*mount_path, "subPathExpr"), "keep one of them", at_value=False)
            propagation = mount.get("mountPropagation")
            if isinstance(propagation, str) and propagation:
                if propagation not in PROPAGATION:
                    self.invalid(f"{label}: mountPropagation {propagation!r} is not supported",
                                 (*mount_path, "mountPropagation"), did_you_mean(propagation, PROPAGATION))
                elif propagation == "Bidirectional" and not privileged:
                    self.invalid(f"{label}: Bidirectional mount propagation is available only to privileged "
                                 "containers", (*mount_path, "mountPropagation"), "use HostToContainer")
        for index, device in enumerate(as_list(container.get("volumeDevices"))):
            name = as_map(device).get("name")
            device_path: Path = (*path, "volumeDevices", index, "name")
            if isinstance(name, str) and name and name not in self.volume_kinds:
                self.emit("volume-mount-unknown", f"{label}: volumeDevice {name!r} names no volume and no "
                          "volumeClaimTemplate", device_path, "name a volumeClaimTemplate with volumeMode: Block")
            elif isinstance(name, str) and self.volume_kinds.get(name) not in ("persistentVolumeClaim", "ephemeral",
                                                                              None):
                self.invalid(f"{label}: volumeDevice {name!r} can only use a PersistentVolumeClaim or ephemeral "
                             "volume", device_path, "use a volumeClaimTemplate with volumeMode: Block")

    # --- pod level ----------------------------------------------------------------------------------

    def pod_level(self, spec: dict[str, Any]) -> None:
        policy = spec.get("dnsPolicy")
        if isinstance(policy, str) and policy and policy not in DNS_POLICIES:
            self.invalid(f"dnsPolicy {policy!r} is not supported; supported: {', '.join(DNS_POLICIES)}",
                         (*POD, "dnsPolicy"), did_you_mean(policy, DNS_POLICIES))
        dns_config = as_map(spec.get("dnsConfig"))
        nameservers = as_list(dns_config.get("nameservers"))
        if policy == "None" and not nameservers:
            self.invalid("dnsPolicy None needs dnsConfig.nameservers", (*POD, "dnsPolicy"),
                         "add `dnsConfig: {nameservers: [...]}`")
        if len(nameservers) > 3:
            self.invalid("dnsConfig.nameservers may hold at most 3 addresses", (*POD, "dnsConfig", "nameservers"),
                         "keep three", at_value=False)
        for index, server in enumerate(nameservers):
            if isinstance(server, str) and not kv.is_ip(server):
                self.invalid(f"dnsConfig nameserver {server!r} must be a valid IP address",
                             (*POD, "dnsConfig", "nameservers", index), "use an IP address")
        if spec.get("shareProcessNamespace") is True and spec.get("hostPID") is True:
            self.invalid("shareProcessNamespace and hostPID cannot both be enabled", (*POD, "shareProcessNamespace"),
                         "disable one of them")
        for field in ("nodeName", "priorityClassName"):
            value = spec.get(field)
            if isinstance(value, str) and value and not kv.is_dns1123_subdomain(value):
                self.invalid(f"{field} {value!r}: {kv.dns1123_subdomain_errors(value)[0]}", (*POD, field),
                             "use the name of an existing object (a lowercase DNS subdomain)")
        for index, sysctl in enumerate(as_list(as_map(spec.get("securityContext")).get("sysctls"))):
            name = as_map(sysctl).get("name")
            if isinstance(name, str) and not _SYSCTL.fullmatch(name):
                self.invalid(f"sysctl name {name!r} is not a valid sysctl name (e.g. 'net.core.somaxconn')",
                             (*POD, "securityContext", "sysctls", index, "name"), "use a dotted kernel parameter name")
        os_name = as_map(spec.get("os")).get("name")
        if isinstance(os_name, str) and os_name not in ("linux", "windows"):
            self.invalid(f"os.name {os_name!r} is not supported; supported: linux, windows", (*POD, "os", "name"),
                         did_you_mean(os_name, ("linux", "windows")))
        for index, gate in enumerate(as_list(spec.get("readinessGates"))):
            condition = as_map(gate).get("conditionType")
            if isinstance(condition, str):
                for message in kv.qualified_name_errors(condition):
                    self.invalid(f"readinessGates conditionType {condition!r}: {message}",
                                 (*POD, "readinessGates", index, "conditionType"), "use a qualified name")
        account = spec.get("serviceAccountName")
        if isinstance(account, str) and account and not kv.is_dns1123_subdomain(account):
            self.invalid(f"serviceAccountName {account!r}: {kv.dns1123_subdomain_errors(account)[0]}",
                         (*POD, "serviceAccountName"), "use the ServiceAccount's name")
        pod_security = as_map(spec.get("securityContext"))
        self.ids(pod_security, (*POD, "securityContext"), "pod", ("runAsUser", "runAsGroup", "fsGroup"))
        for index, group in enumerate(as_list(pod_security.get("supplementalGroups"))):
            if is_int(group) and not 0 <= group <= MAX_ID:
                self.invalid(f"supplementalGroups {group} must be between 0 and {MAX_ID}",
                             (*POD, "securityContext", "supplementalGroups", index), "use a non-negative id")
        change = pod_security.get("fsGroupChangePolicy")
        if isinstance(change, str) and change not in ("OnRootMismatch", "Always"):
            self.invalid(f"fsGroupChangePolicy {change!r} is not supported; supported: OnRootMismatch, Always",
                         (*POD, "securityContext", "fsGroupChangePolicy"),
                         did_you_mean(change, ("OnRootMismatch", "Always")))
        self.seccomp(as_map(pod_security.get("seccompProfile")), (*POD, "securityContext", "seccompProfile"), "pod")
        for key, value in as_map(spec.get("nodeSelector")).items():
            item_path: Path = (*POD, "nodeSelector", key)
            for message in kv.label_key_errors(str(key)):
                self.invalid(f"nodeSelector key {key!r}: {message}", item_path, "use a label key", at_value=False)
            if isinstance(value, str):
                for message in kv.label_value_errors(value):
                    self.invalid(f"nodeSelector value {value!r}: {message}", item_path, "use a label value")
        self.tolerations(as_list(spec.get("tolerations")))
        self.affinity(as_map(spec.get("affinity")))
        self.spread(as_list(spec.get("topologySpreadConstraints")))
        for index, alias in enumerate(as_list(spec.get("hostAliases"))):
            ip = as_map(alias).get("ip")
            if isinstance(ip, str) and not kv.is_ip(ip):
                self.invalid(f"hostAliases ip {ip!r} must be a valid IP address", (*POD, "hostAliases", index, "ip"),
                             "use an IP address")
            for position, host in enumerate(as_list(as_map(alias).get("hostnames"))):
                if isinstance(host, str) and not kv.is_dns1123_subdomain(host):
                    self.invalid(f"hostAliases hostname {host!r} must be a lowercase DNS name",
                                 (*POD, "hostAliases", index, "hostnames", position), "use a DNS name")

    def tolerations(self, tolerations: list[Any]) -> None:
        for index, toleration in enumerate(tolerations):
            if not isinstance(toleration, dict):
                continue
            path: Path = (*POD, "tolerations", index)
            key = toleration.get("key")
            operator = toleration.get("operator")
            if isinstance(key, str) and key:
                for message in kv.label_key_errors(key):
                    self.invalid(f"toleration key {key!r}: {message}", (*path, "key"), "use a taint key")
            elif operator != "Exists":
                self.invalid("a toleration without a key must use operator Exists", path,
                             "add `operator: Exists` (tolerate every taint) or a key", at_value=False)
            if isinstance(operator, str) and operator and operator not in TOLERATION_OPERATORS:
                self.invalid(f"toleration operator {operator!r} is not supported; supported: Exists, Equal",
                             (*path, "operator"), did_you_mean(operator, TOLERATION_OPERATORS))
            value = toleration.get("value")
            if operator == "Exists" and value:
                self.invalid("a toleration with operator Exists must not have a value", (*path, "value"),
                             "remove `value`, or use operator Equal")
            elif operator in (None, "", "Equal") and isinstance(value, str):
                for message in kv.label_value_errors(value):
                    self.invalid(f"toleration value {value!r}: {message}", (*path, "value"), "use a label value")
            effect = toleration.get("effect")
            if isinstance(effect, str) and effect and effect not in TAINT_EFFECTS:
                self.invalid(f"toleration effect {effect!r} is not supported; supported: "
                             f"{', '.join(TAINT_EFFECTS)}", (*path, "effect"), did_you_mean(effect, TAINT_EFFECTS))
            if toleration.get("tolerationSeconds") is not None and effect != "NoExecute":
                self.invalid("tolerationSeconds needs effect NoExecute", (*path, "tolerationSeconds"),
                             "set `effect: NoExecute` or remove tolerationSeconds", at_value=False)

    def affinity(self, affinity: dict[str, Any]) -> None:
        base: Path = (*POD, "affinity")
        node = as_map(affinity.get("nodeAffinity"))
        required = node.get("requiredDuringSchedulingIgnoredDuringExecution")
        if isinstance(required, dict):
            terms = as_list(required.get("nodeSelectorTerms"))
            path: Path = (*base, "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution")
            if not terms:
                self.invalid("nodeSelectorTerms must have at least one term", path, "add a term", at_value=False)
            for index, term in enumerate(terms):
                self.node_term(as_map(term), (*path, "nodeSelectorTerms", index))
        for index, item in enumerate(as_list(node.get("preferredDuringSchedulingIgnoredDuringExecution"))):
            path = (*base, "nodeAffinity", "preferredDuringSchedulingIgnoredDuringExecution", index)
            self.weight(as_map(item), path)
            self.node_term(as_map(as_map(item).get("preference")), (*path, "preference"))
        for kind in ("podAffinity", "podAntiAffinity"):
            pod = as_map(affinity.get(kind))
            for index, term in enumerate(as_list(pod.get("requiredDuringSchedulingIgnoredDuringExecution"))):
                self.pod_term(as_map(term), (*base, kind, "requiredDuringSchedulingIgnoredDuringExecution", index))
            for index, item in enumerate(as_list(pod.get("preferredDuringSchedulingIgnoredDuringExecution"))):
                path = (*base, kind, "preferredDuringSchedulingIgnoredDuringExecution", index)
                self.weight(as_map(item), path)
                term = as_map(item).get("podAffinityTerm")
                if isinstance(term, dict):
                    self.pod_term(term, (*path, "podAffinityTerm"))

    def weight(self, item: dict[str, Any], path: Path) -> None:
        weight = item.get("weight")
        if is_int(weight) and not 1 <= weight <= 100:
            self.invalid(f"weight {weight} must be in the range 1-100", (*path, "weight"), "use 1 to 100")

    def node_term(self, term: dict[str, Any], path: Path) -> None:
        for index, item in enumerate(as_list(term.get("matchExpressions"))):
            if isinstance(item, dict):
                requirement(self.context, self.obj, item, (*path, "matchExpressions", index), self.out,
                            "pod-template-invalid", NODE_OPERATORS, self.suffix, node=True)
        for index, item in enumerate(as_list(term.get("matchFields"))):
            item = as_map(item)
            field_path: Path = (*path, "matchFields", index)
            if item.get("key") not in (None, "metadata.name"):
                self.invalid(f"matchFields key {item.get('key')!r} is not supported; supported: metadata.name",
                             (*field_path, "key"), "use metadata.name")
            if item.get("operator") not in (None, "In", "NotIn"):
                self.invalid(f"matchFields operator {item.get('operator')!r} is not supported; supported: In, NotIn",
                             (*field_path, "operator"), "use In or NotIn")
            if len(as_list(item.get("values"))) != 1:
                self.invalid("matchFields needs exactly one value", field_path, "name one node", at_value=False)

    def pod_term(self, term: dict[str, Any], path: Path) -> None:
        key = term.get("topologyKey")
        if not key and not self.seen((*path, "topologyKey")):
            self.invalid("topologyKey is required (e.g. kubernetes.io/hostname)", path,
                         "add `topologyKey: kubernetes.io/hostname`", at_value=False)
        elif isinstance(key, str):
            for message in kv.label_key_errors(key):
                self.invalid(f"topologyKey {key!r}: {message}", (*path, "topologyKey"), "use a node label key")
        for field in ("labelSelector", "namespaceSelector"):
            self.label_selector(as_map(term.get(field)), (*path, field))

    def label_selector(self, selector: dict[str, Any], path: Path) -> None:
        for key, value in as_map(selector.get("matchLabels")).items():
            for message in kv.label_key_errors(str(key)):
                self.invalid(f"selector key {key!r}: {message}", (*path, "matchLabels", key), "use a label key",
                             at_value=False)
            if isinstance(value, str):
                for message in kv.label_value_errors(value):
                    self.invalid(f"selector value {value!r}: {message}", (*path, "matchLabels", key),
                                 "use a label value")
        for index, item in enumerate(as_list(selector.get("matchExpressions"))):
            if isinstance(item, dict):
                requirement(self.context, self.obj, item, (*path, "matchExpressions", index), self.out,
                            "pod-template-invalid", suffix=self.suffix)

    def spread(self, constraints: list[Any]) -> None:
        seen: set[tuple[Any, Any]] = set()
        for index, constraint in enumerate(constraints):
            if not isinstance(constraint, dict):
                continue
            path: Path = (*POD, "topologySpreadConstraints", index)
            skew = constraint.get("maxSkew")
            if is_int(skew) and skew < 1:
                self.invalid(f"maxSkew {skew} must be greater than zero", (*path, "maxSkew"), "use 1 or more")
            key = constraint.get("topologyKey")
            if isinstance(key, str) and not key:
                self.invalid("topologyKey is required", (*path, "topologyKey"), "e.g. kubernetes.io/hostname")
            when = constraint.get("whenUnsatisfiable")
            if isinstance(when, str) and when not in WHEN_UNSATISFIABLE:
                self.invalid(f"whenUnsatisfiable {when!r} is not supported; supported: DoNotSchedule, "
                             "ScheduleAnyway", (*path, "whenUnsatisfiable"), did_you_mean(when, WHEN_UNSATISFIABLE))
            domains = constraint.get("minDomains")
            if is_int(domains):
                if domains < 1:
                    self.invalid(f"minDomains {domains} must be greater than zero", (*path, "minDomains"),
                                 "use 1 or more, or remove it")
                elif when != "DoNotSchedule":
                    self.invalid("minDomains can only be used with whenUnsatisfiable: DoNotSchedule",
                                 (*path, "minDomains"), "remove minDomains", at_value=False)
            for field in ("nodeAffinityPolicy", "nodeTaintsPolicy"):
                value = constraint.get(field)
                if isinstance(value, str) and value not in ("Honor", "Ignore"):
                    self.invalid(f"{field} {value!r} is not supported; supported: Honor, Ignore", (*path, field),
                                 did_you_mean(value, ("Honor", "Ignore")))
            pair = (key, when)
            if pair in seen:
                self.invalid(f"duplicate topology spread constraint for topologyKey {key!r} and "
                             f"whenUnsatisfiable {when!r}", path, "merge the two constraints", at_value=False)
            seen.add(pair)
            self.label_selector(as_map(constraint.get("labelSelector")), (*path, "labelSelector"))


def _label_like(name: str) -> str:
    text = re.sub(r"[^a-z0-9-]+", "-", name.lower()).strip("-")[:63].strip("-")
    return text or "app"


def _relative_path_error(path: str) -> str:
    if path.startswith("/"):
        return "must be a relative path"
    if ".." in path.replace("\\", "/").split("/"):
        return "must not contain '..'"
    return ""


def _port_ref_error(port: Any) -> str:
    if is_int(port):
        return "" if 1 <= port <= 65535 else "must be between 1 and 65535"
    if isinstance(port, str):
        errors = kv.iana_svc_name_errors(port)
        return f"is not a valid port name: {errors[0]}" if errors else ""
    return ""


_FIELD_PATHS = frozenset({"metadata.name", "metadata.namespace", "metadata.uid", "metadata.labels",
                          "metadata.annotations", "spec.nodeName", "spec.serviceAccountName", "status.hostIP",
                          "status.hostIPs", "status.podIP", "status.podIPs"})
_RESOURCE_FIELDS = frozenset({"limits.cpu", "limits.memory", "limits.ephemeral-storage", "requests.cpu",
                              "requests.memory", "requests.ephemeral-storage"})


def _supported_field_path(path: str) -> bool:
    if path in _FIELD_PATHS:
        return True
    for prefix in ("metadata.labels['", "metadata.annotations['"):
        if path.startswith(prefix) and path.endswith("']") and len(path) > len(prefix) + 2:
            return True
    return False


def _supported_resource_field(resource: str) -> bool:
    return resource in _RESOURCE_FIELDS or resource.startswith(("limits.hugepages-", "requests.hugepages-"))


def _extended(name: str) -> bool:
    return "/" in name and not name.startswith("kubernetes.io/") and not name.startswith("requests.")


def _container_resource_name_error(name: str) -> str:
    if "/" not in name:
        if name in STANDARD_CONTAINER_RESOURCES or name.startswith("hugepages-"):
            return ""
        return "must be a standard resource for containers (cpu, memory, ephemeral-storage, hugepages-<size>)"
    errors = kv.qualified_name_errors(name)
    if errors:
        return f"is not a valid resource name: {errors[0]}"
    if name.startswith("requests."):
        return "doesn't follow extended resource name standard"
    return ""


def _pod_pass(context: RuleContext) -> list[Finding]:
    out: list[Finding] = []
    for view in context.statefulsets:
        _Pod(context, view, out).run()
    return out


_SRC = SRC_APPS_134 + "; " + SRC_CORE + " (ValidatePodTemplateSpec)"
# Continuation lines carry the docstrings' indentation, so that cleandoc keeps the paragraph intact.
_NOTE = ("The API server validates the pod template since Kubernetes 1.34;\n    before, the StatefulSet was accepted "
         "and every pod failed with FailedCreate\n    (kubernetes/kubernetes#81147, #97309).")

family_rule("containers-missing", E, "The pod template has no containers.", "api", f"""
    A pod needs at least one container. {_NOTE}

    Bad:
        template:
          spec:
            containers: []
    Good:
        template:
          spec:
            containers:
            - name: app
              image: nginx:1.27
    """, _pod_pass, _SRC, scope="object")
family_rule("container-name-invalid", E, "A container name is empty or not a DNS label.", "api", f"""
    Container names are DNS-1123 labels: lowercase letters, digits and '-', at most 63 characters.
    {_NOTE}

    Bad:
        containers:
        - name: Web_Server
    Good:
        containers:
        - name: web-server
    """, _pod_pass, _SRC, scope="object")
family_rule("container-name-duplicate", E, "Two containers have the same name.", "api", f"""
    Names must be unique across `initContainers` and `containers`. {_NOTE}

    Bad:
        initContainers:
        - name: app
        containers:
        - name: app
    Good:
        initContainers:
        - name: init
        containers:
        - name: app
    """, _pod_pass, _SRC, scope="object")
family_rule("container-image-missing", E, "A container has no image.", "api", f"""
    Every container and init container needs an `image` (kubernetes/kubernetes#137728). {_NOTE}

    Bad:
        containers:
        - name: app
    Good:
        containers:
        - name: app
          image: nginx:1.27
    """, _pod_pass, _SRC, scope="object")
family_rule("container-port-invalid", E, "A container port has a bad name, number, protocol or hostPort.",
            "api", f"""
    `containerPort` and `hostPort` are 1-65535; port names are IANA service names (at most 15
    characters: lowercase letters, digits and single hyphens, with at least one letter) and unique
    per container; `protocol` is TCP, UDP or SCTP; with `hostNetwork: true` a hostPort must equal
    the containerPort. {_NOTE}

    Bad:
        ports:
        - name: postgres-primary-port
          containerPort: 5432
    Good:
        ports:
        - name: postgres
          containerPort: 5432
    """, _pod_pass, _SRC + " (validateContainerPorts)", scope="object")
family_rule("volume-mount-unknown", E, "A volumeMount names no volume and no claim template.", "api", f"""
    Each `volumeMounts[].name` must be a pod volume or a `volumeClaimTemplates` entry. A typo here
    is the most common cause of pods that are never created. {_NOTE}

    Bad:
        volumeMounts:
        - name: dta
          mountPath: /data
        ...
        volumeClaimTemplates:
        - metadata:
            name: data
    Good:
        volumeMounts:
        - name: data
          mountPath: /data
    """, _pod_pass, _SRC + " (ValidateVolumeMounts)", scope="object")
family_rule("volume-invalid", E, "A pod volume has a bad or duplicate name, or not exactly one source.", "api", f"""
    Volume names are DNS labels and unique; each volume has exactly one source (emptyDir,
    configMap, secret...) with its required fields. A template volume named like a claim template
    is replaced by the claim and not checked. {_NOTE}

    Bad:
        volumes:
        - name: config
          configMap: {{name: app}}
          secret: {{secretName: app}}
    Good:
        volumes:
        - name: config
          configMap: {{name: app}}
        - name: credentials
          secret: {{secretName: app}}
    """, _pod_pass, _SRC + " (ValidateVolumes)", scope="object")
family_rule("pod-template-invalid", E, "Another part of the pod template is rejected by pod validation.", "api", f"""
    The rest of pod validation: enumerated values (imagePullPolicy, dnsPolicy, protocols,
    toleration operators...), probes and lifecycle hooks with exactly one handler, environment
    variable names and sources, resource quantities and requests not above limits, mount paths,
    security contexts, affinity and topology spread terms. The message names the field. {_NOTE}

    Bad:
        resources:
          requests: {{memory: 512Mi}}
          limits: {{memory: 256Mi}}
    Good:
        resources:
          requests: {{memory: 256Mi}}
          limits: {{memory: 512Mi}}
    """, _pod_pass, _SRC + "; kubernetes/kubernetes#108904", scope="object")
