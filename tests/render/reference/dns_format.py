"""`--format dns`: zone-file style lines of every record cluster DNS serves for the pods.

Names are absolute (trailing dot). Pod IPs are unknown offline: `<ipv4:POD>` / `<ipv6:POD>`
stand for them and PTR owner names are `<ipv4-reversed:POD>.in-addr.arpa.`. The TTL is
CoreDNS's default (5 s). A comment after each record says when it exists.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sts_cli.render import FormatContext
    from sts_cli.render.plan import DnsRecord, RenderResult, SetPlan

TTL = 5


def _absolute(name: str) -> str:
    return name if name.endswith(".") or name.startswith("<unset") else name + "."


def _rdata(record: DnsRecord) -> str:
    if record.type == "SRV" and record.target is not None:
        return f"{record.priority} {record.weight} {record.port} {_absolute(record.target)}"
    if record.type in ("PTR", "CNAME"):
        return _absolute(record.value)
    return record.value


def _service_line(plan: SetPlan) -> str:
    status = plan.service
    if not status.name:
        return f"; StatefulSet {plan.namespace}/{plan.name}: no serviceName"
    kind = {"headless": "headless", "cluster-ip": "not headless", "external-name": "ExternalName",
            "missing": "not in the input", "other-namespace": "not in this namespace"}.get(status.kind, status.kind)
    return f"; StatefulSet {plan.namespace}/{plan.name}, governing Service {status.namespace}/{status.name} ({kind})"


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
