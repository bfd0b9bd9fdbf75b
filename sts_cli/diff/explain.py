"""What an accepted StatefulSet change does to pods and PVCs, in words (and info/warning findings).

Rollout, scale and PVC fate come from `sts_cli.ordering`. Two things it does not cover are
worked out here: a change of `ordinals.start` (which renames pods, so old and new ranges differ)
and the revision new pods are created from during a combined scale + template change.
"""

from __future__ import annotations

from dataclasses import replace

from sts_cli import ordering
from sts_cli.diff.compare import Change
from sts_cli.diff.emit import Emitter
from sts_cli.model import StatefulSetView

MAX_LISTED_PODS = 10_000


def _huge(view: StatefulSetView) -> bool:
    return view.replicas > MAX_LISTED_PODS


def name_list(names: list[str], limit: int = 8) -> str:
    """`a, b, c`; long lists shortened to `a, b, c, …, y, z (26)`."""
    if len(names) <= limit:
        return ", ".join(names)
    return f"{', '.join(names[:3])}, …, {', '.join(names[-2:])} ({len(names)})"


def waves_text(waves: list[list[str]], parallel_word: str = "at once") -> str:
    """`web-2, then web-1, then web-0`, or `web-0, web-1 and web-2 at once`, or grouped waves."""
    waves = [w for w in waves if w]
    if not waves:
        return ""
    if len(waves) == 1 and len(waves[0]) > 1:
        return f"{name_list(waves[0])} {parallel_word}"
    if all(len(w) == 1 for w in waves):
        flat = [w[0] for w in waves]
        if len(flat) > 8:
            return f"{flat[0]}, then {flat[1]}, … one at a time down to {flat[-1]} ({len(flat)} pods)"
        return ", then ".join(flat)
    return ", then ".join("[" + ", ".join(w) + "]" for w in waves)


def _pace_up(view: StatefulSetView) -> str:
    if ordering.is_parallel(view):
        return "all at once (podManagementPolicy: Parallel)"
    ready = "Running and Ready" + (f" for {view.min_ready_seconds}s (minReadySeconds)"
                                   if view.min_ready_seconds > 0 else "")
    return f"one at a time, each after the previous one is {ready}"


def _pace_down(view: StatefulSetView) -> str:
    if ordering.is_parallel(view):
        return "all at once (podManagementPolicy: Parallel)"
    return "highest ordinal first, one at a time, each after the previous one has fully terminated"


def _claims(view: StatefulSetView, pods: list[str]) -> list[str]:
    return [c for pod in pods for c in ordering.claim_names(view, ordering.ordinal_of(view, pod))]


def _revision_for_new_pod(view: StatefulSetView, pod: str) -> str:
    """Which template a pod created now gets: partition holds low ordinals at the old revision."""
    if view.update_strategy == ordering.ON_DELETE:
        return "new"
    ordinal = ordering.ordinal_of(view, pod)
    return "new" if ordinal - view.ordinals_start >= max(view.partition, 0) else "old"


def template_lines(changes: list[Change], limit: int = 8) -> list[str]:
    lines = [c.describe() for c in changes[:limit]]
    if len(changes) > limit:
        lines.append(f"… and {len(changes) - limit} more template change(s)")
    return lines


def explain_rollout(emitter: Emitter, old: StatefulSetView, new: StatefulSetView, version: str,
                    changes: list[Change]) -> list[str]:
    """Template changed: which existing pods are re-created, in which order, which stay behind."""
    plan = ordering.update_plan(new, version)
    existing = set(ordering.pod_names(old))
    what = changes[0].describe() if len(changes) == 1 else f"{len(changes)} template fields change"
    lines: list[str] = []
    extra: dict[str, str] = {"strategy": plan.strategy}
    path = ("spec", "template")
    if plan.on_delete:
        kept = [p for p in plan.kept if p in existing]
        text = (f"pod template changes ({what}); updateStrategy OnDelete: no pod is re-created by the "
                f"controller")
        if kept:
            text += f"; {name_list(kept)} keep the old template until each one is deleted"
        lines.append("rollout: OnDelete — no pod is replaced by the controller; each existing pod takes the new "
                     "template only when it is deleted" + (f" ({name_list(kept)})" if kept else ""))
        extra["kept"] = ",".join(kept)
        emitter.emit("update-rollout", new.obj, text, path, extra=extra, at_value=False)
        return lines
    waves = [[p for p in wave if p in existing] for wave in plan.waves]
    waves = [w for w in waves if w]
    replaced = [p for w in waves for p in w]
    kept = [p for p in plan.kept if p in existing]
    if replaced:
        pace = ("one at a time" if all(len(w) == 1 for w in waves)
                else f"up to {plan.max_unavailable} at a time (maxUnavailable)")
        ready = "Running and Ready" + (f" for {new.min_ready_seconds}s" if new.min_ready_seconds > 0 else "")
        order = waves_text(waves)
        text = (f"pod template changes ({what}): {name_list(replaced)} will be deleted and re-created "
                f"from the new template, highest ordinal first, {pace}, each wave after the previous pods "
                f"are {ready}: {order}")
        lines.append(f"rollout (RollingUpdate): re-create {order}; {pace}, waiting for {ready}")
    else:
        text = f"pod template changes ({what}), but no existing pod is re-created"
        lines.append("rollout (RollingUpdate): no existing pod is re-created")
    if kept:
        reason = f"partition {plan.partition}"
        verb = "stays" if len(kept) == 1 else "stay"
        text += f"; {name_list(kept)} {verb} at the old revision ({reason}), even if deleted"
        lines.append(f"stay at the old revision ({reason}): {name_list(kept)}")
    if plan.partition > 0 and plan.partition >= len(ordering.pod_names(new)):
        lines.append(f"partition {plan.partition} >= replicas: no pod takes the new template")
    for note in plan.notes:
        if note.startswith("maxUnavailable"):
            lines.append(note)
    extra.update({"replaced": ",".join(replaced), "kept": ",".join(kept),
                  "waves": ";".join(",".join(w) for w in waves)})
    emitter.emit("update-rollout", new.obj, text, path, extra=extra, at_value=False)
    return lines


def explain_scale(emitter: Emitter, old: StatefulSetView, new: StatefulSetView,
                  template_changed: bool = False) -> list[str]:
    """replicas and/or ordinals.start changed: pods and PVCs that appear or go, in order."""
    lines: list[str] = []
    start_changed = old.ordinals_start != new.ordinals_start
    old_pods = ordering.pod_names(old)
    new_pods = ordering.pod_names(new)
    if not start_changed:
        change = ordering.scale_change(replace(new, replicas=max(old.replicas, 0)), new.replicas)
        added, add_waves = change.pods_added, change.add_waves
        removed, remove_waves = change.pods_removed, change.remove_waves
        claims_added, claims_deleted, claims_kept = (change.claims_added, change.claims_deleted,
                                                     change.claims_retained)
    else:
        added = [p for p in new_pods if p not in old_pods]
        removed = [p for p in reversed(old_pods) if p not in new_pods]
        parallel = ordering.is_parallel(new)
        add_waves = [added] if parallel and added else [[p] for p in added]
        remove_waves = [removed] if parallel and removed else [[p] for p in removed]
        claims_added = _claims(new, added)
        removed_claims = [c for p in sorted(removed, key=lambda n: ordering.ordinal_of(old, n))
                          for c in ordering.claim_names(new, ordering.ordinal_of(old, p))]
        _, when_scaled = ordering.retention_policy(new)
        claims_deleted = removed_claims if when_scaled == ordering.DELETE else []
        claims_kept = [] if when_scaled == ordering.DELETE else removed_claims
    _, when_scaled = ordering.retention_policy(new)
    parts: list[str] = []
    if added:
        revision = ""
        if template_changed:
            below = [p for p in added if _revision_for_new_pod(new, p) == "old"]
            revision = (", from the new template" if not below else
                        f", from the new template except {name_list(below)} (below the partition: old template)")
        lines.append(f"create: {waves_text(add_waves)} ({_pace_up(new)}{revision})")
        parts.append(f"creates {waves_text(add_waves)}")
    if removed:
        lines.append(f"delete: {waves_text(remove_waves)} ({_pace_down(new)})")
        parts.append(f"deletes {waves_text(remove_waves)}")
    if claims_added:
        lines.append(f"PVCs created before their pods (or re-used if kept from an earlier scale-down): "
                     f"{name_list(claims_added)}")
    if claims_kept:
        lines.append(f"PVCs kept (whenScaled: Retain), re-used if these ordinals come back: {name_list(claims_kept)}")
    if claims_deleted:
        lines.append(f"PVCs deleted with their pods (whenScaled: Delete): {name_list(claims_deleted)}")
    if start_changed:
        path: tuple[str, ...] = ("spec", "ordinals", "start")
        text = (f"ordinals.start {old.ordinals_start} -> {new.ordinals_start} renames pods: "
                + "; ".join(parts))
        if claims_added:
            text += f"; new pods get new PVCs ({name_list(claims_added)}), the data of the old ones is not moved"
        emitter.emit("update-ordinals", new.obj, text, path, extra={
            "created": ",".join(added), "deleted": ",".join(removed)},
            hint="clients that address pods by name (DNS, config) must follow the new names")
    if old.replicas != new.replicas:
        text = f"replicas {old.replicas} -> {new.replicas}: " + "; ".join(parts) if parts else \
            f"replicas {old.replicas} -> {new.replicas}"
        if added and not start_changed:
            text += f" ({_pace_up(new)})"
            if claims_added:
                text += f"; PVCs {name_list(claims_added)}"
        if removed and not start_changed:
            text += f" ({_pace_down(new)})"
            if claims_kept:
                text += f"; PVCs {name_list(claims_kept)} are kept (whenScaled: Retain)"
        emitter.emit("update-scale", new.obj, text, ("spec", "replicas"), extra={
            "created": ",".join(added), "deleted": ",".join(removed),
            "claims_created": ",".join(claims_added), "claims_kept": ",".join(claims_kept)})
    if claims_deleted:
        emitter.emit("update-pvc-deleted", new.obj,
                     f"PVCs {name_list(claims_deleted)} and their data are deleted with their pods "
                     f"(persistentVolumeClaimRetentionPolicy.whenScaled: {when_scaled})",
                     ("spec", "persistentVolumeClaimRetentionPolicy", "whenScaled")
                     if new.obj.get(("spec", "persistentVolumeClaimRetentionPolicy", "whenScaled")) is not None
                     else ("spec", "replicas"),
                     hint="back up the data first, or use whenScaled: Retain to keep the PVCs",
                     extra={"claims_deleted": ",".join(claims_deleted)})
    return lines


def _strategy_text(view: StatefulSetView, version: str) -> str:
    if view.update_strategy == ordering.ON_DELETE:
        return "OnDelete"
    parts = [f"RollingUpdate, partition {max(view.partition, 0)}"]
    if view.max_unavailable is not None:
        gate = ordering.max_unavailable_enabled(version)
        parts.append(f"maxUnavailable {view.max_unavailable}" + ("" if gate else " (ignored: gate off)"))
    return ", ".join(parts)


def explain_strategy(emitter: Emitter, old: StatefulSetView, new: StatefulSetView, version: str,
                     template_changed: bool) -> list[str]:
    before, after = _strategy_text(old, version), _strategy_text(new, version)
    plan = ordering.update_plan(new, version)
    text = f"updateStrategy {before} -> {after}"
    lines = [f"updateStrategy: {before} -> {after}"]
    if not template_changed:
        if plan.on_delete:
            effect = "from now on a template change replaces no pod; each pod takes it when deleted"
        else:
            effect = (f"pods updated by a template change: {name_list(plan.updated) or 'none'}"
                      + (f"; kept at the old revision: {name_list(plan.kept)}" if plan.kept else ""))
            if (old.update_strategy == ordering.ROLLING_UPDATE and new.partition < old.partition) or \
                    old.update_strategy == ordering.ON_DELETE:
                held = [p for p in plan.updated if p not in ordering.update_plan(old, version).updated]
                if held:
                    effect += (f"; {name_list(held)}, held back until now, are re-created now if they run an "
                               "older revision")
        text += f": {effect}"
        lines.append(effect)
    emitter.emit("update-strategy", new.obj, text, ("spec", "updateStrategy"), at_value=False)
    return lines


def explain_retention(emitter: Emitter, old: StatefulSetView, new: StatefulSetView) -> list[str]:
    old_deleted, old_scaled = ordering.retention_policy(old)
    new_deleted, new_scaled = ordering.retention_policy(new)
    claims = [f.claim for f in ordering.pvc_fate(new)]
    effects: list[str] = []
    if old_deleted != new_deleted:
        if new_deleted == ordering.DELETE:
            effects.append("whenDeleted Retain -> Delete: the StatefulSet becomes the owner of its PVCs"
                           + (f" ({name_list(claims)})" if claims else "")
                           + "; deleting the StatefulSet deletes them")
        else:
            effects.append("whenDeleted Delete -> Retain: PVCs survive the deletion of the StatefulSet")
    if old_scaled != new_scaled:
        if new_scaled == ordering.DELETE:
            effects.append("whenScaled Retain -> Delete: PVCs of pods removed by a scale-down are deleted "
                           "with their pod")
        else:
            effects.append("whenScaled Delete -> Retain: PVCs of pods removed by a scale-down are kept")
    if not effects:
        return []
    emitter.emit("update-retention", new.obj, "; ".join(effects),
                 ("spec", "persistentVolumeClaimRetentionPolicy"), at_value=False)
    return [f"PVC retention: {e}" for e in effects]


def explain_field(emitter: Emitter, new: StatefulSetView, change: Change) -> list[str]:
    field = str(change.path[1]) if len(change.path) > 1 else str(change.path[0])
    effect = {
        "minReadySeconds": "a new or re-created pod counts as available only after being Ready this long; "
                           "no pod is re-created",
        "revisionHistoryLimit": "how many old ControllerRevisions are kept for rollback; no pod is re-created",
    }.get(field, "no pod is re-created")
    emitter.emit("update-field", new.obj, f"{change.describe()}: {effect}", change.path)
    return [f"{change.describe()} ({effect})"]


def explain_created(emitter: Emitter, view: StatefulSetView) -> list[str]:
    if _huge(view):
        emitter.emit("update-added", view.obj, f"new StatefulSet with {view.replicas} pods (not listed one by one)",
                     ("metadata", "name"))
        return [f"create: {view.replicas} pods (not listed one by one)"]
    waves = ordering.creation_order(view)
    claims = [f.claim for f in ordering.pvc_fate(view)]
    lines = [f"create: {waves_text(waves) or 'no pod (replicas 0)'}"
             + (f" ({_pace_up(view)})" if len(ordering.pod_names(view)) > 1 else "")]
    if claims:
        lines.append(f"PVCs created before their pods (or re-used if they already exist): {name_list(claims)}")
    text = f"new StatefulSet: creates {waves_text(waves) or 'no pod'}"
    if claims:
        text += f" with PVCs {name_list(claims)}"
    emitter.emit("update-added", view.obj, text, ("metadata", "name"),
                 extra={"created": ",".join(ordering.pod_names(view)), "claims_created": ",".join(claims)})
    return lines


def explain_deleted(emitter: Emitter, view: StatefulSetView, renamed_to: str | None = None) -> list[str]:
    """The pods and PVCs a removed StatefulSet takes with it or leaves behind."""
    if _huge(view):
        if renamed_to is None:
            emitter.emit("update-removed", view.obj, f"StatefulSet removed: its {view.replicas} pods are deleted",
                         ("metadata", "name"))
        return [f"delete: {view.replicas} pods (not listed one by one)"]
    pods = ordering.pod_names(view)
    claims = [f.claim for f in ordering.pvc_fate(view)]
    when_deleted, _ = ordering.retention_policy(view)
    lines = [f"delete: {name_list(pods) or 'no pod'} (in no particular order; scale to 0 first for an "
             "ordered shutdown)"]
    if claims:
        if when_deleted == ordering.DELETE:
            lines.append(f"PVCs deleted with the StatefulSet (whenDeleted: Delete): {name_list(claims)}")
        else:
            lines.append(f"PVCs left behind (whenDeleted: Retain): {name_list(claims)}")
    if renamed_to is None:
        text = f"StatefulSet removed: pods {name_list(pods) or '(none)'} are deleted in no particular order"
        if claims:
            text += (f"; PVCs {name_list(claims)} are " +
                     ("deleted (whenDeleted: Delete)" if when_deleted == ordering.DELETE
                      else "left behind (whenDeleted: Retain)"))
        emitter.emit("update-removed", view.obj, text, ("metadata", "name"),
                     hint="scale to 0 first for an ordered shutdown",
                     extra={"deleted": ",".join(pods), "claims": ",".join(claims)})
    if claims and when_deleted == ordering.DELETE:
        emitter.emit("update-pvc-deleted", view.obj,
                     f"PVCs {name_list(claims)} and their data are deleted with the StatefulSet "
                     "(persistentVolumeClaimRetentionPolicy.whenDeleted: Delete)",
                     ("spec", "persistentVolumeClaimRetentionPolicy", "whenDeleted"),
                     hint="back up the data first, or set whenDeleted: Retain before deleting",
                     extra={"claims_deleted": ",".join(claims)})
    return lines


def explain_renamed(emitter: Emitter, old: StatefulSetView, new: StatefulSetView) -> list[str]:
    """A StatefulSet under a new name: a delete plus a create, with the PVCs left behind."""
    if _huge(old) or _huge(new):
        emitter.emit("update-rename", new.obj, f"StatefulSet {old.namespace}/{old.name} is renamed to "
                     f"{new.namespace}/{new.name}: that is a delete plus a create; its PVCs are left behind",
                     ("metadata", "name"))
        return [f"renamed from {old.namespace}/{old.name}: a delete plus a create (pods not listed one by one)"]
    old_claims = [f.claim for f in ordering.pvc_fate(old)]
    new_claims = [f.claim for f in ordering.pvc_fate(new)]
    when_deleted, _ = ordering.retention_policy(old)
    where_old = f"{old.namespace}/{old.name}"
    where_new = f"{new.namespace}/{new.name}"
    text = (f"StatefulSet {where_old} is renamed to {where_new}: that is a delete plus a create; "
            f"pods {name_list(ordering.pod_names(old)) or '(none)'} are deleted and "
            f"{name_list(ordering.pod_names(new)) or '(none)'} created")
    if new_claims:
        text += f" with new, empty PVCs {name_list(new_claims)}"
    if old_claims:
        text += ("; the old PVCs " + name_list(old_claims) +
                 (" are deleted (whenDeleted: Delete)" if when_deleted == ordering.DELETE
                  else " are left behind (whenDeleted: Retain) and not used by the new pods"))
    emitter.emit("update-rename", new.obj, text, ("metadata", "name"),
                 hint="to keep the data, keep the old name; a StatefulSet cannot be renamed in place",
                 related=[(old.obj, ("metadata", "name"), f"old name {old.name}")],
                 extra={"renamed_from": where_old, "left_behind": ",".join(old_claims)})
    lines = [f"renamed from {where_old}: a delete plus a create"]
    lines.extend(explain_deleted(emitter, old, renamed_to=where_new))
    waves = ordering.creation_order(new)
    lines.append(f"create: {waves_text(waves) or 'no pod'}"
                 + (f" ({_pace_up(new)})" if len(ordering.pod_names(new)) > 1 else ""))
    if new_claims:
        lines.append(f"new, empty PVCs: {name_list(new_claims)}")
    return lines
