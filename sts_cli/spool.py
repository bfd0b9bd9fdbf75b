"""Inputs that can be read only once (standard input, `<(helm template ...)` pipes), read up front.

The cache hashes every input before checking it, and a large stream is planned in one pass and
checked in parts: both read an input more than once. A read-once input is therefore read here
first: a small one is kept in memory, a larger one is copied to a private temporary file (removed
at the end), which is then read like any file, a part at a time, instead of being held whole.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import BinaryIO

from sts_cli.sources import STDIN, Source, is_read_once, read_source, remember_read_once, shown, too_large

# A read-once input larger than this is copied to a temporary file instead of being held in memory.
SPOOL_BYTES = 1 << 20
_BLOCK = 1 << 20


@contextmanager
def read_once_inputs(inputs: list[str], max_bytes: int) -> Iterator[None]:
    """Within the block, reading a read-once input among `inputs` reads what was read here."""
    spooled: list[str] = []
    copies: list[str] = []
    try:
        for item in inputs:
            if item in spooled or not is_read_once(item):
                continue
            spooled.append(item)
            remember_read_once(item, _read_once(item, max_bytes, copies))
        yield
    finally:
        for item in spooled:
            remember_read_once(item, None)
        for path in copies:
            with suppress(OSError):
                os.unlink(path)


def _reader(item: str) -> tuple[Callable[[int], bytes], Callable[[], None]] | None:
    """A function reading up to n bytes of `item` (b"" at its end) and one closing it."""
    if item == STDIN:
        buffer = getattr(sys.stdin, "buffer", None)
        return (buffer.read, lambda: None) if buffer is not None else None
    try:
        fd = os.open(item, os.O_RDONLY | getattr(os, "O_NOCTTY", 0))
    except OSError:
        return None
    return (lambda n: os.read(fd, n)), (lambda: os.close(fd))


def _read_once(item: str, max_bytes: int, copies: list[str]) -> Source | str:
    """`item`'s Source when it is small or cannot be copied, else the path of its copy."""
    reader = _reader(item)
    if reader is None:
        return read_source(item, max_bytes)  # reports the error, or reads a text-only stdin
    read, close = reader
    display = shown(item)
    try:
        head: list[bytes] = []
        total = 0
        while total <= SPOOL_BYTES:
            block = read(min(_BLOCK, max_bytes + 1 - total))
            if not block:
                return Source(display, b"".join(head))
            head.append(block)
            total += len(block)
            if total > max_bytes:
                return too_large(display, max_bytes)
        import tempfile  # (only here: a run that copies nothing does not import it)

        try:
            fd, path = tempfile.mkstemp(prefix="sts-input-", suffix=".yaml")
        except OSError:
            return _rest_in_memory(display, head, total, read, max_bytes)
        copies.append(path)
        return _copy(display, os.fdopen(fd, "wb"), path, head, total, read, max_bytes)
    except (OSError, ValueError) as exc:
        if item == STDIN:
            return Source(display, None, f"cannot read standard input: {exc}")
        return Source(display, None, f"cannot read: {getattr(exc, 'strerror', None) or exc}")
    finally:
        close()


class _CopyFailed(OSError):
    """The temporary copy could not be written (a full disk): not a problem of the input."""


def _copy(display: str, copy: BinaryIO, path: str, head: list[bytes], total: int, read: Callable[[int], bytes],
          max_bytes: int) -> Source | str:
    """Write what was read and the rest of the input to `copy`: its path, or a Source saying why not."""
    try:
        for block in head:
            _write(copy, block)
        head.clear()
        while block := read(min(_BLOCK, max_bytes + 1 - total)):
            total += len(block)
            if total > max_bytes:
                return too_large(display, max_bytes)
            _write(copy, block)
        _write(copy, None)
    except _CopyFailed as exc:
        return Source(display, None, f"cannot copy {display} to a temporary file: {exc.strerror or exc} "
                      "(set TMPDIR to a folder with room)")
    finally:
        with suppress(OSError):  # (after a failed write, closing may fail to flush again)
            copy.close()
    return path


def _write(copy: BinaryIO, block: bytes | None) -> None:
    """Write `block` (None: flush what is buffered), telling a failed write from a failed read."""
    try:
        if block is None:
            copy.flush()
        else:
            copy.write(block)
    except OSError as exc:
        raise _CopyFailed(exc.errno, exc.strerror) from None


def _rest_in_memory(display: str, head: list[bytes], total: int, read: Callable[[int], bytes],
                    max_bytes: int) -> Source:
    while block := read(min(_BLOCK, max_bytes + 1 - total)):
        total += len(block)
        if total > max_bytes:
            return too_large(display, max_bytes)
        head.append(block)
    return Source(display, b"".join(head))
