"""Which files to read, and their text. Inputs are opened read-only and never written.

Folders are walked iteratively (no recursion, whatever their depth), sorted, skipping hidden
entries; symlink loops are cut, dangling links, FIFOs, sockets and devices found in folders are
skipped. A path named on the command line is read if it is a regular file or an anonymous pipe
(so that `sts validate <(helm template chart)` works); named FIFOs, devices and sockets are
refused, since reading them may never end. Every read is bounded by the file size limit.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")
STDIN = "-"
DEFAULT_MAX_FILE_BYTES = 64 * 1024 * 1024
_CHUNK = 1 << 20
_SMALL_READ = 64 * 1024


class UsageError(Exception):
    """The run cannot start (a path that does not exist...): exit code 2."""


@dataclass(frozen=True, slots=True)
class Source:
    """One input: the path as the user should see it, and its bytes (None when not read)."""

    display: str
    data: bytes | None
    error: str | None = None
    # The rule of the finding for `error`: the file could not be read, or it is over a limit.
    error_rule: str = "file-unreadable"

    @property
    def over_limit(self) -> bool:
        return self.error_rule == "yaml-limit"


@dataclass(frozen=True, slots=True)
class SourceSkip:
    """Something met while walking a folder that is not read (FIFO, dangling link...)."""

    display: str
    reason: str


def _skip_reason(path: str, entry: os.DirEntry[str]) -> str:
    """Why a `*.yaml` entry that is not a regular file (nor a folder) is skipped."""
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symlink loop"
        if entry.is_symlink():
            return "dangling symlink"
        return f"cannot read: {exc.strerror or exc}"
    return "not a regular file (FIFO, socket or device)"


@dataclass(frozen=True, slots=True)
class _Folder:
    """A sub-folder still to open (internal to `_walk`)."""

    path: str


def _walk(root: str) -> Iterator[str | SourceSkip]:
    """Depth-first, sorted, skipping hidden entries; symlink loops are cut by (device, inode).

    A folder that cannot be listed is yielded as a path, so that reading it reports the error
    as a finding (an unreadable input is never skipped silently). Paths stay strings: Path
    objects for every entry cost milliseconds per thousand files, which a cached run notices.
    """
    seen_dirs: set[tuple[int, int]] = set()
    # Each stack entry: the sorted entries of one folder still to visit, reversed (pop = next).
    pending: list[list[str | SourceSkip | _Folder]] = []

    def open_folder(folder: str) -> str | SourceSkip | None:
        """Push the folder's entries; return what to yield instead when it cannot be listed."""
        try:
            st = os.stat(folder)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                return SourceSkip(folder, "symlink loop")
            return folder
        key = (st.st_dev, st.st_ino)
        if key in seen_dirs:
            return SourceSkip(folder, "symlink loop, folder already visited")
        seen_dirs.add(key)
        try:
            with os.scandir(folder) as scan:
                entries = sorted((e for e in scan if not e.name.startswith(".")), key=lambda e: e.name)
        except OSError:
            return folder
        items: list[str | SourceSkip | _Folder] = []
        for entry in entries:
            path = entry.path
            try:
                is_dir = entry.is_dir(follow_symlinks=True)
                is_file = not is_dir and entry.is_file(follow_symlinks=True)
            except OSError:
                is_dir = is_file = False
            if is_dir:
                items.append(_Folder(path))
            elif os.path.splitext(entry.name)[1].lower() in MANIFEST_SUFFIXES:
                items.append(path if is_file else SourceSkip(path, _skip_reason(path, entry)))
        items.reverse()
        pending.append(items)
        return None

    first = open_folder(root)
    if first is not None:
        yield first
    while pending:
        items = pending[-1]
        if not items:
            pending.pop()
            continue
        item = items.pop()
        if isinstance(item, _Folder):
            instead = open_folder(item.path)
            if instead is not None:
                yield instead
        else:
            yield item


def expand_inputs(inputs: list[str]) -> Iterator[str | SourceSkip]:
    """Paths to read in order: files as given, folders walked, `-` passed through.

    A path that does not exist raises UsageError before anything is read, so a typo in CI
    fails loudly instead of validating nothing.
    """
    missing = [p for p in inputs if p != STDIN and not os.path.lexists(p)]
    if missing:
        raise UsageError("no such file or folder: " + ", ".join(missing))
    seen_files: set[str] = set()
    for given in inputs:
        if given == STDIN:
            yield STDIN
            continue
        if os.path.isdir(given):
            # Shown as Path spells the folder (`./a/` is `a`), then joined by scandir.
            for item in _walk(str(Path(given))):
                if isinstance(item, SourceSkip):
                    yield item
                    continue
                if item not in seen_files:
                    seen_files.add(item)
                    yield item
        elif given not in seen_files:
            seen_files.add(given)
            yield given


def too_large(display: str, max_bytes: int, size: int | None = None) -> Source:
    what = f"is {size} bytes," if size is not None else "is"
    return Source(display, None, f"file {what} larger than the limit of {max_bytes} bytes "
                  "(raise --max-file-size); it was not checked", error_rule="yaml-limit")


def _read_stdin(max_bytes: int) -> Source:
    stream = sys.stdin
    if stream is None:
        return Source("<stdin>", b"")
    try:
        buffer = getattr(stream, "buffer", None)
        if buffer is not None:
            data = buffer.read(max_bytes + 1)
        else:
            text = stream.read(max_bytes + 1)
            data = text.encode("utf-8", "surrogateescape") if isinstance(text, str) else bytes(text)
    except (OSError, ValueError) as exc:
        return Source("<stdin>", None, f"cannot read standard input: {exc}")
    if len(data) > max_bytes:
        return too_large("<stdin>", max_bytes)
    return Source("<stdin>", data)


def _folder_error(display: str) -> Source:
    try:
        with os.scandir(display):
            pass
    except OSError as exc:
        return Source(display, None, f"cannot list folder: {exc.strerror or exc}")
    return Source(display, None, "is a folder")


def _anonymous_pipe(path: str) -> bool:
    """True for `/dev/fd/63` of `<(helm template ...)` or `/dev/stdin` fed by a pipe (Linux).

    Such a pipe has a writer, so reading it ends. A named FIFO may have none: it is refused.
    """
    return os.path.basename(os.path.realpath(path)).startswith("pipe:")


def is_read_once(display: str) -> bool:
    """True for inputs that cannot be read twice: standard input and anonymous pipes."""
    if display == STDIN:
        return True
    try:
        return stat.S_ISFIFO(os.stat(display).st_mode) and _anonymous_pipe(display)
    except OSError:
        return False


# Inputs read once already (see `spool.py`): their Source, or the path of their temporary copy.
_READ_ONCE: dict[str, Source | str] = {}


def remember_read_once(display: str, read: Source | str | None) -> None:
    """Serve later reads of `display` from `read` (None forgets it)."""
    if read is None:
        _READ_ONCE.pop(display, None)
    else:
        _READ_ONCE[display] = read


def is_remembered(display: str) -> bool:
    return display in _READ_ONCE


def read_once_state() -> dict[str, Source | str]:
    """What `remember_read_once` holds, for worker processes that do not inherit it."""
    return dict(_READ_ONCE)


def shown(display: str) -> str:
    return "<stdin>" if display == STDIN else display


def input_size(display: str) -> int:
    """The size of an input in bytes as far as known without reading it (0 when not known)."""
    redirect = _READ_ONCE.get(display)
    if isinstance(redirect, Source):
        return len(redirect.data or b"")
    try:
        return os.stat(redirect or display).st_size
    except OSError:
        return 0


class _Opened:
    """An open input: its descriptor, and whether it is a pipe (read to its end, size unknown)."""

    __slots__ = ("fd", "is_pipe", "size")

    def __init__(self, fd: int, is_pipe: bool, size: int) -> None:
        self.fd = fd
        self.is_pipe = is_pipe
        self.size = size

    def read(self, total: int, max_bytes: int, block: int | None = None) -> bytes:
        """The next block (of at most `block` bytes) after `total` bytes.

        A regular file is asked for what its size says is left, plus one byte to see a file that
        grew: `os.read` allocates all it is asked for, and a megabyte asked for each small file,
        then mostly given back, fragments the heap (thousands of files: megabytes never reused).
        """
        want = _CHUNK if self.is_pipe else max(self.size - total + 1, _SMALL_READ)
        return os.read(self.fd, min(want, block or want, max_bytes + 1 - total))


def _open(display: str, path: str, max_bytes: int) -> _Opened | Source:
    """`path` opened for reading, or the Source reporting why it cannot be (shown as `display`)."""
    try:
        st = os.stat(path)
    except OSError as exc:
        return Source(display, None, f"cannot open: {exc.strerror or exc}")
    if stat.S_ISDIR(st.st_mode):
        return _folder_error(display)
    is_pipe = stat.S_ISFIFO(st.st_mode) and _anonymous_pipe(path)
    if not is_pipe and not stat.S_ISREG(st.st_mode):
        return Source(display, None, "not a regular file (FIFO, socket or device)")
    if not is_pipe and st.st_size > max_bytes:
        return too_large(display, max_bytes, st.st_size)
    # A pipe's reads wait for its writer (Ctrl-C still ends the run). O_NONBLOCK keeps the open
    # of anything else from waiting: a named FIFO with no writer would block it forever.
    flags = os.O_RDONLY | getattr(os, "O_NOCTTY", 0) | (0 if is_pipe else getattr(os, "O_NONBLOCK", 0))
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        return Source(display, None, f"cannot open: {exc.strerror or exc}")
    try:
        st = os.fstat(fd)
    except OSError as exc:
        os.close(fd)
        return Source(display, None, f"cannot read: {exc.strerror or exc}")
    problem = None
    if stat.S_ISDIR(st.st_mode):
        problem = _folder_error(display)
    elif not (stat.S_ISREG(st.st_mode) or (is_pipe and stat.S_ISFIFO(st.st_mode))):
        problem = Source(display, None, "not a regular file (FIFO, socket or device)")
    if problem is not None:
        os.close(fd)
        return problem
    return _Opened(fd, is_pipe, st.st_size)


class ReadFailed(Exception):
    """A block-wise read could not finish: `read_source` of the same input says why."""


def read_blocks(display: str, max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> Iterator[bytes]:
    """The bytes of an input a block at a time (ReadFailed when `read_source` would report an error)."""
    redirect = _READ_ONCE.get(display)
    if isinstance(redirect, Source):
        if redirect.data is None:
            raise ReadFailed(display)
        yield redirect.data
        return
    if redirect is None and display == STDIN:
        raise ReadFailed(display)  # standard input is only read by `read_source` or the spool
    opened = _open(display, redirect or display, max_bytes)
    if isinstance(opened, Source):
        raise ReadFailed(display)
    total = 0
    try:
        while True:
            block = opened.read(total, max_bytes, _CHUNK)
            if not block:
                return
            total += len(block)
            if total > max_bytes:
                raise ReadFailed(display)
            yield block
    except OSError:
        raise ReadFailed(display) from None
    finally:
        os.close(opened.fd)


def read_range(display: str, start: int, end: int) -> bytes | None:
    """Bytes [start, end) of a regular file (or of the copy of a read-once input); None if unreadable."""
    redirect = _READ_ONCE.get(display)
    if isinstance(redirect, Source):
        return redirect.data[start:end] if redirect.data is not None else None
    try:
        fd = os.open(redirect or display, os.O_RDONLY | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        data = os.pread(fd, end - start, start)
        while len(data) < end - start:  # short reads are allowed; an empty one is the end of the file
            more = os.pread(fd, end - start - len(data), start + len(data))
            if not more:
                return None
            data += more
        return data
    except OSError:
        return None
    finally:
        os.close(fd)


def read_source(display: str, max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> Source:
    """Read one input as bytes. Errors become a Source with `error` set, never an exception."""
    redirect = _READ_ONCE.get(display)
    if isinstance(redirect, Source):
        return redirect
    if redirect is None and display == STDIN:
        return _read_stdin(max_bytes)
    shown_as = shown(display)
    opened = _open(shown_as, redirect or display, max_bytes)
    if isinstance(opened, Source):
        return opened
    try:
        # A regular file is read with one call into one buffer of its size (a list of blocks
        # joined at the end would hold the file twice); a pipe, or a file that grew, in blocks.
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = opened.read(total, max_bytes)
            if not chunk:
                break
            total += len(chunk)
            if total > max_bytes:
                return too_large(shown_as, max_bytes)
            chunks.append(chunk)
        return Source(shown_as, chunks[0] if len(chunks) == 1 else b"".join(chunks))
    except OSError as exc:
        return Source(shown_as, None, f"cannot read: {exc.strerror or exc}")
    finally:
        os.close(opened.fd)


class DecodeError(Exception):
    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


_UTF16_BOMS = {b"\xff\xfe": "utf-16-le", b"\xfe\xff": "utf-16-be"}


def _decode_utf16(data: bytes, codec: str) -> str:
    body = data[2:]
    try:
        text = body.decode(codec)
    except UnicodeDecodeError as exc:
        before = body[: exc.start - exc.start % 2].decode(codec, "replace")
        line = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1
        raise DecodeError(f"invalid {codec.upper()} data: the file must be UTF-8 or UTF-16 with a "
                          "byte order mark", line, column) from None
    _reject_nul(text)
    return text


def _reject_nul(text: str) -> None:
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        column = nul - (text.rfind("\n", 0, nul) + 1) + 1
        raise DecodeError("binary data (NUL byte): not a YAML or JSON file", line, column)


def decode(data: bytes) -> str:
    """UTF-8 with or without BOM, or UTF-16 with a BOM (as go-yaml reads them).

    Anything else (UTF-32, binary data with NUL bytes, invalid UTF-8) is a DecodeError with a
    1-based position.
    """
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise DecodeError("UTF-32 input is not supported: save the file as UTF-8", 1, 1)
    codec = _UTF16_BOMS.get(data[:2])
    if codec is not None:
        return _decode_utf16(data, codec)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        start = data.rfind(b"\n", 0, nul) + 1
        column = len(data[start:nul].decode("utf-8", "replace")) + 1
        raise DecodeError("binary data (NUL byte): not a YAML or JSON file", line, column)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        start = data.rfind(b"\n", 0, exc.start) + 1
        column = len(data[start:exc.start].decode("utf-8", "replace")) + 1
        raise DecodeError(f"invalid UTF-8 byte 0x{data[exc.start]:02x}: the file must be UTF-8",
                          line, column) from None
