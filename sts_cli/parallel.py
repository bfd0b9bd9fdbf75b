"""Run the per-file work (`filecheck`) over all inputs: cached, in worker processes, in order.

Results come back in input order whatever the number of workers, so the output never depends
on `--jobs`. Small inputs are checked in this process: starting workers costs more than it saves.
A large multi-document stream (a bundle, or standard input) is cut at `---` lines into chunks
that workers check side by side, each reading its own chunk; see `streams.py` for when that is
safe. No process holds a large stream whole.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sts_cli.engine import cyclic_gc_paused
from sts_cli.filecheck import FileResult, check_source
from sts_cli.sources import (
    STDIN,
    Source,
    input_size,
    is_remembered,
    read_once_state,
    read_source,
    remember_read_once,
    shown,
)

if TYPE_CHECKING:
    from sts_cli.cache import Pack, PackWriter
    from sts_cli.engine import ValidateOptions

Progress = Callable[[int, int], None]

# Below this much input, workers cost more than they save (one StatefulSet is about 4 KB).
POOL_MIN_BYTES = 384 * 1024
# A stream larger than this is cut into chunks of about this size for the workers.
CHUNK_BYTES = 512 * 1024
# A process checks a stream larger than twice this in parts of about this size, one after the
# other: the parse tree of one part is alive at a time, not that of the whole stream.
PART_BYTES = 128 * 1024


@dataclass(slots=True)
class _Task:
    item: str  # the input as given (`-` for standard input)
    # Bytes already read (standard input read without the spool); None: read in the worker.
    data: bytes | None = None
    # streams.Chunk when this task is a part of a stream: the worker reads that part of the input.
    chunk: Any = None
    size: int = 0
    # False when the input was found unsafe to cut already: it is read whole at once.
    cuttable: bool = True


@dataclass(frozen=True, slots=True)
class _StoredParts:
    """The parts of a stream's result in the cache pack: where they are, read when their turn comes."""

    item: str
    digest: str
    where: list[tuple[int, int]]


# What forked workers inherit: set in the parent just before the pool starts.
_STATE: dict[str, Any] = {}
# A result and, when it came from a worker while the cache is being written, its pickle.
_Checked = tuple[FileResult, bytes | None]


def _work(task: _Task) -> FileResult:
    """Check one task with the cyclic garbage collector paused.

    A parsed document is a tree of thousands of fresh containers with no reference cycles: it is
    freed by reference counting as soon as its slim copy is made. Collections triggered while it is
    being built would only scan it again and again (about a tenth of the run time); the next one
    after the task scans what survives, the slim copies.
    """
    with cyclic_gc_paused():
        return _check_task(task)


def _remote(task: _Task) -> FileResult | bytes:
    """`_work` in a worker: the result comes back pickled when the parent stores it in the cache,
    which then keeps the very bytes it received instead of pickling the result a second time."""
    result = _work(task)
    if _STATE.get("digest"):
        import pickle

        return pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
    return result


def _check_task(task: _Task) -> FileResult:
    options: ValidateOptions = _STATE["options"]
    if task.chunk is not None:
        from sts_cli.streams import check_part

        return check_part(task.item, task.chunk, options)
    if task.data is None and task.cuttable and task.size >= 2 * PART_BYTES:
        return _check_file_in_parts(task.item, options)
    return _check_read(task.item, task.data, options)


def _check_read(item: str, data: bytes | None, options: ValidateOptions) -> FileResult:
    """Check one input read whole (`data`, when it was read already)."""
    source = Source(shown(item), data) if data is not None else read_source(item, options.max_file_bytes)
    result = check_source(source, options)
    if _STATE.get("digest") and source.data is not None:
        from sts_cli.cache import digest

        # The digest of the bytes checked: a file that changed since the parent hashed it is
        # stored under its new content.
        result.digest = digest(source.data)
    return result


def _check_file_in_parts(item: str, options: ValidateOptions) -> FileResult:
    """A large input planned as it is read and checked a part at a time, never held whole."""
    from sts_cli.cache import new_hasher
    from sts_cli.streams import check_part, join_chunks, plan_input

    hasher = new_hasher() if _STATE.get("digest") else None
    parts = plan_input(item, PART_BYTES, options, hasher)
    joined = None
    if parts:
        joined = join_chunks(shown(item), [check_part(item, part, options) for part in parts], parts, options)
    if joined is None:
        return _check_read(item, None, options)
    if hasher is not None:
        joined.digest = hasher.hexdigest()
    return joined


def run_files(items: list[str], options: ValidateOptions, progress: Progress | None = None,
              digests: dict[str, str] | None = None,
              known: Pack | None = None, store: PackWriter | None = None) -> Iterator[FileResult]:
    """FileResults for `items` (paths or `-`), in order.

    `digests` maps an item to its content digest when the caller hashed the inputs already (for
    the cache). A file whose result is in `known` under the same digest is not checked again;
    every result with a digest goes to `store`. Standard input is read by `spool.read_once_inputs`
    when the caller opened it, else here, whole.
    """
    from sts_cli.streams import plan_input

    digests = digests or {}
    groups: list[list[_Task]] = []
    # Results known before checking: from the cache (a stream's parts: where they are in the pack).
    ready: dict[int, _Checked | _StoredParts] = {}
    # The digest of each stream cut into chunks, as hashed while it was planned.
    stream_digests: dict[int, str | None] = {}
    work_bytes = 0
    for index, item in enumerate(items):
        content = digests.get(item)
        if known is not None and content is not None:
            hit = known.get(shown(item), content)
            if isinstance(hit, FileResult):
                hit.digest = content
                ready[index] = (hit, None)  # the pickle is read again when the new pack is written
                groups.append([])
                continue
            stored_parts = known.parts(shown(item), content)
            if stored_parts is not None:
                ready[index] = _StoredParts(item, content, stored_parts)  # read when its turn comes
                groups.append([])
                continue
        data = None
        if item == STDIN and not is_remembered(STDIN):
            source = read_source(STDIN, options.max_file_bytes)
            if source.data is None:  # unreadable or too large: reported like any such file
                ready[index] = (check_source(source, options), None)
                groups.append([])
                continue
            data = source.data
        size = len(data) if data is not None else input_size(item)
        work_bytes += size
        chunks = None
        # A large stream is cut into chunks for the workers, or into parts checked one after the
        # other by one process: either way its results come a part at a time (see `_stream_parts`).
        target = CHUNK_BYTES if options.jobs > 1 else PART_BYTES
        planned = size >= 2 * target and data is None
        if planned:
            from sts_cli.cache import new_hasher

            hasher = new_hasher() if store is not None else None
            chunks = plan_input(item, target, options, hasher)
            stream_digests[index] = hasher.hexdigest() if hasher is not None else None
        if chunks:
            groups.append([_Task(item, None, c, c.end - c.start) for c in chunks])
        else:
            groups.append([_Task(item, data, None, size, cuttable=not planned)])
    data = None
    _STATE["options"] = options
    _STATE["digest"] = store is not None
    _STATE["read_once"] = read_once_state()
    flat = [task for group in groups for task in group]
    jobs = min(options.jobs, len(flat))
    pool: Any = None
    try:
        if jobs > 1 and work_bytes >= POOL_MIN_BYTES:
            # The parent checks a share of the files itself while jobs - 1 workers check the rest:
            # on few cores, a parent that only waited and unpickled would leave a core idle.
            local = _local_share(flat, 0.8 / jobs)
            pool, remote = _start_pool([t for i, t in enumerate(flat) if i not in local], jobs - 1)
            results: Iterator[_Checked] = ((_work(t), None) if i in local else _received(next(remote))
                                           for i, t in enumerate(flat))
        else:
            results = ((_work(t), None) for t in flat)
        yield from _merge(groups, ready, results, stream_digests, options, store, known, progress)
        if pool is not None:
            pool.close()
            pool.join()
    finally:
        if pool is not None:
            pool.terminate()
        _STATE.clear()


def _local_share(tasks: list[_Task], share: float) -> set[int]:
    """Indices of the tasks the parent checks: about `share` of the bytes, spread through the input."""
    local: set[int] = set()
    done = mine = 0
    for index, task in enumerate(tasks):
        size = max(task.size, 1)
        if mine < share * (done + size):
            local.add(index)
            mine += size
        done += size
    return local


def _init_worker(state: dict[str, Any]) -> None:
    """Under `spawn` (macOS, Windows) workers do not inherit the parent's memory.

    The parent runs with the cyclic garbage collector paused (`engine.validate`); a worker turns it
    back on between tasks (`_work` pauses it during each), after moving what it inherited out of
    its reach: a forked worker then never touches, and so never copies, the parent's pages for it.
    """
    _STATE.update(state)
    for item, read in state.get("read_once", {}).items():
        remember_read_once(item, read)
    gc.freeze()
    gc.enable()


def _warm_up(options: ValidateOptions) -> None:
    """Build the validators once, before forking, instead of once in every worker."""
    from sts_cli import schema_check

    for kind in ("StatefulSet", "Service"):
        schema_check._fast_validator(options.kubernetes_version, kind)
        schema_check._validator(options.kubernetes_version, kind)


def _received(item: FileResult | bytes) -> _Checked:
    if isinstance(item, bytes):
        import pickle

        result = pickle.loads(item)
        assert isinstance(result, FileResult)
        return result, item
    return item, None


def _start_pool(tasks: list[_Task], jobs: int) -> tuple[Any, Iterator[FileResult | bytes]]:
    """A started pool and its results in task order (the workers begin at once)."""
    import multiprocessing

    method = "fork" if sys.platform.startswith("linux") else "spawn"
    if method == "fork":
        _warm_up(_STATE["options"])
    context = multiprocessing.get_context(method)
    chunksize = max(1, min(8, len(tasks) // (jobs * 16)))
    pool = context.Pool(jobs, initializer=_init_worker, initargs=(dict(_STATE),))
    return pool, pool.imap(_remote, tasks, chunksize=chunksize)


def _merge(groups: list[list[_Task]], ready: dict[int, _Checked | _StoredParts],
           results: Iterator[_Checked], stream_digests: dict[int, str | None], options: ValidateOptions,
           store: PackWriter | None, known: Pack | None, progress: Progress | None) -> Iterator[FileResult]:
    total = len(groups)
    for index, group in enumerate(groups):
        entry = ready.pop(index, None)
        if isinstance(entry, _StoredParts):
            assert known is not None
            yield from _stored_parts(entry, known, store, options)
        elif entry is None and (len(group) > 1 or group[0].chunk is not None):
            yield from _stream_parts(group, results, stream_digests[index], store, options)
        else:
            result, blob = entry if entry is not None else next(results)
            if entry is not None and store is not None and known is not None and result.digest is not None:
                blob = known.raw(result.loaded.origin, result.digest)
            if store is not None and result.digest is not None:
                store.add(result.loaded.origin, result.digest, result, blob)
            yield result
        if progress is not None:
            progress(index + 1, total)


def _stream_parts(group: list[_Task], results: Iterator[_Checked], content: str | None,
                  store: PackWriter | None, options: ValidateOptions) -> Iterator[FileResult]:
    """The parts of a stream as they come, each checked against those before it (`part_fits`).

    A part that does not fit means the stream must be read whole: that result then comes last,
    marked as replacing the parts given before it. Nothing waits for the whole stream.
    """
    from sts_cli.streams import part_fits

    item = group[0].item
    display = shown(item)
    documents = given = 0
    fits = True
    for position, task in enumerate(group):
        part, blob = next(results)  # (every part's result is taken, even after one did not fit)
        last = position == len(group) - 1
        fits = fits and part_fits(part, task.chunk, documents, last, options)
        if not fits:
            continue
        documents += part.loaded.documents
        part.more = not last
        if store is not None:
            store.add_part(display, part, blob)
        given += 1
        yield part
    if fits:
        if store is not None and content is not None:
            store.end_parts(display, content)
        return
    yield _read_instead(item, given > 0, store, options)


def _stored_parts(stored: _StoredParts, known: Pack, store: PackWriter | None,
                  options: ValidateOptions) -> Iterator[FileResult]:
    """A stream's parts from the cache, read one at a time (and copied to the new pack)."""
    display = shown(stored.item)
    for position, place in enumerate(stored.where):
        got = known.part(place)
        if got is None or not isinstance(got[0], FileResult):  # a damaged pack: checked again
            yield _read_instead(stored.item, position > 0, store, options)
            return
        part, blob = got
        part.more = position < len(stored.where) - 1
        part.replaces_parts = False
        if store is not None:
            store.add_part(display, part, blob)
        yield part
    if store is not None:
        store.end_parts(display, stored.digest)


def _read_instead(item: str, replaces: bool, store: PackWriter | None, options: ValidateOptions) -> FileResult:
    """The stream read whole, in place of its parts."""
    if store is not None:
        store.drop_parts(shown(item))
    whole = _check_read(item, None, options)
    whole.replaces_parts = replaces
    if store is not None and whole.digest is not None:
        store.add(whole.loaded.origin, whole.digest, whole)
    return whole
