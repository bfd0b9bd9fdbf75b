"""Catalog entries of the `sts diff` findings (category "update").

The checks themselves live in `sts_cli.diff`: they compare two versions of the same objects, so
they cannot run inside `sts validate`. Registering them here gives them `sts explain`, SARIF rule
metadata and the README table like every other rule.
"""

from __future__ import annotations

from sts_cli.findings import Severity
from sts_cli.rules.base import describe

E = Severity.ERROR
W = Severity.WARNING
I = Severity.INFO  # noqa: E741 - the severity letter, as in the other rule modules
VALIDATION = "kubernetes/kubernetes pkg/apis/apps/validation/validation.go (ValidateStatefulSetUpdate)"
CONTROLLER = "kubernetes/kubernetes pkg/controller/statefulset (stateful_set_control.go, stateful_set_utils.go)"
SERVICE = "kubernetes/kubernetes pkg/apis/core/validation (ValidateServiceUpdate); kubernetes/dns specification"

describe("update-forbidden-field", E, "A StatefulSet field that cannot change on an existing object changed.",
         "update", """
    The API server accepts changes to only a few StatefulSet spec fields: `replicas`, `ordinals`,
    `template`, `updateStrategy`, `persistentVolumeClaimRetentionPolicy`, `minReadySeconds`, and
    from Kubernetes 1.33 on `revisionHistoryLimit`. Any other change (`selector`, `serviceName`,
    `podManagementPolicy`, `volumeClaimTemplates`: size, storage class, access modes, labels, a
    template added or removed) makes `kubectl apply` fail with
    `Forbidden: updates to statefulset spec for fields other than ... are forbidden`.
    Values are compared after API defaulting, so writing a default explicitly is not a change.

    Remedy: delete the StatefulSet without its pods (`kubectl delete statefulset NAME
    --cascade=orphan`), then apply the new manifest; the new object adopts the running pods its
    selector matches. To grow volumes, resize each PVC (`<claim>-<set>-<ordinal>`) one by one when
    the StorageClass has `allowVolumeExpansion: true`; the template only shapes future PVCs.

    Bad (old -> new):
        volumeClaimTemplates:
        - metadata: {name: data}
          spec: {resources: {requests: {storage: 1Gi}}}   # -> 2Gi
    Good:
        kubectl patch pvc data-web-0 -p '{"spec":{"resources":{"requests":{"storage":"2Gi"}}}}'
        kubectl delete statefulset web --cascade=orphan && kubectl apply -f web.yaml
    """, VALIDATION)
describe("update-rollout", I, "The pod template changes: which pods are re-created, in which order.", "update", """
    A change of `spec.template` (labels, annotations or pod spec, compared after API defaulting)
    creates a new revision. With `RollingUpdate` the controller deletes and re-creates pods from
    the highest ordinal down, waiting for each to be Running and Ready; pods whose
    `ordinal - ordinals.start` is below `partition` keep the old revision. `maxUnavailable`
    widens the waves only where the MaxUnavailableStatefulSet gate is on. With `OnDelete` no pod
    is replaced until someone deletes it.

    Example:
        image: nginx:1.26 -> nginx:1.27 with 3 replicas: web-2, web-1, web-0 re-created in turn.
    """, CONTROLLER)
describe("update-scale", I, "replicas changes: which pods and PVCs appear or go, in which order.", "update", """
    Scaling up creates the missing ordinals (and their PVCs, or re-uses retained ones of the same
    name); with OrderedReady one at a time in ascending order. Scaling down removes the highest
    ordinals first, one at a time, unless `podManagementPolicy: Parallel`. PVCs of removed pods are
    kept unless `persistentVolumeClaimRetentionPolicy.whenScaled: Delete`.

    Example:
        replicas: 3 -> 5 creates web-3 then web-4, with PVCs data-web-3 and data-web-4.
    """, CONTROLLER)
describe("update-pvc-deleted", W, "PersistentVolumeClaims (and their data) will be deleted.", "update", """
    With `whenScaled: Delete` a scale-down (or an `ordinals.start` change) deletes the PVCs of the
    removed pods; with `whenDeleted: Delete` removing the StatefulSet deletes all its PVCs. Check
    that the data is no longer needed or backed up.

    Bad:
        persistentVolumeClaimRetentionPolicy: {whenScaled: Delete}
        replicas: 5 -> 3          # deletes data-web-3 and data-web-4
    Good:
        persistentVolumeClaimRetentionPolicy: {whenScaled: Retain}
    """, CONTROLLER)
describe("update-ordinals", W, "ordinals.start changes: pods are renamed (deleted and created).", "update", """
    Pod names are `<set>-<ordinal>` and ordinals run from `spec.ordinals.start`. Changing the start
    deletes the pods that fall out of the range and creates new ones with new names, new DNS names
    and new PVCs (`<claim>-<set>-<ordinal>`); the data of the old PVCs is not carried over.

    Example:
        ordinals.start: 0 -> 1 with 3 replicas: web-3 is created, web-0 is deleted.
    """, CONTROLLER)
describe("update-strategy", I, "updateStrategy changes: how the next template change rolls out.", "update", """
    `type`, `rollingUpdate.partition` and `rollingUpdate.maxUnavailable` decide which pods take a
    new revision and how many at a time. Lowering `partition` lets the controller update pods it
    held back before.

    Example:
        partition: 2 -> 0 releases web-1 and web-0 to the current template.
    """, CONTROLLER)
describe("update-retention", I, "persistentVolumeClaimRetentionPolicy changes: which PVCs survive.", "update", """
    The controller rewrites the owner references of every PVC to follow the policy: `whenDeleted:
    Delete` makes the StatefulSet their owner (deleted with it); `whenScaled: Delete` lets PVCs of
    pods removed by a scale-down be garbage-collected with their pod.

    Example:
        whenDeleted: Retain -> Delete: deleting the StatefulSet now deletes data-web-0..2.
    """, CONTROLLER)
describe("update-field", I, "Another mutable StatefulSet field changes.", "update", """
    `minReadySeconds` and `revisionHistoryLimit` change how long a new pod must be ready before
    it counts as available, and how many old ControllerRevisions are kept. No pod is re-created.

    Example:
        minReadySeconds: 0 -> 10
    """, CONTROLLER)
describe("update-added", I, "An object appears: what the controller creates.", "update", """
    A new StatefulSet creates its pods and PVCs (OrderedReady: one at a time, ascending ordinals).
    A new Service starts serving DNS for the pods its selector matches.

    Example:
        + StatefulSet web, 3 replicas: web-0, web-1, web-2 with PVCs data-web-0..2.
    """, CONTROLLER)
describe("update-removed", W, "A StatefulSet disappears: its pods are deleted, its PVCs are left or deleted.",
         "update", """
    Deleting a StatefulSet deletes its pods in no particular order (scale to 0 first for an
    ordered shutdown). Its PVCs stay unless `whenDeleted: Delete`.

    Example:
        - StatefulSet web: web-0..2 deleted; PVCs data-web-0..2 retained.
    """, CONTROLLER)
describe("update-rename", W, "A StatefulSet is renamed: that is a delete plus a create.", "update", """
    `metadata.name` (and `metadata.namespace`) cannot change; a new name is a new object. The old
    pods are deleted, new pods with new names start with new, empty PVCs, and the old PVCs are
    left behind (unless `whenDeleted: Delete`, which deletes them).

    Example:
        metadata.name: web -> frontend: PVCs data-web-0..2 are left behind, data-frontend-0..2 are new.
    """, CONTROLLER)
describe("update-service-not-headless", E, "The governing Service stops being headless.", "update", """
    Per-pod DNS names (`<pod>.<service>.<namespace>.svc.<zone>`) exist only for a headless Service
    (`clusterIP: None`). `spec.clusterIP` of an existing Service cannot be changed ("may not change
    once set"): setting an address or another type is rejected, and a removed `clusterIP` keeps the
    live value; but every Service created from the new manifest (a new cluster, a re-created
    Service) gets a virtual IP and the pods lose their names.

    Bad (old -> new):
        clusterIP: None   ->   (removed) or type: LoadBalancer
    Good:
        clusterIP: None
    """, SERVICE)
describe("update-service-selector", E, "The governing Service no longer selects the StatefulSet's pods.", "update", """
    EndpointSlices, and so DNS records, contain only pods the Service selector matches. A new
    selector (or new pod template labels) that no longer match removes every per-pod DNS name.

    Bad (old -> new):
        selector: {app: web}  ->  {app: web, tier: db}   # pods carry only app: web
    Good:
        keep the Service selector a subset of the pod template labels
    """, SERVICE)
describe("update-service-missing", E,
         "The governing Service is removed or renamed while the StatefulSet still names it.", "update", """
    `spec.serviceName` names the headless Service that gives pods their DNS names. Removing or
    renaming that Service (or moving it to another namespace) leaves the pods without DNS names.

    Bad:
        - Service web   (StatefulSet web still has serviceName: web)
    Good:
        keep the Service, or change both in a planned re-creation
    """, SERVICE)
describe("update-service-srv", W, "Service port names change: SRV record names change.", "update", """
    Cluster DNS publishes `_<port-name>._<protocol>.<service>.<namespace>.svc.<zone>` SRV records
    for named ports. Renaming a port, changing its protocol or removing its name removes the old
    SRV name, which clients may be looking up.

    Bad (old -> new):
        ports: [{name: peer, port: 2380}]  ->  [{name: peers, port: 2380}]
    Good:
        keep the port name, or add the new name next to the old one for a transition
    """, SERVICE)
describe("update-duplicate-object", W, "The same object appears twice in one side of the comparison.", "update", """
    Objects are matched by kind, namespace and name. When one side holds the same object twice,
    the last one is compared (as `kubectl apply` would end with it).

    Bad:
        two documents both `kind: StatefulSet`, `metadata.name: web`
    Good:
        one document per object
    """)
