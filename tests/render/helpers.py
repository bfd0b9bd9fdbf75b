"""Build views from YAML text, the way the render pipeline does."""

from __future__ import annotations

import textwrap
from typing import Any

from sts_cli.documents import load_source
from sts_cli.model import ServiceView, StatefulSetView, service_view, statefulset_view
from sts_cli.render import render_loaded
from sts_cli.render.plan import RenderOptions, RenderResult, SetPlan
from sts_cli.sources import Source


def views(text: str, namespace: str = "default") -> tuple[list[StatefulSetView], list[ServiceView]]:
    loaded = load_source(Source("test.yaml", textwrap.dedent(text).encode()))
    assert not loaded.findings, loaded.findings
    sets = [statefulset_view(o, namespace) for o in loaded.objects if o.kind == "StatefulSet"]
    services = [service_view(o, namespace) for o in loaded.objects if o.kind == "Service"]
    return sets, services


def sts(spec: str = "", name: str = "web", namespace: str | None = None) -> StatefulSetView:
    """A StatefulSet `name` with selector app=nginx plus the given spec lines (YAML, 2-space indented)."""
    ns = f"\n  namespace: {namespace}" if namespace else ""
    body = textwrap.indent(textwrap.dedent(spec).strip("\n"), "  ") if spec.strip() else ""
    text = (f"apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: {name}{ns}\nspec:\n"
            "  selector:\n    matchLabels:\n      app: nginx\n"
            "  template:\n    metadata:\n      labels:\n        app: nginx\n"
            "    spec:\n      containers:\n      - name: nginx\n        image: nginx:1.27\n"
            f"{body}\n")
    sets, _ = views(text)
    return sets[0]


def render_text(text: str, version: str = "1.36", namespace: str = "default", cluster_domain: str = "cluster.local",
                replicas: int | None = None, select: str | None = None) -> RenderResult:
    """Plan every StatefulSet of a YAML text, as `sts render` does."""
    loaded = load_source(Source("test.yaml", textwrap.dedent(text).encode()))
    options = RenderOptions(kubernetes_version=version, cluster_domain=cluster_domain, namespace=namespace,
                            replicas=replicas)
    return render_loaded([loaded], options, select)


def one(text: str, **kwargs: Any) -> SetPlan:
    result = render_text(text, **kwargs)
    assert not result.problems, result.problems
    assert len(result.sets) == 1
    return result.sets[0]
