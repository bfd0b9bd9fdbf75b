"""OLD for `sts diff --against REF PATH...`: the same paths at a git revision, read with `git`.

Only read-only plumbing is used (`rev-parse`, `ls-tree`, `cat-file`), with optional locks off, so
the repository is never written. A path absent at REF means its objects are added.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from sts_cli.sources import MANIFEST_SUFFIXES, STDIN, Source


class GitError(Exception):
    """git could not answer (not a repository, unknown revision, git missing): exit code 2."""


@dataclass(frozen=True, slots=True)
class GitFile:
    display: str  # `REF:path as the user named it`
    repo_path: str  # path relative to the repository root, POSIX separators


def _run(args: list[str], cwd: Path, binary: bool = False) -> bytes:
    env = dict(os.environ)
    env.update({"GIT_OPTIONAL_LOCKS": "0", "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"})
    try:
        completed = subprocess.run(["git", *args], cwd=cwd, capture_output=True, env=env, check=False,
                                   timeout=120)
    except FileNotFoundError:
        raise GitError("--against needs the `git` command, which was not found") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git {args[0]} did not answer within 120 s") from None
    if completed.returncode != 0:
        message = completed.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(message[-1] if message else f"git {args[0]} failed")
    return completed.stdout


def _existing_dir(path: Path) -> Path:
    """The folder to ask git from: the path itself, its parent, or the nearest existing ancestor."""
    current = path if path.is_dir() else path.parent
    while not current.exists() and current != current.parent:
        current = current.parent
    return current


def repo_root(path: Path) -> Path:
    try:
        out = _run(["rev-parse", "--show-toplevel"], _existing_dir(path))
    except GitError as exc:
        raise GitError(f"{path}: not inside a git repository ({exc})") from None
    return Path(out.decode("utf-8", "replace").strip())


def verify_revision(root: Path, ref: str) -> str:
    if not ref or ref.startswith("-"):
        raise GitError(f"invalid git revision {ref!r}")
    try:
        out = _run(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"], root)
    except GitError:
        raise GitError(f"unknown git revision {ref!r} in {root} (in a shallow CI checkout, fetch it first: "
                       "`git fetch origin <branch>`)") from None
    return out.decode().strip()


def _hidden(parts: tuple[str, ...]) -> bool:
    return any(part.startswith(".") for part in parts)


def files_at(ref: str, commit: str, given: str, root: Path) -> list[GitFile]:
    """Files of `given` (a file or folder of the working tree) at the revision, as the walker picks them."""
    relative = os.path.relpath(os.path.realpath(given), os.path.realpath(root))
    if relative == ".." or relative.startswith(".." + os.sep) or os.path.isabs(relative):
        raise GitError(f"{given} is outside the git repository {root}")
    rel = PurePosixPath(*Path(relative).parts) if relative != "." else PurePosixPath(".")
    spec = str(rel) if str(rel) != "." else "."
    out = _run(["ls-tree", "-r", "--name-only", "-z", commit, "--", spec], root)
    names = [n for n in out.decode("utf-8", "surrogateescape").split("\0") if n]
    files: list[GitFile] = []
    if spec != "." and names == [spec]:
        files.append(GitFile(f"{ref}:{given}", spec))
        return files
    for name in sorted(names):
        inner = PurePosixPath(name)
        under = inner.relative_to(rel) if spec != "." else inner
        if _hidden(under.parts) or inner.suffix.lower() not in MANIFEST_SUFFIXES:
            continue
        shown = os.path.join(given, *under.parts)
        files.append(GitFile(f"{ref}:{shown}", name))
    return files


def read_at(commit: str, root: Path, item: GitFile, max_bytes: int) -> Source:
    try:
        size = int(_run(["cat-file", "-s", f"{commit}:{item.repo_path}"], root).decode().strip() or "0")
    except (GitError, ValueError) as exc:
        return Source(item.display, None, f"cannot read from git: {exc}")
    if size > max_bytes:
        return Source(item.display, None, f"file is {size} bytes, larger than the limit of {max_bytes} "
                      "(raise --max-file-size)")
    try:
        data = _run(["cat-file", "blob", f"{commit}:{item.repo_path}"], root)
    except GitError as exc:
        return Source(item.display, None, f"cannot read from git: {exc}")
    return Source(item.display, data)


def sources_at(ref: str, paths: list[str], max_bytes: int) -> list[Source]:
    """Every manifest file of `paths` as it was at `ref` (missing paths contribute nothing)."""
    if STDIN in paths:
        raise GitError("--against compares files of the working tree; `-` (standard input) cannot be used")
    sources: list[Source] = []
    seen: set[str] = set()
    commits: dict[Path, str] = {}
    for given in paths:
        root = repo_root(Path(os.path.abspath(given)))
        if root not in commits:
            commits[root] = verify_revision(root, ref)
        for item in files_at(ref, commits[root], given, root):
            if f"{root}\0{item.repo_path}" in seen:
                continue
            seen.add(f"{root}\0{item.repo_path}")
            sources.append(read_at(commits[root], root, item, max_bytes))
    return sources
