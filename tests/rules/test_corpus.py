"""The rule corpus: manifests derived from upstream validation tests, the documentation and issue reports.

`sts validate --kubernetes-version 1.36` must exit 0 on every file in `valid/` (warnings and
information allowed) and exit 1 on every file in `invalid/`, reporting exactly the error rules
listed on its first line (`# expect: rule-id ...`). The second line names the source.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "rules"
VALID = sorted((CORPUS / "valid").glob("*.yaml"))
INVALID = sorted((CORPUS / "invalid").glob("*.yaml"))


def _expected(path: Path) -> set[str]:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# expect:"), f"{path.name}: first line must be '# expect: <rule-id> ...'"
    return set(first.split(":", 1)[1].split())


def _validate(run_cli: Any, path: Path) -> tuple[int, list[dict[str, Any]]]:
    from sts_cli import cli

    result = run_cli("validate", "--kubernetes-version", "1.36", "--no-config", "--jobs", "1", "--format", "json",
                     str(path))
    # `cli.main` registers the subcommands on every in-process call; keep one set so that hundreds of
    # calls in one test session stay fast (a no-op once registration is idempotent).
    names = [c.name for c in cli.app.registered_commands]
    first = {name: names.index(name) for name in reversed(names)}
    cli.app.registered_commands[:] = [c for i, c in enumerate(cli.app.registered_commands) if first[c.name] == i]
    return result.code, json.loads(result.out)["findings"]


def test_corpus_size() -> None:
    assert len(VALID) + len(INVALID) >= 100
    assert len(VALID) >= 40 and len(INVALID) >= 40


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_valid_manifest_passes(run_cli: Any, path: Path) -> None:
    code, findings = _validate(run_cli, path)
    errors = [f"{f['line']}:{f['column']} {f['rule']} {f['message']}" for f in findings if f["severity"] == "error"]
    assert (code, errors) == (0, [])
    assert all(f["severity"] in ("warning", "info") for f in findings)


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_manifest_fails_with_the_expected_rules(run_cli: Any, path: Path) -> None:
    code, findings = _validate(run_cli, path)
    errors = {f["rule"] for f in findings if f["severity"] == "error"}
    assert code == 1
    assert errors == _expected(path)
