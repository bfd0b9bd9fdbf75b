"""The first `--format mermaid`: every line of the diagram built in a list, then joined. Node ids and
labels come from `sts_cli.render.mermaid_format`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sts_cli.render.mermaid_format import _service_lines, label, node_id

if TYPE_CHECKING:
    from sts_cli.render import FormatContext
    from sts_cli.render.plan import RenderResult, SetPlan


def set_lines(plan: SetPlan, index: int) -> list[str]:
    prefix = f"s{index}"
    lines = [f"  subgraph {node_id(prefix, 'ns')}[{label(f'namespace {plan.namespace}')}]", "    direction LR"]
    set_id = node_id(prefix, "sts", plan.name)
    policy = f"{plan.view.pod_management_policy}, {plan.view.update_strategy}"
    lines.append(f"    {set_id}[[{label(f'StatefulSet {plan.name}', f'{plan.replicas} replicas, {policy}')}]]")
    service_lines, service_id = _service_lines(plan, prefix)
    lines += service_lines
    records = plan.service.per_pod_records
    for pod in plan.pods:
        pid = node_id(prefix, "pod", pod.name)
        dns = pod.fqdn if records and pod.name in plan.service.selected_pods else "no DNS record"
        lines.append(f"    {pid}({label(f'Pod {pod.name}', dns or 'no DNS record')})")
        lines.append(f"    {set_id} --> {pid}")
        if service_id is not None and records and pod.name in plan.service.selected_pods:
            lines.append(f"    {service_id} -.-> {pid}")
    for claim in [*plan.claims, *plan.retained_claims]:
        cid = node_id(prefix, "pvc", claim.name)
        details = " ".join(part for part in (claim.storage, ",".join(claim.access_modes), claim.storage_class)
                           if part)
        state = " (retained)" if claim.retained else ""
        lines.append(f"    {cid}[({label(f'PVC {claim.name}{state}', details)})]")
        if claim.retained:
            lines.append(f"    {set_id} -.- {cid}")
        else:
            lines.append(f"    {node_id(prefix, 'pod', claim.pod)} -->|{claim.template}| {cid}")
    lines.append("  end")
    return lines


def render(result: RenderResult, context: FormatContext) -> str:
    out = ["flowchart TB"]
    for index, plan in enumerate(result.sets):
        out.extend(set_lines(plan, index))
    return "\n".join(out) + "\n"
