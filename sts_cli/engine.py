"""The validate pipeline: sources -> objects -> schema findings -> rule findings -> result.

Plain values in, plain values out: no terminal, no exit codes, no options parsing here.

`validate` checks each file on its own (`filecheck`: parse, schema, the rules of scope "object"),
in worker processes and cached, and keeps slim copies of the objects; the rules of scope "set"
then run here over every file's slim objects. `validate_loaded` runs every rule over the full
objects in this process: the reference the fast path is tested against.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

from sts_cli.findings import Finding, Location, Severity, bound_text
from sts_cli.limits import Limits
from sts_cli.pairs import pack_pair, unpack_pair
from sts_cli.sources import (
    DEFAULT_MAX_FILE_BYTES,
    STDIN,
    ReadFailed,
    SourceSkip,
    expand_inputs,
    read_blocks,
    read_source,
    shown,
)

# Parsing, checking and the views are imported where they are used: a run answered from the
# cache needs none of them (about 12 ms of start-up).
if TYPE_CHECKING:
    from sts_cli.cache import Cache, DigestMemo
    from sts_cli.documents import LoadedSource, ManifestObject
    from sts_cli.filecheck import BlockStore, FileResult
    from sts_cli.model import ServiceView, StatefulSetView
    from sts_cli.rules.base import Rule


@dataclass(frozen=True, slots=True)
class ValidateOptions:
    kubernetes_version: str
    namespace: str = "default"
    limits: Limits = field(default_factory=Limits)
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    allow_empty: bool = False
    enable: frozenset[str] = frozenset()
    disable: frozenset[str] = frozenset()
    severity_overrides: tuple[tuple[str, Severity], ...] = ()
    # How the work is done, never what it finds: worker processes, and the cache folder (None: off).
    jobs: int = 1
    cache_dir: str | None = None


# The findings of a CheckedObject that has none (most of them), until it is given its own list.
_NO_FINDINGS: list[Finding] = []
# Shared by the LoadedSources of compact files, whose objects are kept in `_Collected.store`, and by
# those files' records when no object has classification findings (never changed).
_NO_OBJECTS: list[ManifestObject] = []
_NO_FINDINGS_BY_OBJECT: dict[int, list[Finding]] = {}


class CheckedObject:
    """One StatefulSet or Service (or a mistaken kind), with its findings: a JUnit test case.

    Made for every object of a run, so kept small: where the object starts and its key are
    worked out when read from the position and List item (`at`) when they take the usual form,
    and objects without findings share one empty list (give an object a list of its own before
    adding to it).
    """

    __slots__ = ("_place", "_where", "document", "findings", "kind", "name", "origin")

    def __init__(self, origin: str, document: int, name: str, kind: str, location: Location, key: str,
                 findings: list[Finding] | None = None) -> None:
        self.origin = origin
        self.document = document
        # Shown in reports (JUnit test case names, JSON objects): bounded like a finding's text.
        self.name = bound_text(name)
        self.kind = bound_text(kind)
        self.findings = findings if findings is not None else []
        self._where: Location | tuple[int, int] | int = location
        self._place: str | int | None = key

    @classmethod
    def at(cls, origin: str, document: int, name: str, kind: str, start: int | tuple[int, int], item: int | None,
           findings: list[Finding]) -> CheckedObject:
        """The record of the object of `origin` and `document` (List `item`) starting at 0-based `start`
        (a (line, column) pair, or one number as `pairs.pack_pair` makes it)."""
        new = cls.__new__(cls)
        new.origin, new.document, new.findings = origin, document, findings
        new.name, new.kind = bound_text(name), bound_text(kind)
        new._where, new._place = start, item
        return new

    @property
    def location(self) -> Location:
        where = self._where
        if isinstance(where, Location):
            return where
        line, column = unpack_pair(where)
        return Location(self.origin, line + 1, column + 1, self.document)

    @location.setter
    def location(self, value: Location) -> None:
        self._where = value

    @property
    def key(self) -> str:
        place = self._place
        return place if isinstance(place, str) else f"{self.origin}\0{self.document}\0{place}"

    def _fields(self) -> tuple[object, ...]:
        return (self.origin, self.document, self.name, self.kind, self.location, self.key, self.findings)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CheckedObject):
            return NotImplemented
        return self._fields() == other._fields()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return ("CheckedObject(origin={!r}, document={!r}, name={!r}, kind={!r}, location={!r}, key={!r}, "
                "findings={!r})".format(*self._fields()))

    def __getstate__(self) -> tuple[object, ...]:
        return self._fields()

    def __setstate__(self, state: tuple[object, ...]) -> None:
        self.__init__(*state)  # type: ignore[misc]


@dataclass(slots=True)
class Summary:
    files: int = 0
    documents: int = 0
    objects: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    invalid: int = 0
    unreadable: int = 0
    findings: Counter[Severity] = field(default_factory=Counter)

    @property
    def errors(self) -> int:
        return self.findings[Severity.ERROR]

    @property
    def warnings(self) -> int:
        return self.findings[Severity.WARNING]

    @property
    def infos(self) -> int:
        return self.findings[Severity.INFO]


@dataclass(slots=True)
class ValidationResult:
    """What reports need. `statefulsets` / `services` are left empty by `validate`: the views exist
    while the cross-object rules run and are then let go, with the objects they were built from
    (at 20,000 documents, tens of megabytes the reports never read). `sts diff` fills them."""

    findings: list[Finding]
    summary: Summary
    files: list[str]
    objects: list[CheckedObject]
    statefulsets: list[StatefulSetView]
    services: list[ServiceView]
    skipped_paths: list[SourceSkip] = field(default_factory=list)

    def failed(self, threshold: Severity) -> bool:
        return any(f.severity >= threshold for f in self.findings)


@dataclass(slots=True)
class _Collected:
    """Per-source results, in input order, before cross-object rules run."""

    loaded: list[LoadedSource] = field(default_factory=list)
    statefulsets: list[StatefulSetView] = field(default_factory=list)
    services: list[ServiceView] = field(default_factory=list)
    others: list[ManifestObject] = field(default_factory=list)
    objects: list[CheckedObject] = field(default_factory=list)
    schema_paths: dict[int, set[str]] = field(default_factory=dict)
    # Findings of the rules of scope "object", already computed per file.
    rule_findings: list[Finding] = field(default_factory=list)
    # StatefulSets and Services in input order, for `_views`.
    kept_statefulsets: list[ManifestObject] = field(default_factory=list)
    kept_services: list[ManifestObject] = field(default_factory=list)
    # 1 for a StatefulSet, 0 for a Service, in input order: views are built in one pass over the
    # store (each of its blocks inflated once).
    kept_order: bytearray = field(default_factory=bytearray)
    # Per file of `loaded` until `_expand`: (results, None) for full objects, or (span of its
    # records in `store` as `pairs.pack_pair` packs it, classification findings by object) for
    # compact ones. Objects of all files are made once every file is in: a run then keeps no small
    # objects scattered among the parse trees of later files (which would keep the memory of those
    # trees from being reused).
    files: list[tuple[Any, Any]] = field(default_factory=list)
    # The encoded copies of the compact objects and the records of each file, deflated by blocks.
    store: BlockStore = field(default_factory=lambda: _block_store())

    @property
    def object_count(self) -> int:
        """Objects of every file, once `_expand` has made them (and until `_finish` lets them go)."""
        return len(self.objects) + len(self.others)


def _block_store() -> BlockStore:
    from sts_cli.filecheck import BlockStore

    return BlockStore()


def load_inputs(inputs: list[str], options: ValidateOptions) -> tuple[list[LoadedSource], list[SourceSkip]]:
    """Read and parse every input (files, folders, `-`). Raises UsageError for missing paths."""
    from sts_cli.documents import load_source

    loaded: list[LoadedSource] = []
    skipped: list[SourceSkip] = []
    for item in expand_inputs(inputs):
        if isinstance(item, SourceSkip):
            skipped.append(item)
            continue
        loaded.append(load_source(read_source(item, options.max_file_bytes), options.limits))
    return loaded, skipped


def _check_objects(loaded: list[LoadedSource], options: ValidateOptions) -> _Collected:
    from sts_cli.filecheck import FileResult, check_objects

    return _collect((FileResult(source, check_objects(source.objects, options)) for source in loaded), options)


def _collect(files: Iterable[FileResult], options: ValidateOptions) -> _Collected:
    """Merge per-file results, in input order, into what cross-object rules see (see `_expand`).

    A large stream comes in parts (`FileResult.more`), each compacted as it comes, so that the
    objects of the whole stream are never alive at once; a result that `replaces_parts` takes the
    place of the parts of its input collected so far.
    """
    collected = _Collected()
    began: tuple[int, int, int] | None = None  # list lengths when the parts of the current input began
    objects = 0  # objects of the current input so far
    for file in files:
        if file.replaces_parts and began is not None:
            del collected.loaded[began[0]:], collected.files[began[1]:], collected.rule_findings[began[2]:]
            began = None
        if began is None:
            if file.more:
                began = (len(collected.loaded), len(collected.files), len(collected.rule_findings))
            objects = _collect_file(collected, file)
        else:
            objects = _collect_part(collected, file, objects)
        if not file.more:
            began = None
    return collected


def _collect_file(collected: _Collected, file: FileResult) -> int:
    """Add one input's result (or a stream's first part); returns its number of objects."""
    loaded = file.loaded
    count = len(loaded.objects)
    collected.loaded.append(loaded)
    collected.rule_findings.extend(file.rule_findings)
    if not loaded.findings:
        loaded.findings = _NO_FINDINGS  # (thousands of files: one empty list for all)
    records = _records(collected.store, file, 0)
    if records is None:
        collected.files.append((file.results, None))
    else:
        span, findings = records
        collected.files.append(([span] if file.more else span, findings))
        loaded.objects = _NO_OBJECTS
    return count


def _collect_part(collected: _Collected, file: FileResult, before: int) -> int:
    """Add a later part of a stream to its input, whose `before` objects came in earlier parts."""
    loaded, part = collected.loaded[-1], file.loaded
    if part.findings:
        loaded.findings = [*loaded.findings, *part.findings]  # (never into the shared empty list)
    loaded.documents += part.documents
    collected.rule_findings.extend(file.rule_findings)
    records = _records(collected.store, file, before)
    assert records is not None  # (a part is made by `filecheck.finish_file`: its objects are compact copies)
    span, found = records
    spans, findings = collected.files[-1]
    spans.append(span)
    if found:
        if findings is _NO_FINDINGS_BY_OBJECT:
            collected.files[-1] = (spans, found)
        else:
            findings.update(found)
    return before + len(part.objects)


def _records(store: BlockStore, file: FileResult, first: int) -> tuple[Any, dict[int, list[Finding]]] | None:
    """Store the compact objects of `file` and their records (see `_expand`): the records' span in
    `store`, and the classification findings by object (counted from `first`). None when some
    object is not a compact copy: the objects are then kept as they are."""
    import marshal

    from sts_cli.filecheck import CompactObject
    from sts_cli.kinds import Kind

    loaded = file.loaded
    objects = loaded.objects
    if not all(obj.compact and obj.origin == loaded.origin for obj in objects):
        return None
    records = []
    findings: dict[int, list[Finding]] = {}
    for position, (obj, found) in enumerate(zip(objects, file.results, strict=True), first):
        assert isinstance(obj, CompactObject)
        at, size = obj.stored_in(store)
        code = 3 if found.other else 1 if found.kind is Kind.STATEFULSET else 2 if found.kind else 0
        helm = (obj.helm.template, obj.helm.comment_line) if obj.helm is not None else None
        records.append((obj.document, obj.start, obj.item, helm, obj.identity(), at, size, code))
        if found.findings:
            findings[position] = found.findings
    encoded = marshal.dumps(records)
    return pack_pair((store.append(encoded), len(encoded))), findings or _NO_FINDINGS_BY_OBJECT


def _expand(collected: _Collected) -> None:
    """The objects, CheckedObjects and schema paths of every file, in input order (once)."""
    import marshal

    from sts_cli.documents import HelmSource
    from sts_cli.filecheck import CompactObject, ObjectResult, restore_compact
    from sts_cli.kinds import Kind

    store = collected.store
    for loaded, (results, findings) in zip(collected.loaded, collected.files, strict=True):
        objects: list[ManifestObject]
        if findings is None:
            objects = loaded.objects
            pairs: Iterable[tuple[ManifestObject, ObjectResult]] = zip(objects, results, strict=True)
        else:
            spans = results if isinstance(results, list) else [results]  # (a stream's parts: a list)
            records = [record for span in spans for record in marshal.loads(store.read(*unpack_pair(span)))]
            objects, found_list = [], []
            origin = loaded.origin
            # One empty list for objects without findings: `_finish` gives a list to those with some.
            none = _NO_FINDINGS
            for position, (document, start, item, helm, identity, blob_at, blob_size, code) in enumerate(records):
                objects.append(restore_compact(origin, document, start, item,
                                               HelmSource(*helm) if helm is not None else None, identity, store,
                                               blob_at, blob_size))
                kind = Kind.STATEFULSET if code == 1 else Kind.SERVICE if code == 2 else None
                found_list.append(ObjectResult(kind, findings.get(position, none), other=code == 3))
            pairs = zip(objects, found_list, strict=True)
        for obj, found in pairs:
            if found.other:
                collected.others.append(obj)
                continue
            kind = found.kind
            name = kind.value if kind else obj.kind or "<no kind>"
            start = obj.packed_start if isinstance(obj, CompactObject) else obj.start
            collected.objects.append(CheckedObject.at(obj.origin, obj.document, obj.name, name, start, obj.item,
                                                      found.findings))
            if kind is None:
                continue
            if found.findings:
                collected.schema_paths[id(obj)] = {f.path for f in found.findings}
            is_statefulset = kind is Kind.STATEFULSET
            (collected.kept_statefulsets if is_statefulset else collected.kept_services).append(obj)
            collected.kept_order.append(is_statefulset)
    collected.files = []


def _views(collected: _Collected, namespace: str) -> None:
    """The views the rules and suppressions read, built once."""
    from sts_cli.model import Shared, service_view, statefulset_view

    if collected.statefulsets or collected.services:
        return
    shared = Shared()
    kept_statefulsets, kept_services, order = collected.kept_statefulsets, collected.kept_services, collected.kept_order
    if len(order) != len(kept_statefulsets) + len(kept_services):
        order = bytearray([1] * len(kept_statefulsets) + [0] * len(kept_services))
    statefulsets, services = iter(kept_statefulsets), iter(kept_services)
    for is_statefulset in order:
        if is_statefulset:
            collected.statefulsets.append(statefulset_view(next(statefulsets), namespace, shared))
        else:
            collected.services.append(service_view(next(services), namespace, shared))


def _turned_on(rule: Rule, options: ValidateOptions) -> bool:
    return rule.id not in options.disable and (not rule.optional or rule.id in options.enable)


def _rule_findings(collected: _Collected, options: ValidateOptions,
                   scopes: tuple[str, ...] = ("object", "set")) -> list[Finding]:
    """Run the rules of `scopes` over everything collected."""
    from sts_cli.rules.base import RuleContext, all_rules

    _views(collected, options.namespace)
    context = RuleContext(options.kubernetes_version, options.namespace, collected.statefulsets,
                          collected.services, collected.others, collected.schema_paths)
    findings: list[Finding] = []
    for rule in all_rules():
        if rule.check is None or rule.scope not in scopes or not _turned_on(rule, options):
            continue
        findings.extend(rule.check(context))
    return findings


def _object_rule_findings(collected: _Collected, options: ValidateOptions) -> list[Finding]:
    """The per-file findings of the rules of scope "object" that the options turn on."""
    from sts_cli.rules.base import all_rules

    wanted = {rule.id for rule in all_rules() if rule.scope == "object" and _turned_on(rule, options)}
    return [finding for finding in collected.rule_findings if finding.rule in wanted]


def apply_settings(findings: Iterable[Finding], disable: frozenset[str],
                   severity_overrides: tuple[tuple[str, Severity], ...]) -> list[Finding]:
    """Drop the findings of disabled rules and give overridden rules their configured severity."""
    overrides = dict(severity_overrides)
    out: list[Finding] = []
    for finding in findings:
        if finding.rule in disable:
            continue
        severity = overrides.get(finding.rule)
        out.append(finding.with_severity(severity) if severity is not None else finding)
    return out


def validate(inputs: list[str], options: ValidateOptions,
             progress: Callable[[int, int], None] | None = None) -> ValidationResult:
    """Validate files, folders and `-`; per-file work in `options.jobs` processes, cached.

    The result has no `statefulsets` / `services` views (see `ValidationResult`), whichever way
    it was made: reports need only findings, objects and the summary.
    """
    with cyclic_gc_paused():
        return _validate(inputs, options, progress)


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for a run (and, in a worker, for each file it checks).

    A run builds hundreds of thousands of containers that form no reference cycles (parsed
    documents, slim copies, views, findings) and frees them by reference counting. With the
    collector on, each full collection rescans every object kept so far: at 20,000 documents, a
    second or more of nothing. The little cyclic garbage a run makes is collected afterwards.
    """
    import gc

    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _validate(inputs: list[str], options: ValidateOptions,
              progress: Callable[[int, int], None] | None) -> ValidationResult:
    items = list(expand_inputs(inputs))
    skipped = [item for item in items if isinstance(item, SourceSkip)]
    paths = [item for item in items if isinstance(item, str)]
    from sts_cli.spool import read_once_inputs

    with read_once_inputs(inputs, options.max_file_bytes):
        if options.cache_dir is not None:
            from pathlib import Path

            from sts_cli.cache import Cache

            cache = Cache.open(Path(options.cache_dir))
            if cache is not None:
                return _validate_cached(cache, inputs, paths, skipped, options, progress)
        from sts_cli.parallel import run_files

        return _finish(_collect(run_files(paths, options, progress), options), skipped, options)


def _validate_cached(cache: Cache, inputs: list[str], paths: list[str], skipped: list[SourceSkip],
                     options: ValidateOptions,
                     progress: Callable[[int, int], None] | None) -> ValidationResult:
    """The whole result from the cache when no input changed; else the changed files checked again."""
    from sts_cli.cache import DigestMemo

    memo = DigestMemo(cache, _set_key(inputs, options))
    digests = _digests(paths, options, memo)
    memo.save()
    run_name = None
    if len(digests) == len(paths):
        run_name = _run_key(paths, digests, skipped, options)
        hit = _unpack_result(cache.get("runs", run_name))
        if hit is not None:
            if progress is not None:
                progress(len(paths), len(paths))
            return hit
    from sts_cli.parallel import run_files

    set_name = _set_key(inputs, options)
    known = cache.pack("sets", set_name)
    store = cache.pack_writer("sets", set_name)
    try:
        result = _finish(_collect(run_files(paths, options, progress, digests, known, store), options), skipped,
                         options)
    except BaseException:
        if store is not None:
            store.abort()
        raise
    finally:
        known.close()
    if store is not None:
        # The whole result is kept only if every file was checked as the parent hashed it.
        unchanged = store.digests() == {shown(p): digests[p] for p in digests}
        store.commit()
        if run_name is not None and unchanged:
            cache.put("runs", run_name, _pack_result(result))
    cache.maybe_prune()
    return result


_PACKED = "sts-result-1"


def _pack_result(result: ValidationResult) -> object:
    """The result in columns for the `runs` entry: pickling 20,000 objects one by one keeps a table
    of every object pickled (20 MiB at that size); columns of numbers and strings need a tenth."""
    index = {id(finding): position for position, finding in enumerate(result.findings)}
    objects = result.objects
    columns: dict[str, list[Any]] = {name: [] for name in ("origin", "document", "name", "kind", "line",
                                                            "column", "key", "findings")}
    for checked in objects:
        location = checked.location
        found = [index.get(id(finding), -1) for finding in checked.findings]
        if location.file != checked.origin or location.document != checked.document or -1 in found:
            return result  # not the usual shape: stored as it is
        for name, value in (("origin", checked.origin), ("document", checked.document), ("name", checked.name),
                            ("kind", checked.kind), ("line", location.line), ("column", location.column),
                            ("key", checked.key), ("findings", found)):
            columns[name].append(value)
    return (_PACKED, result.findings, result.summary, result.files, result.skipped_paths, columns)


def _unpack_result(value: object) -> ValidationResult | None:
    if isinstance(value, ValidationResult):
        return value
    if not (isinstance(value, tuple) and len(value) == 6 and value[0] == _PACKED):
        return None
    _tag, findings, summary, files, skipped, columns = value
    try:
        objects = [CheckedObject(origin, document, name, kind, Location(origin, line, column, document), key,
                                 [findings[i] for i in found])
                   for origin, document, name, kind, line, column, key, found in zip(
                       columns["origin"], columns["document"], columns["name"], columns["kind"], columns["line"],
                       columns["column"], columns["key"], columns["findings"], strict=True)]
    except (KeyError, IndexError, TypeError, ValueError):
        return None
    return ValidationResult(findings, summary, files, objects, [], [], skipped)


def _set_key(inputs: list[str], options: ValidateOptions) -> str:
    """The `sets` entry of the inputs as given (a folder stays the same set when files come and go).

    Every entry is checked against the digest of the file's content and shown under its path, so
    a pack can only be reused for what it was computed from; the working folder keeps two projects
    from replacing each other's packs. Per-file results depend on no option but these.
    """
    import os

    from sts_cli.cache import fingerprint, key

    try:
        here = os.getcwd()
    except OSError:  # the working folder was removed
        here = ""
    per_file = (options.kubernetes_version, options.namespace, options.limits, options.max_file_bytes)
    return key("set", fingerprint(), per_file, here, tuple(inputs))


def _digests(paths: list[str], options: ValidateOptions, memo: DigestMemo | None = None) -> dict[str, str]:
    """Content hash of every readable input, read a block at a time (never held whole).

    A regular file whose identity and times `memo` knows is not read again (see DigestMemo).
    """
    import os
    import stat
    import time

    from sts_cli.cache import new_hasher

    found: dict[str, str] = {}
    for path in paths:
        st = None
        if memo is not None and path != STDIN:
            try:
                st = os.stat(path)
            except OSError:
                st = None
            if st is not None and stat.S_ISREG(st.st_mode) and st.st_size <= options.max_file_bytes:
                known = memo.get(path, st)
                if known is not None:
                    found[path] = known
                    continue
            else:
                st = None
        hashed_at = time.time_ns()
        hasher = new_hasher()
        size = 0
        try:
            for block in read_blocks(path, options.max_file_bytes):
                hasher.update(block)
                size += len(block)
        except ReadFailed:
            continue
        found[path] = hasher.hexdigest()
        if memo is not None and st is not None and size == st.st_size:
            memo.put(path, st, found[path], hashed_at)
    return found


def _run_key(paths: list[str], digests: dict[str, str], skipped: list[SourceSkip],
             options: ValidateOptions) -> str:
    from sts_cli.cache import fingerprint, key

    settings: list[object] = []
    for option in fields(options):
        if option.name in ("jobs", "cache_dir"):
            continue
        value = getattr(options, option.name)
        settings.append((option.name, tuple(sorted(value)) if isinstance(value, (set, frozenset)) else value))
    return key("run", fingerprint(), tuple(settings), tuple((p, digests[p]) for p in paths), tuple(skipped))


def validate_loaded(loaded: list[LoadedSource], skipped: list[SourceSkip],
                    options: ValidateOptions) -> ValidationResult:
    """Every rule over the full objects, in this process: slower than `validate`, same result."""
    return _finish(_check_objects(loaded, options), skipped, options, per_file=False)


def _finish(collected: _Collected, skipped: list[SourceSkip], options: ValidateOptions,
            per_file: bool = True) -> ValidationResult:
    """`per_file`: the rules of scope "object" ran per file (`collected.rule_findings`)."""
    _expand(collected)
    loaded = collected.loaded
    findings: list[Finding] = []
    for source in loaded:
        findings.extend(source.findings)
    for checked in collected.objects:
        findings.extend(checked.findings)
    if per_file:
        findings.extend(_object_rule_findings(collected, options))
        findings.extend(_rule_findings(collected, options, ("set",)))
    else:
        findings.extend(_rule_findings(collected, options))

    from sts_cli.suppress import apply_suppressions

    _views(collected, options.namespace)
    findings = apply_suppressions(findings, collected.statefulsets, collected.services, options.namespace)
    findings = apply_settings(findings, options.disable, options.severity_overrides)

    summary = Summary(files=len(loaded), unreadable=sum(1 for s in loaded if s.unreadable))
    summary.documents = sum(s.documents for s in loaded)
    if collected.object_count == 0 and not options.allow_empty and not any(
            f.severity is Severity.ERROR for f in findings):
        where = loaded[0].origin if len(loaded) == 1 else (loaded[0].origin if loaded else "<input>")
        findings.append(Finding("no-objects", Severity.ERROR,
                                "no Kubernetes objects found in the input" if loaded
                                else "no YAML or JSON files found in the input",
                                Location(where, 1, 1),
                                hint="pass --allow-empty if an empty input is expected"))
    for checked in collected.objects:
        summary.objects[checked.kind] += 1
    for obj in collected.others:
        summary.skipped[bound_text(obj.kind)] += 1

    order = {source.origin: index for index, source in enumerate(loaded)}
    findings.sort(key=lambda f: (order.get(f.location.file, len(order)), *f.sort_key()))
    # Per-object grouping for JUnit and the "invalid" count: findings land on the object they name.
    # The views and slim copies are let go first; only objects some finding names get a list.
    objects = collected.objects
    collected.statefulsets, collected.services, collected.others = [], [], []
    collected.kept_statefulsets, collected.kept_services, collected.schema_paths = [], [], {}
    collected.kept_order = bytearray()
    by_key: dict[str, list[Finding]] = {}
    for finding in findings:
        summary.findings[finding.severity] += 1
        by_key.setdefault(finding.object_key, []).append(finding)
    for checked in reversed(objects):  # (were two objects to share a key, the last one takes its findings)
        checked.findings = by_key.pop(checked.key, _NO_FINDINGS) if by_key else _NO_FINDINGS
    summary.invalid = sum(1 for c in objects if any(f.severity is Severity.ERROR for f in c.findings))
    return ValidationResult(findings, summary, [s.origin for s in loaded], collected.objects, [], [], skipped)
