"""Per-object suppression: `ignore-check.sts.io/<rule-id>: "<reason>"` on the object or its pod template."""

from __future__ import annotations

from pathlib import Path

from tests.rules.util import BASE, edit, run

STS_META = "kind: StatefulSet\nmetadata:\n  name: web\n"
TEMPLATE_META = "    metadata:\n      labels:\n        app: web\n"
SVC_META = "kind: Service\nmetadata:\n  name: web\n"
NO_GRACE = ("      terminationGracePeriodSeconds: 30", "      terminationGracePeriodSeconds: 0")
NOT_HEADLESS = ("  clusterIP: None\n", "")


def _rules(tmp_path: Path, text: str) -> list[str]:
    return sorted(f.rule for f in run(tmp_path, {"m.yaml": text}))


def test_unsuppressed_baseline(tmp_path: Path) -> None:
    assert _rules(tmp_path, edit(BASE, [NO_GRACE])) == ["termination-grace-zero"]


def test_suppression_on_the_object(tmp_path: Path) -> None:
    text = edit(BASE, [NO_GRACE, (STS_META, STS_META + "  annotations:\n"
                                  "    ignore-check.sts.io/termination-grace-zero: "
                                  "\"the app checkpoints on SIGTERM\"\n")])
    assert _rules(tmp_path, text) == []


def test_suppression_on_the_pod_template(tmp_path: Path) -> None:
    text = edit(BASE, [NO_GRACE, (TEMPLATE_META, TEMPLATE_META + "      annotations:\n"
                                  "        ignore-check.sts.io/termination-grace-zero: \"stateless cache\"\n")])
    assert _rules(tmp_path, text) == []


def test_suppression_of_another_rule_keeps_the_finding(tmp_path: Path) -> None:
    text = edit(BASE, [NO_GRACE, (STS_META, STS_META + "  annotations:\n"
                                  "    ignore-check.sts.io/claim-not-mounted: "
                                  "\"scratch claim\"\n")])
    assert _rules(tmp_path, text) == ["termination-grace-zero"]


def test_suppression_without_reason_is_a_finding_and_suppresses_nothing(tmp_path: Path) -> None:
    text = edit(BASE, [NO_GRACE, (STS_META, STS_META + "  annotations:\n"
                                  "    ignore-check.sts.io/termination-grace-zero: "
                                  "\"  \"\n")])
    findings = run(tmp_path, {"m.yaml": text})
    assert sorted(f.rule for f in findings) == ["suppression-without-reason", "termination-grace-zero"]
    missing = next(f for f in findings if f.rule == "suppression-without-reason")
    assert (missing.location.line, missing.location.column, missing.severity.label) == (22, 5, "error")


def test_cross_object_finding_is_suppressed_from_the_statefulset(tmp_path: Path) -> None:
    assert "service-not-headless" in _rules(tmp_path, edit(BASE, [NOT_HEADLESS]))
    text = edit(BASE, [NOT_HEADLESS, (STS_META, STS_META + "  annotations:\n"
                                  "    ignore-check.sts.io/service-not-headless: "
                                      "\"clients use the ClusterIP only\"\n")])
    assert "service-not-headless" not in _rules(tmp_path, text)


def test_cross_object_finding_is_suppressed_from_the_service(tmp_path: Path) -> None:
    text = edit(BASE, [NOT_HEADLESS, (SVC_META, SVC_META + "  annotations:\n"
                                  "    ignore-check.sts.io/service-not-headless: "
                                      "\"load-balanced front end\"\n")])
    assert "service-not-headless" not in _rules(tmp_path, text)


def test_suppression_on_an_unrelated_object_does_not_apply(tmp_path: Path) -> None:
    other = ("---\napiVersion: v1\nkind: Service\nmetadata:\n  name: other\n  annotations:\n"
             "    ignore-check.sts.io/service-not-headless: \"not this one\"\nspec:\n  clusterIP: None\n")
    assert "service-not-headless" in _rules(tmp_path, edit(BASE, [NOT_HEADLESS]) + other)


def test_unknown_rule_in_suppression_is_reported_with_a_suggestion(tmp_path: Path) -> None:
    text = edit(BASE, [(STS_META, STS_META + "  annotations:\n"
                                  "    ignore-check.sts.io/termination-grace-zer0: \"x\"\n")])
    findings = run(tmp_path, {"m.yaml": text})
    assert [(f.rule, f.severity.label) for f in findings] == [("suppression-unknown-rule", "warning")]
    assert "ignore-check.sts.io/termination-grace-zero" in findings[0].hint


def test_disabled_rule_and_severity_override(tmp_path: Path) -> None:
    from sts_cli.engine import ValidateOptions, validate
    from sts_cli.findings import Severity

    path = tmp_path / "m.yaml"
    path.write_text(edit(BASE, [NO_GRACE]))
    options = ValidateOptions(kubernetes_version="1.36", disable=frozenset({"termination-grace-zero"}))
    assert validate([str(path)], options).findings == []
    options = ValidateOptions(kubernetes_version="1.36",
                              severity_overrides=(("termination-grace-zero", Severity.ERROR),))
    assert [f.severity for f in validate([str(path)], options).findings] == [Severity.ERROR]
