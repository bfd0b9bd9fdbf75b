"""The catalog as a product: ids, documentation next to the checks, `sts rules`, `sts explain`, README table."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from sts_cli.rules.base import all_rules
from sts_cli.rules.catalog import catalog_markdown, explain
from tests.conftest import REPO

KEBAB = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
OWN = [r for r in all_rules() if r.category in ("api", "runtime", "advice")]


def test_rule_ids_are_kebab_case_and_unique() -> None:
    ids = [r.id for r in all_rules()]
    assert len(ids) == len(set(ids))
    assert [i for i in ids if not KEBAB.fullmatch(i)] == []


@pytest.mark.parametrize("rule", OWN, ids=lambda r: r.id)
def test_rule_is_documented(rule: Any) -> None:
    assert rule.summary.endswith(".") and "\n" not in rule.summary and len(rule.summary) <= 110
    assert "Bad:" in rule.explanation and "Good:" in rule.explanation
    assert rule.explanation.index("Bad:") < rule.explanation.index("Good:")
    assert rule.source, "every rule names where its facts come from"
    assert rule.check is not None


def test_categories_cover_the_issue_sections() -> None:
    by_category = {c: {r.id for r in OWN if r.category == c} for c in ("api", "runtime", "advice")}
    assert {"selector-mismatch", "sts-name-invalid", "claim-access-modes-invalid"} <= by_category["api"]
    assert {"service-missing", "service-not-headless", "sts-name-too-long"} <= by_category["runtime"]
    assert {"claim-not-mounted", "service-port-unnamed"} <= by_category["advice"]
    assert {r.id for r in OWN if r.optional} == {"pdb-missing", "pod-spread-missing"}


def test_explain_prints_explanation_examples_and_source(run_cli: Any) -> None:
    result = run_cli("explain", "selector-mismatch")
    assert result.code == 0
    assert result.out.startswith("selector-mismatch (error; api: rejected by the API server")
    assert "Bad:" in result.out and "Good:" in result.out
    assert "Source: kubernetes/kubernetes pkg/apis/apps/validation/validation.go" in result.out
    assert explain("selector-mismatch") == result.out.rstrip("\n")


def test_explain_unknown_rule_suggests(run_cli: Any) -> None:
    result = run_cli("explain", "selecter-mismatch")
    assert result.code == 2
    assert "did you mean selector-mismatch" in result.err


def test_rules_formats(run_cli: Any) -> None:
    markdown = run_cli("rules", "--format", "markdown")
    assert markdown.code == 0 and markdown.out == catalog_markdown()
    listed = json.loads(run_cli("rules", "--format", "json").out)
    assert {r["id"] for r in listed} == {r.id for r in all_rules()}
    pdb = next(r for r in listed if r["id"] == "pdb-missing")
    assert pdb["optional"] is True and pdb["severity"] == "warning"
    table = run_cli("rules")
    assert table.code == 0 and "service-not-headless" in table.out


def test_readme_rule_table_is_generated_from_the_catalog() -> None:
    """README.md holds `sts rules --format markdown` between the markers; regenerate it when rules change."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- rules:start -->\n(.*?)<!-- rules:end -->", readme, re.DOTALL)
    assert match is not None, "README.md lacks the <!-- rules:start --> / <!-- rules:end --> markers"
    assert match.group(1) == catalog_markdown(), "README rule table is stale: paste `sts rules --format markdown`"
