"""`sts validate`: schema and rule findings for StatefulSets and Services."""

from __future__ import annotations

from pathlib import Path

import typer

from sts_cli.commands.common import (
    CONFIG,
    JOBS,
    KUBERNETES_VERSION,
    MAX_ALIASES,
    MAX_DEPTH,
    MAX_DOCUMENTS,
    MAX_FILE_SIZE,
    MAX_NODES,
    NAMESPACE,
    NO_CACHE,
    NO_CONFIG,
    LimitOptions,
    check_color,
    check_outputs,
    check_rule_ids,
    fail_threshold,
    load_settings,
    pair_outputs,
    resolve_version,
    run_settings,
    severity_options,
    usage_error,
    write_reports,
)


def register(app: typer.Typer) -> None:
    app.command(name="validate")(validate_command)


def validate_command(
    paths: list[str] = typer.Argument(..., metavar="PATH...",
                                      help="Files, folders (searched for *.yaml, *.yml, *.json) or - for stdin."),
    kubernetes_version: str | None = KUBERNETES_VERSION,
    namespace: str | None = NAMESPACE,
    formats: list[str] = typer.Option([], "--format", "-f", metavar="FORMAT[=FILE]",
                                      autocompletion=lambda: ["text", "json", "sarif", "junit", "github"],
                                      help="text, json, sarif, junit or github; repeat for several. "
                                      "FORMAT=FILE writes that format to FILE (e.g. -f text -f sarif=sts.sarif)."),
    outputs: list[str] = typer.Option([], "--output", "-o", metavar="FILE",
                                      help="File for the --format at the same position; - for stdout "
                                      "(default: stdout)."),
    fail_on: str | None = typer.Option(None, "--fail-on", help="Lowest severity that fails the run: "
                                       "error (default), warning or info."),
    disable: list[str] = typer.Option([], "--disable", help="Rule id to turn off; repeatable."),
    enable: list[str] = typer.Option([], "--enable", help="Optional rule id to turn on; repeatable."),
    severities: list[str] = typer.Option([], "--severity", metavar="RULE=LEVEL",
                                         help="Report a rule at another severity (error, warning, info); "
                                         "repeatable."),
    config: Path | None = CONFIG,
    no_config: bool = NO_CONFIG,
    allow_empty: bool = typer.Option(False, "--allow-empty", help="Do not fail when the input holds no objects."),
    summary: bool = typer.Option(False, "--summary", help="Also print the summary line on stderr when stdout "
                                 "does not show it (machine formats, reports written to files, --quiet)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Only the finding lines: no hints, no summary."),
    color: str = typer.Option("auto", "--color", help="auto, always or never.",
                              autocompletion=lambda: ["auto", "always", "never"]),
    max_file_size: int = MAX_FILE_SIZE,
    max_depth: int = MAX_DEPTH,
    max_aliases: int = MAX_ALIASES,
    max_nodes: int = MAX_NODES,
    max_documents: int = MAX_DOCUMENTS,
    jobs: int = JOBS,
    no_cache: bool = NO_CACHE,
) -> int:
    """Check manifests against the Kubernetes schemas and the StatefulSet rules.

    Exit codes: 0 no finding at or above --fail-on; 1 such findings; 2 the tool could not do its job.
    """
    from sts_cli.engine import ValidateOptions, validate
    from sts_cli.report import FORMATS, renderer
    from sts_cli.sources import UsageError

    settings = load_settings(config, no_config)
    version = resolve_version(kubernetes_version, settings)
    check_color(color)
    threshold = fail_threshold(fail_on, settings)
    pairs = pair_outputs(formats, outputs, FORMATS)
    overrides = severity_options(severities, settings)
    # a cached run with no rule named loads no rule module
    check_rule_ids([*disable, *enable, *settings.disable, *settings.enable, *overrides])
    limits = LimitOptions(max_file_size, max_depth, max_aliases, max_nodes, max_documents)
    workers, cache_dir = run_settings(jobs, no_cache)
    options = ValidateOptions(
        kubernetes_version=version,
        namespace=namespace or settings.namespace or "default",
        limits=limits.limits(),
        max_file_bytes=max_file_size,
        allow_empty=allow_empty,
        # The command line wins over the settings file in both directions.
        enable=frozenset([*enable, *(r for r in settings.enable if r not in disable)]),
        disable=frozenset([*disable, *(r for r in settings.disable if r not in enable)]),
        severity_overrides=tuple(overrides.items()),
        jobs=workers,
        cache_dir=cache_dir,
    )
    check_outputs([target for _fmt, target in pairs if target is not None], paths)
    from sts_cli.progress import progress_bar

    try:
        with progress_bar(enabled=all(fmt == "text" for fmt, _target in pairs) and not quiet) as progress:
            result = validate(paths, options, progress)
    except UsageError as exc:
        raise usage_error(str(exc)) from None

    code = 1 if result.failed(threshold) else 0
    if result.summary.unreadable:
        code = 2
    write_reports(pairs, lambda fmt, context: renderer(fmt)(result, context),
                  color=color, quiet=quiet, kubernetes_version=version, fail_on=threshold)
    if summary and (quiet or ("text", None) not in pairs):
        from sts_cli.report.text_report import summary_line

        typer.echo(summary_line(result.summary), err=True)
    return code
