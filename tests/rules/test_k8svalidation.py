"""Name, label, port-name and quantity syntax, against the upstream rules (apimachinery validation)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sts_cli import k8svalidation as kv


@pytest.mark.parametrize(("value", "ok"), [
    ("web", True), ("web-0", True), ("0web", True), ("a" * 63, True),
    ("a" * 64, False), ("Web", False), ("web.v1", False), ("-web", False), ("web-", False), ("", False),
    ("web_1", False),
])
def test_dns1123_label(value: str, ok: bool) -> None:
    assert kv.is_dns1123_label(value) is ok
    assert (kv.dns1123_label_errors(value) == []) is ok


@pytest.mark.parametrize(("value", "ok"), [
    ("fast-ssd", True), ("a.b.c", True), ("kubernetes.io", True), ("a" * 253, True),
    ("a" * 254, False), ("Fast", False), ("a..b", False), (".a", False), ("a_b", False),
])
def test_dns1123_subdomain(value: str, ok: bool) -> None:
    assert kv.is_dns1123_subdomain(value) is ok


@pytest.mark.parametrize(("value", "ok"), [("db", True), ("db-1", True), ("1db", False), ("a" * 64, False)])
def test_dns1035_label(value: str, ok: bool) -> None:
    assert (kv.dns1035_label_errors(value) == []) is ok


@pytest.mark.parametrize(("value", "ok"), [
    ("http", True), ("web-1", True), ("a1", True), ("a" * 15, True),
    ("a" * 16, False), ("80", False), ("HTTP", False), ("-web", False), ("web-", False), ("we--b", False),
    ("web_1", False),
])
def test_iana_svc_name(value: str, ok: bool) -> None:
    assert (kv.iana_svc_name_errors(value) == []) is ok


@pytest.mark.parametrize(("key", "ok"), [
    ("app", True), ("App.Name_1", True), ("example.com/name", True), ("app.kubernetes.io/part-of", True),
    ("a" * 63, True), ("example.com/" + "a" * 63, True),
    ("a" * 64, False), ("/name", False), ("Example.com/name", False), ("a/b/c", False), ("name!", False),
    ("", False), ("example.com/", False), ("NoUppercaseOrSpecialCharsLike=Equals", False),
])
def test_label_keys(key: str, ok: bool) -> None:
    assert (kv.label_key_errors(key) == []) is ok


def test_annotation_keys_are_case_insensitive() -> None:
    assert kv.annotation_key_errors("Example.COM/Note") == []
    assert kv.label_key_errors("Example.COM/Note") != []


@pytest.mark.parametrize(("value", "ok"), [
    ("", True), ("v1", True), ("1.0-beta_2", True), ("a" * 63, True),
    ("a" * 64, False), ("-a", False), ("a b", False), ("a/b", False),
])
def test_label_values(value: str, ok: bool) -> None:
    assert (kv.label_value_errors(value) == []) is ok


@pytest.mark.parametrize(("value", "expected"), [
    ("1Gi", Decimal(2**30)), ("500Mi", Decimal(500 * 2**20)), ("10G", Decimal(10**10)), ("500m", Decimal("0.5")),
    ("1", Decimal(1)), (1, Decimal(1)), (1.5, Decimal("1.5")), ("1e3", Decimal(1000)), ("1E", Decimal(10**18)),
    (".5", Decimal("0.5")), ("1.", Decimal(1)), ("+1k", Decimal(1000)), ("-1", Decimal(-1)), ("0", Decimal(0)),
    ("10gb", None), ("10 Gi", None), ("Gi", None), ("1e", None), ("", None), (True, None), (None, None),
    ("1Gib", None), ("0x10", None),
])
def test_quantities(value: object, expected: Decimal | None) -> None:
    assert kv.parse_quantity(value) == expected


@pytest.mark.parametrize(("value", "ok"), [
    (1, True), (100, True), ("1%", True), ("100%", True),
    (0, False), (-1, False), ("0%", False), ("101%", False), ("abc", False), ("1", False), (True, False), (1.5, False),
])
def test_max_unavailable(value: object, ok: bool) -> None:
    assert (kv.int_or_percent_errors(value) == []) is ok


def test_env_var_names() -> None:
    assert kv.env_var_name_errors("spring.profiles.active", relaxed=True) == []
    assert kv.env_var_name_errors("1A", relaxed=True) == []
    assert kv.env_var_name_errors("1A", relaxed=False) != []
    assert kv.env_var_name_errors("A=B", relaxed=True) != []
    assert kv.env_var_name_errors("", relaxed=True) != []


def test_ips_and_cidrs() -> None:
    assert kv.is_ip("10.0.0.1") and kv.is_ip("2001:db8::1")
    assert not kv.is_ip("010.0.0.1") and not kv.is_ip("None")
    assert kv.is_cidr("10.0.0.0/8") and not kv.is_cidr("10.0.0.1")


@given(st.integers(min_value=0, max_value=10**12), st.sampled_from(["", "k", "M", "G", "Ki", "Mi", "Gi", "m"]))
def test_quantity_scaling_property(number: int, suffix: str) -> None:
    scale = {"": 1, "k": 10**3, "M": 10**6, "G": 10**9, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30}
    parsed = kv.parse_quantity(f"{number}{suffix}")
    assert parsed is not None
    assert parsed == (Decimal(number) / 1000 if suffix == "m" else Decimal(number * scale[suffix]))


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-.", min_size=1, max_size=70))
def test_label_is_a_subdomain_without_dots(value: str) -> None:
    if kv.is_dns1123_label(value):
        assert kv.is_dns1123_subdomain(value) and "." not in value
