"""The work done for one input on its own: read, parse, classify, schema check, per-object rules.

Everything here depends only on the bytes of one source and the options, so it can run in a
worker process and be cached by content. The rules of scope "object" run here too, over this
file's objects; the rules of scope "set" (a StatefulSet and its Service...) run later, in the
parent, over slim copies of every file's objects (see `engine.py`).

A checked object is handed on as a slim copy (`slim`): the fields that cross-object rules,
suppressions and reports read, with their positions packed into one flat array of integers
(`PackedPositions`), the whole kept as one `bytes` value (`CompactObject`) that is decoded only
when a rule or a suppression reads it. The parent's memory then grows by a few hundred bytes per
StatefulSet and Service, not with the size of the input.
"""

from __future__ import annotations

import marshal
import sys
import zlib
from array import array
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeAlias

from sts_cli.documents import HelmSource, LoadedSource, ManifestObject, load_source
from sts_cli.findings import Finding
from sts_cli.kinds import Kind, classify
from sts_cli.pairs import pack_pair, unpack_pair
from sts_cli.schema_check import schema_findings
from sts_cli.sources import Source, read_source
from sts_cli.yamlparse import Pos, PositionIndex

if TYPE_CHECKING:
    from sts_cli.engine import ValidateOptions
    from sts_cli.rules.base import Rule

_NONE = -1


@dataclass(slots=True)
class ObjectResult:
    """What the per-object stages found for one object of a source."""

    kind: Kind | None
    # Classification and schema findings (not those of rules).
    findings: list[Finding] = field(default_factory=list)
    # Not a StatefulSet or Service and nothing wrong with its kind: passed to rules as "others".
    other: bool = False


@dataclass(slots=True)
class FileResult:
    loaded: LoadedSource
    results: list[ObjectResult] = field(default_factory=list)
    # Hex digest of the bytes read (None for unreadable input): the cache key's content part.
    digest: str | None = None
    # Findings of every rule of scope "object" over this file's objects, optional rules included
    # (the options that turn rules on and off are applied afterwards, so cached entries serve any).
    rule_findings: list[Finding] = field(default_factory=list)
    # A large stream comes in parts (see `streams.py`): True on every part but its last.
    more: bool = False
    # True on the whole-read result of a stream whose parts, some of them already given, could
    # not be trusted: it replaces them.
    replaces_parts: bool = False


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


_OBJECT_RULES: tuple[int, list[Rule]] = (-1, [])


def object_rules() -> list[Rule]:
    """The rules of scope "object", in catalog order (worked out again only when rules are added)."""
    global _OBJECT_RULES
    from sts_cli.rules.base import REGISTRY, all_rules

    if _OBJECT_RULES[0] != len(REGISTRY):
        chosen = [rule for rule in all_rules() if rule.check is not None and rule.scope == "object"]
        _OBJECT_RULES = (len(REGISTRY), chosen)
    return _OBJECT_RULES[1]


def object_rule_findings(objects: list[ManifestObject], results: list[ObjectResult],
                         options: ValidateOptions) -> list[Finding]:
    """The findings of every rule of scope "object" over `objects` (one file's, or part of one)."""
    from sts_cli.model import service_view, statefulset_view
    from sts_cli.rules.base import RuleContext

    namespace = options.namespace
    context = RuleContext(options.kubernetes_version, namespace, [], [])
    for obj, found in zip(objects, results, strict=True):
        if found.kind is None:
            continue
        context.schema_paths[id(obj)] = {f.path for f in found.findings}
        if found.kind is Kind.STATEFULSET:
            context.statefulsets.append(statefulset_view(obj, namespace))
        else:
            context.services.append(service_view(obj, namespace))
    findings: list[Finding] = []
    if context.statefulsets or context.services:
        for rule in object_rules():
            assert rule.check is not None
            findings.extend(rule.check(context))
    return findings


def finish_file(loaded: LoadedSource, options: ValidateOptions) -> FileResult:
    """Check the objects of a loaded source, run the per-object rules, keep slim copies."""
    results = check_objects(loaded.objects, options)
    result = FileResult(loaded, results, rule_findings=object_rule_findings(loaded.objects, results, options))
    loaded.objects = [slim(obj, found) for obj, found in zip(loaded.objects, results, strict=True)]
    return result


def check_source(source: Source, options: ValidateOptions) -> FileResult:
    return finish_file(load_source(source, options.limits), options)


def check_path(display: str, options: ValidateOptions) -> FileResult:
    return check_source(read_source(display, options.max_file_bytes), options)


# --- slim copies --------------------------------------------------------------------------------
#
# What the parent keeps of an object, as a shape: True keeps a value whole; a dict keeps those keys
# of a mapping (each with its own shape); `_Each` applies a shape to every item of a sequence;
# `_Prefixed` keeps the keys of a mapping that start with a prefix (and drops the mapping when none
# does). A value whose type does not fit its shape (a mistyped field) is kept whole, so rules read
# it exactly as in the full object.
#
# Keep this in step with the rules of scope "set" and with `suppress.py`: tests/perf checks that
# every rule finds the same on slim and on full objects.


@dataclass(frozen=True, slots=True)
class _Each:
    shape: Shape


@dataclass(frozen=True, slots=True)
class _Prefixed:
    prefix: str


Shape: TypeAlias = bool | Mapping[str, "Shape"] | _Each | _Prefixed

_SUPPRESSIONS = _Prefixed("ignore-check.sts.io/")
_METADATA: Shape = {"name": True, "namespace": True, "annotations": _SUPPRESSIONS}
_PRESENT: Shape = {}
_IDENTITY: dict[str, Shape] = {"apiVersion": True, "kind": True, "metadata": _METADATA}
# Suppressions are read on the pod template's annotations of any object (`suppress.py`).
_TEMPLATE_SUPPRESSIONS: Shape = {"metadata": {"annotations": _SUPPRESSIONS}}
_SHAPES: dict[Kind | None, Shape] = {
    Kind.STATEFULSET: {**_IDENTITY, "spec": {
        "serviceName": True, "selector": True, "replicas": True, "ordinals": True, "podManagementPolicy": True,
        "template": {
            "metadata": {"labels": True, "annotations": _SUPPRESSIONS},
            # A readiness probe is only looked for, not read: an empty mapping stands for it.
            "spec": {"containers": _Each({
                "name": True, "readinessProbe": _PRESENT,
                "ports": _Each({"name": True, "containerPort": True, "protocol": True})})},
        },
    }},
    # What `model.service_view` reads.
    Kind.SERVICE: {**_IDENTITY, "spec": {
        "type": True, "clusterIP": True, "clusterIPs": True, "selector": True, "publishNotReadyAddresses": True,
        "ipFamilies": True, "ports": _Each({"name": True, "port": True, "targetPort": True, "protocol": True}),
        "template": _TEMPLATE_SUPPRESSIONS}},
    # Other kinds: identity for duplicate-object, and what a PodDisruptionBudget needs for pdb-missing.
    None: {**_IDENTITY, "spec": {"selector": True, "minAvailable": True, "maxUnavailable": True}},
}
# Objects with a mistake in their kind or apiVersion: only named in findings and reports.
_NAMED_ONLY: Shape = _IDENTITY


def slim(obj: ManifestObject, found: ObjectResult) -> CompactObject:
    """A copy of `obj` with only what later stages read, its positions packed as it is copied."""
    shape = _SHAPES[found.kind] if found.kind is not None or found.other else _NAMED_ONLY
    copier = _Slimmer(obj.positions)
    data = copier.copy(obj.data, shape)
    packed, base = _compact(copier.out)
    return CompactObject.of(obj, data, packed, base)


_SHORT = 32767


def _compact(packed: array[int]) -> tuple[array[int], int]:
    """Two bytes a number instead of four where they fit: lines counted from the object's first one."""
    lines = [line for line in packed[::2] if line != _NONE]
    if not lines:
        return array("h", packed), 0
    base = min(lines)
    if max(lines) - base > _SHORT or max(packed[1::2]) > _SHORT:
        return array("i", packed), 0  # an object over 32,767 lines, or a very long line
    shifted = packed.tolist()
    for index in range(0, len(shifted), 2):
        if shifted[index] != _NONE:
            shifted[index] -= base
    return array("h", shifted), base


_MISSING4 = (_NONE, _NONE, _NONE, _NONE)
_intern = sys.intern


def _none_prefixed(value: Any, prefix: str) -> bool:
    """A mapping none of whose keys has the prefix: left out of the copy altogether."""
    return type(value) is dict and not any(type(key) is str and key.startswith(prefix) for key in value)


class _Slimmer:
    """Copies by shape, writing the copy's packed positions in the order `PackedPositions` reads them
    (pre-order over containers). Everything kept is copied, strings interned: thousands of objects
    then share one "name", "containerPort" or "TCP" instead of each holding its own."""

    __slots__ = ("maps", "out", "seqs")

    def __init__(self, source: PositionIndex) -> None:
        # The parser's tables, read directly (objects are slimmed straight after parsing).
        self.maps = source.maps
        self.seqs = source.seqs
        self.out: array[int] = array("i")

    def _write_map(self, node: dict[Any, Any], keys: Any) -> None:
        table = self.maps.get(id(node)) or {}
        extend = self.out.extend
        for key in keys:
            entry = table.get(key)
            if entry is None:
                extend(_MISSING4)
            else:
                extend(entry[0])
                extend(entry[1])

    def _write_seq(self, node: list[Any]) -> None:
        table = self.seqs.get(id(node)) or []
        count = len(table)
        extend = self.out.extend
        for index in range(len(node)):
            extend(table[index] if index < count else (_NONE, _NONE))

    def copy(self, node: Any, shape: Shape) -> Any:
        kind = type(node)
        if kind is not dict and kind is not list:
            return _intern(node) if kind is str else node
        if shape is True or (kind is list) != isinstance(shape, _Each):
            return self.whole(node)  # also a value whose type does not fit its shape: read as written
        if isinstance(shape, _Each):
            self._write_seq(node)
            return [self.copy(item, shape.shape) for item in node]
        if isinstance(shape, _Prefixed):
            prefix = shape.prefix
            keys = [key for key in node if type(key) is str and key.startswith(prefix)]
            self._write_map(node, keys)
            return {_intern(key): self.copy(node[key], True) for key in keys}
        assert not isinstance(shape, bool)
        get = shape.get
        keys = [key for key in node if type(key) is str and (inner := get(key)) is not None
                and not (isinstance(inner, _Prefixed) and _none_prefixed(node[key], inner.prefix))]
        self._write_map(node, keys)
        return {_intern(key): self.copy(node[key], shape[key]) for key in keys}

    def whole(self, node: Any) -> Any:
        """A deep copy (iterative: values may nest as deep as the parser allows)."""
        root: Any = {} if type(node) is dict else []
        stack = [(node, root)]
        pop = stack.pop
        while stack:
            source, target = pop()
            children: list[tuple[Any, Any]] = []
            if type(source) is dict:
                self._write_map(source, source)
                for key, value in source.items():
                    kind = type(value)
                    if kind is dict or kind is list:
                        value, original = ({} if kind is dict else []), value
                        children.append((original, value))
                    elif kind is str:
                        value = _intern(value)
                    target[_intern(key) if type(key) is str else key] = value
            else:
                self._write_seq(source)
                for value in source:
                    kind = type(value)
                    if kind is dict or kind is list:
                        value, original = ({} if kind is dict else []), value
                        children.append((original, value))
                    elif kind is str:
                        value = _intern(value)
                    target.append(value)
            children.reverse()
            stack += children
        return root


_NO_MAPS: dict[int, dict[Any, tuple[Pos, Pos]]] = {}
_NO_SEQS: dict[int, list[Pos]] = {}


class PackedPositions(PositionIndex):
    """A PositionIndex stored as one int array, in the pre-order of the object's containers.

    Each mapping entry takes four slots (key line, key column, value line, value column) and
    each sequence item two (line, column); -1 marks an entry with no recorded position. Lines may
    be stored counted from `base` (slim copies use two-byte numbers that way). A lookup
    finds its container's offset in a table built on first use from the object's own containers,
    so the packed form survives pickling (which keeps aliased containers shared within a pickle)
    and nothing is unpacked for objects without findings.
    """

    __slots__ = ("_base", "_data", "_offsets", "_packed")

    def __init__(self, data: dict[str, Any], packed: array[int], base: int = 0) -> None:
        # The tables of the base class stay empty: one shared pair instead of two dicts per object.
        super().__init__(_NO_MAPS, _NO_SEQS)
        self._data = data
        self._packed = packed
        self._base = base
        self._offsets: dict[int, int] | None = None

    @classmethod
    def pack(cls, obj: ManifestObject) -> PositionIndex:
        positions = obj.positions
        if isinstance(positions, PackedPositions):
            return positions
        maps, seqs = positions.maps, positions.seqs
        out = array("i")
        extend = out.extend
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
                        extend(_MISSING4)
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
                base = self._base
                return (packed[at] + base, packed[at + 1]), (packed[at + 2] + base, packed[at + 3])
        return None

    def item(self, container: object, index: int) -> Pos | None:
        offsets = self._offsets if self._offsets is not None else self._index()
        at = offsets.get(id(container))
        if at is None or not isinstance(container, list) or not 0 <= index < len(container):
            return None
        at += 2 * index
        packed = self._packed
        return None if packed[at] == _NONE else (packed[at] + self._base, packed[at + 1])

    def __getstate__(self) -> tuple[Any, array[int], int]:
        return (self._data, self._packed, self._base)

    def __setstate__(self, state: tuple[Any, array[int], int]) -> None:
        self.maps, self.seqs = _NO_MAPS, _NO_SEQS
        self._data, self._packed, self._base = state
        self._offsets = None


class BlockStore:
    """Bytes appended one after the other and read back by offset, kept deflated a block at a time.

    The parent appends the encoded copy of every object it keeps (about 700 bytes each, 16 MB at
    20,000 documents); blocks of `BLOCK` bytes, where the same keys and labels repeat from one
    object to the next, deflate to about a tenth of that (in about 3 ms a block). Offsets count
    the bytes as appended. Reading inflates the block it falls in and keeps the last one, so the
    parent's passes over the objects in input order inflate each block once per pass.
    """

    __slots__ = ("_blocks", "_last", "_last_index", "_tail")

    BLOCK = 32 * 1024

    def __init__(self) -> None:
        self._blocks: list[bytes] = []
        self._tail = bytearray()
        self._last = b""
        self._last_index = -1

    def __len__(self) -> int:
        return len(self._blocks) * self.BLOCK + len(self._tail)

    @property
    def stored(self) -> int:
        """Bytes held: the deflated blocks and the tail not yet deflated."""
        return sum(len(block) for block in self._blocks) + len(self._tail)

    def append(self, data: bytes | bytearray) -> int:
        """Append `data`; returns its offset."""
        at = len(self)
        tail = self._tail
        tail += data
        size = self.BLOCK
        while len(tail) >= size:
            self._blocks.append(zlib.compress(tail[:size], 1))
            del tail[:size]
        return at

    def _block(self, index: int) -> bytes | bytearray:
        if index == len(self._blocks):
            return self._tail
        if index != self._last_index:
            self._last = zlib.decompress(self._blocks[index])
            self._last_index = index
        return self._last

    def read(self, at: int, size: int) -> bytes:
        """The `size` bytes appended at offset `at`."""
        index, offset = divmod(at, self.BLOCK)
        if index == self._last_index and offset + size <= len(self._last) and at >= 0 and size >= 0:
            return self._last[offset:offset + size]  # (the usual case: the block read last)
        if at < 0 or size < 0 or at + size > len(self):
            raise IndexError("outside the stored bytes")
        block = self._block(index)
        if offset + size <= len(block):
            return bytes(block[offset:offset + size])
        parts = []
        while size > 0:
            block = self._block(index)
            piece = block[offset:offset + size]
            parts.append(bytes(piece))
            size -= len(piece)
            index, offset = index + 1, 0
        return b"".join(parts)


# The storage of ManifestObject's `data` and `positions`, which CompactObject fills only once decoded.
_DATA_SLOT: Any = ManifestObject.__dict__["data"]
_POSITIONS_SLOT: Any = ManifestObject.__dict__["positions"]


# A start position (line, column) or a span (offset, size) as one number where it fits: a pair of
# numbers costs a tuple and two ints (about 100 bytes), one number about 32.
def restore_compact(origin: str, document: int, start: Pos, item: int | None, helm: HelmSource | None,
                    identity: tuple[str, str, str, str, bool], blob: bytes | bytearray | BlockStore, at: int = 0,
                    size: int = -1) -> CompactObject:
    """A CompactObject from its parts; `blob[at:at + size]` holds its encoded copy (all of it by default)."""
    new = object.__new__(CompactObject)
    new.origin, new.document, new.item, new.helm = origin, document, item, helm
    new._where = pack_pair(start)
    kind, api_version, name, namespace, new._suppressible = identity
    # Interned: one "Service", "v1" or namespace for all objects, whichever process read them.
    new._kind, new._api_version, new._name, new._namespace = (_intern(kind), _intern(api_version), _intern(name),
                                                              _intern(namespace))
    new._blob, new._span = blob, pack_pair((at, len(blob) if size < 0 else size))
    return new


class CompactObject(ManifestObject):
    """A slim copy kept as bytes: its data and packed positions, marshalled (about 700 bytes for a
    StatefulSet or Service; deflating them halves that but costs 15 microseconds an object).

    What every object is asked for (kind, apiVersion, name, namespace, where it starts, whether it
    has suppression annotations) is kept as attributes. `data` and `positions` are decoded on first
    use and then kept: only for the few objects a finding is located on or a rule reads field by
    field. `peek` decodes without keeping (views are built from it, see `model.py`). Strings
    interned when the copy was made are interned again when it is decoded, so decoded copies share
    them ("name", "TCP", label keys...). The bytes are the object's own, or a span of a buffer that
    holds those of many objects (`stored_in`). Where it starts and where its bytes are take one
    number each (`pack_pair`).
    """

    __slots__ = ("_api_version", "_blob", "_kind", "_name", "_namespace", "_span", "_suppressible", "_where")
    _api_version: str
    _blob: bytes | bytearray | BlockStore
    _kind: str
    _name: str
    _namespace: str
    _span: int | tuple[int, int]
    _suppressible: bool
    _where: int | tuple[int, int]

    compact = True

    @classmethod
    def of(cls, obj: ManifestObject, data: dict[str, Any], packed: array[int], base: int) -> CompactObject:
        meta = data.get("metadata")
        spec = data.get("spec")
        template = spec.get("template") if type(spec) is dict else None
        template_meta = template.get("metadata") if type(template) is dict else None
        suppressible = (type(meta) is dict and "annotations" in meta) or (
            type(template_meta) is dict and "annotations" in template_meta)
        blob = marshal.dumps((data, packed.typecode, packed.tobytes(), base))
        return restore_compact(obj.origin, obj.document, obj.start, obj.item, obj.helm,
                        (obj.kind, obj.api_version, obj.name, obj.namespace, suppressible), blob)

    @property
    def start(self) -> Pos:
        return unpack_pair(self._where)

    @start.setter
    def start(self, value: Pos) -> None:
        self._where = pack_pair(value)

    @property
    def packed_start(self) -> int | tuple[int, int]:
        """`start` as one number (see `pack_pair`), as kept."""
        return self._where

    @property
    def _size(self) -> int:
        return unpack_pair(self._span)[1]

    def identity(self) -> tuple[str, str, str, str, bool]:
        return self._kind, self._api_version, self._name, self._namespace, self._suppressible

    def encoded(self) -> bytes:
        blob = self._blob
        at, size = unpack_pair(self._span)
        if isinstance(blob, BlockStore):
            return blob.read(at, size)
        if at == 0 and size == len(blob) and type(blob) is bytes:
            return blob
        return bytes(blob[at:at + size])

    def stored_in(self, buffer: bytearray | BlockStore) -> tuple[int, int]:
        """Append the encoded copy to `buffer`: (offset, size), for `restore_compact`."""
        encoded = self.encoded()
        if isinstance(buffer, BlockStore):
            return buffer.append(encoded), self._size
        at = len(buffer)
        buffer += encoded
        return at, self._size

    def __reduce__(self) -> tuple[Any, ...]:
        return (restore_compact, (self.origin, self.document, self.start, self.item, self.helm, self.identity(),
                           self.encoded()))

    def _decode(self) -> tuple[dict[str, Any], PackedPositions]:
        blob = self._blob
        at, size = unpack_pair(self._span)
        if isinstance(blob, BlockStore):
            data, typecode, raw, base = marshal.loads(blob.read(at, size))
        else:
            with memoryview(blob) as whole, whole[at:at + size] as view:
                data, typecode, raw, base = marshal.loads(view)
        packed = array(typecode)
        packed.frombytes(raw)
        return data, PackedPositions(data, packed, base)

    def _decoded(self) -> dict[str, Any] | None:
        try:
            value: dict[str, Any] = _DATA_SLOT.__get__(self, ManifestObject)
        except AttributeError:
            return None
        return value

    @property
    def data(self) -> dict[str, Any]:
        value = self._decoded()
        if value is None:
            value, positions = self._decode()
            _DATA_SLOT.__set__(self, value)
            _POSITIONS_SLOT.__set__(self, positions)
        return value

    @data.setter
    def data(self, value: dict[str, Any]) -> None:
        raise AttributeError("a compact object is read only")

    @property
    def positions(self) -> PositionIndex:
        self.data  # noqa: B018 - decodes both
        positions: PositionIndex = _POSITIONS_SLOT.__get__(self, ManifestObject)
        return positions

    @positions.setter
    def positions(self, value: PositionIndex) -> None:
        raise AttributeError("a compact object is read only")

    def peek(self) -> dict[str, Any]:
        value = self._decoded()
        return value if value is not None else self._decode()[0]

    @property
    def kind(self) -> str:
        return self._kind

    @property
    def api_version(self) -> str:
        return self._api_version

    @property
    def name(self) -> str:
        return self._name

    @property
    def namespace(self) -> str:
        return self._namespace

    @property
    def suppressible(self) -> bool:
        return self._suppressible

    @property
    def size(self) -> int:
        """Bytes of the encoded copy (for tests and measurements)."""
        return self._size
