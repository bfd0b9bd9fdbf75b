"""Field-by-field comparison of two StatefulSets, and which spec fields may change per version.

Ground truth: `ValidateStatefulSetUpdate` copies the mutable fields from the old object into the
new one and requires the rest of the spec to be semantically equal. Mutable fields:

| version      | mutable spec fields                                                             |
|--------------|---------------------------------------------------------------------------------|
| 1.30 - 1.32  | replicas, ordinals, template, updateStrategy, persistentVolumeClaimRetentionPolicy, minReadySeconds |
| 1.33 and on  | the same plus revisionHistoryLimit                                              |

Everything else in the spec (selector, serviceName, podManagementPolicy, volumeClaimTemplates)
is immutable. `metadata.name` and `metadata.namespace` identify the object: a different value is
a different object.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sts_cli.diff import normalize as norm
from sts_cli.diff.normalize import MISSING
from sts_cli.schemas import version_tuple

Path = tuple[str | int, ...]

ALWAYS_MUTABLE = ("replicas", "ordinals", "template", "updateStrategy", "persistentVolumeClaimRetentionPolicy",
                  "minReadySeconds")
REVISION_HISTORY_MUTABLE_SINCE = "1.33"
IMMUTABLE = ("selector", "serviceName", "podManagementPolicy", "volumeClaimTemplates")
SPEC_FIELDS = ("replicas", "selector", "template", "serviceName", "volumeClaimTemplates", "updateStrategy",
               "podManagementPolicy", "revisionHistoryLimit", "minReadySeconds",
               "persistentVolumeClaimRetentionPolicy", "ordinals")


def mutable_fields(version: str) -> tuple[str, ...]:
    """The spec fields the API server lets change, in the order of its error message."""
    if version_tuple(version) >= version_tuple(REVISION_HISTORY_MUTABLE_SINCE):
        return ("replicas", "ordinals", "template", "updateStrategy", "revisionHistoryLimit",
                "persistentVolumeClaimRetentionPolicy", "minReadySeconds")
    return ("replicas", "ordinals", "template", "updateStrategy", "persistentVolumeClaimRetentionPolicy",
            "minReadySeconds")


def forbidden_message(version: str) -> str:
    """The API server's rejection text for this version."""
    fields = [f"'{f}'" for f in mutable_fields(version)]
    return (f"Forbidden: updates to statefulset spec for fields other than {', '.join(fields[:-1])} and "
            f"{fields[-1]} are forbidden")


@dataclass(frozen=True, slots=True)
class Change:
    """One changed leaf (or subtree added/removed), with a path into the object."""

    path: Path
    old: Any
    new: Any

    @property
    def added(self) -> bool:
        return self.old is MISSING

    @property
    def removed(self) -> bool:
        return self.new is MISSING

    def describe(self) -> str:
        if self.added:
            return f"{format_path(self.path)}: added {norm.display(self.new)}"
        if self.removed:
            return f"{format_path(self.path)}: removed (was {norm.display(self.old)})"
        return f"{format_path(self.path)}: {norm.display(self.old)} -> {norm.display(self.new)}"


def format_path(path: Path) -> str:
    from sts_cli.findings import format_path as fmt

    return fmt(path)


def _scalar_list(value: list[Any]) -> bool:
    return all(not isinstance(v, (dict, list)) for v in value)


def leaf_changes(old: Any, new: Any, path: Path = ()) -> list[Change]:
    """Differences between two normalized values, as deep as the structures agree."""
    if isinstance(old, dict) and isinstance(new, dict):
        changes: list[Change] = []
        keys = list(new) + [k for k in old if k not in new]
        for key in keys:
            changes.extend(leaf_changes(old.get(key, MISSING), new.get(key, MISSING), (*path, key)))
        return changes
    if (isinstance(old, list) and isinstance(new, list) and len(old) == len(new)
            and not (_scalar_list(old) and _scalar_list(new))):
        changes = []
        for index, (a, b) in enumerate(zip(old, new, strict=True)):
            changes.extend(leaf_changes(a, b, (*path, index)))
        return changes
    if old == new:
        return []
    return [Change(path, old, new)]


def _template_name(item: Any) -> str | None:
    if isinstance(item, dict):
        meta = item.get("metadata")
        if isinstance(meta, dict) and isinstance(meta.get("name"), str):
            return str(meta["name"])
    return None


def claim_template_changes(old_raw: Any, new_raw: Any) -> list[Change]:
    """volumeClaimTemplates compared by template name, after PVC defaulting.

    Paths use the index in NEW (in OLD for a removed template). A template moved to another
    position is a change too (the API compares the list in order).
    """
    old_items = old_raw if isinstance(old_raw, list) else []
    new_items = new_raw if isinstance(new_raw, list) else []
    old_norm = [norm.claim_template(i) for i in old_items]
    new_norm = [norm.claim_template(i) for i in new_items]
    if old_norm == new_norm:
        return []
    base: Path = ("spec", "volumeClaimTemplates")
    old_names = [_template_name(i) for i in old_items]
    new_names = [_template_name(i) for i in new_items]
    changes: list[Change] = []
    matched_old: set[int] = set()
    for new_index, name in enumerate(new_names):
        old_index = old_names.index(name) if name is not None and name in old_names else None
        if old_index is None and name is None and new_index < len(old_items) and old_names[new_index] is None:
            old_index = new_index
        if old_index is None:
            changes.append(Change((*base, new_index), MISSING, _summary(new_items[new_index])))
            continue
        matched_old.add(old_index)
        inner = leaf_changes(old_norm[old_index], new_norm[new_index], (*base, new_index))
        changes.extend(inner)
        if not inner and old_index != new_index:
            changes.append(Change((*base, new_index), f"position {old_index}", f"position {new_index}"))
    for old_index, _name in enumerate(old_names):
        if old_index not in matched_old:
            changes.append(Change((*base, old_index), _summary(old_items[old_index]), MISSING))
    return changes


def _summary(item: Any) -> Any:
    """A claim template shown by name, size and class rather than in full."""
    name = _template_name(item) or "(unnamed)"
    raw_spec = item.get("spec") if isinstance(item, dict) else None
    spec: dict[str, Any] = raw_spec if isinstance(raw_spec, dict) else {}
    raw_resources = spec.get("resources")
    resources: dict[str, Any] = raw_resources if isinstance(raw_resources, dict) else {}
    raw_requests = resources.get("requests")
    requests: dict[str, Any] = raw_requests if isinstance(raw_requests, dict) else {}
    parts = [f"claim template {name!r}"]
    if requests.get("storage") is not None:
        parts.append(str(requests["storage"]))
    if spec.get("storageClassName") is not None:
        parts.append(f"class {spec['storageClassName']}")
    return " ".join(parts)


def _scalar(default: Any) -> Callable[[Any], Any]:
    def normalize(value: Any) -> Any:
        return default if value is None or (value == "" and default != "") else value

    return normalize


NORMALIZERS: dict[str, Callable[[Any], Any]] = {
    "replicas": _scalar(1),
    "serviceName": lambda v: "" if v is None else v,
    "podManagementPolicy": _scalar("OrderedReady"),
    "revisionHistoryLimit": _scalar(10),
    "minReadySeconds": _scalar(0),
    "ordinals": lambda v: {"start": (v.get("start") if isinstance(v, dict) and v.get("start") is not None else 0)},
    "updateStrategy": norm.strategy,
    "persistentVolumeClaimRetentionPolicy": norm.retention,
    "selector": norm.selector,
    "template": norm.pod_template,
}


def field_changes(field: str, old_spec: dict[str, Any], new_spec: dict[str, Any]) -> list[Change]:
    """Changes of one spec field, after defaulting, with paths from the object root."""
    old_value = old_spec.get(field)
    new_value = new_spec.get(field)
    if field == "volumeClaimTemplates":
        return claim_template_changes(old_value, new_value)
    normalize = NORMALIZERS.get(field, norm.prune)
    old_n = normalize(old_value)
    new_n = normalize(new_value)
    if field in ("replicas", "minReadySeconds", "revisionHistoryLimit", "serviceName", "podManagementPolicy"):
        return [] if old_n == new_n else [Change(("spec", field), old_n, new_n)]
    return leaf_changes(old_n, new_n, ("spec", field))


@dataclass(slots=True)
class SpecDiff:
    """Every changed spec field of one StatefulSet, split into allowed and forbidden."""

    by_field: dict[str, list[Change]]
    forbidden_fields: tuple[str, ...]

    @property
    def changed(self) -> bool:
        return bool(self.by_field)

    @property
    def forbidden(self) -> dict[str, list[Change]]:
        return {k: v for k, v in self.by_field.items() if k in self.forbidden_fields}

    @property
    def allowed(self) -> dict[str, list[Change]]:
        return {k: v for k, v in self.by_field.items() if k not in self.forbidden_fields}


def spec_diff(old_data: dict[str, Any], new_data: dict[str, Any], version: str) -> SpecDiff:
    old_spec = old_data.get("spec") if isinstance(old_data.get("spec"), dict) else {}
    new_spec = new_data.get("spec") if isinstance(new_data.get("spec"), dict) else {}
    assert isinstance(old_spec, dict) and isinstance(new_spec, dict)
    mutable = mutable_fields(version)
    by_field: dict[str, list[Change]] = {}
    for field in SPEC_FIELDS:
        changes = field_changes(field, old_spec, new_spec)
        if changes:
            by_field[field] = changes
    forbidden = tuple(f for f in SPEC_FIELDS if f not in mutable)
    return SpecDiff(by_field, forbidden)


def metadata_changes(old_data: dict[str, Any], new_data: dict[str, Any]) -> list[Change]:
    """Labels and annotations of the object itself (always allowed)."""
    changes: list[Change] = []
    for key in ("labels", "annotations"):
        old_meta = old_data.get("metadata") if isinstance(old_data.get("metadata"), dict) else {}
        new_meta = new_data.get("metadata") if isinstance(new_data.get("metadata"), dict) else {}
        assert isinstance(old_meta, dict) and isinstance(new_meta, dict)
        changes.extend(leaf_changes(norm.prune(old_meta.get(key)), norm.prune(new_meta.get(key)),
                                    ("metadata", key)))
    return changes
