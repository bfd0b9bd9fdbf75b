"""The rule catalog's plumbing: what a rule is, where rules are registered, what a check sees.

A rule's explanation lives in the docstring of its check, next to the code, so that
`sts rules`, `sts explain`, SARIF rule metadata and the README table come from one source.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from sts_cli.documents import ManifestObject
from sts_cli.findings import Finding, Related, Severity
from sts_cli.model import ServiceView, StatefulSetView
from sts_cli.schemas import version_tuple

Check = Callable[["RuleContext"], Iterable[Finding]]
# A family computes the findings of several rules in one pass over the objects; each of its
# rules picks its own findings out of the shared result (computed once per run).
Family = Callable[["RuleContext"], list[Finding]]
T = TypeVar("T")
Scope = Literal["object", "set"]
SCOPES: tuple[Scope, ...] = ("object", "set")

CATEGORIES = {
    "input": "reading the files (YAML syntax, encoding, limits)",
    "schema": "the Kubernetes API schema of the chosen version",
    "api": "rejected by the API server, though the schema allows it",
    "runtime": "accepted by the API server, broken at run time",
    "advice": "works, but probably not as intended",
    "update": "changing an existing object: accepted or not, and what it does (sts diff)",
}


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    severity: Severity
    summary: str
    explanation: str
    category: str
    source: str = ""
    optional: bool = False
    check: Check | None = None
    # "object": the check's findings for an object depend on that object alone, so it may run per
    # file (in a worker, cached) over a context that holds only that file's objects. "set": it reads
    # several objects (a StatefulSet and its Service...) and runs once over the whole input. When
    # unsure, "set": it is always correct, only slower.
    scope: Scope = "set"

    @property
    def help_uri(self) -> str:
        return f"https://sts.invalid/rules/{self.id}"


REGISTRY: dict[str, Rule] = {}


def register_rule(rule: Rule) -> Rule:
    if rule.id in REGISTRY:
        raise ValueError(f"rule {rule.id} registered twice")
    if rule.category not in CATEGORIES:
        raise ValueError(f"rule {rule.id}: unknown category {rule.category}")
    if rule.scope not in SCOPES:
        raise ValueError(f"rule {rule.id}: unknown scope {rule.scope}")
    REGISTRY[rule.id] = rule
    return rule


def rule(id: str, severity: Severity, summary: str, category: str, source: str = "",
         optional: bool = False, scope: Scope = "set") -> Callable[[Check], Check]:
    """Register a check; its docstring is the rule's explanation (with a bad and a good example).

    `scope="object"` only for a check whose findings on an object depend on nothing but that object.
    """

    def decorate(check: Check) -> Check:
        register_rule(Rule(id, severity, summary, inspect.cleandoc(check.__doc__ or summary), category,
                           source, optional, check, scope))
        return check

    return decorate


def describe(id: str, severity: Severity, summary: str, category: str, explanation: str,
             source: str = "") -> None:
    """Register a rule whose findings are produced by an earlier stage (parser, schema)."""
    register_rule(Rule(id, severity, summary, inspect.cleandoc(explanation), category, source))


def family_rule(id: str, severity: Severity, summary: str, category: str, explanation: str,
                family: Family, source: str = "", optional: bool = False, scope: Scope = "set") -> None:
    """Register a rule whose findings come from `family`, a shared pass in the same module."""

    def check(context: RuleContext) -> list[Finding]:
        return context.family(family).get(id, [])

    check.__doc__ = explanation
    register_rule(Rule(id, severity, summary, inspect.cleandoc(explanation), category, source, optional,
                       check, scope))


@dataclass(slots=True)
class RuleContext:
    """Everything a check may look at: all StatefulSets and Services of all inputs, and options.

    Checks of scope "object" may be given a context that holds only one file's objects (a worker
    checks each file on its own); checks of scope "set" always see every object of the run, in a
    slim copy that keeps the fields cross-object checks and suppressions read (`filecheck.slim`).
    """

    version: str
    namespace: str
    statefulsets: list[StatefulSetView]
    services: list[ServiceView]
    others: list[ManifestObject] = field(default_factory=list)
    # Ids of findings' rules already emitted by schema validation, per object, to avoid repeats.
    schema_paths: dict[int, set[str]] = field(default_factory=dict)
    # Per-run memo: indexes (Services by namespace and name...) and family results.
    cache: dict[str, Any] = field(default_factory=dict)

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        """`compute()` once per run under `key`."""
        if key not in self.cache:
            self.cache[key] = compute()
        value: T = self.cache[key]
        return value

    def family(self, family: Family) -> dict[str, list[Finding]]:
        """The findings of one family pass, by rule id (the pass runs once per run)."""

        def run() -> dict[str, list[Finding]]:
            grouped: dict[str, list[Finding]] = {}
            for finding in family(self):
                grouped.setdefault(finding.rule, []).append(finding)
            return grouped

        return self.memo(f"family:{family.__module__}.{family.__qualname__}", run)

    def at_least(self, version: str) -> bool:
        return version_tuple(self.version) >= version_tuple(version)

    def emit(self, rule_id: str, obj: ManifestObject, message: str, path: Sequence[str | int] = (),
             hint: str = "", at_value: bool = False,
             related: Sequence[tuple[ManifestObject, Sequence[str | int], str]] = (),
             extra: dict[str, str] | None = None) -> Finding:
        spec = REGISTRY[rule_id]
        finding = obj.finding(rule_id, spec.severity, message, path, hint, at_value=at_value,
                              default_namespace=self.namespace, extra=extra)
        if related:
            from dataclasses import replace

            finding = replace(finding, related=tuple(
                Related(other.location(other_path, at_value=other_at_value(other, other_path)), text)
                for other, other_path, text in related))
        return finding

    def schema_reported(self, obj: ManifestObject, path: str) -> bool:
        """True when schema validation already reported a problem at `path` of `obj`."""
        return path in self.schema_paths.get(id(obj), set())


def other_at_value(obj: ManifestObject, path: Sequence[str | int]) -> bool:
    """Related positions point at the value for scalars (a name, a port) and at the key otherwise."""
    value = obj.get(path)
    return path != () and value is not None and not isinstance(value, (dict, list))


def all_rules() -> list[Rule]:
    """Every rule, sorted by category then id. Imports the rule modules on first use."""
    from sts_cli import rules as _rules

    _rules.load_all()
    order = list(CATEGORIES)
    return sorted(REGISTRY.values(), key=lambda r: (order.index(r.category), r.id))
