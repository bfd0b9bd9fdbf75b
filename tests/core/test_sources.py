"""Inputs: which paths are read, how (read-only, bounded), and how their bytes become text."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pytest

from sts_cli.documents import load_source
from sts_cli.sources import (
    DecodeError,
    Source,
    SourceSkip,
    UsageError,
    decode,
    expand_inputs,
    read_source,
)


def write(path: Path, text: str | bytes = "a: 1\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def names(items: list[str | SourceSkip], root: Path) -> list[str]:
    out = []
    for item in items:
        if isinstance(item, SourceSkip):
            out.append(f"skip {os.path.relpath(item.display, root)}: {item.reason}")
        else:
            out.append(os.path.relpath(item, root))
    return out


# --- expand_inputs ------------------------------------------------------------------------------


def test_missing_path_is_a_usage_error_before_anything_is_read(tmp_path: Path) -> None:
    write(tmp_path / "a.yaml")
    with pytest.raises(UsageError, match=r"no such file or folder: .*nope\.yaml"):
        list(expand_inputs([str(tmp_path / "a.yaml"), str(tmp_path / "nope.yaml")]))


def test_folder_walk_is_sorted_skips_hidden_and_other_suffixes(tmp_path: Path) -> None:
    for name in ["b.yaml", "a.yml", "c.JSON", "notes.txt", ".hidden.yaml", ".git/x.yaml", "sub/z.yaml",
                 "sub/deeper/y.yaml", "a-sub/w.yaml"]:
        write(tmp_path / name)
    found = names(list(expand_inputs([str(tmp_path)])), tmp_path)
    assert found == ["a-sub/w.yaml", "a.yml", "b.yaml", "c.JSON", "sub/deeper/y.yaml", "sub/z.yaml"]


def test_explicit_paths_keep_their_spelling_and_are_not_repeated(tmp_path: Path) -> None:
    write(tmp_path / "a.yaml")
    given = str(tmp_path / "a.yaml")
    assert list(expand_inputs([given, given, "-"])) == [given, "-"]


def test_very_deep_folders_do_not_recurse(tmp_path: Path) -> None:
    folder = tmp_path
    for _ in range(1100):  # deeper than Python's recursion limit; about 2,300 characters
        folder = folder / "d"
        os.mkdir(folder)
    write(folder / "deep.yaml")
    try:
        found = list(expand_inputs([str(tmp_path)]))
        assert len(found) == 1 and str(found[0]).endswith("/d/deep.yaml")
    finally:
        # Removed from the bottom up here: pytest's own clean-up of old temporary folders recurses.
        (folder / "deep.yaml").unlink()
        while folder != tmp_path:
            folder.rmdir()
            folder = folder.parent


def test_symlink_loops_and_dangling_links_are_skipped(tmp_path: Path) -> None:
    write(tmp_path / "real" / "a.yaml")
    (tmp_path / "real" / "loop").symlink_to(tmp_path / "real")  # a folder link to its own parent
    (tmp_path / "real" / "self.yaml").symlink_to(tmp_path / "real" / "self.yaml")
    (tmp_path / "real" / "gone.yaml").symlink_to(tmp_path / "real" / "missing.yaml")
    (tmp_path / "real" / "linked.yaml").symlink_to(tmp_path / "real" / "a.yaml")
    found = names(list(expand_inputs([str(tmp_path / "real")])), tmp_path)
    assert found == [
        "real/a.yaml",
        "skip real/gone.yaml: dangling symlink",
        "real/linked.yaml",
        "skip real/loop: symlink loop, folder already visited",
        "skip real/self.yaml: symlink loop",
    ]


def test_fifos_sockets_and_devices_in_folders_are_skipped(tmp_path: Path) -> None:
    write(tmp_path / "a.yaml")
    os.mkfifo(tmp_path / "pipe.yaml")
    (tmp_path / "null.yaml").symlink_to("/dev/null")
    found = names(list(expand_inputs([str(tmp_path)])), tmp_path)
    assert found == ["a.yaml", "skip null.yaml: not a regular file (FIFO, socket or device)",
                     "skip pipe.yaml: not a regular file (FIFO, socket or device)"]


def test_a_folder_that_cannot_be_listed_is_reported_not_skipped(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "ok" / "a.yaml")
    write(tmp_path / "secret" / "b.yaml")
    real_scandir = os.scandir

    def scandir(path: str | os.PathLike[str]) -> object:
        if str(path).endswith("secret"):
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    found = list(expand_inputs([str(tmp_path)]))
    assert names(found, tmp_path) == ["ok/a.yaml", "secret"]
    source = read_source(str(found[1]))
    assert source.data is None and source.error == "cannot list folder: Permission denied"
    assert source.error_rule == "file-unreadable"


# --- read_source --------------------------------------------------------------------------------


def test_reads_bytes_through_a_link_under_the_name_given(tmp_path: Path) -> None:
    path = write(tmp_path / "a.yaml", b"a: 1\n")
    (tmp_path / "link.yaml").symlink_to(path)
    source = read_source(str(tmp_path / "link.yaml"))
    assert source == Source(str(tmp_path / "link.yaml"), b"a: 1\n")


def test_inputs_are_opened_read_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "a.yaml")
    flags_seen: list[int] = []
    real_open = os.open

    def spy(file: str, flags: int, *args: int) -> int:
        flags_seen.append(flags)
        return real_open(file, flags, *args)

    monkeypatch.setattr(os, "open", spy)
    read_source(str(path))
    assert flags_seen and all(f & (os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND) == 0
                              for f in flags_seen)


def test_file_over_the_size_limit_is_a_limit_finding(tmp_path: Path) -> None:
    path = write(tmp_path / "big.yaml", b"a: 1\n" * 100)
    source = read_source(str(path), max_bytes=100)
    assert source.data is None and source.error_rule == "yaml-limit" and source.over_limit
    assert "500 bytes, larger than the limit of 100 bytes (raise --max-file-size)" in (source.error or "")
    loaded = load_source(source)
    assert [(f.rule, f.location.line) for f in loaded.findings] == [("yaml-limit", 1)]
    assert not loaded.unreadable  # a limit is a finding (exit 1), not an unreadable input (exit 2)
    assert read_source(str(path), max_bytes=500).data == b"a: 1\n" * 100


def test_named_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.yaml")
    source = read_source(str(tmp_path / "pipe.yaml"))  # no writer: must not wait for one
    assert source.data is None and source.error == "not a regular file (FIFO, socket or device)"


def test_anonymous_pipe_is_read(tmp_path: Path) -> None:
    """`sts validate <(helm template chart)` passes /dev/fd/63, a pipe with a writer."""
    read_end, write_end = os.pipe()
    try:
        os.write(write_end, b"kind: Service\n")
        os.close(write_end)
        source = read_source(f"/dev/fd/{read_end}")
    finally:
        os.close(read_end)
    assert source.data == b"kind: Service\n"


def test_anonymous_pipe_is_bounded(tmp_path: Path) -> None:
    read_end, write_end = os.pipe()
    try:
        os.write(write_end, b"x" * 5000)
        os.close(write_end)
        source = read_source(f"/dev/fd/{read_end}", max_bytes=1000)
    finally:
        os.close(read_end)
    assert source.data is None and source.over_limit


@pytest.mark.parametrize("device", ["/dev/null", "/dev/zero", "/dev/urandom"])
def test_devices_are_refused(device: str) -> None:
    if not os.path.exists(device):
        pytest.skip(f"{device} not present")
    source = read_source(device)
    assert source.data is None and source.error == "not a regular file (FIFO, socket or device)"


def test_folder_and_vanished_file(tmp_path: Path) -> None:
    assert read_source(str(tmp_path)).error == "is a folder"
    gone = read_source(str(tmp_path / "removed-meanwhile.yaml"))
    assert gone.data is None and gone.error == "cannot open: No such file or directory"
    assert gone.error_rule == "file-unreadable"


def test_permission_denied_is_unreadable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "a.yaml")

    def denied(*_args: object) -> int:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "open", denied)
    source = read_source(str(path))
    assert source.error == "cannot open: Permission denied"
    loaded = load_source(source)
    assert loaded.unreadable and [f.rule for f in loaded.findings] == ["file-unreadable"]


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"a: 1\n")))
    assert read_source("-") == Source("<stdin>", b"a: 1\n")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"x" * 50)))
    assert read_source("-", max_bytes=10).over_limit
    monkeypatch.setattr(sys, "stdin", None)  # `sts validate - <&-`
    assert read_source("-") == Source("<stdin>", b"")
    monkeypatch.setattr(sys, "stdin", io.StringIO("b: 2\n"))  # a text stream without .buffer
    assert read_source("-") == Source("<stdin>", b"b: 2\n")


# --- decode -------------------------------------------------------------------------------------


def test_utf8_with_and_without_bom() -> None:
    assert decode(b"a: \xc3\xa9\n") == "a: é\n"
    assert decode(b"\xef\xbb\xbfa: 1\n") == "a: 1\n"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom_is_read_as_go_yaml_does(codec: str) -> None:
    bom = b"\xff\xfe" if codec == "utf-16-le" else b"\xfe\xff"
    assert decode(bom + "a: é\nb: 2\n".encode(codec)) == "a: é\nb: 2\n"


def test_utf16_nul_and_truncation() -> None:
    with pytest.raises(DecodeError) as error:
        decode(b"\xff\xfe" + "a: 1\nb: \x00\n".encode("utf-16-le"))
    assert (error.value.line, error.value.column) == (2, 4)
    with pytest.raises(DecodeError, match="UTF-16-LE"):
        decode(b"\xff\xfe" + "a: 1\n".encode("utf-16-le") + b"\x00\xd8")  # a lone surrogate at the end


def test_utf16_without_bom_is_binary() -> None:
    with pytest.raises(DecodeError, match="NUL byte") as error:
        decode("a: 1\n".encode("utf-16-le"))
    assert (error.value.line, error.value.column) == (1, 2)


def test_utf32_is_refused() -> None:
    with pytest.raises(DecodeError, match="UTF-32"):
        decode(b"\xff\xfe\x00\x00" + "a: 1\n".encode("utf-32-le"))


def test_nul_byte_position() -> None:
    with pytest.raises(DecodeError, match="binary data") as error:
        decode(b"a: 1\nbb: \xc3\xa9x\x00\n")
    assert (error.value.line, error.value.column) == (2, 7)


def test_invalid_utf8_position() -> None:
    with pytest.raises(DecodeError, match="invalid UTF-8 byte 0xff") as error:
        decode(b"a: 1\nb: \xc3\xa9 \xff\n")
    assert (error.value.line, error.value.column) == (2, 6)


def test_decode_errors_become_findings() -> None:
    loaded = load_source(Source("bin.yaml", b"\x89PNG\r\n\x1a\n\x00\x00"))
    assert [(f.rule, f.location.line, f.location.column) for f in loaded.findings] == [("file-not-text", 3, 1)]
    assert loaded.objects == [] and not loaded.unreadable
