"""`sts validate` output options: format/output pairs, colour, --summary, --quiet, stdin, completion."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from tests.report.conftest import BAD, BAD_COLUMN, BAD_LINE, VALID, write

ESC = "\x1b["


def test_several_formats_in_one_run_validate_once(sts: Any, workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sts_cli.engine as engine

    calls: list[list[str]] = []
    real = engine.validate

    def counting(inputs: list[str], *args: Any, **kwargs: Any) -> Any:
        calls.append(list(inputs))
        return real(inputs, *args, **kwargs)

    monkeypatch.setattr(engine, "validate", counting)
    write(workdir, "db.yaml", BAD)
    run = sts("validate", "db.yaml", "-f", "text", "-f", "junit", "-o", "-", "-o", "r.xml", "-f", "sarif=r.sarif",
              "-f", "json=r.json")
    assert run.code == 1, run.err
    assert calls == [["db.yaml"]]
    assert f"db.yaml:{BAD_LINE}:{BAD_COLUMN}: error schema-type" in run.out
    assert json.loads((workdir / "r.sarif").read_text())["version"] == "2.1.0"
    assert ET.parse(workdir / "r.xml").getroot().tag == "testsuites"
    assert json.loads((workdir / "r.json").read_text())["summary"]["errors"] >= 1


def test_output_pairs_by_position(sts: Any, workdir: Path) -> None:
    write(workdir, "db.yaml", BAD)
    run = sts("validate", "db.yaml", "--format", "text", "--format", "sarif", "--output", "-", "--output", "o.sarif")
    assert run.code == 1
    assert "error schema-type" in run.out and "runs" not in run.out
    assert json.loads((workdir / "o.sarif").read_text())["runs"]
    run = sts("validate", "db.yaml", "-o", "report.txt")
    assert run.out == "" and "error schema-type" in (workdir / "report.txt").read_text()


@pytest.mark.parametrize(("args", "message"), [
    (["-f", "yaml"], "unknown format 'yaml'"),
    (["-f", "json", "-f", "sarif"], "json and sarif cannot share stdout"),
    (["-f", "json", "-o", "a", "-o", "b"], "more --output than --format"),
    (["-f", "json=a.json", "-f", "sarif=a.json"], "is given twice"),
    (["-f", "json="], "no file after '='"),
    (["-f", "json=x.json", "-o", "y.json"], "takes no --output as well"),
    (["-f", "json=missing/x.json"], "does not exist"),
    (["-f", "json=db.yaml"], "is one of the inputs"),
    (["--color", "sometimes"], "--color must be"),
])
def test_bad_output_options_are_usage_errors(sts: Any, workdir: Path, args: list[str], message: str) -> None:
    write(workdir, "db.yaml", BAD)
    run = sts("validate", "db.yaml", *args)
    assert run.code == 2
    assert message in run.err
    assert run.out == ""


def test_quiet_and_summary(sts: Any, workdir: Path) -> None:
    write(workdir, "db.yaml", BAD)
    loud = sts("validate", "db.yaml")
    assert "hint:" in loud.out and "1 file; 2 objects" in loud.out and loud.err == ""
    quiet = sts("validate", "db.yaml", "-q")
    assert quiet.code == 1
    assert all(line.startswith("db.yaml:") for line in quiet.out.splitlines()) and quiet.out
    assert quiet.err == ""
    both = sts("validate", "db.yaml", "-q", "--summary")
    assert "1 file; 2 objects" in both.err and "1 file" not in both.out
    machine = sts("validate", "db.yaml", "-f", "sarif", "--summary")
    assert json.loads(machine.out) and "1 invalid" in machine.err
    to_file = sts("validate", "db.yaml", "-f", "text=r.txt", "--summary")
    assert to_file.out == "" and "1 invalid" in to_file.err


def test_colour_choices(sts: Any, workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(workdir, "db.yaml", BAD)
    assert ESC in sts("validate", "db.yaml", "--color", "always").out
    assert ESC not in sts("validate", "db.yaml", "--color", "never").out
    assert ESC not in sts("validate", "db.yaml").out  # stdout is not a terminal
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    run = sts("validate", "db.yaml")
    assert ESC in run.out
    assert ESC not in next(line for line in run.out.splitlines() if line.startswith("::"))
    assert ESC not in sts("validate", "db.yaml", "--color", "never").out
    monkeypatch.setenv("NO_COLOR", "1")
    assert ESC not in sts("validate", "db.yaml").out
    assert ESC in sts("validate", "db.yaml", "--color", "always").out
    # Colour never reaches a file or a machine format.
    sts("validate", "db.yaml", "--color", "always", "-f", "text=r.txt", "-f", "json")
    assert ESC not in (workdir / "r.txt").read_text()


class _Terminal:
    def isatty(self) -> bool:
        return True


def test_use_color_auto_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    from sts_cli.commands.common import use_color

    for name in ("NO_COLOR", "GITHUB_ACTIONS", "TERM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(sys, "stdout", _Terminal())
    assert use_color("auto") is True
    monkeypatch.setenv("TERM", "dumb")
    assert use_color("auto") is False
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert use_color("auto") is True
    monkeypatch.setenv("NO_COLOR", "1")
    assert use_color("auto") is False and use_color("always") is True and use_color("never") is False


def _in_terminal(args: list[str], env: dict[str, str], cwd: Path) -> str:
    """Run the real `sts` with a pseudo-terminal as stdout."""
    leader, follower = pty.openpty()
    try:
        proc = subprocess.run([sys.executable, "-m", "sts_cli", *args], stdout=follower, stderr=subprocess.PIPE,
                              stdin=subprocess.DEVNULL, cwd=cwd, env=env, timeout=60, check=False)
        os.close(follower)
        follower = -1
        chunks: list[bytes] = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        assert proc.returncode == 1, proc.stderr
        return b"".join(chunks).decode()
    finally:
        if follower != -1:
            os.close(follower)
        os.close(leader)


def test_terminal_gets_colour_unless_dumb(workdir: Path) -> None:
    write(workdir, "db.yaml", BAD)
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "GITHUB_ACTIONS", "FORCE_COLOR")}
    assert ESC in _in_terminal(["validate", "db.yaml"], {**env, "TERM": "xterm-256color"}, workdir)
    assert ESC not in _in_terminal(["validate", "db.yaml"], {**env, "TERM": "dumb"}, workdir)


def test_empty_stdin_fails(sts: Any) -> None:
    run = sts("validate", "-", stdin=b"")
    assert run.code == 1
    assert "<stdin>:1:1: error no-objects" in run.out
    assert sts("validate", "-", "--allow-empty", stdin=b"").code == 0


def test_empty_stdin_fails_end_to_end(workdir: Path) -> None:
    proc = subprocess.run("set -o pipefail; printf '' | \"$PY\" -m sts_cli validate - --format json", shell=True,
                          executable="/bin/bash", capture_output=True, text=True, cwd=workdir, timeout=60,
                          env={**os.environ, "PY": sys.executable}, check=False)
    assert proc.returncode == 1, proc.stderr
    assert [f["rule"] for f in json.loads(proc.stdout)["findings"]] == ["no-objects"]


def test_valid_input_exits_zero_with_every_format(sts: Any, workdir: Path) -> None:
    write(workdir, "ok.yaml", VALID)
    run = sts("validate", "ok.yaml", "-f", "text", "-f", "json=a", "-f", "sarif=b", "-f", "junit=c", "-f", "github=d")
    assert run.code == 0, run.out
    findings = json.loads((workdir / "a").read_text())["findings"]
    assert all(f["severity"] != "error" for f in findings)
    assert len((workdir / "d").read_text().splitlines()) == len(findings)
    assert ET.parse(workdir / "c").getroot().get("failures") == "0"


def test_shell_completion(sts: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_STS_COMPLETE", "complete_bash")
    monkeypatch.setenv("COMP_WORDS", "sts validate --fo")
    monkeypatch.setenv("COMP_CWORD", "2")
    run = sts()
    assert run.code == 0 and "--format" in run.out.split()
    monkeypatch.setenv("COMP_WORDS", "sts validate --color ")
    monkeypatch.setenv("COMP_CWORD", "3")
    assert sts().out.split() == ["auto", "always", "never"]
    monkeypatch.setenv("COMP_WORDS", "sts validate -f ")
    assert sts().out.split() == ["text", "json", "sarif", "junit", "github"]
    monkeypatch.delenv("_STS_COMPLETE")
    script = sts("--show-completion", "bash")
    assert script.code == 0 and "_STS_COMPLETE" in script.out
