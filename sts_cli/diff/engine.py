"""Match the objects of OLD and NEW, compare them, and build findings plus a ValidationResult.

Objects are matched by kind, namespace and name (identity: a new name is a new object).
The result is an `engine.ValidationResult`, so every reporter of `sts validate` prints it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sts_cli.diff import explain, services
from sts_cli.diff.compare import Change, forbidden_message, format_path, metadata_changes, spec_diff
from sts_cli.diff.emit import Emitter
from sts_cli.diff.explain import MAX_LISTED_PODS
from sts_cli.documents import LoadedSource, ManifestObject
from sts_cli.engine import CheckedObject, Summary, ValidationResult, apply_settings
from sts_cli.findings import Finding, Severity
from sts_cli.kinds import Kind, classify
from sts_cli.model import ServiceView, StatefulSetView, service_view, statefulset_view
from sts_cli.sources import SourceSkip

Key = tuple[str, str, str]  # kind, namespace, name


@dataclass(frozen=True, slots=True)
class DiffOptions:
    kubernetes_version: str
    namespace: str = "default"
    cluster_domain: str = "cluster.local"
    disable: frozenset[str] = frozenset()
    severity_overrides: tuple[tuple[str, Severity], ...] = ()


@dataclass(slots=True)
class Side:
    """One side of the comparison: what was read, and the StatefulSets and Services in it."""

    label: str
    loaded: list[LoadedSource]
    skipped: list[SourceSkip] = field(default_factory=list)
    objects: dict[Key, ManifestObject] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)


@dataclass(slots=True)
class ObjectDiff:
    """One object's fate: changed (accepted or rejected), unchanged, added, removed or renamed."""

    kind: str
    namespace: str
    name: str
    status: str
    old: ManifestObject | None = None
    new: ManifestObject | None = None
    rejected: bool = False
    changes: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    renamed_from: str | None = None

    @property
    def title(self) -> str:
        return f"{self.kind} {self.namespace}/{self.name}"

    @property
    def obj(self) -> ManifestObject:
        target = self.new if self.new is not None else self.old
        assert target is not None
        return target


@dataclass(slots=True)
class DiffResult:
    objects: list[ObjectDiff]
    result: ValidationResult
    old: Side
    new: Side

    @property
    def findings(self) -> list[Finding]:
        return self.result.findings


def collect(side: Side, namespace: str) -> None:
    """Index StatefulSets and Services by identity; later duplicates win, with a warning."""
    emitter = Emitter(namespace)
    for source in side.loaded:
        side.findings.extend(source.findings)
        for obj in source.objects:
            kind, problems = classify(obj, namespace)
            side.findings.extend(problems)
            if kind is None:
                continue
            key = (kind.value, obj.namespace or namespace, obj.name)
            earlier = side.objects.get(key)
            if earlier is not None:
                emitter.emit("update-duplicate-object", obj,
                             f"{kind.value} {key[1]}/{key[2]} appears twice in {side.label}; the last one is compared",
                             ("metadata", "name"), related=[(earlier, ("metadata", "name"), "first one")])
            side.objects[key] = obj
    side.findings.extend(emitter.findings)


def _views(side: Side, namespace: str) -> tuple[dict[Key, StatefulSetView], dict[tuple[str, str], ServiceView]]:
    sets = {k: statefulset_view(o, namespace) for k, o in side.objects.items() if k[0] == Kind.STATEFULSET.value}
    svcs = {(k[1], k[2]): service_view(o, namespace) for k, o in side.objects.items() if k[0] == Kind.SERVICE.value}
    return sets, svcs


def _forbidden_hint(field_name: str, view: StatefulSetView, changes: list[Change], version: str) -> str:
    orphan = (f"delete the StatefulSet without its pods (`kubectl delete statefulset {view.name} -n {view.namespace} "
              "--cascade=orphan`), then apply the new manifest to re-create it; it adopts the running pods")
    if field_name == "volumeClaimTemplates":
        sized = any("storage" in c.path for c in changes)
        claim = next((t.name for t in view.claim_templates), "data")
        first = f"{claim}-{view.name}-{view.ordinals_start}"
        text = orphan
        if sized:
            text = (f"resize each existing PVC ({first}, ...) one by one, which works only if its StorageClass has "
                    f"allowVolumeExpansion: true; then {orphan} (the template only shapes future PVCs)")
        return text
    if field_name == "selector":
        return orphan + "; pods the new selector does not match are left orphaned"
    if field_name == "revisionHistoryLimit":
        return f"revisionHistoryLimit can change from Kubernetes 1.33 on (checked for {version}); or {orphan}"
    return orphan


def _compare_statefulset(emitter: Emitter, diff: ObjectDiff, old: StatefulSetView, new: StatefulSetView,
                         version: str) -> None:
    assert diff.old is not None and diff.new is not None
    spec = spec_diff(diff.old.data, diff.new.data, version)
    meta = metadata_changes(diff.old.data, diff.new.data)
    if not spec.changed and not meta:
        diff.status = "unchanged"
        return
    forbidden = spec.forbidden
    diff.rejected = bool(forbidden)
    reason = forbidden_message(version)
    for field_name, changes in forbidden.items():
        shown = changes[:10]
        for change in shown:
            diff.changes.append(f"{change.describe()}  [immutable]")
            emitter.emit("update-forbidden-field", diff.new,
                         f"{format_path(change.path)} cannot change on an existing StatefulSet "
                         f"({_what(change)}); the API server rejects the update: {reason}",
                         change.path, hint=_forbidden_hint(field_name, new, changes, version),
                         related=[(diff.old, change.path, "value in OLD")],
                         extra={"field": format_path(change.path), "kubernetes_version": version})
        if len(changes) > len(shown):
            more = len(changes) - len(shown)
            diff.changes.append(f"… and {more} more change(s) under spec.{field_name}  [immutable]")
    allowed = spec.allowed
    for changes in allowed.values():
        diff.changes.extend(c.describe() for c in changes[:12])
    diff.changes.extend(f"{c.describe()}  (metadata only)" for c in meta[:8])
    if diff.rejected:
        diff.lines.append("nothing changes in the cluster: the whole update is rejected "
                          f"({', '.join('spec.' + f for f in forbidden)} cannot change)")
        return
    template = allowed.get("template", [])
    if max(old.replicas, new.replicas) > MAX_LISTED_PODS:
        _explain_briefly(emitter, diff, new, allowed)
        return
    if "replicas" in allowed or "ordinals" in allowed:
        diff.lines.extend(explain.explain_scale(emitter, old, new, template_changed=bool(template)))
    if template:
        diff.lines.extend(explain.explain_rollout(emitter, old, new, version, template))
    if "updateStrategy" in allowed:
        diff.lines.extend(explain.explain_strategy(emitter, old, new, version, bool(template)))
    if "persistentVolumeClaimRetentionPolicy" in allowed:
        diff.lines.extend(explain.explain_retention(emitter, old, new))
    for field_name in ("minReadySeconds", "revisionHistoryLimit"):
        for change in allowed.get(field_name, []):
            diff.lines.extend(explain.explain_field(emitter, new, change))
    if not diff.lines:
        diff.lines.append("no pod or PVC is affected")


BRIEF_RULES = {"template": "update-rollout", "replicas": "update-scale", "ordinals": "update-ordinals",
               "updateStrategy": "update-strategy", "persistentVolumeClaimRetentionPolicy": "update-retention"}


def _explain_briefly(emitter: Emitter, diff: ObjectDiff, new: StatefulSetView,
                     allowed: dict[str, list[Change]]) -> None:
    """Too many pods to name one by one: say what changes, without listing pods."""
    note = f"more than {MAX_LISTED_PODS} pods: not listed one by one"
    for field_name, changes in allowed.items():
        text = "; ".join(c.describe() for c in changes[:3]) + (" …" if len(changes) > 3 else "")
        emitter.emit(BRIEF_RULES.get(field_name, "update-field"), new.obj, f"{text} ({note})", changes[0].path,
                     at_value=False)
    diff.lines.append(f"accepted; {note}")


def _what(change: Change) -> str:
    from sts_cli.diff.normalize import display

    if change.added:
        return f"added {display(change.new)}"
    if change.removed:
        return f"removed {display(change.old)}"
    return f"{display(change.old)} -> {display(change.new)}"


def _same_set(old: StatefulSetView, new: StatefulSetView) -> bool:
    """A removed and an added StatefulSet that look like one renamed (or moved) object."""
    if old.name == new.name:
        return True  # moved to another namespace
    if old.namespace != new.namespace:
        return False
    if old.selector_present and new.selector_present and old.selector == new.selector and not old.selector.empty:
        return True
    return bool(old.template_labels) and old.template_labels == new.template_labels \
        and old.service_name == new.service_name


def compare(old: Side, new: Side, options: DiffOptions) -> DiffResult:
    ns = options.namespace
    version = options.kubernetes_version
    collect(old, ns)
    collect(new, ns)
    old_sets, old_svcs = _views(old, ns)
    new_sets, new_svcs = _views(new, ns)
    diffs: list[ObjectDiff] = []
    renamed_old: dict[Key, Key] = {}
    added_sets = [k for k in new_sets if k not in old_sets]
    removed_sets = [k for k in old_sets if k not in new_sets]
    for added in added_sets:
        for removed in removed_sets:
            if removed not in renamed_old.values() and _same_set(old_sets[removed], new_sets[added]):
                renamed_old[added] = removed
                break
    keys = list(new.objects) + [k for k in old.objects if k not in new.objects]
    for key in keys:
        kind, namespace, name = key
        old_obj, new_obj = old.objects.get(key), new.objects.get(key)
        emitter = Emitter(ns)
        diff = ObjectDiff(kind, namespace, name, "changed", old_obj, new_obj)
        if kind == Kind.STATEFULSET.value:
            if old_obj is not None and new_obj is not None:
                _compare_statefulset(emitter, diff, old_sets[key], new_sets[key], version)
                services.check_pairings(emitter, old_sets[key], new_sets[key], old_svcs, new_svcs)
            elif new_obj is not None and key in renamed_old:
                source = renamed_old[key]
                diff.status = "renamed"
                diff.renamed_from = f"{source[1]}/{source[2]}"
                diff.old = old.objects[source]
                diff.lines.extend(explain.explain_renamed(emitter, old_sets[source], new_sets[key]))
            elif new_obj is not None:
                diff.status = "added"
                diff.lines.extend(explain.explain_created(emitter, new_sets[key]))
            else:
                if key in renamed_old.values():
                    continue  # shown with its new name
                diff.status = "removed"
                diff.lines.extend(explain.explain_deleted(emitter, old_sets[key]))
        else:
            skey = (namespace, name)
            if old_obj is not None and new_obj is not None:
                changes = services.service_changes(old_svcs[skey], new_svcs[skey])
                if not changes:
                    diff.status = "unchanged"
                else:
                    diff.changes.extend(c.describe() for c in changes[:12])
                    diff.lines.extend(services.check_srv(emitter, old_svcs[skey], new_svcs[skey],
                                                         options.cluster_domain))
                    if not diff.lines:
                        diff.lines.append("no effect on per-pod DNS names")
            elif new_obj is not None:
                diff.status = "added"
                diff.lines.append("new Service")
            else:
                diff.status = "removed"
                diff.lines.append("Service removed")
        diff.findings = emitter.findings
        diffs.append(diff)
    # Pairing breaks are reported on the Service when it is the Service that changed: move them.
    by_key = {d.obj.key: d for d in diffs}
    for diff in diffs:
        moved = [f for f in diff.findings if f.object_key != diff.obj.key and f.object_key in by_key]
        for finding in moved:
            diff.findings.remove(finding)
            by_key[finding.object_key].findings.append(finding)
    return DiffResult(diffs, _result(old, new, diffs, options), old, new)


def _result(old: Side, new: Side, diffs: list[ObjectDiff], options: DiffOptions) -> ValidationResult:
    from sts_cli.suppress import apply_suppressions

    # Problems reading OLD make the comparison partial but are not this change's fault: warnings.
    old_problems = [f.with_severity(Severity.WARNING) if f.severity is Severity.ERROR else f for f in old.findings]
    findings: list[Finding] = [*new.findings, *old_problems]
    for diff in diffs:
        findings.extend(diff.findings)
    new_sets = [statefulset_view(o, options.namespace) for k, o in new.objects.items()
                if k[0] == Kind.STATEFULSET.value]
    new_svcs = [service_view(o, options.namespace) for k, o in new.objects.items() if k[0] == Kind.SERVICE.value]
    findings = apply_suppressions(findings, new_sets, new_svcs, options.namespace)
    findings = apply_settings(findings, options.disable, options.severity_overrides)
    order = {s.origin: i for i, s in enumerate([*new.loaded, *old.loaded])}
    findings.sort(key=lambda f: (order.get(f.location.file, len(order)), *f.sort_key()))
    kept = set(map(id, findings))
    for diff in diffs:
        diff.findings = [f for f in diff.findings if id(f) in kept]
    summary = Summary(files=len(old.loaded) + len(new.loaded),
                      unreadable=sum(1 for s in [*old.loaded, *new.loaded] if s.unreadable))
    summary.documents = sum(s.documents for s in [*old.loaded, *new.loaded])
    summary.objects = Counter(d.kind for d in diffs)
    checked: list[CheckedObject] = []
    for diff in diffs:
        obj = diff.obj
        item = CheckedObject(obj.origin, obj.document, diff.name, diff.kind, obj.location(), obj.key,
                             list(diff.findings))
        checked.append(item)
    by_key = {c.key: c for c in checked}
    for finding in findings:
        summary.findings[finding.severity] += 1
        target = by_key.get(finding.object_key)
        if target is not None and finding not in target.findings:
            target.findings.append(finding)
    summary.invalid = sum(1 for d in diffs if d.rejected)
    files = [s.origin for s in [*new.loaded, *old.loaded]]
    return ValidationResult(findings, summary, files, checked, new_sets, new_svcs, [*new.skipped, *old.skipped])
