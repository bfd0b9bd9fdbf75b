"""The fast formatters print exactly what the first, straightforward ones print (tests/render/reference).

Every format is compared byte for byte with the reference on inputs chosen to reach the unusual
paths (values YAML 1.1 reads as other types, unicode, long and multi-line strings, narrow and
wide terminals, scale previews, retention policies, names that need quoting, a label holding a
template marker); large sets (2,000 pods, two claim templates, named ports) are compared byte for
byte where the reference is quick, and for YAML document by document against ruamel.yaml itself
and structurally against the plan.
"""

from __future__ import annotations

import functools
import importlib
import json
import random
import textwrap
from collections.abc import Callable
from typing import Any

import pytest
import yaml

from sts_cli.render import FORMATS, FormatContext, formatter, streamer
from sts_cli.render.plan import LazyList, RenderResult
from tests.render.helpers import render_text

Reference = Callable[[RenderResult, FormatContext], str]


def _reference(fmt: str) -> Reference:
    render: Reference = importlib.import_module(f"tests.render.reference.{fmt}_format").render
    return render


def _set(replicas: int = 3, name: str = "web", claims: str = "both", extra_spec: str = "",
         template_extra: str = "", service: str = "headless", labels: str = "") -> str:
    """A Service and a StatefulSet with two claim templates and named ports."""
    claim_data = """
  - metadata:
      name: data
      labels: {tier: db, backup: "on"}
      annotations: {snapshot: "yes", note: "héllo ✓"}
    spec:
      accessModes: [ReadWriteOnce]
      storageClassName: fast
      resources: {requests: {storage: 10Gi}}"""
    claim_logs = """
  - metadata:
      name: logs.v1
    spec:
      accessModes: [ReadWriteMany, ReadOnlyMany]
      volumeMode: Block
      resources: {requests: {storage: 1Gi}}"""
    templates = {"both": claim_data + claim_logs, "none": " []", "data": claim_data}[claims]
    svc = {
        "headless": "  clusterIP: None\n  publishNotReadyAddresses: true\n  ipFamilies: [IPv4, IPv6]\n",
        "plain": "  clusterIP: None\n",
        "cluster-ip": "  clusterIP: 10.0.0.9\n",
    }[service]
    return textwrap.dedent("""\
        apiVersion: v1
        kind: Service
        metadata:
          name: nginx
        spec:
        {svc}  selector:
            app: nginx
          ports:
          - {{name: web, port: 80, targetPort: http}}
          - {{name: metrics, port: 9000, targetPort: 9090, protocol: TCP}}
          - {{port: 81}}
        ---
        apiVersion: apps/v1
        kind: StatefulSet
        metadata:
          name: {name}
        spec:
          serviceName: nginx
          replicas: {replicas}
          selector:
            matchLabels:
              app: nginx
        {extra}  template:
            metadata:
              labels:
                app: nginx
        {labels}    spec:
              containers:
              - name: nginx
                image: nginx:1.27
                ports:
                - {{name: http, containerPort: 8080}}
        {template}  volumeClaimTemplates:{templates}
        """).format(svc=svc, name=name, replicas=replicas, extra=extra_spec, labels=labels,
                    template=template_extra, templates=templates)


TRICKY_TEMPLATE = """\
        env:
        - {name: A, value: "on"}
        - {name: B, value: "0755"}
        - {name: C, value: "1:20"}
        - {name: D, value: "0x1f"}
        - {name: E, value: "~"}
        - {name: F, value: "null"}
        - {name: G, value: "2024-01-05"}
        - {name: H, value: "héllo wörld ✓ 日本語"}
        - {name: I, value: "it's a \\"quoted\\" value: with # signs"}
        - {name: J, value: ""}
        - {name: K, value: "line one\\nline two\\n"}
        - {name: L, value: "- leading dash"}
        - {name: M, value: "%s"}
        - {name: N, value: "tab\\there"}
        - {name: "yes", value: "1e3"}
        args: [[nested, list], [], {}, 1.5, 2.0e10, -3, true, null]
        securityContext: {runAsUser: 1000, privileged: false}
      volumes:
      - {name: data, emptyDir: {}}
      - {name: config, configMap: {name: web-config, defaultMode: 0644}}
""" % ("word " * 40)

TRICKY_LABELS = """\
        team: "no"
        note: "zqstsslot0zq"
"""


def _case(**kwargs: Any) -> Callable[[], RenderResult]:
    options = {k: kwargs.pop(k) for k in ("replicas_option", "version") if k in kwargs}
    return lambda: render_text(_set(**kwargs), replicas=options.get("replicas_option"),
                               version=options.get("version", "1.36"))


CASES: dict[str, Callable[[], RenderResult]] = {
    "plain": _case(replicas=80),
    "tricky": _case(replicas=40, template_extra=TRICKY_TEMPLATE, labels=TRICKY_LABELS),
    "parallel-partition": _case(replicas=60, version="1.35.1", extra_spec=(
        "  podManagementPolicy: Parallel\n  updateStrategy:\n    rollingUpdate: {partition: 7, maxUnavailable: 30%}\n"
        "  ordinals: {start: 5}\n")),
    "scale-down-delete": _case(replicas=30, replicas_option=9, extra_spec=(
        "  persistentVolumeClaimRetentionPolicy: {whenDeleted: Delete, whenScaled: Delete}\n")),
    "scale-down-retain": _case(replicas=30, replicas_option=4, extra_spec=(
        "  persistentVolumeClaimRetentionPolicy: {whenDeleted: Delete, whenScaled: Retain}\n")),
    "scale-up": _case(replicas=3, replicas_option=25),
    "scale-to-zero": _case(replicas=12, replicas_option=0),
    "no-claims-cluster-ip": _case(replicas=50, claims="none", service="cluster-ip"),
    "timestamp-names": _case(replicas=15, name="2024-01", claims="data"),
    "ondelete": _case(replicas=20, service="plain", extra_spec="  updateStrategy: {type: OnDelete}\n"),
}


@functools.cache
def _result(case: str) -> RenderResult:
    return CASES[case]()


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("case", sorted(CASES))
def test_same_output_as_the_reference(case: str, fmt: str) -> None:
    result = _result(case)
    assert not result.problems, result.problems
    context = FormatContext(width=120)
    assert formatter(fmt)(result, context) == _reference(fmt)(result, context)


@pytest.mark.parametrize(("case", "width"), [("tricky", 30), ("tricky", 61), ("parallel-partition", 44),
                                             ("parallel-partition", 200), ("scale-down-retain", 80)])
def test_table_same_as_rich_at_any_width(case: str, width: int) -> None:
    context = FormatContext(width=width)
    assert formatter("table")(_result(case), context) == _reference("table")(_result(case), context)


def test_the_cases_reach_the_unusual_paths() -> None:
    tricky = formatter("yaml")(_result("tricky"), FormatContext())
    assert "value: 'on'" in tricky and "value: '0755'" in tricky and "name: 'yes'" in tricky
    assert "note: zqstsslot0zq" in tricky  # a marker in the data: written by ruamel.yaml, not filled in
    names = formatter("yaml")(_result("timestamp-names"), FormatContext())
    assert "  name: '2024-01-14'\n" in names  # a pod name YAML 1.1 reads as a date is quoted
    assert "  name: 2024-01-5\n" in names  # (a one-digit day is no date without a time)
    assert "retained after the scale-down" in formatter("yaml")(_result("scale-down-retain"), FormatContext())
    table = formatter("table")(_result("plain"), FormatContext(width=120))
    assert "web-0 → web-1 → web-2" in table and table.count("\n") > 500


@pytest.mark.parametrize("fmt", FORMATS)
def test_pieces_are_whole_lines_and_join_to_the_output(fmt: str) -> None:
    result = _result("plain")
    pieces = list(streamer(fmt)(result, FormatContext()))
    assert "".join(pieces) == _reference(fmt)(result, FormatContext())  # the pieces make the whole output
    assert all(piece.endswith("\n") for piece in pieces)


# --- 2,000 pods ----------------------------------------------------------------------------------

@functools.cache
def _large() -> RenderResult:
    result = render_text(_set(replicas=2000))
    assert not result.problems
    return result


@pytest.mark.parametrize("fmt", ["json", "dns", "mermaid"])
def test_large_set_same_as_the_reference(fmt: str) -> None:
    context = FormatContext()
    assert formatter(fmt)(_large(), context) == _reference(fmt)(_large(), context)


def test_large_set_json_holds_the_plan() -> None:
    document = json.loads(formatter("json")(_large(), FormatContext()))
    sts = document["statefulSets"][0]
    assert [p["name"] for p in sts["pods"]] == [f"web-{i}" for i in range(2000)]
    assert len(sts["persistentVolumeClaims"]) == 4000
    assert sts["persistentVolumeClaims"][-1]["name"] == "logs.v1-web-1999"
    assert len(sts["dns"]["records"]) == 2000 * (2 + 2 + 2 + 2)  # A+AAAA, pod A+AAAA, 2 SRV, 2 PTR


def test_large_set_yaml_documents_are_ruamels() -> None:
    from sts_cli.render import yaml_format

    plan = _large().sets[0]
    text = formatter("yaml")(_large(), FormatContext())
    documents = text.split("---\n")[1:]
    assert len(documents) == 2000 * 3
    writer = yaml_format._Writer(plan)
    for ordinal in [0, 1, 2, 997, 1000, 1999, *random.Random(7).sample(range(2000), 20)]:
        pod = plan.pods[ordinal]
        data, logs = plan.claims[2 * ordinal], plan.claims[2 * ordinal + 1]
        expected = [yaml_format._claim_document(c, c.manifest) for c in (data, logs)]
        expected.append(yaml_format._pod_document(plan, pod.manifest, pod.namespace, pod.name))
        assert ["---\n" + d for d in documents[3 * ordinal:3 * ordinal + 3]] == [writer.dump(d) for d in expected]


def test_large_set_yaml_reads_back_as_the_plan() -> None:
    plan = _large().sets[0]
    docs = list(yaml.load_all(formatter("yaml")(_large(), FormatContext()), Loader=yaml.CSafeLoader))
    expected: list[Any] = []
    for index, pod in enumerate(plan.pods):
        expected += [plan.claims[2 * index].manifest, plan.claims[2 * index + 1].manifest, pod.manifest]
    assert docs == expected


def test_large_set_table_rows() -> None:
    text = formatter("table")(_large(), FormatContext(width=120))
    lines = text.splitlines()
    assert "│ 1999    │ web-1999       │ web-1999.nginx.default.svc.cluster.local │ data → data-web-1999" in text
    assert sum(1 for line in lines if line.startswith("│ data-web-")) == 2000
    assert all(line == line.rstrip() for line in lines)
    width = {len(line) for line in lines if line.startswith("│ logs.v1-web-")}
    assert len(width) == 1  # every PVC row is as wide as the table


# --- the lazy lists ------------------------------------------------------------------------------

def test_lazy_list_behaves_as_a_list() -> None:
    made: list[int] = []

    def item(i: int) -> int:
        made.append(i)
        return i * 10

    def negative(i: int) -> int:
        return -i

    lazy: LazyList[int] = LazyList([(3, item), (0, item), (2, negative)])
    assert made == []
    assert len(lazy) == 5 and lazy[0] == 0 and lazy[2] == 20 and lazy[3] == 0 and lazy[4] == -1 and lazy[-1] == -1
    assert lazy[1:4] == [10, 20, 0]
    assert list(lazy) == [0, 10, 20, 0, -1] and lazy == [0, 10, 20, 0, -1] and lazy != [0]
    assert LazyList[int]() == [] and not LazyList[int]()
    with pytest.raises(IndexError):
        lazy[5]


@pytest.mark.parametrize(("case", "width"), [("scale-down-retain", 100), ("tricky", 30), ("tricky", 120),
                                             ("parallel-partition", 44), ("plain", 200), ("scale-up", 80),
                                             ("scale-to-zero", 61), ("no-claims-cluster-ip", 120),
                                             ("timestamp-names", 50), ("ondelete", 120)])
def test_colour_table_same_as_the_reference(case: str, width: int) -> None:
    context = FormatContext(width=width, color=True)
    text = formatter("table")(_result(case), context)
    assert "\x1b[1m" in text and "\x1b[3mOrder" in text  # bold header cells, italic titles
    assert text == _reference("table")(_result(case), context)


def test_colour_table_rows_written_directly(monkeypatch: pytest.MonkeyPatch) -> None:
    """With colour too, rich draws only the one-row stand-ins, not the body rows."""
    from sts_cli.render import table_format

    drawn: list[int] = []
    real = table_format._print

    def counting(console: Any, block: Any) -> None:
        if isinstance(block, table_format._Table):
            drawn.append(sum(1 for _ in block.rows()))
        real(console, block)

    monkeypatch.setattr(table_format, "_print", counting)
    text = formatter("table")(_large(), FormatContext(width=120, color=True))
    assert drawn and set(drawn) == {1}
    assert sum(1 for line in text.splitlines() if line.startswith("│ data-web-")) == 2000


def test_styled_stand_in_rows_fall_back_to_rich() -> None:
    from sts_cli.render import table_format

    plain = ["Pods", "┌─────┐", "│ x   │", "└─────┘"]
    assert table_format._frame(plain, show_header=False) == ([5], ["Pods", "┌─────┐"], "└─────┘")
    styled = ["Pods", "┌─────┐", "│ \x1b[1mx\x1b[0m   │", "└─────┘"]
    assert table_format._frame(styled, show_header=False) is None
