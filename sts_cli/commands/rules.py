"""`sts rules` and `sts explain RULE`: the rule catalog, from the rules' own documentation."""

from __future__ import annotations

import typer

from sts_cli.commands.common import usage_error


def register(app: typer.Typer) -> None:
    app.command(name="rules")(rules_command)
    app.command(name="explain")(explain_command)


def rules_command(
    fmt: str = typer.Option("table", "--format", "-f", help="table, markdown or json."),
) -> None:
    """List every rule: id, severity, category and summary."""
    from sts_cli.rules.catalog import catalog_json, catalog_markdown, catalog_table

    if fmt == "table":
        catalog_table()
    elif fmt == "markdown":
        typer.echo(catalog_markdown(), nl=False)
    elif fmt == "json":
        typer.echo(catalog_json())
    else:
        raise usage_error(f"unknown format {fmt!r}; choose table, markdown or json")


def explain_command(rule_id: str = typer.Argument(..., metavar="RULE")) -> None:
    """Explain one rule, with a bad and a good example."""
    from sts_cli.rules.catalog import explain

    text = explain(rule_id)
    if text is None:
        import difflib

        from sts_cli.rules.base import REGISTRY

        close = difflib.get_close_matches(rule_id, list(REGISTRY), n=3)
        raise usage_error(f"unknown rule {rule_id!r}" + (f"; did you mean {', '.join(close)}?" if close else ""))
    typer.echo(text)
