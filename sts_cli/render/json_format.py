"""`--format json`: one document with everything, described by `schemas/output/render.schema.json`.

Values only known in a cluster: the `controller-revision-hash` label is `<assigned at run time>`,
owner reference `uid`s are null, pod IPs in DNS records are `<ipv4:POD>`-style tokens.

The text is `json.dumps(document, indent=2, ensure_ascii=False)`, written in pieces: pods and
PVCs through templates (`templates.py`, checked against `json.dumps` of real objects), DNS
records and lists of names directly in the same layout.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
from collections.abc import Callable, Iterator, Sequence
from json.encoder import encode_basestring
from typing import TYPE_CHECKING, Any

from sts_cli import ordering
from sts_cli.findings import Finding
from sts_cli.render.templates import NUMBER_MARK, Shapes, Template, batched, slot, whole_lines

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
    """The set's part of the document, its long lists as `_Stream`s."""
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
        "pods": _Stream(lambda level: _pod_texts(plan, level)),
        "persistentVolumeClaims": _Stream(lambda level: _claim_texts(plan.claims, level)),
        "order": {
            "creation": _flat(plan.creation), "creationWaves": plan.creation,
            "scaleDown": _flat(plan.scale_down), "scaleDownWaves": plan.scale_down,
            "update": {
                "strategy": update.strategy, "partition": update.partition,
                "maxUnavailable": update.max_unavailable, "maxUnavailableHonoured": update.max_unavailable_honoured,
                "order": update.updated, "waves": update.waves, "kept": update.kept, "notes": update.notes,
            },
        },
        "dns": {"perPodRecords": plan.service.per_pod_records,
                "records": _Stream(lambda level: (_record_text(r, level) for r in plan.records)),
                "notes": plan.dns_notes},
        "scale": None if scale is None else {
            "from": scale.from_replicas, "to": scale.to_replicas,
            "podsAdded": scale.pods_added, "addWaves": scale.add_waves,
            "podsRemoved": scale.pods_removed, "removeWaves": scale.remove_waves,
            "claimsAdded": scale.claims_added, "claimsDeleted": scale.claims_deleted,
            "claimsRetained": scale.claims_retained,
            "retainedClaims": _Stream(lambda level: _claim_texts(plan.retained_claims, level)),
        },
        "notes": plan.notes,
    }


def problem_json(finding: Finding) -> dict[str, Any]:
    loc = finding.location
    return {"rule": finding.rule, "severity": finding.severity.label, "message": finding.message,
            "file": loc.file, "line": loc.line, "column": loc.column, "object": finding.object or None,
            "path": finding.path or None, "hint": finding.hint or None}


def _document(result: RenderResult) -> dict[str, Any]:
    return {
        # apiVersion/kind make the document self-describing, and let `sts validate` skip saved reports.
        "apiVersion": "sts/v1",
        "kind": "RenderReport",
        "formatVersion": FORMAT_VERSION,
        "kubernetesVersion": result.options.kubernetes_version,
        "clusterDomain": result.options.cluster_domain,
        "statefulSets": _Stream(lambda level: (_write(set_json(plan), level) for plan in result.sets)),
        "problems": [problem_json(f) for f in result.problems],
    }


def chunks(result: RenderResult, context: FormatContext) -> Iterator[str]:
    """The document in pieces of whole lines (about 64 kB)."""
    return whole_lines(batched(itertools.chain(_write(_document(result), 0), ["\n"])))


# --- the writer ----------------------------------------------------------------------------------

class _Stream:
    """A JSON array whose items come as text (or pieces of text), laid out for the given nesting level."""

    def __init__(self, items: Callable[[int], Iterator[str | Iterator[str]]]) -> None:
        self.items = items


def _pad(level: int) -> str:
    return "\n" + "  " * level


def _dumps(value: Any, level: int) -> str:
    """`value` as json.dumps(indent=2) writes it at `level` (JSON strings hold no raw newline)."""
    text = json.dumps(value, indent=2, ensure_ascii=False)
    return text.replace("\n", _pad(level)) if level else text


def _string(value: Any) -> str:
    return encode_basestring(value) if type(value) is str else json.dumps(value, ensure_ascii=False)


def _write(value: Any, level: int) -> Iterator[str]:
    """json.dumps(value, indent=2) at nesting `level`, in pieces; `_Stream`s are written item by item."""
    if isinstance(value, _Stream):
        separator = "[" + _pad(level + 1)
        empty = True
        for item in value.items(level + 1):
            if isinstance(item, str):
                yield separator + item
            else:
                yield separator
                yield from item
            separator = "," + _pad(level + 1)
            empty = False
        yield "[]" if empty else _pad(level) + "]"
    elif isinstance(value, dict) and value:
        separator = "{" + _pad(level + 1)
        for key, item in value.items():
            yield separator + _string(key) + ": "
            yield from _write(item, level + 1)
            separator = "," + _pad(level + 1)
        yield _pad(level) + "}"
    elif isinstance(value, list) and len(value) > 16 and all(type(item) is str for item in value):
        inner = "," + _pad(level + 1)
        yield "[" + _pad(level + 1) + inner.join(map(encode_basestring, value)) + _pad(level) + "]"
    elif isinstance(value, list) and len(value) > 16 and all(type(item) is list and len(item) == 1
                                                           and type(item[0]) is str for item in value):
        inner = _pad(level + 2)
        close = _pad(level + 1) + "]"
        items = ("[" + inner + encode_basestring(item[0]) + close for item in value)
        yield "[" + _pad(level + 1) + ("," + _pad(level + 1)).join(items) + _pad(level) + "]"
    else:
        yield _dumps(value, level)


def _record_text(record: DnsRecord, level: int) -> str:
    pad = _pad(level + 1)
    number = _number
    return (f"{{{pad}\"name\": {_string(record.name)},{pad}\"type\": {_string(record.type)},"
            f"{pad}\"value\": {_string(record.value)},{pad}\"pod\": {_optional(record.pod)},"
            f"{pad}\"port\": {number(record.port)},{pad}\"priority\": {number(record.priority)},"
            f"{pad}\"weight\": {number(record.weight)},{pad}\"target\": {_optional(record.target)},"
            f"{pad}\"when\": {_string(record.when)}{_pad(level)}}}")


def _optional(value: str | None) -> str:
    return "null" if value is None else _string(value)


def _number(value: int | None) -> str:
    return "null" if value is None else str(value) if type(value) is int else json.dumps(value)


def _body(text: str) -> str:
    """The inside of a JSON string (what goes in a slot within quotes)."""
    return encode_basestring(text)[1:-1]


def _pod_texts(plan: SetPlan, level: int) -> Iterator[str]:
    """Pods; slots: 0 the pod name, 1 the ordinal, 2 the ordinal as a string, 3+ the claim names."""
    shapes = Shapes()
    for pod in plan.pods:
        def full(pod: PodPlan = pod) -> str:
            return _dumps(_pod(pod), level)

        def make(pod: PodPlan = pod) -> Template:
            name = slot(0)
            labels = dict(pod.labels)
            added = dict(pod.added_labels)
            for mapping in (labels, added):
                mapping[ordering.POD_NAME_LABEL] = name
                mapping[ordering.POD_INDEX_LABEL] = slot(2)
            fqdn = pod.fqdn
            if fqdn is not None:
                if not fqdn.startswith(pod.name + "."):
                    return Template("")
                fqdn = name + fqdn[len(pod.name):]
            marked = dataclasses.replace(
                pod, name=name, ordinal=NUMBER_MARK, hostname=name, fqdn=fqdn, labels=labels, added_labels=added,
                claim_volumes=[dataclasses.replace(v, claim=slot(3 + i)) for i, v in enumerate(pod.claim_volumes)])
            return Template(_dumps(_pod(marked), level).replace(str(NUMBER_MARK), slot(1)))

        def values(pod: PodPlan = pod) -> list[str]:
            return [_body(pod.name), str(pod.ordinal), str(pod.ordinal), *(_body(v.claim) for v in pod.claim_volumes)]

        yield shapes.text("pod", full, make, values)


def _claim_texts(claims: Sequence[ClaimPlan], level: int) -> Iterator[str]:
    """PVCs; slots: 0 the claim name, 1 the pod name, 2 the ordinal."""
    shapes = Shapes()
    for claim in claims:
        def full(claim: ClaimPlan = claim) -> str:
            return _dumps(_claim(claim), level)

        def make(claim: ClaimPlan = claim) -> Template:
            pod = slot(1)

            def mark(refs: tuple[ordering.OwnerRef, ...]) -> tuple[ordering.OwnerRef, ...]:
                return tuple(dataclasses.replace(r, name=pod) if r.kind == "Pod" else r for r in refs)

            fate = dataclasses.replace(claim.fate, claim=slot(0), pod=pod, ordinal=NUMBER_MARK,
                                       owners_in_range=mark(claim.fate.owners_in_range),
                                       owners_after_scale_down=mark(claim.fate.owners_after_scale_down))
            marked = dataclasses.replace(claim, name=slot(0), pod=pod, ordinal=NUMBER_MARK, owners=mark(claim.owners),
                                         fate=fate)
            return Template(_dumps(_claim(marked), level).replace(str(NUMBER_MARK), slot(2)))

        def values(claim: ClaimPlan = claim) -> list[str]:
            return [_body(claim.name), _body(claim.pod), str(claim.ordinal)]

        yield shapes.text(("claim", claim.template, claim.retained), full, make, values)
