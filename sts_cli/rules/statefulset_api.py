"""StatefulSet fields the API server rejects although the schema allows them (category "api").

One pass over every StatefulSet (`_statefulset_pass`) produces the findings of all rules in this
module; each rule picks its own. Messages follow the API server's wording where it has one.
"""

from __future__ import annotations

import re
from typing import Any

from sts_cli import k8svalidation as kv
from sts_cli.findings import Finding
from sts_cli.model import LabelSelector, StatefulSetView
from sts_cli.rules.base import RuleContext, family_rule
from sts_cli.rules.helpers import (
    SRC_APPS,
    SRC_META,
    E,
    Path,
    as_list,
    as_map,
    did_you_mean,
    enforced_since,
    is_int,
    requirement,
    schema_hit,
    selector_valid,
)

POD_MANAGEMENT = ("OrderedReady", "Parallel")
UPDATE_TYPES = ("RollingUpdate", "OnDelete")
RETENTION = ("Retain", "Delete")


def _statefulset_pass(context: RuleContext) -> list[Finding]:
    out: list[Finding] = []
    for view in context.statefulsets:
        _name(context, view, out)
        _selector(context, view, out)
        _spec_values(context, view, out)
    return out


def _name(context: RuleContext, view: StatefulSetView, out: list[Finding]) -> None:
    obj = view.obj
    meta = as_map(obj.data.get("metadata"))
    name = meta.get("name")
    if schema_hit(context, obj, ("metadata", "name")) or schema_hit(context, obj, ("metadata",)):
        return
    if name is None or name == "":
        generate = meta.get("generateName")
        if isinstance(generate, str) and generate:
            masked = generate[:-1] + "a" if generate.endswith("-") else generate
            errors = kv.dns1123_label_errors(masked)
            if errors:
                out.append(context.emit("sts-name-invalid", obj, f"generateName {generate!r}: {errors[0]}",
                                        ("metadata", "generateName"), "use a short lowercase prefix such as "
                                        "'web-'", at_value=True))
            return
        out.append(context.emit("sts-name-invalid", obj, "metadata.name is required",
                                ("metadata", "name"), "add `metadata.name`, a lowercase DNS label such as 'web'"))
        return
    if not isinstance(name, str):
        return
    errors = kv.dns1123_label_errors(name)
    if errors:
        suggestion = re.sub(r"[^a-z0-9-]+", "-", name.lower()).strip("-")[:63].strip("-")
        hint = "use lowercase letters, digits and '-' only, at most 63 characters"
        if "." in name and suggestion:
            hint = f"dots are not allowed since Kubernetes 1.26: use {suggestion!r}"
        elif suggestion and len(name) <= 63:
            hint = f"use {suggestion!r}"
        out.append(context.emit("sts-name-invalid", obj, f"StatefulSet name {name!r} is not a DNS label: "
                                f"{'; '.join(errors)}", ("metadata", "name"), hint, at_value=True))


def _selector(context: RuleContext, view: StatefulSetView, out: list[Finding]) -> None:
    obj = view.obj
    spec = as_map(obj.data.get("spec"))
    selector = spec.get("selector")
    if selector is None:
        # Usually a schema finding already; not when the whole spec is null or missing.
        if not any(schema_hit(context, obj, path) for path in (("spec", "selector"), ("spec",))):
            out.append(context.emit("selector-missing", obj, "spec.selector is required", ("spec", "selector"),
                                    "add `selector.matchLabels` with the pod template labels"))
        return
    if not isinstance(selector, dict) or schema_hit(context, obj, ("spec", "selector")):
        return  # mistyped: schema validation reported it
    labels = selector.get("matchLabels")
    expressions = selector.get("matchExpressions")
    if not as_map(labels) and not as_list(expressions):
        out.append(context.emit("selector-missing", obj, "empty selector is invalid for a StatefulSet: it needs "
                                "at least one matchLabels entry or matchExpression", ("spec", "selector"),
                                "copy the pod template labels into `selector.matchLabels`"))
        return
    invalid = False
    for key, value in as_map(labels).items():
        path: Path = ("spec", "selector", "matchLabels", key)
        for message in kv.label_key_errors(str(key)):
            invalid = True
            out.append(context.emit("selector-invalid", obj, f"selector key {key!r}: {message}", path,
                                    "label keys are [prefix/]name, name up to 63 characters"))
        if isinstance(value, str):
            for message in kv.label_value_errors(value):
                invalid = True
                out.append(context.emit("selector-invalid", obj, f"selector value {value!r} of {key!r}: {message}",
                                        path, "label values are at most 63 characters: letters, digits, '-', "
                                        "'_', '.'", at_value=True))
    for index, item in enumerate(as_list(expressions)):
        if not isinstance(item, dict):
            continue
        base: Path = ("spec", "selector", "matchExpressions", index)
        invalid |= requirement(context, obj, item, base, out, "selector-invalid")
    if invalid or not selector_valid(view):
        return
    if not view.selector.matches(view.template_labels):
        _mismatch(context, view, out)


def _mismatch(context: RuleContext, view: StatefulSetView, out: list[Finding]) -> None:
    """Name every selector entry the template labels fail, side by side; point at the first one."""
    obj = view.obj
    labels = view.template_labels
    problems: list[str] = []
    failing: list[tuple[Path, str]] = []
    for key, want in view.selector.match_labels.items():
        if labels.get(key) != want:
            have = repr(labels[key]) if key in labels else "no such label"
            problems.append(f"{key}: selector wants {want!r}, the template has {have}")
            failing.append((("spec", "selector", "matchLabels", key), key))
    for index, req in enumerate(view.selector.match_expressions):
        if not LabelSelector({}, (req,)).matches(labels):
            values = ",".join(req.values)
            have = repr(labels[req.key]) if req.key in labels else "no such label"
            problems.append(f"{req.key} {req.operator}" + (f" ({values})" if values else "")
                            + f": the template has {have}")
            failing.append((("spec", "selector", "matchExpressions", index), req.key))
    first, first_key = failing[0] if failing else (("spec", "selector"), "")
    related_path: Path = ("spec", "template", "metadata", "labels")
    if first_key in labels:
        related_path = (*related_path, first_key)
    elif not obj.get(("spec", "template", "metadata")):
        related_path = ("spec", "template")
    out.append(context.emit(
        "selector-mismatch", obj, "`selector` does not match template `labels`: " + "; ".join(problems), first,
        "make `spec.selector` and `spec.template.metadata.labels` agree",
        related=[(obj, related_path, "the pod template labels")]))


def _spec_values(context: RuleContext, view: StatefulSetView, out: list[Finding]) -> None:
    obj = view.obj
    spec = as_map(obj.data.get("spec"))

    def enum(rule_id: str, path: Path, allowed: tuple[str, ...], what: str) -> None:
        value = obj.get(path)
        if isinstance(value, str) and value and value not in allowed and not schema_hit(context, obj, path):
            out.append(context.emit(rule_id, obj, f"{what} {value!r} is not supported; supported: "
                                    f"{', '.join(repr(a) for a in allowed)}", path, did_you_mean(value, allowed),
                                    at_value=True))

    enum("pod-management-policy-invalid", ("spec", "podManagementPolicy"), POD_MANAGEMENT, "podManagementPolicy")
    enum("update-strategy-invalid", ("spec", "updateStrategy", "type"), UPDATE_TYPES, "updateStrategy.type")
    for which in ("whenDeleted", "whenScaled"):
        enum("pvc-retention-policy-invalid", ("spec", "persistentVolumeClaimRetentionPolicy", which), RETENTION,
             f"persistentVolumeClaimRetentionPolicy.{which}")

    strategy = as_map(spec.get("updateStrategy"))
    strategy_type = strategy.get("type")
    rolling = strategy.get("rollingUpdate")
    if strategy_type == "OnDelete" and rolling is not None:
        out.append(context.emit("update-strategy-invalid", obj, "rollingUpdate is only allowed for updateStrategy "
                                "'RollingUpdate', not 'OnDelete'", ("spec", "updateStrategy", "rollingUpdate"),
                                "remove `rollingUpdate`, or set `type: RollingUpdate`"))
    elif strategy_type in (None, "", "RollingUpdate") and isinstance(rolling, dict):
        _max_unavailable(context, view, rolling, out)

    for path in (("spec", "replicas"), ("spec", "minReadySeconds"), ("spec", "ordinals", "start"),
                 ("spec", "updateStrategy", "rollingUpdate", "partition")):
        value = obj.get(path)
        if is_int(value) and value < 0 and not schema_hit(context, obj, path):
            field = ".".join(str(p) for p in path[1:])
            out.append(context.emit("negative-value", obj, f"{field} must be greater than or equal to 0, "
                                    f"not {value}", path, "use 0 or a positive number", at_value=True))

    pod_spec = as_map(as_map(spec.get("template")).get("spec"))
    restart = pod_spec.get("restartPolicy")
    restart_path: Path = ("spec", "template", "spec", "restartPolicy")
    if isinstance(restart, str) and restart and restart != "Always" and not schema_hit(context, obj, restart_path):
        out.append(context.emit("restart-policy-invalid", obj, f"restartPolicy {restart!r} is not supported for "
                                "StatefulSet pods; supported: 'Always'", restart_path,
                                "remove `restartPolicy` (it defaults to Always)", at_value=True))
    if pod_spec.get("activeDeadlineSeconds") is not None:
        out.append(context.emit("active-deadline-forbidden", obj, "activeDeadlineSeconds is not supported in a "
                                "StatefulSet", ("spec", "template", "spec", "activeDeadlineSeconds"),
                                "remove it: StatefulSet pods run until replaced"))

    service_name = spec.get("serviceName")
    path = ("spec", "serviceName")
    if isinstance(service_name, str) and service_name and not schema_hit(context, obj, path):
        errors = kv.dns1123_label_errors(service_name)
        if errors:
            hint = "use the bare name of the headless Service, e.g. 'nginx'"
            if "." in service_name:
                hint = f"use the Service name only: {service_name.split('.')[0]!r}, not a DNS name"
            suffix = enforced_since(context, "1.33", "pods fail with FailedCreate because spec.subdomain is "
                                    "invalid")
            out.append(context.emit("sts-service-name-invalid", obj, f"serviceName {service_name!r} is not a DNS "
                                    f"label: {'; '.join(errors)}{suffix}", path, hint, at_value=True))


def _max_unavailable(context: RuleContext, view: StatefulSetView, rolling: dict[str, Any],
                     out: list[Finding]) -> None:
    if "maxUnavailable" not in rolling or rolling["maxUnavailable"] is None:
        return
    path: Path = ("spec", "updateStrategy", "rollingUpdate", "maxUnavailable")
    if schema_hit(context, view.obj, path):
        return
    value = rolling["maxUnavailable"]
    errors = kv.int_or_percent_errors(value)
    if not errors:
        return
    gate = ("checked by the API server when feature gate MaxUnavailableStatefulSet is on (1.35.0-1.35.3 and "
            "from 1.37)")
    if context.version == "1.36" or not context.at_least("1.35"):
        gate += f"; in {context.version} the field is dropped, so the setting is a mistake waiting to happen"
    out.append(context.emit("max-unavailable-invalid", view.obj, f"maxUnavailable {value!r}: {errors[0]} ({gate})",
                            path, "use an integer >= 1 or a percentage from '1%' to '100%'", at_value=True))


_SRC_ENUM = SRC_APPS + " (ValidateStatefulSetSpec); enum values are case-sensitive"

family_rule("sts-name-invalid", E, "The StatefulSet name is missing or not a DNS label.", "api", """
    StatefulSet names become pod names and pod hostnames, so they must be RFC 1123 DNS labels:
    lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63
    characters, no dots. Enforced since Kubernetes 1.26; before, dotted names were accepted and
    pods could never be created (kubernetes/kubernetes#104195).

    Bad:
        metadata:
          name: web.v1
    Good:
        metadata:
          name: web-v1
    """, _statefulset_pass, SRC_APPS + " (NameIsDNSLabel, PR #114172)", scope="object")
family_rule("selector-missing", E, "The StatefulSet selector is empty.", "api", """
    `spec.selector` is required and must hold at least one `matchLabels` entry or
    `matchExpressions` item ("empty selector is invalid for statefulset"). A missing selector is
    reported by schema validation (`schema-missing-field`).

    Bad:
        spec:
          selector: {}
    Good:
        spec:
          selector:
            matchLabels:
              app: web
    """, _statefulset_pass, SRC_APPS, scope="object")
family_rule("selector-invalid", E, "A selector key, value or operator is invalid.", "api", """
    Selector keys and values follow the label syntax. `matchExpressions` operators are `In`,
    `NotIn` (both need at least one value), `Exists` and `DoesNotExist` (both without values).

    Bad:
        selector:
          matchExpressions:
          - {key: app, operator: Exists, values: [web]}
    Good:
        selector:
          matchExpressions:
          - {key: app, operator: In, values: [web]}
    """, _statefulset_pass, SRC_META + " (ValidateLabelSelector)", scope="object")
family_rule("selector-mismatch", E, "The selector does not select the pod template labels.", "api", """
    The API server rejects a StatefulSet whose selector does not match its own pod template
    labels ("`selector` does not match template `labels`"). The message lists every selector
    entry that fails, with what the selector wants and what the template has.

    Bad:
        selector:
          matchLabels: {app: nginx}
        template:
          metadata:
            labels: {app: web}
    Good:
        selector:
          matchLabels: {app: web}
        template:
          metadata:
            labels: {app: web}
    """, _statefulset_pass, SRC_APPS + " (ValidatePodTemplateSpecForStatefulSet)", scope="object")
family_rule("pod-management-policy-invalid", E, "podManagementPolicy is not OrderedReady or Parallel.", "api", """
    The only values are `OrderedReady` (the default) and `Parallel`; they are case-sensitive.

    Bad:
        podManagementPolicy: parallel
    Good:
        podManagementPolicy: Parallel
    """, _statefulset_pass, _SRC_ENUM, scope="object")
family_rule("update-strategy-invalid", E, "updateStrategy is not RollingUpdate or OnDelete, or mixes them.", "api", """
    `updateStrategy.type` is `RollingUpdate` (the default) or `OnDelete`, case-sensitive.
    `rollingUpdate` settings are only allowed with `type: RollingUpdate`.

    Bad:
        updateStrategy:
          type: OnDelete
          rollingUpdate:
            partition: 2
    Good:
        updateStrategy:
          type: RollingUpdate
          rollingUpdate:
            partition: 2
    """, _statefulset_pass, _SRC_ENUM, scope="object")
family_rule("pvc-retention-policy-invalid", E, "persistentVolumeClaimRetentionPolicy is not Retain or Delete.",
            "api", """
    `whenDeleted` and `whenScaled` each take `Retain` (the default) or `Delete`, case-sensitive.

    Bad:
        persistentVolumeClaimRetentionPolicy:
          whenDeleted: delete
    Good:
        persistentVolumeClaimRetentionPolicy:
          whenDeleted: Delete
    """, _statefulset_pass, _SRC_ENUM, scope="object")
family_rule("max-unavailable-invalid", E, "rollingUpdate.maxUnavailable is 0, negative, or not 1%-100%.", "api", """
    `maxUnavailable` must be an integer of at least 1 or a percentage from `1%` to `100%`.
    The API server checks it only where feature gate MaxUnavailableStatefulSet is on (beta on in
    1.35.0-1.35.3, off again in 1.35.4-1.36, on from 1.37); elsewhere it drops the field silently.
    `sts` reports an invalid value for every version: it is rejected as soon as the gate is on.

    Bad:
        rollingUpdate:
          maxUnavailable: 0
    Good:
        rollingUpdate:
          maxUnavailable: 1
    """, _statefulset_pass, SRC_APPS + " (validateRollingUpdateStatefulSet); kubernetes/kubernetes#137409, #139466",
            scope="object")
family_rule("negative-value", E, "replicas, minReadySeconds, ordinals.start or partition is negative.", "api", """
    These counts must be greater than or equal to 0.

    Bad:
        spec:
          replicas: -1
    Good:
        spec:
          replicas: 0
    """, _statefulset_pass, SRC_APPS + " (ValidateNonnegativeField)", scope="object")
family_rule("restart-policy-invalid", E, "The pod template restartPolicy is not Always.", "api", """
    StatefulSet pods must restart: `restartPolicy` may only be `Always` (the default). `OnFailure`
    and `Never` are for Jobs.

    Bad:
        template:
          spec:
            restartPolicy: OnFailure
    Good:
        template:
          spec:
            restartPolicy: Always
    """, _statefulset_pass, SRC_APPS, scope="object")
family_rule("active-deadline-forbidden", E, "The pod template sets activeDeadlineSeconds.", "api", """
    `activeDeadlineSeconds` would kill StatefulSet pods after a fixed time; the API server rejects
    it ("activeDeadlineSeconds in StatefulSet is not Supported").

    Bad:
        template:
          spec:
            activeDeadlineSeconds: 3600
    Good:
        template:
          spec: {}   # no deadline
    """, _statefulset_pass, SRC_APPS, scope="object")
family_rule("sts-service-name-invalid", E, "spec.serviceName is not a DNS label.", "api", """
    `serviceName` becomes each pod's `spec.subdomain`, so it must be a DNS-1123 label: the bare
    name of the headless Service, not a DNS name. Enforced since Kubernetes 1.33; before, the
    StatefulSet was accepted and every pod failed with FailedCreate.

    Bad:
        serviceName: nginx.default.svc.cluster.local
    Good:
        serviceName: nginx
    """, _statefulset_pass, SRC_APPS + " (PR #130233, v1.33)", scope="object")
