"""Rule modules, one family per module. `load_all` imports them, which registers their rules."""

from __future__ import annotations

import importlib

_MODULES = (
    "sts_cli.rules.input_rules",
    "sts_cli.rules.statefulset_api",
    "sts_cli.rules.podtemplate_api",
    "sts_cli.rules.claims_api",
    "sts_cli.rules.metadata_api",
    "sts_cli.rules.service_api",
    "sts_cli.rules.runtime",
    "sts_cli.rules.advice",
    "sts_cli.diff.rules",
)
_loaded = False


def load_all() -> None:
    global _loaded
    if not _loaded:
        for name in _MODULES:
            importlib.import_module(name)
        _loaded = True
