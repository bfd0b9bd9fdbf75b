"""The first `--format yaml`: every document built as a ruamel.yaml map and dumped by ruamel.yaml.
The comment and quoting helpers are imported from `sts_cli.render.yaml_format`."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from sts_cli import ordering
from sts_cli.render.yaml_format import _commented, _mark_uids

if TYPE_CHECKING:
    from ruamel.yaml.comments import CommentedMap

    from sts_cli.render import FormatContext
    from sts_cli.render.plan import ClaimPlan, PodPlan, RenderResult, SetPlan


def _pod_document(plan: SetPlan, pod: PodPlan) -> CommentedMap:
    doc: CommentedMap = _commented(pod.manifest)
    source = plan.view.obj.location()
    doc.yaml_set_start_comment(f"Pod {pod.namespace}/{pod.name} of StatefulSet {plan.name} "
                               f"({source.file}:{source.line})")
    metadata = doc["metadata"]
    labels = metadata["labels"]
    labels.yaml_set_start_comment(f"{ordering.REVISION_LABEL}: {plan.name}-<hash> is added at run time "
                                  "(the value is not known offline)", indent=4)
    _mark_uids(metadata)
    return doc


def _claim_document(plan: SetPlan, claim: ClaimPlan) -> CommentedMap:
    doc: CommentedMap = _commented(claim.manifest)
    retained = " (retained after the scale-down; its pod is gone)" if claim.retained else ""
    doc.yaml_set_start_comment(f"PersistentVolumeClaim {claim.namespace}/{claim.name} for pod {claim.pod}"
                               f"{retained}; after scale-down: {claim.fate.after_scale_down}; after the "
                               f"StatefulSet is deleted: {claim.fate.after_set_deleted}")
    _mark_uids(doc["metadata"])
    return doc


def documents(result: RenderResult) -> list[CommentedMap]:
    docs: list[CommentedMap] = []
    for plan in result.sets:
        by_pod: dict[str, list[ClaimPlan]] = {}
        for claim in plan.claims:
            by_pod.setdefault(claim.pod, []).append(claim)
        pods = {pod.name: pod for pod in plan.pods}
        for wave in plan.creation:
            for name in wave:
                docs.extend(_claim_document(plan, claim) for claim in by_pod.get(name, []))
                docs.append(_pod_document(plan, pods[name]))
        docs.extend(_claim_document(plan, claim) for claim in plan.retained_claims)
    return docs


def render(result: RenderResult, context: FormatContext) -> str:
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.default_flow_style = False
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=2, offset=0)
    yaml.explicit_start = True
    buffer = io.StringIO()
    docs = documents(result)
    if docs:
        yaml.dump_all(docs, buffer)
    for plan in result.sets:
        if not plan.pods:
            buffer.write(f"# StatefulSet {plan.namespace}/{plan.name}: 0 replicas, no Pod or PVC is created\n")
    return buffer.getvalue()
