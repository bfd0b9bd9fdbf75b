"""ordering.py against hand-checked controller behaviour (fact sheet 6.1-6.6)."""

from __future__ import annotations

import textwrap

import pytest

from sts_cli import ordering
from tests.render.helpers import sts


def test_pod_and_claim_names_from_zero() -> None:
    view = sts("replicas: 3")
    assert ordering.pod_names(view) == ["web-0", "web-1", "web-2"]
    assert ordering.claim_name("www", "web", 2) == "www-web-2"


def test_ordinals_start_shifts_names() -> None:
    view = sts("replicas: 2\nordinals:\n  start: 5")
    assert ordering.pod_names(view) == ["web-5", "web-6"]
    assert ordering.ordinal_of(view, "web-6") == 6
    with pytest.raises(ValueError):
        ordering.ordinal_of(view, "db-6")


def test_zero_replicas_has_no_pods_and_no_waves() -> None:
    view = sts("replicas: 0")
    assert ordering.pod_names(view) == []
    assert ordering.creation_order(view) == []
    assert ordering.update_plan(view, "1.36").updated == []


def test_default_replicas_is_one() -> None:
    assert ordering.pod_names(sts()) == ["web-0"]


def test_creation_order_ordered_ready_one_per_wave() -> None:
    assert ordering.creation_order(sts("replicas: 3")) == [["web-0"], ["web-1"], ["web-2"]]


def test_creation_order_parallel_single_wave() -> None:
    view = sts("replicas: 3\npodManagementPolicy: Parallel")
    assert ordering.creation_order(view) == [["web-0", "web-1", "web-2"]]


def test_scale_down_ordered_highest_first() -> None:
    view = sts("replicas: 4\nordinals:\n  start: 1")
    assert ordering.scale_down_order(view, 1) == [["web-4"], ["web-3"], ["web-2"]]
    assert ordering.scale_down_order(view, 0) == [["web-4"], ["web-3"], ["web-2"], ["web-1"]]
    assert ordering.scale_down_order(view, 4) == []
    assert ordering.scale_down_order(view, 9) == []


def test_scale_down_parallel_all_at_once() -> None:
    view = sts("replicas: 4\npodManagementPolicy: Parallel")
    assert ordering.scale_down_order(view, 1) == [["web-3", "web-2", "web-1"]]


def test_rolling_update_highest_first_one_at_a_time() -> None:
    plan = ordering.update_plan(sts("replicas: 3"), "1.36")
    assert plan.strategy == "RollingUpdate"
    assert plan.waves == [["web-2"], ["web-1"], ["web-0"]]
    assert plan.kept == []


def test_partition_is_an_offset_from_ordinals_start() -> None:
    view = sts("""
        replicas: 5
        ordinals:
          start: 3
        updateStrategy:
          type: RollingUpdate
          rollingUpdate:
            partition: 2
        """)
    plan = ordering.update_plan(view, "1.36")
    # ordinals 3..7; partition 2 -> ordinals >= 5 are updated
    assert plan.updated == ["web-7", "web-6", "web-5"]
    assert plan.kept == ["web-3", "web-4"]


def test_partition_at_or_above_replicas_updates_nothing() -> None:
    view = sts("replicas: 2\nupdateStrategy:\n  rollingUpdate:\n    partition: 2")
    plan = ordering.update_plan(view, "1.36")
    assert plan.updated == [] and plan.kept == ["web-0", "web-1"]
    assert any("no pod is updated" in n for n in plan.notes)


def test_on_delete_replaces_nothing() -> None:
    plan = ordering.update_plan(sts("replicas: 2\nupdateStrategy:\n  type: OnDelete"), "1.36")
    assert plan.on_delete and plan.waves == [] and plan.kept == ["web-0", "web-1"]


def test_parallel_does_not_parallelise_rolling_updates_without_gate() -> None:
    view = sts("replicas: 3\npodManagementPolicy: Parallel")
    assert ordering.update_plan(view, "1.36").waves == [["web-2"], ["web-1"], ["web-0"]]


@pytest.mark.parametrize(("version", "on"), [
    ("1.30", False), ("1.34", False), ("1.35", False), ("1.35.0", True), ("1.35.3", True),
    ("v1.35.4", False), ("1.36", False), ("1.36.2", False), ("1.37", True), ("1.38.1", True),
])
def test_max_unavailable_gate(version: str, on: bool) -> None:
    assert ordering.max_unavailable_enabled(version) is on


def test_max_unavailable_waves_where_gate_is_on() -> None:
    view = sts("""
        replicas: 5
        updateStrategy:
          rollingUpdate:
            maxUnavailable: 2
            partition: 1
        """)
    on = ordering.update_plan(view, "1.37")
    assert on.max_unavailable_honoured and on.max_unavailable == 2
    assert on.waves == [["web-4", "web-3"], ["web-2", "web-1"]]
    assert on.kept == ["web-0"]
    off = ordering.update_plan(view, "1.36")
    assert not off.max_unavailable_honoured
    assert off.waves == [["web-4"], ["web-3"], ["web-2"], ["web-1"]]
    assert any("ignored" in n for n in off.notes)


@pytest.mark.parametrize(("value", "replicas", "expected"), [
    (None, 3, 1), (3, 5, 3), ("50%", 3, 1), ("50%", 4, 2), ("10%", 3, 1), ("100%", 7, 7), ("abc", 3, 1),
])
def test_scaled_max_unavailable_rounds_down_at_least_one(value: int | str | None, replicas: int,
                                                         expected: int) -> None:
    assert ordering.scaled_max_unavailable(value, replicas) == expected


def _refs(refs: tuple[ordering.OwnerRef, ...]) -> list[tuple[str, str]]:
    return [(r.kind, r.name) for r in refs]


@pytest.mark.parametrize(("deleted", "scaled", "in_range", "condemned", "gone_on_scale", "gone_with_set"), [
    ("Retain", "Retain", [], [], False, False),
    ("Delete", "Retain", [("StatefulSet", "web")], [("StatefulSet", "web")], False, True),
    ("Retain", "Delete", [], [("Pod", "web-1")], True, False),
    ("Delete", "Delete", [("StatefulSet", "web")], [("Pod", "web-1")], True, True),
])
def test_pvc_fate_per_retention_policy(deleted: str, scaled: str, in_range: list[tuple[str, str]],
                                       condemned: list[tuple[str, str]], gone_on_scale: bool,
                                       gone_with_set: bool) -> None:
    view = sts(f"""
        replicas: 2
        persistentVolumeClaimRetentionPolicy:
          whenDeleted: {deleted}
          whenScaled: {scaled}
        volumeClaimTemplates:
        - metadata:
            name: data
          spec:
            accessModes: [ReadWriteOnce]
            resources:
              requests:
                storage: 1Gi
        """)
    fates = ordering.pvc_fate(view)
    assert [f.claim for f in fates] == ["data-web-0", "data-web-1"]
    fate = fates[1]
    assert _refs(fate.owners_in_range) == in_range
    assert _refs(fate.owners_after_scale_down) == condemned
    assert fate.deleted_on_scale_down is gone_on_scale
    assert fate.deleted_with_set is gone_with_set
    for ref in (*fate.owners_in_range, *fate.owners_after_scale_down):
        assert ref.controller and ref.block_owner_deletion


def test_default_retention_is_retain_retain() -> None:
    assert ordering.retention_policy(sts()) == ("Retain", "Retain")


def test_scale_change_down_retains_or_deletes_claims() -> None:
    spec = """
        replicas: 4
        volumeClaimTemplates:
        - metadata: {name: data}
          spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
        - metadata: {name: logs}
          spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
        """
    change = ordering.scale_change(sts(spec), 2)
    assert change.pods_removed == ["web-3", "web-2"]
    assert change.remove_waves == [["web-3"], ["web-2"]]
    assert change.claims_retained == ["data-web-2", "logs-web-2", "data-web-3", "logs-web-3"]
    assert change.claims_deleted == [] and change.pods_added == []
    deleting = sts(textwrap.dedent(spec) + "persistentVolumeClaimRetentionPolicy:\n  whenScaled: Delete\n")
    change = ordering.scale_change(deleting, 2)
    assert change.claims_deleted == ["data-web-2", "logs-web-2", "data-web-3", "logs-web-3"]
    assert change.claims_retained == []


def test_scale_change_up_adds_pods_and_claims_in_creation_order() -> None:
    spec = """
        replicas: 1
        ordinals: {start: 2}
        volumeClaimTemplates:
        - metadata: {name: data}
          spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
        """
    change = ordering.scale_change(sts(spec), 3)
    assert change.pods_added == ["web-3", "web-4"]
    assert change.add_waves == [["web-3"], ["web-4"]]
    assert change.claims_added == ["data-web-3", "data-web-4"]
    assert not change.unchanged
    assert ordering.scale_change(sts(spec), 1).unchanged


def test_ordered_ready_max_unavailable_note() -> None:
    view = sts("replicas: 4\nupdateStrategy:\n  rollingUpdate:\n    maxUnavailable: 2")
    plan = ordering.update_plan(view, "1.37")
    assert plan.waves == [["web-3", "web-2"], ["web-1", "web-0"]]
    assert any("re-created one at a time" in n for n in plan.notes)
