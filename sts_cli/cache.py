"""A content-addressed cache of validation results, in the user's cache folder.

Entries are keyed by a hash of what determines them: the bytes read, the path they are shown
under, the options that change results, and a fingerprint of the installed `sts` (its version,
code and schemas, and the YAML library), so an upgrade or an edit never reuses a stale entry.

Three kinds of entry, a handful of files per run (creating files is slow on some file systems, up
to a millisecond each: one per input file would cost as much as checking it):

- `runs`: the whole result of a run, by the content of every input and the options;
- `sets`: a pack of per-file results of the last run over the same inputs (as given on the
  command line, from the same working folder) and options, each with the digest of the bytes it
  was computed from. After an edit, or when files come and go, the files that did not change are
  taken from it and only the others are checked again;
- `stats`: for the same inputs, the digest of each file with its device, inode, size and times,
  so that a rerun hashes only the files whose times changed (`DigestMemo`).

Writes are atomic (a temporary file in the same folder, then `os.replace`), so concurrent runs
never see half an entry (the last writer wins); an entry that cannot be read is ignored and
written again. The folder is created private (0700) and is not used when it belongs to another
user, because entries are pickles.

Location: `$STS_CACHE_DIR`, else `$XDG_CACHE_HOME/sts`, else `~/.cache/sts`. Delete it at any
time; `--no-cache` (or `STS_NO_CACHE=1`) turns the cache off for a run.
"""

from __future__ import annotations

import contextlib
import functools
import os
import pickle
import sys
import time
from pathlib import Path
from typing import Any

from sts_cli import __version__

try:  # CPython's own BLAKE2: `hashlib` would load OpenSSL first (2 ms of every cached run)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - other interpreters
    from hashlib import blake2b

_FORMAT = b"sts-cache-2\n"
_PACK_FORMAT = b"sts-pack-3\n"
_LAYOUT = "v2"
_PACKAGE_DIR = Path(__file__).resolve().parent
# One run in this many removes entries unused for this long.
_PRUNE_EVERY = 200
_PRUNE_AGE = 30 * 24 * 3600


def default_dir() -> Path:
    explicit = os.environ.get("STS_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".cache"
    return base / "sts"


def disabled_by_environment() -> bool:
    return os.environ.get("STS_NO_CACHE", "") not in ("", "0")


def digest(data: bytes) -> str:
    return new_hasher(data).hexdigest()


def new_hasher(data: bytes = b"") -> blake2b:
    """The hash of `digest`, to be fed a block at a time (`.update`, then `.hexdigest()`)."""
    return blake2b(data, digest_size=20)


def key(*parts: object) -> str:
    """A stable hash of plain values (str, int, tuples, frozensets...)."""
    return digest(repr(parts).encode("utf-8", "surrogatepass"))


@functools.cache
def fingerprint() -> str:
    """Changes whenever the code, the schemas or the YAML library that produce results change."""
    # PyYAML is named by its installed files, not imported: a run answered from the cache never
    # loads it (8 ms). An upgrade, or a build with or without libyaml, changes these files.
    from importlib.util import find_spec

    parts: list[object] = [__version__, sys.version_info[:2]]
    roots = [_PACKAGE_DIR]
    schemas = _PACKAGE_DIR.parent / "schemas"
    if schemas.is_dir():
        roots.append(schemas)
    yaml_spec = find_spec("yaml")
    if yaml_spec is not None and yaml_spec.origin:
        roots.append(Path(yaml_spec.origin).parent)
    for root in roots:
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if not d.startswith((".", "__pycache__")))
            for name in sorted(files):
                if name.endswith((".py", ".json", ".so", ".pyd")):
                    try:
                        st = os.stat(os.path.join(folder, name))
                    except OSError:
                        continue
                    parts.append((os.path.relpath(os.path.join(folder, name), root), st.st_size,
                                  st.st_mtime_ns))
    return key(*parts)


def _temporary_file(folder: Path) -> tuple[int, str]:
    import tempfile  # imported when first written (a cached run writes nothing)

    return tempfile.mkstemp(dir=folder, prefix=".tmp-")


class Cache:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.base = root / _LAYOUT

    @classmethod
    def open(cls, root: Path | None = None) -> Cache | None:
        """The cache at `root` (default: the user cache folder), or None when it cannot be used."""
        root = root or default_dir()
        try:
            root.mkdir(mode=0o700, parents=True, exist_ok=True)
            st = root.stat()
            if hasattr(os, "getuid") and (st.st_uid != os.getuid() or st.st_mode & 0o022):
                return None  # another user's folder, or writable by others: never load pickles from it
            cache = cls(root)
            cache.base.mkdir(mode=0o700, exist_ok=True)
        except OSError:
            return None
        return cache

    def _path(self, kind: str, name: str) -> Path:
        return self.base / kind / name[:2] / name

    def get(self, kind: str, name: str) -> Any | None:
        path = self._path(kind, name)
        try:
            with open(path, "rb") as handle:
                blob = handle.read()
        except OSError:
            return None
        if not blob.startswith(_FORMAT):
            return None
        try:
            return pickle.loads(memoryview(blob)[len(_FORMAT):])
        except Exception:  # a corrupt or foreign entry: ignore it, it is written again
            return None

    def put(self, kind: str, name: str, value: Any) -> None:
        """Store `value`, pickled straight into the file (no copy of the whole pickle in memory)."""
        path = self._path(kind, name)
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd, temp = _temporary_file(path.parent)
        except OSError:
            return
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(_FORMAT)
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temp, path)
        except BaseException as exc:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            if not isinstance(exc, (OSError, pickle.PicklingError, TypeError, AttributeError, RecursionError)):
                raise
            # the cache is an optimisation: failing to write never fails the run

    def pack(self, kind: str, name: str) -> Pack:
        """The pack stored under `name` (empty when there is none or it cannot be read); close it."""
        return Pack.open(self._path(kind, name))

    def pack_writer(self, kind: str, name: str) -> PackWriter | None:
        """A writer that streams a pack to a temporary file; `commit()` puts it in place."""
        path = self._path(kind, name)
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd, temp = _temporary_file(path.parent)
        except OSError:
            return None
        return PackWriter(os.fdopen(fd, "wb"), temp, path)

    def maybe_prune(self) -> None:
        """Now and then, remove entries not rewritten for a month (and the layout of older releases)."""
        if int.from_bytes(os.urandom(2), "big") % _PRUNE_EVERY:
            return
        import shutil

        for old in ("v1",):
            shutil.rmtree(self.root / old, ignore_errors=True)
        limit = time.time() - _PRUNE_AGE
        for folder, _dirs, files in os.walk(self.base):
            for name in files:
                path = os.path.join(folder, name)
                try:
                    if os.stat(path).st_mtime < limit:
                        os.unlink(path)
                except OSError:
                    continue


class Pack:
    """Per-file results read from a `sets` entry: `get(key, digest)` reads and unpickles one.

    Only the index is read when the pack is opened; each entry is read from the file when asked
    for, so that nothing of the pack stays in memory. A pack is never changed in place (a newer
    one replaces it), so the open file stays what it was.
    """

    def __init__(self, handle: Any = None, index: dict[str, tuple[Any, ...]] | None = None) -> None:
        self._handle = handle
        self._index = index or {}

    @classmethod
    def open(cls, path: Path) -> Pack:
        """Layout: format line, pickled values one after another, pickled index, 8-byte index offset."""
        try:
            handle = open(path, "rb")  # noqa: SIM115 - kept open: entries are read on demand, see close()
        except OSError:
            return cls()
        pack = cls(handle)
        try:
            size = os.fstat(handle.fileno()).st_size
            if size < len(_PACK_FORMAT) + 8 or pack._read(0, len(_PACK_FORMAT)) != _PACK_FORMAT:
                raise ValueError("not a pack")
            at = int.from_bytes(pack._read(size - 8, 8), "big")
            if not len(_PACK_FORMAT) <= at <= size - 8:
                raise ValueError("not a pack")
            index = pickle.loads(pack._read(at, size - 8 - at))
            if not isinstance(index, dict):
                raise ValueError("not a pack")
        except Exception:  # a corrupt or foreign entry: ignore it, it is written again
            pack.close()
            return cls()
        pack._index = index
        return pack

    def _read(self, offset: int, length: int) -> bytes:
        handle = self._handle
        if hasattr(os, "pread"):
            data = os.pread(handle.fileno(), length, offset)
        else:  # pragma: no cover - Windows
            handle.seek(offset)
            data = handle.read(length)
        if len(data) != length:
            raise ValueError("short read")
        return bytes(data)

    def __len__(self) -> int:
        return len(self._index)

    def _ranges(self, key: str, digest: str) -> list[tuple[int, int]] | None:
        """Where the value (or the parts) of `key` are, if computed from content with this `digest`.

        An index entry is (digest, start, end) for one value, (digest, start, end, start, end...)
        for the parts of a large stream.
        """
        entry = self._index.get(key)
        if self._handle is None or not isinstance(entry, tuple) or len(entry) < 3 or len(entry) % 2 == 0 \
                or entry[0] != digest:
            return None
        return list(zip(entry[1::2], entry[2::2], strict=True))

    def _blob(self, start: Any, end: Any) -> bytes | None:
        try:
            return self._read(start, end - start)
        except (OSError, ValueError, TypeError):
            return None

    def raw(self, key: str, digest: str) -> bytes | None:
        """The pickle stored for `key` (one value, not parts), if computed from content with this `digest`."""
        ranges = self._ranges(key, digest)
        return self._blob(*ranges[0]) if ranges is not None and len(ranges) == 1 else None

    def get(self, key: str, digest: str) -> Any | None:
        """The value stored for `key`, if it was computed from content with this `digest`."""
        blob = self.raw(key, digest)
        return _unpickled(blob) if blob is not None else None

    def parts(self, key: str, digest: str) -> list[tuple[int, int]] | None:
        """Where the parts stored for `key` are, for `part`; None when it holds no parts."""
        ranges = self._ranges(key, digest)
        return ranges if ranges is not None and len(ranges) > 1 else None

    def part(self, where: tuple[int, int]) -> tuple[Any, bytes] | None:
        """One part and its pickle (read one at a time: a stream's parts are never all in memory)."""
        blob = self._blob(*where)
        value = _unpickled(blob) if blob is not None else None
        return (value, blob) if value is not None and blob is not None else None

    def close(self) -> None:
        handle, self._handle = self._handle, None
        if handle is not None:
            with contextlib.suppress(OSError):
                handle.close()
        self._index = {}


def _unpickled(blob: bytes) -> Any | None:
    try:
        return pickle.loads(blob)
    except Exception:  # a damaged entry: computed again
        return None


class PackWriter:
    """Streams per-file values (pickled as they come) into the temporary file of one `sets` entry."""

    def __init__(self, handle: Any, temp: str, path: Path) -> None:
        self._handle = handle
        self._temp = temp
        self._path = path
        self._index: dict[str, tuple[str | int, ...]] = {}
        # The ranges of the parts of a value being stored a part at a time (None: one failed).
        self._parts: dict[str, tuple[int, ...] | None] = {}
        self._size = 0
        self._write(_PACK_FORMAT)

    def _write(self, data: bytes) -> None:
        if self._handle is None:
            return
        try:
            self._handle.write(data)
            self._size += len(data)
        except OSError:
            self.abort()

    def add(self, key: str, digest: str, value: Any, blob: bytes | None = None) -> None:
        """Store `value` (or its pickle `blob`, when it came pickled from a worker) under `key`."""
        written = self._add(value, blob)
        if written is not None:
            self._index[key] = (digest, *written)

    def add_part(self, key: str, value: Any, blob: bytes | None = None) -> None:
        """Store the next part of `key`'s value; `end_parts` makes them its entry."""
        ranges = self._parts.get(key, ())
        if ranges is None:
            return  # a part is missing: the entry will not be made
        written = self._add(value, blob)
        self._parts[key] = None if written is None else (*ranges, *written)

    def end_parts(self, key: str, digest: str) -> None:
        ranges = self._parts.pop(key, None)
        if ranges:
            self._index[key] = (digest, *ranges)

    def drop_parts(self, key: str) -> None:
        """Forget the parts stored for `key` (they stay in the file, unreferenced)."""
        self._parts.pop(key, None)

    def _add(self, value: Any, blob: bytes | None) -> tuple[int, int] | None:
        start = self._size
        if blob is not None:
            self._write(blob)
        elif not self._dump(value):
            return None
        return (start, self._size) if self._handle is not None else None

    def _dump(self, value: Any) -> bool:
        """Pickle `value` straight into the file (a large stream's result is never held pickled);
        what a failed pickling wrote is cut off again."""
        if self._handle is None:
            return False
        try:
            pickle.dump(value, self._handle, protocol=pickle.HIGHEST_PROTOCOL)
            self._size = self._handle.tell()
            return True
        except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
            try:
                self._handle.seek(self._size)
                self._handle.truncate()
            except OSError:
                self.abort()
            return False
        except OSError:
            self.abort()
            return False

    def __len__(self) -> int:
        return len(self._index)

    def digests(self) -> dict[str, str]:
        """Key -> digest of every value stored so far."""
        return {key: str(entry[0]) for key, entry in self._index.items()}

    def commit(self) -> None:
        if self._handle is None:
            return
        at = self._size
        self._write(pickle.dumps(self._index, protocol=pickle.HIGHEST_PROTOCOL))
        self._write(at.to_bytes(8, "big"))
        if self._handle is None:
            return
        try:
            self._handle.close()
            os.replace(self._temp, self._path)
        except OSError:
            self.abort()
        self._handle = None

    def abort(self) -> None:
        """Drop the temporary file (an interrupted or failed run leaves nothing behind)."""
        handle, self._handle = self._handle, None
        if handle is not None:
            with contextlib.suppress(OSError):
                handle.close()
        with contextlib.suppress(OSError):
            os.unlink(self._temp)


# A file modified this close to when its digest was taken may change again within the same
# timestamp tick: its digest is not trusted from its times alone (git's "racily clean" rule).
_RACY_NS = 2_000_000_000


class DigestMemo:
    """Content digests of files seen by an earlier run, to skip reading and hashing them again.

    A digest is reused only while the file has the same device, inode, size, modification time
    and change time as when it was hashed. The change time cannot be set back by tools that
    restore modification times (`cp -p`, `rsync -t`, `touch -d`): any write moves it. A file
    modified within two seconds before it was hashed is always read again. Entries are the
    digests themselves, so the cache stays content-addressed: only the hashing is skipped.
    """

    def __init__(self, cache: Cache | None, name: str) -> None:
        self._cache = cache
        self._name = name
        loaded = cache.get("stats", name) if cache is not None else None
        self._known: dict[str, tuple[int, int, int, int, int, str]] = loaded if isinstance(loaded, dict) else {}
        self._seen: dict[str, tuple[int, int, int, int, int, str]] = {}
        self._changed = False

    @staticmethod
    def _identity(st: os.stat_result) -> tuple[int, int, int, int, int]:
        return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)

    def get(self, path: str, st: os.stat_result) -> str | None:
        entry = self._known.get(path)
        if not isinstance(entry, tuple) or len(entry) != 6 or entry[:5] != self._identity(st):
            return None
        self._seen[path] = entry
        return entry[5] if isinstance(entry[5], str) else None

    def put(self, path: str, st: os.stat_result, digest_hex: str, hashed_at_ns: int) -> None:
        if hashed_at_ns - max(st.st_mtime_ns, st.st_ctime_ns) < _RACY_NS:
            return  # racily clean: read again next time
        self._seen[path] = (*self._identity(st), digest_hex)
        self._changed = True

    def save(self) -> None:
        """Keep the entries of this run's files (files gone from the inputs are forgotten)."""
        if self._cache is not None and (self._changed or len(self._seen) != len(self._known)):
            self._cache.put("stats", self._name, self._seen)
