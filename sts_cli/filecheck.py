"""The work done for one input on its own: read, parse, classify, schema check.

Everything here depends only on the bytes of one source and the options, so it can run in a
worker process and be cached by content. Cross-object rules run later, in the parent, over the
merged results (see `engine.py`).

Objects keep their data, but their positions are packed into one flat array of integers
(`PackedPositions`): about a fifth of the memory of the position tables, cheap to pickle, and
unpacked again only for an object that gets a finding.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sts_cli.documents import LoadedSource, ManifestObject, load_source
from sts_cli.findings import Finding
from sts_cli.kinds import Kind, classify
from sts_cli.schema_check import schema_findings
from sts_cli.sources import Source, read_source
from sts_cli.yamlparse import Pos, PositionIndex

if TYPE_CHECKING:
    from sts_cli.engine import ValidateOptions

_NONE = -1


@dataclass(slots=True)
class ObjectResult:
    """What the per-object stages found for one object of a source."""

    kind: Kind | None
    findings: list[Finding] = field(default_factory=list)
    # Not a StatefulSet or Service and nothing wrong with its kind: passed to rules as "others".
    other: bool = False


@dataclass(slots=True)
class FileResult:
    loaded: LoadedSource
    results: list[ObjectResult] = field(default_factory=list)
    # Hex digest of the bytes read (None for unreadable input): the cache key's content part.
    digest: str | None = None


def check_objects(objects: list[ManifestObject], options: ValidateOptions) -> list[ObjectResult]:
    """Classify and schema-check each object: the per-object part of `validate`."""
    results: list[ObjectResult] = []
    version = options.kubernetes_version
    namespace = options.namespace
    for obj in objects:
        kind, findings = classify(obj, namespace)
        if kind is None:
            results.append(ObjectResult(None, list(findings), other=not findings))
            continue
        found = list(findings)
        found.extend(schema_findings(obj, version, kind.value, namespace))
        results.append(ObjectResult(kind, found))
    return results


def check_source(source: Source, options: ValidateOptions, pack: bool = True) -> FileResult:
    loaded = load_source(source, options.limits)
    result = FileResult(loaded, check_objects(loaded.objects, options))
    if pack:
        for obj in loaded.objects:
            obj.positions = PackedPositions.pack(obj)
    return result


def check_path(display: str, options: ValidateOptions, pack: bool = True) -> FileResult:
    return check_source(read_source(display, options.max_file_bytes), options, pack)


class PackedPositions(PositionIndex):
    """A PositionIndex stored as one int array, in the pre-order of the object's containers.

    Each mapping entry takes four slots (key line, key column, value line, value column) and
    each sequence item two (line, column); -1 marks an entry with no recorded position. A lookup
    finds its container's offset in a table built on first use from the object's own containers,
    so the packed form survives pickling (which keeps aliased containers shared within a pickle)
    and nothing is unpacked for objects without findings.
    """

    __slots__ = ("_data", "_offsets", "_packed")

    def __init__(self, data: dict[str, Any], packed: array[int]) -> None:
        super().__init__({}, {})
        self._data = data
        self._packed = packed
        self._offsets: dict[int, int] | None = None

    @classmethod
    def pack(cls, obj: ManifestObject) -> PositionIndex:
        positions = obj.positions
        if isinstance(positions, PackedPositions):
            return positions
        maps, seqs = positions.maps, positions.seqs
        out = array("i")
        extend = out.extend
        missing4 = (_NONE, _NONE, _NONE, _NONE)
        seen: set[int] = set()
        stack: list[Any] = [obj.data]
        pop = stack.pop
        while stack:
            node = pop()
            if id(node) in seen:
                continue
            seen.add(id(node))
            children = []
            if type(node) is dict:
                table = maps.get(id(node)) or {}
                for key, value in node.items():
                    entry = table.get(key)
                    if entry is None:
                        extend(missing4)
                    else:
                        extend(entry[0])
                        extend(entry[1])
                    if type(value) is dict or type(value) is list:
                        children.append(value)
            else:
                items = seqs.get(id(node)) or []
                count = len(items)
                for index, value in enumerate(node):
                    extend(items[index] if index < count else (_NONE, _NONE))
                    if type(value) is dict or type(value) is list:
                        children.append(value)
            children.reverse()
            stack += children
        return cls(obj.data, out)

    def _index(self) -> dict[int, int]:
        offsets: dict[int, int] = {}
        at = 0
        stack: list[Any] = [self._data]
        pop = stack.pop
        while stack:
            node = pop()
            if id(node) in offsets:
                continue
            offsets[id(node)] = at
            if type(node) is dict:
                at += 4 * len(node)
                children = [v for v in node.values() if type(v) is dict or type(v) is list]
            else:
                at += 2 * len(node)
                children = [v for v in node if type(v) is dict or type(v) is list]
            children.reverse()
            stack += children
        self._offsets = offsets
        return offsets

    def key_and_value(self, container: object, key: Any) -> tuple[Pos, Pos] | None:
        offsets = self._offsets if self._offsets is not None else self._index()
        at = offsets.get(id(container))
        if at is None or not isinstance(container, dict):
            return None
        for index, candidate in enumerate(container):
            if candidate == key:
                packed = self._packed
                at += 4 * index
                if packed[at] == _NONE:
                    return None
                return (packed[at], packed[at + 1]), (packed[at + 2], packed[at + 3])
        return None

    def item(self, container: object, index: int) -> Pos | None:
        offsets = self._offsets if self._offsets is not None else self._index()
        at = offsets.get(id(container))
        if at is None or not isinstance(container, list) or not 0 <= index < len(container):
            return None
        at += 2 * index
        packed = self._packed
        return None if packed[at] == _NONE else (packed[at], packed[at + 1])

    def __getstate__(self) -> tuple[Any, array[int]]:
        return (self._data, self._packed)

    def __setstate__(self, state: tuple[Any, array[int]]) -> None:
        self.maps, self.seqs = {}, {}
        self._data, self._packed = state
        self._offsets = None
