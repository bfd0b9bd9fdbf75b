"""Subcommands. Each module has `register(app)`; heavy modules are imported inside commands."""

from __future__ import annotations

import importlib

import typer

COMMAND_MODULES = ("validate", "rules")


def register_all(app: typer.Typer) -> None:
    for name in COMMAND_MODULES:
        importlib.import_module(f"sts_cli.commands.{name}").register(app)
