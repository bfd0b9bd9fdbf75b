"""Hundreds of hostile files through `sts validate` and `sts render`, one by one and as a folder.

For every file: an exit code in {0, 1, 2}, no traceback, bounded output, the expected finding
for the kind of hostility, nothing executed, and the input byte-identical afterwards.
"""

from __future__ import annotations

import fnmatch
import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.hostile.corpus import hostile_files
from tests.hostile.helpers import run_main, run_process, tree_digest

FILES = hostile_files()
PWNED = Path("/tmp/sts-pwned")  # what the !!python tags of the corpus would create if run

# (glob, an error rule that must be among the findings, or None for "exit 0, no error")
EXPECTED: list[tuple[str, str | None]] = [
    ("bomb-key-alias.yaml", "yaml-duplicate-key"),
    ("bomb-pod-template.yaml", "schema-type"),  # read whole: args are lists, not strings
    ("bomb-replicas.yaml", None),  # valid; render refuses to draw 50,000 pods
    ("bomb-*", "yaml-limit"),
    ("deep-*-over-limit.yaml", "yaml-limit"),
    ("deep-flow-100.yaml", "missing-kind"),  # 100 levels is the limit: read, then checked
    ("deep-flow-*", "yaml-limit"),
    ("deep-block-*", "yaml-limit"),
    ("deep-top-level-list.yaml", "yaml-limit"),
    ("json-deep.json", "yaml-limit"),
    ("deep-unknown-field-*", "schema-unknown-field"),
    ("deep-*-at-limit.yaml", "schema-type"),
    ("deep-*-maps.yaml", "schema-type"),
    ("python-tuple-key.yaml", "yaml-complex-key"),
    ("python-*", "yaml-unsafe-tag"),
    ("tag-directive.yaml", "yaml-unsafe-tag"),
    ("tag-[rsobi]*", "yaml-unsupported-tag"),
    ("tag-null-bad.yaml", "yaml-unsupported-tag"),
    ("bin-utf16-[lb]e-bom.yaml", None),
    ("bin-bom-twice.yaml", None),
    ("bin-random-*", None),  # checked for a clean exit only
    ("bin-empty.yaml", "no-objects"),
    ("bin-only-bom.yaml", "no-objects"),
    ("bin-whitespace.yaml", "yaml-syntax"),
    ("bin-control-chars.yaml", "yaml-syntax"),
    ("bin-del-and-c1.yaml", "yaml-syntax"),
    ("bin-surrogate-escape.yaml", "yaml-syntax"),
    ("bin-bidi.yaml", "missing-kind"),
    ("bin-*", "file-not-text"),
    ("alias-self.yaml", "yaml-syntax"),
    ("alias-unknown.yaml", "yaml-syntax"),
    ("alias-forward.yaml", "yaml-syntax"),
    ("truncated-json-*", "yaml-syntax"),
    ("null-key.yaml", "yaml-complex-key"),
    ("complex-key.yaml", "yaml-complex-key"),
    ("huge-int-key.yaml", "yaml-complex-key"),
    ("duplicate-*", "yaml-duplicate-key"),
    ("json-duplicate.json", "yaml-duplicate-key"),
    ("merge-list-alias.yaml", "yaml-syntax"),
    ("merge-scalar.yaml", "yaml-syntax"),
    ("crlf.yaml", None),
    ("lone-cr.yaml", None),
    ("mixed-newlines.yaml", None),
    ("tabs-indent.yaml", "yaml-syntax"),
    ("long-key.yaml", "yaml-syntax"),  # an implicit key is at most 1024 characters
    ("many-empty-documents.yaml", "no-objects"),
    ("only-*", "no-objects"),
    ("top-null.yaml", "no-objects"),
    ("top-*", "not-an-object"),
    ("replicas-string.yaml", "schema-type"),
    ("replicas-bool.yaml", "schema-type"),
    ("replicas-huge.yaml", "schema-range"),
    ("replicas-octal.yaml", None),  # 010 is 8, as the API server reads it
    ("replicas-hex.yaml", None),
    ("directive-yaml-2.yaml", "yaml-syntax"),
]


def expectation(name: str) -> tuple[bool, str | None]:
    for pattern, rule in EXPECTED:
        if fnmatch.fnmatchcase(name, pattern):
            return True, rule
    return False, None


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The corpus on disk, every file read-only; checked byte-identical when the module ends."""
    root = tmp_path_factory.mktemp("hostile")
    for name, data in FILES.items():
        path = root / name
        path.write_bytes(data)
        path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    before = tree_digest(root)
    existed = PWNED.exists()
    yield root
    assert tree_digest(root) == before, "an input file was changed"
    assert existed or not PWNED.exists(), "a YAML tag was executed"


def test_the_corpus_is_large_and_varied() -> None:
    assert len(FILES) >= 200
    prefixes = {name.split("-")[0] for name in FILES}
    assert {"bomb", "deep", "python", "tag", "bin", "truncated", "alias", "merge", "json"} <= prefixes


def check_expectations(findings_by_file: dict[str, set[str]], codes: dict[str, int] | None = None) -> list[str]:
    """Names whose error findings miss the expected rule (or, checked alone, that should have had none).

    Together in one folder, cross-object rules see every file (duplicates of the same
    StatefulSet...), so "no error" is only checked for files validated alone (`codes` given).
    """
    wrong = []
    for name in sorted(FILES):
        known, rule = expectation(name)
        rules = findings_by_file.get(name, set())
        if codes is None and rule == "no-objects":
            continue  # said of the whole input, not of one empty file among others
        if rule is not None and rule not in rules:
            wrong.append(f"{name}: expected {rule}, got {sorted(rules)}")
        elif codes is not None and known and rule is None and not name.startswith("bin-random-") and rules:
            wrong.append(f"{name}: expected no error, got {sorted(rules)}")
        elif codes is not None and known and rule is None and not name.startswith("bin-random-") \
                and codes[name] != 0:
            wrong.append(f"{name}: expected exit 0, got {codes[name]}")
    return wrong


def test_whole_folder_in_process(corpus: Path) -> None:
    validate = run_main("validate", "--format", "json", str(corpus))
    validate.assert_clean((1,))
    document = json.loads(validate.out)
    assert document["summary"]["files"] == len(FILES)
    by_file: dict[str, set[str]] = {}
    for finding in document["findings"]:
        assert len(finding["message"]) < 1000, finding["message"][:200]  # hostile values are cut
        if finding["severity"] == "error":
            by_file.setdefault(Path(finding["file"]).name, set()).add(finding["rule"])
    assert check_expectations(by_file) == []
    # Each limit hit is a finding naming the file and line; the other files are still checked.
    limits = [f for f in document["findings"] if f["rule"] == "yaml-limit"]
    assert {Path(f["file"]).name for f in limits} >= {"bomb-lists.yaml", "deep-flow-5000.yaml", "json-deep.json"}
    assert all(f["line"] >= 1 and f["column"] >= 1 for f in limits)
    assert len(by_file) > 0.8 * len(FILES)
    render = run_main("render", "--format", "json", str(corpus))
    render.assert_clean((1,))


@pytest.mark.slow
def test_each_file_one_by_one(corpus: Path) -> None:
    """Every file alone through validate (expectations, bounded output) and render."""
    by_file: dict[str, set[str]] = {}
    codes: dict[str, int] = {}
    for name in sorted(FILES):
        run = run_main("validate", "--format", "json", str(corpus / name))
        run.assert_clean()
        document = json.loads(run.out)
        count = len(document["findings"])
        assert len(run.out) < 100_000 + 1_500 * count + 4 * len(FILES[name]), name
        by_file[name] = {f["rule"] for f in document["findings"] if f["severity"] == "error"}
        codes[name] = run.code
        render = run_main("render", "--format", "yaml", str(corpus / name))
        render.assert_clean()
        assert len(render.out) + len(render.err) < 100_000 + 6 * len(FILES[name]) + 1_500 * count, name
    assert check_expectations(by_file, codes) == []


@pytest.mark.slow
def test_whole_folder_in_a_process_with_workers(corpus: Path) -> None:
    """A real process: forked workers, the real stdout, read-only inputs."""
    run = run_process("validate", "--jobs", "2", "--format", "json", str(corpus))
    run.assert_clean((1,))
    assert json.loads(run.out)["summary"]["files"] == len(FILES)
    render = run_process("render", "--format", "table", str(corpus))
    render.assert_clean((1,))


def test_nothing_is_executed_by_python_tags(corpus: Path, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    text = f"a: !!python/object/apply:os.system ['touch {marker}']\nb: !!python/object/apply:os.mkdir ['{marker}']\n"
    path = tmp_path / "evil.yaml"
    path.write_text(text)
    run = run_main("validate", str(path))
    run.assert_clean((1,))
    assert "yaml-unsafe-tag" in run.out and not marker.exists()
    assert not os.path.exists(marker)


@pytest.mark.parametrize("place", ["annotations", "env-value", "unknown-field", "container"])
def test_nesting_at_the_parsers_own_limit_goes_through_every_stage(tmp_path: Path, place: str) -> None:
    """With --max-depth raised to 1000, nothing downstream recurses out of stack."""
    from tests.hostile.corpus import _in_statefulset

    for kind, value in (("lists", "[" * 985 + "]" * 985), ("maps", "{a: " * 985 + "1" + "}" * 985)):
        path = tmp_path / f"{place}-{kind}.yaml"
        path.write_text(_in_statefulset(place, value))
        for args in (("validate", "--format", "json"), ("validate", "--format", "sarif"),
                     ("render", "--format", "yaml"), ("render", "--format", "json")):
            run = run_main(*args, "--max-depth", "1000", str(path))
            run.assert_clean()
            assert '"rule": "yaml-limit"' not in run.out and '"ruleId": "yaml-limit"' not in run.out
            assert "yaml-limit" not in run.err
