"""volumeClaimTemplates, validated like new PersistentVolumeClaims (category "api").

The API server checks claim template specs since Kubernetes 1.34 (PR #132212); before, the
StatefulSet was accepted and the controller failed to create the PVCs (kubernetes/kubernetes#132211).
"""

from __future__ import annotations

from typing import Any

from sts_cli import k8svalidation as kv
from sts_cli.documents import ManifestObject
from sts_cli.findings import Finding
from sts_cli.rules.base import RuleContext, family_rule
from sts_cli.rules.helpers import (
    CLAIM_BEFORE,
    SRC_APPS_134,
    SRC_CORE,
    E,
    Path,
    as_list,
    as_map,
    did_you_mean,
    enforced_since,
    requirement,
    schema_hit,
)

ACCESS_MODES = ("ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod")
VOLUME_MODES = ("Filesystem", "Block")


def _claims_pass(context: RuleContext) -> list[Finding]:
    out: list[Finding] = []
    for view in context.statefulsets:
        obj = view.obj
        suffix = enforced_since(context, "1.34", CLAIM_BEFORE)
        templates = obj.get(("spec", "volumeClaimTemplates"))
        for index, template in enumerate(as_list(templates)):
            if not isinstance(template, dict):
                continue
            base: Path = ("spec", "volumeClaimTemplates", index)

            def emit(rule_id: str, message: str, path: Path, hint: str, at_value: bool = True,
                     always: bool = False, obj: ManifestObject = obj, suffix: str = suffix) -> None:
                out.append(context.emit(rule_id, obj, message + ("" if always else suffix), path, hint,
                                        at_value=at_value))

            _name(context, obj, template, base, emit)
            spec = template.get("spec")
            if spec is None:
                emit("claim-access-modes-invalid", "accessModes: at least 1 access mode is required (the claim "
                     "template has no spec)", base, "add `spec.accessModes: [ReadWriteOnce]`", at_value=False)
                emit("claim-storage-invalid", "resources.requests.storage is required (the claim template has "
                     "no spec)", base, "add `spec.resources.requests.storage: 1Gi`", at_value=False)
                continue
            if not isinstance(spec, dict) or schema_hit(context, obj, (*base, "spec")):
                continue
            spec_path: Path = (*base, "spec")
            _access_modes(context, obj, spec, spec_path, emit)
            _storage(context, obj, spec, spec_path, emit)
            storage_class = spec.get("storageClassName")
            if isinstance(storage_class, str) and storage_class:
                errors = kv.dns1123_subdomain_errors(storage_class)
                if errors:
                    emit("claim-storage-class-invalid", f"storageClassName {storage_class!r}: {'; '.join(errors)}",
                         (*spec_path, "storageClassName"), "StorageClass names are lowercase DNS subdomains, "
                         "like 'fast-ssd'")
            mode = spec.get("volumeMode")
            if isinstance(mode, str) and mode not in VOLUME_MODES:
                emit("claim-template-invalid", f"volumeMode {mode!r} is not supported; supported: Filesystem, Block",
                     (*spec_path, "volumeMode"), did_you_mean(mode, VOLUME_MODES))
            selector = as_map(spec.get("selector"))
            for key, value in as_map(selector.get("matchLabels")).items():
                for message in kv.label_key_errors(str(key)) + (
                        kv.label_value_errors(value) if isinstance(value, str) else []):
                    emit("claim-template-invalid", f"selector {key!r}: {message}",
                         (*spec_path, "selector", "matchLabels", key), "use label syntax", at_value=False)
            for position, item in enumerate(as_list(selector.get("matchExpressions"))):
                if isinstance(item, dict):
                    requirement(context, obj, item, (*spec_path, "selector", "matchExpressions", position), out,
                                "claim-template-invalid", suffix=suffix)
            for source in ("dataSource", "dataSourceRef"):
                ref = spec.get(source)
                if isinstance(ref, dict):
                    for key in ("kind", "name"):
                        if not ref.get(key) and not schema_hit(context, obj, (*spec_path, source, key)):
                            emit("claim-template-invalid", f"{source}.{key} is required", (*spec_path, source),
                                 f"add `{key}:`", at_value=False)
    return out


def _name(context: RuleContext, obj: Any, template: dict[str, Any], base: Path, emit: Any) -> None:
    name = as_map(template.get("metadata")).get("name")
    name_path: Path = (*base, "metadata", "name")
    if schema_hit(context, obj, name_path):
        return
    if not isinstance(name, str) or not name:
        where = name_path if isinstance(template.get("metadata"), dict) else base
        emit("claim-template-invalid", "the claim template needs metadata.name (it names the pod volume and "
             "the PVCs)", where, "add `metadata: {name: data}`", at_value=False)
        return
    errors = kv.dns1123_label_errors(name)
    if errors:
        emit("claim-template-invalid", f"claim template name {name!r} must be a DNS label, because it becomes a "
             f"pod volume name: {'; '.join(errors)}", name_path, "use lowercase letters, digits and '-'")


def _access_modes(context: RuleContext, obj: Any, spec: dict[str, Any], spec_path: Path, emit: Any) -> None:
    path: Path = (*spec_path, "accessModes")
    if schema_hit(context, obj, path):
        return
    modes = as_list(spec.get("accessModes"))
    if not modes:
        emit("claim-access-modes-invalid", "accessModes: at least 1 access mode is required",
             path if "accessModes" in spec else spec_path, "add `accessModes: [ReadWriteOnce]`", at_value=False)
        return
    strings = [m for m in modes if isinstance(m, str)]
    for position, mode in enumerate(modes):
        if isinstance(mode, str) and mode not in ACCESS_MODES:
            emit("claim-access-modes-invalid", f"access mode {mode!r} is not supported; supported: "
                 f"{', '.join(ACCESS_MODES)}", (*path, position), did_you_mean(mode, ACCESS_MODES))
    if "ReadWriteOncePod" in strings and len(strings) > 1:
        emit("claim-access-modes-invalid", "may not use ReadWriteOncePod with other access modes", path,
             "use ReadWriteOncePod alone", at_value=False)


def _storage(context: RuleContext, obj: Any, spec: dict[str, Any], spec_path: Path, emit: Any) -> None:
    resources = spec.get("resources")
    requests = as_map(as_map(resources).get("requests"))
    path: Path = (*spec_path, "resources", "requests", "storage")
    if schema_hit(context, obj, path):
        return
    value = requests.get("storage")
    if value is None:
        where: Path = spec_path
        for part in ("resources", "requests"):
            if isinstance(obj.get((*where, part)), dict):
                where = (*where, part)
        emit("claim-storage-invalid", "resources.requests.storage is required", where,
             "add `resources: {requests: {storage: 1Gi}}`", at_value=False)
        return
    quantity = kv.parse_quantity(value)
    if quantity is None:
        emit("claim-storage-invalid", f"storage {value!r} is not a valid quantity (the API server cannot decode it)",
             path, "e.g. 10Gi, 500Mi, 1Ti", always=True)
    elif quantity <= 0:
        emit("claim-storage-invalid", f"storage {value!r} must be greater than zero", path, "e.g. 10Gi")


_SRC = SRC_APPS_134 + "; " + SRC_CORE + " (ValidatePersistentVolumeClaimSpec)"
# Continuation lines carry the docstrings' indentation, so that cleandoc keeps the paragraph intact.
_NOTE = ("Checked by the API server since Kubernetes 1.34; before, the StatefulSet\n    was accepted and PVC creation "
         "failed (kubernetes/kubernetes#132211).")

family_rule("claim-access-modes-invalid", E, "A claim template has no or unknown accessModes.", "api", f"""
    `accessModes` is required and non-empty; each mode is ReadWriteOnce, ReadOnlyMany,
    ReadWriteMany or ReadWriteOncePod (case-sensitive), and ReadWriteOncePod cannot be combined
    with another mode. {_NOTE}

    Bad:
        volumeClaimTemplates:
        - metadata: {{name: data}}
          spec:
            resources: {{requests: {{storage: 1Gi}}}}
    Good:
        volumeClaimTemplates:
        - metadata: {{name: data}}
          spec:
            accessModes: [ReadWriteOnce]
            resources: {{requests: {{storage: 1Gi}}}}
    """, _claims_pass, _SRC, scope="object")
family_rule("claim-storage-invalid", E, "A claim template has no storage request, or not a positive quantity.",
            "api", f"""
    `resources.requests.storage` is required and must be a Kubernetes quantity greater than zero
    (`10Gi`, `500Mi`, or `10G` for 10^10 bytes; `10GB`, `10 Gi` and `10gi` are invalid).
    {_NOTE} A quantity that does not parse is rejected in every version.

    Bad:
        resources:
          requests:
            storage: 10gb
    Good:
        resources:
          requests:
            storage: 10Gi
    """, _claims_pass, _SRC, scope="object")
family_rule("claim-storage-class-invalid", E, "A claim template's storageClassName is not a DNS subdomain.",
            "api", f"""
    StorageClass names are lowercase DNS subdomains. An empty string is allowed (it asks for no
    class, i.e. a pre-provisioned volume). {_NOTE}

    Bad:
        storageClassName: Fast_SSD
    Good:
        storageClassName: fast-ssd
    """, _claims_pass, _SRC, scope="object")
family_rule("claim-template-invalid", E, "A claim template has no valid name, or a bad volumeMode, selector or data "
            "source.", "api", f"""
    The template name becomes a pod volume name and part of every PVC name, so it must be a DNS
    label. `volumeMode` is Filesystem or Block; selectors and data sources follow the PVC rules.
    {_NOTE}

    Bad:
        volumeClaimTemplates:
        - metadata:
            name: Data
    Good:
        volumeClaimTemplates:
        - metadata:
            name: data
    """, _claims_pass, _SRC, scope="object")
