"""`--format dns`: zone-file style lines of every record cluster DNS serves for the pods.

Names are absolute (trailing dot). Pod IPs are unknown offline: `<ipv4:POD>` / `<ipv6:POD>`
stand for them and PTR owner names are `<ipv4-reversed:POD>.in-addr.arpa.`. The TTL is
CoreDNS's default (5 s). A comment after each record says when it exists.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from sts_cli.render.plan import RecordList
from sts_cli.render.templates import batched

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


def _set_lines(plan: SetPlan) -> Iterator[str]:
    yield _service_line(plan)
    for note in plan.dns_notes:
        yield f"; {note}"
    if not plan.service.per_pod_records:
        yield ("; no per-pod records will exist; the pods still get these hostnames (in their own "
               "/etc/hosts only):" if plan.pods else "; no pods")
        for pod in plan.pods:
            yield f";   {pod.fqdn or pod.hostname}"
    records = plan.records
    if not records:
        return
    # The column widths first (from the few widest records when the plan names them), then
    # the records one by one: none are held.
    probe = records.widest if isinstance(records, RecordList) and records.widest else records
    width_name = max(len(_absolute(r.name)) for r in probe)
    width_type = max(len(f"{TTL} IN {r.type}") for r in probe)
    width_data = max(len(_rdata(r)) for r in probe)
    for record in records:
        line = f"{_absolute(record.name):<{width_name}} {f'{TTL} IN {record.type}':<{width_type}} " \
               f"{_rdata(record):<{width_data}}"
        when = record.when
        yield (line + (f" ; {when}" if when else "")).rstrip()


def chunks(result: RenderResult, context: FormatContext) -> Iterator[str]:
    """The zone text in pieces of whole lines."""
    def lines() -> Iterator[str]:
        yield f"$TTL {TTL}\n"
        for plan in result.sets:
            yield "\n"
            for line in _set_lines(plan):
                yield line + "\n"
    return batched(lines())
