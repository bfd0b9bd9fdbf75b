"""Small helpers shared by the rule modules: typed reads, version notes, per-run indexes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, TypeGuard

from sts_cli import k8svalidation as kv
from sts_cli.findings import Finding, Severity, format_path
from sts_cli.model import ServiceView, StatefulSetView
from sts_cli.rules.base import RuleContext

E = Severity.ERROR
W = Severity.WARNING
I = Severity.INFO  # noqa: E741 - matches E and W

Path = tuple[str | int, ...]
OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist")

# Where the facts come from (see the fact sheet's source table).
SRC_APPS = "kubernetes/kubernetes pkg/apis/apps/validation/validation.go (ValidateStatefulSet)"
SRC_APPS_134 = SRC_APPS + "; PR #131790 (pod template, v1.34), PR #132212 (claim templates, v1.34)"
SRC_CORE = "kubernetes/kubernetes pkg/apis/core/validation/validation.go"
SRC_META = "kubernetes/apimachinery pkg/util/validation/validation.go, pkg/apis/meta/v1/validation"
SRC_CONTROLLER = "kubernetes/kubernetes pkg/controller/statefulset/stateful_set_utils.go"
SRC_DOCS = "https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/"
SRC_DNS = "kubernetes/dns docs/specification.md; " + SRC_DOCS


def is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def as_map(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def enforced_since(context: RuleContext, version: str, before: str) -> str:
    """A message suffix for checks the API server makes only from `version` on."""
    if context.at_least(version):
        return ""
    return f" (enforced by the API server from {version}; before, {before})"


POD_TEMPLATE_BEFORE = "the StatefulSet is accepted and its pods fail with FailedCreate"
CLAIM_BEFORE = "the StatefulSet is accepted and PVC creation fails with FailedCreate"


def schema_hit(context: RuleContext, obj: Any, path: Path) -> bool:
    """True when schema validation already reported exactly this field (a type error...)."""
    reported = context.schema_paths.get(id(obj))
    if not reported:
        return False
    return format_path(path) in reported


def did_you_mean(value: str, allowed: tuple[str, ...]) -> str:
    for candidate in allowed:
        if candidate.lower() == value.lower():
            return f"values are case-sensitive: use {candidate!r}"
    import difflib

    close = difflib.get_close_matches(value, allowed, n=1, cutoff=0.6)
    if close:
        return f"did you mean {close[0]!r}?"
    return "use one of " + ", ".join(repr(a) for a in allowed)


def pod_containers(pod_spec: dict[str, Any], base: Path) -> Iterator[tuple[Path, dict[str, Any], bool]]:
    """(path, container, is_init) for every initContainer and container mapping."""
    for key, is_init in (("initContainers", True), ("containers", False)):
        for index, container in enumerate(as_list(pod_spec.get(key))):
            if isinstance(container, dict):
                yield (*base, key, index), container, is_init


# --- per-run indexes (O(n), built once) ------------------------------------------------------------

def services_by_key(context: RuleContext) -> dict[tuple[str, str], list[ServiceView]]:
    def build() -> dict[tuple[str, str], list[ServiceView]]:
        index: dict[tuple[str, str], list[ServiceView]] = {}
        for service in context.services:
            index.setdefault((service.namespace, service.name), []).append(service)
        return index

    return context.memo("services_by_key", build)


def services_by_namespace(context: RuleContext) -> dict[str, list[ServiceView]]:
    def build() -> dict[str, list[ServiceView]]:
        index: dict[str, list[ServiceView]] = {}
        for service in context.services:
            index.setdefault(service.namespace, []).append(service)
        return index

    return context.memo("services_by_namespace", build)


def services_by_name(context: RuleContext) -> dict[str, list[ServiceView]]:
    def build() -> dict[str, list[ServiceView]]:
        index: dict[str, list[ServiceView]] = {}
        for service in context.services:
            index.setdefault(service.name, []).append(service)
        return index

    return context.memo("services_by_name", build)


def statefulsets_by_namespace(context: RuleContext) -> dict[str, list[StatefulSetView]]:
    def build() -> dict[str, list[StatefulSetView]]:
        index: dict[str, list[StatefulSetView]] = {}
        for view in context.statefulsets:
            index.setdefault(view.namespace, []).append(view)
        return index

    return context.memo("statefulsets_by_namespace", build)


def governing_services(context: RuleContext) -> dict[int, list[StatefulSetView]]:
    """id(Service view) -> the StatefulSets that name it in `serviceName`."""

    def build() -> dict[int, list[StatefulSetView]]:
        index: dict[int, list[StatefulSetView]] = {}
        by_key = services_by_key(context)
        for view in context.statefulsets:
            if not view.service_name:
                continue
            for service in by_key.get((view.namespace, view.service_name), []):
                index.setdefault(id(service), []).append(view)
        return index

    return context.memo("governing_services", build)


def selector_valid(view: StatefulSetView) -> bool:
    """The selector can be evaluated: known operators, values where they belong."""
    if view.selector.empty:
        return False
    for req in view.selector.match_expressions:
        if req.operator in ("In", "NotIn"):
            if not req.values:
                return False
        elif req.operator in ("Exists", "DoesNotExist"):
            if req.values:
                return False
        else:
            return False
    return True


def requirement(context: RuleContext, obj: Any, item: dict[str, Any], base: Path, out: list[Finding],
                rule_id: str, operators: tuple[str, ...] = OPERATORS, suffix: str = "", node: bool = False) -> bool:
    """Check a LabelSelectorRequirement; True when it is invalid.

    `node=True` checks a NodeSelectorRequirement instead: Gt/Lt take exactly one value, and values
    are not checked for label syntax (upstream ValidateNodeSelectorRequirement does not).
    """
    found: list[Finding] = []

    def emit(message: str, path: Path, hint: str, at_value: bool = True) -> None:
        found.append(context.emit(rule_id, obj, message + suffix, path, hint, at_value=at_value))

    key = item.get("key")
    operator = item.get("operator")
    value_list = as_list(item.get("values"))
    values_path: Path = (*base, "values") if "values" in item else base
    if isinstance(key, str):
        for message in kv.label_key_errors(key):
            emit(f"key {key!r}: {message}", (*base, "key"), "keys are label keys: [prefix/]name")
    if isinstance(operator, str) and operator not in operators:
        emit(f"operator {operator!r} is not supported; supported: {', '.join(operators)}", (*base, "operator"),
             did_you_mean(operator, operators))
    if operator in ("In", "NotIn") and not value_list and not schema_hit(context, obj, (*base, "values")):
        emit(f"operator {operator} needs at least one value", values_path, "add `values: [...]`, or use Exists",
             at_value=False)
    if operator in ("Exists", "DoesNotExist") and value_list:
        emit(f"operator {operator} must not have values", values_path, "remove `values`, or use In/NotIn",
             at_value=False)
    if operator in ("Gt", "Lt"):
        if len(value_list) != 1:
            emit(f"operator {operator} needs exactly one value", values_path, "e.g. values: ['3']", at_value=False)
    elif not node:
        for position, value in enumerate(value_list):
            if isinstance(value, str):
                for message in kv.label_value_errors(value):
                    emit(f"value {value!r}: {message}", (*base, "values", position), "values are label values")
    out.extend(found)
    return bool(found)
