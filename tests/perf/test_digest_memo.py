"""A warm run does not read files whose identity and times are unchanged, and never trusts them blindly."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from sts_cli import cache as cache_module
from sts_cli import engine
from sts_cli.engine import ValidateOptions, validate
from sts_cli.sources import read_blocks
from tests.conftest import REPO

WEB = (REPO / "examples" / "web.yaml").read_text()


def options(cache_dir: Path) -> ValidateOptions:
    return ValidateOptions(kubernetes_version="1.33", cache_dir=str(cache_dir))


def rules(folder: Path, cache_dir: Path) -> list[tuple[str, str, int]]:
    result = validate([str(folder)], options(cache_dir))
    return [(f.rule, Path(f.location.file).name, f.location.line) for f in result.findings]


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Paths the digest step reads (the checking itself reads through its own calls)."""
    seen: list[str] = []

    def counting(path: str, max_bytes: int = 0) -> Iterator[bytes]:
        seen.append(os.path.basename(path))
        return read_blocks(path, max_bytes)

    monkeypatch.setattr(engine, "read_blocks", counting)
    return seen


def test_unchanged_files_are_not_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            reads: list[str]) -> None:
    monkeypatch.setattr(cache_module, "_RACY_NS", 0)
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.yaml", "b.yaml"):
        (folder / name).write_text(WEB.replace("name: web", f"name: web-{name[0]}"))
    first = rules(folder, tmp_path / "cache")
    assert sorted(reads) == ["a.yaml", "b.yaml"]
    reads.clear()
    assert rules(folder, tmp_path / "cache") == first
    assert reads == []


def test_an_edit_that_keeps_size_and_modification_time_is_seen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               reads: list[str]) -> None:
    monkeypatch.setattr(cache_module, "_RACY_NS", 0)
    folder = tmp_path / "in"
    folder.mkdir()
    path = folder / "web.yaml"
    path.write_text(WEB)
    before = os.stat(path)
    assert "schema-type" not in [rule for rule, _f, _l in rules(folder, tmp_path / "cache")]
    edited = WEB.replace("replicas: 3", "replicas: x")
    assert len(edited) == len(WEB)
    path.write_text(edited)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # as `cp -p` or `rsync -t` would
    after = os.stat(path)
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    reads.clear()
    assert ("schema-type", "web.yaml", 26) in rules(folder, tmp_path / "cache")
    assert reads == ["web.yaml"]


def test_files_written_just_before_the_run_are_read_every_time(tmp_path: Path, reads: list[str]) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "web.yaml").write_text(WEB)
    first = rules(folder, tmp_path / "cache")
    reads.clear()
    assert rules(folder, tmp_path / "cache") == first
    assert reads == ["web.yaml"]  # racily clean: its times alone prove nothing yet


def test_a_damaged_memo_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reads: list[str]) -> None:
    monkeypatch.setattr(cache_module, "_RACY_NS", 0)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "web.yaml").write_text(WEB)
    first = rules(folder, tmp_path / "cache")
    entries = list((tmp_path / "cache").rglob("stats/*/*"))
    assert len(entries) == 1
    for damage in (b"garbage", b"sts-cache-2\n" + b"\x80\x05not a pickle"):
        entries[0].write_bytes(damage)
        reads.clear()
        assert rules(folder, tmp_path / "cache") == first
        assert reads == ["web.yaml"]
