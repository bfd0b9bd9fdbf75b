"""The first `--format json`: the whole document built as one value and written with `json.dumps`.
The pieces it shares with `sts_cli.render.json_format` (pods, PVCs, Services) are imported from it."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from sts_cli import ordering
from sts_cli.render.json_format import FORMAT_VERSION, _claim, _flat, _pod, _service, problem_json

if TYPE_CHECKING:
    from sts_cli.render import FormatContext
    from sts_cli.render.plan import DnsRecord, RenderResult, SetPlan


def _record(record: DnsRecord) -> dict[str, Any]:
    return {"name": record.name, "type": record.type, "value": record.value, "pod": record.pod,
            "port": record.port, "priority": record.priority, "weight": record.weight, "target": record.target,
            "when": record.when}


def set_json(plan: SetPlan) -> dict[str, Any]:
    view = plan.view
    location = view.obj.location()
    update = plan.update
    when_deleted, when_scaled = ordering.retention_policy(view)
    ordinals = ordering.ordinals(view)
    scale = plan.scale
    return {
        "name": view.name, "namespace": view.namespace, "file": location.file, "line": location.line,
        "replicas": plan.replicas, "manifestReplicas": plan.manifest_replicas,
        "ordinals": {"start": view.ordinals_start, "end": ordinals[-1] if ordinals else None},
        "serviceName": view.service_name or None,
        "podManagementPolicy": view.pod_management_policy,
        "updateStrategy": view.update_strategy,
        "persistentVolumeClaimRetentionPolicy": {"whenDeleted": when_deleted, "whenScaled": when_scaled},
        "service": _service(plan.service),
        "pods": [_pod(p) for p in plan.pods],
        "persistentVolumeClaims": [_claim(c) for c in plan.claims],
        "order": {
            "creation": _flat(plan.creation), "creationWaves": plan.creation,
            "scaleDown": _flat(plan.scale_down), "scaleDownWaves": plan.scale_down,
            "update": {
                "strategy": update.strategy, "partition": update.partition,
                "maxUnavailable": update.max_unavailable, "maxUnavailableHonoured": update.max_unavailable_honoured,
                "order": update.updated, "waves": update.waves, "kept": update.kept, "notes": update.notes,
            },
        },
        "dns": {"perPodRecords": plan.service.per_pod_records, "records": [_record(r) for r in plan.records],
                "notes": plan.dns_notes},
        "scale": None if scale is None else {
            "from": scale.from_replicas, "to": scale.to_replicas,
            "podsAdded": scale.pods_added, "addWaves": scale.add_waves,
            "podsRemoved": scale.pods_removed, "removeWaves": scale.remove_waves,
            "claimsAdded": scale.claims_added, "claimsDeleted": scale.claims_deleted,
            "claimsRetained": scale.claims_retained,
            "retainedClaims": [_claim(c) for c in plan.retained_claims],
        },
        "notes": plan.notes,
    }


def document(result: RenderResult, context: FormatContext) -> dict[str, Any]:
    return {
        # apiVersion/kind make the document self-describing, and let `sts validate` skip saved reports.
        "apiVersion": "sts/v1",
        "kind": "RenderReport",
        "formatVersion": FORMAT_VERSION,
        "kubernetesVersion": result.options.kubernetes_version,
        "clusterDomain": result.options.cluster_domain,
        "statefulSets": [set_json(plan) for plan in result.sets],
        "problems": [problem_json(f) for f in result.problems],
    }


def render(result: RenderResult, context: FormatContext) -> str:
    return json.dumps(document(result, context), indent=2, ensure_ascii=False) + "\n"
