"""Per-object suppression by annotation: `ignore-check.sts.io/<rule-id>: "<reason>"`.

The annotation may sit on the object or on a StatefulSet's pod template. A reason is required,
so that every silenced finding says why in the manifest itself. A finding that involves two
objects (a StatefulSet and its Service) is silenced by a suppression on either of them. A
suppression naming an unknown rule is reported, so that a typo does not go unnoticed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sts_cli.documents import ManifestObject
from sts_cli.findings import Finding, Location, Severity
from sts_cli.model import ServiceView, StatefulSetView, string_map

PREFIX = "ignore-check.sts.io/"


@dataclass(frozen=True, slots=True)
class Suppression:
    rule: str
    reason: str
    path: tuple[str | int, ...]


def _annotations(obj: ManifestObject, path: tuple[str | int, ...]) -> dict[str, str]:
    return string_map(obj.get(path))


def object_suppressions(obj: ManifestObject) -> list[Suppression]:
    found: list[Suppression] = []
    if not obj.suppressible:
        return found
    for path in (("metadata", "annotations"), ("spec", "template", "metadata", "annotations")):
        for key, value in _annotations(obj, path).items():
            if key.startswith(PREFIX):
                found.append(Suppression(key[len(PREFIX):], value.strip(), (*path, key)))
    return found


def _known_rules() -> set[str]:
    from sts_cli.rules.base import all_rules

    return {rule.id for rule in all_rules()}


class _ObjectsByPlace:
    """Which object a related location (file, document, line) belongs to."""

    def __init__(self, objects: list[ManifestObject]) -> None:
        self.by_document: dict[tuple[str, int], list[ManifestObject]] = {}
        for obj in objects:
            self.by_document.setdefault((obj.origin, obj.document), []).append(obj)
        for items in self.by_document.values():
            items.sort(key=lambda o: o.start)

    def key_at(self, location: Location) -> str | None:
        if location.document is None:
            return None
        candidates = self.by_document.get((location.file, location.document))
        if not candidates:
            return None
        chosen = candidates[0]
        for obj in candidates[1:]:  # items of a `kind: List` share the document: take the last one above
            if obj.start[0] + 1 <= location.line:
                chosen = obj
        return chosen.key


def _suppressed(finding: Finding, table: dict[str, dict[str, Suppression]], places: _ObjectsByPlace) -> bool:
    """Suppressed on the finding's object, or on another object the finding names (a cross-object rule)."""
    if finding.rule in table.get(finding.object_key, {}):
        return True
    for related in finding.related:
        key = places.key_at(related.location)
        if key is not None and key != finding.object_key and finding.rule in table.get(key, {}):
            return True
    return False


def apply_suppressions(findings: Iterable[Finding], statefulsets: list[StatefulSetView],
                       services: list[ServiceView], namespace: str) -> list[Finding]:
    """Drop findings suppressed with a reason; report suppressions without a reason or rule."""
    table: dict[str, dict[str, Suppression]] = {}
    extra: list[Finding] = []
    objects = [v.obj for v in statefulsets] + [v.obj for v in services]
    known: set[str] | None = None
    for obj in objects:
        entries: dict[str, Suppression] = {}
        for suppression in object_suppressions(obj):
            known = known if known is not None else _known_rules()
            if suppression.rule not in known:
                import difflib

                close = difflib.get_close_matches(suppression.rule, sorted(known), n=1)
                extra.append(obj.finding(
                    "suppression-unknown-rule", Severity.WARNING,
                    f"suppression names unknown rule {suppression.rule!r}; it silences nothing", suppression.path,
                    f"did you mean {PREFIX}{close[0]}?" if close else "see `sts rules` for rule ids",
                    default_namespace=namespace))
                continue
            if not suppression.reason:
                extra.append(obj.finding(
                    "suppression-without-reason", Severity.ERROR,
                    f"suppression of {suppression.rule!r} gives no reason", suppression.path,
                    f'write why: `{PREFIX}{suppression.rule}: "<reason>"`', at_value=False,
                    default_namespace=namespace))
                continue
            entries[suppression.rule] = suppression
        if entries:
            table[obj.key] = entries
    if table:
        places = _ObjectsByPlace(objects)
        out = [f for f in findings if not _suppressed(f, table, places)]
    else:
        out = list(findings)
    out.extend(extra)
    return out
