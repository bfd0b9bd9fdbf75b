"""Options and helpers shared by the subcommands that read manifests."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from collections.abc import Callable

    from sts_cli.config import Config
    from sts_cli.findings import Severity
    from sts_cli.limits import Limits
    from sts_cli.report import ReportContext


def usage_error(message: str) -> typer.Exit:
    """Print `sts: <message>` on stderr; the caller raises the returned Exit (code 2)."""
    typer.echo(f"sts: {message}", err=True)
    return typer.Exit(2)


def resolve_version(option: str | None, config: Config) -> str:
    from sts_cli.schemas import UnsupportedVersion, normalize_version

    try:
        return normalize_version(option or config.kubernetes_version)
    except UnsupportedVersion as exc:
        raise usage_error(str(exc)) from None


def check_color(choice: str) -> None:
    if choice not in ("auto", "always", "never"):
        raise usage_error(f"--color must be auto, always or never, not {choice!r}")


def fail_threshold(option: str | None, config: Config) -> Severity:
    """`--fail-on`, else the settings file's `fail-on`, else error."""
    from sts_cli.findings import Severity

    try:
        return Severity.parse(option) if option else (config.fail_on or Severity.ERROR)
    except ValueError as exc:
        raise usage_error(str(exc)) from None


def severity_options(given: list[str], config: Config) -> dict[str, Severity]:
    """The settings file's `severity`, overridden by `--severity RULE=LEVEL` options."""
    from sts_cli.config import parse_severity_options

    try:
        return {**config.severity, **parse_severity_options(given)}
    except ValueError as exc:
        raise usage_error(str(exc)) from None


def check_rule_ids(named: list[str]) -> None:
    """Refuse a rule id no rule has; the rule modules load only when some are named."""
    if not named:
        return
    from sts_cli.rules.base import REGISTRY, all_rules

    all_rules()
    for rule_id in named:
        if rule_id not in REGISTRY:
            raise usage_error(f"unknown rule {rule_id!r} (see `sts rules`)")


def load_settings(config_path: Path | None, no_config: bool) -> Config:
    from sts_cli.config import Config, ConfigError, load_config

    if no_config:
        return Config()
    try:
        return load_config(config_path)
    except ConfigError as exc:
        raise usage_error(str(exc)) from None


@dataclass(frozen=True, slots=True)
class LimitOptions:
    max_file_size: int
    max_depth: int
    max_aliases: int
    max_nodes: int
    max_documents: int

    def __post_init__(self) -> None:
        if min(self.max_file_size, self.max_depth, self.max_aliases, self.max_nodes, self.max_documents) < 1:
            raise usage_error("limits must be positive numbers")

    def limits(self) -> Limits:
        from sts_cli.limits import Limits

        return Limits(max_depth=self.max_depth, max_aliases=self.max_aliases, max_nodes=self.max_nodes,
                      max_documents=self.max_documents)


def use_color(choice: str) -> bool:
    """`auto` honours NO_COLOR, TERM=dumb and a non-terminal stdout, and forces colour on GitHub Actions."""
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("GITHUB_ACTIONS") == "true":
        return True
    if os.environ.get("TERM") == "dumb":
        return False
    return stdout_is_terminal()


def stdout_is_terminal() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


KUBERNETES_VERSION = typer.Option(None, "--kubernetes-version", "-k", metavar="X.Y",
                                  help="Kubernetes minor version to check against (default: newest bundled).")
NAMESPACE = typer.Option(None, "--namespace", "-n",
                         help="Namespace of objects that name none (default: 'default').")
CONFIG = typer.Option(None, "--config", help="Settings file (default: .sts.yaml or [tool.sts] in "
                      "pyproject.toml, searched from the working directory upward).")
NO_CONFIG = typer.Option(False, "--no-config", help="Ignore settings files.")
MAX_FILE_SIZE = typer.Option(64 * 1024 * 1024, "--max-file-size", metavar="BYTES",
                             help="Largest input file read.")
MAX_DEPTH = typer.Option(100, "--max-depth", help="Deepest YAML nesting accepted.")
MAX_ALIASES = typer.Option(1000, "--max-aliases", help="Most YAML aliases in one document.")
MAX_NODES = typer.Option(500_000, "--max-nodes", help="Most YAML nodes in one document, aliases expanded.")
MAX_DOCUMENTS = typer.Option(100_000, "--max-documents", help="Most documents in one file or stream.")
JOBS = typer.Option(0, "--jobs", "-j", metavar="N", show_default=False,
                    help="Worker processes for large inputs (default: the available cores; 1: none).")
NO_CACHE = typer.Option(False, "--no-cache", help="Neither read nor write the result cache "
                        "(kept in $XDG_CACHE_HOME/sts or ~/.cache/sts; STS_NO_CACHE=1 also turns it off).")


def run_settings(jobs: int, no_cache: bool) -> tuple[int, str | None]:
    """(worker count, cache folder or None) from --jobs, --no-cache and the environment."""
    if jobs < 0:
        raise usage_error("--jobs must be 0 (the available cores) or more")
    from sts_cli.cache import default_dir, disabled_by_environment
    from sts_cli.cores import available_cores

    cache = None if no_cache or disabled_by_environment() else str(default_dir())
    return (jobs or available_cores()), cache


def check_outputs(targets: list[Path], inputs: list[str]) -> None:
    """Refuse an --output that is an input or cannot be written, before doing any work."""
    input_paths: set[str] = set()
    for given in inputs:
        if given != "-" and os.path.exists(given):
            input_paths.add(os.path.realpath(given))
    for target in targets:
        real = os.path.realpath(target)
        if real in input_paths or (any(real.startswith(p.rstrip(os.sep) + os.sep) for p in input_paths
                                      if os.path.isdir(p)) and real.endswith((".yaml", ".yml", ".json"))):
            raise usage_error(f"--output {target} is one of the inputs; sts never writes to its inputs")
        parent = target.parent if str(target.parent) else Path(".")
        if not parent.is_dir():
            raise usage_error(f"--output {target}: folder {parent} does not exist")
        if target.is_dir():
            raise usage_error(f"--output {target} is a folder")
        if not os.access(parent, os.W_OK) or (target.exists() and not os.access(target, os.W_OK)):
            raise usage_error(f"--output {target}: permission denied")


def write_reports(pairs: list[tuple[str, Path | None]], render: Callable[[str, ReportContext], str], *,
                  color: str, quiet: bool, kubernetes_version: str, fail_on: Severity) -> None:
    """Each (format, file or None for stdout) pair rendered by `render(format, context)` and written."""
    from sts_cli import __version__
    from sts_cli.report import ReportContext

    for fmt, target in pairs:
        colored = use_color(color) if target is None and fmt == "text" else False
        context = ReportContext(tool_version=__version__, kubernetes_version=kubernetes_version, fail_on=fail_on,
                                color=colored, quiet=quiet, show_summary=True, working_directory=os.getcwd())
        text = render(fmt, context)
        if target is None:
            # Click strips ANSI codes from output that is not a terminal unless told otherwise.
            typer.echo(text, nl=False, color=colored or None)
        else:
            write_output(target, text)


def write_output(target: Path, text: str) -> None:
    try:
        # backslashreplace: a file name that is not UTF-8 is written escaped, never a crash.
        with target.open("w", encoding="utf-8", errors="backslashreplace") as handle:
            handle.write(text)
    except OSError as exc:
        raise usage_error(f"cannot write {target}: {exc.strerror or exc}") from None


def pair_outputs(formats: list[str], outputs: list[str], known: tuple[str, ...]) -> list[tuple[str, Path | None]]:
    """(format, file or None for stdout) for each --format; `FORMAT=FILE` or --output by position.

    With no --format on GitHub Actions, the text report goes with a `github` one on stdout.
    """
    if len(outputs) > max(len(formats), 1):
        raise usage_error("more --output than --format options: pair each --output with a --format")
    pairs: list[tuple[str, Path | None]] = []
    for index, given in enumerate(formats or ["text"]):
        fmt, sep, file = given.partition("=")
        fmt = fmt.strip().lower()
        if fmt not in known:
            raise usage_error(f"unknown format {fmt!r}; choose from {', '.join(known)}")
        if sep and not file:
            raise usage_error(f"--format {given}: no file after '='")
        if sep and index < len(outputs):
            raise usage_error(f"--format {given} names its file; it takes no --output as well")
        target = file if sep else (outputs[index] if index < len(outputs) else "-")
        pairs.append((fmt, None if target == "-" else Path(target)))
    to_stdout = [fmt for fmt, target in pairs if target is None and fmt not in ("text", "github")]
    if len(to_stdout) > 1:
        raise usage_error(f"{' and '.join(to_stdout)} cannot share stdout; give all but one of them a file "
                          "(--format FORMAT=FILE or --output FILE)")
    seen: set[str] = set()
    for _fmt, path in pairs:
        if path is not None:
            real = os.path.realpath(path)
            if real in seen:
                raise usage_error(f"--output {path} is given twice")
            seen.add(real)
    if not formats and os.environ.get("GITHUB_ACTIONS") == "true":
        pairs.append(("github", None))
    return pairs
