"""Cutting one large multi-document stream into chunks that workers check side by side.

A chunk starts at a `---` line. Its text is prefixed with as many empty lines as come before it
in the stream, so every position is counted from the start of the file, and its documents are
renumbered by the number of documents before it. The cut is only made where the result is the
same as reading the stream whole; `join_chunks` checks what can only be known afterwards and
reads the stream whole when a check fails, so chunking never changes a result.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from sts_cli.filecheck import FileResult, check_source, finish_file
from sts_cli.findings import Finding
from sts_cli.sources import DecodeError, Source, decode

if TYPE_CHECKING:
    from sts_cli.engine import ValidateOptions

_MARKER = re.compile(rb"^---(?=[ \t\r\n]|\Z)", re.MULTILINE)
_UNSAFE = re.compile(rb"^(?:%|\.\.\.(?:[ \t\r\n]|\Z))", re.MULTILINE)
_HELM = re.compile(rb"^# Source: ", re.MULTILINE)
_CONTENT = re.compile(rb"^[ \t]*[^ \t\r\n#]", re.MULTILINE)
_NOT_AN_OBJECT = re.compile(r"^document (\d+) ")
# Parse problems that may end a stream early: a chunk other than the last must have none.
_STREAM_RULES = frozenset({"yaml-syntax", "yaml-limit", "file-not-text"})


@dataclass(frozen=True, slots=True)
class Chunk:
    start: int  # byte offsets in the stream
    end: int
    line_offset: int  # lines before `start`
    doc_offset: int  # documents before `start`, as estimated from the `---` lines


def plan_chunks(data: bytes, target: int, max_documents: int) -> list[Chunk] | None:
    """Where to cut `data` into chunks of about `target` bytes, or None when it is not safe."""
    if len(data) < 2 * target:
        return None
    # Line breaks libyaml counts that "\n" does not (lone CR, NEL, LS, PS), directives and
    # explicit document ends make the simple counting below unreliable: read such streams whole.
    if data.count(b"\r") != data.count(b"\r\n") or b"\xc2\x85" in data or b"\xe2\x80\xa8" in data \
            or b"\xe2\x80\xa9" in data or _UNSAFE.search(data):
        return None
    try:
        decode(data)
    except DecodeError:
        return None
    markers = [m.start() for m in _MARKER.finditer(data)]
    if len(markers) < 2 or len(markers) + 1 >= max_documents:
        return None
    implicit = 1 if _CONTENT.search(data, 0, markers[0]) else 0
    chunks: list[Chunk] = []
    start = line_offset = 0
    doc_offset = 0
    for index in range(1, len(markers)):
        cut = markers[index]
        if cut - start < target or len(data) - cut < target // 2 or not _safe_cut(data, markers[index - 1], cut):
            continue
        chunks.append(Chunk(start, cut, line_offset, doc_offset))
        line_offset += data.count(b"\n", start, cut)
        doc_offset = index + implicit
        start = cut
    if not chunks:
        return None
    chunks.append(Chunk(start, len(data), line_offset, doc_offset))
    return chunks


def _safe_cut(data: bytes, previous: int, cut: int) -> bool:
    """True when a `# Source:` comment cannot be attributed differently across the cut.

    Reading whole, the first document after the cut takes the last `# Source:` line between the
    previous document's start and its own; reading the chunk, only those after the cut.
    """
    line_end = data.find(b"\n", previous, cut)
    rest = data[previous + 3: line_end if line_end >= 0 else cut].strip()
    if rest and not rest.startswith(b"#"):
        content = previous  # the previous document starts on its `---` line
    else:
        found = _CONTENT.search(data, line_end + 1 if line_end >= 0 else cut, cut)
        if found is None:
            return False  # an empty document: its position is not known here
        content = found.start()
    return _HELM.search(data, content, cut) is None


def check_chunk(display: str, data: bytes, chunk: Chunk, options: ValidateOptions) -> FileResult:
    """Check one chunk as if it were read in place in the whole stream."""
    from sts_cli.documents import load_source

    loaded = load_source(Source(display, b"\n" * chunk.line_offset + data), options.limits)
    offset = chunk.doc_offset
    if offset:
        for obj in loaded.objects:
            obj.document += offset
        loaded.findings = [_shift(finding, offset) for finding in loaded.findings]
    return finish_file(loaded, options)


def _shift(finding: Finding, offset: int) -> Finding:
    location = finding.location
    if location.document is None:
        return finding
    message = finding.message
    if finding.rule == "not-an-object":
        message = _NOT_AN_OBJECT.sub(lambda m: f"document {int(m.group(1)) + offset} ", message, count=1)
    return replace(finding, message=message, location=replace(location, document=location.document + offset))


def join_chunks(display: str, data: bytes, parts: list[FileResult], chunks: list[Chunk],
                options: ValidateOptions) -> FileResult:
    """One FileResult for the stream; the stream is read whole when the chunks cannot be trusted."""
    from sts_cli.documents import LoadedSource

    documents = 0
    trusted = True
    for index, (part, chunk) in enumerate(zip(parts, chunks, strict=True)):
        if chunk.doc_offset != documents or part.loaded.unreadable:
            trusted = False
            break
        if index < len(parts) - 1 and any(f.rule in _STREAM_RULES for f in part.loaded.findings):
            trusted = False
            break
        documents += part.loaded.documents
    if not trusted or documents > options.limits.max_documents:
        return check_source(Source(display, data), options)
    loaded = LoadedSource(display)
    result = FileResult(loaded)
    for part in parts:
        loaded.objects.extend(part.loaded.objects)
        loaded.findings.extend(part.loaded.findings)
        result.results.extend(part.results)
        result.rule_findings.extend(part.rule_findings)
    loaded.documents = documents
    return result
