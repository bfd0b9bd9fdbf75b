"""Odd input never crashes `sts diff`: wrong types anywhere in the spec, huge replica counts."""

from __future__ import annotations

import copy
import time
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.diff.helpers import changed, only, run_diff, service, statefulset

BASE = [service(), statefulset()]
JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | st.sampled_from(["", "x", "1Gi", "None", "Parallel"]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(
        st.sampled_from(["metadata", "spec", "name", "labels", "type", "start", "rollingUpdate", "partition",
                         "resources", "requests", "storage", "matchLabels", "containers"]), children, max_size=3),
    max_leaves=8)
FIELDS = ["replicas", "selector", "template", "serviceName", "volumeClaimTemplates", "updateStrategy",
          "podManagementPolicy", "revisionHistoryLimit", "minReadySeconds", "persistentVolumeClaimRetentionPolicy",
          "ordinals"]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(FIELDS), JSONISH, JSONISH, st.sampled_from(["clusterIP", "selector", "ports", "type"]),
       JSONISH)
def test_any_values_compare_without_error(field: str, old_value: Any, new_value: Any, svc_field: str,
                                          svc_value: Any) -> None:
    old = copy.deepcopy(BASE)
    new = copy.deepcopy(BASE)
    old[1]["spec"][field] = old_value
    new[1]["spec"][field] = new_value
    new[0]["spec"][svc_field] = svc_value
    result = run_diff(old, new)
    assert {d.status for d in result.objects} <= {"changed", "unchanged", "added", "removed", "renamed"}


@given(JSONISH, JSONISH)
@settings(max_examples=40, deadline=None)
def test_any_spec_or_metadata(old_spec: Any, new_meta: Any) -> None:
    old = copy.deepcopy(BASE)
    new = copy.deepcopy(BASE)
    old[1]["spec"] = old_spec
    new[1]["metadata"] = new_meta if isinstance(new_meta, dict) else {"name": "web"}
    run_diff(old, new)


def test_huge_replica_counts_are_summarised_quickly() -> None:
    started = time.monotonic()
    result = run_diff(BASE, changed(BASE, lambda m: m[1]["spec"].update(replicas=2_000_000_000)))
    assert "not listed one by one" in only(result, "update-scale").message
    added = run_diff([service()], changed(BASE, lambda m: m[1]["spec"].update(replicas=2_000_000_000)))
    assert "not listed" in only(added, "update-added").message
    assert time.monotonic() - started < 2
