"""The fast paths give the same results as the slow ones: schema check, packed positions, workers,
stream chunks and the cache. No timing here: only equality of results."""

from __future__ import annotations

import pickle
import sys
from pathlib import Path
from typing import Any

import pytest

from sts_cli import parallel, schema_check
from sts_cli.documents import ManifestObject, load_source
from sts_cli.engine import ValidateOptions, ValidationResult, validate
from sts_cli.filecheck import PackedPositions
from sts_cli.kinds import classify
from sts_cli.sources import Source, read_source
from sts_cli.streams import check_chunk, join_chunks, plan_stream
from tests.conftest import REPO
from tests.perf.helpers import all_paths

sys.path.insert(0, str(REPO / "benchmarks"))
from corpus import generate

VERSIONS = ("1.30", "1.33", "1.37")


def manifest_files() -> list[Path]:
    found = [p for folder in (REPO / "examples", REPO / "tests")
             for p in sorted(folder.rglob("*")) if p.suffix in (".yaml", ".yml", ".json") and p.is_file()]
    assert len(found) > 20
    return found


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    generate(out, 160, seed=7, broken=0.2)
    return out


def objects_of(paths: list[Path]) -> list[ManifestObject]:
    objects: list[ManifestObject] = []
    for path in paths:
        objects.extend(load_source(read_source(str(path))).objects)
    return objects


def test_fast_and_slow_schema_checks_agree_on_every_fixture_and_the_corpus(corpus: Path) -> None:
    files = manifest_files() + sorted(p for p in corpus.rglob("*") if p.is_file())
    checked = invalid = 0
    for obj in objects_of(files):
        kind, _ = classify(obj, "default")
        if kind is None:
            continue
        for version in VERSIONS:
            fast = schema_check.fast_is_valid(obj.data, version, kind.value)
            slow = schema_check._validator(version, kind.value).is_valid(obj.data)
            assert fast == slow, (obj.origin, obj.document, version)
            checked += 1
            invalid += not slow
    assert checked > 300 and invalid > 30


@pytest.mark.parametrize("value", [float("nan"), float("inf"), 2**64 - 1, 1.0, "3", True, None, [], {}])
def test_unusual_values_agree_or_fall_back(value: Any) -> None:
    data = {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "web"},
            "spec": {"replicas": value, "selector": {"matchLabels": {"a": "b"}}, "serviceName": "web",
                     "template": {"metadata": {"labels": {"a": "b"}},
                                  "spec": {"containers": [{"name": "c", "image": "i"}]}}}}
    fast = schema_check.fast_is_valid(data, "1.33", "StatefulSet")
    slow = schema_check._validator("1.33", "StatefulSet").is_valid(data)
    assert fast is None or fast == slow


def test_values_the_compiled_check_cannot_read_fall_back_to_jsonschema() -> None:
    assert schema_check.fast_is_valid({"metadata": {1: 2}}, "1.33", "Service") is None


def test_packed_positions_survive_pickling_and_answer_like_the_tables(corpus: Path) -> None:
    objects = objects_of(manifest_files()[:60] + sorted(corpus.rglob("*.yaml"))[:10])
    probes = [("nope",), ("spec", "nope", 3), ("spec", "template", "spec", "containers", 99)]
    expected = [[(o.position(p), o.position(p, True)) for p in [*all_paths(o.data), *probes]] for o in objects]
    for obj in objects:
        obj.positions = PackedPositions.pack(obj)
    restored = pickle.loads(pickle.dumps(objects))
    got = [[(o.position(p), o.position(p, True)) for p in [*all_paths(o.data), *probes]] for o in restored]
    assert got == expected


def test_aliased_containers_keep_the_anchor_positions() -> None:
    text = b"a: &x\n  k: 1\nb: *x\nc:\n  - *x\n  - 2\n"
    obj = load_source(Source("t.yaml", text)).objects[0]
    before = [(obj.position(p), obj.position(p, True)) for p in all_paths(obj.data)]
    obj.positions = PackedPositions.pack(obj)
    copy = pickle.loads(pickle.dumps(obj))
    assert copy.data["b"] is copy.data["a"] is copy.data["c"][0]
    assert [(copy.position(p), copy.position(p, True)) for p in all_paths(copy.data)] == before


def run(paths: list[str], **overrides: Any) -> ValidationResult:
    options = ValidateOptions(kubernetes_version="1.33", **overrides)
    return validate(paths, options)


def same(a: ValidationResult, b: ValidationResult) -> None:
    assert a.findings == b.findings
    assert [f.object_key for f in a.findings] == [f.object_key for f in b.findings]
    assert a.summary == b.summary
    assert a.files == b.files
    assert [(o.key, o.kind, o.location, o.findings) for o in a.objects] == \
        [(o.key, o.kind, o.location, o.findings) for o in b.objects]


@pytest.fixture
def small_thresholds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "POOL_MIN_BYTES", 1)
    monkeypatch.setattr(parallel, "CHUNK_BYTES", 4096)


def test_workers_give_the_sequential_result_in_the_same_order(corpus: Path, small_thresholds: None) -> None:
    inputs = [str(corpus), str(REPO / "examples")]
    sequential = run(inputs, jobs=1)
    assert sequential.summary.objects["StatefulSet"] > 40 and sequential.findings
    parallel_result = run(inputs, jobs=2)
    same(parallel_result, sequential)
    assert parallel_result.statefulsets == sequential.statefulsets == []


def stream_cases(corpus: Path) -> list[bytes]:
    bundle = b"".join(p.read_bytes() for p in sorted((corpus / "bundles").glob("*.yaml")))
    pairs = b"---\n".join(p.read_bytes() for p in sorted((corpus / "pairs").glob("*.yaml")))
    not_object = b"---\n- a list\n---\nkind: List\napiVersion: v1\nitems: [3]\n"
    duplicate = b"---\napiVersion: v1\nkind: Service\nmetadata: {name: a}\nmetadata: {name: b}\n"
    broken = pairs[: len(pairs) // 2] + b"---\nkey: [unclosed\n" + pairs[len(pairs) // 2:]
    helm_inside = pairs.replace(b"kind: StatefulSet\n", b"kind: StatefulSet\n# Source: x/y.yaml\n", 3)
    return [bundle, pairs, pairs + not_object + duplicate + pairs, broken, helm_inside,
            pairs.replace(b"\n", b"\r\n"), b"\xef\xbb\xbf" + bundle]


def test_chunked_streams_read_like_whole_streams(corpus: Path) -> None:
    options = ValidateOptions(kubernetes_version="1.33")
    for data in stream_cases(corpus):
        chunks = plan_stream([data], 4096, options.limits.max_documents)
        whole = parallel.check_source(Source("s.yaml", data), options)
        if chunks is None:
            assert b"\r\n" in data
            continue
        assert len(chunks) > 2 and chunks[0].start == 0 and chunks[-1].end == len(data)
        parts = [check_chunk("s.yaml", data[c.start:c.end], c, options) for c in chunks]
        joined = join_chunks("s.yaml", parts, chunks, options)
        if joined is None:  # refused only when a part other than the last ends in a syntax error
            assert any(f.rule == "yaml-syntax" for part in parts[:-1] for f in part.loaded.findings)
            continue
        assert joined.loaded.documents == whole.loaded.documents
        assert joined.loaded.findings == whole.loaded.findings
        assert [o.key for o in joined.loaded.objects] == [o.key for o in whole.loaded.objects]
        assert [o.helm for o in joined.loaded.objects] == [o.helm for o in whole.loaded.objects]
        assert [r.findings for r in joined.results] == [r.findings for r in whole.results]
        for a, b in zip(joined.loaded.objects[:50], whole.loaded.objects[:50], strict=True):
            assert a.data == b.data
            assert [a.position(p, True) for p in all_paths(a.data)] == [b.position(p, True) for p in all_paths(b.data)]


def test_stdin_is_chunked_and_checked_like_a_file(corpus: Path, small_thresholds: None,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    bundle = sorted((corpus / "bundles").glob("*.yaml"))[0]
    from_file = run([str(bundle)], jobs=1)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(bundle.read_bytes())))
    from_stdin = run(["-"], jobs=2)
    assert from_stdin.findings
    assert [f.location.file for f in from_stdin.findings] == ["<stdin>"] * len(from_stdin.findings)
    assert [(f.rule, f.location.line, f.location.column, f.location.document, f.message)
            for f in from_stdin.findings] == \
        [(f.rule, f.location.line, f.location.column, f.location.document, f.message) for f in from_file.findings]


def test_warm_cache_gives_the_cold_result(corpus: Path, tmp_path: Path, small_thresholds: None) -> None:
    cache = tmp_path / "cache"
    inputs = [str(corpus)]
    plain = run(inputs, jobs=1)
    cold = run(inputs, jobs=2, cache_dir=str(cache))
    assert len(entries(cache, "sets")) == 1 and len(entries(cache, "runs")) == 1
    warm = run(inputs, jobs=1, cache_dir=str(cache))
    same(cold, plain)
    same(warm, plain)
    # Without the run entry, the per-file entries (with packed positions) give the same result.
    for entry in entries(cache, "runs"):
        entry.unlink()
    same(run(inputs, jobs=1, cache_dir=str(cache)), plain)
    assert not list((cache / "v2").rglob(".tmp-*"))


def entries(cache: Path, kind: str) -> list[Path]:
    return [p for p in (cache / "v2" / kind).rglob("*") if p.is_file()]


def test_after_an_edit_only_the_changed_files_are_checked_again(corpus: Path, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    folder = tmp_path / "in"
    shutil.copytree(corpus / "pairs", folder)
    cache = str(tmp_path / "cache")
    checked: list[str] = []
    real = parallel.check_source

    def counting(source: Source, options: ValidateOptions) -> Any:
        checked.append(source.display)
        return real(source, options)

    monkeypatch.setattr(parallel, "check_source", counting)
    files = sorted(folder.glob("*.yaml"))
    assert len(files) > 5
    run([str(folder)], jobs=1, cache_dir=cache)
    assert len(checked) == len(files)
    checked.clear()
    edited = files[2]
    edited.write_text(edited.read_text().replace("replicas: ", "replicas: 1", 1))
    after = run([str(folder)], jobs=1, cache_dir=cache)
    assert checked == [str(edited)]
    same(after, run([str(folder)], jobs=1))
    checked.clear()
    run([str(folder)], jobs=1, cache_dir=cache)  # the whole result, from the run entry
    assert checked == []
    # Files that come and go: only the new one is checked.
    added = folder / "zz-added.yaml"
    added.write_text(files[0].read_text())
    files[1].unlink()
    after = run([str(folder)], jobs=1, cache_dir=cache)
    assert checked == [str(added)]
    same(after, run([str(folder)], jobs=1))


def test_options_and_content_are_part_of_the_key(tmp_path: Path) -> None:
    cache = str(tmp_path / "cache")
    manifest = tmp_path / "m.yaml"
    manifest.write_text("apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec:\n  ports: [{port: 80}]\n")
    first = run([str(manifest)], cache_dir=cache)
    assert not [f for f in first.findings if f.rule.startswith("schema-")]
    manifest.write_text("apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec:\n  ports: [{port: '80'}]\n")
    second = run([str(manifest)], cache_dir=cache)
    assert [f for f in second.findings if f.rule == "schema-type"]
    assert run([str(manifest)], cache_dir=cache, disable=frozenset({"schema-type"})).findings != second.findings


def test_corrupt_entries_are_ignored_and_rewritten(corpus: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    inputs = [str(corpus / "pairs")]
    cold = run(inputs, cache_dir=str(cache))
    from sts_cli.cache import Cache

    opened = Cache.open(cache)
    assert opened is not None
    (pack,) = entries(cache, "sets")
    good = pack.read_bytes()
    for damage in (b"", good[:20], good[:-3], good[:60] + b"\x00garbage" + good[69:], good[:-8] + b"\xff" * 8):
        for entry in entries(cache, "runs"):
            entry.write_bytes(damage[:30])
        pack.write_bytes(damage)
        same(run(inputs, cache_dir=str(cache)), cold)
        assert all(opened.get("runs", p.name) is not None for p in entries(cache, "runs"))
        assert len(opened.pack("sets", pack.name)) > 5


def test_a_cache_folder_others_can_write_is_not_used(tmp_path: Path) -> None:
    from sts_cli.cache import Cache

    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    assert Cache.open(shared) is None
    assert Cache.open(tmp_path / "private") is not None


def test_cli_jobs_and_no_cache(run_cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STS_NO_CACHE", raising=False)
    monkeypatch.setenv("STS_CACHE_DIR", str(tmp_path / "cache"))
    assert run_cli("validate", "-k", "1.33", "--jobs", "-1", "examples/web.yaml").code == 2
    first = run_cli("validate", "-k", "1.33", "--no-cache", "examples/web.yaml", "examples/database.yaml")
    assert not (tmp_path / "cache").exists()
    second = run_cli("validate", "-k", "1.33", "-j", "2", "examples/web.yaml", "examples/database.yaml")
    third = run_cli("validate", "-k", "1.33", "-j", "1", "examples/web.yaml", "examples/database.yaml")
    assert (tmp_path / "cache" / "v2" / "runs").is_dir()
    assert first.out == second.out == third.out and first.code == second.code == third.code


def test_no_progress_bar_outside_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    from sts_cli import progress

    assert not progress.wanted()  # pytest captures stderr: not a terminal
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert progress.wanted()
    assert not progress.wanted(enabled=False)
    monkeypatch.setenv("CI", "true")
    assert not progress.wanted()


def test_run_entries_in_columns_round_trip_and_odd_results_are_kept_whole(corpus: Path) -> None:
    from dataclasses import replace

    from sts_cli.engine import _pack_result, _unpack_result

    result = run([str(corpus / "pairs")])
    packed = _pack_result(result)
    assert isinstance(packed, tuple)
    back = _unpack_result(pickle.loads(pickle.dumps(packed)))
    assert back is not None
    same(back, result)
    shared = {id(f) for f in back.findings}
    assert all(id(f) in shared for checked in back.objects for f in checked.findings)
    result.objects[0].location = replace(result.objects[0].location, file="elsewhere.yaml")
    assert _pack_result(result) is result
    assert _unpack_result(result) is result
    assert _unpack_result(("sts-result-1", [], None, [], [], {})) is None
    assert _unpack_result("garbage") is None
