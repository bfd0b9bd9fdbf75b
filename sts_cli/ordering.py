"""What the StatefulSet controller does, and in which order: pure functions over a `StatefulSetView`.

Everything here follows the upstream controller (see the fact sheet, sections 6.1-6.6):

* ordinals run from `spec.ordinals.start` to `start + replicas - 1`; pod `<set>-<ordinal>`;
  PVC `<claim template>-<set>-<ordinal>`;
* `OrderedReady` creates pods one at a time in ascending ordinal order and removes them one at
  a time from the highest ordinal down; `Parallel` creates or removes them all at once;
* `RollingUpdate` replaces pods from the highest ordinal down; `partition` is an offset from
  `ordinals.start` (pods whose `ordinal - start >= partition` are updated, the others keep the
  current revision); `OnDelete` replaces nothing, a pod takes the new template when deleted;
* `maxUnavailable` is honoured only where the `MaxUnavailableStatefulSet` gate is on (see
  `max_unavailable_enabled`); otherwise the API server drops the field and pods go one at a time;
* PVC owner references follow `persistentVolumeClaimRetentionPolicy` (`pvc_fate`).

A "wave" is a group of pods the controller acts on together before waiting: with OrderedReady
each wave holds one pod and the next wave starts only when the previous pod is Running and
Ready (or fully gone, on scale-down).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sts_cli.model import StatefulSetView

ORDERED_READY = "OrderedReady"
PARALLEL = "Parallel"
ROLLING_UPDATE = "RollingUpdate"
ON_DELETE = "OnDelete"
RETAIN = "Retain"
DELETE = "Delete"

POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name"
POD_INDEX_LABEL = "apps.kubernetes.io/pod-index"
REVISION_LABEL = "controller-revision-hash"


# --- names ---------------------------------------------------------------------------------------

def ordinals(view: StatefulSetView, replicas: int | None = None) -> list[int]:
    """Ordinals `start .. start + replicas - 1` (negative replicas count as zero)."""
    count = view.replicas if replicas is None else replicas
    return list(range(view.ordinals_start, view.ordinals_start + max(count, 0)))


def pod_name(set_name: str, ordinal: int) -> str:
    """`<set>-<ordinal>`: also the pod's hostname and its `statefulset.kubernetes.io/pod-name` label."""
    return f"{set_name}-{ordinal}"


def pod_names(view: StatefulSetView, replicas: int | None = None) -> list[str]:
    """Pod names for every ordinal in range, ascending (`web-0`, `web-1`, ...)."""
    return [pod_name(view.name, ordinal) for ordinal in ordinals(view, replicas)]


def claim_name(template_name: str, set_name: str, ordinal: int) -> str:
    """PVC name of one claim template for one ordinal: `<claim>-<set>-<ordinal>` (`www-web-0`)."""
    return f"{template_name}-{set_name}-{ordinal}"


def claim_names(view: StatefulSetView, ordinal: int) -> list[str]:
    """PVC names of every claim template for one ordinal, in template order."""
    return [claim_name(t.name, view.name, ordinal) for t in view.claim_templates]


def ordinal_of(view: StatefulSetView, name: str) -> int:
    """The ordinal of one of this set's pod names (`web-2` -> 2)."""
    prefix = f"{view.name}-"
    suffix = name[len(prefix):]
    # A negative ordinals.start (invalid, but diff still explains it) gives names like `web--1`.
    if not name.startswith(prefix) or not suffix.removeprefix("-").isdigit():
        raise ValueError(f"{name!r} is not a pod of StatefulSet {view.name!r}")
    return int(suffix)


# --- creation and scale-down ---------------------------------------------------------------------

def _waves(names: list[str], parallel: bool) -> list[list[str]]:
    if not names:
        return []
    return [list(names)] if parallel else [[name] for name in names]


def is_parallel(view: StatefulSetView) -> bool:
    """`podManagementPolicy: Parallel`; any other value (OrderedReady, or invalid) is treated as ordered."""
    return view.pod_management_policy == PARALLEL


def creation_order(view: StatefulSetView) -> list[list[str]]:
    """Waves in which the pods are first created.

    OrderedReady: one pod per wave, ascending ordinals; each waits for its predecessors to be
    Running and Ready (and available, with `minReadySeconds`). Parallel: one wave with every pod.
    Each pod's PVCs are created just before the pod.
    """
    return _waves(pod_names(view), is_parallel(view))


def scale_up_order(view: StatefulSetView, to_replicas: int) -> list[list[str]]:
    """Waves of pods added when scaling from `view.replicas` to `to_replicas` (empty if not growing)."""
    current = set(pod_names(view))
    added = [name for name in pod_names(view, to_replicas) if name not in current]
    return _waves(added, is_parallel(view))


def scale_down_order(view: StatefulSetView, to_replicas: int) -> list[list[str]]:
    """Waves of pods removed when scaling from `view.replicas` down to `to_replicas`.

    OrderedReady: highest ordinal first, one at a time, each waiting for the previous pod to be
    fully terminated. Parallel: every condemned pod at once. Empty when not shrinking.
    """
    kept = set(pod_names(view, to_replicas))
    removed = [name for name in reversed(pod_names(view)) if name not in kept]
    return _waves(removed, is_parallel(view))


# --- rolling update ------------------------------------------------------------------------------

_VERSION = re.compile(r"^v?(\d+)\.(\d+)(?:\.(\d+))?$")


def parse_version(text: str) -> tuple[int, int, int | None]:
    """`1.35`, `v1.35.2` -> (1, 35, None) / (1, 35, 2). ValueError for anything else."""
    match = _VERSION.match(text.strip())
    if not match:
        raise ValueError(f"not a Kubernetes version: {text!r}")
    patch = match.group(3)
    return int(match.group(1)), int(match.group(2)), int(patch) if patch is not None else None


def max_unavailable_enabled(kubernetes_version: str) -> bool:
    """Whether the `MaxUnavailableStatefulSet` gate is on by default in this version.

    Off (alpha) up to 1.34; beta and on in 1.35.0-1.35.3; turned off again in 1.35.4 and 1.36
    because it broke Parallel pod management; on again from 1.37. A bare minor `1.35` means the
    current 1.35 patch releases, where the gate is off; pass `1.35.0`..`1.35.3` to get it on.
    """
    major, minor, patch = parse_version(kubernetes_version)
    if (major, minor) >= (1, 37) or major > 1:
        return True
    if (major, minor) == (1, 35):
        return patch is not None and patch <= 3
    return False


def scaled_max_unavailable(value: int | str | None, replicas: int) -> int:
    """The number of pods `maxUnavailable` allows down at once (never less than 1).

    Integers are used as given. Percentages are scaled against `replicas` and rounded **down**,
    then raised to at least 1, as the controller does (`getStatefulSetMaxUnavailable`); the API
    documentation says "rounding up", but the controller's code is what runs. Unset means 1.
    Invalid values (rejected by the API server) also count as 1.
    """
    if value is None:
        return 1
    if isinstance(value, int):
        return max(value, 1)
    match = re.fullmatch(r"(\d+)%", value)
    if match:
        return max(int(match.group(1)) * max(replicas, 0) // 100, 1)
    if value.isdigit():  # a string of digits is not a percentage; the API server rejects it
        return 1
    return 1


@dataclass(frozen=True, slots=True)
class UpdatePlan:
    """What a change of the pod template does to the running pods.

    `waves`: groups of pods deleted and re-created together, highest ordinal first; the next
    wave starts when the re-created pods are Running and Ready. `updated` is the same pods,
    flattened. `kept`: pods that stay at (and are re-created from) the old revision, ascending.
    """

    strategy: str
    partition: int
    max_unavailable: int
    max_unavailable_honoured: bool
    updated: list[str]
    waves: list[list[str]]
    kept: list[str]
    notes: list[str]

    @property
    def on_delete(self) -> bool:
        return self.strategy == ON_DELETE


def update_plan(view: StatefulSetView, kubernetes_version: str) -> UpdatePlan:
    """The rollout of a new template under `updateStrategy`, for the given Kubernetes version.

    RollingUpdate: pods with `ordinal - ordinals.start >= partition` are updated from the highest
    ordinal down, one per wave, or in waves of up to `maxUnavailable` pods where the gate is on
    (`max_unavailable_enabled`); lower ordinals stay at the old revision. OnDelete: nothing is
    replaced by the controller; each pod takes the new template when someone deletes it.
    """
    names = pod_names(view)
    start = view.ordinals_start
    notes: list[str] = []
    gate = max_unavailable_enabled(kubernetes_version)
    if view.update_strategy == ON_DELETE:
        notes.append("OnDelete: the controller replaces no pod; each pod is re-created from the new "
                     "template only when it is deleted (by hand or by an eviction)")
        return UpdatePlan(ON_DELETE, 0, 1, False, [], [], names, notes)
    partition = max(view.partition, 0)
    updated = [pod_name(view.name, o) for o in reversed(ordinals(view)) if o - start >= partition]
    kept = [pod_name(view.name, o) for o in ordinals(view) if o - start < partition]
    honoured = gate and view.max_unavailable is not None
    size = scaled_max_unavailable(view.max_unavailable, view.replicas) if gate else 1
    if view.max_unavailable is not None and not gate:
        notes.append(f"maxUnavailable is ignored on Kubernetes {kubernetes_version}: the "
                     "MaxUnavailableStatefulSet feature gate is off, so the API server drops the field "
                     "and pods are replaced one at a time")
    elif honoured:
        notes.append(f"maxUnavailable {view.max_unavailable} allows {size} pod(s) of the whole set to be "
                     "unavailable at once (percentages of replicas rounded down, at least 1)")
        if size > 1 and not is_parallel(view):
            notes.append("OrderedReady: the pods of one wave are deleted together and re-created one at a time, "
                         "lowest ordinal first, each Ready before the next")
    if partition > 0:
        if partition >= len(names):
            notes.append(f"partition {partition} >= replicas {len(names)}: no pod is updated")
        else:
            notes.append(f"partition {partition}: ordinals below {start + partition} keep the old revision, "
                         "even when deleted")
    waves = [updated[i:i + size] for i in range(0, len(updated), size)]
    return UpdatePlan(ROLLING_UPDATE, partition, size, honoured, updated, waves, kept, notes)


# --- PVC owner references and fate ---------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class OwnerRef:
    """An ownerReference as the controller writes it; the uid is only known in a cluster."""

    api_version: str
    kind: str
    name: str
    controller: bool = True
    block_owner_deletion: bool = True


def set_owner(view: StatefulSetView) -> OwnerRef:
    """The owner reference every pod (and some PVCs) carries: the StatefulSet, as controller."""
    return OwnerRef("apps/v1", "StatefulSet", view.name)


def pod_owner(name: str) -> OwnerRef:
    """The owner reference put on the PVC of a condemned pod when `whenScaled: Delete`."""
    return OwnerRef("v1", "Pod", name)


@dataclass(frozen=True, slots=True)
class ClaimFate:
    """One PVC: its owner references while its pod is in range and once the pod is scaled away,
    and whether Kubernetes deletes it on scale-down and when the StatefulSet is deleted."""

    claim: str
    template: str
    pod: str
    ordinal: int
    owners_in_range: tuple[OwnerRef, ...]
    owners_after_scale_down: tuple[OwnerRef, ...]
    deleted_on_scale_down: bool
    deleted_with_set: bool

    @property
    def in_range(self) -> str:
        if self.owners_in_range:
            return "kept; owned by the StatefulSet"
        return "kept; no owner reference"

    @property
    def after_scale_down(self) -> str:
        if self.deleted_on_scale_down:
            return f"deleted: owned by pod {self.pod}, removed by garbage collection once the pod is gone"
        if self.owners_after_scale_down:
            return "retained until the StatefulSet is deleted"
        return "retained"

    @property
    def after_set_deleted(self) -> str:
        return "deleted by garbage collection" if self.deleted_with_set else "retained"


def retention_policy(view: StatefulSetView) -> tuple[str, str]:
    """(whenDeleted, whenScaled), each `Retain` unless the manifest says exactly `Delete`."""
    deleted = DELETE if view.when_deleted == DELETE else RETAIN
    scaled = DELETE if view.when_scaled == DELETE else RETAIN
    return deleted, scaled


def claim_owners(view: StatefulSetView, ordinal: int, in_range: bool) -> tuple[OwnerRef, ...]:
    """Owner references of a PVC for `ordinal`, whose pod is in range or condemned (fact sheet 6.4).

    | whenDeleted/whenScaled | in range        | condemned       |
    | Retain/Retain          | none            | none            |
    | Delete/Retain          | the StatefulSet | the StatefulSet |
    | Retain/Delete          | none            | the Pod         |
    | Delete/Delete          | the StatefulSet | the Pod         |
    """
    when_deleted, when_scaled = retention_policy(view)
    if not in_range and when_scaled == DELETE:
        return (pod_owner(pod_name(view.name, ordinal)),)
    if when_deleted == DELETE:
        return (set_owner(view),)
    return ()


def pvc_fate(view: StatefulSetView, replicas: int | None = None) -> list[ClaimFate]:
    """Every PVC of the set (ordinal by ordinal, claim templates in order) and what becomes of it."""
    when_deleted, when_scaled = retention_policy(view)
    fates: list[ClaimFate] = []
    for ordinal in ordinals(view, replicas):
        for template in view.claim_templates:
            fates.append(ClaimFate(
                claim=claim_name(template.name, view.name, ordinal), template=template.name,
                pod=pod_name(view.name, ordinal), ordinal=ordinal,
                owners_in_range=claim_owners(view, ordinal, True),
                owners_after_scale_down=claim_owners(view, ordinal, False),
                deleted_on_scale_down=when_scaled == DELETE,
                deleted_with_set=when_deleted == DELETE))
    return fates


# --- scale preview -------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ScaleChange:
    """What `replicas: from_replicas -> to_replicas` does: pods and PVCs that appear or go."""

    from_replicas: int
    to_replicas: int
    pods_added: list[str]
    add_waves: list[list[str]]
    pods_removed: list[str]
    remove_waves: list[list[str]]
    claims_added: list[str]
    claims_deleted: list[str]
    claims_retained: list[str]

    @property
    def unchanged(self) -> bool:
        return not self.pods_added and not self.pods_removed


def scale_change(view: StatefulSetView, new_replicas: int) -> ScaleChange:
    """Preview a scale to `new_replicas`.

    Growing adds pods (and their PVCs, unless a retained PVC of the same name still exists, in
    which case it is reused) in creation order. Shrinking removes pods in scale-down order; their
    PVCs are deleted with `whenScaled: Delete` and retained otherwise (a later scale-up reuses
    them).
    """
    add_waves = scale_up_order(view, new_replicas)
    remove_waves = scale_down_order(view, new_replicas)
    added = [name for wave in add_waves for name in wave]
    removed = [name for wave in remove_waves for name in wave]
    _, when_scaled = retention_policy(view)
    claims_added = [c for name in added for c in claim_names(view, ordinal_of(view, name))]
    removed_claims = [c for name in sorted(removed, key=lambda n: ordinal_of(view, n))
                      for c in claim_names(view, ordinal_of(view, name))]
    deleted = removed_claims if when_scaled == DELETE else []
    retained = [] if when_scaled == DELETE else removed_claims
    return ScaleChange(max(view.replicas, 0), max(new_replicas, 0), added, add_waves, removed, remove_waves,
                       claims_added, deleted, retained)


__all__ = [
    "DELETE", "ON_DELETE", "ORDERED_READY", "PARALLEL", "POD_INDEX_LABEL", "POD_NAME_LABEL", "RETAIN",
    "REVISION_LABEL", "ROLLING_UPDATE", "ClaimFate", "OwnerRef", "ScaleChange", "UpdatePlan", "claim_name",
    "claim_names", "claim_owners", "creation_order", "is_parallel", "max_unavailable_enabled", "ordinal_of",
    "ordinals", "parse_version", "pod_name", "pod_names", "pod_owner", "pvc_fate", "retention_policy",
    "scale_change", "scale_down_order", "scale_up_order", "scaled_max_unavailable", "set_owner",
    "update_plan",
]
