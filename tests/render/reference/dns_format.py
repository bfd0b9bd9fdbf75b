"""The first `--format dns`: every line of a set built in a list, columns sized over all records,
then joined. The values come from `sts_cli.render.dns_format`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sts_cli.render.dns_format import TTL, _absolute, _rdata, _service_line

if TYPE_CHECKING:
    from sts_cli.render import FormatContext
    from sts_cli.render.plan import RenderResult, SetPlan


def set_lines(plan: SetPlan) -> list[str]:
    lines = [_service_line(plan)]
    lines += [f"; {note}" for note in plan.dns_notes]
    if not plan.service.per_pod_records:
        lines.append("; no per-pod records will exist; the pods still get these hostnames (in their own "
                     "/etc/hosts only):" if plan.pods else "; no pods")
        for pod in plan.pods:
            lines.append(f";   {pod.fqdn or pod.hostname}")
    rows = [(_absolute(r.name), f"{TTL} IN {r.type}", _rdata(r), r.when) for r in plan.records]
    if rows:
        width_name = max(len(r[0]) for r in rows)
        width_type = max(len(r[1]) for r in rows)
        width_data = max(len(r[2]) for r in rows)
        for name, rtype, data, when in rows:
            line = f"{name:<{width_name}} {rtype:<{width_type}} {data:<{width_data}}"
            lines.append((line + (f" ; {when}" if when else "")).rstrip())
    return lines


def render(result: RenderResult, context: FormatContext) -> str:
    out: list[str] = [f"$TTL {TTL}"]
    for plan in result.sets:
        out.append("")
        out.extend(set_lines(plan))
    return "\n".join(out) + "\n"
