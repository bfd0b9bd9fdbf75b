"""The process around the work: closed pipes, Ctrl-C, --output, internal errors, never writing inputs."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.hostile.corpus import PAIR, STATEFULSET
from tests.hostile.helpers import run_main, run_process, sts_command, subprocess_env, tree_digest

BAD = STATEFULSET.replace("  replicas: 3\n", "  replicas: '3'\n  replica: 3\n", 1)


def many_findings(folder: Path, documents: int = 400) -> Path:
    """A file whose text report is far larger than a pipe buffer (64 KiB)."""
    path = folder / "many.yaml"
    path.write_text("---\n".join([BAD] * documents))
    return path


def first_line_then_close(args: list[str], timeout: float = 60) -> tuple[int, bytes, bytes]:
    """`sts ARGS | head -1`: read one line, close the pipe, return (exit code, line, stderr)."""
    process = subprocess.Popen([*sts_command(), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env=subprocess_env())
    assert process.stdout is not None and process.stderr is not None
    line = process.stdout.readline()
    process.stdout.close()
    err = process.stderr.read()
    return process.wait(timeout=timeout), line, err


# --- a reader that goes away, a closed stdout ---------------------------------------------------


def test_help_piped_into_head_ends_quietly() -> None:
    code, _line, err = first_line_then_close(["--help"])
    assert (code, err) == (0, b"")


def test_validate_piped_into_head_keeps_its_exit_code(tmp_path: Path) -> None:
    path = many_findings(tmp_path)
    code, line, err = first_line_then_close(["validate", str(path)])
    assert err == b"" and code == 1  # the findings still fail the run
    assert b"error" in line


def test_render_piped_into_head_ends_quietly(tmp_path: Path) -> None:
    path = tmp_path / "web.yaml"
    path.write_text(PAIR.replace("replicas: 3", "replicas: 200"))
    code, line, err = first_line_then_close(["render", "--format", "yaml", str(path)])
    assert (code, err) == (0, b"")
    assert line.startswith(b"---")


@pytest.mark.parametrize("redirect", [">&-", ">&- 2>&-", "<&- >&-"])
def test_closed_standard_streams(tmp_path: Path, redirect: str) -> None:
    path = many_findings(tmp_path, 3)
    command = " ".join(sts_command()) + f" validate {path} {redirect}"
    done = subprocess.run(["bash", "-c", command], capture_output=True, env=subprocess_env(), timeout=60, check=False)
    assert done.returncode == 1
    assert b"Traceback" not in done.stderr and b"internal error" not in done.stderr


# --- Ctrl-C -------------------------------------------------------------------------------------


def interrupt(process: subprocess.Popen[bytes], wait_for: float) -> tuple[int, bytes]:
    time.sleep(wait_for)
    os.killpg(process.pid, signal.SIGINT)  # as the terminal does: to the whole process group
    _out, err = process.communicate(timeout=60)
    return process.returncode, err


def test_ctrl_c_while_reading_stdin_that_never_ends() -> None:
    process = subprocess.Popen([*sts_command(), "validate", "-"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=subprocess_env(), start_new_session=True)
    assert process.stdin is not None
    process.stdin.write(b"apiVersion: v1\n")
    process.stdin.flush()  # ...and the writer never finishes
    code, err = interrupt(process, 1.0)
    process.stdin.close()
    assert code == 130
    assert b"Traceback" not in err and b"KeyboardInterrupt" not in err


def test_ctrl_c_while_reading_a_pipe_named_on_the_command_line() -> None:
    """`sts validate <(slow-generator)`: the pipe's writer never finishes."""
    read_end, write_end = os.pipe()
    try:
        process = subprocess.Popen([*sts_command(), "validate", f"/dev/fd/{read_end}"], pass_fds=(read_end,),
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=subprocess_env(),
                                   start_new_session=True)
        os.write(write_end, b"kind: Service\n")
        code, err = interrupt(process, 1.0)
    finally:
        os.close(read_end)
        os.close(write_end)
    assert code == 130
    assert b"Traceback" not in err and b"KeyboardInterrupt" not in err


@pytest.mark.slow
def test_ctrl_c_with_worker_processes(tmp_path: Path) -> None:
    for index in range(150):  # about 700 KB: enough for worker processes
        (tmp_path / f"f{index:03d}.yaml").write_text(PAIR.replace("name: web", f"name: web{index}"))
    process = subprocess.Popen([*sts_command(), "validate", "--jobs", "2", str(tmp_path)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=subprocess_env(), start_new_session=True)
    code, err = interrupt(process, 0.8)
    assert code in (130, 0, 1)  # it may have finished first on a fast machine
    assert b"Traceback" not in err and b"KeyboardInterrupt" not in err


# --- internal errors ----------------------------------------------------------------------------


def test_internal_error_is_one_line_asking_for_a_bug_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sts_cli.engine

    def broken(*_args: object, **_kwargs: object) -> None:
        raise ZeroDivisionError("x" * 5000)

    monkeypatch.setattr(sts_cli.engine, "validate", broken)
    path = tmp_path / "web.yaml"
    path.write_text(PAIR)
    run = run_main("validate", str(path))
    assert run.code == 2 and run.out == ""
    lines = run.err.splitlines()
    assert lines[0].startswith("sts: internal error: ZeroDivisionError: xxx") and len(lines[0]) < 300
    assert "please report it" in run.err and "--debug" in run.err
    assert "Traceback" not in run.err
    debug = run_main("validate", str(path), "--debug")
    assert debug.code == 2 and "Traceback (most recent call last)" in debug.err and "ZeroDivisionError" in debug.err


def test_recursion_and_memory_errors_are_internal_errors(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import sts_cli.engine

    for error in (RecursionError("deep"), MemoryError()):
        def broken(*_args: object, _error: BaseException = error, **_kwargs: object) -> None:
            raise _error

        monkeypatch.setattr(sts_cli.engine, "validate", broken)
        run = run_main("validate", str(tmp_path))
        assert run.code == 2 and f"internal error: {type(error).__name__}" in run.err


# --- --output and the inputs --------------------------------------------------------------------


def test_output_into_a_missing_folder(tmp_path: Path) -> None:
    (tmp_path / "web.yaml").write_text(PAIR)
    run = run_main("validate", str(tmp_path / "web.yaml"), "-f", "json", "-o", str(tmp_path / "no" / "such" / "r.json"))
    assert run.code == 2 and "does not exist" in run.err and run.out == ""


def test_output_into_a_place_that_cannot_be_written(tmp_path: Path) -> None:
    (tmp_path / "web.yaml").write_text(PAIR)
    run = run_main("validate", str(tmp_path / "web.yaml"), "-f", "json", "-o", "/proc/version")
    assert run.code == 2 and run.err.startswith("sts: ") and "Traceback" not in run.err


@pytest.mark.parametrize("target", ["web.yaml", "link.json", "sub/new.yaml"])
def test_output_never_overwrites_an_input(tmp_path: Path, target: str) -> None:
    (tmp_path / "web.yaml").write_text(PAIR)
    (tmp_path / "sub").mkdir()
    (tmp_path / "link.json").symlink_to(tmp_path / "web.yaml")
    before = tree_digest(tmp_path)
    given = [str(tmp_path / "web.yaml")] if target != "sub/new.yaml" else [str(tmp_path)]
    run = run_main("validate", *given, "-f", "json", "-o", str(tmp_path / target))
    assert run.code == 2 and "is one of the inputs" in run.err
    assert tree_digest(tmp_path) == before


def test_inputs_are_never_written(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "web.yaml").write_text(PAIR)
    (inputs / "bad.yaml").write_text(BAD)
    (inputs / "ro.yaml").write_text(PAIR.replace("name: web", "name: ro"))
    (inputs / "ro.yaml").chmod(0o444)
    before = tree_digest(inputs)
    reports = tmp_path / "reports"
    reports.mkdir()
    for fmt in ("json", "sarif", "junit", "text"):
        run_main("validate", str(inputs), "-f", fmt, "-o", str(reports / f"r.{fmt}")).assert_clean((1,))
    for fmt in ("table", "yaml", "json", "dns", "mermaid"):
        run_main("render", str(inputs), "-f", fmt).assert_clean((0, 1))
    assert tree_digest(inputs) == before
    assert sorted(p.name for p in reports.iterdir()) == ["r.json", "r.junit", "r.sarif", "r.text"]


@pytest.mark.slow
def test_ten_thousand_small_files(tmp_path: Path) -> None:
    """A folder of 10,000 small manifests (5,000 StatefulSet/Service pairs) checked in bounded time."""
    for index in range(5_000):
        pair = PAIR.replace("app: nginx", f"app: db{index}").replace("name: web", f"name: web{index}")
        pair = pair.replace("nginx", f"svc{index}")
        statefulset, service = pair.split("---\n")
        (tmp_path / f"sts{index:05d}.yaml").write_text(statefulset)
        (tmp_path / f"svc{index:05d}.yaml").write_text(service)
    before = tree_digest(tmp_path)
    start = time.perf_counter()
    run = run_process("validate", "--format", "json", str(tmp_path), timeout=300)
    elapsed = time.perf_counter() - start
    run.assert_clean((0,))
    assert '"files": 10000' in run.out
    assert elapsed < 120, elapsed
    assert tree_digest(tmp_path) == before


def test_render_refuses_sizes_it_cannot_draw(tmp_path: Path) -> None:
    path = tmp_path / "web.yaml"
    path.write_text(PAIR)
    huge = run_main("render", "--replicas", "100000000", str(path))
    huge.assert_clean((1,))
    assert "render-too-large" in huge.err or "render-too-large" in huge.out
    assert run_main("render", "--replicas", "5", str(path)).code == 0


@pytest.mark.slow
def test_fifty_megabytes_on_one_line(tmp_path: Path) -> None:
    """A 50 MB single-line file is read in bounded time and memory (the default limit is 64 MiB)."""
    import resource

    path = tmp_path / "line.yaml"
    head = b"apiVersion: v1\nkind: Service\nmetadata: {name: s, annotations: {a: "
    path.write_bytes(head + b"x" * 50_000_000 + b"}}\n")
    start = time.perf_counter()
    run = run_process("validate", str(path), timeout=120)
    elapsed = time.perf_counter() - start
    run.assert_clean()
    assert elapsed < 30, elapsed
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss < 2_000_000  # KiB: under 2 GB
    over = run_process("validate", "--max-file-size", "1000000", str(path))
    assert over.code == 1 and "yaml-limit" in over.out and "raise --max-file-size" in over.out


@pytest.mark.slow
def test_many_statefulsets_with_one_selector(tmp_path: Path) -> None:
    """N sets selecting each other are N*(N-1)/2 overlapping pairs: the report stays bounded."""
    for index in range(4_000):
        (tmp_path / f"s{index:04d}.yaml").write_text(
            PAIR.replace("name: web", f"name: web{index}").replace("name: nginx\n", f"name: nginx{index}\n")
            .replace("serviceName: nginx", f"serviceName: nginx{index}"))
    start = time.perf_counter()
    run = run_process("validate", "--format", "json", str(tmp_path), timeout=300)
    run.assert_clean((1,))
    assert time.perf_counter() - start < 120
    assert run.out.count('"rule": "selector-overlap"') == 1000


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "github"])
def test_file_names_that_are_not_utf8_or_odd(tmp_path: Path, fmt: str) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (Path(os.fsdecode(bytes(folder) + b"/\xff\xfe.yaml"))).write_text("kind: [\n")
    (folder / "new\nline.yaml").write_text("kind: X\n")
    (folder / 'tab\tand "quote" <x>&.yaml').write_text(PAIR)
    run = run_main("validate", "-f", fmt, str(folder))
    run.assert_clean((1,))
    report = tmp_path / f"report.{fmt}"
    written = run_main("validate", "-f", fmt, "-o", str(report), str(folder))
    written.assert_clean((1,))
    data = report.read_bytes()
    data.decode("utf-8")  # the report file is UTF-8 whatever the names
    if fmt in ("json", "sarif"):
        import json

        json.loads(data)
    rendered = run_main("render", str(folder))
    rendered.assert_clean((1,))
    if fmt == "text":  # the real stdout encodes what a StringIO does not
        process = run_process("validate", str(folder))
        process.assert_clean((1,))
        assert "\\udcff" in process.out or "\ufffd" in process.out
