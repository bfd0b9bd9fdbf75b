"""Cutting one large multi-document stream into chunks that workers check side by side.

A chunk starts at a `---` line. Its text is prefixed with as many empty lines as come before it
in the stream, so every position is counted from the start of the file, and its documents are
renumbered by the number of documents before it. The cut is only made where the result is the
same as reading the stream whole; `part_fits` checks what can only be known afterwards, and
the stream is read whole when a check fails, so chunking never changes a result.

A stream is planned as it is read, a block at a time, and each chunk is read again from the
input when it is checked (a CRC-32 tells whether it changed meanwhile): no process holds the
whole stream.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from sts_cli.filecheck import FileResult, finish_file
from sts_cli.findings import Finding
from sts_cli.sources import ReadFailed, Source, read_blocks, read_range, shown

if TYPE_CHECKING:
    from sts_cli.engine import ValidateOptions

# `---` and `...` lines are found with bytes.find: a MULTILINE regex tries every position of a
# 48 MB bundle (0.17 s each), `find` runs at memory speed.
_BLANK_AFTER = frozenset(b" \t\r\n")
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
    crc: int = 0  # CRC-32 of the chunk's bytes as planned: a chunk read again must match it


def plan_stream(blocks: Iterable[bytes], target: int, max_documents: int,
                hasher: Any = None) -> list[Chunk] | None:
    """Where to cut the stream made of `blocks` into chunks of about `target` bytes, or None
    when it is not safe; only the chunk being planned is held.

    `hasher` (hashlib) is fed every block. Returns None as soon as the stream is found unsafe;
    the blocks not yet read are then left unread.
    """
    planner = _Planner(target, max_documents)
    for block in blocks:
        if hasher is not None:
            hasher.update(block)
        if not planner.add(block):
            return None
    return planner.finish()


def _unsafe(data: bytes | bytearray, first: bool) -> bool:
    """True when `data` (a chunk, starting on a line) could count lines or documents differently
    from libyaml: line breaks other than LF and CRLF, directives, explicit document ends, text
    that is not UTF-8 (reading whole reports those)."""
    if first and data.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
        return True
    if b"\r" in data and data.count(b"\r") != data.count(b"\r\n"):
        return True
    if b"\x00" in data or data.startswith(b"%") or b"\n%" in data or _line_starts(data, b"...", 0, len(data)):
        return True
    if not data.isascii():  # (ASCII is valid UTF-8 and holds no NEL, LS or PS)
        if b"\xc2\x85" in data or b"\xe2\x80\xa8" in data or b"\xe2\x80\xa9" in data:
            return True
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return True
    return False


def _line_starts(data: bytes | bytearray, mark: bytes, start: int, limit: int) -> list[int]:
    """Offsets in [start, limit) of the lines that begin with `mark` followed by a blank or the end
    of `data` (as `^mark(?=[ \\t\\r\\n]|\\Z)` in MULTILINE mode finds them from `start`)."""
    found: list[int] = []
    needle = b"\n" + mark
    at = 0 if start == 0 and data.startswith(mark) else _next_line(data, needle, start)
    while 0 <= at < limit:
        end = at + len(mark)
        if end == len(data) or data[end] in _BLANK_AFTER:
            found.append(at)
        at = _next_line(data, needle, at + 1)
    return found


def _next_line(data: bytes | bytearray, needle: bytes, start: int) -> int:
    """The first offset from `start` on where a line begins with `needle` (a line break and what
    follows it), or -1."""
    index = data.find(needle, max(start - 1, 0))
    return index + 1 if index >= 0 else -1


class _Planner:
    """The cuts of a stream fed in blocks: a cut is decided once the bytes it depends on are read."""

    def __init__(self, target: int, max_documents: int) -> None:
        self.target = target
        self.max_documents = max_documents
        # The stream from `start` to what is read so far (a bytearray grows in place).
        self.pending = bytearray()
        self.start = 0
        self.markers: list[int] = []  # stream offsets of the `---` lines in `pending`, in order
        self.scanned = 0  # `pending` is searched for markers from here on (a relative offset)
        self.candidate = 1  # index in `markers` of the next possible cut
        self.markers_before = 0  # markers in the chunks already cut
        self.implicit: int | None = None  # 1 when a document comes before the first marker
        self.line_offset = 0
        self.doc_offset = 0
        self.chunks: list[Chunk] = []

    def add(self, block: bytes) -> bool:
        """Take the next block; False when the stream turned out to be unsafe to cut."""
        self.pending += block
        self._scan(final=False)
        return self._cut(final=False)

    def finish(self) -> list[Chunk] | None:
        self._scan(final=True)
        if not self._cut(final=True):
            return None
        end = self.start + len(self.pending)
        markers = self.markers_before + len(self.markers)
        if end < 2 * self.target or markers < 2 or markers + 1 >= self.max_documents or not self.chunks:
            return None
        if _unsafe(self.pending, False):
            return None
        self.chunks.append(Chunk(self.start, end, self.line_offset, self.doc_offset, zlib.crc32(self.pending)))
        return self.chunks

    def _scan(self, final: bool) -> None:
        """Record the markers found since the last scan; one at the very end of what is read is
        left for the next scan, when the character after it is known (unless this is the end)."""
        pending = self.pending
        limit = len(pending) if final else len(pending) - 3
        self.markers.extend(self.start + at for at in _line_starts(pending, b"---", self.scanned, limit))
        self.scanned = max(self.scanned, limit)
        if self.implicit is None and self.markers:
            self.implicit = 1 if _CONTENT.search(pending, 0, self.markers[0] - self.start) else 0

    def _cut(self, final: bool) -> bool:
        end = self.start + len(self.pending)
        while self.candidate < len(self.markers):
            cut = self.markers[self.candidate]
            if not final and end - cut < self.target // 2:
                return True  # whether the rest after it is large enough is not known yet
            if cut - self.start >= self.target and end - cut >= self.target // 2 and _safe_cut(
                    self.pending, self.markers[self.candidate - 1] - self.start, cut - self.start):
                if not self._emit(cut):
                    return False
            else:
                self.candidate += 1
        return True

    def _emit(self, cut: int) -> bool:
        data = self.pending[:cut - self.start]
        if _unsafe(data, not self.chunks):
            return False
        self.chunks.append(Chunk(self.start, cut, self.line_offset, self.doc_offset, zlib.crc32(data)))
        self.line_offset += data.count(b"\n")
        self.markers_before += self.candidate
        self.doc_offset = self.markers_before + (self.implicit or 0)
        del self.pending[:cut - self.start]
        self.scanned -= cut - self.start
        self.markers = self.markers[self.candidate:]
        self.start = cut
        self.candidate = 1
        return True


def _safe_cut(data: bytes | bytearray, previous: int, cut: int) -> bool:
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


def check_part(item: str, chunk: Chunk, options: ValidateOptions) -> FileResult:
    """`check_chunk` of a chunk read from the input; a chunk whose bytes changed since it was
    planned comes back unreadable, so that `part_fits` refuses it."""
    from sts_cli.documents import LoadedSource

    data = read_range(item, chunk.start, chunk.end)
    if data is None or zlib.crc32(data) != chunk.crc:
        return FileResult(LoadedSource(shown(item), unreadable=True))
    return check_chunk(shown(item), data, chunk, options)


def plan_input(item: str, target: int, options: ValidateOptions, hasher: Any = None) -> list[Chunk] | None:
    """`plan_stream` of an input read a block at a time; None also when it cannot be read."""
    try:
        return plan_stream(read_blocks(item, options.max_file_bytes), target, options.limits.max_documents, hasher)
    except ReadFailed:
        return None


def part_fits(part: FileResult, chunk: Chunk, documents: int, last: bool, options: ValidateOptions) -> bool:
    """True when `part` reads as it would in the whole stream, after parts of `documents` documents.

    The document count before a chunk was estimated from `---` lines; a part other than the last
    must not end in a parse error (reading whole, that error ends the stream).
    """
    if chunk.doc_offset != documents or part.loaded.unreadable:
        return False
    if not last and any(f.rule in _STREAM_RULES for f in part.loaded.findings):
        return False
    return documents + part.loaded.documents <= options.limits.max_documents


def join_chunks(display: str, parts: list[FileResult], chunks: list[Chunk],
                options: ValidateOptions) -> FileResult | None:
    """One FileResult for the stream, or None when the chunks cannot be trusted: the stream must
    then be read whole."""
    from sts_cli.documents import LoadedSource

    documents = 0
    for index, (part, chunk) in enumerate(zip(parts, chunks, strict=True)):
        if not part_fits(part, chunk, documents, index == len(parts) - 1, options):
            return None
        documents += part.loaded.documents
    loaded = LoadedSource(display)
    result = FileResult(loaded)
    for part in parts:
        loaded.objects.extend(part.loaded.objects)
        loaded.findings.extend(part.loaded.findings)
        result.results.extend(part.results)
        result.rule_findings.extend(part.rule_findings)
    loaded.documents = documents
    return result
