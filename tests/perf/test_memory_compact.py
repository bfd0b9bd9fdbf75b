"""Compact slim copies: decoded only when read, located like the full object, read as written.

`validate` keeps each checked object as a `CompactObject` (bytes) and builds the views of the rules
of scope "set" from it; these tests pin what that representation promises. That the findings are
the same as over the full objects is tested in test_slim_objects.py.
"""

from __future__ import annotations

import pickle
import sys
from pathlib import Path
from typing import Any

import pytest

from sts_cli import engine, parallel
from sts_cli.documents import ManifestObject, load_source
from sts_cli.engine import ValidateOptions
from sts_cli.filecheck import BlockStore, CompactObject, check_source, restore_compact
from sts_cli.model import service_view, statefulset_view, string_map
from sts_cli.sources import Source
from sts_cli.suppress import object_suppressions
from tests.conftest import REPO
from tests.perf.helpers import all_paths

sys.path.insert(0, str(REPO / "benchmarks"))
from corpus import generate

OPTIONS = ValidateOptions("1.33")

STS = """\
# Source: chart/templates/web.yaml
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
  namespace: shop
  annotations:
    ignore-check.sts.io/pdb-missing: "one replica"
spec:
  serviceName: web
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata:
      labels: {app: web, tier: front}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports: [{name: http, containerPort: 8080, hostPort: 80}]
        readinessProbe: {httpGet: {path: /, port: http}}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  clusterIP: None
  sessionAffinity: ClientIP
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: http, nodePort: 30080}]
---
apiVersion: v1
kind: Service
metadata: {name: odd}
spec:
  selector: [app, web]
  ports: "80"
  type: 3
"""


def checked() -> tuple[list[ManifestObject], list[CompactObject]]:
    full = load_source(Source("web.yaml", STS.encode())).objects
    result = check_source(Source("web.yaml", STS.encode()), OPTIONS)
    compact = result.loaded.objects
    assert all(isinstance(obj, CompactObject) for obj in compact)
    return full, compact  # type: ignore[return-value]


def test_identity_and_start_are_read_without_decoding() -> None:
    full, compact = checked()
    for whole, obj in zip(full, compact, strict=True):
        assert (obj.kind, obj.api_version, obj.name, obj.namespace) == \
            (whole.kind, whole.api_version, whole.name, whole.namespace)
        assert obj.location() == whole.location()
        assert obj.key == whole.key and obj.display_name() == whole.display_name()
        assert obj.helm == whole.helm
        assert obj._decoded() is None  # nothing decoded so far
    assert [obj.suppressible for obj in compact] == [True, False, False]
    assert object_suppressions(compact[1]) == [] and compact[1]._decoded() is None


def test_peek_decodes_without_keeping_and_data_is_kept_once_read() -> None:
    _, compact = checked()
    obj = compact[0]
    first = obj.peek()
    assert obj._decoded() is None and obj.peek() is not first  # decoded again each time
    data = obj.data
    assert obj._decoded() is data and obj.data is data and obj.peek() is data
    with pytest.raises(AttributeError):
        obj.data = {}


def test_every_kept_field_is_located_as_in_the_full_object() -> None:
    full, compact = checked()
    located = 0
    for whole, obj in zip(full, compact, strict=True):
        for path in all_paths(obj.data):
            for at_value in (False, True):
                assert obj.location(path, at_value) == whole.location(path, at_value), path
                located += 1
        # A dropped field is located at the deepest part of its path that was kept.
        assert obj.get(("spec", "sessionAffinity")) is None
    assert located > 60
    dropped = ("spec", "ports", 0, "nodePort")
    assert compact[1].location(dropped) == full[1].location(("spec", "ports", 0))


def test_mistyped_fields_are_read_as_written() -> None:
    full, compact = checked()
    for path in (("spec", "selector"), ("spec", "ports"), ("spec", "type")):
        assert compact[2].get(path) == full[2].get(path)
    assert compact[2].get(("spec", "selector")) == ["app", "web"]
    view, reference = service_view(compact[2], "default"), service_view(full[2], "default")
    assert (view.selector, view.ports, view.type, view.headless) == \
        (reference.selector, reference.ports, reference.type, reference.headless)


def test_shared_buffer_and_pickling_keep_the_same_object() -> None:
    full, compact = checked()
    buffer = bytearray(b"unrelated")
    spans = [obj.stored_in(buffer) for obj in compact]
    for whole, obj, (at, size) in zip(full, compact, spans, strict=True):
        stored = restore_compact(obj.origin, obj.document, obj.start, obj.item, obj.helm, obj.identity(), buffer,
                                 at, size)
        copy = pickle.loads(pickle.dumps(stored))
        for other in (stored, copy):
            assert other.data == obj.data and other.size == obj.size
            assert other.location(("metadata", "name"), True) == whole.location(("metadata", "name"), True)
        assert copy.encoded() == obj.encoded() and type(copy._blob) is bytes


def test_views_of_compact_objects_read_like_views_of_full_ones() -> None:
    full, compact = checked()
    view, reference = statefulset_view(compact[0], "default"), statefulset_view(full[0], "default")
    for name in ("name", "namespace", "replicas", "ordinals_start", "service_name", "selector", "template_labels",
                 "pod_management_policy"):
        assert getattr(view, name) == getattr(reference, name), name
    assert view.container_ports() == [p for p in reference.container_ports()]
    assert view.containers()[0]["readinessProbe"] == {}  # present: the slim copy keeps no probe body
    assert compact[0]._decoded() is None  # the pod spec is decoded when read, not kept
    services = service_view(compact[1], "default"), service_view(full[1], "default")
    assert services[0].ports == services[1].ports and services[0].headless


def test_string_map_shares_clean_mappings_and_copies_the_others() -> None:
    clean = {"app": "web"}
    assert string_map(clean) is clean
    mixed: dict[Any, Any] = {"app": "web", "n": 1, 2: "two"}
    assert string_map(mixed) == {"app": "web", "2": "two"}
    assert string_map(None) == {} and string_map(["a"]) == {}


def test_a_large_stream_checked_in_parts_gives_the_whole_result(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    generate(tmp_path, 60, seed=5, broken=0.3)
    bundle = max(tmp_path.rglob("*.yaml"), key=lambda p: p.stat().st_size)
    data = bundle.read_bytes()
    assert data.count(b"\n---") > 20
    monkeypatch.setattr(parallel, "PART_BYTES", len(data) // 7)
    whole = check_source(Source(str(bundle), data), OPTIONS)
    monkeypatch.setattr(parallel, "_check_read", lambda *_: pytest.fail("the stream was read whole"))
    parted = parallel._check_file_in_parts(str(bundle), OPTIONS)
    assert parted.loaded.documents == whole.loaded.documents
    assert parted.loaded.findings == whole.loaded.findings
    assert parted.rule_findings == whole.rule_findings
    assert [(o.key, o.location(), o.data) for o in parted.loaded.objects] == \
        [(o.key, o.location(), o.data) for o in whole.loaded.objects]
    assert [(r.kind, r.findings) for r in parted.results] == [(r.kind, r.findings) for r in whole.results]


def test_the_parent_keeps_a_few_hundred_bytes_per_object(tmp_path: Path) -> None:
    generate(tmp_path, 300, seed=3, broken=0.05)
    files = sorted(str(p) for p in tmp_path.rglob("*") if p.is_file())
    collected = engine._collect((check_source(Source(p, Path(p).read_bytes()), OPTIONS) for p in files), OPTIONS)
    assert all(not source.objects for source in collected.loaded)  # nothing but bytes until `_expand`
    engine._expand(collected)
    assert collected.object_count == 300
    assert len(collected.store) / collected.object_count < 1000
    assert collected.store.stored / collected.object_count < 250  # deflated by blocks
    assert all(obj._decoded() is None for obj in collected.kept_statefulsets + collected.kept_services)


def test_block_store_reads_back_every_span(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(BlockStore, "BLOCK", 64)
    store = BlockStore()
    pieces = [bytes([n % 251]) * (n * 7 % 150) + str(n).encode() for n in range(200)]
    spans = [(store.append(piece), len(piece)) for piece in pieces]
    assert len(store) == sum(len(piece) for piece in pieces)
    assert store.stored < len(store)  # full blocks are deflated, the tail is kept as it is
    for piece, (at, size) in zip(pieces, spans, strict=True):  # in order, then in any order
        assert store.read(at, size) == piece
    for piece, (at, size) in reversed(list(zip(pieces, spans, strict=True))):
        assert store.read(at, size) == piece
    assert store.read(len(store), 0) == b""
    with pytest.raises(IndexError):
        store.read(len(store) - 1, 2)


def test_compact_objects_in_a_block_store_read_and_pickle_as_their_own(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(BlockStore, "BLOCK", 256)
    full, compact = checked()
    store = BlockStore()
    store.append(b"unrelated")
    spans = [obj.stored_in(store) for obj in compact]
    for whole, obj, (at, size) in zip(full, compact, spans, strict=True):
        stored = restore_compact(obj.origin, obj.document, obj.start, obj.item, obj.helm, obj.identity(), store,
                                 at, size)
        assert stored.encoded() == obj.encoded()
        assert stored.stored_in(BlockStore()) == (0, obj.size)
        copy = pickle.loads(pickle.dumps(stored))
        for other in (stored, copy):
            assert other.data == obj.data and other.peek() == obj.data
            assert other.location(("metadata", "name"), True) == whole.location(("metadata", "name"), True)
        assert type(copy._blob) is bytes


def test_views_built_with_shared_tables_share_equal_maps_and_ports() -> None:
    from sts_cli.model import Shared

    _full, compact = checked()
    twin = STS.replace("name: web\n  namespace: shop", "name: web2\n  namespace: shop")
    objects = [*compact, *check_source(Source("twin.yaml", twin.encode()), OPTIONS).loaded.objects]
    shared = Shared()
    sets = [statefulset_view(obj, "default", shared) for obj in objects if obj.kind == "StatefulSet"]
    services = [service_view(obj, "default", shared) for obj in objects if obj.kind == "Service"]
    alone = [statefulset_view(obj, "default") for obj in objects if obj.kind == "StatefulSet"]
    assert [v.selector for v in sets] == [v.selector for v in alone]
    assert sets[0].selector.match_labels is sets[1].selector.match_labels
    assert sets[0].selector.match_labels is services[0].selector  # {app: web} on both
    assert services[0].ports is services[2].ports and services[0].ports == service_view(compact[1], "x").ports
    assert services[1].selector == {} and services[1].ports == []
    # The same entries in another order stay apart: a shared map reads exactly as the object's own.
    first, second = shared.map({"a": "1", "b": "2"}), shared.map({"b": "2", "a": "1"})
    assert list(first) == ["a", "b"] and list(second) == ["b", "a"]
    # Tables are keyed by hash: a different value under the same hash is never taken for it.
    other = {"c": "3"}
    shared.maps[hash(tuple(other.items()))] = {"d": "4"}
    assert shared.map(other) is other
    ports = services[0].ports
    shared.ports[hash(tuple(services[1].ports))] = ports
    assert shared.port_list(services[1].ports) is services[1].ports


def test_checked_objects_work_out_location_and_key_as_given_ones() -> None:
    full, compact = checked()
    for whole, obj in zip(full, compact, strict=True):
        made = engine.CheckedObject.at(obj.origin, obj.document, obj.name, "Service", obj.start, obj.item, [])
        given = engine.CheckedObject(whole.origin, whole.document, whole.name, "Service", whole.location(),
                                     whole.key, [])
        assert (made.location, made.key) == (whole.location(), whole.key) and made == given
        assert pickle.loads(pickle.dumps(made)) == given
        made.location = engine.Location("elsewhere.yaml", 3, 4, 0)
        assert made.location.file == "elsewhere.yaml" and made != given
    assert engine.CheckedObject("a", 0, "x" * 5000, "k", engine.Location("a"), "key").name != "x" * 5000


def test_objects_without_findings_share_one_empty_list(tmp_path: Path) -> None:
    generate(tmp_path, 40, seed=4, broken=0.3)
    result = engine.validate([str(tmp_path)], OPTIONS)
    assert engine._NO_FINDINGS == []
    with_findings = [c for c in result.objects if c.findings]
    assert with_findings and len({id(c.findings) for c in with_findings}) == len(with_findings)
    assert all(f.object_key == c.key for c in with_findings for f in c.findings)
    assert sum(len(c.findings) for c in result.objects) == sum(1 for f in result.findings if f.object_key)


def test_positions_and_spans_are_packed_into_one_number_where_they_fit() -> None:
    from sts_cli.pairs import pack_pair, unpack_pair

    for pair in ((0, 0), (12, 7), (10**9, 2**32 - 1), (2**40, 5)):
        packed = pack_pair(pair)
        assert isinstance(packed, int) and unpack_pair(packed) == pair
    for pair in ((3, 2**32), (-1, 0), (0, -1)):
        assert pack_pair(pair) == pair and unpack_pair(pack_pair(pair)) == pair
    _full, compact = checked()
    far = restore_compact("x.yaml", 0, (5, 2**33), None, None, compact[0].identity(), compact[0].encoded())
    assert far.start == (5, 2**33) and far.location() == engine.Location("x.yaml", 6, 2**33 + 1, 0)
    near = restore_compact("x.yaml", 0, (5, 3), None, None, compact[0].identity(), compact[0].encoded())
    assert isinstance(near.packed_start, int) and near.start == (5, 3) and near.data == compact[0].data
    made = engine.CheckedObject.at("x.yaml", 0, "web", "StatefulSet", near.packed_start, None, [])
    assert (made.location, made.key) == (near.location(), near.key)


def test_views_are_built_in_input_order_in_one_pass(tmp_path: Path) -> None:
    generate(tmp_path, 60, seed=6, broken=0.1)
    files = sorted(str(p) for p in tmp_path.rglob("*") if p.is_file())
    collected = engine._collect((check_source(Source(p, Path(p).read_bytes()), OPTIONS) for p in files), OPTIONS)
    engine._expand(collected)
    assert sum(collected.kept_order) == len(collected.kept_statefulsets)
    assert len(collected.kept_order) == len(collected.kept_statefulsets) + len(collected.kept_services)
    engine._views(collected, "default")
    assert [v.obj for v in collected.statefulsets] == collected.kept_statefulsets
    assert [v.obj for v in collected.services] == collected.kept_services
    reference = [statefulset_view(obj, "default") for obj in collected.kept_statefulsets]
    assert [(v.name, v.selector, v.template_labels) for v in collected.statefulsets] == \
        [(v.name, v.selector, v.template_labels) for v in reference]
    collected.statefulsets, collected.services, collected.kept_order = [], [], bytearray()
    engine._views(collected, "default")  # without the order: StatefulSets, then Services
    assert [v.obj for v in collected.services] == collected.kept_services
