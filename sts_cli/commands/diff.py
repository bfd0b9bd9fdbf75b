"""`sts diff OLD NEW` / `sts diff --against REF PATH...`: will the change be accepted, what will it do."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from sts_cli.commands.common import (
    CONFIG,
    KUBERNETES_VERSION,
    MAX_ALIASES,
    MAX_DEPTH,
    MAX_DOCUMENTS,
    MAX_FILE_SIZE,
    MAX_NODES,
    NAMESPACE,
    NO_CONFIG,
    LimitOptions,
    check_color,
    check_outputs,
    check_rule_ids,
    fail_threshold,
    load_settings,
    pair_outputs,
    resolve_version,
    severity_options,
    usage_error,
    write_reports,
)

if TYPE_CHECKING:
    from sts_cli.engine import ValidationResult
    from sts_cli.report import ReportContext

HELP = (
    "Compare two versions of manifests: is each StatefulSet change accepted by the API server, and what does it "
    "do to running pods and volumes?\n\n"
    "OLD and NEW are files, folders or - (standard input). With --against REF, the PATHs of the working tree are "
    "compared with the same paths at the git revision REF (e.g. origin/main).\n\n"
    "Forbidden changes (selector, serviceName, podManagementPolicy, volumeClaimTemplates, ...) are errors. "
    "Accepted changes are explained: rollout order, pods kept at the old revision, pods and PVCs that appear or "
    "go, PVC retention. Service changes that break per-pod DNS are reported too.\n\n"
    "Exit codes: 0 no finding at or above --fail-on; 1 such findings (a forbidden change); 2 the tool could not "
    "do its job (missing path, unreadable input, git error)."
)


def register(app: typer.Typer) -> None:
    app.command(name="diff", help=HELP)(diff_command)


def diff_command(
    paths: list[str] = typer.Argument(..., metavar="OLD NEW",
                                      help="OLD and NEW (files, folders or -); with --against, the paths to compare."),
    against: str | None = typer.Option(None, "--against", metavar="GIT_REF",
                                       help="Compare PATH... in the working tree with the same paths at this git "
                                            "revision."),
    kubernetes_version: str | None = KUBERNETES_VERSION,
    namespace: str | None = NAMESPACE,
    formats: list[str] = typer.Option([], "--format", "-f", metavar="FORMAT[=FILE]",
                                      help="text, json, sarif, junit or github; repeat for several. "
                                      "FORMAT=FILE writes that format to FILE."),
    outputs: list[str] = typer.Option([], "--output", "-o", metavar="FILE",
                                      help="File for the --format at the same position; - for stdout "
                                      "(default: stdout)."),
    fail_on: str | None = typer.Option(None, "--fail-on", help="Lowest severity that fails the run: "
                                       "error (default), warning or info."),
    disable: list[str] = typer.Option([], "--disable", help="Rule id to turn off; repeatable."),
    severities: list[str] = typer.Option([], "--severity", metavar="RULE=LEVEL",
                                         help="Report a rule at another severity (error, warning, info); "
                                         "repeatable."),
    config: Path | None = CONFIG,
    no_config: bool = NO_CONFIG,
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Only the finding lines: no explanation, no summary."),
    color: str = typer.Option("auto", "--color", help="auto, always or never."),
    summary: bool = typer.Option(False, "--summary", help="Print the summary line on stderr for machine formats."),
    max_file_size: int = MAX_FILE_SIZE,
    max_depth: int = MAX_DEPTH,
    max_aliases: int = MAX_ALIASES,
    max_nodes: int = MAX_NODES,
    max_documents: int = MAX_DOCUMENTS,
) -> int:
    from sts_cli.diff.engine import DiffOptions, Side, compare
    from sts_cli.diff.gitsource import GitError, sources_at
    from sts_cli.documents import load_source
    from sts_cli.engine import ValidateOptions, load_inputs
    from sts_cli.report import FORMATS
    from sts_cli.sources import STDIN, UsageError

    settings = load_settings(config, no_config)
    version = resolve_version(kubernetes_version, settings)
    check_color(color)
    threshold = fail_threshold(fail_on, settings)
    pairs = pair_outputs(formats, outputs, FORMATS)
    overrides = severity_options(severities, settings)
    check_rule_ids([*disable, *settings.disable, *overrides])
    limits = LimitOptions(max_file_size, max_depth, max_aliases, max_nodes, max_documents).limits()
    ns = namespace or settings.namespace or "default"
    read_options = ValidateOptions(kubernetes_version=version, namespace=ns, limits=limits,
                                   max_file_bytes=max_file_size)
    check_outputs([target for _fmt, target in pairs if target is not None], paths)
    try:
        if against is None:
            if len(paths) != 2:
                raise usage_error("give exactly two inputs, OLD and NEW (or use --against GIT_REF PATH...)")
            if paths.count(STDIN) > 1:
                raise usage_error("only one of OLD and NEW can be - (standard input)")
            old_loaded, old_skipped = load_inputs([paths[0]], read_options)
            new_loaded, new_skipped = load_inputs([paths[1]], read_options)
            old = Side("OLD", old_loaded, old_skipped)
            new = Side("NEW", new_loaded, new_skipped)
        else:
            try:
                old_sources = sources_at(against, paths, max_file_size)
            except GitError as exc:
                raise usage_error(str(exc)) from None
            present = [p for p in paths if os.path.lexists(p)]
            missing = [p for p in paths if not os.path.lexists(p)]
            if missing and not old_sources:
                raise usage_error("no such file or folder (in the working tree or at "
                                  f"{against}): {', '.join(missing)}")
            new_loaded, new_skipped = load_inputs(present, read_options) if present else ([], [])
            old = Side(f"{against}", [load_source(s, limits) for s in old_sources])
            new = Side("the working tree", new_loaded, new_skipped)
    except UsageError as exc:
        raise usage_error(str(exc)) from None

    options = DiffOptions(kubernetes_version=version, namespace=ns,
                          cluster_domain=settings.cluster_domain or "cluster.local",
                          disable=frozenset([*disable, *settings.disable]),
                          severity_overrides=tuple(overrides.items()))
    diff = compare(old, new, options)
    result = diff.result

    code = 1 if result.failed(threshold) else 0
    if result.summary.unreadable:
        code = 2

    def render(fmt: str, context: ReportContext) -> str:
        if fmt == "text":
            from sts_cli.diff.text import render as render_text

            return render_text(diff, context)
        return _render(fmt, result, context)

    write_reports(pairs, render, color=color, quiet=quiet, kubernetes_version=version, fail_on=threshold)
    if summary and (quiet or ("text", None) not in pairs):
        from sts_cli.diff.text import summary_line

        typer.echo(summary_line(diff), err=True)
    return code


def _render(fmt: str, result: ValidationResult, context: ReportContext) -> str:
    from sts_cli.report import renderer

    try:
        render = renderer(fmt)
    except ImportError:
        raise usage_error(f"output format {fmt!r} is not available in this installation") from None
    return render(result, context)
