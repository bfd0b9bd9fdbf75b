"""The resource bounds for hostile input (documented in the README; raised by CLI options).

Its own module so that options can be built without importing the YAML reader: a run answered
from the cache never parses anything.
"""

from __future__ import annotations

from dataclasses import dataclass

# Characters that aliases may add to one document, per node of --max-nodes (16 MiB by default).
ALIAS_CHARS_PER_NODE = 32


@dataclass(frozen=True, slots=True)
class Limits:
    """Resource bounds for hostile input. Documented in the README; raised by CLI options."""

    max_depth: int = 100
    max_aliases: int = 1_000
    max_nodes: int = 500_000
    max_documents: int = 100_000

    @property
    def max_alias_chars(self) -> int:
        """Characters of scalars that aliases may add to one document (16 MiB by default)."""
        return self.max_nodes * ALIAS_CHARS_PER_NODE
