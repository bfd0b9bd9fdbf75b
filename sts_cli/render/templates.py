"""Text templates for the objects of one StatefulSet, which differ only in names and numbers.

A formatter writes one object with `slot(n)` markers where its pod name, ordinal or claim names
go; `Template(text).fill(values)` then gives any other pod's text. Formatters check a template
against their own text of real objects before they use it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

_SLOT = re.compile(r"zqstsslot(\d+)zq")
NUMBER_MARK = 987_654_321_987_654_321  # an ordinal that stands for slot `number_slot` in JSON text
CHUNK = 1 << 16  # characters handed out at a time


def slot(index: int) -> str:
    """The marker of slot `index`: letters and digits only, written as is by YAML and JSON."""
    return f"zqstsslot{index}zq"


class Template:
    """Text with numbered slots; `fill(values)` puts `values[n]` in slot n."""

    __slots__ = ("literals", "slots")

    def __init__(self, text: str) -> None:
        pieces = _SLOT.split(text)
        self.literals = pieces[0::2]
        self.slots = [int(n) for n in pieces[1::2]]

    def fill(self, values: list[str]) -> str:
        out = [self.literals[0]]
        for index, literal in zip(self.slots, self.literals[1:], strict=True):
            out.append(values[index])
            out.append(literal)
        return "".join(out)


def batched(texts: Iterable[str], size: int = CHUNK) -> Iterator[str]:
    """`texts` joined into pieces of about `size` characters (each piece ends where a text ends)."""
    batch: list[str] = []
    total = 0
    for text in texts:
        batch.append(text)
        total += len(text)
        if total >= size:
            yield "".join(batch)
            batch, total = [], 0
    if batch:
        yield "".join(batch)


class NoTemplate(Exception):
    """Raised by a `values` function: this object is written in full (its values do not fit)."""


class Shapes:
    """The templates of one set's objects, by shape (pod, PVC of a claim template...).

    A shape's template is made from its first object and must reproduce the formatter's own text
    of that object and of the next one; until then, and for good if it does not, objects of that
    shape are written in full.
    """

    def __init__(self) -> None:
        self.templates: dict[object, Template] = {}
        self.unverified: set[object] = set()
        self.failed: set[object] = set()

    def text(self, key: object, full: Callable[[], str], make: Callable[[], Template],
             values: Callable[[], list[str]]) -> str:
        if key in self.failed:
            return full()
        template = self.templates.get(key)
        try:
            if template is not None and key not in self.unverified:
                return template.fill(values())
            real = full()
            if template is None:
                template = self.templates[key] = make()
                self.unverified.add(key)
            else:
                self.unverified.discard(key)
            if template.fill(values()) != real:
                self.failed.add(key)
            return real
        except NoTemplate:
            return full()


def whole_lines(pieces: Iterable[str]) -> Iterator[str]:
    """`pieces` regrouped so that each ends at the end of a line (the last one may not)."""
    pending: list[str] = []
    for piece in pieces:
        cut = piece.rfind("\n") + 1
        if not cut:
            pending.append(piece)
            continue
        pending.append(piece[:cut])
        yield "".join(pending)
        pending = [piece[cut:]] if cut < len(piece) else []
    if pending:
        yield "".join(pending)
