"""YAML/JSON text -> plain Python documents with positions, read the way Kubernetes reads them.

libyaml (through PyYAML's C parser) produces a stream of events; this module builds the
documents from those events itself, iteratively, so that
  * nesting depth, alias expansion and document count are bounded (no recursion, no bombs),
  * no tag ever constructs a Python object,
  * duplicate keys are reported with both lines,
  * plain scalars resolve like the API server's YAML decoder (go-yaml v2, YAML 1.1 rules:
    `on`/`yes`/`y` are booleans, `0755` is octal, `~` is null),
  * every mapping key, value and sequence item keeps its (line, column) from the file start.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml import events as ev

# Positions are 0-based (line, column) pairs internally, as libyaml reports them.
Pos = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Limits:
    """Resource bounds for hostile input. Documented in the README; raised by CLI options."""

    max_depth: int = 100
    max_aliases: int = 1_000
    max_nodes: int = 500_000
    max_documents: int = 100_000


@dataclass(slots=True)
class PositionIndex:
    """Where each key, value and item of a document stands in the file.

    Keyed by the id() of the container (the containers are kept alive by the document), so
    the cost is one small dict or list per mapping or sequence, nothing per scalar lookup.
    """

    maps: dict[int, dict[Any, tuple[Pos, Pos]]] = field(default_factory=dict)
    seqs: dict[int, list[Pos]] = field(default_factory=dict)

    def key_and_value(self, container: object, key: Any) -> tuple[Pos, Pos] | None:
        table = self.maps.get(id(container))
        return None if table is None else table.get(key)

    def item(self, container: object, index: int) -> Pos | None:
        table = self.seqs.get(id(container))
        if table is None or not 0 <= index < len(table):
            return None
        return table[index]


@dataclass(slots=True)
class RawDocument:
    index: int
    data: Any
    start: Pos
    positions: PositionIndex


@dataclass(frozen=True, slots=True)
class ParseIssue:
    """A problem found while reading YAML, before any Kubernetes meaning is given to it."""

    rule: str
    message: str
    pos: Pos
    document: int | None
    hint: str = ""
    fatal: bool = False


class LimitExceeded(Exception):
    def __init__(self, message: str, pos: Pos) -> None:
        super().__init__(message)
        self.pos = pos


_TAG_PREFIX = "tag:yaml.org,2002:"
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "true", "True", "TRUE"})
_FALSE = frozenset({"n", "N", "no", "No", "NO", "off", "Off", "OFF", "false", "False", "FALSE"})
_INF = {".inf": math.inf, ".Inf": math.inf, ".INF": math.inf, "+.inf": math.inf, "+.Inf": math.inf,
        "+.INF": math.inf, "-.inf": -math.inf, "-.Inf": -math.inf, "-.INF": -math.inf}
_NAN = frozenset({".nan", ".NaN", ".NAN"})
_YAML_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_GO_INT = re.compile(
    r"[-+]?(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|0[0-7_]*|[1-9][0-9_]*)")
_INT64 = 1 << 63


def _go_parse_int(text: str) -> int | None:
    """strconv.ParseInt(text, 0, 64) after go-yaml v2 removed underscores, plus its 0b form."""
    plain = text.replace("_", "")
    if not plain or not _GO_INT.fullmatch(plain):
        return None
    sign = -1 if plain[0] == "-" else 1
    body = plain.lstrip("+-")
    lower = body.lower()
    if lower.startswith("0x"):
        value = int(body[2:], 16) if len(body) > 2 else None
    elif lower.startswith("0o"):
        value = int(body[2:], 8) if len(body) > 2 else None
    elif lower.startswith("0b"):
        value = int(body[2:], 2) if len(body) > 2 else None
    elif len(body) > 1 and body[0] == "0":
        value = int(body, 8)
    else:
        value = int(body)
    if value is None:
        return None
    value *= sign
    # ParseInt fails beyond int64; go-yaml then tries ParseUint for large positive values.
    if -_INT64 <= value < (1 << 64):
        return value
    return None


def resolve_plain(text: str) -> Any:
    """The value of an untagged plain scalar, as go-yaml v2 (used by sigs.k8s.io/yaml) reads it."""
    if text in _NULLS:
        return None
    first = text[0]
    if first in "yYnNoOtTfF":
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        return text
    if first in "0123456789+-.":
        if text in _INF:
            return _INF[text]
        if text in _NAN:
            return math.nan
        value = _go_parse_int(text)
        if value is not None:
            return value
        plain = text.replace("_", "")
        if _YAML_FLOAT.fullmatch(plain):
            try:
                return float(plain)
            except ValueError:
                return text
    return text


def _resolve_tagged(tag: str, text: str) -> tuple[Any, str | None]:
    """Value for an explicitly tagged scalar, and an error message when the tag is not allowed."""
    short = tag[len(_TAG_PREFIX):] if tag.startswith(_TAG_PREFIX) else None
    if short in ("str", "binary", "timestamp"):
        return text, None
    if short == "null":
        return None, None
    if short == "bool":
        if text in _TRUE:
            return True, None
        if text in _FALSE:
            return False, None
        return text, f"!!bool value {text!r} is not a boolean"
    if short == "int":
        value = _go_parse_int(text)
        return (text, f"!!int value {text!r} is not an integer") if value is None else (value, None)
    if short == "float":
        resolved = resolve_plain(text)
        if isinstance(resolved, (int, float)) and not isinstance(resolved, bool):
            return float(resolved), None
        return text, f"!!float value {text!r} is not a number"
    return text, _unsupported_tag_message(tag)


def _unsupported_tag_message(tag: str) -> str:
    if tag.startswith(_TAG_PREFIX + "python/") or tag.startswith("!!python"):
        return f"tag {tag} would construct a Python object; it is never executed and not allowed"
    return f"tag {tag} is not supported by Kubernetes' YAML decoder"


def _mark(event: Any) -> Pos:
    mark = event.start_mark
    return (mark.line, mark.column)


def _key_text(key: Any) -> Any:
    """Map keys become JSON object keys: go-yaml values are printed the way sigs.k8s.io/yaml does."""
    if isinstance(key, str):
        return key
    if key is True:
        return "true"
    if key is False:
        return "false"
    if key is None:
        return "null"
    if isinstance(key, float) and key.is_integer():
        return str(int(key))
    return str(key)


class _Frame:
    __slots__ = (
        "anchor",
        "container",
        "explicit_keys",
        "is_map",
        "key_is_bad",
        "key_pos",
        "merge_next",
        "nodes_before",
        "pending_key",
        "positions",
        "start",
    )

    def __init__(self, container: Any, is_map: bool, start: Pos, anchor: str | None) -> None:
        self.container = container
        self.is_map = is_map
        self.pending_key: Any = None
        self.key_pos: Pos | None = None
        self.positions: Any = {} if is_map else []
        self.start = start
        self.anchor = anchor
        self.key_is_bad = False
        self.merge_next = False
        self.explicit_keys: dict[Any, Pos] = {}
        self.nodes_before = 0


class _Builder:
    """Turns one stream's events into RawDocuments and ParseIssues."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.documents: list[RawDocument] = []
        self.issues: list[ParseIssue] = []
        self.doc_index = -1

    def issue(self, rule: str, message: str, pos: Pos, hint: str = "", fatal: bool = False) -> None:
        self.issues.append(ParseIssue(rule, message, pos, self.doc_index, hint, fatal))

    def run(self, events: Iterator[Any]) -> None:
        limits = self.limits
        stack: list[_Frame] = []
        anchors: dict[str, tuple[Any, int]] = {}
        positions = PositionIndex()
        nodes = aliases = 0
        # > 0 while skipping the rest of a document that hit a limit: the open container count.
        skip_depth = 0
        dropped = False
        for event in events:
            etype = type(event)
            if etype is ev.DocumentStartEvent:
                self.doc_index += 1
                if self.doc_index >= limits.max_documents:
                    raise LimitExceeded(f"more than {limits.max_documents} documents in one stream "
                                        "(raise --max-documents)", _mark(event))
                anchors = {}
                positions = PositionIndex()
                nodes = aliases = skip_depth = 0
                stack = []
                dropped = False
                continue
            if etype is ev.DocumentEndEvent or etype is ev.StreamStartEvent or etype is ev.StreamEndEvent:
                continue
            if skip_depth:
                if etype is ev.MappingStartEvent or etype is ev.SequenceStartEvent:
                    skip_depth += 1
                elif etype is ev.MappingEndEvent or etype is ev.SequenceEndEvent:
                    skip_depth -= 1
                continue
            if dropped:
                continue
            size = 1
            if etype is ev.ScalarEvent:
                node_pos = _mark(event)
                tag = event.tag
                if tag is None or tag == "!":
                    # implicit[0] is libyaml's "plain scalar": only those are resolved.
                    value: Any = (resolve_plain(event.value) if event.implicit[0] and tag is None
                                  else event.value)
                else:
                    value, error = _resolve_tagged(tag, event.value)
                    if error:
                        self._tag_issue(tag, error, node_pos)
                nodes += 1
                if event.anchor:
                    anchors[event.anchor] = (value, 1)
            elif etype is ev.MappingStartEvent or etype is ev.SequenceStartEvent:
                is_map = etype is ev.MappingStartEvent
                start = _mark(event)
                if len(stack) >= limits.max_depth:
                    self.issue("yaml-limit", f"nesting deeper than {limits.max_depth} levels "
                               "(raise --max-depth)", start, fatal=True)
                    skip_depth = len(stack) + 1
                    dropped = True
                    continue
                tag = event.tag
                allowed = (_TAG_PREFIX + "map") if is_map else (_TAG_PREFIX + "seq")
                if tag not in (None, "!", allowed):
                    self._tag_issue(tag, _unsupported_tag_message(tag), start)
                frame = _Frame({} if is_map else [], is_map, start, event.anchor)
                frame.nodes_before = nodes
                stack.append(frame)
                nodes += 1
                continue
            elif etype is ev.MappingEndEvent or etype is ev.SequenceEndEvent:
                frame = stack.pop()
                value = frame.container
                node_pos = frame.start
                if frame.is_map:
                    positions.maps[id(value)] = frame.positions
                else:
                    positions.seqs[id(value)] = frame.positions
                if frame.anchor:
                    anchors[frame.anchor] = (value, nodes - frame.nodes_before)
            elif etype is ev.AliasEvent:
                node_pos = _mark(event)
                aliases += 1
                target = anchors.get(event.anchor)
                if aliases > limits.max_aliases:
                    self.issue("yaml-limit", f"more than {limits.max_aliases} aliases in one document "
                               "(raise --max-aliases)", node_pos, fatal=True)
                elif target is None:
                    self.issue("yaml-syntax", f"alias *{event.anchor} names no earlier anchor",
                               node_pos, fatal=True)
                else:
                    value, size = target
                    nodes += size
                    if nodes > limits.max_nodes:
                        self.issue("yaml-limit", f"document expands to more than {limits.max_nodes} "
                                   "nodes through aliases (raise --max-nodes)", node_pos, fatal=True)
                if aliases > limits.max_aliases or target is None or nodes > limits.max_nodes:
                    skip_depth = len(stack)
                    dropped = True
                    continue
            else:  # pragma: no cover - libyaml emits no other event types
                continue

            if not stack:
                self.documents.append(RawDocument(self.doc_index, value, node_pos, positions))
                continue
            parent = stack[-1]
            if not parent.is_map:
                parent.container.append(value)
                parent.positions.append(node_pos)
            elif parent.key_pos is None:
                self._take_key(parent, value, node_pos, etype)
            else:
                self._set_value(parent, value, node_pos, positions)

    def _tag_issue(self, tag: str, message: str, pos: Pos) -> None:
        rule = "yaml-unsafe-tag" if "python" in tag else "yaml-unsupported-tag"
        self.issue(rule, message, pos, "remove the tag; Kubernetes manifests use plain YAML values")

    def _take_key(self, frame: _Frame, key: Any, pos: Pos, etype: type) -> None:
        frame.key_pos = pos
        frame.key_is_bad = False
        frame.merge_next = False
        if etype is not ev.ScalarEvent and etype is not ev.AliasEvent:
            self.issue("yaml-complex-key", "a mapping or sequence used as a key is not allowed in "
                       "Kubernetes manifests", pos)
            frame.key_is_bad = True
            return
        if key == "<<" and etype is ev.ScalarEvent:
            frame.merge_next = True
            return
        if isinstance(key, (dict, list)):
            self.issue("yaml-complex-key", "a mapping or sequence used as a key is not allowed", pos)
            frame.key_is_bad = True
            return
        frame.pending_key = _key_text(key)

    def _set_value(self, frame: _Frame, value: Any, pos: Pos, positions: PositionIndex) -> None:
        key_pos = frame.key_pos
        assert key_pos is not None
        frame.key_pos = None
        if frame.key_is_bad:
            return
        target: dict[Any, Any] = frame.container
        if frame.merge_next:
            self._merge(frame, value, key_pos, positions)
            return
        key = frame.pending_key
        first = frame.explicit_keys.get(key)
        if first is not None:
            self.issue("yaml-duplicate-key",
                       f"duplicate key {key!r}: already defined at line {first[0] + 1}, column "
                       f"{first[1] + 1}; the API server rejects it (kubectl: 'already defined')",
                       key_pos, "remove one of the two entries")
        frame.explicit_keys[key] = key_pos
        target[key] = value
        frame.positions[key] = (key_pos, pos)

    def _merge(self, frame: _Frame, value: Any, pos: Pos, positions: PositionIndex) -> None:
        """go-yaml v2 merge: applied in place, in order; within a list earlier maps win."""
        sources = [value] if isinstance(value, dict) else value if isinstance(value, list) else None
        if sources is None or not all(isinstance(s, dict) for s in sources):
            self.issue("yaml-syntax", "a merge key '<<' needs a mapping or a list of mappings", pos)
            return
        for source in reversed(sources):
            table = positions.maps.get(id(source), {})
            for key, item in source.items():
                frame.container[key] = item
                frame.positions[key] = table.get(key, (pos, pos))


def parse_stream(text: str, limits: Limits | None = None) -> tuple[list[RawDocument], list[ParseIssue]]:
    """All documents of a YAML (or JSON) stream, and the problems met on the way.

    A syntax error ends the stream: the documents completed before it are still returned.
    """
    builder = _Builder(limits or Limits())
    try:
        builder.run(yaml.parse(text, Loader=yaml.CBaseLoader if _HAS_C else yaml.BaseLoader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        pos = (mark.line, mark.column) if mark is not None else (0, 0)
        problem = exc.problem or "invalid YAML"
        if exc.context and exc.context_mark is not None and exc.context_mark is not mark:
            problem = f"{problem} ({exc.context} at line {exc.context_mark.line + 1})"
        hint = "indent with spaces: YAML does not allow tabs" if "\\t" in problem or "tab" in problem \
            else "fix the YAML syntax; everything after this point in the file was not checked"
        builder.issue("yaml-syntax", problem, pos, hint, fatal=True)
    except yaml.YAMLError as exc:
        builder.issue("yaml-syntax", str(exc), (0, 0), fatal=True)
    except LimitExceeded as exc:
        builder.issue("yaml-limit", str(exc), exc.pos, fatal=True)
    return builder.documents, builder.issues


_HAS_C = hasattr(yaml, "CBaseLoader")
