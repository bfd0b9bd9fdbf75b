"""Helpers shared by the tests of this folder."""

from __future__ import annotations

from typing import Any


def all_paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The path of `node` and of every value inside it, in document order."""
    out = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            out += all_paths(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            out += all_paths(value, (*path, index))
    return out
