"""The `sts-validate` pre-commit hook: its definition, and pre-commit running it on a scratch repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.report.conftest import BAD, REPO, VALID, write

HOOKS = REPO / ".pre-commit-hooks.yaml"


def test_hook_definition() -> None:
    hooks = yaml.safe_load(HOOKS.read_text(encoding="utf-8"))
    (hook,) = [h for h in hooks if h["id"] == "sts-validate"]
    assert hook["entry"] == "sts validate"
    assert hook["language"] == "python"
    assert hook["types"] == ["yaml"]
    assert hook["require_serial"] is True
    clientlib = pytest.importorskip("pre_commit.clientlib")
    loaded = clientlib.load_manifest(str(HOOKS))
    assert [h["id"] for h in loaded] == [h["id"] for h in hooks]


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


@pytest.mark.slow
def test_pre_commit_runs_the_hook(tmp_path: Path) -> None:
    """pre-commit clones this repository at its current commit, installs it and runs the hook.

    The committed state is what users get (and what a CI clone holds), so that is what is tried.
    """
    pytest.importorskip("pre_commit")
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    if not (REPO / ".git").exists():
        pytest.skip("pre-commit installs hooks from a git repository; this copy of the sources is not one")
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True, timeout=60,
                          check=True).stdout.strip()
    project = tmp_path / "project"
    project.mkdir()
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "GIT_AUTHOR_NAME": "t",
           "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
           "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)
    _git(project, "init", "-q")
    write(project, ".pre-commit-config.yaml",
          f"repos:\n- repo: {REPO}\n  rev: {head}\n  hooks:\n  - id: sts-validate\n    files: ^deploy/\n")
    write(project, "deploy/web.yaml", VALID)
    write(project, "deploy/db.yaml", BAD)
    write(project, "ci.yml", "name: not a Kubernetes manifest\n")
    _git(project, "add", ".")

    def run(*files: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "pre_commit", "run", "sts-validate", "--files", *files],
                              cwd=project, env=env, capture_output=True, text=True, timeout=600, check=False)

    passing = run("deploy/web.yaml", "ci.yml")
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert "Passed" in passing.stdout
    failing = run("deploy/web.yaml", "deploy/db.yaml", "ci.yml")
    assert failing.returncode == 1, failing.stdout + failing.stderr
    assert "Failed" in failing.stdout
    assert "deploy/db.yaml:6:13: error schema-type" in failing.stdout
    assert "ci.yml" not in failing.stdout
