"""Per-object suppression by annotation: `ignore-check.sts.io/<rule-id>: "<reason>"`.

The annotation may sit on the object or on a StatefulSet's pod template. A reason is required,
so that every silenced finding says why in the manifest itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sts_cli.documents import ManifestObject
from sts_cli.findings import Finding, Severity
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
    for path in (("metadata", "annotations"), ("spec", "template", "metadata", "annotations")):
        for key, value in _annotations(obj, path).items():
            if key.startswith(PREFIX):
                found.append(Suppression(key[len(PREFIX):], value.strip(), (*path, key)))
    return found


def apply_suppressions(findings: Iterable[Finding], statefulsets: list[StatefulSetView],
                       services: list[ServiceView], namespace: str) -> list[Finding]:
    """Drop findings suppressed with a reason; report suppressions that give no reason."""
    table: dict[str, dict[str, Suppression]] = {}
    extra: list[Finding] = []
    objects = [v.obj for v in statefulsets] + [v.obj for v in services]
    for obj in objects:
        entries: dict[str, Suppression] = {}
        for suppression in object_suppressions(obj):
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
    out = [f for f in findings if f.rule not in table.get(f.object_key, {})]
    out.extend(extra)
    return out
