"""`sts diff` on the command line: exit codes, formats, stdin, and --against with a scratch git repo."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.diff.helpers import changed, dump, service, statefulset

BASE = [service(), statefulset()]
RESIZED = changed(BASE, lambda m: m[1]["spec"]["volumeClaimTemplates"][0]["spec"]["resources"]["requests"].update(
    storage="10Gi"))
IMAGE = changed(BASE, lambda m: m[1]["spec"]["template"]["spec"]["containers"][0].update(image="nginx:1.27"))


def write(path: Path, objects: Any) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(objects if isinstance(objects, str) else dump(objects))
    return str(path)


def test_examples(run_cli: Any) -> None:
    rollout = run_cli("diff", "examples/diff/rollout/old.yaml", "examples/diff/rollout/new.yaml")
    assert rollout.code == 0, rollout.out
    assert "rollout (RollingUpdate): re-create web-2, then web-1" in rollout.out
    resize = run_cli("diff", "examples/diff/resize/old.yaml", "examples/diff/resize/new.yaml")
    assert resize.code == 1
    assert "error update-forbidden-field spec.volumeClaimTemplates[0].spec.resources.requests.storage" in resize.out
    rename = run_cli("diff", "examples/diff/rename/old.yaml", "examples/diff/rename/new.yaml")
    assert rename.code == 0 and "warning update-rename" in rename.out
    assert run_cli("diff", "--fail-on", "warning", "examples/diff/rename/old.yaml",
                   "examples/diff/rename/new.yaml").code == 1


def test_exit_codes_and_usage_errors(run_cli: Any, tmp_path: Path) -> None:
    old = write(tmp_path / "old.yaml", BASE)
    assert run_cli("diff", old, write(tmp_path / "same.yaml", BASE)).code == 0
    assert run_cli("diff", old, write(tmp_path / "image.yaml", IMAGE)).code == 0
    assert run_cli("diff", old, write(tmp_path / "resized.yaml", RESIZED)).code == 1
    missing = run_cli("diff", old, str(tmp_path / "nope.yaml"))
    assert missing.code == 2 and "no such file or folder" in missing.err
    one = run_cli("diff", old)
    assert one.code == 2 and "exactly two inputs" in one.err
    assert run_cli("diff", "-", "-").code == 2
    assert run_cli("diff", "--disable", "no-such-rule", old, old).code == 2
    broken = run_cli("diff", old, write(tmp_path / "broken.yaml", "kind: [\n"))
    assert broken.code == 1 and "yaml-syntax" in broken.out


def test_disable_and_quiet(run_cli: Any, tmp_path: Path) -> None:
    old, new = write(tmp_path / "a.yaml", BASE), write(tmp_path / "b.yaml", RESIZED)
    assert run_cli("diff", "--disable", "update-forbidden-field", old, new).code == 0
    quiet = run_cli("diff", "-q", old, new)
    assert quiet.code == 1
    assert quiet.out.count("\n") == 1 and quiet.out.startswith(new)


def test_severity_override_changes_the_exit_code(run_cli: Any, tmp_path: Path) -> None:
    old, new = write(tmp_path / "a.yaml", BASE), write(tmp_path / "b.yaml", RESIZED)
    lowered = run_cli("diff", "--severity", "update-forbidden-field=warning", old, new)
    assert lowered.code == 0
    assert "warning update-forbidden-field" in lowered.out
    assert run_cli("diff", "--severity", "update-forbidden-field=warning", "--fail-on", "warning", old, new).code == 1
    bad_level = run_cli("diff", "--severity", "update-forbidden-field=fatal", old, new)
    assert bad_level.code == 2 and "fatal" in bad_level.err
    unknown = run_cli("diff", "--severity", "no-such-rule=info", old, new)
    assert unknown.code == 2 and "unknown rule 'no-such-rule'" in unknown.err


def test_format_names_its_file(run_cli: Any, tmp_path: Path) -> None:
    old, new = write(tmp_path / "a.yaml", BASE), write(tmp_path / "b.yaml", RESIZED)
    report = tmp_path / "diff.sarif"
    both = run_cli("diff", "-f", "text", "-f", f"sarif={report}", old, new)
    assert both.code == 1
    assert "error update-forbidden-field" in both.out  # the text on stdout
    sarif = json.loads(report.read_text())
    assert [r["ruleId"] for r in sarif["runs"][0]["results"]] == ["update-forbidden-field"]
    shared = run_cli("diff", "-f", "json", "-f", "sarif", old, new)
    assert shared.code == 2 and "cannot share stdout" in shared.err
    onto_input = run_cli("diff", "-f", f"json={new}", old, new)
    assert onto_input.code == 2
    assert "update-forbidden-field" not in Path(new).read_text()  # inputs are never written


def test_folders_and_stdin(run_cli: Any, tmp_path: Path) -> None:
    write(tmp_path / "old" / "svc.yaml", [service()])
    write(tmp_path / "old" / "sts.yaml", [BASE[1]])
    write(tmp_path / "new" / "all.yaml", RESIZED)
    result = run_cli("diff", str(tmp_path / "old"), str(tmp_path / "new"))
    assert result.code == 1 and "all.yaml" in result.out
    piped = run_cli("diff", str(tmp_path / "old"), "-", stdin=dump(IMAGE))
    assert piped.code == 0 and "<stdin>" in piped.out


def test_json_format(run_cli: Any, tmp_path: Path) -> None:
    result = run_cli("diff", "-f", "json", write(tmp_path / "a.yaml", BASE), write(tmp_path / "b.yaml", RESIZED))
    assert result.code == 1
    data = json.loads(result.out)
    rules = [f["rule"] for f in data["findings"]]
    assert rules == ["update-forbidden-field"]
    assert data["findings"][0]["path"] == "spec.volumeClaimTemplates[0].spec.resources.requests.storage"


@pytest.mark.parametrize("fmt", ["sarif", "github"])
def test_other_formats_name_the_field(run_cli: Any, tmp_path: Path, fmt: str) -> None:
    result = run_cli("diff", "-f", fmt, write(tmp_path / "a.yaml", BASE), write(tmp_path / "b.yaml", RESIZED))
    assert result.code == 1
    assert "update-forbidden-field" in result.out and "volumeClaimTemplates" in result.out


# --- --against -----------------------------------------------------------------------------------

GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.invalid", "GIT_CONFIG_NOSYSTEM": "1"}


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV, "HOME": str(repo.parent)}
    done = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True)
    return done.stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    write(root / "deploy" / "web.yaml", BASE)
    write(root / "deploy" / "db.yaml", [changed(BASE, lambda m: m[1]["metadata"].update(name="db"))[1]])
    write(root / "deploy" / ".hidden" / "x.yaml", "kind: [\n")
    write(root / "deploy" / "notes.txt", "not a manifest")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    git(root, "tag", "base")
    return root


def test_against_reports_forbidden_change(run_cli: Any, repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    write(repo / "deploy" / "web.yaml", RESIZED)
    before = git(repo, "status", "--porcelain")
    result = run_cli("diff", "--against", "HEAD", "deploy")
    assert result.code == 1, result.err
    assert "deploy/web.yaml:" in result.out and "HEAD:deploy/web.yaml" in result.out
    assert "update-forbidden-field" in result.out
    assert "x.yaml" not in result.out and "notes.txt" not in result.out  # hidden folders, other files skipped
    assert "diff: 1 changed (1 rejected), 0 added, 0 removed, 2 unchanged" in result.out
    assert git(repo, "status", "--porcelain") == before  # the repository is not written


def test_against_added_removed_and_unchanged(run_cli: Any, repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    (repo / "deploy" / "db.yaml").unlink()
    extra = changed(BASE, lambda m: m[1]["metadata"].update(name="cache"))[1]
    extra["spec"]["selector"] = {"matchLabels": {"app": "cache"}}
    extra["spec"]["template"]["metadata"]["labels"] = {"app": "cache"}
    write(repo / "deploy" / "cache.yaml", [extra])
    result = run_cli("diff", "--against", "base", "-f", "json", str(repo / "deploy"))
    assert result.code == 0, result.out + result.err
    findings = json.loads(result.out)["findings"]
    assert sorted(f["rule"] for f in findings) == ["update-added", "update-removed"]
    removed = next(f for f in findings if f["rule"] == "update-removed")
    assert removed["file"].startswith("base:") and removed["file"].endswith("db.yaml")


def test_against_a_file_added_since_the_revision(run_cli: Any, repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    write(repo / "new.yaml", BASE)
    result = run_cli("diff", "--against", "HEAD", "new.yaml")
    assert result.code == 0
    assert "StatefulSet default/web: added" in result.out


def test_against_a_deleted_file(run_cli: Any, repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    (repo / "deploy" / "web.yaml").unlink()
    result = run_cli("diff", "--against", "HEAD", "deploy/web.yaml")
    assert result.code == 0
    assert "StatefulSet default/web: removed" in result.out


def test_against_errors(run_cli: Any, repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    unknown = run_cli("diff", "--against", "no-such-ref", "deploy")
    assert unknown.code == 2 and "unknown git revision 'no-such-ref'" in unknown.err
    option_like = run_cli("diff", "--against=--output=x", "deploy")
    assert option_like.code == 2
    outside = tmp_path / "plain"
    outside.mkdir()
    write(outside / "a.yaml", BASE)
    not_repo = run_cli("diff", "--against", "HEAD", str(outside))
    assert not_repo.code == 2 and "not inside a git repository" in not_repo.err
    nowhere = run_cli("diff", "--against", "HEAD", "missing.yaml")
    assert nowhere.code == 2 and "no such file or folder" in nowhere.err
    stdin = run_cli("diff", "--against", "HEAD", "-")
    assert stdin.code == 2


def test_huge_names_and_values_give_a_short_report(run_cli: Any, tmp_path: Path) -> None:
    huge = "x" * 100_000
    old_objects = [service(), statefulset(huge, replicas=2)]
    new_objects = changed(old_objects, lambda m: m[1]["spec"]["template"]["spec"]["containers"][0].update(
        image=huge))
    new_objects = changed(new_objects, lambda m: m[1]["spec"].update(replicas=4))
    old, new = write(tmp_path / "old.yaml", old_objects), write(tmp_path / "new.yaml", new_objects)
    result = run_cli("diff", "--color", "never", old, new)
    assert result.code == 0
    assert "update-rollout" in result.out and "update-scale" in result.out
    assert len(result.out) < 20_000, len(result.out)
    assert max(len(line) for line in result.out.splitlines()) < 1_200
    assert "x" * 101 not in result.out
