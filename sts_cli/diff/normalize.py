"""Values as the API server stores them, so that `sts diff` compares what Kubernetes compares.

The update validation compares the stored (defaulted) objects with Kubernetes' semantic
equality: an empty list or map equals an absent one, and quantities compare by value
(`1Gi` == `1024Mi`). A field written with its default value is therefore not a change.
"""

from __future__ import annotations

from typing import Any

from sts_cli.k8svalidation import parse_quantity
from sts_cli.model import string_map


class Missing:
    """The value of a field that is absent (after defaulting) on one side."""

    _instance: Missing | None = None

    def __new__(cls) -> Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "(unset)"


MISSING = Missing()

class Quantity:
    """A quantity that equals any other spelling of the same amount; shows as written."""

    __slots__ = ("amount", "text")

    def __init__(self, text: Any) -> None:
        self.text = str(text)
        self.amount = parse_quantity(text)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Quantity):
            return NotImplemented
        if self.amount is None or other.amount is None:
            return self.text == other.text
        return self.amount == other.amount

    def __hash__(self) -> int:
        return hash(self.amount if self.amount is not None else self.text)

    def __repr__(self) -> str:
        return self.text


def prune(value: Any) -> Any:
    """Drop nulls, empty maps and empty lists, recursively (nil equals empty in the API)."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            pruned = prune(item)
            if pruned is not MISSING:
                out[key] = pruned
        return out if out else MISSING
    if isinstance(value, list):
        items = [prune(item) for item in value]
        items = [{} if item is MISSING else item for item in items]  # keep positions
        return items if items else MISSING
    if value is None:
        return MISSING
    return value


def _quantities(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: Quantity(v) if isinstance(v, (str, int, float)) and not isinstance(v, bool) else v
                for k, v in value.items()}
    return value


def _resources(resources: Any) -> Any:
    if not isinstance(resources, dict):
        return resources
    out = dict(resources)
    for key in ("requests", "limits"):
        if key in out:
            out[key] = _quantities(out[key])
    return out


def _object_meta(meta: Any) -> Any:
    if not isinstance(meta, dict):
        return meta
    out = dict(meta)
    if out.get("creationTimestamp") is None:
        out.pop("creationTimestamp", None)
    return out


def claim_template(raw: Any) -> Any:
    """A volumeClaimTemplates item as stored: PVC defaults, no status, no type fields."""
    if not isinstance(raw, dict):
        return prune(raw)
    item = {k: v for k, v in raw.items() if k not in ("apiVersion", "kind", "status")}
    if "metadata" in item:
        item["metadata"] = _object_meta(item["metadata"])
    spec = item.get("spec")
    spec = dict(spec) if isinstance(spec, dict) else {}
    if spec.get("volumeMode") is None:
        spec["volumeMode"] = "Filesystem"
    if "resources" in spec:
        spec["resources"] = _resources(spec["resources"])
    item["spec"] = spec
    return prune(item)


def image_pull_policy(image: Any) -> str:
    """`Always` for `:latest` or an untagged image (without digest), else `IfNotPresent`."""
    if not isinstance(image, str):
        return "IfNotPresent"
    if "@" in image:
        return "IfNotPresent"
    last = image.rsplit("/", 1)[-1]
    if ":" not in last:
        return "Always"
    return "Always" if last.rsplit(":", 1)[1] == "latest" else "IfNotPresent"


def _container(raw: Any) -> Any:
    if not isinstance(raw, dict):
        return raw
    out = dict(raw)
    if out.get("imagePullPolicy") is None:
        out["imagePullPolicy"] = image_pull_policy(out.get("image"))
    out.setdefault("terminationMessagePath", "/dev/termination-log")
    out.setdefault("terminationMessagePolicy", "File")
    if "resources" in out:
        out["resources"] = _resources(out["resources"])
    ports = out.get("ports")
    if isinstance(ports, list):
        out["ports"] = [{**p, "protocol": p.get("protocol") or "TCP"} if isinstance(p, dict) else p
                        for p in ports]
    for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
        value = out.get(probe)
        if isinstance(value, dict):
            out[probe] = {"timeoutSeconds": 1, "periodSeconds": 10, "successThreshold": 1,
                          "failureThreshold": 3, **{k: v for k, v in value.items() if v is not None}}
    return out


def pod_template(raw: Any) -> Any:
    """`spec.template` with the pod defaults the API server fills in (fact sheet section 4)."""
    if not isinstance(raw, dict):
        return prune(raw)
    template = dict(raw)
    if "metadata" in template:
        template["metadata"] = _object_meta(template["metadata"])
    spec = template.get("spec")
    if isinstance(spec, dict):
        spec = dict(spec)
        for key, default in (("restartPolicy", "Always"), ("dnsPolicy", "ClusterFirst"),
                             ("terminationGracePeriodSeconds", 30), ("schedulerName", "default-scheduler")):
            if spec.get(key) is None:
                spec[key] = default
        for key in ("containers", "initContainers"):
            if isinstance(spec.get(key), list):
                spec[key] = [_container(c) for c in spec[key]]
        template["spec"] = spec
    return prune(template)


def selector(raw: Any) -> Any:
    """A label selector; matchLabels compare as a map, matchExpressions as a list."""
    return prune(raw)


def strategy(raw: Any) -> dict[str, Any]:
    """updateStrategy after defaulting: type RollingUpdate with `rollingUpdate: {partition: 0}`."""
    data = raw if isinstance(raw, dict) else {}
    kind = data.get("type") or "RollingUpdate"
    out: dict[str, Any] = {"type": kind}
    rolling = data.get("rollingUpdate")
    rolling = dict(rolling) if isinstance(rolling, dict) else {}
    if kind == "RollingUpdate":
        if rolling.get("partition") is None:
            rolling["partition"] = 0
        if rolling.get("maxUnavailable") is None:
            rolling.pop("maxUnavailable", None)
    pruned = prune(rolling)
    if pruned is not MISSING:
        out["rollingUpdate"] = pruned
    return out


def retention(raw: Any) -> dict[str, Any]:
    data = raw if isinstance(raw, dict) else {}
    return {"whenDeleted": data.get("whenDeleted") or "Retain",
            "whenScaled": data.get("whenScaled") or "Retain"}


def labels(raw: Any) -> dict[str, str]:
    return string_map(raw)


def display(value: Any, limit: int = 80) -> str:
    """A short, readable rendering of a value for messages (`1Gi`, `"web"`, `{app: web}`)."""
    if value is MISSING:
        return "(unset)"
    if isinstance(value, Quantity):
        return value.text
    if isinstance(value, str):
        return value if value and value.strip() == value and not value.isdigit() else repr(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return str(value)
    text = _flow(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _flow(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    return display(value)
