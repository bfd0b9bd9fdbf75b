"""`--format dns` aligns its columns on a few records the plan names as the widest, then writes
the records one by one: same bytes as the reference (which holds them all), little memory."""

from __future__ import annotations

import textwrap
import tracemalloc

import pytest

from sts_cli.render import FormatContext, formatter, streamer
from sts_cli.render.dns_format import TTL, _absolute, _rdata
from sts_cli.render.plan import DnsRecord, RecordList
from tests.render.helpers import render_text
from tests.render.reference import dns_format as reference


def _text(replicas: int = 3, start: int = 0, name: str = "web", service: str = "", selector: str = "app: nginx",
          ports: str = "[{name: web, port: 80, targetPort: http}]") -> str:
    """A headless Service (with the extra `service` lines of its spec) and a StatefulSet."""
    return textwrap.dedent("""\
        apiVersion: v1
        kind: Service
        metadata:
          name: nginx
        spec:
          clusterIP: None
          selector: {{{selector}}}
          ports: {ports}
        """).format(selector=selector, ports=ports) + service + textwrap.dedent("""\
        ---
        apiVersion: apps/v1
        kind: StatefulSet
        metadata:
          name: {name}
        spec:
          serviceName: nginx
          replicas: {replicas}
          ordinals: {{start: {start}}}
          selector:
            matchLabels:
              app: nginx
          template:
            metadata:
              labels:
                app: nginx
            spec:
              containers:
              - name: nginx
                image: nginx:1.27
                ports:
                - {{name: http, containerPort: 8080}}
                - {{name: dns, containerPort: 53, protocol: UDP}}
        """).format(name=name, replicas=replicas, start=start)


def _widths(records: list[DnsRecord]) -> tuple[int, int, int]:
    return (max(len(_absolute(r.name)) for r in records), max(len(f"{TTL} IN {r.type}") for r in records),
            max(len(_rdata(r)) for r in records))


CASES = {
    "digits-9-to-10": dict(replicas=11),
    "start-crosses-100": dict(replicas=96, start=5),
    "start-crosses-1000": dict(replicas=5, start=998),
    "dual-stack-ipv6-first": dict(replicas=12, service=(
        "  ipFamilies: [IPv6, IPv4]\n  publishNotReadyAddresses: true\n")),
    "many-ports": dict(replicas=10, ports="[{name: web, port: 80, targetPort: http}, {name: dns, port: 53, "
                                          "targetPort: dns, protocol: UDP}, {name: gone, port: 1, targetPort: nope},"
                                          " {port: 81}, {name: a-very-long-port-name, port: 65535, "
                                          "targetPort: 8080}]"),
    "one-pod-selected": dict(replicas=101, selector="statefulset.kubernetes.io/pod-name: web-7"),
    "long-name-pod-selected": dict(replicas=101, selector="statefulset.kubernetes.io/pod-name: web-100"),
    "upper-case-domain": dict(replicas=12, name="db-x9"),
    "no-ports": dict(replicas=10, ports="[]"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_widest_records_give_the_widths_of_all(case: str) -> None:
    domain = "Corp.EXAMPLE." if case == "upper-case-domain" else "cluster.local"
    result = render_text(_text(**CASES[case]), cluster_domain=domain)  # type: ignore[arg-type]
    assert len(result.sets) == 1, result.problems
    records = result.sets[0].records
    assert isinstance(records, RecordList) and records.widest
    assert len(records.widest) <= 8
    assert _widths(records.widest) == _widths(list(records))
    assert formatter("dns")(result, FormatContext()) == reference.render(result, FormatContext())


def test_other_record_lists_and_none() -> None:
    cluster_ip = render_text(_text().replace("clusterIP: None", "clusterIP: 10.0.0.1"))
    assert not isinstance(cluster_ip.sets[0].records, RecordList) and cluster_ip.sets[0].records
    empty = render_text(_text(replicas=0))
    assert not empty.sets[0].records
    for result in (cluster_ip, empty):
        assert formatter("dns")(result, FormatContext()) == reference.render(result, FormatContext())


def test_records_are_not_held() -> None:
    result = render_text(_text(replicas=3000))
    assert len(result.sets[0].records) == 3000 * 4
    tracemalloc.start()
    try:
        size = sum(len(piece) for piece in streamer("dns")(result, FormatContext()))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert size > 1_000_000
    assert peak < size / 3  # holding every record and line would take several times the text
