"""Sources -> Kubernetes objects: one ManifestObject per document or `kind: List` item.

Every object can say where any of its fields stands in the file (`locate`), which is what
lets every later stage report `file:line:column` without knowing anything about YAML.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from sts_cli.findings import Finding, Location, Severity, format_path
from sts_cli.limits import Limits
from sts_cli.sources import DecodeError, Source, decode
from sts_cli.yamlparse import ParseIssue, Pos, PositionIndex, parse_stream, short

FieldPath = tuple[str | int, ...]
_HELM_SOURCE = re.compile(r"^# Source: (\S.*?)\s*$", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class HelmSource:
    """`# Source: chart/templates/x.yaml` written by `helm template` above a document."""

    template: str
    comment_line: int  # 0-based line of the comment in the stream


@dataclass(slots=True)
class ManifestObject:
    """One Kubernetes object as written, with the means to locate its fields."""

    origin: str
    document: int
    data: dict[str, Any]
    start: Pos
    positions: PositionIndex
    item: int | None = None  # index inside a `kind: List`
    helm: HelmSource | None = None
    # True for the slim copies kept once an object is checked (`filecheck.CompactObject`).
    compact: ClassVar[bool] = False

    def peek(self) -> dict[str, Any]:
        """`data`, to be read once: a compact copy decodes it without keeping the result."""
        return self.data

    @property
    def suppressible(self) -> bool:
        """False when the object has no annotations a suppression could be written in."""
        return True

    @property
    def kind(self) -> str:
        value = self.data.get("kind")
        return value if isinstance(value, str) else ""

    @property
    def api_version(self) -> str:
        value = self.data.get("apiVersion")
        return value if isinstance(value, str) else ""

    @property
    def name(self) -> str:
        meta = self.data.get("metadata")
        value = meta.get("name") if isinstance(meta, dict) else None
        return value if isinstance(value, str) else ""

    @property
    def namespace(self) -> str:
        meta = self.data.get("metadata")
        value = meta.get("namespace") if isinstance(meta, dict) else None
        return value if isinstance(value, str) else ""

    def display_name(self, default_namespace: str = "default") -> str:
        """`StatefulSet default/web`, as findings name objects (each part cut at 253 characters)."""
        name = self.name or "<unnamed>"
        return (f"{short(self.kind, 253) or '<no kind>'} "
                f"{short(self.namespace or default_namespace, 253)}/{short(name, 253)}")

    def position(self, path: Sequence[str | int], at_value: bool = False) -> Pos:
        """Where `path` stands; for a missing field, the deepest part of the path that exists."""
        if not path:
            return self.start
        node: Any = self.data
        pos = self.start
        for part in path:
            if isinstance(node, dict) and isinstance(part, str) and part in node:
                found = self.positions.key_and_value(node, part)
                if found is not None:
                    pos = found[0]
                    if at_value:
                        pos = found[1]
                node = node[part]
            elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                item_pos = self.positions.item(node, part)
                if item_pos is not None:
                    pos = item_pos
                node = node[part]
            else:
                break
        return pos

    def get(self, path: Sequence[str | int], default: Any = None) -> Any:
        node: Any = self.data
        for part in path:
            if isinstance(node, dict) and isinstance(part, str):
                if part not in node:
                    return default
                node = node[part]
            elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                node = node[part]
            else:
                return default
        return node

    def location(self, path: Sequence[str | int] = (), at_value: bool = False) -> Location:
        line, column = self.position(path, at_value)
        return Location(self.origin, line + 1, column + 1, self.document)

    def template_location(self, location: Location) -> Location | None:
        """The same place counted inside the Helm template the document came from.

        `helm template` prints `---`, then `# Source: <template>`, then the rendered document, so
        line 1 of the template is the line after the comment. The count is exact when the
        template's text maps line for line onto its output; it is approximate when Helm dropped
        leading lines (blank lines, lines holding only template actions such as `{{- if }}`),
        when `include`/`toYaml` expand to several lines above the finding, and for the second
        and later documents of a template that renders several (each counts from its own comment).
        """
        if self.helm is None:
            return None
        line = location.line - (self.helm.comment_line + 1)
        return Location(self.helm.template, max(line, 1), location.column, None)

    @property
    def key(self) -> str:
        """Unique within a run: file, document and List item."""
        return f"{self.origin}\0{self.document}\0{self.item}"

    def finding(self, rule: str, severity: Severity, message: str, path: Sequence[str | int] = (),
                hint: str = "", at_value: bool = False, default_namespace: str = "default",
                extra: dict[str, str] | None = None) -> Finding:
        location = self.location(path, at_value)
        return Finding(rule=rule, severity=severity, message=message, location=location,
                       path=format_path(tuple(path)), object=self.display_name(default_namespace),
                       hint=hint, template=self.template_location(location), object_key=self.key,
                       extra=extra or {})


@dataclass(slots=True)
class LoadedSource:
    origin: str
    objects: list[ManifestObject] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    documents: int = 0
    unreadable: bool = False


def _issue_finding(origin: str, issue: ParseIssue) -> Finding:
    return Finding(rule=issue.rule, severity=Severity.ERROR, message=issue.message,
                   location=Location(origin, issue.pos[0] + 1, issue.pos[1] + 1,
                                     issue.document if issue.document is not None and issue.document >= 0
                                     else None),
                   hint=issue.hint)


def _helm_sources(text: str) -> list[tuple[int, str]]:
    """(0-based line, template) of each `# Source:` comment, in order; linear in the text."""
    if "# Source: " not in text:
        return []
    found: list[tuple[int, str]] = []
    line = offset = 0
    for m in _HELM_SOURCE.finditer(text):
        line += text.count("\n", offset, m.start())
        offset = m.start()
        found.append((line, m.group(1)))
    return found


def _helm_for(sources: list[tuple[int, str]], start_line: int, previous_end: int) -> HelmSource | None:
    """The last `# Source:` comment on a line in [previous_end, start_line), by bisection."""
    index = bisect.bisect_left(sources, (start_line, "")) - 1
    if index >= 0 and previous_end <= sources[index][0] < start_line:
        line, template = sources[index]
        return HelmSource(template, line)
    return None


def _is_list(data: dict[str, Any]) -> bool:
    kind = data.get("kind")
    return isinstance(kind, str) and kind.endswith("List") and isinstance(data.get("items"), list)


def load_source(source: Source, limits: Limits | None = None) -> LoadedSource:
    """Decode and parse one source into objects; every problem becomes a finding."""
    loaded = LoadedSource(source.display)
    if source.data is None:
        loaded.unreadable = not source.over_limit
        loaded.findings.append(Finding(source.error_rule, Severity.ERROR, source.error or "cannot read",
                                       Location(source.display, 1, 1),
                                       hint="raise the limit if the file is legitimate" if source.over_limit
                                       else "check the path and its permissions"))
        return loaded
    try:
        text = decode(source.data)
    except DecodeError as exc:
        loaded.findings.append(Finding("file-not-text", Severity.ERROR, str(exc),
                                       Location(source.display, exc.line, exc.column),
                                       hint="only UTF-8 YAML and JSON files are read"))
        return loaded
    raw_documents, issues = parse_stream(text, limits)
    loaded.findings.extend(_issue_finding(source.display, issue) for issue in issues)
    helm = _helm_sources(text)
    previous_end = 0
    for raw in raw_documents:
        loaded.documents += 1
        data = raw.data
        helm_source = _helm_for(helm, raw.start[0] + 1, previous_end) if helm else None
        previous_end = raw.start[0] + 1
        if data is None:
            continue  # empty or comment-only document
        if not isinstance(data, dict):
            what = "a list" if isinstance(data, list) else f"a plain value ({type(data).__name__})"
            loaded.findings.append(Finding(
                "not-an-object", Severity.ERROR,
                f"document {raw.index + 1} is {what}, not a Kubernetes object (a mapping with "
                "apiVersion, kind and metadata)",
                Location(source.display, raw.start[0] + 1, raw.start[1] + 1, raw.index),
                hint="each YAML document must be one object; separate objects with '---'"))
            continue
        obj = ManifestObject(source.display, raw.index, data, raw.start, raw.positions, helm=helm_source)
        if _is_list(data):
            loaded.objects.extend(_list_items(obj, loaded.findings))
        else:
            loaded.objects.append(obj)
    return loaded


def _list_items(wrapper: ManifestObject, findings: list[Finding]) -> list[ManifestObject]:
    """Items of `kind: List` / `<Kind>List`, each keeping its own positions in the file."""
    items: list[Any] = wrapper.data["items"]
    list_kind = wrapper.kind
    item_kind = list_kind[: -len("List")]
    out: list[ManifestObject] = []
    for index, item in enumerate(items):
        pos = wrapper.positions.item(items, index) or wrapper.start
        if not isinstance(item, dict):
            findings.append(Finding(
                "not-an-object", Severity.ERROR,
                f"item {index} of {list_kind} is not a Kubernetes object",
                Location(wrapper.origin, pos[0] + 1, pos[1] + 1, wrapper.document),
                path=format_path(("items", index)),
                hint="every item of a List must be a mapping with apiVersion and kind"))
            continue
        if item_kind and "kind" not in item:
            # A typed list (StatefulSetList) names the kind once for all its items.
            item = {"kind": item_kind, **item}
            if "apiVersion" not in item and "apiVersion" in wrapper.data:
                item["apiVersion"] = wrapper.data["apiVersion"]
            wrapper.positions.maps[id(item)] = wrapper.positions.maps.get(id(items[index]), {})
        out.append(ManifestObject(wrapper.origin, wrapper.document, item, pos, wrapper.positions,
                                  item=index, helm=wrapper.helm))
    return out


__all__ = ["FieldPath", "HelmSource", "LoadedSource", "ManifestObject", "load_source"]
