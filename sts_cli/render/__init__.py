"""`sts render`: the Pods, PVCs, orders and DNS records each StatefulSet produces.

`plan.py` builds the render model from views (pure functions); one module per output format
(`<format>_format.py`, each with `chunks(result, context)`, the output in pieces of whole lines)
lays it out.
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import ModuleType

from sts_cli.documents import LoadedSource
from sts_cli.findings import Finding, Location, Severity
from sts_cli.kinds import Kind, classify
from sts_cli.model import ServiceView, StatefulSetView, service_view, statefulset_view
from sts_cli.render.plan import RenderOptions, RenderResult, plan_set, render_problems

FORMATS = ("table", "yaml", "json", "dns", "mermaid")


@dataclass(frozen=True, slots=True)
class FormatContext:
    tool_version: str = ""
    color: bool = False
    width: int = 120


Formatter = Callable[[RenderResult, FormatContext], str]
Streamer = Callable[[RenderResult, FormatContext], Iterator[str]]


class SelectError(ValueError):
    """`--select NAME` matched no StatefulSet in the input."""


def _format_module(fmt: str) -> ModuleType:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    return importlib.import_module(f"sts_cli.render.{fmt}_format")


def formatter(fmt: str) -> Formatter:
    """The whole output of `fmt` as one string."""
    chunks = streamer(fmt)

    def render(result: RenderResult, context: FormatContext) -> str:
        return "".join(chunks(result, context))
    return render


def streamer(fmt: str) -> Streamer:
    """The output of `fmt` in pieces (about 64 kB, whole lines): large sets are never held whole."""
    chunks: Streamer = _format_module(fmt).chunks
    return chunks


def _selected(view: StatefulSetView, select: str) -> bool:
    return select in (view.name, f"{view.namespace}/{view.name}")


def render_loaded(loaded: list[LoadedSource], options: RenderOptions, select: str | None = None) -> RenderResult:
    """Plan every StatefulSet of the parsed input (or the one named by `select`).

    Input problems (YAML errors, kind mistakes) and StatefulSets too broken to render become
    `problems`; everything else is still rendered. Raises SelectError when `select` matches nothing.
    """
    problems: list[Finding] = []
    sets: list[StatefulSetView] = []
    services: list[ServiceView] = []
    for source in loaded:
        problems.extend(f for f in source.findings if f.severity is Severity.ERROR)
        for obj in source.objects:
            kind, findings = classify(obj, options.namespace)
            problems.extend(f for f in findings if f.severity is Severity.ERROR)
            if kind is Kind.STATEFULSET:
                sets.append(statefulset_view(obj, options.namespace))
            elif kind is Kind.SERVICE:
                services.append(service_view(obj, options.namespace))
    if select is not None:
        chosen = [v for v in sets if _selected(v, select)]
        if not chosen:
            known = ", ".join(f"{v.namespace}/{v.name}" for v in sets if v.name) or "none"
            raise SelectError(f"no StatefulSet named {select!r} in the input (found: {known})")
        sets = chosen
    result = RenderResult([], problems, options, unreadable=any(s.unreadable for s in loaded))
    for view in sets:
        # --replicas N previews another size: it is bounded like spec.replicas.
        sized = view if options.replicas is None else dataclasses.replace(view, replicas=options.replicas)
        broken = render_problems(sized, options.max_replicas)
        if broken:
            result.problems.extend(broken)
            continue
        result.sets.append(plan_set(view, services, options))
    if not sets and not result.problems and select is None:
        where = loaded[0].origin if loaded else "<input>"
        result.problems.append(Finding("render-nothing", Severity.ERROR, "no StatefulSet found in the input",
                                       Location(where, 1, 1), hint="pass the files that hold the StatefulSets"))
    return result


__all__ = ["FORMATS", "FormatContext", "Formatter", "RenderOptions", "RenderResult", "SelectError", "Streamer",
           "formatter", "render_loaded", "streamer"]
