"""The first `--format table`: rich tables printed to a recording console. Headers and cell texts
come from `sts_cli.render.table_format`."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from sts_cli import ordering
from sts_cli.render.table_format import _arrow, _header, _owners, _service_text

if TYPE_CHECKING:
    from rich.console import Console

    from sts_cli.render import FormatContext
    from sts_cli.render.plan import RenderResult, SetPlan


def _print_set(console: Console, plan: SetPlan, color: bool) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    console.print(Text(_header(plan), style="bold" if color else ""))
    console.print(Text(_service_text(plan), style=("green" if plan.service.per_pod_records else "yellow")
                       if color else ""))
    template = ", ".join(f"{k}={v}" for k, v in plan.view.template_labels.items())
    console.print(f"Pod labels: {template + ' (template), ' if template else ''}"
                  f"{ordering.POD_NAME_LABEL}=<pod>, {ordering.POD_INDEX_LABEL}=<ordinal>, "
                  f"{ordering.REVISION_LABEL}=<assigned at run time>")

    pods = Table(title="Pods", title_justify="left", box=box.SQUARE)
    for column in ("Ordinal", "Pod / hostname", "FQDN", "Volumes → PVCs"):
        pods.add_column(column, overflow="fold")
    for pod in plan.pods:
        volumes = "\n".join(f"{v.name} → {v.claim}" for v in pod.claim_volumes) or "-"
        fqdn = pod.fqdn or "- (no serviceName)"
        if pod.fqdn and not (plan.service.per_pod_records and pod.name in plan.service.selected_pods):
            fqdn += " (no DNS record)"
        pods.add_row(str(pod.ordinal), pod.name, fqdn, volumes)
    if plan.pods:
        console.print(pods)
    else:
        console.print("Pods: none (0 replicas)")

    claims = [*plan.claims, *plan.retained_claims]
    if claims:
        labels_by_template: dict[str, str] = {}
        for claim in claims:
            labels_by_template.setdefault(claim.template, ", ".join(f"{k}={v}" for k, v in claim.labels.items()))
        console.print("PVC labels: " + "; ".join(f"{name}: {labels or 'none'}"
                                                 for name, labels in labels_by_template.items()))
        table = Table(title="PersistentVolumeClaims", title_justify="left", box=box.SQUARE)
        for column in ("PVC", "Pod", "Size", "Access modes", "Class", "Volume mode", "Owner", "Scale-down",
                       "Set deleted"):
            table.add_column(column, overflow="fold")
        for claim in claims:
            owner_pod = claim.pod + (" (gone)" if claim.retained else "")
            table.add_row(claim.name, owner_pod, claim.storage or "?", ",".join(claim.access_modes) or "?",
                          claim.storage_class if claim.storage_class is not None else "(default)",
                          claim.volume_mode, _owners(claim.owners),
                          "deleted" if claim.fate.deleted_on_scale_down else "retained",
                          "deleted" if claim.fate.deleted_with_set else "retained")
        console.print(table)

    update = plan.update
    order = Table(title="Order", title_justify="left", box=box.SQUARE, show_header=False)
    order.add_column("what")
    order.add_column("pods", overflow="fold")
    one = "all at once" if plan.view.pod_management_policy == ordering.PARALLEL else "one at a time, each Ready first"
    order.add_row("Creation", f"{_arrow(plan.creation)}  ({one})")
    order.add_row("Scale-down", f"{_arrow(plan.scale_down)}  ("
                  + ("all at once" if plan.view.pod_management_policy == ordering.PARALLEL
                     else "highest first, one at a time") + ")")
    if update.on_delete:
        order.add_row("Update (OnDelete)", "none: a pod takes the new template only when it is deleted")
    else:
        label = f"Rolling update (partition {update.partition}"
        label += f", maxUnavailable {update.max_unavailable})" if update.max_unavailable_honoured else ")"
        order.add_row(label, _arrow(update.waves))
        if update.kept:
            order.add_row("Kept at old revision", ", ".join(update.kept))
    scale = plan.scale
    if scale is not None:
        if scale.unchanged:
            order.add_row(f"Scale {scale.from_replicas} → {scale.to_replicas}", "no change")
        else:
            if scale.pods_added:
                order.add_row(f"Scale {scale.from_replicas} → {scale.to_replicas}: add", _arrow(scale.add_waves))
                if scale.claims_added:
                    order.add_row("  new PVCs (unless retained ones exist)", ", ".join(scale.claims_added))
            if scale.pods_removed:
                order.add_row(f"Scale {scale.from_replicas} → {scale.to_replicas}: remove",
                              _arrow(scale.remove_waves))
                if scale.claims_retained:
                    order.add_row("  PVCs retained", ", ".join(scale.claims_retained))
                if scale.claims_deleted:
                    order.add_row("  PVCs deleted", ", ".join(scale.claims_deleted))
    console.print(order)
    for note in update.notes:
        console.print(f"  update: {note}")

    if plan.records:
        dns = Table(title="DNS", title_justify="left", box=box.SQUARE)
        for column in ("Name", "Type", "Value"):
            dns.add_column(column, overflow="fold")
        for record in plan.records:
            dns.add_row(record.name, record.type, record.value)
        console.print(dns)
    for note in plan.dns_notes:
        console.print(f"  dns: {note}")
    for note in plan.notes:
        console.print(f"  note: {note}")


def render(result: RenderResult, context: FormatContext) -> str:
    from rich.console import Console

    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=context.color, no_color=not context.color,
                      color_system="standard" if context.color else None, width=context.width,
                      highlight=False, emoji=False, markup=False)
    for index, plan in enumerate(result.sets):
        if index:
            console.print()
        _print_set(console, plan, context.color)
    return "".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())
