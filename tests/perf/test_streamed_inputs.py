"""Large streams are planned as they are read and checked a chunk at a time: never held whole,
read-once inputs (standard input, `<(...)` pipes) read once, and the result is the whole read's."""

from __future__ import annotations

import io
import itertools
import os
import pickle
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sts_cli import parallel, sources, spool, streams
from sts_cli.engine import ValidateOptions, ValidationResult, validate
from sts_cli.streams import plan_stream
from tests.conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
from corpus import generate

WEB = (REPO / "examples" / "web.yaml").read_bytes()


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("streamed")
    generate(out / "corpus", 120, seed=11, broken=0.2)
    path = out / "bundle.yaml"
    path.write_bytes(b"---\n".join(p.read_bytes() for p in sorted((out / "corpus").rglob("*.yaml"))))
    return path


@pytest.fixture
def small_thresholds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "POOL_MIN_BYTES", 1)
    monkeypatch.setattr(parallel, "CHUNK_BYTES", 8192)
    monkeypatch.setattr(parallel, "PART_BYTES", 4096)
    monkeypatch.setattr(spool, "SPOOL_BYTES", 4096)


def run(paths: list[str], **overrides: Any) -> ValidationResult:
    return validate(paths, ValidateOptions(kubernetes_version="1.33", **overrides))


def shape(result: ValidationResult, name: str | None = None) -> list[tuple[Any, ...]]:
    return [(f.rule, name or f.location.file, f.location.line, f.location.column, f.location.document, f.message)
            for f in result.findings]


def whole_read(paths: list[str], monkeypatch: pytest.MonkeyPatch, **overrides: Any) -> ValidationResult:
    """The result with every input read and parsed whole (no stream is cut)."""
    with monkeypatch.context() as patch:
        patch.setattr(parallel, "CHUNK_BYTES", 1 << 40)
        patch.setattr(parallel, "PART_BYTES", 1 << 40)
        return run(paths, **overrides)


def full_shape(result: ValidationResult) -> list[Any]:
    return [shape(result), result.summary, result.files,
            [(o.key, o.kind, o.location, o.findings) for o in result.objects]]


def drop_runs(cache: Path) -> None:
    """Remove the whole-run entries, so that a run reads the per-file pack."""
    for entry in cache.rglob("*"):
        if "runs" in entry.parts and entry.is_file():
            entry.unlink()


# --- planning as the stream is read ----------------------------------------------------------

_LINES = [b"---\n", b"--- # x\n", b"--- {a: 1}\n", b"a: 1\n", b"b:\n  - 2\n", b"# Source: c/t.yaml\n",
          b"\n", b"# note\n", b"c: d\r\n", b"...\n", b"%YAML 1.1\n", b"----\n", b"e: \xc3\xa9\n", b"f: \x85\n"]


@settings(max_examples=150, deadline=None)
@given(lines=st.lists(st.sampled_from(_LINES), min_size=1, max_size=300), target=st.sampled_from([16, 40, 100]),
       cuts=st.lists(st.integers(min_value=1, max_value=97), min_size=1, max_size=20),
       max_documents=st.sampled_from([5, 10_000]))
def test_planning_block_by_block_cuts_where_planning_the_whole_does(lines: list[bytes], target: int,
                                                                     cuts: list[int], max_documents: int) -> None:
    data = b"".join(lines)
    blocks, at, index = [], 0, 0
    while at < len(data):
        size = cuts[index % len(cuts)]
        blocks.append(data[at:at + size])
        at += size
        index += 1
    assert plan_stream(blocks, target, max_documents) == plan_stream([data], target, max_documents)


def test_planning_a_clean_stream_cuts_it_whole(bundle: Path) -> None:
    data = bundle.read_bytes()
    chunks = plan_stream([data[i:i + 1000] for i in range(0, len(data), 1000)], 8192, 10_000)
    assert chunks is not None and len(chunks) > 5
    assert chunks[0].start == 0 and chunks[-1].end == len(data)
    assert all(a.end == b.start and data[b.start:b.start + 3] == b"---" for a, b in itertools.pairwise(chunks))
    assert chunks == plan_stream([data], 8192, 10_000)


def test_planning_stops_reading_at_the_first_unsafe_chunk() -> None:
    read: list[bytes] = []

    def blocks() -> Any:
        for block in (b"---\na: 1\n" * 50, b"%TAG ! x\n---\nb: 2\n", b"---\nc: 3\n" * 50, b"---\nd: 4\n" * 50):
            read.append(block)
            yield block

    assert plan_stream(blocks(), 100, 10_000) is None
    assert len(read) < 4


@pytest.mark.parametrize("start", [b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff"])
def test_streams_with_a_utf16_or_utf32_mark_are_never_cut(start: bytes) -> None:
    assert plan_stream([start + b"---\na: 1\n" * 400], 100, 10_000) is None


# --- checking without holding the stream ------------------------------------------------------

def test_a_large_file_is_never_read_whole(bundle: Path, small_thresholds: None,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    expected = whole_read([str(bundle)], monkeypatch)
    original = sources.read_source

    def refuse_the_bundle(display: str, max_bytes: int = 0) -> Any:
        assert display != str(bundle), "the stream was read whole"
        return original(display, max_bytes)

    monkeypatch.setattr(parallel, "read_source", refuse_the_bundle)
    for jobs in (1, 2):
        assert shape(run([str(bundle)], jobs=jobs)) == shape(expected)
    assert expected.summary.errors > 5


def test_a_chunk_that_changed_since_planning_makes_the_stream_read_again(bundle: Path, small_thresholds: None,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    expected = whole_read([str(bundle)], monkeypatch)
    original = sources.read_range
    calls: list[int] = []

    def altered(item: str, start: int, end: int) -> bytes | None:
        calls.append(start)
        data = original(item, start, end)
        if data is None or len(calls) != 3:
            return data
        return data.replace(b"name:", b"nAme:", 1)

    monkeypatch.setattr(streams, "read_range", altered)
    assert shape(run([str(bundle)], jobs=1)) == shape(expected)
    assert len(calls) > 3


# --- read-once inputs --------------------------------------------------------------------------

def test_large_standard_input_is_copied_checked_in_parts_and_removed(bundle: Path, small_thresholds: None,
                                                                     monkeypatch: pytest.MonkeyPatch,
                                                                     tmp_path: Path) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr("tempfile.tempdir", None)
    expected = whole_read([str(bundle)], monkeypatch)
    copies: list[str] = []
    original = sources.read_range

    def watched(item: str, start: int, end: int) -> bytes | None:
        copies.extend(str(p) for p in tmp_path.glob("sts-input-*"))
        return original(item, start, end)

    monkeypatch.setattr(streams, "read_range", watched)
    for jobs in (1, 2):
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(bundle.read_bytes())))
        got = run(["-"], jobs=jobs, cache_dir=str(tmp_path / "cache"))
        assert shape(got, "x") == shape(expected, "x")
        assert {f.location.file for f in got.findings} == {"<stdin>"}
    assert copies, "the input was not copied to a temporary file"
    assert not list(tmp_path.glob("sts-input-*")), "the copy was not removed"
    assert not sources.read_once_state()


def test_small_standard_input_stays_in_memory(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr("tempfile.tempdir", None)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(WEB)))
    with spool.read_once_inputs(["-"], 1 << 20):
        assert not list(tmp_path.glob("sts-input-*"))
        assert sources.read_source("-").data == WEB
        assert sources.read_source("-").data == WEB  # read again: the same bytes
        assert b"".join(sources.read_blocks("-")) == WEB
    assert not sources.read_once_state()


def test_standard_input_over_the_size_limit_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spool, "SPOOL_BYTES", 100)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(WEB * 50)))
    result = run(["-"], max_file_bytes=len(WEB) * 10)
    assert [(f.rule, f.location.file) for f in result.findings] == [("yaml-limit", "<stdin>")]
    assert result.summary.errors == 1


def test_a_pipe_is_read_once_with_the_cache_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`sts validate <(helm template ...)`: the cache hashes the input before checking it."""
    monkeypatch.setattr(spool, "SPOOL_BYTES", 4096)
    example = REPO / "examples" / "web.yaml"
    expected = run([str(example)], cache_dir=None)
    document = b"---\n" + example.read_bytes()
    for size in (1, 200):  # kept in memory, and copied to a temporary file
        read_end, write_end = os.pipe()
        writer = threading.Thread(target=_write_all, args=(write_end, document * size))
        writer.start()
        try:
            got = run([f"/dev/fd/{read_end}"], cache_dir=str(tmp_path / "cache"))
        finally:
            writer.join()
            os.close(read_end)
        assert got.summary.objects == {k: v * size for k, v in expected.summary.objects.items()}
        assert got.summary.files == 1


def _write_all(fd: int, data: bytes) -> None:
    with os.fdopen(fd, "wb") as out:
        out.write(data)


# --- the cache pack ----------------------------------------------------------------------------

class _Unpicklable:
    def __reduce__(self) -> Any:
        raise TypeError("not today")


def test_a_value_that_fails_half_pickled_leaves_the_pack_whole(tmp_path: Path) -> None:
    from sts_cli.cache import Cache

    cache = Cache.open(tmp_path / "cache")
    assert cache is not None
    writer = cache.pack_writer("sets", "p")
    assert writer is not None
    writer.add("a", "d1", {"big": b"x" * 100_000})
    writer.add("bad", "d2", ["y" * 500_000, _Unpicklable()])  # fails after writing most of it
    writer.add("b", "d3", [1, 2, 3], pickle.dumps("from a worker"))
    writer.commit()
    pack = cache.pack("sets", "p")
    try:
        assert len(pack) == 2 and pack.get("bad", "d2") is None
        assert pack.get("a", "d1") == {"big": b"x" * 100_000}
        assert pack.get("b", "d3") == "from a worker"
        assert pack.get("a", "other digest") is None
    finally:
        pack.close()
    assert not list((tmp_path / "cache").rglob(".tmp-*"))


# --- results a part at a time --------------------------------------------------------------------

def test_a_part_that_does_not_fit_replaces_the_parts_given_before_it(bundle: Path, tmp_path: Path,
                                                                      small_thresholds: None,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    data = bundle.read_bytes()
    middle = data.index(b"\n---\n", len(data) * 2 // 3) + 1
    broken = tmp_path / "broken.yaml"
    broken.write_bytes(data[:middle] + b"---\nkey: [unclosed\n" + data[middle:])
    inputs = [str(REPO / "examples" / "web.yaml"), str(broken), str(bundle)]
    expected = whole_read(inputs, monkeypatch)
    assert any(f.rule == "yaml-syntax" for f in expected.findings)
    replaced: list[bool] = []
    original = parallel._read_instead

    def watched(*args: Any) -> Any:
        result = original(*args)
        replaced.append(result.replaces_parts)
        return result

    monkeypatch.setattr(parallel, "_read_instead", watched)
    for jobs in (1, 2):
        assert full_shape(run(inputs, jobs=jobs)) == full_shape(expected)
        assert full_shape(run(inputs, jobs=jobs, cache_dir=str(tmp_path / f"cache{jobs}"))) == full_shape(expected)
    assert replaced and all(replaced), "the stream was not read whole after parts were given"


def test_a_stream_is_kept_in_the_cache_a_part_at_a_time(bundle: Path, tmp_path: Path, small_thresholds: None,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    other = tmp_path / "other.yaml"
    other.write_bytes(WEB)
    inputs = [str(bundle), str(other)]
    cache = str(tmp_path / "cache")
    expected = whole_read(inputs, monkeypatch)
    assert full_shape(run(inputs, jobs=2, cache_dir=cache)) == full_shape(expected)
    checked: list[int] = []
    original = streams.check_part
    monkeypatch.setattr(streams, "check_part", lambda *a: checked.append(1) or original(*a))
    # Another input changed: the stream's parts come from the pack, one at a time.
    other.write_bytes(WEB.replace(b"replicas: 3", b"replicas: 2"))
    expected = whole_read(inputs, monkeypatch)
    for _ in range(2):  # (the second run reads the parts copied into the new pack)
        drop_runs(tmp_path / "cache")
        assert full_shape(run(inputs, jobs=1, cache_dir=cache)) == full_shape(expected)
    assert not checked


def test_a_damaged_part_in_the_cache_is_checked_again(bundle: Path, tmp_path: Path, small_thresholds: None,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from sts_cli.cache import Pack

    cache = str(tmp_path / "cache")
    expected = whole_read([str(bundle)], monkeypatch)
    run([str(bundle)], jobs=1, cache_dir=cache)
    original = Pack.part
    seen: list[int] = []

    def damaged(self: Pack, where: tuple[int, int]) -> Any:
        seen.append(1)
        return None if len(seen) == 3 else original(self, where)

    monkeypatch.setattr(Pack, "part", damaged)
    drop_runs(tmp_path / "cache")
    assert full_shape(run([str(bundle)], jobs=1, cache_dir=cache)) == full_shape(expected)
    assert len(seen) == 3


def test_a_stream_unsafe_to_cut_is_planned_once_then_read_whole(bundle: Path, tmp_path: Path,
                                                                small_thresholds: None,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    unsafe = tmp_path / "ends.yaml"
    unsafe.write_bytes(bundle.read_bytes() + b"...\n")  # an explicit document end: never cut
    expected = whole_read([str(unsafe)], monkeypatch)
    planned: list[str] = []
    original = streams.plan_input

    def counting(item: str, *args: Any) -> Any:
        planned.append(item)
        return original(item, *args)

    monkeypatch.setattr(streams, "plan_input", counting)
    for jobs in (1, 2):
        planned.clear()
        assert full_shape(run([str(unsafe)], jobs=jobs)) == full_shape(expected)
        assert planned == [str(unsafe)]


class _FullDisk(io.BytesIO):
    def write(self, data: Any) -> int:
        if self.tell() + len(data) > 10_000:
            raise OSError(28, "No space left on device")
        return super().write(data)


def test_a_copy_that_cannot_be_written_is_reported_as_such(bundle: Path, small_thresholds: None,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spool.os, "fdopen", lambda fd, mode: (os.close(fd), _FullDisk())[1])
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(bundle.read_bytes())))
    result = run(["-"])
    assert [(f.rule, f.location.file, f.message) for f in result.findings] == [
        ("file-unreadable", "<stdin>",
         "cannot copy <stdin> to a temporary file: No space left on device (set TMPDIR to a folder with room)")]
    assert result.summary.unreadable == 1


def test_without_a_temporary_folder_a_large_input_stays_in_memory(bundle: Path, small_thresholds: None,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    expected = whole_read([str(bundle)], monkeypatch)

    def no_room(**_: Any) -> Any:
        raise OSError(13, "Permission denied")

    monkeypatch.setattr("tempfile.mkstemp", no_room)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(bundle.read_bytes())))
    with spool.read_once_inputs(["-"], 1 << 30):
        assert sources.read_source("-").data == bundle.read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(bundle.read_bytes())))
    assert shape(run(["-"], jobs=2), "x") == shape(expected, "x")


def test_a_large_stream_on_standard_input_end_to_end(tmp_path: Path) -> None:
    """A real process with its workers: about 2 MB on standard input reads like the same file, and the
    temporary copy is gone afterwards."""
    from tests.hostile.helpers import sts_command, subprocess_env

    generate(tmp_path / "corpus", 800, seed=13, broken=0.1)
    big = tmp_path / "big.yaml"
    big.write_bytes(b"---\n".join(p.read_bytes() for p in sorted((tmp_path / "corpus").rglob("*.yaml"))))
    assert big.stat().st_size > max(spool.SPOOL_BYTES, 2 * parallel.CHUNK_BYTES)  # copied, then cut
    temp = tmp_path / "temp"
    temp.mkdir()
    env = {**subprocess_env(), "TMPDIR": str(temp), "STS_CACHE_DIR": str(tmp_path / "cache")}
    command = [*sts_command(), "validate", "-k", "1.33", "-j", "2"]
    from_file = subprocess.run([*command, str(big)], capture_output=True, env=env, check=False, timeout=120)
    with big.open("rb") as stdin:
        from_stdin = subprocess.run([*command, "-"], stdin=stdin, capture_output=True, env=env, check=False,
                                    timeout=120)
    assert from_file.returncode == from_stdin.returncode == 1
    assert from_stdin.stdout.replace(b"<stdin>", str(big).encode()) == from_file.stdout
    assert from_stdin.stdout.count(b"<stdin>:") > 10 and not from_stdin.stderr
    assert not list(temp.iterdir())


_SERVICE = b"""apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  clusterIP: None
  selector: {app: web}
  ports: [{name: http, port: 80}]
"""
_PIECES = [WEB, _SERVICE, _SERVICE.replace(b"name: web", b"name: other"), b"---\n", b"--- # next\n",
           b"# Source: chart/templates/web.yaml\n", b"\n", b"key: [unclosed\n", b"...\n", b"- a list\n",
           b"kind: List\napiVersion: v1\nitems: [3]\n", b"a: b\r\n", b"metadata: {name: x}\nmetadata: {}\n"]


@settings(max_examples=40, deadline=None)
@given(pieces=st.lists(st.sampled_from(_PIECES), min_size=2, max_size=24), part=st.sampled_from([64, 200, 700]))
def test_any_stream_checked_in_parts_reads_as_a_whole(pieces: list[bytes], part: int) -> None:
    import tempfile

    data = b"".join(piece if piece.endswith(b"\n") else piece + b"\n" for piece in pieces)
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        path = Path(folder) / "stream.yaml"
        path.write_bytes(data)
        expected = whole_read([str(path)], patch)
        patch.setattr(parallel, "PART_BYTES", part)
        assert full_shape(run([str(path)], jobs=1)) == full_shape(expected)


@settings(max_examples=300, deadline=None)
@given(text=st.lists(st.sampled_from([b"---", b"...", b"--", b"-", b"\n", b"\r\n", b" ", b"\t", b"a", b"%", b"#"]),
                     max_size=40).map(b"".join),
       start=st.integers(min_value=0, max_value=60), cut=st.integers(min_value=0, max_value=60))
def test_line_starts_finds_what_the_multiline_pattern_finds(text: bytes, start: int, cut: int) -> None:
    import re

    for mark in (b"---", b"..."):
        pattern = re.compile(b"^" + re.escape(mark) + rb"(?=[ \t\r\n]|\Z)", re.MULTILINE)
        start_at, limit = min(start, len(text)), min(cut, len(text))
        expected = [m.start() for m in pattern.finditer(text, start_at) if m.start() < limit]
        assert streams._line_starts(text, mark, start_at, limit) == expected
        assert streams._line_starts(bytearray(text), mark, start_at, limit) == expected
