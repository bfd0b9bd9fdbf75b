"""Inputs that can be read only once (standard input, `<(helm template ...)` pipes), read up front.

The cache hashes every input before checking it, and a large stream is planned in one pass and
checked in parts: both read an input more than once. A read-once input is therefore read here
first: a small one is kept in memory, a larger one is copied to a private temporary file (removed
at the end), which is then read like any file, a part at a time, instead of being held whole.
"""

from __future__ import annotations

import itertools
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
    blocks = _blocks(read, max_bytes)
    try:
        head: list[bytes] = []
        size = 0
        for block in blocks:
            head.append(block)
            size += len(block)
            if size > SPOOL_BYTES:
                break
        else:
            return Source(display, b"".join(head))
        copy = _temporary_file(copies)
        if copy is None:  # no temporary folder: the rest is kept in memory too
            return Source(display, b"".join(itertools.chain(head, blocks)))
        return _copy(display, copy, itertools.chain(head, blocks))
    except _TooLarge:
        return too_large(display, max_bytes)
    except (OSError, ValueError) as exc:
        if item == STDIN:
            return Source(display, None, f"cannot read standard input: {exc}")
        return Source(display, None, f"cannot read: {getattr(exc, 'strerror', None) or exc}")
    finally:
        close()


class _TooLarge(Exception):
    """The input is over the file size limit."""


def _blocks(read: Callable[[int], bytes], max_bytes: int) -> Iterator[bytes]:
    """The input's blocks to its end; _TooLarge once more than `max_bytes` were read."""
    total = 0
    while block := read(min(_BLOCK, max_bytes + 1 - total)):
        total += len(block)
        if total > max_bytes:
            raise _TooLarge
        yield block


def _temporary_file(copies: list[str]) -> tuple[BinaryIO, str] | None:
    """A new private temporary file, opened for writing, and its path (listed in `copies`)."""
    import tempfile  # (only here: a run that copies nothing does not import it)

    try:
        fd, path = tempfile.mkstemp(prefix="sts-input-", suffix=".yaml")
    except OSError:
        return None
    copies.append(path)
    return os.fdopen(fd, "wb"), path


class _CopyFailed(OSError):
    """The temporary copy could not be written (a full disk): not a problem of the input."""


def _copy(display: str, copy: tuple[BinaryIO, str], blocks: Iterator[bytes]) -> Source | str:
    """Write `blocks` to the copy: its path, or a Source saying why it could not be written."""
    handle, path = copy
    try:
        for block in blocks:
            _write(handle, block)
        _write(handle, None)
    except _CopyFailed as exc:
        return Source(display, None, f"cannot copy {display} to a temporary file: {exc.strerror or exc} "
                      "(set TMPDIR to a folder with room)")
    finally:
        with suppress(OSError):  # (after a failed write, closing may fail to flush again)
            handle.close()
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
