"""Allowed changes explained: rollout order, partition, OnDelete, maxUnavailable, scale, PVC fate."""

from __future__ import annotations

from typing import Any

from tests.diff.helpers import Manifest, changed, errors, only, rules, run_diff, service, statefulset

BASE: Manifest = [service(), statefulset(replicas=3)]


def sts(m: Manifest) -> dict[str, Any]:
    spec: dict[str, Any] = m[1]["spec"]
    return spec


def new_image(m: Manifest) -> None:
    sts(m)["template"]["spec"]["containers"][0]["image"] = "nginx:1.27"


def item(result: Any, kind: str = "StatefulSet") -> Any:
    return next(d for d in result.objects if d.kind == kind)


def test_rolling_update_recreates_highest_ordinal_first() -> None:
    result = run_diff(BASE, changed(BASE, new_image))
    finding = only(result, "update-rollout")
    assert finding.extra["replaced"] == "web-2,web-1,web-0"
    assert finding.extra["waves"] == "web-2;web-1;web-0"
    assert finding.extra["kept"] == ""
    assert "nginx:1.26 -> nginx:1.27" in finding.message
    assert finding.path == "spec.template"
    assert any(line.startswith("rollout (RollingUpdate): re-create web-2, then web-1, then web-0")
               for line in item(result).lines)


def test_partition_keeps_low_ordinals_at_the_old_revision() -> None:
    def edit(m: Manifest) -> None:
        new_image(m)
        sts(m)["updateStrategy"] = {"type": "RollingUpdate", "rollingUpdate": {"partition": 2}}

    result = run_diff(BASE, changed(BASE, edit))
    finding = only(result, "update-rollout")
    assert finding.extra["replaced"] == "web-2"
    assert finding.extra["kept"] == "web-0,web-1"
    assert "stay at the old revision (partition 2)" in finding.message
    assert "update-strategy" in rules(result)


def test_partition_counts_from_ordinals_start() -> None:
    old = changed(BASE, lambda m: sts(m).update(
        ordinals={"start": 10}, updateStrategy={"type": "RollingUpdate", "rollingUpdate": {"partition": 1}}))
    result = run_diff(old, changed(old, new_image))
    finding = only(result, "update-rollout")
    assert finding.extra["replaced"] == "web-12,web-11"
    assert finding.extra["kept"] == "web-10"


def test_partition_at_or_above_replicas_updates_nothing() -> None:
    old = changed(BASE, lambda m: sts(m).update(
        updateStrategy={"type": "RollingUpdate", "rollingUpdate": {"partition": 3}}))
    result = run_diff(old, changed(old, new_image))
    finding = only(result, "update-rollout")
    assert finding.extra["replaced"] == "" and finding.extra["kept"] == "web-0,web-1,web-2"
    assert any("no pod takes the new template" in line for line in item(result).lines)


def test_on_delete_replaces_nothing() -> None:
    old = changed(BASE, lambda m: sts(m).update(updateStrategy={"type": "OnDelete"}))
    result = run_diff(old, changed(old, new_image))
    finding = only(result, "update-rollout")
    assert finding.extra["strategy"] == "OnDelete"
    assert finding.extra["kept"] == "web-0,web-1,web-2"
    assert "no pod is re-created by the controller" in finding.message


def test_max_unavailable_waves_depend_on_the_feature_gate() -> None:
    old = changed(statefulset_set(5), lambda m: sts(m).update(
        podManagementPolicy="Parallel",
        updateStrategy={"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 2}}))
    new = changed(old, new_image)
    on = only(run_diff(old, new, version="1.37"), "update-rollout")
    assert on.extra["waves"] == "web-4,web-3;web-2,web-1;web-0"
    assert "up to 2 at a time" in on.message
    off_result = run_diff(old, new, version="1.36")
    off = only(off_result, "update-rollout")
    assert off.extra["waves"] == "web-4;web-3;web-2;web-1;web-0"
    assert any("maxUnavailable is ignored on Kubernetes 1.36" in line for line in item(off_result).lines)


def statefulset_set(replicas: int) -> Manifest:
    return [service(), statefulset(replicas=replicas)]


def test_scale_up_creates_pods_and_claims_in_order() -> None:
    result = run_diff(BASE, changed(BASE, lambda m: sts(m).update(replicas=5)))
    finding = only(result, "update-scale")
    assert finding.extra["created"] == "web-3,web-4"
    assert finding.extra["claims_created"] == "www-web-3,www-web-4"
    assert "web-3, then web-4" in finding.message and "one at a time" in finding.message
    assert finding.path == "spec.replicas"


def test_parallel_scale_up_is_all_at_once() -> None:
    old = changed(BASE, lambda m: sts(m).update(podManagementPolicy="Parallel"))
    finding = only(run_diff(old, changed(old, lambda m: sts(m).update(replicas=5))), "update-scale")
    assert "web-3, web-4 at once" in finding.message


def test_scale_down_keeps_claims_by_default() -> None:
    old = statefulset_set(5)
    result = run_diff(old, changed(old, lambda m: sts(m).update(replicas=3)))
    finding = only(result, "update-scale")
    assert finding.extra["deleted"] == "web-4,web-3"
    assert finding.extra["claims_kept"] == "www-web-3,www-web-4"
    assert "update-pvc-deleted" not in rules(result)
    assert "highest ordinal first" in finding.message


def test_scale_down_with_when_scaled_delete_deletes_claims() -> None:
    old = changed(statefulset_set(5), lambda m: sts(m).update(
        persistentVolumeClaimRetentionPolicy={"whenScaled": "Delete"}))
    result = run_diff(old, changed(old, lambda m: sts(m).update(replicas=3)))
    warning = only(result, "update-pvc-deleted")
    assert warning.extra["claims_deleted"] == "www-web-3,www-web-4"
    assert warning.severity.label == "warning"
    assert warning.path == "spec.persistentVolumeClaimRetentionPolicy.whenScaled"
    assert not errors(result)


def test_retention_changed_together_with_scale_down_uses_the_new_policy() -> None:
    old = statefulset_set(4)
    result = run_diff(old, changed(old, lambda m: sts(m).update(
        replicas=2, persistentVolumeClaimRetentionPolicy={"whenScaled": "Delete"})))
    assert only(result, "update-pvc-deleted").extra["claims_deleted"] == "www-web-2,www-web-3"
    assert "whenScaled Retain -> Delete" in only(result, "update-retention").message


def test_ordinals_start_change_renames_pods() -> None:
    result = run_diff(BASE, changed(BASE, lambda m: sts(m).update(ordinals={"start": 1})))
    finding = only(result, "update-ordinals")
    assert finding.extra == {"created": "web-3", "deleted": "web-0"}
    assert "www-web-3" in finding.message
    assert finding.severity.label == "warning"
    assert any("PVCs kept (whenScaled: Retain)" in line and "www-web-0" in line for line in item(result).lines)
    assert "update-scale" not in rules(result)


def test_ordinals_and_replicas_together() -> None:
    result = run_diff(BASE, changed(BASE, lambda m: sts(m).update(ordinals={"start": 2}, replicas=4)))
    ordinals = only(result, "update-ordinals")
    assert ordinals.extra == {"created": "web-3,web-4,web-5", "deleted": "web-1,web-0"}
    assert only(result, "update-scale").extra["created"] == "web-3,web-4,web-5"


def test_lowering_partition_releases_held_pods() -> None:
    old = changed(BASE, lambda m: sts(m).update(
        updateStrategy={"type": "RollingUpdate", "rollingUpdate": {"partition": 2}}))
    new = changed(old, lambda m: sts(m)["updateStrategy"]["rollingUpdate"].update(partition=0))
    finding = only(run_diff(old, new), "update-strategy")
    assert "web-1, web-0, held back until now" in finding.message


def test_retention_when_deleted() -> None:
    result = run_diff(BASE, changed(BASE, lambda m: sts(m).update(
        persistentVolumeClaimRetentionPolicy={"whenDeleted": "Delete"})))
    message = only(result, "update-retention").message
    assert "deleting the StatefulSet deletes them" in message and "www-web-0" in message


def test_added_statefulset() -> None:
    result = run_diff([service()], BASE)
    finding = only(result, "update-added")
    assert finding.extra == {"created": "web-0,web-1,web-2", "claims_created": "www-web-0,www-web-1,www-web-2"}
    assert item(result).status == "added"


def test_removed_statefulset_leaves_claims() -> None:
    result = run_diff(BASE, [service()])
    finding = only(result, "update-removed")
    assert finding.location.file == "old.yaml"
    assert "left behind (whenDeleted: Retain)" in finding.message
    assert not errors(result)
    assert item(result).status == "removed"


def test_removed_statefulset_with_when_deleted_delete() -> None:
    old = changed(BASE, lambda m: sts(m).update(persistentVolumeClaimRetentionPolicy={"whenDeleted": "Delete"}))
    result = run_diff(old, [service()])
    assert only(result, "update-pvc-deleted").extra["claims_deleted"] == "www-web-0,www-web-1,www-web-2"


def test_renamed_statefulset_is_delete_plus_create() -> None:
    new = changed(BASE, lambda m: m[1]["metadata"].update(name="frontend"))
    result = run_diff(BASE, new)
    finding = only(result, "update-rename")
    assert finding.extra == {"renamed_from": "default/web", "left_behind": "www-web-0,www-web-1,www-web-2"}
    assert "www-frontend-0" in finding.message
    assert "update-added" not in rules(result) and "update-removed" not in rules(result)
    renamed = item(result)
    assert renamed.status == "renamed" and renamed.renamed_from == "default/web"
    assert any("PVCs left behind" in line for line in renamed.lines)


def test_namespace_change_is_a_new_object() -> None:
    new = changed(BASE, lambda m: (m[1]["metadata"].update(namespace="prod"), m[0]["metadata"].update(
        namespace="prod")))
    result = run_diff(BASE, new)
    assert "update-rename" in rules(result)
    assert only(result, "update-rename").extra["renamed_from"] == "default/web"


def test_unrelated_add_and_remove_are_not_a_rename() -> None:
    other = statefulset("db")
    other["spec"]["selector"] = {"matchLabels": {"app": "db"}}
    other["spec"]["template"]["metadata"]["labels"] = {"app": "db"}
    other["spec"]["serviceName"] = "db"
    result = run_diff(BASE, [service(), other])
    assert sorted(rules(result)) == ["update-added", "update-removed"]


def test_duplicate_object_warns_and_last_wins() -> None:
    new = [*BASE, changed(BASE, lambda m: sts(m).update(replicas=4))[1]]
    result = run_diff(BASE, new)
    assert "update-duplicate-object" in rules(result)
    assert only(result, "update-scale").extra["created"] == "web-3"


def test_text_mentions_every_changed_object(tmp_path: Any) -> None:
    from sts_cli.diff.text import render, summary_line
    from sts_cli.report import ReportContext

    result = run_diff(BASE, changed(BASE, new_image))
    text = render(result, ReportContext("0", "1.37"))
    assert text.startswith("StatefulSet default/web: changed: accepted\n")
    assert "  effect:\n    rollout (RollingUpdate): re-create web-2, then web-1, then web-0" in text
    assert "new.yaml:" in text and "info update-rollout" in text
    assert text.rstrip().endswith(summary_line(result))
    assert summary_line(result) == "diff: 1 changed, 0 added, 0 removed, 1 unchanged; 0 errors, 0 warnings, 1 info"
