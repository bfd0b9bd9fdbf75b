"""Hypothesis strategies: valid StatefulSet/Service pairs, and mutations of them.

`pairs()` draws a StatefulSet and its headless Service that every rule accepts; `emit()` writes
them as block YAML (quoting any string YAML 1.1 would read as something else) or as JSON.
`mutated_documents()` changes the structure; `mutated_text()` damages the raw text.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import strategies as st

from sts_cli.yamlparse import resolve_plain

_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789"


def _dns_label(max_size: int) -> st.SearchStrategy[str]:
    middle = st.text(_ALNUM + "-", max_size=max(0, max_size - 2))
    return st.builds(lambda a, m, z: (a + m + z) if m or z else a, st.sampled_from("abcdefghijklmnopqrstuvwxyz"),
                     middle, st.sampled_from(_ALNUM) | st.just("")).filter(
        lambda s: len(s) <= max_size and not s.endswith("-"))


def _port_name() -> st.SearchStrategy[str]:
    """IANA service names: lowercase letters and digits, inner single dashes, a letter, at most 15."""
    return st.from_regex(r"[a-z]([a-z0-9]|-(?=[a-z0-9])){0,13}[a-z0-9]?", fullmatch=True).filter(
        lambda s: len(s) <= 15 and "--" not in s and not s.endswith("-"))


_label_value = st.from_regex(r"[A-Za-z0-9]([A-Za-z0-9._-]{0,20}[A-Za-z0-9])?", fullmatch=True)
_label_key = st.from_regex(r"[a-z0-9]([a-z0-9.-]{0,10}[a-z0-9])?(/[a-zA-Z0-9]([a-zA-Z0-9._-]{0,10}[a-zA-Z0-9])?)?",
                           fullmatch=True).filter(lambda k: ".." not in k.split("/")[0] and "-." not in k
                                                  and ".-" not in k)


@st.composite
def pairs(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    """A StatefulSet and its governing headless Service, valid for every rule."""
    name = draw(_dns_label(30))
    service_name = draw(_dns_label(40))
    namespace = draw(st.none() | _dns_label(20))
    labels = draw(st.dictionaries(_label_key, _label_value, min_size=1, max_size=3))
    replicas = draw(st.integers(0, 12))
    port_names = draw(st.lists(_port_name(), min_size=1, max_size=3, unique=True))
    ports = draw(st.lists(st.integers(1, 65535), min_size=len(port_names), max_size=len(port_names), unique=True))
    claims = draw(st.lists(_dns_label(20), max_size=2, unique=True))
    container_names = draw(st.lists(_dns_label(20), min_size=1, max_size=2, unique=True))
    containers = []
    for index, container_name in enumerate(container_names):
        container: dict[str, Any] = {"name": container_name, "image": draw(st.sampled_from(
            ["nginx:1.27", "registry.k8s.io/nginx-slim:0.24", "busybox", "ghcr.io/x/y@sha256:" + "a" * 64]))}
        if index == 0:
            container["ports"] = [{"name": n, "containerPort": p} for n, p in zip(port_names, ports, strict=True)]
            container["readinessProbe"] = {"tcpSocket": {"port": port_names[0]}}
            if claims:
                container["volumeMounts"] = [{"name": c, "mountPath": f"/data/{c}"} for c in claims]
        containers.append(container)
    metadata: dict[str, Any] = {"name": name, "labels": dict(labels)}
    if namespace:
        metadata["namespace"] = namespace
    spec: dict[str, Any] = {
        "serviceName": service_name,
        "replicas": replicas,
        "selector": {"matchLabels": dict(labels)},
        "template": {"metadata": {"labels": dict(labels)}, "spec": {"containers": containers}},
    }
    if draw(st.booleans()):
        spec["podManagementPolicy"] = draw(st.sampled_from(["OrderedReady", "Parallel"]))
    if draw(st.booleans()):
        spec["updateStrategy"] = {"type": "RollingUpdate", "rollingUpdate": {"partition": draw(
            st.integers(0, max(0, replicas - 1)))}}
    if claims:
        spec["volumeClaimTemplates"] = [
            {"metadata": {"name": c}, "spec": {"accessModes": ["ReadWriteOnce"],
                                                "resources": {"requests": {"storage": draw(st.sampled_from(
                                                    ["1Gi", "500Mi", "10G", "1Ti"]))}}}} for c in claims]
    statefulset = {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": metadata, "spec": spec}
    service_meta: dict[str, Any] = {"name": service_name, "labels": dict(labels)}
    if namespace:
        service_meta["namespace"] = namespace
    service = {"apiVersion": "v1", "kind": "Service", "metadata": service_meta, "spec": {
        "clusterIP": "None", "selector": dict(labels),
        "ports": [{"name": n, "port": p, "targetPort": n} for n, p in zip(port_names, ports, strict=True)]}}
    return statefulset, service


def _scalar(value: Any) -> str:
    if isinstance(value, str):
        if value and resolve_plain(value) == value and value.strip() == value and not any(
                c in value for c in ":#{}[],&*!|>'\"%@`\n\t") and value[0] not in "-?" and value != "<<":
            return value
        return json.dumps(value)
    return json.dumps(value)


def _emit_yaml(value: Any, indent: int, lines: list[str], prefix: str) -> None:
    pad = " " * indent
    if isinstance(value, dict) and value:
        first = True
        for key, item in value.items():
            lead = prefix if first else pad
            first = False
            if isinstance(item, (dict, list)) and item:
                lines.append(f"{lead}{_scalar(key)}:")
                _emit_yaml(item, indent + 2, lines, " " * (indent + 2))
            else:
                lines.append(f"{lead}{_scalar(key)}: {_flow(item)}")
    elif isinstance(value, list) and value:
        for item in value:
            if isinstance(item, dict) and item:
                _emit_yaml(item, indent + 2, lines, f"{pad}- ")
            else:  # scalars, and lists in lists, in flow style
                lines.append(f"{pad}- {_flow(item)}")
    else:
        lines.append(f"{prefix}{_flow(value)}")


def _flow(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_scalar(k)}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return _scalar(value)


def emit(documents: list[Any], style: str = "yaml") -> str:
    """The documents as one stream: block YAML with `---` separators, or JSON (one per file)."""
    if style == "json":
        return "\n---\n".join(json.dumps(doc, indent=2) for doc in documents) + "\n"
    out = []
    for doc in documents:
        lines: list[str] = []
        _emit_yaml(doc, 0, lines, "")
        out.append("\n".join(lines) + "\n")
    return "---\n".join(out)


# --- mutations ----------------------------------------------------------------------------------

# Copied on each draw: mutations change the drawn containers in place.
_ODD_VALUES: st.SearchStrategy[Any] = st.sampled_from([
    None, True, False, 0, -1, 2**31, 2**63, 1.5, float("inf"), "", "on", "0755", "~", "<<", "a" * 300,
    "\u202e", [], {}, [None], {"a": None}, [[[]]], {"<<": {"x": 1}},
]).map(copy.deepcopy)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found.extend(_paths(item, (*prefix, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(_paths(item, (*prefix, index)))
    return found


def _deep(depth: int) -> Any:
    value: Any = "leaf"
    for _ in range(depth):
        value = {"d": value}
    return value


@st.composite
def mutated_documents(draw: st.DrawFn, duplicates: bool = True) -> list[Any]:
    """A valid pair with a few structural changes: deleted fields, wrong types, deep values.

    With `duplicates`, a document may also be repeated: the same object defined twice.
    """
    statefulset, service = draw(pairs())
    documents: list[Any] = [statefulset, service]
    actions = ["delete", "replace", "deep", "wrap", "swap-docs"] + (["duplicate-doc"] if duplicates else [])
    for _ in range(draw(st.integers(1, 4))):
        target = draw(st.integers(0, len(documents) - 1))
        paths = _paths(documents[target])
        path = draw(st.sampled_from(paths))
        action = draw(st.sampled_from(actions))
        if action == "duplicate-doc":
            documents.append(json.loads(json.dumps(documents[target])))
            continue
        if action == "swap-docs":
            documents.reverse()
            continue
        if not path:
            documents[target] = draw(_ODD_VALUES)
            continue
        parent: Any = documents[target]
        for part in path[:-1]:
            parent = parent[part]
        last = path[-1]
        if action == "delete":
            del parent[last]
        elif action == "replace":
            parent[last] = draw(_ODD_VALUES)
        elif action == "deep":
            parent[last] = _deep(draw(st.integers(1, 120)))
        else:
            parent[last] = [parent[last]]
    return documents


_SNIPPETS = st.sampled_from([
    "{", "}", "[", "]", ":", ": ", "- ", "? ", "&a ", "*a", "!!python/object/apply:os.system ['id'] ",
    "!Ref ", "\t", "\x00", "\r", "\ufeff", "\u2028", "<<: ", "---\n", "...\n", "'", '"', "#", "|", ">",
    "%YAML 1.1\n", "\\", "\udcff", "on", "~", "0x", "1e400", "&a [*a, *a, *a, *a]",
])


@st.composite
def mutated_text(draw: st.DrawFn) -> bytes:
    """The raw text of a valid pair, damaged: bytes flipped, cut, inserted, lines repeated."""
    statefulset, service = draw(pairs())
    text = emit([statefulset, service], draw(st.sampled_from(["yaml", "json"])))
    data = bytearray(text.encode("utf-8"))
    for _ in range(draw(st.integers(1, 6))):
        if not data:
            break
        position = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(["flip", "cut", "insert", "truncate", "repeat-line"]))
        if action == "flip":
            data[position] = draw(st.integers(0, 255))
        elif action == "cut":
            del data[position:position + draw(st.integers(1, 40))]
        elif action == "insert":
            data[position:position] = draw(_SNIPPETS).encode("utf-8", "surrogateescape")
        elif action == "truncate":
            del data[position:]
        else:
            start = data.rfind(b"\n", 0, position) + 1
            end = data.find(b"\n", position)
            end = len(data) if end < 0 else end + 1
            data[start:start] = bytes(data[start:end]) * draw(st.integers(1, 3))
    return bytes(data)
