"""Labels, annotations and namespaces of StatefulSets, their templates and Services (category "api")."""

from __future__ import annotations

from sts_cli import k8svalidation as kv
from sts_cli.documents import ManifestObject
from sts_cli.findings import Finding
from sts_cli.rules.base import RuleContext, family_rule
from sts_cli.rules.helpers import SRC_CORE, SRC_META, E, Path, as_list, schema_hit

_CLAIM_NOTE = " (claim template metadata is not checked by the API server; PVC creation fails)"


def _meta_pass(context: RuleContext) -> list[Finding]:
    out: list[Finding] = []
    for view in context.statefulsets:
        obj = view.obj
        _metadata(context, obj, ("metadata",), out, "")
        _namespace(context, obj, out)
        _metadata(context, obj, ("spec", "template", "metadata"), out, "")
        for index, _ in enumerate(as_list(obj.get(("spec", "volumeClaimTemplates")))):
            _metadata(context, obj, ("spec", "volumeClaimTemplates", index, "metadata"), out, _CLAIM_NOTE)
    for service in context.services:
        _metadata(context, service.obj, ("metadata",), out, "")
        _namespace(context, service.obj, out)
    return out


def _namespace(context: RuleContext, obj: ManifestObject, out: list[Finding]) -> None:
    namespace = obj.get(("metadata", "namespace"))
    if isinstance(namespace, str) and namespace and not kv.is_dns1123_label(namespace):
        out.append(context.emit("namespace-invalid", obj, f"namespace {namespace!r} is not a DNS label: "
                                f"{'; '.join(kv.dns1123_label_errors(namespace))}", ("metadata", "namespace"),
                                "namespaces are lowercase DNS labels, like 'data'", at_value=True))


def _metadata(context: RuleContext, obj: ManifestObject, base: Path, out: list[Finding], note: str) -> None:
    meta = obj.get(base)
    if not isinstance(meta, dict):
        return
    labels = meta.get("labels")
    if isinstance(labels, dict) and not schema_hit(context, obj, (*base, "labels")):
        for key, value in labels.items():
            path: Path = (*base, "labels", key)
            for message in kv.label_key_errors(str(key)):
                out.append(context.emit("label-invalid", obj, f"label key {key!r}: {message}{note}", path,
                                        "label keys are [prefix/]name with a name of at most 63 characters"))
            if isinstance(value, str):
                for message in kv.label_value_errors(value):
                    out.append(context.emit("label-invalid", obj, f"label value {value!r} of {key!r}: {message}{note}",
                                            path, "label values: at most 63 letters, digits, '-', '_', '.'",
                                            at_value=True))
    annotations = meta.get("annotations")
    if isinstance(annotations, dict) and not schema_hit(context, obj, (*base, "annotations")):
        for key in annotations:
            for message in kv.annotation_key_errors(str(key)):
                out.append(context.emit("annotation-invalid", obj, f"annotation key {key!r}: {message}{note}",
                                        (*base, "annotations", key), "annotation keys are [prefix/]name"))
        size = kv.annotations_size({str(k): v for k, v in annotations.items() if isinstance(v, str)})
        if size > kv.ANNOTATIONS_TOTAL_MAX:
            out.append(context.emit("annotation-invalid", obj, f"annotations total {size} bytes; the limit is "
                                    f"{kv.ANNOTATIONS_TOTAL_MAX} bytes (256 KiB){note}", (*base, "annotations"),
                                    "move large data into a ConfigMap"))


_SRC = SRC_META + " (ValidateLabels); " + SRC_CORE + " (ValidateAnnotations)"

family_rule("label-invalid", E, "A label key or value is not valid label syntax.", "api", """
    Label keys are an optional DNS-subdomain prefix and '/', then a name of at most 63
    characters (letters, digits, '-', '_', '.', starting and ending alphanumeric). Values are empty
    or follow the same pattern, at most 63 characters. Checked on the StatefulSet, its pod template,
    its claim templates (there only when PVCs are created) and Services.

    Bad:
        labels:
          app name: web
          version: "1.0 beta"
    Good:
        labels:
          app.kubernetes.io/name: web
          version: 1.0-beta
    """, _meta_pass, _SRC, scope="object")
family_rule("annotation-invalid", E, "An annotation key is not valid, or annotations exceed 256 KiB.", "api", """
    Annotation keys follow the label key syntax (case-insensitive); values are free text, but all
    annotations of an object together may not exceed 256 KiB.

    Bad:
        annotations:
          "note for ops": restart on Mondays
    Good:
        annotations:
          example.com/ops-note: restart on Mondays
    """, _meta_pass, _SRC, scope="object")
family_rule("namespace-invalid", E, "metadata.namespace is not a DNS label.", "api", """
    Namespace names are RFC 1123 DNS labels; an object in a namespace that cannot exist is
    rejected.

    Bad:
        metadata:
          namespace: Data_Team
    Good:
        metadata:
          namespace: data-team
    """, _meta_pass, SRC_CORE + " (ValidateObjectMeta)", scope="object")

