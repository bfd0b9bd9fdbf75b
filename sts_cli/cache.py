"""A content-addressed cache of validation results, in the user's cache folder.

Entries are keyed by a hash of what determines them: the bytes read, the path they are shown
under, the options that change results, and a fingerprint of the installed `sts` (its version,
code and schemas, and the YAML library), so an upgrade or an edit never reuses a stale entry.

Writes are atomic (a temporary file in the same folder, then `os.replace`), so concurrent runs
never see half an entry; an entry that cannot be read is ignored and written again. The folder
is created private (0700) and is not used when it belongs to another user, because entries
are pickles.

Location: `$STS_CACHE_DIR`, else `$XDG_CACHE_HOME/sts`, else `~/.cache/sts`. Delete it at any
time; `--no-cache` (or `STS_NO_CACHE=1`) turns the cache off for a run.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sts_cli import __version__

_FORMAT = b"sts-cache-1\n"
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
    return hashlib.blake2b(data, digest_size=20).hexdigest()


def key(*parts: object) -> str:
    """A stable hash of plain values (str, int, tuples, frozensets...)."""
    return digest(repr(parts).encode("utf-8", "surrogatepass"))


@functools.cache
def fingerprint() -> str:
    """Changes whenever the code, the schemas or the YAML library that produce results change."""
    import yaml

    parts: list[object] = [__version__, sys.version_info[:2], getattr(yaml, "__version__", ""),
                           getattr(yaml, "__with_libyaml__", False)]
    roots = [_PACKAGE_DIR]
    schemas = _PACKAGE_DIR.parent / "schemas"
    if schemas.is_dir():
        roots.append(schemas)
    for root in roots:
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if not d.startswith((".", "__pycache__")))
            for name in sorted(files):
                if name.endswith((".py", ".json")):
                    try:
                        st = os.stat(os.path.join(folder, name))
                    except OSError:
                        continue
                    parts.append((os.path.relpath(os.path.join(folder, name), root), st.st_size,
                                  st.st_mtime_ns))
    return key(*parts)


class Cache:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.base = root / "v1"

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
        path = self._path(kind, name)
        try:
            blob = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(_FORMAT)
                    handle.write(blob)
                os.replace(temp, path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temp)
                raise
        except (OSError, pickle.PicklingError, TypeError, AttributeError, RecursionError):
            return  # the cache is an optimisation: failing to write never fails the run

    def maybe_prune(self) -> None:
        """Now and then, remove entries not rewritten for a month."""
        if int.from_bytes(os.urandom(2), "big") % _PRUNE_EVERY:
            return
        limit = time.time() - _PRUNE_AGE
        for folder, _dirs, files in os.walk(self.base):
            for name in files:
                path = os.path.join(folder, name)
                try:
                    if os.stat(path).st_mtime < limit:
                        os.unlink(path)
                except OSError:
                    continue
