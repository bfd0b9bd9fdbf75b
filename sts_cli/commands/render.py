"""`sts render`: the Pods, PVCs and DNS records the controller and cluster DNS will create."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import typer

from sts_cli.commands.common import (
    CONFIG,
    MAX_ALIASES,
    MAX_DEPTH,
    MAX_DOCUMENTS,
    MAX_FILE_SIZE,
    MAX_NODES,
    NAMESPACE,
    NO_CONFIG,
    LimitOptions,
    check_color,
    load_settings,
    resolve_version,
    stdout_is_terminal,
    usage_error,
    use_color,
)

_DOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
_PATCH = re.compile(r"^v?\d+\.\d+\.(\d+)$")


def register(app: typer.Typer) -> None:
    app.command(name="render")(render_command)


def render_command(
    paths: list[str] = typer.Argument(..., metavar="PATH...",
                                      help="Files, folders (searched for *.yaml, *.yml, *.json) or - for stdin."),
    fmt: str = typer.Option("table", "--format", "-f", help="table, yaml, json, dns or mermaid."),
    kubernetes_version: str | None = typer.Option(
        None, "--kubernetes-version", "-k", metavar="X.Y[.Z]",
        help="Kubernetes version whose behaviour to show (default: newest bundled). A patch release "
             "matters for maxUnavailable: on in 1.35.0-1.35.3, off in later 1.35 and in 1.36."),
    namespace: str | None = NAMESPACE,
    cluster_domain: str | None = typer.Option(None, "--cluster-domain", metavar="DOMAIN",
                                              help="Cluster DNS domain (default: cluster.local)."),
    replicas: int | None = typer.Option(None, "--replicas", metavar="N", min=0,
                                        help="Preview a scale to N replicas: pods and PVCs that appear or go."),
    max_replicas: int = typer.Option(10_000, "--max-replicas", metavar="N", min=1,
                                     help="Draw StatefulSets of up to N pods (and 10 PVCs and 300 pod template "
                                          "values per pod); larger ones are refused as render-too-large."),
    select: str | None = typer.Option(None, "--select", metavar="NAME",
                                      help="Render only this StatefulSet (NAME or NAMESPACE/NAME)."),
    color: str = typer.Option("auto", "--color", help="auto, always or never (table format)."),
    config: Path | None = CONFIG,
    no_config: bool = NO_CONFIG,
    max_file_size: int = MAX_FILE_SIZE,
    max_depth: int = MAX_DEPTH,
    max_aliases: int = MAX_ALIASES,
    max_nodes: int = MAX_NODES,
    max_documents: int = MAX_DOCUMENTS,
) -> int:
    """Show the Pods, PVCs, creation/scale-down/update order and DNS records of each StatefulSet.

    Exit codes: 0 all rendered; 1 some input not rendered (stderr says why; the rest is); 2 bad usage, unreadable input.
    """
    from sts_cli import __version__
    from sts_cli.engine import ValidateOptions, load_inputs
    from sts_cli.render import FORMATS, FormatContext, RenderOptions, SelectError, render_loaded, streamer
    from sts_cli.report.styled import printable
    from sts_cli.report.text_report import finding_line
    from sts_cli.sources import UsageError

    settings = load_settings(config, no_config)
    version = resolve_version(kubernetes_version, settings)
    asked = kubernetes_version or settings.kubernetes_version
    patch = _PATCH.match(asked.strip()) if asked else None
    behaviour_version = f"{version}.{int(patch.group(1))}" if patch else version
    if fmt not in FORMATS:
        raise usage_error(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    check_color(color)
    domain = (cluster_domain or settings.cluster_domain or "cluster.local").strip().rstrip(".").lower()
    if not _DOMAIN.match(domain) or len(domain) > 253:
        raise usage_error(f"--cluster-domain {cluster_domain!r} is not a DNS domain")
    limits = LimitOptions(max_file_size, max_depth, max_aliases, max_nodes, max_documents)
    default_namespace = namespace or settings.namespace or "default"
    load_options = ValidateOptions(kubernetes_version=version, namespace=default_namespace,
                                   limits=limits.limits(), max_file_bytes=max_file_size)
    try:
        loaded, _skipped = load_inputs(paths, load_options)
    except UsageError as exc:
        raise usage_error(str(exc)) from None
    options = RenderOptions(kubernetes_version=behaviour_version, cluster_domain=domain,
                            namespace=default_namespace, replicas=replicas, max_replicas=max_replicas)
    try:
        result = render_loaded(loaded, options, select)
    except SelectError as exc:
        raise usage_error(str(exc)) from None

    colored = use_color(color) if fmt == "table" else False
    width = shutil.get_terminal_size((120, 24)).columns if stdout_is_terminal() else 120
    chunks = streamer(fmt)(result, FormatContext(tool_version=__version__, color=colored, width=width))
    for problem in result.problems:
        typer.echo(finding_line(problem), err=True)
        if problem.hint:
            typer.echo(printable(f"    hint: {problem.hint}"), err=True)
    if result.problems and result.sets:
        typer.echo(f"sts: rendered {len(result.sets)} StatefulSet(s); {len(result.problems)} problem(s) above",
                   err=True)
    for chunk in chunks:  # written as it is made: a large set is never held whole
        # Click strips ANSI codes from output that is not a terminal unless told otherwise.
        typer.echo(chunk, nl=False, color=colored or None)
    if result.unreadable:
        return 2
    return 1 if result.problems else 0
