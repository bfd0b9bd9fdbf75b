"""examples/broken/<rule-id>.yaml: each file produces the finding its name says, and no unrelated error."""

from __future__ import annotations

from pathlib import Path

import pytest

from sts_cli.engine import ValidateOptions, validate
from sts_cli.rules.base import all_rules

BROKEN = Path(__file__).resolve().parents[2] / "examples" / "broken"
EXAMPLES = sorted(BROKEN.glob("*.yaml"))
# Errors that necessarily come with the named one (the same mistake seen by two rules).
COMPANIONS = {
    "pod-name-too-long": {"sts-name-too-long"},
    "service-cluster-ip-invalid": {"service-not-headless"},
    "service-ports-missing": {"service-not-headless"},
    "service-selector-invalid": {"service-selector-mismatch"},
}
VERSIONS = {"service-name-invalid": "1.35"}


def test_every_rule_of_the_catalog_has_a_broken_example() -> None:
    own = {r.id for r in all_rules() if r.category in ("api", "runtime", "advice")}
    assert own - {p.stem for p in EXAMPLES} == set()


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_broken_example_produces_its_finding(path: Path) -> None:
    rule = path.stem
    assert path.read_text(encoding="utf-8").startswith(f"# Broken on purpose: {rule}\n")
    optional = {r.id for r in all_rules() if r.optional}
    options = ValidateOptions(kubernetes_version=VERSIONS.get(rule, "1.36"),
                              enable=frozenset({rule}) if rule in optional else frozenset())
    findings = validate([str(path)], options).findings
    assert rule in {f.rule for f in findings}
    other_errors = {f.rule for f in findings if f.severity.label == "error"} - {rule}
    assert other_errors <= COMPANIONS.get(rule, set())
