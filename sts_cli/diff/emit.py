"""Findings of `sts diff`: one place that turns (rule, object, path, message) into a Finding."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from sts_cli.documents import ManifestObject
from sts_cli.findings import Finding, Related


@dataclass(slots=True)
class Emitter:
    namespace: str
    findings: list[Finding] = field(default_factory=list)

    def emit(self, rule_id: str, obj: ManifestObject, message: str, path: Sequence[str | int] = (),
             hint: str = "", related: Sequence[tuple[ManifestObject, Sequence[str | int], str]] = (),
             extra: dict[str, str] | None = None, at_value: bool = True) -> Finding:
        from sts_cli.rules.base import REGISTRY, all_rules

        if rule_id not in REGISTRY:
            all_rules()
        severity = REGISTRY[rule_id].severity
        finding = obj.finding(rule_id, severity, message, tuple(path), hint, at_value=at_value,
                              default_namespace=self.namespace, extra=extra)
        if related:
            finding = replace(finding, related=tuple(
                Related(other.location(tuple(other_path), at_value=True), text)
                for other, other_path, text in related))
        self.findings.append(finding)
        return finding
