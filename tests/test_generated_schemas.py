"""Checks on the bundled Kubernetes schemas in ``schemas/kubernetes/`` (see scripts/generate_schemas.py)."""

from __future__ import annotations

import copy
import functools
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

SCHEMA_DIR = Path(__file__).resolve().parents[1] / "schemas" / "kubernetes"
EXPECTED_VERSIONS = [f"1.{minor}" for minor in range(30, 38)]
STATEFULSET = "io.k8s.api.apps.v1.StatefulSet"
SERVICE = "io.k8s.api.core.v1.Service"
ROOTS = {"apps/v1/StatefulSet": STATEFULSET, "v1/Service": SERVICE}
INT_RANGES = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}

# The canonical example from https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/
WEB_STATEFULSET: dict[str, Any] = {
    "apiVersion": "apps/v1",
    "kind": "StatefulSet",
    "metadata": {"name": "web"},
    "spec": {
        "selector": {"matchLabels": {"app": "nginx"}},
        "serviceName": "nginx",
        "replicas": 3,
        "minReadySeconds": 10,
        "template": {
            "metadata": {"labels": {"app": "nginx"}},
            "spec": {
                "terminationGracePeriodSeconds": 10,
                "containers": [
                    {
                        "name": "nginx",
                        "image": "registry.k8s.io/nginx-slim:0.24",
                        "ports": [{"containerPort": 80, "name": "web"}],
                        "volumeMounts": [{"name": "www", "mountPath": "/usr/share/nginx/html"}],
                    }
                ],
            },
        },
        "volumeClaimTemplates": [
            {
                "metadata": {"name": "www"},
                "spec": {
                    "accessModes": ["ReadWriteOnce"],
                    "storageClassName": "my-storage-class",
                    "resources": {"requests": {"storage": "1Gi"}},
                },
            }
        ],
    },
}

NGINX_SERVICE: dict[str, Any] = {
    "apiVersion": "v1",
    "kind": "Service",
    "metadata": {"name": "nginx", "labels": {"app": "nginx"}},
    "spec": {
        "ports": [{"port": 80, "name": "web"}],
        "clusterIP": "None",
        "selector": {"app": "nginx"},
    },
}


def _version_of(path: Path) -> str:
    match = re.fullmatch(r"v(\d+\.\d+)\.json", path.name)
    assert match, path
    return match.group(1)


def _schema_files() -> dict[str, Path]:
    return {_version_of(p): p for p in sorted(SCHEMA_DIR.glob("v*.json"))}


@functools.cache
def load(version: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SCHEMA_DIR / f"v{version}.json").read_text(encoding="utf-8"))
    return data


@functools.cache
def validator(version: str, root: str) -> Draft202012Validator:
    schema = load(version)
    return Draft202012Validator({**schema, "$ref": "#/$defs/" + root})


def subschemas(node: Any, path: str = "#") -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield every (JSON pointer, schema) below ``node``; property names are not mistaken for keywords."""
    if not isinstance(node, dict):
        return
    yield path, node
    for key in ("properties", "patternProperties", "$defs"):
        for name, sub in node.get(key, {}).items():
            yield from subschemas(sub, f"{path}/{key}/{name}")
    for key in ("items", "additionalProperties", "not", "contains"):
        yield from subschemas(node.get(key), f"{path}/{key}")
    for key in ("oneOf", "anyOf", "allOf", "prefixItems"):
        for i, sub in enumerate(node.get(key, [])):
            yield from subschemas(sub, f"{path}/{key}/{i}")


def _types(schema: dict[str, Any]) -> list[str]:
    t = schema.get("type", [])
    return [t] if isinstance(t, str) else list(t)


def errors_for(version: str, root: str, doc: dict[str, Any]) -> list[tuple[list[Any], str]]:
    return [(list(e.absolute_path), e.validator) for e in validator(version, root).iter_errors(doc)]


versions = pytest.mark.parametrize("version", EXPECTED_VERSIONS)


def test_all_versions_present() -> None:
    assert sorted(_schema_files(), key=lambda v: tuple(map(int, v.split(".")))) == EXPECTED_VERSIONS


@versions
def test_shape(version: str) -> None:
    schema = load(version)
    assert set(schema) == {"$schema", "$id", "title", "x-kubernetes-version", "x-source", "x-roots", "$defs"}
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == f"https://sts.invalid/schemas/kubernetes/v{version}.json"
    assert isinstance(schema["title"], str) and schema["title"]
    assert schema["x-kubernetes-version"] == version
    source = schema["x-source"]
    assert set(source) == {"package", "version", "folder", "sha256"}
    assert source["package"] == "kubernetes-validate"
    assert re.fullmatch(r"\d+\.\d+\.\d+", source["version"])
    assert source["folder"] == f"v{version}.0-local-strict"
    assert re.fullmatch(r"[0-9a-f]{64}", source["sha256"])
    assert schema["x-roots"] == ROOTS
    for definition in ROOTS.values():
        assert schema["$defs"][definition]["type"] == "object"


def test_single_source_for_all_versions() -> None:
    sources = {
        json.dumps({k: v for k, v in load(v)["x-source"].items() if k != "folder"}) for v in EXPECTED_VERSIONS
    }
    assert len(sources) == 1


@versions
def test_is_valid_draft_2020_12_schema(version: str) -> None:
    Draft202012Validator.check_schema(load(version))


@versions
def test_refs_resolve_and_every_definition_is_reachable(version: str) -> None:
    defs = load(version)["$defs"]
    edges: dict[str, set[str]] = {}
    for name, definition in defs.items():
        edges[name] = set()
        for where, sub in subschemas(definition, f"#/$defs/{name}"):
            if "$ref" in sub:
                ref = sub["$ref"]
                assert ref.startswith("#/$defs/"), (where, ref)
                target = ref.removeprefix("#/$defs/")
                assert target in defs, (where, ref)
                edges[name].add(target)
    seen: set[str] = set()
    todo = list(ROOTS.values())
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(edges[name])
    assert seen == set(defs)


@versions
def test_descriptions_stripped_bounds_added_objects_strict(version: str) -> None:
    for where, sub in subschemas(load(version)):
        assert "description" not in sub, where
        if "integer" in _types(sub) and sub.get("format") in INT_RANGES:
            lo, hi = INT_RANGES[sub["format"]]
            assert lo <= sub["minimum"] <= sub["maximum"] <= hi, where
        if "object" in _types(sub) and "properties" in sub:
            assert sub.get("additionalProperties") is False, where


@versions
def test_known_definitions(version: str) -> None:
    defs = load(version)["$defs"]
    assert defs["io.k8s.api.core.v1.Container"]["additionalProperties"] is False
    assert defs["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"]["additionalProperties"] is False
    labels = defs["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"]["properties"]["labels"]
    assert labels["additionalProperties"] == {"type": ["string", "null"]}
    assert "ordinals" in defs["io.k8s.api.apps.v1.StatefulSetSpec"]["properties"]
    replicas = defs["io.k8s.api.apps.v1.StatefulSetSpec"]["properties"]["replicas"]
    assert replicas == {
        "type": ["integer", "null"],
        "format": "int32",
        "minimum": -(2**31),
        "maximum": 2**31 - 1,
    }
    sts_props = defs[STATEFULSET]["properties"]
    assert sts_props["apiVersion"]["enum"] == ["apps/v1"]
    assert sts_props["kind"]["enum"] == ["StatefulSet"]
    assert defs[SERVICE]["properties"]["kind"]["enum"] == ["Service"]


@versions
@pytest.mark.parametrize(("root", "doc"), [(STATEFULSET, WEB_STATEFULSET), (SERVICE, NGINX_SERVICE)])
def test_canonical_example_is_valid(version: str, root: str, doc: dict[str, Any]) -> None:
    assert errors_for(version, root, doc) == []


def _set(path: list[Any], value: Any) -> Callable[[dict[str, Any]], None]:
    def mutate(doc: dict[str, Any]) -> None:
        node = doc
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return mutate


CONTAINER = ["spec", "template", "spec", "containers", 0]
INVALID_STATEFULSETS = {
    "unknown field spec.replica": (_set(["spec", "replica"], 3), (["spec"], "additionalProperties")),
    "replicas as string": (_set(["spec", "replicas"], "3"), (["spec", "replicas"], "type")),
    "replicas above int32": (_set(["spec", "replicas"], 4294967296), (["spec", "replicas"], "maximum")),
    "unknown field in container": (
        _set([*CONTAINER, "imagePolicy"], "Always"),
        (CONTAINER, "additionalProperties"),
    ),
    "wrong kind": (_set(["kind"], "Deployment"), (["kind"], "enum")),
    "container port as string": (
        _set([*CONTAINER, "ports", 0, "containerPort"], "80"),
        ([*CONTAINER, "ports", 0, "containerPort"], "type"),
    ),
    "unknown field in metadata": (
        _set(["metadata", "label"], {"a": "b"}),
        (["metadata"], "additionalProperties"),
    ),
}


@versions
@pytest.mark.parametrize("case", sorted(INVALID_STATEFULSETS))
def test_invalid_statefulset_is_rejected(version: str, case: str) -> None:
    mutate, expected = INVALID_STATEFULSETS[case]
    doc = copy.deepcopy(WEB_STATEFULSET)
    mutate(doc)
    errors = errors_for(version, STATEFULSET, doc)
    assert expected in errors, errors


PORT = ["spec", "ports", 0]
INVALID_SERVICES = {
    "unknown field spec.clusterIp": (_set(["spec", "clusterIp"], "None"), (["spec"], "additionalProperties")),
    "port as string": (_set([*PORT, "port"], "80"), ([*PORT, "port"], "type")),
    "targetPort above int32": (_set([*PORT, "targetPort"], 2**31), ([*PORT, "targetPort"], "maximum")),
    "targetPort as float": (_set([*PORT, "targetPort"], 80.5), ([*PORT, "targetPort"], "type")),
}


@versions
@pytest.mark.parametrize("case", sorted(INVALID_SERVICES))
def test_invalid_service_is_rejected(version: str, case: str) -> None:
    mutate, expected = INVALID_SERVICES[case]
    doc = copy.deepcopy(NGINX_SERVICE)
    mutate(doc)
    errors = errors_for(version, SERVICE, doc)
    assert expected in errors, errors


@versions
def test_int_or_string_quantity_and_null_are_accepted(version: str) -> None:
    service = copy.deepcopy(NGINX_SERVICE)
    for target_port in ("web", 8080, None):
        service["spec"]["ports"][0]["targetPort"] = target_port
        assert errors_for(version, SERVICE, service) == [], target_port
    sts = copy.deepcopy(WEB_STATEFULSET)
    requests = sts["spec"]["volumeClaimTemplates"][0]["spec"]["resources"]["requests"]
    for storage in ("1Gi", 1073741824, 1.5):
        requests["storage"] = storage
        assert errors_for(version, STATEFULSET, sts) == [], storage
    sts["spec"]["replicas"] = None  # the API server treats null as absent
    assert errors_for(version, STATEFULSET, sts) == []
