"""The catalog as text: `sts rules`, `sts explain`, and the README rule table."""

from __future__ import annotations

import json

from sts_cli.rules.base import CATEGORIES, REGISTRY, Rule, all_rules


def catalog_table() -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="sts rules", show_lines=False)
    for column in ("id", "severity", "category", "summary"):
        table.add_column(column)
    for rule in all_rules():
        optional = " (optional)" if rule.optional else ""
        table.add_row(rule.id, rule.severity.label + optional, rule.category, rule.summary)
    Console().print(table)


def catalog_markdown() -> str:
    lines = ["| rule | severity | category | summary |", "|---|---|---|---|"]
    for rule in all_rules():
        optional = " (optional)" if rule.optional else ""
        lines.append(f"| `{rule.id}` | {rule.severity.label}{optional} | {rule.category} | {rule.summary} |")
    return "\n".join(lines) + "\n"


def rule_dict(rule: Rule) -> dict[str, object]:
    return {"id": rule.id, "severity": rule.severity.label, "category": rule.category,
            "summary": rule.summary, "explanation": rule.explanation, "source": rule.source,
            "optional": rule.optional}


def catalog_json() -> str:
    return json.dumps([rule_dict(r) for r in all_rules()], indent=2)


def explain(rule_id: str) -> str | None:
    all_rules()
    rule = REGISTRY.get(rule_id)
    if rule is None:
        return None
    header = f"{rule.id} ({rule.severity.label}{', optional' if rule.optional else ''}; "
    header += f"{rule.category}: {CATEGORIES[rule.category]})"
    parts = [header, "", rule.summary, "", rule.explanation]
    if rule.source:
        parts += ["", f"Source: {rule.source}"]
    return "\n".join(parts)
