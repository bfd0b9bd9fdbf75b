"""Which files to read, and their text. Inputs are opened read-only and never written."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")
STDIN = "-"
DEFAULT_MAX_FILE_BYTES = 64 * 1024 * 1024


class UsageError(Exception):
    """The run cannot start (a path that does not exist...): exit code 2."""


@dataclass(frozen=True, slots=True)
class Source:
    """One input: the path as the user should see it, and its bytes (None when unreadable)."""

    display: str
    data: bytes | None
    error: str | None = None
    # File system identity, used to refuse `--output` onto an input.
    real_path: str | None = None


@dataclass(frozen=True, slots=True)
class SourceSkip:
    """Something met while walking a folder that is not read (FIFO, dangling link...)."""

    display: str
    reason: str


def _display(path: Path, given: str) -> str:
    return given if given else str(path)


def _walk(root: Path, given: str, seen_dirs: set[tuple[int, int]]) -> Iterator[Path | SourceSkip]:
    """Depth-first, sorted, skipping hidden entries; symlink loops are cut by (device, inode)."""
    try:
        st = root.stat()
    except OSError as exc:
        yield SourceSkip(str(root), f"cannot read folder: {exc.strerror or exc}")
        return
    key = (st.st_dev, st.st_ino)
    if key in seen_dirs:
        yield SourceSkip(str(root), "symlink loop, folder already visited")
        return
    seen_dirs.add(key)
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError as exc:
        yield SourceSkip(str(root), f"cannot list folder: {exc.strerror or exc}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        try:
            is_dir = entry.is_dir(follow_symlinks=True)
            is_file = entry.is_file(follow_symlinks=True)
        except OSError:
            is_dir = is_file = False
        if is_dir:
            yield from _walk(path, given, seen_dirs)
        elif path.suffix.lower() in MANIFEST_SUFFIXES:
            if is_file:
                yield path
            elif entry.is_symlink() and not path.exists():
                yield SourceSkip(str(path), "dangling symlink")
            else:
                yield SourceSkip(str(path), "not a regular file (FIFO, socket or device)")


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
        path = Path(given)
        if path.is_dir():
            for item in _walk(path, given, set()):
                if isinstance(item, SourceSkip):
                    yield item
                    continue
                text = str(item)
                if text not in seen_files:
                    seen_files.add(text)
                    yield text
        elif given not in seen_files:
            seen_files.add(given)
            yield given


def read_source(display: str, max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> Source:
    """Read one input as bytes. Errors become a Source with `error` set, never an exception."""
    if display == STDIN:
        try:
            data = sys.stdin.buffer.read(max_bytes + 1)
        except (OSError, ValueError) as exc:
            return Source("<stdin>", None, f"cannot read standard input: {exc}")
        if len(data) > max_bytes:
            return Source("<stdin>", None, f"input larger than {max_bytes} bytes (raise --max-file-size)")
        return Source("<stdin>", data)
    try:
        fd = os.open(display, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        return Source(display, None, f"cannot open: {exc.strerror or exc}")
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            return Source(display, None, "is a folder")
        if not stat.S_ISREG(st.st_mode):
            return Source(display, None, "not a regular file (FIFO, socket or device)")
        if st.st_size > max_bytes:
            return Source(display, None, f"file is {st.st_size} bytes, larger than the limit of "
                          f"{max_bytes} (raise --max-file-size)")
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            total += len(chunk)
            if total > max_bytes:
                return Source(display, None, f"file larger than the limit of {max_bytes} bytes "
                              "(raise --max-file-size)")
            chunks.append(chunk)
        return Source(display, b"".join(chunks), real_path=os.path.realpath(display))
    except OSError as exc:
        return Source(display, None, f"cannot read: {exc.strerror or exc}")
    finally:
        os.close(fd)


class DecodeError(Exception):
    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


def decode(data: bytes) -> str:
    """UTF-8 with or without BOM. Anything else is a DecodeError with a 1-based position."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DecodeError("UTF-16 input is not supported: save the file as UTF-8", 1, 1)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        column = nul - (data.rfind(b"\n", 0, nul) + 1) + 1
        raise DecodeError("binary data (NUL byte): not a YAML or JSON file", line, column)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        start = data.rfind(b"\n", 0, exc.start) + 1
        column = len(data[start:exc.start].decode("utf-8", "replace")) + 1
        raise DecodeError(f"invalid UTF-8 byte 0x{data[exc.start]:02x}: the file must be UTF-8",
                          line, column) from None
