"""Which objects `sts` checks (apps/v1 StatefulSet, v1 Service), which it skips, which are mistakes."""

from __future__ import annotations

import difflib
import enum

from sts_cli.documents import ManifestObject
from sts_cli.findings import Finding, Severity


class Kind(enum.Enum):
    STATEFULSET = "StatefulSet"
    SERVICE = "Service"


API_VERSIONS = {Kind.STATEFULSET: "apps/v1", Kind.SERVICE: "v1"}
_REMOVED = {
    ("StatefulSet", "apps/v1beta1"): "removed in Kubernetes 1.16",
    ("StatefulSet", "apps/v1beta2"): "removed in Kubernetes 1.16",
}
# Real kinds that look a little like ours must never be reported as typos of them.
_OTHER_KINDS = frozenset({
    "Secret", "ServiceAccount", "ServiceCIDR", "ServiceMonitor", "ServiceEntry", "StatefulSetList",
    "ServiceList", "StorageClass", "ReplicaSet", "DaemonSet", "Deployment", "ConfigMap", "Endpoints",
    "EndpointSlice", "Ingress", "IngressClass", "Job", "CronJob", "Pod", "PodTemplate", "Namespace",
    "Node", "Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding", "NetworkPolicy",
    "PersistentVolume", "PersistentVolumeClaim", "PodDisruptionBudget", "HorizontalPodAutoscaler",
    "LimitRange", "ResourceQuota", "CustomResourceDefinition", "Event", "Lease", "PriorityClass",
    "VolumeAttachment", "CSIDriver", "CSINode", "RuntimeClass", "ControllerRevision", "List",
})


def _near_miss(kind: str) -> Kind | None:
    if kind in _OTHER_KINDS:
        return None
    for known in Kind:
        if kind.lower() == known.value.lower():
            return known
        if difflib.SequenceMatcher(None, kind.lower(), known.value.lower()).ratio() >= 0.8:
            return known
    return None


def classify(obj: ManifestObject, default_namespace: str) -> tuple[Kind | None, list[Finding]]:
    """The kind `sts` checks this object as, or None to skip it; plus findings for mistakes."""
    findings: list[Finding] = []
    kind_value = obj.data.get("kind")
    api_value = obj.data.get("apiVersion")

    def error(rule: str, message: str, path: tuple[str, ...], hint: str) -> None:
        findings.append(obj.finding(rule, Severity.ERROR, message, path, hint, at_value=True,
                                    default_namespace=default_namespace))

    if not isinstance(kind_value, str) or not kind_value:
        error("missing-kind", "object has no 'kind'" if kind_value is None
              else f"'kind' must be a non-empty string, not {kind_value!r}",
              ("kind",), "add `kind: StatefulSet` or `kind: Service`")
    if not isinstance(api_value, str) or not api_value:
        error("missing-api-version", "object has no 'apiVersion'" if api_value is None
              else f"'apiVersion' must be a non-empty string, not {api_value!r}",
              ("apiVersion",), "add `apiVersion: apps/v1` (StatefulSet) or `apiVersion: v1` (Service)")
    if findings or not isinstance(kind_value, str) or not isinstance(api_value, str):
        return None, findings

    for known in Kind:
        if kind_value == known.value:
            expected = API_VERSIONS[known]
            if api_value == expected:
                return known, findings
            removed = _REMOVED.get((kind_value, api_value))
            if removed:
                error("removed-api-version", f"{kind_value} {api_value} was {removed}; "
                      f"the cluster answers 'no matches for kind'", ("apiVersion",),
                      f"use `apiVersion: {expected}`")
            else:
                error("unknown-api-version", f"{kind_value} is served as {expected}, not {api_value!r}",
                      ("apiVersion",), f"use `apiVersion: {expected}`")
            return None, findings

    guess = _near_miss(kind_value)
    if guess is not None:
        error("unknown-kind", f"unknown kind {kind_value!r}; did you mean {guess.value!r}?", ("kind",),
              f"kinds are case-sensitive: `kind: {guess.value}`")
    return None, findings
