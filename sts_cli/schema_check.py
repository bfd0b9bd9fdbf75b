"""Schema validation of one object, each JSON Schema error turned into a positioned finding."""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from sts_cli.documents import ManifestObject
from sts_cli.findings import Finding, Severity, format_path
from sts_cli.schemas import root_schema

_JSON_TYPES = {
    "string": "a string", "integer": "an integer", "number": "a number", "boolean": "a boolean",
    "object": "a mapping", "array": "a list", "null": "null",
}

_INT_RANGES: dict[tuple[Any, Any], str] = {
    (-2147483648, 2147483647): "int32",
    (-9223372036854775808, 9223372036854775807): "int64",
}


def _describe_value(value: Any) -> str:
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "null"
    if isinstance(value, str):
        return f"the string {value!r}"
    return f"the number {value!r}"


def _expected(types: Any) -> str:
    names = [types] if isinstance(types, str) else list(types)
    names = [n for n in names if n != "null"] or names
    return " or ".join(_JSON_TYPES.get(n, n) for n in names)


@functools.cache
def _validator(version: str, kind: str) -> Any:
    import jsonschema

    return jsonschema.Draft202012Validator(root_schema(version, kind))


@functools.cache
def _fast_validator(version: str, kind: str) -> Any:
    """A compiled validity check (jsonschema-rs), or None where it is not installed.

    It only answers "valid or not": about 40 times faster than jsonschema on a StatefulSet,
    so the detailed jsonschema pass runs only for the few objects that fail it.
    """
    try:
        import jsonschema_rs
    except ImportError:  # pragma: no cover - a platform without a jsonschema-rs wheel
        return None
    try:
        return jsonschema_rs.Draft202012Validator(root_schema(version, kind), validate_formats=False)
    except Exception:  # pragma: no cover - a schema the compiled validator cannot read
        return None


def fast_is_valid(data: Any, version: str, kind: str) -> bool | None:
    """The compiled check's answer, or None when it cannot tell (not installed, unusual values)."""
    validator = _fast_validator(version, kind)
    if validator is None:
        return None
    try:
        return bool(validator.is_valid(data))
    except Exception:  # values it cannot convert (non-string keys, NaN...): ask jsonschema
        return None


def _type_hint(value: Any, expected: str) -> str:
    if isinstance(value, bool) and "string" in expected:
        return ("YAML reads unquoted on/off/yes/no/y/n/true/false as booleans, as the API server "
                "does: quote the value")
    if isinstance(value, (int, float)) and not isinstance(value, bool) and "string" in expected:
        return "quote the value to make it a string"
    if isinstance(value, str) and "integer" in expected:
        return "remove the quotes: this field takes a number"
    return f"use {expected}"


def schema_findings(obj: ManifestObject, version: str, kind: str, namespace: str) -> list[Finding]:
    """All schema errors of `obj` for `version`, sorted by position."""
    if fast_is_valid(obj.data, version, kind):
        return []
    validator = _validator(version, kind)
    findings = list(_convert(obj, validator.iter_errors(obj.data), namespace, version))
    findings.sort(key=Finding.sort_key)
    return findings


def _convert(obj: ManifestObject, errors: Iterator[Any], namespace: str, version: str) -> Iterator[Finding]:
    seen: set[tuple[str, str]] = set()
    for error in errors:
        for finding in _error_findings(obj, error, namespace, version):
            key = (finding.rule, finding.path)
            if key not in seen:
                seen.add(key)
                yield finding


def _error_findings(obj: ManifestObject, error: Any, namespace: str, version: str) -> Iterator[Finding]:
    path = tuple(error.absolute_path)
    instance = error.instance
    validator = error.validator
    schema = error.schema if isinstance(error.schema, dict) else {}
    where = format_path(path) or "object"

    def make(rule: str, message: str, at: tuple[Any, ...], hint: str, at_value: bool = True,
             field_path: tuple[Any, ...] | None = None) -> Finding:
        finding = obj.finding(rule, Severity.ERROR, message, at, hint, at_value=at_value,
                              default_namespace=namespace)
        if field_path is not None:
            finding = replace(finding, path=format_path(field_path))
        return finding

    if validator == "additionalProperties" and isinstance(instance, dict):
        known = set(schema.get("properties", {}))
        for key in instance:
            if key in known:
                continue
            close = difflib.get_close_matches(str(key), sorted(known), n=1, cutoff=0.6)
            suggestion = f"; did you mean {close[0]!r}?" if close else ""
            yield make("schema-unknown-field",
                       f"unknown field {key!r}{suggestion}",
                       (*path, key), f"rename it to {close[0]!r}" if close
                       else f"remove it; {where} accepts: {', '.join(sorted(known))[:200]}",
                       at_value=False)
        return
    if validator == "required" and path and path[0] == "status":
        # The API server resets status on create and update and never requires its fields, so
        # `status: {}` (as `kubectl get -o yaml` and `--dry-run` print) is fine; types still count.
        return
    if validator == "required" and isinstance(instance, dict):
        for key in error.validator_value:
            if key not in instance:
                yield make("schema-missing-field", f"missing required field {key!r}",
                           path, f"add `{key}:` to {where}", at_value=False, field_path=(*path, key))
        return
    if validator == "type":
        expected = _expected(error.validator_value)
        yield make("schema-type", f"must be {expected}, not {_describe_value(instance)}",
                   path, _type_hint(instance, expected))
        return
    if validator in ("oneOf", "anyOf"):
        options = [s.get("type") for s in error.validator_value if isinstance(s, dict)]
        expected = " or ".join(_expected(t) for t in options if t) or "another value"
        yield make("schema-type", f"must be {expected}, not {_describe_value(instance)}",
                   path, _type_hint(instance, expected))
        return
    if validator == "enum":
        allowed = ", ".join(repr(v) for v in error.validator_value if v is not None)
        yield make("schema-enum", f"{instance!r} is not allowed; allowed: {allowed}", path,
                   "values are case-sensitive")
        return
    if validator in ("minimum", "maximum") and isinstance(instance, (int, float)):
        bounds = (schema.get("minimum"), schema.get("maximum"))
        fmt = _INT_RANGES.get(bounds) or schema.get("format")
        if fmt in ("int32", "int64"):
            message = f"{instance} is outside the {fmt} range the API server accepts"
        else:
            message = error.message
        yield make("schema-range", message, path, f"use a value from {bounds[0]} to {bounds[1]}")
        return
    yield make("schema-invalid", error.message, path, "see the Kubernetes API reference")
