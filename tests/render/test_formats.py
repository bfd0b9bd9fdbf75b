"""The output formats: YAML objects pass the bundled schemas, JSON matches its schema, DNS and Mermaid text."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from sts_cli.render import FormatContext, formatter
from sts_cli.render.plan import RenderResult
from sts_cli.schemas import load_bundle, supported_versions
from tests.render.helpers import render_text
from tests.render.test_plan import BROKEN, SEVERAL_PORTS, TWO_CLAIMS, WEB, _policy

REPO = Path(__file__).resolve().parents[2]
RENDER_SCHEMA = REPO / "schemas" / "output" / "render.schema.json"


def _out(result: RenderResult, fmt: str) -> str:
    return formatter(fmt)(result, FormatContext(width=120))


@functools.cache
def _validator(version: str, definition: str) -> jsonschema.Draft202012Validator:
    bundle = load_bundle(version)
    return jsonschema.Draft202012Validator({**bundle, "$ref": f"#/$defs/{definition}"})


def _schema_errors(doc: dict[str, Any], version: str) -> list[str]:
    if doc["kind"] == "Pod":
        checks = [(doc["metadata"], "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"),
                  (doc["spec"], "io.k8s.api.core.v1.PodSpec")]
        assert set(doc) == {"apiVersion", "kind", "metadata", "spec"}
    else:
        checks = [(doc, "io.k8s.api.core.v1.PersistentVolumeClaim")]
    return [f"{doc['kind']} {doc['metadata']['name']}: {e.message}"
            for instance, definition in checks for e in _validator(version, definition).iter_errors(instance)]


CASES = {
    "web": WEB,
    "two-claims": TWO_CLAIMS,
    "several-ports": SEVERAL_PORTS,
    "delete-delete": _policy("Delete", "Delete"),
}


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("version", [supported_versions()[0], supported_versions()[-1]])
def test_yaml_objects_pass_the_bundled_schemas(case: str, version: str) -> None:
    docs = list(yaml.safe_load_all(_out(render_text(CASES[case]), "yaml")))
    assert docs
    errors = [e for doc in docs for e in _schema_errors(doc, version)]
    assert errors == []


def test_yaml_is_in_creation_order_with_claims_before_their_pod() -> None:
    docs = list(yaml.safe_load_all(_out(render_text(TWO_CLAIMS), "yaml")))
    assert [(d["kind"], d["metadata"]["name"]) for d in docs] == [
        ("PersistentVolumeClaim", "data-web-4"), ("PersistentVolumeClaim", "logs-web-4"), ("Pod", "web-4"),
        ("PersistentVolumeClaim", "data-web-5"), ("PersistentVolumeClaim", "logs-web-5"), ("Pod", "web-5"),
    ]


def test_yaml_marks_run_time_values_with_comments() -> None:
    text = _out(render_text(WEB), "yaml")
    assert "# controller-revision-hash: web-<hash> is added at run time" in text
    assert "uid: <uid:StatefulSet/web>  # placeholder: the uid is assigned by the API server" in text
    assert "controller-revision-hash:" not in "\n".join(
        line for line in text.splitlines() if not line.lstrip().startswith("#"))


def test_yaml_retained_claims_after_scale_down() -> None:
    docs = list(yaml.safe_load_all(_out(render_text(_policy("Delete", "Retain"), replicas=1), "yaml")))
    assert [(d["kind"], d["metadata"]["name"]) for d in docs] == [
        ("PersistentVolumeClaim", "www-web-0"), ("Pod", "web-0"), ("PersistentVolumeClaim", "www-web-1")]
    assert docs[2]["metadata"]["ownerReferences"][0]["kind"] == "StatefulSet"


def test_yaml_zero_replicas_is_a_comment() -> None:
    text = _out(render_text(WEB.replace("replicas: 3", "replicas: 0")), "yaml")
    assert text == "# StatefulSet default/web: 0 replicas, no Pod or PVC is created\n"
    assert list(yaml.safe_load_all(text)) == []


@functools.cache
def _render_schema() -> jsonschema.Draft202012Validator:
    schema = json.loads(RENDER_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize(("text", "kwargs"), [
    (WEB, {}), (TWO_CLAIMS, {}), (SEVERAL_PORTS, {}), (BROKEN, {}),
    (_policy("Delete", "Delete"), {"replicas": 1}), (_policy("Retain", "Retain"), {"replicas": 5}),
    (WEB.replace("replicas: 3", "replicas: 0"), {}),
    (WEB.replace("clusterIP: None", "clusterIP: 10.0.0.1"), {"version": "1.35.1"}),
    (WEB.replace("clusterIP: None", "type: ExternalName\n  externalName: x.example"), {}),
])
def test_json_matches_its_schema(text: str, kwargs: dict[str, Any]) -> None:
    document = json.loads(_out(render_text(text, **kwargs), "json"))
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in _render_schema().iter_errors(document)]
    assert errors == []


def test_json_schema_rejects_a_wrong_document() -> None:
    document = json.loads(_out(render_text(WEB), "json"))
    document["statefulSets"][0]["pods"][0]["ownerReferences"][0]["uid"] = "1234"
    del document["statefulSets"][0]["order"]["creation"]
    assert len(list(_render_schema().iter_errors(document))) == 2


def test_json_orders_and_records() -> None:
    text = WEB.replace("replicas: 3", "replicas: 3\n  ordinals:\n    start: 2\n  updateStrategy:\n"
                                      "    rollingUpdate:\n      partition: 1")
    sts = json.loads(_out(render_text(text), "json"))["statefulSets"][0]
    assert sts["order"]["creation"] == ["web-2", "web-3", "web-4"]
    assert sts["order"]["creationWaves"] == [["web-2"], ["web-3"], ["web-4"]]
    assert sts["order"]["scaleDown"] == ["web-4", "web-3", "web-2"]
    assert sts["order"]["update"]["order"] == ["web-4", "web-3"]
    assert sts["order"]["update"]["kept"] == ["web-2"]
    assert sts["ordinals"] == {"start": 2, "end": 4}
    assert sts["pods"][0]["labels"]["controller-revision-hash"] == "<assigned at run time>"
    assert sts["pods"][0]["ownerReferences"][0]["uid"] is None
    srv = [r for r in sts["dns"]["records"] if r["type"] == "SRV"]
    assert [r["target"] for r in srv] == [f"web-{i}.nginx.default.svc.cluster.local" for i in (2, 3, 4)]


def test_json_problems_have_positions() -> None:
    document = json.loads(_out(render_text(BROKEN), "json"))
    assert [(p["rule"], p["line"]) for p in document["problems"]] == [
        ("render-no-name", 4), ("render-selector-mismatch", 18), ("render-no-selector", 28)]


def test_dns_zone_lines() -> None:
    lines = _out(render_text(WEB), "dns").splitlines()
    assert lines[0] == "$TTL 5"
    records = [line.split(" ;")[0].split() for line in lines if line and not line.startswith((";", "$"))]
    assert records[0] == ["nginx.default.svc.cluster.local.", "5", "IN", "A", "<ipv4:web-0>"]
    assert ["_web._tcp.nginx.default.svc.cluster.local.", "5", "IN", "SRV", "0", "33", "80",
            "web-1.nginx.default.svc.cluster.local."] in records
    assert ["<ipv4-reversed:web-2>.in-addr.arpa.", "5", "IN", "PTR", "web-2.nginx.default.svc.cluster.local."] \
        in records
    assert len(records) == 12


def test_dns_without_per_pod_records_says_why() -> None:
    text = _out(render_text(WEB.replace("name: nginx\nspec:", "name: other\nspec:")), "dns")
    assert "; Service default/nginx is not in the input" in text
    assert "; no per-pod records will exist" in text
    assert ";   web-0.nginx.default.svc.cluster.local" in text
    assert " IN " not in text


def test_mermaid_diagram() -> None:
    text = _out(render_text(TWO_CLAIMS), "mermaid")
    lines = text.splitlines()
    assert lines[0] == "flowchart TB"
    assert '    s0_pod_web_4("Pod web-4<br/>web-4.nginx.shop.svc.cluster.local")' not in text  # service missing
    assert '    s0_pod_web_4("Pod web-4<br/>no DNS record")' in lines
    assert '    s0_pvc_data_web_4[("PVC data-web-4<br/>10Gi ReadWriteOnce fast")]' in lines
    assert "    s0_pod_web_4 -->|logs| s0_pvc_logs_web_4" in lines
    assert '    s0_svc_nginx{{"Service nginx (not in the input)"}}' in lines
    web = _out(render_text(WEB), "mermaid")
    assert "    s0_svc_nginx -.-> s0_pod_web_2" in web.splitlines()


def test_mermaid_escapes_labels() -> None:
    from sts_cli.render.mermaid_format import label, node_id

    assert label('a "b"', "<c>") == '"a #quot;b#quot;<br/>#lt;c#gt;"'
    assert node_id("s0", "pod", "web-0.x") == "s0_pod_web_0_x"


def test_table_readable_summary() -> None:
    text = _out(render_text(TWO_CLAIMS), "table")
    assert "StatefulSet shop/web  (test.yaml:2)" in text
    assert "No per-pod DNS records: Service shop/nginx is not in the input" in text
    assert "data → data-web-4" in text and "logs → logs-web-5" in text
    assert "web-4 → web-5  (one at a time, each Ready first)" in text
    assert "web-5 → web-4  (highest first, one at a time)" in text
    assert "(no DNS record)" in text
    assert all(line == line.rstrip() for line in text.splitlines())


def test_table_scale_preview_and_parallel() -> None:
    text = _out(render_text(_policy("Retain", "Delete").replace("replicas: 2", "replicas: 2\n  podManagementPolicy: "
                                                               "Parallel"), replicas=4), "table")
    assert "web-0 + web-1 + web-2 + web-3  (all at once)" in text
    assert "Scale 2 → 4: add" in text and "web-2 + web-3" in text
    text = _out(render_text(_policy("Retain", "Delete"), replicas=0), "table")
    assert "Scale 2 → 0: remove" in text and "web-1 → web-0" in text
    assert "PVCs deleted" in text and "www-web-0, www-web-1" in text
