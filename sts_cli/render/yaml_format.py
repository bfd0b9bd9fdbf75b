"""`--format yaml`: the PersistentVolumeClaims and Pods the controller creates, multi-document.

Objects come in creation order (each pod's PVCs just before the pod), then any PVC a
`--replicas` scale-down leaves behind. Values only known in a cluster stay valid Kubernetes:
the `controller-revision-hash` label is left out (a comment says so) and owner reference uids
are `<uid:Kind/name>` placeholders marked by a comment.

The pods of a set differ only in their names, index label and claim names. ruamel.yaml writes
one pod (and one PVC per claim template) with markers in those places; every other pod is that
text with the markers replaced, so the output is what ruamel.yaml writes for each pod, at a
small fraction of the cost. Each template is checked against ruamel.yaml's own text of a real
object first; a set whose template does not reproduce it is written object by object instead.
"""

from __future__ import annotations

import dataclasses
import io
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from sts_cli import ordering
from sts_cli.render.templates import NoTemplate, Shapes, Template, batched, slot

if TYPE_CHECKING:
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap

    from sts_cli.render import FormatContext
    from sts_cli.render.plan import ClaimPlan, PodPlan, RenderResult, SetPlan

UID_COMMENT = "placeholder: the uid is assigned by the API server"


def _looks_typed(text: str) -> bool:
    """True when a YAML 1.1 reader (kubectl, PyYAML) would read this plain string as a bool, number,
    null or timestamp (`yes`, `on`, `1:20`, `0x1f`...): such strings must be quoted."""
    from yaml import ScalarNode
    from yaml.resolver import Resolver

    tag = Resolver().resolve(ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
    return bool(tag != "tag:yaml.org,2002:str")


def _commented(value: Any) -> Any:
    """Plain data as ruamel round-trip nodes (which carry comments), YAML 1.1-ambiguous strings quoted."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import SingleQuotedScalarString

    if isinstance(value, dict):
        out = CommentedMap()
        for key, item in value.items():
            out[_commented(key) if isinstance(key, str) else key] = _commented(item)
        return out
    if isinstance(value, list):
        return CommentedSeq([_commented(item) for item in value])
    if isinstance(value, str) and _looks_typed(value):
        return SingleQuotedScalarString(value)
    return value


def _mark_uids(metadata: CommentedMap) -> None:
    for ref in metadata.get("ownerReferences", []) or []:
        if "uid" in ref:
            ref.yaml_add_eol_comment(UID_COMMENT, "uid")


def _pod_document(plan: SetPlan, manifest: dict[str, Any], namespace: str, name: str) -> CommentedMap:
    doc: CommentedMap = _commented(manifest)
    source = plan.view.obj.location()
    doc.yaml_set_start_comment(f"Pod {namespace}/{name} of StatefulSet {plan.name} "
                               f"({source.file}:{source.line})")
    metadata = doc["metadata"]
    labels = metadata["labels"]
    labels.yaml_set_start_comment(f"{ordering.REVISION_LABEL}: {plan.name}-<hash> is added at run time "
                                  "(the value is not known offline)", indent=4)
    _mark_uids(metadata)
    return doc


def _claim_document(claim: ClaimPlan, manifest: dict[str, Any]) -> CommentedMap:
    doc: CommentedMap = _commented(manifest)
    retained = " (retained after the scale-down; its pod is gone)" if claim.retained else ""
    doc.yaml_set_start_comment(f"PersistentVolumeClaim {claim.namespace}/{claim.name} for pod {claim.pod}"
                               f"{retained}; after scale-down: {claim.fate.after_scale_down}; after the "
                               f"StatefulSet is deleted: {claim.fate.after_set_deleted}")
    _mark_uids(doc["metadata"])
    return doc


def _yaml() -> YAML:
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.default_flow_style = False
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=2, offset=0)
    yaml.explicit_start = True
    return yaml


# --- templates -----------------------------------------------------------------------------------

_FAST_PLAIN = re.compile(r"[a-z][a-z0-9.-]*[0-9]")  # starts with a letter, ends with a digit: never typed
_NUMBER = re.compile(r"0|[1-9][0-9]*")  # an int in YAML 1.1 and 1.2: always quoted


class _Writer:
    """ruamel.yaml's text of the objects of one set, through templates where they reproduce it."""

    def __init__(self, plan: SetPlan) -> None:
        self.plan = plan
        self.yaml = _yaml()
        self.scalars: dict[str, str] = {}
        self.shapes = Shapes()

    def dump(self, doc: CommentedMap) -> str:
        buffer = io.StringIO()
        self.yaml.dump_all([doc], buffer)
        return buffer.getvalue()

    def scalar(self, text: str) -> str:
        """`text` as ruamel.yaml writes it as a mapping value (one line)."""
        if _FAST_PLAIN.fullmatch(text):
            return text
        if _NUMBER.fullmatch(text):
            return f"'{text}'"
        known = self.scalars.get(text)
        if known is None:
            from ruamel.yaml.comments import CommentedMap

            dumped = self.dump(CommentedMap([("k", _commented(text))]))
            if not dumped.startswith("---\nk: ") or dumped.count("\n") != 2:
                raise NoTemplate(text)
            known = self.scalars[text] = dumped[len("---\nk: "):-1]
        return known

    # pods: slot 0 the raw pod name (comments), 1 the name as a value, 2 the index, 3+ claim names

    def pod(self, pod: PodPlan) -> str:
        def full() -> str:
            return self.dump(_pod_document(self.plan, pod.manifest, pod.namespace, pod.name))

        def make() -> Template:
            manifest = pod.manifest
            metadata, spec = manifest["metadata"], manifest["spec"]
            metadata["name"] = spec["hostname"] = metadata["labels"][ordering.POD_NAME_LABEL] = slot(1)
            metadata["labels"][ordering.POD_INDEX_LABEL] = slot(2)
            for index in range(len(pod.claim_volumes)):
                spec["volumes"][index]["persistentVolumeClaim"]["claimName"] = slot(3 + index)
            return Template(self.dump(_pod_document(self.plan, manifest, pod.namespace, slot(0))))

        def values() -> list[str]:
            return [pod.name, self.scalar(pod.name), self.scalar(str(pod.ordinal)),
                    *(self.scalar(v.claim) for v in pod.claim_volumes)]

        return self.shapes.text("pod", full, make, values)

    # claims: slot 0 the raw pod name, 1 the pod name as a value, 2 the raw claim name, 3 as a value

    def claim(self, claim: ClaimPlan) -> str:
        def full() -> str:
            return self.dump(_claim_document(claim, claim.manifest))

        def make() -> Template:
            manifest = claim.manifest
            manifest["metadata"]["name"] = slot(3)
            for ref in manifest["metadata"].get("ownerReferences", []):
                if ref["kind"] == "Pod":
                    ref["name"] = slot(1)
                    ref["uid"] = f"<uid:Pod/{slot(0)}>"
            fate = dataclasses.replace(claim.fate, pod=slot(0), claim=slot(2))
            marked = dataclasses.replace(claim, name=slot(2), pod=slot(0), fate=fate)
            return Template(self.dump(_claim_document(marked, manifest)))

        def values() -> list[str]:
            return [claim.pod, self.scalar(claim.pod), claim.name, self.scalar(claim.name)]

        return self.shapes.text(("claim", claim.template, claim.retained), full, make, values)


def _in_order(plan: SetPlan) -> Iterator[PodPlan | ClaimPlan]:
    """The objects of one set in creation order (each pod's PVCs first), then the retained PVCs.

    Pods are created in ascending ordinals, the order of `plan.pods` (`ordering.creation_order`),
    and `plan.claims` holds the PVCs ordinal by ordinal, one per claim template.
    """
    pods, claims = plan.pods, plan.claims
    per_pod = len(claims) // len(pods) if pods else 0
    for index, pod in enumerate(pods):
        yield from claims[index * per_pod:(index + 1) * per_pod]
        yield pod
    yield from plan.retained_claims


def _set_texts(plan: SetPlan) -> Iterator[str]:
    from sts_cli.render.plan import ClaimPlan

    writer = _Writer(plan)
    for obj in _in_order(plan):
        yield writer.claim(obj) if isinstance(obj, ClaimPlan) else writer.pod(obj)


def chunks(result: RenderResult, context: FormatContext) -> Iterator[str]:
    """The output in pieces of whole lines (about CHUNK characters each)."""
    def texts() -> Iterator[str]:
        for plan in result.sets:
            yield from _set_texts(plan)
        for plan in result.sets:
            if not plan.pods:
                yield f"# StatefulSet {plan.namespace}/{plan.name}: 0 replicas, no Pod or PVC is created\n"
    return batched(texts())

