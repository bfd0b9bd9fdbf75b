"""`--format json`: one document with everything, described by `schemas/output/render.schema.json`.

Values only known in a cluster: the `controller-revision-hash` label is `<assigned at run time>`,
owner reference `uid`s are null, pod IPs in DNS records are `<ipv4:POD>`-style tokens.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from sts_cli import ordering
from sts_cli.findings import Finding

if TYPE_CHECKING:
    from sts_cli.render import FormatContext
    from sts_cli.render.plan import ClaimPlan, DnsRecord, PodPlan, RenderResult, ServiceStatus, SetPlan

FORMAT_VERSION = 1


def owner_json(ref: ordering.OwnerRef) -> dict[str, Any]:
    return {"apiVersion": ref.api_version, "kind": ref.kind, "name": ref.name, "uid": None,
            "controller": ref.controller, "blockOwnerDeletion": ref.block_owner_deletion}


def _pod(pod: PodPlan) -> dict[str, Any]:
    return {
        "name": pod.name, "ordinal": pod.ordinal, "namespace": pod.namespace, "hostname": pod.hostname,
        "subdomain": pod.subdomain, "fqdn": pod.fqdn, "labels": dict(sorted(pod.labels.items())),
        "addedLabels": dict(sorted(pod.added_labels.items())),
        "annotations": dict(sorted(pod.annotations.items())),
        "ownerReferences": [owner_json(pod.owner)],
        "volumes": [{"name": v.name, "claimName": v.claim} for v in pod.claim_volumes],
    }


def _claim(claim: ClaimPlan) -> dict[str, Any]:
    fate = claim.fate
    return {
        "name": claim.name, "template": claim.template, "pod": claim.pod, "ordinal": claim.ordinal,
        "namespace": claim.namespace, "storage": claim.storage, "accessModes": list(claim.access_modes),
        "storageClassName": claim.storage_class, "volumeMode": claim.volume_mode,
        "labels": dict(sorted(claim.labels.items())),
        "ownerReferences": [owner_json(r) for r in claim.owners],
        "retained": claim.retained,
        "fate": {
            "ownerReferencesInRange": [owner_json(r) for r in fate.owners_in_range],
            "ownerReferencesAfterScaleDown": [owner_json(r) for r in fate.owners_after_scale_down],
            "inRange": fate.in_range,
            "afterScaleDown": fate.after_scale_down,
            "afterStatefulSetDeleted": fate.after_set_deleted,
            "deletedOnScaleDown": fate.deleted_on_scale_down,
            "deletedWithStatefulSet": fate.deleted_with_set,
        },
    }


def _record(record: DnsRecord) -> dict[str, Any]:
    return {"name": record.name, "type": record.type, "value": record.value, "pod": record.pod,
            "port": record.port, "priority": record.priority, "weight": record.weight, "target": record.target,
            "when": record.when}


def _service(status: ServiceStatus) -> dict[str, Any]:
    service = status.service
    location = service.obj.location() if service is not None else None
    return {
        "name": status.name or None, "namespace": status.namespace, "found": service is not None,
        "kind": status.kind, "headless": service.headless if service is not None else None,
        "perPodRecords": status.per_pod_records, "reason": status.reason or None,
        "publishNotReadyAddresses": status.publish_not_ready, "selectedPods": list(status.selected_pods),
        "file": location.file if location else None, "line": location.line if location else None,
    }


def _flat(waves: list[list[str]]) -> list[str]:
    return [name for wave in waves for name in wave]


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


def problem_json(finding: Finding) -> dict[str, Any]:
    loc = finding.location
    return {"rule": finding.rule, "severity": finding.severity.label, "message": finding.message,
            "file": loc.file, "line": loc.line, "column": loc.column, "object": finding.object or None,
            "path": finding.path or None, "hint": finding.hint or None}


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
