"""Properties over generated and mutated StatefulSet/Service pairs (hypothesis, modest budgets).

* a valid pair passes `sts validate`, and `sts render --format yaml` of it passes validate too;
* any mutation (structure or raw text) ends with an exit code in {0, 1, 2} and no traceback;
* findings do not depend on the order of files, nor on the order of documents in a file
  (except when the same object is defined twice: which definition the cross-object rules
  compare with then depends on the order, as which one survives `kubectl apply` does).

`scripts/fuzz.py` runs the same strategies with a budget of minutes.
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sts_cli.yamlparse import parse_stream
from tests.hostile.helpers import Run, run_main
from tests.hostile.strategies import emit, mutated_documents, mutated_text, pairs

# `sts` raises the recursion limit on its first run; do it first so hypothesis sees no change.
sys.setrecursionlimit(max(sys.getrecursionlimit(), 8000))

FAST = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                derandomize=True)


def validate_files(contents: Mapping[str, str | bytes], *args: str, order: list[str] | None = None) -> Run:
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for name in order or list(contents):
            data = contents[name]
            path = Path(folder, name)
            path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
            paths.append(str(path))
        run = run_main("validate", "--format", "json", *args, *paths)
    return run


def finding_keys(run: Run, with_position: bool) -> Counter[tuple[Any, ...]]:
    keys: Counter[tuple[Any, ...]] = Counter()
    for finding in json.loads(run.out)["findings"]:
        key: tuple[Any, ...] = (finding["rule"], finding["severity"], finding["object"], finding["path"])
        if with_position:
            key += (Path(finding["file"]).name, finding["line"], finding["column"], finding["message"])
        keys[key] += 1
    return keys


@FAST
@given(pairs(), st.sampled_from(["yaml", "json"]))
def test_a_valid_pair_passes_validate(pair: tuple[dict[str, Any], dict[str, Any]], style: str) -> None:
    text = emit(list(pair), style)
    documents, issues = parse_stream(text)
    assert issues == [] and [d.data for d in documents] == list(pair)  # the emitter round-trips
    run = validate_files({"pair.yaml": text})
    run.assert_clean((0,))
    errors = [f for f in json.loads(run.out)["findings"] if f["severity"] == "error"]
    assert errors == []


@FAST
@given(pairs())
def test_render_of_a_valid_pair_passes_validate(pair: tuple[dict[str, Any], dict[str, Any]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "pair.yaml")
        path.write_text(emit(list(pair)))
        render = run_main("render", "--format", "yaml", str(path))
    render.assert_clean((0,))
    replicas = pair[0]["spec"]["replicas"]
    assert render.out.count("\nkind: Pod\n") == replicas
    rendered = validate_files({"rendered.yaml": render.out}, "--allow-empty")
    rendered.assert_clean((0,))
    assert [f for f in json.loads(rendered.out)["findings"] if f["severity"] != "info"] == []


@FAST
@given(mutated_documents(), st.sampled_from(["yaml", "json"]))
def test_structural_mutations_never_crash(documents: list[Any], style: str) -> None:
    text = emit(documents, style)
    _docs, issues = parse_stream(text)
    assert not [i for i in issues if i.rule == "yaml-syntax"], issues  # structure changed, text well-formed
    validate_files({"m.yaml": text}).assert_clean()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "m.yaml")
        path.write_text(text)
        run_main("render", str(path)).assert_clean()


@FAST
@given(mutated_text())
def test_text_mutations_never_crash(data: bytes) -> None:
    validate_files({"t.yaml": data}).assert_clean()
    run_main("validate", "-", stdin=data).assert_clean()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "t.yaml")
        path.write_bytes(data)
        run_main("render", "--format", "json", str(path)).assert_clean()


@FAST
@given(mutated_documents(duplicates=False), st.randoms(use_true_random=False))
def test_findings_do_not_depend_on_file_order(documents: list[Any], rng: Any) -> None:
    contents = {f"doc{index}.yaml": emit([doc]) for index, doc in enumerate(documents)}
    names = list(contents)
    shuffled = names[:]
    rng.shuffle(shuffled)
    first = validate_files(contents, order=names)
    second = validate_files(contents, order=shuffled)
    first.assert_clean()
    assert second.code == first.code
    assert finding_keys(second, with_position=True) == finding_keys(first, with_position=True)


@FAST
@given(mutated_documents(duplicates=False), st.randoms(use_true_random=False))
def test_findings_do_not_depend_on_document_order(documents: list[Any], rng: Any) -> None:
    shuffled = documents[:]
    rng.shuffle(shuffled)
    first = validate_files({"all.yaml": emit(documents)})
    second = validate_files({"all.yaml": emit(shuffled)})
    first.assert_clean()
    assert second.code == first.code
    assert finding_keys(second, with_position=False) == finding_keys(first, with_position=False)
