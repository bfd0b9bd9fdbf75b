"""Every StatefulSet spec field: forbidden or allowed, after API defaulting, per Kubernetes version."""

from __future__ import annotations

from typing import Any

import pytest

from sts_cli.diff.compare import forbidden_message, mutable_fields
from sts_cli.findings import Severity
from tests.diff.helpers import Manifest, changed, dump, errors, only, rules, run_diff, service, statefulset

BASE: Manifest = [service(), statefulset()]


def sts(m: Manifest) -> dict[str, Any]:
    return m[1]["spec"]


def claim(m: Manifest) -> dict[str, Any]:
    template: dict[str, Any] = sts(m)["volumeClaimTemplates"][0]
    return template


IMMUTABLE: list[tuple[str, Any, str]] = [
    ("selector label added", lambda m: (sts(m)["selector"]["matchLabels"].update(tier="fe"),
                                        sts(m)["template"]["metadata"]["labels"].update(tier="fe")),
     "spec.selector.matchLabels.tier"),
    ("selector value", lambda m: (sts(m)["selector"]["matchLabels"].update(app="www"),
                                  sts(m)["template"]["metadata"]["labels"].update(app="www")),
     "spec.selector.matchLabels.app"),
    ("selector expression added", lambda m: sts(m)["selector"].update(
        matchExpressions=[{"key": "app", "operator": "In", "values": ["web"]}]),
     "spec.selector.matchExpressions"),
    ("serviceName", lambda m: sts(m).update(serviceName="web-headless"), "spec.serviceName"),
    ("serviceName removed", lambda m: sts(m).pop("serviceName"), "spec.serviceName"),
    ("podManagementPolicy", lambda m: sts(m).update(podManagementPolicy="Parallel"), "spec.podManagementPolicy"),
    ("claim size", lambda m: claim(m)["spec"]["resources"]["requests"].update(storage="2Gi"),
     "spec.volumeClaimTemplates[0].spec.resources.requests.storage"),
    ("claim class", lambda m: claim(m)["spec"].update(storageClassName="fast"),
     "spec.volumeClaimTemplates[0].spec.storageClassName"),
    ("claim access modes", lambda m: claim(m)["spec"].update(accessModes=["ReadWriteMany"]),
     "spec.volumeClaimTemplates[0].spec.accessModes"),
    ("claim labels", lambda m: claim(m)["metadata"].update(labels={"backup": "daily"}),
     "spec.volumeClaimTemplates[0].metadata.labels"),
    ("claim volume mode", lambda m: claim(m)["spec"].update(volumeMode="Block"),
     "spec.volumeClaimTemplates[0].spec.volumeMode"),
    ("claim limits", lambda m: claim(m)["spec"]["resources"].update(limits={"storage": "5Gi"}),
     "spec.volumeClaimTemplates[0].spec.resources.limits"),
    ("claim template added", lambda m: sts(m)["volumeClaimTemplates"].append(
        {"metadata": {"name": "logs"}, "spec": {"accessModes": ["ReadWriteOnce"],
                                                "resources": {"requests": {"storage": "1Gi"}}}}),
     "spec.volumeClaimTemplates[1]"),
    ("claim template removed", lambda m: sts(m).pop("volumeClaimTemplates"), "spec.volumeClaimTemplates[0]"),
    ("claim template renamed", lambda m: claim(m)["metadata"].update(name="data"), "spec.volumeClaimTemplates[0]"),
]


@pytest.mark.parametrize(("edit", "path"), [(e, p) for _, e, p in IMMUTABLE], ids=[n for n, _, _ in IMMUTABLE])
def test_immutable_fields_are_forbidden(edit: Any, path: str) -> None:
    result = run_diff(BASE, changed(BASE, edit))
    forbidden = [f for f in errors(result) if f.rule == "update-forbidden-field"]
    assert forbidden, rules(result)
    assert path in {f.path for f in forbidden}
    finding = next(f for f in forbidden if f.path == path)
    assert finding.location.file == "new.yaml"
    assert path in finding.message and "Forbidden: updates to statefulset spec" in finding.message
    assert "--cascade=orphan" in finding.hint
    assert result.result.failed(Severity.ERROR)
    rejected = [d for d in result.objects if d.kind == "StatefulSet"]
    assert rejected[0].rejected
    # A rejected update does nothing: no rollout or scale explanation.
    assert not {"update-rollout", "update-scale"} & set(rules(result))


MUTABLE: list[tuple[str, Any, str]] = [
    ("replicas", lambda m: sts(m).update(replicas=5), "update-scale"),
    ("ordinals", lambda m: sts(m).update(ordinals={"start": 1}), "update-ordinals"),
    ("template image", lambda m: sts(m)["template"]["spec"]["containers"][0].update(image="nginx:1.27"),
     "update-rollout"),
    ("template annotation", lambda m: sts(m)["template"]["metadata"].update(annotations={"a": "b"}),
     "update-rollout"),
    ("partition", lambda m: sts(m).update(updateStrategy={"type": "RollingUpdate",
                                                          "rollingUpdate": {"partition": 2}}), "update-strategy"),
    ("OnDelete", lambda m: sts(m).update(updateStrategy={"type": "OnDelete"}), "update-strategy"),
    ("retention", lambda m: sts(m).update(persistentVolumeClaimRetentionPolicy={"whenDeleted": "Delete"}),
     "update-retention"),
    ("minReadySeconds", lambda m: sts(m).update(minReadySeconds=10), "update-field"),
    ("revisionHistoryLimit", lambda m: sts(m).update(revisionHistoryLimit=3), "update-field"),
]


@pytest.mark.parametrize(("edit", "rule"), [(e, r) for _, e, r in MUTABLE], ids=[n for n, _, _ in MUTABLE])
def test_mutable_fields_are_allowed_and_explained(edit: Any, rule: str) -> None:
    result = run_diff(BASE, changed(BASE, edit))
    assert not errors(result), [f.message for f in errors(result)]
    assert rule in rules(result)
    item = next(d for d in result.objects if d.kind == "StatefulSet")
    assert item.status == "changed" and not item.rejected and item.lines


@pytest.mark.parametrize(("version", "forbidden"), [("1.30", True), ("1.32", True), ("1.33", False),
                                                    ("1.36", False), ("1.37", False)])
def test_revision_history_limit_is_mutable_from_1_33(version: str, forbidden: bool) -> None:
    result = run_diff(BASE, changed(BASE, lambda m: sts(m).update(revisionHistoryLimit=2)), version=version)
    assert ("update-forbidden-field" in rules(result)) is forbidden
    if forbidden:
        finding = only(result, "update-forbidden-field")
        assert finding.path == "spec.revisionHistoryLimit"
        assert "1.33" in finding.hint
        assert "'revisionHistoryLimit'" not in finding.message
    else:
        assert "update-field" in rules(result)


def test_mutable_field_list_per_version() -> None:
    assert "revisionHistoryLimit" not in mutable_fields("1.32")
    assert mutable_fields("1.33") == ("replicas", "ordinals", "template", "updateStrategy", "revisionHistoryLimit",
                                      "persistentVolumeClaimRetentionPolicy", "minReadySeconds")
    assert forbidden_message("1.31") == (
        "Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', "
        "'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden")


DEFAULTS: list[tuple[str, Any]] = [
    ("podManagementPolicy OrderedReady", lambda m: sts(m).update(podManagementPolicy="OrderedReady")),
    ("updateStrategy written out", lambda m: sts(m).update(
        updateStrategy={"type": "RollingUpdate", "rollingUpdate": {"partition": 0}})),
    ("updateStrategy type only", lambda m: sts(m).update(updateStrategy={"type": "RollingUpdate"})),
    ("retention written out", lambda m: sts(m).update(
        persistentVolumeClaimRetentionPolicy={"whenDeleted": "Retain", "whenScaled": "Retain"})),
    ("retention empty", lambda m: sts(m).update(persistentVolumeClaimRetentionPolicy={})),
    ("revisionHistoryLimit 10", lambda m: sts(m).update(revisionHistoryLimit=10)),
    ("minReadySeconds 0", lambda m: sts(m).update(minReadySeconds=0)),
    ("ordinals start 0", lambda m: sts(m).update(ordinals={"start": 0})),
    ("volumeMode Filesystem", lambda m: claim(m)["spec"].update(volumeMode="Filesystem")),
    ("1Gi as 1024Mi", lambda m: claim(m)["spec"]["resources"]["requests"].update(storage="1024Mi")),
    ("claim apiVersion and kind", lambda m: claim(m).update(apiVersion="v1", kind="PersistentVolumeClaim")),
    ("claim status", lambda m: claim(m).update(status={"phase": "Pending"})),
    ("claim creationTimestamp null", lambda m: claim(m)["metadata"].update(creationTimestamp=None)),
    ("claim empty labels", lambda m: claim(m)["metadata"].update(labels={})),
    ("imagePullPolicy default", lambda m: sts(m)["template"]["spec"]["containers"][0].update(
        imagePullPolicy="IfNotPresent")),
    ("restartPolicy default", lambda m: sts(m)["template"]["spec"].update(restartPolicy="Always")),
    ("port protocol default", lambda m: sts(m)["template"]["spec"]["containers"][0]["ports"][0].update(
        protocol="TCP")),
    ("terminationGracePeriodSeconds default", lambda m: sts(m)["template"]["spec"].update(
        terminationGracePeriodSeconds=30)),
    ("empty selector expressions", lambda m: sts(m)["selector"].update(matchExpressions=[])),
]


@pytest.mark.parametrize("edit", [e for _, e in DEFAULTS], ids=[n for n, _ in DEFAULTS])
@pytest.mark.parametrize("version", ["1.30", "1.37"])
def test_writing_a_default_is_not_a_change(edit: Any, version: str) -> None:
    result = run_diff(BASE, changed(BASE, edit), version=version)
    assert result.findings == []
    assert {d.status for d in result.objects} == {"unchanged"}


def test_replicas_default_is_one() -> None:
    old = changed(BASE, lambda m: sts(m).pop("replicas"))
    new = changed(BASE, lambda m: sts(m).update(replicas=1))
    assert run_diff(old, new).findings == []


def test_metadata_labels_change_is_allowed_without_effect() -> None:
    result = run_diff(BASE, changed(BASE, lambda m: m[1]["metadata"].update(labels={"team": "a"})))
    assert result.findings == []
    item = next(d for d in result.objects if d.kind == "StatefulSet")
    assert item.status == "changed" and not item.rejected
    assert item.lines == ["no pod or PVC is affected"]


def test_forbidden_and_allowed_together_reject_everything() -> None:
    def edit(m: Manifest) -> None:
        sts(m).update(replicas=5, serviceName="other")
        sts(m)["template"]["spec"]["containers"][0]["image"] = "nginx:1.27"

    result = run_diff(BASE, changed(BASE, edit))
    assert rules(result) == ["update-forbidden-field"]
    item = next(d for d in result.objects if d.kind == "StatefulSet")
    assert item.rejected and "whole update is rejected" in item.lines[0]
    assert any("spec.replicas: 3 -> 5" in c for c in item.changes)


def test_forbidden_finding_points_at_the_new_value() -> None:
    new = changed(BASE, lambda m: claim(m)["spec"]["resources"]["requests"].update(storage="2Gi"))
    text = dump(new)
    finding = only(run_diff(BASE, text), "update-forbidden-field")
    line = text.splitlines()[finding.location.line - 1]
    assert line[finding.location.column - 1:].startswith("2Gi")
    assert finding.related and finding.related[0].location.file == "old.yaml"
    assert finding.extra["field"] == "spec.volumeClaimTemplates[0].spec.resources.requests.storage"


def test_claim_template_reordered_is_forbidden() -> None:
    logs = {"metadata": {"name": "logs"}, "spec": {"accessModes": ["ReadWriteOnce"],
                                                   "resources": {"requests": {"storage": "1Gi"}}}}
    old = changed(BASE, lambda m: sts(m)["volumeClaimTemplates"].append(logs))
    new = changed(old, lambda m: sts(m)["volumeClaimTemplates"].reverse())
    result = run_diff(old, new)
    paths = {f.path for f in errors(result)}
    assert paths == {"spec.volumeClaimTemplates[0]", "spec.volumeClaimTemplates[1]"}
