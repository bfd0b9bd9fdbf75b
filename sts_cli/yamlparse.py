"""YAML/JSON text -> plain Python documents with positions, read the way Kubernetes reads them.

libyaml (through PyYAML's C parser) produces a stream of events; this module builds the
documents from those events itself, iteratively, so that
  * nesting depth, alias expansion (count, nodes and characters) and document count are
    bounded: no recursion, no alias bombs, time and memory linear in the input,
  * no tag ever constructs a Python object: `!!python/...` and unknown tags are findings,
  * duplicate keys are reported with both lines,
  * plain scalars resolve like the API server's YAML decoder (go-yaml v2 through
    sigs.k8s.io/yaml, YAML 1.1 rules: `on`/`yes`/`y` are booleans, `0755` is octal, `~` is
    null, timestamps stay strings), and map keys become JSON object keys as sigs.k8s.io/yaml
    makes them (`yes: 1` has the key "true"; a null key is an error),
  * merge keys `<<` behave as in go-yaml v2: applied in place, in order (a later `<<` overrides
    keys written before it), and in a list of maps the earlier maps win,
  * every mapping key, value and sequence item keeps its (line, column) from the file start.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sts_cli.limits import Limits

# PyYAML (about 8 ms to import) is loaded by the first parse: a run answered from the cache
# never needs it. `ev` is `yaml.events` from then on.
ev: Any = None

# Positions are 0-based (line, column) pairs internally, as libyaml reports them.
Pos = tuple[int, int]

# libyaml refuses to nest deeper than this itself, whatever --max-depth says.
PARSER_MAX_DEPTH = 1000


@dataclass(slots=True)
class PositionIndex:
    """Where each key, value and item of a document stands in the file.

    Keyed by the id() of the container (the containers are kept alive by the document), so
    the cost is one small dict or list per mapping or sequence, nothing per scalar lookup.
    A container reached through an alias is the anchored container itself, so its fields are
    located where the anchor wrote them.
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


def short(text: str, limit: int = 60) -> str:
    """`text` cut to `limit` characters for messages: hostile input must not make huge findings."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- scalar resolution: go-yaml v2 resolve.go, as vendored by sigs.k8s.io/yaml ---------------

_TAG_PREFIX = "tag:yaml.org,2002:"
_MISSING = object()
# resolveMap: exact spellings only (`TRUE` and `True` are booleans, `tRUE` is a string).
_RESOLVE_MAP: dict[str, Any] = {
    **dict.fromkeys(("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"), True),
    **dict.fromkeys(("n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"), False),
    **dict.fromkeys(("", "~", "null", "Null", "NULL"), None),
    **dict.fromkeys((".nan", ".NaN", ".NAN"), math.nan),
    **dict.fromkeys((".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"), math.inf),
    **dict.fromkeys(("-.inf", "-.Inf", "-.INF"), -math.inf),
}
_TRUE = frozenset(k for k, v in _RESOLVE_MAP.items() if v is True)
_FALSE = frozenset(k for k, v in _RESOLVE_MAP.items() if v is False)
_NULLS = frozenset(k for k, v in _RESOLVE_MAP.items() if v is None)
# resolveTable: only plain scalars starting with these characters can be anything but a string.
_MAP_HINT = frozenset("yYnNtTfFoO~")
_NUMBER_HINT = frozenset("+-0123456789")
# yamlStyleFloat, applied after underscores are removed.
_YAML_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
# strconv.ParseFloat on a value starting with '.' (underscores only between digits).
_DOT_FLOAT = re.compile(r"\.[0-9]+(_[0-9]+)*([eE][-+]?[0-9]+(_[0-9]+)*)?")
# strconv.ParseInt(s, 0, 64) bodies: 0x, 0o, 0b prefixes (any case), a leading 0 means octal.
_GO_INT_BODY = re.compile(r"0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*")
_INT64 = 1 << 63
_UINT64 = 1 << 64
# The layouts go-yaml v2 accepts for timestamps (they decode to strings into interface{}).
_TIMESTAMP = re.compile(
    r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
    r"([Tt][0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(\.[0-9]+)?(Z|[-+][0-9]{2}:[0-9]{2})"
    r"| [0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(\.[0-9]+)?)?")


def _go_parse_int(plain: str) -> int | None:
    """strconv.ParseInt(plain, 0, 64), then ParseUint(plain, 0, 64): None when both fail."""
    sign = plain[0] if plain and plain[0] in "+-" else ""
    body = plain[len(sign):]
    if not _GO_INT_BODY.fullmatch(body):
        return None
    prefix = body[:2].lower()
    if prefix == "0x":
        value = int(body[2:], 16)
    elif prefix == "0o":
        value = int(body[2:], 8)
    elif prefix == "0b":
        value = int(body[2:], 2)
    elif len(body) > 1 and body[0] == "0":
        value = int(body, 8)
    else:
        value = int(body)
    if sign == "-":
        value = -value
    if -_INT64 <= value < _INT64:
        return value
    if not sign and value < _UINT64:  # ParseUint takes no sign
        return value
    return None


def _go_parse_float(text: str) -> float | None:
    """strconv.ParseFloat: None on a syntax error and on overflow (ErrRange)."""
    try:
        value = float(text)
    except ValueError:
        return None
    return None if math.isinf(value) else value


def resolve_plain(text: str) -> Any:
    """The value of an untagged plain scalar, as go-yaml v2 (used by sigs.k8s.io/yaml) reads it."""
    if not text:
        return None
    first = text[0]
    if first in _MAP_HINT:
        value = _RESOLVE_MAP.get(text, _MISSING)
        return text if value is _MISSING else value
    if first == ".":
        value = _RESOLVE_MAP.get(text, _MISSING)
        if value is not _MISSING:
            return value
        if _DOT_FLOAT.fullmatch(text):
            number = _go_parse_float(text.replace("_", ""))
            if number is not None:
                return number
        return text
    if first in _NUMBER_HINT:
        value = _RESOLVE_MAP.get(text, _MISSING)
        if value is not _MISSING:
            return value
        if _TIMESTAMP.fullmatch(text):
            return text  # a timestamp stays a string when decoded into interface{}
        plain = text.replace("_", "")
        integer = _go_parse_int(plain)
        if integer is not None:
            return integer
        if _YAML_FLOAT.fullmatch(plain):
            number = _go_parse_float(plain)
            if number is not None:
                return number
    return text


def _resolve_tagged(tag: str, text: str) -> tuple[Any, str | None]:
    """Value for an explicitly tagged scalar, and an error message when go-yaml would fail."""
    short_tag = tag[len(_TAG_PREFIX):] if tag.startswith(_TAG_PREFIX) else None
    if short_tag == "str":
        return text, None
    if short_tag == "binary":
        try:
            data = base64.b64decode("".join(text.split()), validate=True)
        except (binascii.Error, ValueError):
            return text, "!!binary value contains invalid base64 data"
        return data.decode("utf-8", "replace"), None
    if short_tag == "timestamp":
        if _TIMESTAMP.fullmatch(text):
            return text, None
        return text, f"!!timestamp value {short(text)!r} is not a timestamp"
    if short_tag == "null":
        if text in _NULLS:
            return None, None
        return text, f"!!null value {short(text)!r} is not null"
    if short_tag == "bool":
        if text in _TRUE:
            return True, None
        if text in _FALSE:
            return False, None
        return text, f"!!bool value {short(text)!r} is not a boolean"
    if short_tag == "int":
        value = _go_parse_int(text.replace("_", "")) if text and text[0] in _NUMBER_HINT else None
        if value is None:
            return text, f"!!int value {short(text)!r} is not an integer"
        return value, None
    if short_tag == "float":
        resolved = resolve_plain(text)
        if isinstance(resolved, (int, float)) and not isinstance(resolved, bool):
            return float(resolved), None
        return text, f"!!float value {short(text)!r} is not a number"
    return text, _unsupported_tag_message(tag)


def _unsupported_tag_message(tag: str) -> str:
    if _is_python_tag(tag):
        return f"tag {short(tag)} would construct a Python object; sts never does, and Kubernetes has no such values"
    return f"tag {short(tag)} is not supported by Kubernetes' YAML decoder"


def _is_python_tag(tag: str) -> bool:
    return "python" in tag.lower()


def _float32(value: float) -> float | None:
    """float32(value) as Go converts it; None when it overflows to infinity."""
    try:
        result: float = struct.unpack("<f", struct.pack("<f", value))[0]
    except OverflowError:
        return None
    return result


def go_float_key(value: float) -> str:
    """strconv.FormatFloat(value, 'g', -1, 32), with sigs.k8s.io/yaml's .inf/.nan spellings."""
    if math.isnan(value):
        return ".nan"
    x = _float32(value)
    if x is None or math.isinf(x):
        return "-.inf" if value < 0 else ".inf"
    if x == 0:
        return "-0" if math.copysign(1.0, x) < 0 else "0"
    magnitude = abs(x)
    text = f"{magnitude:.8e}"
    for digits_count in range(1, 10):  # the shortest digits that read back as the same float32
        candidate = f"{magnitude:.{digits_count - 1}e}"
        if _float32(float(candidate)) == magnitude:
            text = candidate
            break
    mantissa, exp_text = text.split("e")
    digits = mantissa.replace(".", "")
    exp = int(exp_text)
    sign = "-" if x < 0 else ""
    if exp < -4 or exp >= 6:
        body = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{sign}{body}e{'-' if exp < 0 else '+'}{abs(exp):02d}"
    point = exp + 1
    if point <= 0:
        return f"{sign}0.{'0' * -point}{digits}"
    if point >= len(digits):
        return sign + digits + "0" * (point - len(digits))
    return f"{sign}{digits[:point]}.{digits[point:]}"


def key_text(key: Any) -> str | None:
    """A resolved YAML key as the JSON object key sigs.k8s.io/yaml makes of it; None if it cannot."""
    if isinstance(key, str):
        return key
    if key is True:
        return "true"
    if key is False:
        return "false"
    if isinstance(key, int):
        return str(key) if -_INT64 <= key < _INT64 else None  # a uint64 key is rejected
    if isinstance(key, float):
        return go_float_key(key)
    return None


# --- the builder --------------------------------------------------------------------------------


def _mark(event: Any) -> Pos:
    mark = event.start_mark
    return (mark.line, mark.column)


class _Frame:
    __slots__ = (
        "anchor",
        "chars_before",
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
        self.pending_key: str = ""
        self.key_pos: Pos | None = None
        self.positions: Any = {} if is_map else []
        self.start = start
        self.anchor = anchor
        self.key_is_bad = False
        self.merge_next = False
        self.explicit_keys: dict[str, Pos] = {}
        self.nodes_before = 0
        self.chars_before = 0


@dataclass(slots=True)
class _Anchor:
    value: Any
    nodes: int
    chars: int
    is_map: bool


class _Builder:
    """Turns one stream's events into RawDocuments and ParseIssues."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.documents: list[RawDocument] = []
        self.issues: list[ParseIssue] = []
        self.doc_index = -1

    def issue(self, rule: str, message: str, pos: Pos, hint: str = "", fatal: bool = False) -> None:
        self.issues.append(ParseIssue(rule, message, pos, self.doc_index, hint, fatal))

    def _limit(self, message: str, pos: Pos,
               hint: str = "a Kubernetes manifest never needs this; if it is legitimate, raise the limit") -> None:
        self.issue("yaml-limit", message + "; this document was not checked", pos, hint, fatal=True)

    def run(self, events: Iterator[Any]) -> None:
        limits = self.limits
        max_alias_chars = limits.max_alias_chars
        stack: list[_Frame] = []
        anchors: dict[str, _Anchor] = {}
        positions = PositionIndex()
        nodes = aliases = chars = alias_chars = 0
        # > 0 while skipping the rest of a document that hit a limit: the open container count.
        skip_depth = 0
        dropped = False
        for event in events:
            etype = type(event)
            if etype is ev.DocumentStartEvent:
                self.doc_index += 1
                if self.doc_index >= limits.max_documents:
                    raise LimitExceeded(f"more than {limits.max_documents} documents in one stream "
                                        "(raise --max-documents); the rest of the stream was not checked",
                                        _mark(event))
                anchors = {}
                positions = PositionIndex()
                nodes = aliases = chars = alias_chars = skip_depth = 0
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
            is_plain_merge = False
            value_is_map: bool | None = None  # for merge values: was it a mapping (directly or by alias)?
            if etype is ev.ScalarEvent:
                node_pos = _mark(event)
                tag = event.tag
                text = event.value
                if tag is None or tag == "!":
                    # implicit[0] is libyaml's "plain scalar": only those are resolved.
                    plain = event.implicit[0]
                    value: Any = resolve_plain(text) if plain and tag is None else text
                    is_plain_merge = plain and text == "<<"
                elif tag == _TAG_PREFIX + "merge" and text == "<<":
                    value = text
                    is_plain_merge = True
                else:
                    value, error = _resolve_tagged(tag, text)
                    if error:
                        self._tag_issue(tag, error, node_pos)
                nodes += 1
                chars += len(text)
                if event.anchor:
                    anchors[event.anchor] = _Anchor(value, 1, len(text), False)
            elif etype is ev.MappingStartEvent or etype is ev.SequenceStartEvent:
                is_map = etype is ev.MappingStartEvent
                start = _mark(event)
                if len(stack) >= limits.max_depth:
                    self._limit(f"nesting deeper than {limits.max_depth} levels (raise --max-depth)", start)
                    skip_depth = 1
                    dropped = True
                    continue
                tag = event.tag
                allowed = (_TAG_PREFIX + "map") if is_map else (_TAG_PREFIX + "seq")
                if tag not in (None, "!", allowed):
                    self._tag_issue(tag, _unsupported_tag_message(tag), start)
                frame = _Frame({} if is_map else [], is_map, start, event.anchor)
                frame.nodes_before = nodes
                frame.chars_before = chars
                stack.append(frame)
                nodes += 1
                continue
            elif etype is ev.MappingEndEvent or etype is ev.SequenceEndEvent:
                frame = stack.pop()
                value = frame.container
                node_pos = frame.start
                value_is_map = frame.is_map
                if frame.is_map:
                    positions.maps[id(value)] = frame.positions
                else:
                    positions.seqs[id(value)] = frame.positions
                if frame.anchor:
                    anchors[frame.anchor] = _Anchor(value, nodes - frame.nodes_before,
                                                    chars - frame.chars_before, frame.is_map)
            elif etype is ev.AliasEvent:
                node_pos = _mark(event)
                aliases += 1
                target = anchors.get(event.anchor)
                if aliases > limits.max_aliases:
                    self._limit(f"more than {limits.max_aliases} aliases in one document (raise --max-aliases)",
                                node_pos)
                elif target is None:
                    self.issue("yaml-syntax", f"alias *{short(event.anchor)} names no earlier anchor "
                               "(or its own, still open, anchor)", node_pos,
                               "define the anchor (&name) before using it", fatal=True)
                else:
                    value = target.value
                    value_is_map = target.is_map
                    nodes += target.nodes
                    chars += target.chars
                    alias_chars += target.chars
                    if nodes > limits.max_nodes:
                        self._limit(f"document has more than {limits.max_nodes} nodes once aliases are "
                                    "expanded (raise --max-nodes)", node_pos)
                    elif alias_chars > max_alias_chars:
                        self._limit(f"aliases expand the document by more than {max_alias_chars} characters "
                                    "(raise --max-nodes)", node_pos)
                if target is None or aliases > limits.max_aliases or nodes > limits.max_nodes \
                        or alias_chars > max_alias_chars:
                    skip_depth = len(stack)
                    dropped = True
                    continue
            else:  # pragma: no cover - libyaml emits no other event types
                continue

            if nodes > limits.max_nodes:
                self._limit(f"document has more than {limits.max_nodes} nodes (raise --max-nodes)", node_pos)
                skip_depth = len(stack)
                dropped = True
                continue
            if not stack:
                self.documents.append(RawDocument(self.doc_index, value, node_pos, positions))
                continue
            parent = stack[-1]
            if not parent.is_map:
                parent.container.append(value)
                parent.positions.append(node_pos)
            elif parent.key_pos is None:
                self._take_key(parent, value, node_pos, etype, is_plain_merge)
            else:
                self._set_value(parent, value, node_pos, positions, etype, value_is_map)

    def _tag_issue(self, tag: str, message: str, pos: Pos) -> None:
        rule = "yaml-unsafe-tag" if _is_python_tag(tag) else "yaml-unsupported-tag"
        self.issue(rule, message, pos, "remove the tag; Kubernetes manifests use plain YAML values")

    def _take_key(self, frame: _Frame, key: Any, pos: Pos, etype: type, is_merge: bool) -> None:
        frame.key_pos = pos
        frame.key_is_bad = False
        frame.merge_next = False
        if isinstance(key, (dict, list)):
            self.issue("yaml-complex-key", "a mapping or sequence used as a key is not allowed in "
                       "Kubernetes manifests (JSON object keys are strings)", pos,
                       "use a plain string key")
            frame.key_is_bad = True
            return
        if is_merge and etype is ev.ScalarEvent:
            frame.merge_next = True
            return
        text = key_text(key)
        if text is None:
            what = "a null key (empty, ~ or null)" if key is None else f"the key {key} (beyond int64)"
            self.issue("yaml-complex-key", f"{what} cannot be a JSON object key; the API server's "
                       "decoder rejects the document ('unsupported map key')", pos, "quote the key")
            frame.key_is_bad = True
            return
        frame.pending_key = text

    def _set_value(self, frame: _Frame, value: Any, pos: Pos, positions: PositionIndex, etype: type,
                   value_is_map: bool | None) -> None:
        key_pos = frame.key_pos
        assert key_pos is not None
        frame.key_pos = None
        if frame.key_is_bad:
            return
        if frame.merge_next:
            self._merge(frame, value, key_pos, positions, etype, value_is_map)
            return
        key = frame.pending_key
        target: dict[str, Any] = frame.container
        first = frame.explicit_keys.get(key)
        if first is not None:
            self.issue("yaml-duplicate-key",
                       f"duplicate key {short(key)!r}: already defined at line {first[0] + 1}, column "
                       f"{first[1] + 1}; the API server rejects it (kubectl: 'already defined')",
                       key_pos, "remove one of the two entries")
        frame.explicit_keys[key] = key_pos
        target[key] = value
        frame.positions[key] = (key_pos, pos)

    def _merge(self, frame: _Frame, value: Any, pos: Pos, positions: PositionIndex, etype: type,
               value_is_map: bool | None) -> None:
        """go-yaml v2 merge: applied in place, in order; within a list the earlier maps win.

        The value must be a mapping, an alias of a mapping, or a sequence written in place whose
        items are mappings (or aliases of mappings); anything else fails the document.
        """
        if isinstance(value, dict):
            sources: list[Any] | None = [value]
        elif isinstance(value, list) and etype is not ev.AliasEvent and value_is_map is False:
            sources = value
        else:
            sources = None
        if sources is None or not all(isinstance(s, dict) for s in sources):
            self.issue("yaml-syntax", "a merge key '<<' needs a mapping or a list of mappings "
                       "(go-yaml: 'map merge requires map or sequence of maps as the value')", pos,
                       "merge an anchored mapping: `<<: *defaults`")
            return
        for source in reversed(sources):
            table = positions.maps.get(id(source), {})
            for key, item in source.items():
                frame.container[key] = item
                frame.positions[key] = table.get(key, (pos, pos))


def _index_to_pos(text: str, index: int) -> Pos:
    index = max(0, min(index, len(text)))
    line = text.count("\n", 0, index)
    return (line, index - (text.rfind("\n", 0, index) + 1))


def _syntax_hint(text: str, pos: Pos, problem: str) -> str:
    lines = text.split("\n", pos[0] + 1)
    line = lines[pos[0]] if pos[0] < len(lines) else ""
    if "\t" in line[: pos[1] + 1] or "tab" in problem:
        return "indent with spaces: YAML does not allow tabs for indentation"
    return "fix the YAML syntax; everything after this point in the file was not checked"


# A UTF-16 surrogate pair written as two JSON escapes (`"\ud83d\ude00"`, as Python's json.dumps
# writes non-BMP characters): valid JSON, but libyaml (and go-yaml) refuse surrogate escapes.
_SURROGATE_PAIR = re.compile(r"(?<!\\)((?:\\\\)*)\\u([dD][89abAB][0-9a-fA-F]{2})\\u([dD][c-fC-F][0-9a-fA-F]{2})")


def _json_surrogates(text: str) -> str | None:
    """JSON text with surrogate-pair escapes written as one YAML `\\U` escape; None if no change.

    Kubernetes reads `.json` manifests with a JSON decoder, which accepts such pairs. A column
    after a rewritten pair on the same line moves 2 characters left.
    """
    if text.lstrip()[:1] not in ("{", "["):
        return None

    def combine(match: re.Match[str]) -> str:
        high, low = int(match.group(2), 16), int(match.group(3), 16)
        return f"{match.group(1)}\\U{0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00):08X}"

    rewritten = _SURROGATE_PAIR.sub(combine, text)
    return rewritten if rewritten != text else None


def parse_stream(text: str, limits: Limits | None = None) -> tuple[list[RawDocument], list[ParseIssue]]:
    """All documents of a YAML (or JSON) stream, and the problems met on the way.

    A syntax error ends the stream: the documents completed before it are still returned.
    """
    documents, issues = _parse(text, limits)
    if issues and issues[-1].rule == "yaml-syntax" and "invalid Unicode character escape" in issues[-1].message:
        rewritten = _json_surrogates(text)
        if rewritten is not None:
            return _parse(rewritten, limits)
    return documents, issues


def _parse(text: str, limits: Limits | None) -> tuple[list[RawDocument], list[ParseIssue]]:
    global ev
    import yaml

    ev = yaml.events
    builder = _Builder(limits or Limits())
    try:
        builder.run(yaml.parse(text, Loader=getattr(yaml, "CBaseLoader", yaml.BaseLoader)))
    except yaml.reader.ReaderError as exc:
        pos = _index_to_pos(text, exc.position)
        what = f"character U+{exc.character:04X}" if isinstance(exc.character, int) else "character"
        builder.issue("yaml-syntax", f"{what} is not allowed in YAML: {exc.reason}", pos,
                      "remove the control character; everything after it in the file was not checked",
                      fatal=True)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        pos = (mark.line, mark.column) if mark is not None else (0, 0)
        problem = exc.problem or "invalid YAML"
        if "maximum nesting depth" in problem:
            builder._limit(f"nesting deeper than {PARSER_MAX_DEPTH} levels, the YAML parser's own limit", pos,
                           "a Kubernetes manifest never needs this; flatten the data")
            return builder.documents, builder.issues
        if exc.context and exc.context_mark is not None and exc.context_mark is not mark:
            problem = f"{problem} ({exc.context} at line {exc.context_mark.line + 1})"
        builder.issue("yaml-syntax", problem, pos, _syntax_hint(text, pos, problem), fatal=True)
    except yaml.YAMLError as exc:
        builder.issue("yaml-syntax", short(str(exc), 200), (0, 0), fatal=True)
    except LimitExceeded as exc:
        builder.issue("yaml-limit", str(exc), exc.pos,
                      "split the stream into several files, or raise the limit", fatal=True)
    return builder.documents, builder.issues

