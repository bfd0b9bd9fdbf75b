"""`--format mermaid`: a flowchart of the governing Service, the Pods and their PVCs, with DNS names.

The output is a bare Mermaid diagram (a `.mmd` file); on GitHub and in most docs tools, put it
inside a fenced block that starts with three backticks and `mermaid`.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from sts_cli.render.templates import batched

if TYPE_CHECKING:
    from sts_cli.render import FormatContext
    from sts_cli.render.plan import RenderResult, SetPlan


def node_id(*parts: str) -> str:
    """A Mermaid-safe identifier: letters, digits and `_` only."""
    return "_".join(re.sub(r"[^A-Za-z0-9]", "_", part) for part in parts)


def label(*lines: str) -> str:
    """A quoted node label; lines joined with `<br/>`, quotes and angle brackets escaped."""
    escaped = [line.replace("&", "#amp;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")
               for line in lines]
    return '"' + "<br/>".join(escaped) + '"'


def _service_lines(plan: SetPlan, prefix: str) -> tuple[list[str], str | None]:
    status = plan.service
    if not status.name:
        return [], None
    sid = node_id(prefix, "svc", status.name)
    domain = plan.options.cluster_domain
    if status.service is not None:
        kind = {"headless": "headless", "cluster-ip": "not headless",
                "external-name": "ExternalName"}.get(status.kind, status.kind)
        text = label(f"Service {status.name} ({kind})", f"{status.name}.{status.namespace}.svc.{domain}".lower())
        return [f"    {sid}{{{{{text}}}}}"], sid
    why = "not in the input" if status.kind == "missing" else "not in this namespace"
    return [f"    {sid}{{{{{label(f'Service {status.name} ({why})')}}}}}"], sid


def _set_lines(plan: SetPlan, index: int) -> Iterator[str]:
    prefix = f"s{index}"
    lines = [f"  subgraph {node_id(prefix, 'ns')}[{label(f'namespace {plan.namespace}')}]", "    direction LR"]
    set_id = node_id(prefix, "sts", plan.name)
    policy = f"{plan.view.pod_management_policy}, {plan.view.update_strategy}"
    lines.append(f"    {set_id}[[{label(f'StatefulSet {plan.name}', f'{plan.replicas} replicas, {policy}')}]]")
    service_lines, service_id = _service_lines(plan, prefix)
    lines += service_lines
    yield from lines
    records = plan.service.per_pod_records
    selected = set(plan.service.selected_pods) if records else set()
    for pod in plan.pods:
        pid = node_id(prefix, "pod", pod.name)
        dns = pod.fqdn if pod.name in selected else "no DNS record"
        yield f"    {pid}({label(f'Pod {pod.name}', dns or 'no DNS record')})"
        yield f"    {set_id} --> {pid}"
        if service_id is not None and pod.name in selected:
            yield f"    {service_id} -.-> {pid}"
    for claim in itertools.chain(plan.claims, plan.retained_claims):
        cid = node_id(prefix, "pvc", claim.name)
        details = " ".join(part for part in (claim.storage, ",".join(claim.access_modes), claim.storage_class)
                           if part)
        state = " (retained)" if claim.retained else ""
        yield f"    {cid}[({label(f'PVC {claim.name}{state}', details)})]"
        if claim.retained:
            yield f"    {set_id} -.- {cid}"
        else:
            yield f"    {node_id(prefix, 'pod', claim.pod)} -->|{claim.template}| {cid}"
    yield "  end"


def chunks(result: RenderResult, context: FormatContext) -> Iterator[str]:
    """The diagram in pieces of whole lines."""
    def lines() -> Iterator[str]:
        yield "flowchart TB\n"
        for index, plan in enumerate(result.sets):
            for line in _set_lines(plan, index):
                yield line + "\n"
    return batched(lines())
